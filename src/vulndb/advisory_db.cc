// The advisory database: one SQLite file, written by imports in a single
// write transaction and read by matches. See docs/advisory-database.md.
#include "vulndb/advisory_db.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unordered_map>

#include "common/log.h"
#include "vulndb/matcher.h"

namespace bulwark::vulndb {
namespace {

// "BWAD" in the SQLite header's application id: how a file is known to be an
// advisory database and not the image store or another program's SQLite file.
constexpr int32_t kApplicationId = 0x42574144;

// Schema migrations, applied in order; the index + 1 is the schema version.
// `affected` is clustered by the lookup key (distro, package), so a match
// reads a package's rows from adjacent pages without a second index. Its
// `versions` is the feed's list as imported; `match_versions` is what
// matching reads: the listed versions that no range of the row covers (a
// covered version adds nothing, and Ubuntu lists every affected release).
const char* const kMigrations[] = {
    R"sql(
    CREATE TABLE database_info (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE sources (
      source_id INTEGER PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      records INTEGER NOT NULL,
      skipped INTEGER NOT NULL
    );
    CREATE TABLE source_distros (
      source_id INTEGER NOT NULL,
      distro TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      PRIMARY KEY (source_id, distro)
    ) WITHOUT ROWID;
    CREATE TABLE skipped_records (
      source_id INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      record TEXT NOT NULL,
      reason TEXT NOT NULL,
      PRIMARY KEY (source_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE advisories (
      advisory_key INTEGER PRIMARY KEY,
      source_id INTEGER NOT NULL,
      id TEXT NOT NULL,
      aliases TEXT NOT NULL,
      summary TEXT NOT NULL,
      published TEXT NOT NULL,
      modified TEXT NOT NULL,
      severity TEXT NOT NULL,
      cvss_score REAL,
      cvss_vector TEXT NOT NULL,
      refs TEXT NOT NULL
    );
    CREATE INDEX advisories_by_source ON advisories (source_id);
    CREATE TABLE affected (
      distro TEXT NOT NULL,
      package TEXT NOT NULL,
      advisory_key INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      source_id INTEGER NOT NULL,
      ecosystem TEXT NOT NULL,
      state TEXT NOT NULL,
      ranges TEXT NOT NULL,
      match_versions TEXT NOT NULL,
      fixed_version TEXT NOT NULL,
      severity TEXT NOT NULL,
      versions TEXT NOT NULL,
      PRIMARY KEY (distro, package, advisory_key, seq)
    ) WITHOUT ROWID;
    )sql",
};

constexpr int kLatestSchema = static_cast<int>(std::size(kMigrations));

// Bounds on what is written and read back. Writes are held to the same
// bounds as reads, so every database Bulwark writes can be read again; a
// larger value on read means the file was not written by Bulwark.
constexpr int kMaxValueBytes = 16 << 20;       // Any one SQLite value.
constexpr size_t kMaxIdBytes = 256;            // Ids, times, release keys, names of values.
constexpr size_t kMaxTextBytes = 64 << 10;     // Summary, names, one version.
constexpr size_t kMaxListJsonBytes = 1 << 20;  // Versions, aliases, references.
constexpr size_t kMaxRangesJsonBytes = 256 << 10;
constexpr size_t kMaxListItems = 100'000;
constexpr int64_t kMaxStoredSkips = 10'000;   // Per source; all are counted.
constexpr size_t kMaxSummarySkips = 20;       // ImportSummary::first_skipped.
constexpr int64_t kMaxRowsPerName = 200'000;  // Rows one lookup may return.
constexpr int64_t kMaxSources = 10'000;

using Json = nlohmann::json;

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm parts;
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// A prepared statement, finalised on destruction; reusable through Reset().
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  Statement& Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
  }
  Statement& Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindInt(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  Statement& BindReal(int index, double value) {
    sqlite3_bind_double(stmt_, index, value);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return prepared() ? sqlite3_step(stmt_) : rc_; }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  double Real(int column) const { return sqlite3_column_double(stmt_, column); }
  // The column as text, valid until the next Step or Reset.
  std::string_view TextView(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    size_t size = static_cast<size_t>(sqlite3_column_bytes(stmt_, column));
    return text ? std::string_view(reinterpret_cast<const char*>(text), size) : "";
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

// One SQLite connection to an advisory database, with its error wording.
class Connection {
 public:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~Connection() { sqlite3_close_v2(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

  // An error naming the file. Damaged or foreign content (corruption, a
  // table or column that is not ours, an oversized value) is kCorruptInput;
  // everything else SQLite reports is kIo.
  Error DbError(std::string_view what) const {
    int rc = sqlite3_extended_errcode(db_) & 0xff;
    bool content = rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_ERROR ||
                   rc == SQLITE_TOOBIG || rc == SQLITE_MISMATCH || rc == SQLITE_CONSTRAINT;
    return Error(content ? ErrorCode::kCorruptInput : ErrorCode::kIo,
                 Context() + std::string(what) + ": " + sqlite3_errmsg(db_));
  }
  Error ContentError(std::string_view what) const {
    return Error(ErrorCode::kCorruptInput, Context() + std::string(what));
  }
  std::string Context() const { return "advisory database " + path_ + ": "; }

  Status Exec(const char* sql, std::string_view what) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return DbError(what);
    return Ok();
  }
  // Runs a statement that returns no rows.
  Status Run(Statement& statement, std::string_view what) {
    if (statement.Step() != SQLITE_DONE) return DbError(what);
    return Ok();
  }
  // A text column of at most `max_bytes`.
  Result<std::string> Text(const Statement& row, int column, size_t max_bytes,
                           std::string_view what) const {
    std::string_view text = row.TextView(column);
    if (text.size() > max_bytes) {
      return ContentError(std::string(what) + " of " + std::to_string(text.size()) +
                          " bytes, above the limit of " + std::to_string(max_bytes));
    }
    return std::string(text);
  }

 private:
  sqlite3* db_;
  std::string path_;
};

// A strict reader of the two list shapes Bulwark stores as JSON,
// `["a", "b"]` and `[{"introduced": "0", "fixed": "1.2"}]`. A match decodes
// tens of thousands of rows, and a general JSON parser (which builds each
// string a character at a time) cost more than the SQL reading them. It
// accepts exactly RFC 8259 strings (every escape, surrogate pairs), JSON
// whitespace, and those two shapes; anything else is refused.
class JsonListReader {
 public:
  explicit JsonListReader(std::string_view text) : text_(text) {}

  bool ReadStrings(std::vector<std::string>& items) {
    return ReadList([&] {
      if (items.size() >= kMaxListItems) return false;
      items.emplace_back();
      return ReadString(items.back());
    });
  }

  bool ReadRanges(std::vector<VersionRange>& ranges) {
    return ReadList([&] {
      if (ranges.size() >= kMaxListItems || !Take('{')) return false;
      ranges.emplace_back();
      return ReadRange(ranges.back());
    });
  }

 private:
  template <typename ReadItem>
  bool ReadList(ReadItem read_item) {
    if (!Take('[')) return false;
    if (!Take(']')) {
      do {
        if (!read_item()) return false;
      } while (Take(','));
      if (!Take(']')) return false;
    }
    SkipSpace();
    return pos_ == text_.size();
  }

  // The fields of one range, after its '{'.
  bool ReadRange(VersionRange& range) {
    if (Take('}')) return true;
    std::string key;
    unsigned seen = 0;
    do {
      key.clear();
      if (!ReadString(key) || !Take(':')) return false;
      int index = key == "introduced"      ? 0
                  : key == "fixed"         ? 1
                  : key == "last_affected" ? 2
                  : key == "limit"         ? 3
                                           : -1;
      if (index < 0 || (seen & (1u << index)) != 0) return false;  // Unknown or repeated.
      seen |= 1u << index;
      std::string* fields[] = {&range.introduced, &range.fixed, &range.last_affected, &range.limit};
      if (!ReadString(*fields[index])) return false;
    } while (Take(','));
    return Take('}');
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // Skips whitespace, then consumes `c` when it is next.
  bool Take(char c) {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // A string, appended to `out` without its quotes and escapes.
  bool ReadString(std::string& out) {
    if (!Take('"')) return false;
    while (pos_ < text_.size()) {
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\' &&
             static_cast<unsigned char>(text_[pos_]) >= 0x20) {
        ++pos_;
      }
      out.append(text_.substr(start, pos_ - start));
      if (pos_ >= text_.size() || static_cast<unsigned char>(text_[pos_]) < 0x20) return false;
      if (text_[pos_++] == '"') return true;
      if (!ReadEscape(out)) return false;
    }
    return false;
  }

  // One escape, after its backslash.
  bool ReadEscape(std::string& out) {
    if (pos_ >= text_.size()) return false;
    char c = text_[pos_++];
    const char* simple = "\"\\/bfnrt";
    const char* meaning = "\"\\/\b\f\n\r\t";
    if (const char* found = std::strchr(simple, c); found != nullptr && c != '\0') {
      out += meaning[found - simple];
      return true;
    }
    if (c != 'u') return false;
    uint32_t code = 0;
    if (!ReadHex(code)) return false;
    if (code >= 0xDC00 && code <= 0xDFFF) return false;  // A lone low surrogate.
    if (code >= 0xD800 && code <= 0xDBFF) {
      uint32_t low = 0;
      if (!Take('\\') || pos_ >= text_.size() || text_[pos_++] != 'u' || !ReadHex(low) ||
          low < 0xDC00 || low > 0xDFFF) {
        return false;
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code, out);
    return true;
  }

  bool ReadHex(uint32_t& code) {
    if (text_.size() - pos_ < 4) return false;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0) return false;
      code = code * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  static void AppendUtf8(uint32_t code, std::string& out) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// Reads the columns of one stored row, each within its bound and of the
// shape Bulwark writes. The first column that is not is kept as `problem`,
// so the caller names the row only when something is wrong.
class RowReader {
 public:
  explicit RowReader(const Statement& row) : row_(row) {}

  const std::string& problem() const { return problem_; }

  bool Text(int column, size_t max_bytes, const char* field, std::string& out) {
    std::string_view text = row_.TextView(column);
    if (text.size() > max_bytes) {
      return Fail(field, std::to_string(text.size()) + " bytes, above the limit of " +
                             std::to_string(max_bytes));
    }
    out.assign(text);
    return true;
  }
  bool Strings(int column, const char* field, std::vector<std::string>& out) {
    std::string_view text = row_.TextView(column);
    if (text.size() > kMaxListJsonBytes) return Fail(field, "too large");
    if (!JsonListReader(text).ReadStrings(out)) {
      return Fail(field, "not a list of strings");
    }
    return true;
  }
  bool Ranges(int column, const char* field, std::vector<VersionRange>& out) {
    std::string_view text = row_.TextView(column);
    if (text.size() > kMaxRangesJsonBytes) return Fail(field, "too large");
    if (!JsonListReader(text).ReadRanges(out)) {
      return Fail(field, "not a list of ranges");
    }
    return true;
  }
  // Enumerations are stored by their names (SeverityName, FixStateName,
  // EcosystemName); each is compared with the names, not parsed, as a match
  // reads tens of thousands of them.
  bool SeverityColumn(int column, const char* field, Severity& out) {
    std::string_view text = row_.TextView(column);
    for (Severity severity : {Severity::kUnknown, Severity::kNegligible, Severity::kLow,
                              Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
      if (SeverityName(severity) == text) {
        out = severity;
        return true;
      }
    }
    return Fail(field, "not a severity Bulwark writes");
  }
  bool StateColumn(int column, const char* field, FixState& out) {
    std::string_view text = row_.TextView(column);
    for (FixState state :
         {FixState::kFixed, FixState::kNotFixed, FixState::kWontFix, FixState::kNotAffected}) {
      if (FixStateName(state) == text) {
        out = state;
        return true;
      }
    }
    return Fail(field, "not a fix state Bulwark writes");
  }
  bool EcosystemColumn(int column, const char* field, version::Ecosystem& out) {
    std::string_view text = row_.TextView(column);
    for (version::Ecosystem ecosystem :
         {version::Ecosystem::kDeb, version::Ecosystem::kApk, version::Ecosystem::kRpm,
          version::Ecosystem::kSemver, version::Ecosystem::kPep440}) {
      if (version::EcosystemName(ecosystem) == text) {
        out = ecosystem;
        return true;
      }
    }
    return Fail(field, "not a known ecosystem");
  }
  bool Fail(const char* field, const std::string& why) {
    problem_ = std::string(field) + ": " + why;
    return false;
  }

 private:
  const Statement& row_;
  std::string problem_;
};

std::string EncodeStringList(const std::vector<std::string>& items) {
  return Json(items).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string EncodeRanges(const std::vector<VersionRange>& ranges) {
  Json list = Json::array();
  for (const VersionRange& range : ranges) {
    Json item = Json::object();
    if (!range.introduced.empty()) item["introduced"] = range.introduced;
    if (!range.fixed.empty()) item["fixed"] = range.fixed;
    if (!range.last_affected.empty()) item["last_affected"] = range.last_affected;
    if (!range.limit.empty()) item["limit"] = range.limit;
    list.push_back(std::move(item));
  }
  return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Opens the file and makes sure it is an advisory database (or, with
// `create`, an empty file that becomes one), before anything is written to
// it: a foreign SQLite file is refused untouched.
Result<std::unique_ptr<Connection>> Connect(const std::string& path, bool create);

Status EnableWal(Connection& connection) {
  // Switching a new database to WAL needs an exclusive lock, and SQLite
  // answers SQLITE_BUSY at once, without the busy handler, when another
  // connection holds a shared lock while it waits for the same switch; the
  // switch is retried within the busy timeout.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    int rc = sqlite3_exec(connection.db(), "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return Ok();
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || std::chrono::steady_clock::now() > deadline) {
      return connection.DbError("setting journal mode");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Result<int> ReadSchemaVersion(Connection& connection) {
  Statement exists(connection.db(),
                   "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                   " AND name = 'schema_version'");
  if (exists.Step() != SQLITE_ROW) return connection.DbError("reading the schema");
  if (exists.Int(0) == 0) return 0;
  Statement read(connection.db(), "SELECT MAX(version) FROM schema_version");
  if (read.Step() != SQLITE_ROW) return connection.DbError("reading the schema version");
  if (read.IsNull(0)) return 0;
  int64_t version = read.Int(0);
  if (version < 0 || version > 1'000'000) {
    return connection.ContentError("schema version " + std::to_string(version) + " is not valid");
  }
  return static_cast<int>(version);
}

Error NewerSchema(const Connection& connection, int found) {
  return Error(ErrorCode::kUnsupported,
               connection.Context() + "schema version " + std::to_string(found) +
                   " is newer than this bulwark reads (" + std::to_string(kLatestSchema) +
                   "); upgrade bulwark, or build a database for this version at another path");
}

// Brings the schema to kLatestSchema. A current database is only read, so a
// scan opening it never waits for an import holding the write lock.
Status Migrate(Connection& connection) {
  BULWARK_ASSIGN_OR_RETURN(int current, ReadSchemaVersion(connection));
  if (current > kLatestSchema) return NewerSchema(connection, current);
  if (current == kLatestSchema) return Ok();

  // The version is read again inside the write transaction, so two processes
  // creating one database never apply the same migration twice.
  BULWARK_TRY(connection.Exec("BEGIN IMMEDIATE", "starting the migration"));
  auto apply = [&]() -> Status {
    BULWARK_TRY(
        connection.Exec("CREATE TABLE IF NOT EXISTS schema_version"
                        " (version INTEGER NOT NULL)",
                        "creating schema_version"));
    BULWARK_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(connection));
    if (version > kLatestSchema) return NewerSchema(connection, version);
    for (; version < kLatestSchema; ++version) {
      std::string sql = std::string(kMigrations[version]) +
                        "; INSERT INTO schema_version VALUES (" + std::to_string(version + 1) +
                        "); PRAGMA application_id = " + std::to_string(kApplicationId);
      BULWARK_TRY(
          connection.Exec(sql.c_str(), "migrating to schema " + std::to_string(version + 1)));
    }
    return Ok();
  };
  Status applied = apply();
  if (!applied.ok()) {
    (void)connection.Exec("ROLLBACK", "rolling back");  // The migration error is what matters.
    return applied;
  }
  return connection.Exec("COMMIT", "committing the migration");
}

// Settings for a file that may be hostile: no triggers or views run, no
// function the schema names unless it is harmless, no value above the bound.
void Harden(sqlite3* db) {
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, nullptr);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, kMaxValueBytes);
  // Parallel CI jobs and an import share the file: wait instead of failing.
  sqlite3_busy_timeout(db, 30000);
}

// Whether the file is ours (true), empty (false), or neither (an error).
Result<bool> Identify(Connection& connection) {
  Statement id(connection.db(), "PRAGMA application_id");
  if (id.Step() != SQLITE_ROW) {
    if ((sqlite3_extended_errcode(connection.db()) & 0xff) == SQLITE_NOTADB) {
      return connection.ContentError(
          "not an SQLite database, so not an advisory database; give the path of one built "
          "by `bulwark db import`");
    }
    // LIMITATION(#4): a database on storage Bulwark cannot write to (a
    // read-only mount, a directory of another user) cannot be opened: WAL
    // mode keeps its -shm and -wal files next to the database. The user sees
    // this `io` error and copies the file to writable storage.
    int rc = sqlite3_extended_errcode(connection.db()) & 0xff;
    if (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN) {
      return Error(ErrorCode::kIo, connection.Context() + sqlite3_errmsg(connection.db()) +
                                       "; its directory must be writable (SQLite keeps the "
                                       "-wal and -shm files there); copy it to writable storage");
    }
    return connection.DbError("reading the file header");
  }
  if (id.Int(0) == kApplicationId) return true;
  Statement objects(connection.db(), "SELECT count(*) FROM sqlite_schema");
  if (objects.Step() != SQLITE_ROW) return connection.DbError("reading the schema");
  if (id.Int(0) == 0 && objects.Int(0) == 0) return false;
  return connection.ContentError(
      "an SQLite file, but not a Bulwark advisory database (another program's, or the image "
      "store); give the path of one built by `bulwark db import`");
}

Result<std::unique_ptr<Connection>> Connect(const std::string& path, bool create) {
  std::error_code error;
  // SQLite says only "unable to open database file" of a directory.
  if (std::filesystem::is_directory(path, error)) {
    return Error(ErrorCode::kInvalidArgument,
                 "advisory database " + path +
                     ": is a directory; give the path of the database file (such as " +
                     (std::filesystem::path(path) / "advisories.db").string() + ")");
  }
  if (!create && !std::filesystem::exists(path, error)) {
    return Error(ErrorCode::kNotFound,
                 "advisory database " + path +
                     ": not found; build it with `bulwark db import SOURCE...` or "
                     "`bulwark db update`");
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (create && !parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) {
    return Error(ErrorCode::kIo, "advisory database " + path + ": creating " + parent.string() +
                                     ": " + error.message());
  }

  sqlite3* db = nullptr;
  // No mutex: each connection is used by one thread at a time (the objects
  // are thread-compatible), and locking cost a third of a match.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error(ErrorCode::kIo, "advisory database " + path + ": opening: " + message);
  }
  auto connection = std::make_unique<Connection>(db, path);
  Harden(db);

  BULWARK_ASSIGN_OR_RETURN(bool ours, Identify(*connection));
  if (!ours && !create) {
    return connection->ContentError(
        "an empty file, not an advisory database; build one with `bulwark db import`");
  }
  // Larger pages keep most `affected` rows, versions lists included, on one
  // page. Only takes effect before the first table exists.
  if (!ours) BULWARK_TRY(connection->Exec("PRAGMA page_size = 8192", "setting the page size"));
  BULWARK_TRY(EnableWal(*connection));
  BULWARK_TRY(connection->Exec("PRAGMA synchronous = NORMAL", "setting synchronous"));
  BULWARK_TRY(Migrate(*connection));
  return connection;
}

// Deletes every row of the sources `where` selects (a condition on source_id).
Status DeleteSources(Connection& connection, const std::string& where) {
  for (const char* table :
       {"affected", "advisories", "skipped_records", "source_distros", "sources"}) {
    std::string sql = std::string("DELETE FROM ") + table + " WHERE " + where;
    BULWARK_TRY(connection.Exec(sql.c_str(), std::string("removing old rows of ") + table));
  }
  return Ok();
}

// The listed versions of `row` that matching must still compare: those no
// range of the row covers. A version the ordering refuses is kept, so a
// match reports it as it would without this step. Rows that are never
// affected, or have no ranges, keep their list as it is.
std::vector<std::string> UncoveredVersions(const AffectedPackage& row) {
  if (row.ranges.empty() || row.versions.empty() || row.state == FixState::kNotAffected) {
    return row.state == FixState::kNotAffected ? std::vector<std::string>() : row.versions;
  }
  AffectedPackage ranges_only = row;
  ranges_only.versions.clear();
  std::vector<std::string> uncovered;
  for (const std::string& listed : row.versions) {
    Result<bool> covered = IsAffected(row.ecosystem, ranges_only, listed);
    if (!covered.ok() || !*covered) uncovered.push_back(listed);
  }
  return uncovered;
}

// Checks an advisory before it is written: the bounds reads will apply.
Status CheckAdvisory(const Advisory& advisory) {
  auto invalid = [&](const std::string& what) {
    return Error(ErrorCode::kInvalidArgument,
                 "advisory \"" + advisory.id.substr(0, kMaxIdBytes) + "\": " + what);
  };
  if (advisory.id.empty() || advisory.id.size() > kMaxIdBytes) {
    return invalid("an id must have 1 to " + std::to_string(kMaxIdBytes) + " bytes");
  }
  if (advisory.aliases.size() > kMaxListItems || advisory.references.size() > kMaxListItems) {
    return invalid("too many aliases or references");
  }
  if (advisory.summary.size() > kMaxTextBytes || advisory.cvss_vector.size() > kMaxTextBytes) {
    return invalid("summary or CVSS vector above " + std::to_string(kMaxTextBytes) + " bytes");
  }
  if (advisory.published.size() > kMaxIdBytes || advisory.modified.size() > kMaxIdBytes) {
    return invalid("a publication or modification time above " + std::to_string(kMaxIdBytes) +
                   " bytes");
  }
  if (advisory.cvss_score > 10) return invalid("a CVSS score above 10");
  for (const AffectedPackage& row : advisory.affected) {
    if (row.distro.empty() || row.package.empty()) {
      return invalid("an affected package without a distribution release or a name");
    }
    if (row.distro.size() > kMaxIdBytes || row.package.size() > kMaxTextBytes ||
        row.fixed_version.size() > kMaxTextBytes || row.versions.size() > kMaxListItems ||
        row.ranges.size() > kMaxListItems) {
      return invalid("affected package \"" + row.package.substr(0, kMaxIdBytes) +
                     "\" above the size limits");
    }
  }
  return Ok();
}

class SqliteAdvisoryImport : public AdvisoryImport {
 public:
  SqliteAdvisoryImport(std::unique_ptr<Connection> connection, bool fresh)
      : connection_(std::move(connection)), fresh_(fresh) {}
  ~SqliteAdvisoryImport() override {
    // Uncommitted: nothing of this import becomes visible.
    if (!committed_) (void)connection_->Exec("ROLLBACK", "rolling back the import");
  }

  Status Start();
  Status BeginSource(std::string_view name, FeedKind kind) override;
  Status Add(Advisory advisory) override;
  void Skip(SkippedRecord skipped) override;
  Result<ImportSummary> EndSource() override;
  Status Commit() override;

 private:
  // Checks that the import can go on: not committed, no earlier failure.
  Status Usable(bool needs_source) const;
  // Records `status` as the import's failure when it is one.
  Status Note(Status status) {
    if (!status.ok() && !failure_) failure_ = status.error();
    return status;
  }
  Status WriteAdvisory(const Advisory& advisory);

  std::unique_ptr<Connection> connection_;
  bool fresh_;
  bool committed_ = false;
  std::optional<Error> failure_;
  std::unique_ptr<Statement> insert_advisory_;
  std::unique_ptr<Statement> insert_affected_;
  std::unique_ptr<Statement> insert_skipped_;
  std::set<int64_t> imported_sources_;

  // The source being read.
  bool in_source_ = false;
  int64_t source_id_ = 0;
  ImportSummary summary_;
  std::map<std::string, int64_t> distro_rows_;
};

Status SqliteAdvisoryImport::Start() {
  sqlite3* db = connection_->db();
  // A larger page cache: an import touches every page of the lookup index.
  BULWARK_TRY(connection_->Exec("PRAGMA cache_size = -65536", "setting the cache size"));
  BULWARK_TRY(connection_->Exec("BEGIN IMMEDIATE", "starting the import (is another running?)"));
  insert_advisory_ = std::make_unique<Statement>(
      db,
      "INSERT INTO advisories (source_id, id, aliases, summary, published, modified, severity,"
      " cvss_score, cvss_vector, refs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert_affected_ = std::make_unique<Statement>(
      db,
      "INSERT INTO affected (distro, package, advisory_key, seq, source_id, ecosystem, state,"
      " ranges, match_versions, fixed_version, severity, versions)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert_skipped_ = std::make_unique<Statement>(
      db, "INSERT INTO skipped_records (source_id, seq, record, reason) VALUES (?, ?, ?, ?)");
  for (const auto* statement : {&insert_advisory_, &insert_affected_, &insert_skipped_}) {
    if (!(*statement)->prepared()) return connection_->DbError("preparing the import");
  }
  return Ok();
}

Status SqliteAdvisoryImport::Usable(bool needs_source) const {
  if (failure_) return failure_->Wrap("import stopped by an earlier error");
  if (committed_) {
    return Error(ErrorCode::kInternal, connection_->Context() + "import already committed");
  }
  if (needs_source && !in_source_) {
    return Error(ErrorCode::kInternal, connection_->Context() + "no source begun");
  }
  return Ok();
}

Status SqliteAdvisoryImport::BeginSource(std::string_view name, FeedKind kind) {
  BULWARK_TRY(Usable(false));
  if (in_source_) {
    return Note(Error(ErrorCode::kInternal,
                      connection_->Context() + "source " + summary_.source + " not ended"));
  }
  if (name.empty() || name.size() > kMaxTextBytes) {
    return Error(ErrorCode::kInvalidArgument, connection_->Context() +
                                                  "a source name must have 1 to " +
                                                  std::to_string(kMaxTextBytes) + " bytes");
  }

  // The records of an earlier source of the same name are replaced.
  Statement find(connection_->db(), "SELECT source_id FROM sources WHERE name = ?");
  find.Bind(1, name);
  int rc = find.Step();
  if (rc == SQLITE_ROW) {
    BULWARK_TRY(Note(DeleteSources(*connection_, "source_id = " + std::to_string(find.Int(0)))));
  } else if (rc != SQLITE_DONE) {
    return Note(connection_->DbError("looking up source"));
  }

  Statement add(connection_->db(),
                "INSERT INTO sources (name, kind, imported_at, records, skipped)"
                " VALUES (?, ?, ?, 0, 0)");
  add.Bind(1, name).Bind(2, FeedKindName(kind)).Bind(3, NowUtc());
  BULWARK_TRY(Note(connection_->Run(add, "adding source")));
  source_id_ = sqlite3_last_insert_rowid(connection_->db());
  imported_sources_.insert(source_id_);
  in_source_ = true;
  summary_ = ImportSummary{std::string(name), kind, 0, 0, {}};
  distro_rows_.clear();
  return Ok();
}

Status SqliteAdvisoryImport::Add(Advisory advisory) {
  BULWARK_TRY(Usable(true));
  Status checked = CheckAdvisory(advisory);
  if (!checked.ok()) return Note(checked.error().Wrap(connection_->Context() + summary_.source));
  BULWARK_TRY(Note(WriteAdvisory(advisory)));
  ++summary_.records;
  return Ok();
}

Status SqliteAdvisoryImport::WriteAdvisory(const Advisory& advisory) {
  std::string aliases = EncodeStringList(advisory.aliases);
  std::string references = EncodeStringList(advisory.references);
  if (aliases.size() > kMaxListJsonBytes || references.size() > kMaxListJsonBytes) {
    return Error(ErrorCode::kLimitExceeded,
                 "advisory " + advisory.id + ": aliases or references too large");
  }
  Statement& insert = *insert_advisory_;
  insert.Reset().BindInt(1, source_id_).Bind(2, advisory.id);
  insert.Bind(3, aliases).Bind(4, advisory.summary);
  insert.Bind(5, advisory.published).Bind(6, advisory.modified);
  insert.Bind(7, SeverityName(advisory.severity));
  if (advisory.cvss_score >= 0) insert.BindReal(8, advisory.cvss_score);
  insert.Bind(9, advisory.cvss_vector).Bind(10, references);
  BULWARK_TRY(connection_->Run(insert, "adding advisory " + advisory.id));
  int64_t advisory_key = sqlite3_last_insert_rowid(connection_->db());

  int64_t seq = 0;
  for (const AffectedPackage& row : advisory.affected) {
    std::string ranges = EncodeRanges(row.ranges);
    std::string versions = EncodeStringList(row.versions);
    std::string match_versions = EncodeStringList(UncoveredVersions(row));
    if (ranges.size() > kMaxRangesJsonBytes || versions.size() > kMaxListJsonBytes) {
      return Error(ErrorCode::kLimitExceeded, "advisory " + advisory.id + ": package " +
                                                  row.package + ": ranges or versions too large");
    }
    Statement& affected = *insert_affected_;
    affected.Reset().Bind(1, row.distro).Bind(2, row.package).BindInt(3, advisory_key);
    affected.BindInt(4, seq++).BindInt(5, source_id_);
    affected.Bind(6, version::EcosystemName(row.ecosystem)).Bind(7, FixStateName(row.state));
    affected.Bind(8, ranges).Bind(9, match_versions).Bind(10, row.fixed_version);
    affected.Bind(11, SeverityName(row.severity)).Bind(12, versions);
    BULWARK_TRY(connection_->Run(affected, "adding advisory " + advisory.id));
    ++distro_rows_[row.distro];
  }
  return Ok();
}

void SqliteAdvisoryImport::Skip(SkippedRecord skipped) {
  if (!Usable(true).ok()) return;  // The import already failed; Commit reports why.
  ++summary_.skipped;
  if (summary_.first_skipped.size() < kMaxSummarySkips) summary_.first_skipped.push_back(skipped);
  // LIMITATION(#4): past 10,000 skipped records in one source the rest are
  // counted but not stored, so `db status --skipped` lists only the first
  // 10,000 (the count is complete).
  if (summary_.skipped > kMaxStoredSkips) return;
  skipped.record.resize(std::min(skipped.record.size(), kMaxTextBytes));
  skipped.reason.resize(std::min(skipped.reason.size(), kMaxTextBytes));
  insert_skipped_->Reset().BindInt(1, source_id_).BindInt(2, summary_.skipped);
  insert_skipped_->Bind(3, skipped.record).Bind(4, skipped.reason);
  (void)Note(connection_->Run(*insert_skipped_, "recording a skipped record"));
}

Result<ImportSummary> SqliteAdvisoryImport::EndSource() {
  BULWARK_TRY(Usable(true));
  Statement counts(connection_->db(),
                   "UPDATE sources SET records = ?, skipped = ? WHERE source_id = ?");
  counts.BindInt(1, summary_.records).BindInt(2, summary_.skipped).BindInt(3, source_id_);
  BULWARK_TRY(Note(connection_->Run(counts, "recording source counts")));
  Statement distro(connection_->db(),
                   "INSERT INTO source_distros (source_id, distro, row_count) VALUES (?, ?, ?)");
  for (const auto& [key, rows] : distro_rows_) {
    distro.Reset().BindInt(1, source_id_).Bind(2, key).BindInt(3, rows);
    BULWARK_TRY(Note(connection_->Run(distro, "recording source distributions")));
  }
  in_source_ = false;
  return summary_;
}

Status SqliteAdvisoryImport::Commit() {
  BULWARK_TRY(Usable(false));
  if (in_source_) {
    return Note(Error(ErrorCode::kInternal,
                      connection_->Context() + "source " + summary_.source + " not ended"));
  }
  if (fresh_) {
    std::string kept;
    for (int64_t id : imported_sources_) kept += (kept.empty() ? "" : ",") + std::to_string(id);
    BULWARK_TRY(Note(DeleteSources(*connection_, "source_id NOT IN (" + kept + ")")));
  }
  Statement built(connection_->db(),
                  "INSERT OR REPLACE INTO database_info (key, value) VALUES ('built_at', ?)");
  built.Bind(1, NowUtc());
  BULWARK_TRY(Note(connection_->Run(built, "recording the build time")));
  BULWARK_TRY(Note(connection_->Exec("COMMIT", "committing the import")));
  committed_ = true;
  BULWARK_LOG(info, "vulndb", "advisory import committed", "path={} sources={} fresh={}",
              connection_->path(), imported_sources_.size(), fresh_);
  return Ok();
}

// Reads a database's rows for matching, in the read transaction Match opens.
class SqliteCandidates : public CandidateSource {
 public:
  SqliteCandidates(Connection& connection, std::string distro,
                   std::unordered_map<int64_t, std::string> source_names)
      : connection_(connection),
        distro_(std::move(distro)),
        source_names_(std::move(source_names)),
        rows_(connection.db(),
              "SELECT advisory_key, source_id, ecosystem, state, ranges, match_versions,"
              " fixed_version,"
              " severity FROM affected WHERE distro = ? AND package = ?"),
        advisory_(connection.db(),
                  "SELECT id, aliases, summary, published, modified, severity, cvss_score,"
                  " cvss_vector, refs FROM advisories WHERE advisory_key = ?") {}

  Result<CandidateIndex> Lookup(const std::vector<std::string>& names) override;
  Result<const Advisory*> LoadAdvisory(int64_t advisory_key) override;

 private:
  Result<Candidate> ReadRow(const std::string& name);
  Result<Advisory> ReadAdvisory(int64_t advisory_key);

  Connection& connection_;
  std::string distro_;
  std::unordered_map<int64_t, std::string> source_names_;
  Statement rows_;
  Statement advisory_;
  std::unordered_map<int64_t, std::unique_ptr<Advisory>> advisories_;
};

Result<CandidateIndex> SqliteCandidates::Lookup(const std::vector<std::string>& names) {
  if (!rows_.prepared()) return connection_.DbError("preparing the lookup");
  CandidateIndex index;
  // One indexed range scan per name: the rows of a name are adjacent in the
  // clustered `affected` table.
  for (const std::string& name : names) {
    rows_.Reset().Bind(1, distro_).Bind(2, name);
    std::vector<Candidate> found;
    int rc;
    while ((rc = rows_.Step()) == SQLITE_ROW) {
      if (static_cast<int64_t>(found.size()) >= kMaxRowsPerName) {
        return Error(ErrorCode::kLimitExceeded,
                     connection_.Context() + distro_ + " " + name + ": more than " +
                         std::to_string(kMaxRowsPerName) + " advisory rows for one package");
      }
      BULWARK_ASSIGN_OR_RETURN(Candidate candidate, ReadRow(name));
      found.push_back(std::move(candidate));
    }
    if (rc != SQLITE_DONE) return connection_.DbError("looking up " + name);
    if (!found.empty()) index.emplace(name, std::move(found));
  }
  return index;
}

Result<Candidate> SqliteCandidates::ReadRow(const std::string& name) {
  Candidate candidate;
  candidate.advisory_key = rows_.Int(0);
  AffectedPackage& row = candidate.affected;
  row.distro = distro_;
  row.package = name;
  RowReader reader(rows_);
  auto source = source_names_.find(rows_.Int(1));
  bool read = (source != source_names_.end() || reader.Fail("source", "not in the sources")) &&
              reader.EcosystemColumn(2, "ecosystem", row.ecosystem) &&
              reader.StateColumn(3, "state", row.state) && reader.Ranges(4, "ranges", row.ranges) &&
              reader.Strings(5, "versions", row.versions) &&
              reader.Text(6, kMaxTextBytes, "fixed version", row.fixed_version) &&
              reader.SeverityColumn(7, "severity", row.severity);
  if (!read) {
    return connection_.ContentError("advisory row " + std::to_string(candidate.advisory_key) +
                                    " (" + distro_ + " " + name + "): " + reader.problem());
  }
  candidate.source = source->second;  // The map outlives the candidates.
  return candidate;
}

Result<const Advisory*> SqliteCandidates::LoadAdvisory(int64_t advisory_key) {
  auto known = advisories_.find(advisory_key);
  if (known != advisories_.end()) return known->second.get();
  BULWARK_ASSIGN_OR_RETURN(Advisory advisory, ReadAdvisory(advisory_key));
  auto stored = advisories_.emplace(advisory_key, std::make_unique<Advisory>(std::move(advisory)));
  return stored.first->second.get();
}

Result<Advisory> SqliteCandidates::ReadAdvisory(int64_t advisory_key) {
  if (!advisory_.prepared()) return connection_.DbError("preparing the advisory read");
  advisory_.Reset().BindInt(1, advisory_key);
  int rc = advisory_.Step();
  auto what = [&] { return "advisory " + std::to_string(advisory_key); };
  if (rc == SQLITE_DONE) return connection_.ContentError(what() + ": missing");
  if (rc != SQLITE_ROW) return connection_.DbError("reading " + what());

  Advisory advisory;
  RowReader reader(advisory_);
  bool read = reader.Text(0, kMaxIdBytes, "id", advisory.id) &&
              reader.Strings(1, "aliases", advisory.aliases) &&
              reader.Text(2, kMaxTextBytes, "summary", advisory.summary) &&
              reader.Text(3, kMaxIdBytes, "published", advisory.published) &&
              reader.Text(4, kMaxIdBytes, "modified", advisory.modified) &&
              reader.SeverityColumn(5, "severity", advisory.severity) &&
              reader.Text(7, kMaxTextBytes, "CVSS vector", advisory.cvss_vector) &&
              reader.Strings(8, "references", advisory.references);
  if (read && !advisory_.IsNull(6)) {
    advisory.cvss_score = advisory_.Real(6);
    if (!(advisory.cvss_score >= 0 && advisory.cvss_score <= 10)) {
      read = reader.Fail("CVSS score", "out of range");
    }
  }
  if (!read) return connection_.ContentError(what() + ": " + reader.problem());
  return advisory;
}

class SqliteAdvisoryDatabase : public AdvisoryDatabase {
 public:
  explicit SqliteAdvisoryDatabase(std::unique_ptr<Connection> connection)
      : connection_(std::move(connection)) {}

  Result<std::unique_ptr<AdvisoryImport>> StartImport(bool fresh) override;
  Result<DatabaseStatus> GetStatus() override;
  Result<std::vector<SkippedRecord>> ListSkipped(std::string_view source, size_t limit) override;
  Result<MatchReport> Match(std::string_view distro,
                            const std::vector<catalog::Package>& packages) override;

 private:
  Result<std::vector<SourceStatus>> ReadSources(std::unordered_map<int64_t, std::string>* names);
  Result<MatchReport> MatchInSnapshot(std::string_view distro,
                                      const std::vector<catalog::Package>& packages);

  std::unique_ptr<Connection> connection_;
};

Result<std::unique_ptr<AdvisoryImport>> SqliteAdvisoryDatabase::StartImport(bool fresh) {
  // An import has a connection of its own, so this object keeps reading the
  // previous data (status, matches) until the import commits.
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                           Connect(connection_->path(), /*create=*/false));
  auto import = std::make_unique<SqliteAdvisoryImport>(std::move(connection), fresh);
  BULWARK_TRY(import->Start());
  return std::unique_ptr<AdvisoryImport>(std::move(import));
}

Result<std::vector<SourceStatus>> SqliteAdvisoryDatabase::ReadSources(
    std::unordered_map<int64_t, std::string>* names) {
  Connection& db = *connection_;
  Statement sources(db.db(),
                    "SELECT source_id, name, kind, imported_at, records, skipped FROM sources"
                    " ORDER BY name LIMIT ?");
  sources.BindInt(1, kMaxSources + 1);
  std::vector<SourceStatus> list;
  std::unordered_map<int64_t, size_t> position;
  int rc;
  while ((rc = sources.Step()) == SQLITE_ROW) {
    if (static_cast<int64_t>(list.size()) == kMaxSources) {
      return db.ContentError("more than " + std::to_string(kMaxSources) + " sources");
    }
    SourceStatus source;
    BULWARK_ASSIGN_OR_RETURN(source.name, db.Text(sources, 1, kMaxTextBytes, "source name"));
    BULWARK_ASSIGN_OR_RETURN(source.kind, db.Text(sources, 2, kMaxIdBytes, "source kind"));
    BULWARK_ASSIGN_OR_RETURN(source.imported_at,
                             db.Text(sources, 3, kMaxIdBytes, "source import time"));
    source.records = sources.Int(4);
    source.skipped = sources.Int(5);
    position[sources.Int(0)] = list.size();
    if (names != nullptr) (*names)[sources.Int(0)] = source.name;
    list.push_back(std::move(source));
  }
  if (rc != SQLITE_DONE) return db.DbError("listing sources");

  Statement distros(db.db(), "SELECT source_id, distro FROM source_distros ORDER BY distro");
  while ((rc = distros.Step()) == SQLITE_ROW) {
    auto source = position.find(distros.Int(0));
    if (source == position.end()) continue;  // Rows of a removed source are not shown.
    BULWARK_ASSIGN_OR_RETURN(std::string key, db.Text(distros, 1, kMaxIdBytes, "distribution key"));
    list[source->second].distros.push_back(std::move(key));
  }
  if (rc != SQLITE_DONE) return db.DbError("listing source distributions");
  return list;
}

Result<DatabaseStatus> SqliteAdvisoryDatabase::GetStatus() {
  DatabaseStatus status;
  status.path = connection_->path();
  BULWARK_ASSIGN_OR_RETURN(status.schema_version, ReadSchemaVersion(*connection_));

  Statement built(connection_->db(), "SELECT value FROM database_info WHERE key = 'built_at'");
  int rc = built.Step();
  if (rc == SQLITE_ROW) {
    BULWARK_ASSIGN_OR_RETURN(status.built_at,
                             connection_->Text(built, 0, kMaxIdBytes, "build time"));
  } else if (rc != SQLITE_DONE) {
    return connection_->DbError("reading the build time");
  }

  BULWARK_ASSIGN_OR_RETURN(status.sources, ReadSources(nullptr));
  std::set<std::string> distros;
  for (const SourceStatus& source : status.sources) {
    distros.insert(source.distros.begin(), source.distros.end());
  }
  status.distros.assign(distros.begin(), distros.end());
  return status;
}

Result<std::vector<SkippedRecord>> SqliteAdvisoryDatabase::ListSkipped(std::string_view source,
                                                                       size_t limit) {
  Connection& db = *connection_;
  Statement find(db.db(), "SELECT source_id FROM sources WHERE name = ?");
  find.Bind(1, source);
  int rc = find.Step();
  if (rc == SQLITE_DONE) {
    return Error(ErrorCode::kNotFound, db.Context() + "no source named " + std::string(source) +
                                           " (see `bulwark db status`)");
  }
  if (rc != SQLITE_ROW) return db.DbError("looking up source");

  Statement list(db.db(),
                 "SELECT record, reason FROM skipped_records WHERE source_id = ?"
                 " ORDER BY seq LIMIT ?");
  int64_t bounded = static_cast<int64_t>(std::min<size_t>(limit, kMaxStoredSkips));
  list.BindInt(1, find.Int(0)).BindInt(2, bounded);
  std::vector<SkippedRecord> skipped;
  while ((rc = list.Step()) == SQLITE_ROW) {
    SkippedRecord record;
    BULWARK_ASSIGN_OR_RETURN(record.record, db.Text(list, 0, kMaxTextBytes, "skipped record"));
    BULWARK_ASSIGN_OR_RETURN(record.reason, db.Text(list, 1, kMaxTextBytes, "skip reason"));
    skipped.push_back(std::move(record));
  }
  if (rc != SQLITE_DONE) return db.DbError("listing skipped records");
  return skipped;
}

Result<MatchReport> SqliteAdvisoryDatabase::Match(std::string_view distro,
                                                  const std::vector<catalog::Package>& packages) {
  // One read transaction: status and rows come from the same snapshot, even
  // when an import commits in between. In WAL mode it never waits.
  BULWARK_TRY(connection_->Exec("BEGIN", "starting the match"));
  Result<MatchReport> report = MatchInSnapshot(distro, packages);
  (void)connection_->Exec("COMMIT", "ending the match");  // Nothing was written.
  return report;
}

Result<MatchReport> SqliteAdvisoryDatabase::MatchInSnapshot(
    std::string_view distro, const std::vector<catalog::Package>& packages) {
  MatchReport report;
  BULWARK_ASSIGN_OR_RETURN(report.database, GetStatus());
  report.distro = std::string(distro);
  const std::vector<std::string>& known = report.database.distros;
  report.distro_has_data =
      !distro.empty() && std::binary_search(known.begin(), known.end(), report.distro);
  if (!report.distro_has_data) return report;

  std::unordered_map<int64_t, std::string> source_names;
  BULWARK_TRY(ReadSources(&source_names));
  SqliteCandidates candidates(*connection_, report.distro, std::move(source_names));
  BULWARK_ASSIGN_OR_RETURN(MatchReport matched, MatchPackages(packages, candidates));
  report.findings = std::move(matched.findings);
  report.unmatched = std::move(matched.unmatched);
  return report;
}

}  // namespace

Result<std::unique_ptr<AdvisoryDatabase>> OpenAdvisoryDatabase(const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connect(path, false));

  // A first import that failed leaves the file created but never built. Read
  // as a database, it would pass for one without data for any release, and
  // `db status` would show it as if it existed (#4).
  Statement built(connection->db(), "SELECT 1 FROM database_info WHERE key = 'built_at'");
  int rc = built.Step();
  if (rc == SQLITE_DONE) {
    return Error(ErrorCode::kNotFound,
                 "advisory database " + path +
                     ": no import into it has completed yet; build it with `bulwark db import "
                     "SOURCE...` or `bulwark db update`");
  }
  if (rc != SQLITE_ROW) return connection->DbError("reading the build time");
  return std::unique_ptr<AdvisoryDatabase>(
      std::make_unique<SqliteAdvisoryDatabase>(std::move(connection)));
}

Result<std::unique_ptr<AdvisoryDatabase>> CreateAdvisoryDatabase(const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, Connect(path, true));
  return std::unique_ptr<AdvisoryDatabase>(
      std::make_unique<SqliteAdvisoryDatabase>(std::move(connection)));
}

}  // namespace bulwark::vulndb
