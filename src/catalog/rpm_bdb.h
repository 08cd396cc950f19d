// The header blobs of an rpm Berkeley DB database (var/lib/rpm/Packages).
#ifndef BULWARK_CATALOG_RPM_BDB_H_
#define BULWARK_CATALOG_RPM_BDB_H_

#include <string_view>
#include <vector>

#include "catalog/rpm_header.h"
#include "common/result.h"

namespace bulwark::catalog {

// Reads the Berkeley DB hash database rpm keeps its headers in (RHEL and
// CentOS up to 8, Amazon Linux 2), natively: the metadata page (magic,
// version 8 or 9, page size, buckets), every bucket's chain of hash pages,
// and the overflow pages that hold values too big for a page. Both byte
// orders are read; the key (a 32-bit header number) is in the file's order,
// the header blobs are always big-endian. Key 0, where rpm keeps its next
// header number, is not a header and is left out. Blobs come in bucket order.
//
// `bytes` is the whole file; `path` names it in errors. Errors: kCorruptInput
// naming `path` and the page (not a Berkeley DB file, a page outside the
// file, a page reached twice, an item outside its page, a value of the wrong
// length); kUnsupported for well-formed files rpm does not write (a btree or
// queue database, encryption, page checksums, duplicate keys); kLimitExceeded
// for a file over 64 MiB. Thread-safe; the result does not refer to `bytes`.
Result<std::vector<RpmHeaderBlob>> ReadRpmBerkeleyDb(std::string_view bytes, std::string_view path);

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_RPM_BDB_H_
