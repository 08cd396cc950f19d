// The header blobs of an rpm ndb database (usr/lib/sysimage/rpm/Packages.db).
#ifndef BULWARK_CATALOG_RPM_NDB_H_
#define BULWARK_CATALOG_RPM_NDB_H_

#include <string_view>
#include <vector>

#include "catalog/rpm_header.h"
#include "common/result.h"

namespace bulwark::catalog {

// Reads rpm's own package database format, ndb (SUSE since 15, written by
// rpm's lib/backend/ndb/rpmpkg.c): a 32-byte little-endian file header
// ("RpmP", version 0, generation, slot page count, next package index),
// slot pages of 16-byte slots ("Slot", package index, block offset, block
// count; a zero offset is a free slot), and blobs in 16-byte blocks, each a
// "BlbS" head (package index, timestamp, length), the header blob, zero
// padding and a "BlbE" tail whose Adler-32 over head, blob and padding is
// checked. Blobs come in file order, as rpm lists them.
//
// `bytes` is the whole file; `path` names it in errors. Errors: kCorruptInput
// naming `path` and the slot (a bad magic or version, a slot outside the file
// or inside the slot pages, overlapping blobs, a head or tail that does not
// match its slot, a checksum mismatch); kLimitExceeded for a file over
// 64 MiB. Thread-safe; the result does not refer to `bytes`.
Result<std::vector<RpmHeaderBlob>> ReadRpmNdb(std::string_view bytes, std::string_view path);

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_RPM_NDB_H_
