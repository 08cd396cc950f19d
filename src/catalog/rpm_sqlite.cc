#include "catalog/rpm_sqlite.h"

#include <sqlite3.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "catalog/text_lines.h"

namespace bulwark::catalog {
namespace {

// SQLite file format facts: https://www.sqlite.org/fileformat.html
constexpr std::string_view kSqliteMagic("SQLite format 3\0", 16);
constexpr size_t kDbPageSizeOffset = 16;
constexpr size_t kDbWriteVersionOffset = 18;
constexpr size_t kDbReadVersionOffset = 19;
constexpr uint8_t kVersionWal = 2;
constexpr uint8_t kVersionLegacy = 1;

constexpr uint32_t kWalMagic = 0x377f0682;  // Low bit set: big-endian checksums.
constexpr uint32_t kWalFormatVersion = 3007000;
constexpr size_t kWalHeaderBytes = 32;
constexpr size_t kWalFrameHeaderBytes = 24;

// The database after its log is applied may be larger than the file alone.
constexpr uint64_t kMaxDatabaseWithWalBytes = 2 * uint64_t{internal::kMaxDatabaseBytes};
// Progress callbacks (one per 1000 virtual machine steps) before the query is
// stopped: far more than reading every row of a 64 MiB database takes.
constexpr int kProgressStepsPerCall = 1000;
constexpr int kMaxProgressCalls = 200000;

uint32_t ReadBe32(std::string_view bytes, size_t offset) {
  auto byte = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[offset + i]));
  };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

Error Corrupt(std::string_view path, const std::string& what) {
  return Error(ErrorCode::kCorruptInput, std::string(path) + ": " + what);
}

// The checksum of the WAL format: over 32-bit words, in the byte order the
// log's magic names, two running sums that feed each other.
struct WalChecksum {
  uint32_t s0 = 0;
  uint32_t s1 = 0;

  void Add(std::string_view bytes, size_t offset, size_t length, bool big_endian) {
    for (size_t at = offset; at + 8 <= offset + length; at += 8) {
      uint32_t x0 = Word(bytes, at, big_endian);
      uint32_t x1 = Word(bytes, at + 4, big_endian);
      s0 += x0 + s1;
      s1 += x1 + s0;
    }
  }
  static uint32_t Word(std::string_view bytes, size_t at, bool big_endian) {
    uint32_t be = ReadBe32(bytes, at);
    return big_endian ? be : __builtin_bswap32(be);
  }
};

struct WalFrame {
  uint32_t page = 0;
  size_t offset = 0;  // Of the page image in the log.
};

// The pages the log's committed transactions write, in log order, and the
// database size in pages after the last commit (0 when nothing committed).
struct WalCommits {
  uint32_t page_size = 0;
  std::vector<WalFrame> frames;
  uint32_t database_pages = 0;
};

Result<WalCommits> ReadWal(std::string_view wal, std::string_view wal_path) {
  WalCommits commits;
  // SQLite reads a log too short for its header, with a bad magic, page size
  // or header checksum, as empty.
  if (wal.size() < kWalHeaderBytes) return commits;
  uint32_t magic = ReadBe32(wal, 0);
  if ((magic & ~1u) != kWalMagic) return commits;
  bool big_endian = (magic & 1u) != 0;
  uint32_t version = ReadBe32(wal, 4);
  if (version != kWalFormatVersion) {
    return Error(ErrorCode::kUnsupported, std::string(wal_path) + ": WAL format version " +
                                              std::to_string(version) + "; " +
                                              std::to_string(kWalFormatVersion) + " is read");
  }
  uint32_t page_size = ReadBe32(wal, 8);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) return commits;
  WalChecksum checksum;
  checksum.Add(wal, 0, 24, big_endian);
  if (checksum.s0 != ReadBe32(wal, 24) || checksum.s1 != ReadBe32(wal, 28)) return commits;

  commits.page_size = page_size;
  uint32_t salt1 = ReadBe32(wal, 16);
  uint32_t salt2 = ReadBe32(wal, 20);
  size_t frame_bytes = kWalFrameHeaderBytes + page_size;
  std::vector<WalFrame> pending;
  for (size_t at = kWalHeaderBytes; at + frame_bytes <= wal.size(); at += frame_bytes) {
    uint32_t page = ReadBe32(wal, at);
    uint32_t pages_after_commit = ReadBe32(wal, at + 4);
    if (page == 0 || ReadBe32(wal, at + 8) != salt1 || ReadBe32(wal, at + 12) != salt2) break;
    checksum.Add(wal, at, 8, big_endian);
    checksum.Add(wal, at + kWalFrameHeaderBytes, page_size, big_endian);
    if (checksum.s0 != ReadBe32(wal, at + 16) || checksum.s1 != ReadBe32(wal, at + 20)) break;

    pending.push_back(WalFrame{page, at + kWalFrameHeaderBytes});
    if (pages_after_commit == 0) continue;
    for (const WalFrame& frame : pending) commits.frames.push_back(frame);
    pending.clear();
    commits.database_pages = pages_after_commit;
  }
  return commits;
}

uint32_t DatabasePageSize(std::string_view database) {
  uint32_t size = static_cast<uint32_t>(static_cast<uint8_t>(database[kDbPageSizeOffset])) << 8 |
                  static_cast<uint8_t>(database[kDbPageSizeOffset + 1]);
  return size == 1 ? 65536 : size;
}

// The database as SQLite sees it after replaying the log, marked as a
// rollback-journal database so the in-memory VFS (which has no WAL) opens it.
// LIMITATION(#4): a hot rollback journal (rpmdb.sqlite-journal, left by a
// crash in a database not in WAL mode) is not rolled back; rpm keeps its
// database in WAL mode, so such a journal is not expected from rpm.
Result<std::string> ApplyWal(std::string_view database, std::string_view wal, std::string_view path,
                             std::string_view wal_path) {
  std::string image(database);
  bool wal_mode = static_cast<uint8_t>(database[kDbReadVersionOffset]) == kVersionWal;
  if (wal_mode && !wal.empty()) {
    BULWARK_TRY(internal::CheckFileSize(wal, wal_path, internal::kMaxDatabaseBytes));
    BULWARK_ASSIGN_OR_RETURN(WalCommits commits, ReadWal(wal, wal_path));
    if (!commits.frames.empty()) {
      if (commits.page_size != DatabasePageSize(database)) {
        return Corrupt(wal_path, "page size " + std::to_string(commits.page_size) +
                                     " differs from the database's " +
                                     std::to_string(DatabasePageSize(database)));
      }
      uint64_t size = uint64_t{commits.database_pages} * commits.page_size;
      if (size > kMaxDatabaseWithWalBytes) {
        return Error(ErrorCode::kLimitExceeded,
                     std::string(wal_path) + ": the log grows the database to " +
                         std::to_string(size) + " bytes, over the limit of " +
                         std::to_string(kMaxDatabaseWithWalBytes));
      }
      for (const WalFrame& frame : commits.frames) {
        size_t at = size_t{frame.page - 1} * commits.page_size;
        if (at >= size) continue;  // Truncated away by the last commit.
        if (image.size() < at + commits.page_size) image.resize(at + commits.page_size, '\0');
        image.replace(at, commits.page_size, wal.substr(frame.offset, commits.page_size));
      }
      image.resize(size, '\0');
    }
  }
  if (image.size() > kDbReadVersionOffset) {
    image[kDbWriteVersionOffset] = static_cast<char>(kVersionLegacy);
    image[kDbReadVersionOffset] = static_cast<char>(kVersionLegacy);
  }
  return image;
}

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct Finalize {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;
using Statement = std::unique_ptr<sqlite3_stmt, Finalize>;

Error SqliteError(sqlite3* db, std::string_view path, int code) {
  if (code == SQLITE_INTERRUPT) {
    return Error(ErrorCode::kLimitExceeded,
                 std::string(path) +
                     ": reading the database took more work than a real rpm "
                     "database needs; stopped");
  }
  return Corrupt(path, std::string("SQLite: ") + sqlite3_errmsg(db));
}

int CountProgress(void* calls) {
  int* count = static_cast<int*>(calls);
  return ++*count > kMaxProgressCalls ? 1 : 0;
}

// Opens `image` as a read-only in-memory database with the defences above.
Result<DbHandle> OpenImage(const std::string& image, std::string_view path, int* progress_calls) {
  sqlite3* raw = nullptr;
  int opened =
      sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  DbHandle db(raw);
  if (opened != SQLITE_OK) return SqliteError(raw, path, opened);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, static_cast<int>(kRpmMaxHeaderData));
  sqlite3_progress_handler(db.get(), kProgressStepsPerCall, CountProgress, progress_calls);

  auto* buffer = static_cast<unsigned char*>(sqlite3_malloc64(image.size()));
  if (buffer == nullptr) return Error(ErrorCode::kInternal, std::string(path) + ": out of memory");
  std::memcpy(buffer, image.data(), image.size());
  int loaded = sqlite3_deserialize(db.get(), "main", buffer, image.size(), image.size(),
                                   SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (loaded != SQLITE_OK) return SqliteError(db.get(), path, loaded);
  int checked = sqlite3_exec(db.get(), "PRAGMA cell_size_check = ON", nullptr, nullptr, nullptr);
  if (checked != SQLITE_OK) return SqliteError(db.get(), path, checked);
  return db;
}

Result<Statement> Prepare(sqlite3* db, const char* sql, std::string_view path) {
  sqlite3_stmt* raw = nullptr;
  int prepared = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  Statement statement(raw);
  if (prepared != SQLITE_OK) return SqliteError(db, path, prepared);
  return statement;
}

// Packages must be an ordinary table: a view or virtual table could run
// arbitrary work or read nothing that rpm wrote.
Status CheckPackagesTable(sqlite3* db, std::string_view path) {
  BULWARK_ASSIGN_OR_RETURN(
      Statement statement,
      Prepare(db, "SELECT type, sql FROM sqlite_master WHERE name = 'Packages'", path));
  int step = sqlite3_step(statement.get());
  if (step == SQLITE_DONE) return Corrupt(path, "no Packages table: not an rpm database");
  if (step != SQLITE_ROW) return SqliteError(db, path, step);
  auto text = [&](int column) {
    const unsigned char* value = sqlite3_column_text(statement.get(), column);
    return std::string(value == nullptr ? "" : reinterpret_cast<const char*>(value));
  };
  std::string type = text(0);
  std::string sql = text(1);
  bool virtual_table = sql.size() >= 14 && sqlite3_strnicmp(sql.c_str(), "CREATE VIRTUAL", 14) == 0;
  if (type != "table" || virtual_table) {
    return Corrupt(path, "Packages is a " + (virtual_table ? std::string("virtual table") : type) +
                             ", not the table rpm writes");
  }
  return Ok();
}

Result<std::vector<RpmHeaderBlob>> ReadRows(sqlite3* db, std::string_view path,
                                            size_t max_blob_bytes) {
  BULWARK_ASSIGN_OR_RETURN(Statement statement,
                           Prepare(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", path));
  std::vector<RpmHeaderBlob> blobs;
  size_t blob_bytes = 0;
  while (true) {
    int step = sqlite3_step(statement.get());
    if (step == SQLITE_DONE) break;
    if (step != SQLITE_ROW) return SqliteError(db, path, step);

    sqlite3_int64 hnum = sqlite3_column_int64(statement.get(), 0);
    if (sqlite3_column_type(statement.get(), 0) != SQLITE_INTEGER || hnum <= 0 ||
        hnum > sqlite3_int64{UINT32_MAX}) {
      return Corrupt(
          path, "row with hnum " + std::to_string(hnum) + " that is not a positive 32-bit integer");
    }
    std::string where = "hnum " + std::to_string(hnum);
    if (sqlite3_column_type(statement.get(), 1) != SQLITE_BLOB) {
      return Corrupt(path, where + ": blob column is not a blob");
    }
    const void* bytes = sqlite3_column_blob(statement.get(), 1);
    size_t size = static_cast<size_t>(sqlite3_column_bytes(statement.get(), 1));
    blob_bytes += size;
    if (blob_bytes > max_blob_bytes) {
      return Corrupt(path, where + ": blobs add up to more than the database holds");
    }
    std::string blob =
        size == 0 ? std::string() : std::string(static_cast<const char*>(bytes), size);
    blobs.push_back(RpmHeaderBlob{static_cast<uint32_t>(hnum), std::move(blob)});
  }
  return blobs;
}

}  // namespace

Result<std::vector<RpmHeaderBlob>> ReadRpmSqlite(std::string_view database, std::string_view wal,
                                                 std::string_view path, std::string_view wal_path) {
  BULWARK_TRY(internal::CheckFileSize(database, path, internal::kMaxDatabaseBytes));
  if (database.size() < 100 || database.substr(0, kSqliteMagic.size()) != kSqliteMagic) {
    return Corrupt(path, "not an SQLite database (no \"SQLite format 3\" header)");
  }
  BULWARK_ASSIGN_OR_RETURN(std::string image, ApplyWal(database, wal, path, wal_path));

  int progress_calls = 0;
  BULWARK_ASSIGN_OR_RETURN(DbHandle db, OpenImage(image, path, &progress_calls));
  // SQLite holds its own copy now; this one would only double the memory.
  size_t image_size = image.size();
  std::string().swap(image);
  BULWARK_TRY(CheckPackagesTable(db.get(), path));
  return ReadRows(db.get(), path, image_size);
}

}  // namespace bulwark::catalog
