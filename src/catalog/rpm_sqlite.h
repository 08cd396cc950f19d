// The header blobs of an rpm SQLite database (var/lib/rpm/rpmdb.sqlite).
#ifndef BULWARK_CATALOG_RPM_SQLITE_H_
#define BULWARK_CATALOG_RPM_SQLITE_H_

#include <string>
#include <string_view>
#include <vector>

#include "catalog/rpm_header.h"
#include "common/result.h"

namespace bulwark::catalog {

// Reads table Packages(hnum, blob) of the SQLite database rpm writes (Fedora
// 33 and later, RHEL 9), in hnum order. The bytes are opened in memory with
// sqlite3_deserialize, read-only; no file is written. SQLite runs defensive:
// no triggers, views or schema functions, a length limit, a bound on the
// work of the query, and Packages must be a plain table.
//
// rpm keeps the database in WAL mode, so an image may carry the write-ahead
// log beside it (rpmdb.sqlite-wal). Pass its bytes as `wal` ("" when there is
// none): the frames of its committed transactions are laid over the database
// first, as SQLite does on open. Frames whose salt or checksum do not match
// (an unfinished write, or a log already reset) end the log, as in SQLite; a
// log with a bad header is ignored, as SQLite ignores it. The -shm index is
// never needed: it is rebuilt from the log.
//
// `path` names the database and `wal_path` the log in errors. Errors:
// kCorruptInput naming the file (not an SQLite database, no Packages table,
// a row whose hnum is not a positive 32-bit integer or whose blob is not a
// blob, an error SQLite reports, a log whose page size differs from the
// database's); kUnsupported for a log of another WAL format version;
// kLimitExceeded for a database over 64 MiB, a log over 64 MiB, a database
// the log grows past 128 MiB, or a query that runs too long.
// Thread-safe (each call opens its own connection); the result does not refer
// to the inputs.
Result<std::vector<RpmHeaderBlob>> ReadRpmSqlite(std::string_view database, std::string_view wal,
                                                 std::string_view path, std::string_view wal_path);

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_RPM_SQLITE_H_
