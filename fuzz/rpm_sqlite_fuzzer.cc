// Fuzzes the SQLite reader and its write-ahead log replay. The input is a
// 4-byte big-endian log length, the log, then the database (the seeds from
// tests/fixtures/make-rpmdb.sh are in this shape).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/rpm_sqlite.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  size_t wal_size = size_t{data[0]} << 24 | size_t{data[1]} << 16 | size_t{data[2]} << 8 | data[3];
  std::string_view rest(reinterpret_cast<const char*>(data) + 4, size - 4);
  if (wal_size > rest.size()) wal_size = rest.size();
  std::string_view wal = rest.substr(0, wal_size);
  std::string_view database = rest.substr(wal_size);

  auto blobs = bulwark::catalog::ReadRpmSqlite(database, wal, "var/lib/rpm/rpmdb.sqlite",
                                               "var/lib/rpm/rpmdb.sqlite-wal");

  if (!blobs.ok()) return 0;
  for (const auto& blob : *blobs) {
    if (blob.number == 0) __builtin_trap();
    (void)bulwark::catalog::ParseRpmHeader(blob.bytes, "header");
  }
  return 0;
}
