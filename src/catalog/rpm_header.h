// One rpm header as an rpm database stores it, and the package fields read
// from it.
#ifndef BULWARK_CATALOG_RPM_HEADER_H_
#define BULWARK_CATALOG_RPM_HEADER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::catalog {

// The most index entries a header may have, as rpm itself limits them.
inline constexpr uint32_t kRpmMaxHeaderEntries = 0xffff;
// The largest data store a header may have, as rpm itself limits it.
inline constexpr uint32_t kRpmMaxHeaderData = 0x0fffffff;

// One header blob read from a database file, with the number the database
// keys it by (SQLite hnum, Berkeley DB key, ndb package index).
struct RpmHeaderBlob {
  uint32_t number = 0;
  std::string bytes;
};

// What Bulwark reads from an installed package's header. Strings are empty
// when the tag is absent, except where noted.
struct RpmHeaderFields {
  std::string name;               // NAME (1000); always set.
  std::optional<uint32_t> epoch;  // EPOCH (1003); nullopt when the header has none.
  std::string version;            // VERSION (1001); always set.
  std::string release;            // RELEASE (1002); always set.
  std::string arch;               // ARCH (1022); gpg-pubkey headers have none.
  std::string source_rpm;         // SOURCERPM (1044): "openssl-3.0.7-27.el9.src.rpm".
  std::string license;            // LICENSE (1014).
  std::string modularity_label;   // MODULARITYLABEL (5096): "nodejs:10:8020020200707141642:..".
};

// Parses one header blob in the layout rpm databases store (no lead and no
// 8-byte magic): the entry count and data size as big-endian 32-bit numbers,
// that many 16-byte index entries (tag, type, offset, count, big-endian),
// then the data store. A first entry with a region tag (61, 62 or 63) must
// point at a valid 16-byte region trailer; entries after the region (added
// at install time) replace region entries with the same tag, as rpm reads
// them. Every entry's offset and count are checked against the data store;
// the strings read must end inside it, hold no control bytes (see
// CheckNoControlBytes) and be valid for their type.
//
// `where` names the blob in errors ("var/lib/rpm/Packages header 12").
// Errors: kCorruptInput "where: what" for a blob that is truncated, longer
// than its counts say, has an entry outside the data store, a bad region, a
// tag of the wrong type, or lacks NAME, VERSION or RELEASE; kLimitExceeded
// for more than kRpmMaxHeaderEntries entries or more than kRpmMaxHeaderData
// bytes of data. Thread-safe; keeps no reference to `blob`.
Result<RpmHeaderFields> ParseRpmHeader(std::string_view blob, std::string_view where);

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_RPM_HEADER_H_
