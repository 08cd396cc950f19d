// The embedded store: one SQLite file under the data directory.
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "store/schema.h"
#include "store/store.h"

namespace bulwark::store {
namespace {

using internal::JoinChain;
using internal::NowUtc;
using internal::SplitChain;

// A prepared statement, finalised on destruction.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  Statement& Bind(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindBlob(int index, std::string_view bytes) {
    sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& BindInt(int index, int64_t value) {
    sqlite3_bind_int64(stmt_, index, value);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(stmt_); }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), size) : std::string();
  }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Blob(int column) const {
    const void* bytes = sqlite3_column_blob(stmt_, column);
    int size = sqlite3_column_bytes(stmt_, column);
    return bytes ? std::string(static_cast<const char*>(bytes), size) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

class SqliteStore : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  Status Migrate();
  Status EnableWal();

  Status RegisterImage(const StoredImage& image) override;
  Result<std::vector<lineage::RegisteredImage>> ListImages() override;
  Result<std::optional<StoredImage>> GetImage(const Digest& image_id) override;
  Result<bool> RemoveImage(const Digest& image_id) override;
  Result<std::optional<std::string>> GetLayer(const Digest& blob_digest,
                                              std::string_view version_key) override;
  Status PutLayer(const Digest& blob_digest, std::string_view version_key,
                  std::string_view value) override;
  Status PutPolicy(const StoredPolicy& policy) override;
  Result<std::vector<StoredPolicy>> ListPolicies() override;
  Result<bool> RemovePolicy(std::string_view name) override;

  Status PutUser(const User& user) override;
  Result<std::optional<User>> GetUser(std::string_view name) override;
  Result<std::vector<User>> ListUsers() override;
  Result<bool> RemoveUser(std::string_view name) override;
  Result<int64_t> AddToken(const ApiToken& token) override;
  Result<std::optional<ApiToken>> FindToken(const Digest& token_sha256) override;
  Result<std::vector<ApiToken>> ListTokens() override;
  Result<bool> RevokeToken(int64_t id) override;
  Status AppendAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> ListAudit(int limit) override;
  Result<int64_t> AddScan(const StoredScan& scan) override;
  Result<std::vector<StoredScan>> ListScans(const std::optional<Digest>& image_id,
                                            int limit) override;
  Result<std::optional<StoredScan>> GetScan(int64_t id) override;
  Status PutRegistry(const StoredRegistry& registry) override;
  Result<std::optional<StoredRegistry>> GetRegistry(std::string_view name) override;
  Result<std::vector<StoredRegistry>> ListRegistries() override;
  Result<bool> RemoveRegistry(std::string_view name) override;

 private:
  Result<std::vector<ApiToken>> QueryTokens(Statement& query);
  Result<std::vector<StoredScan>> QueryScans(Statement& query, bool with_report);
  Error DbError(std::string_view what) const {
    return Error(ErrorCode::kIo,
                 "store " + path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_));
  }
  Status Exec(const char* sql, std::string_view what) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string detail = message ? message : "unknown error";
      sqlite3_free(message);
      return Error(ErrorCode::kIo, "store " + path_ + ": " + std::string(what) + ": " + detail);
    }
    return Ok();
  }
  // Runs a statement that returns no rows.
  Status Run(Statement& statement, std::string_view what) {
    if (!statement.prepared() || statement.Step() != SQLITE_DONE) return DbError(what);
    return Ok();
  }
  Result<std::map<std::string, std::vector<std::string>>> LoadColumnByImage(const char* sql);

  sqlite3* db_;
  std::string path_;
};

Status SqliteStore::Migrate() {
  // Wait for other processes (parallel CI jobs on one store) instead of failing.
  sqlite3_busy_timeout(db_, 30000);
  BULWARK_TRY(EnableWal());
  BULWARK_TRY(Exec("PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;", "setting pragmas"));
  int latest = static_cast<int>(internal::MigrationCount());
  while (true) {
    // The version is read inside the write transaction, so two processes
    // opening a new store never apply the same migration twice.
    BULWARK_TRY(Exec("BEGIN IMMEDIATE", "starting migration"));
    auto step = [&]() -> Result<bool> {
      BULWARK_TRY(Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)",
                       "creating schema_version"));
      Statement read(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (!read.prepared() || read.Step() != SQLITE_ROW) return DbError("reading schema version");
      int current = std::atoi(read.Text(0).c_str());
      if (current > latest) {
        return Error(ErrorCode::kUnsupported, "store " + path_ + ": schema version " +
                                                  std::to_string(current) +
                                                  " is newer than this bulwark understands (" +
                                                  std::to_string(latest) + "); upgrade bulwark");
      }
      if (current == latest) return false;
      std::string sql = internal::MigrationSql(current, internal::Dialect::kSqlite) +
                        "; INSERT INTO schema_version VALUES (" + std::to_string(current + 1) + ")";
      BULWARK_TRY(Exec(sql.c_str(), "migrating to schema " + std::to_string(current + 1)));
      return true;
    };
    auto applied = step();
    if (!applied.ok()) {
      (void)Exec("ROLLBACK", "rolling back");  // The migration error is what matters.
      return applied.error();
    }
    BULWARK_TRY(Exec("COMMIT", "committing migration"));
    if (!*applied) return Ok();
  }
}

Status SqliteStore::EnableWal() {
  // Switching a new database to WAL needs an exclusive lock, and SQLite
  // answers SQLITE_BUSY at once, without the busy handler, when another
  // connection holds a shared lock while it waits for the same switch. So
  // the switch is retried here, within the same 30 s as the busy timeout.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return Ok();
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || std::chrono::steady_clock::now() > deadline) {
      return DbError("setting journal mode");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Status SqliteStore::RegisterImage(const StoredImage& stored) {
  const lineage::RegisteredImage& image = stored.image;
  BULWARK_TRY(Exec("BEGIN IMMEDIATE", "starting registration"));
  auto body = [&]() -> Status {
    Statement upsert(db_,
                     "INSERT INTO images (image_id, chain, source, config_json, inventory_json,"
                     " registered_at) VALUES (?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT(image_id) DO UPDATE SET source = excluded.source,"
                     " inventory_json = excluded.inventory_json");
    upsert.Bind(1, image.image_id.str()).Bind(2, JoinChain(image.chain)).Bind(3, stored.source);
    upsert.Bind(4, stored.config_json).Bind(5, stored.inventory_json);
    upsert.Bind(6, image.registered_at.empty() ? NowUtc() : image.registered_at);
    BULWARK_TRY(Run(upsert, "saving image"));
    for (const std::string& name : image.names) {
      Statement add(db_, "INSERT OR IGNORE INTO image_names (name, image_id) VALUES (?, ?)");
      add.Bind(1, name).Bind(2, image.image_id.str());
      BULWARK_TRY(Run(add, "saving image name"));
    }
    for (const Digest& manifest : image.manifest_digests) {
      Statement add(db_,
                    "INSERT OR IGNORE INTO image_manifests (manifest_digest, image_id)"
                    " VALUES (?, ?)");
      add.Bind(1, manifest.str()).Bind(2, image.image_id.str());
      BULWARK_TRY(Run(add, "saving manifest digest"));
    }
    return Ok();
  };
  Status done = body();
  if (!done.ok()) {
    (void)Exec("ROLLBACK", "rolling back");  // Report the original failure.
    return done;
  }
  return Exec("COMMIT", "committing registration");
}

Result<std::map<std::string, std::vector<std::string>>> SqliteStore::LoadColumnByImage(
    const char* sql) {
  std::map<std::string, std::vector<std::string>> by_image;
  Statement query(db_, sql);
  if (!query.prepared()) return DbError("listing image details");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) by_image[query.Text(0)].push_back(query.Text(1));
  if (rc != SQLITE_DONE) return DbError("listing image details");
  return by_image;
}

Result<std::vector<lineage::RegisteredImage>> SqliteStore::ListImages() {
  BULWARK_ASSIGN_OR_RETURN(
      auto names, LoadColumnByImage("SELECT image_id, name FROM image_names ORDER BY name"));
  BULWARK_ASSIGN_OR_RETURN(
      auto manifests,
      LoadColumnByImage("SELECT image_id, manifest_digest FROM image_manifests ORDER BY 2"));

  std::vector<lineage::RegisteredImage> images;
  Statement query(db_, "SELECT image_id, chain, registered_at FROM images ORDER BY image_id");
  if (!query.prepared()) return DbError("listing images");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) {
    lineage::RegisteredImage image;
    BULWARK_ASSIGN_OR_RETURN(image.image_id, Digest::Parse(query.Text(0)));
    BULWARK_ASSIGN_OR_RETURN(image.chain, SplitChain(query.Text(1)));
    image.registered_at = query.Text(2);
    image.names = names[query.Text(0)];
    for (const std::string& text : manifests[query.Text(0)]) {
      BULWARK_ASSIGN_OR_RETURN(Digest digest, Digest::Parse(text));
      image.manifest_digests.push_back(digest);
    }
    images.push_back(std::move(image));
  }
  if (rc != SQLITE_DONE) return DbError("listing images");
  return images;
}

Result<std::optional<StoredImage>> SqliteStore::GetImage(const Digest& image_id) {
  BULWARK_ASSIGN_OR_RETURN(auto images, ListImages());
  for (lineage::RegisteredImage& image : images) {
    if (image.image_id != image_id) continue;
    Statement query(db_,
                    "SELECT source, config_json, inventory_json FROM images WHERE image_id = ?");
    query.Bind(1, image_id.str());
    if (!query.prepared() || query.Step() != SQLITE_ROW) return DbError("reading image");
    StoredImage stored;
    stored.image = std::move(image);
    stored.source = query.Text(0);
    stored.config_json = query.Text(1);
    stored.inventory_json = query.Text(2);
    return std::optional<StoredImage>(std::move(stored));
  }
  return std::optional<StoredImage>();
}

Result<bool> SqliteStore::RemoveImage(const Digest& image_id) {
  Statement remove(db_, "DELETE FROM images WHERE image_id = ?");
  remove.Bind(1, image_id.str());
  BULWARK_TRY(Run(remove, "removing image"));
  return sqlite3_changes(db_) > 0;
}

Result<std::optional<std::string>> SqliteStore::GetLayer(const Digest& blob_digest,
                                                         std::string_view version_key) {
  Statement query(db_, "SELECT value FROM layer_cache WHERE blob_digest = ? AND version_key = ?");
  query.Bind(1, blob_digest.str()).Bind(2, version_key);
  if (!query.prepared()) return DbError("reading layer cache");
  int rc = query.Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return DbError("reading layer cache");
  return std::optional<std::string>(query.Blob(0));
}

Status SqliteStore::PutLayer(const Digest& blob_digest, std::string_view version_key,
                             std::string_view value) {
  Statement put(db_,
                "INSERT OR REPLACE INTO layer_cache (blob_digest, version_key, value, created_at)"
                " VALUES (?, ?, ?, ?)");
  put.Bind(1, blob_digest.str()).Bind(2, version_key).BindBlob(3, value).Bind(4, NowUtc());
  return Run(put, "writing layer cache");
}

Status SqliteStore::PutPolicy(const StoredPolicy& policy) {
  Statement put(db_,
                "INSERT OR REPLACE INTO policies (name, document, document_sha256, updated_at)"
                " VALUES (?, ?, ?, ?)");
  put.Bind(1, policy.name).Bind(2, policy.document).Bind(3, policy.document_sha256.str());
  put.Bind(4, policy.updated_at.empty() ? NowUtc() : policy.updated_at);
  return Run(put, "saving policy");
}

Result<std::vector<StoredPolicy>> SqliteStore::ListPolicies() {
  std::vector<StoredPolicy> policies;
  Statement query(db_,
                  "SELECT name, document, document_sha256, updated_at FROM policies ORDER BY name");
  if (!query.prepared()) return DbError("listing policies");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) {
    StoredPolicy policy;
    policy.name = query.Text(0);
    policy.document = query.Text(1);
    BULWARK_ASSIGN_OR_RETURN(policy.document_sha256, Digest::Parse(query.Text(2)));
    policy.updated_at = query.Text(3);
    policies.push_back(std::move(policy));
  }
  if (rc != SQLITE_DONE) return DbError("listing policies");
  return policies;
}

Result<bool> SqliteStore::RemovePolicy(std::string_view name) {
  Statement remove(db_, "DELETE FROM policies WHERE name = ?");
  remove.Bind(1, name);
  BULWARK_TRY(Run(remove, "removing policy"));
  return sqlite3_changes(db_) > 0;
}

Status SqliteStore::PutUser(const User& user) {
  Statement put(db_,
                "INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET role = excluded.role,"
                " password_hash = excluded.password_hash");
  put.Bind(1, user.name).Bind(2, user.role).Bind(3, user.password_hash);
  put.Bind(4, user.created_at.empty() ? NowUtc() : user.created_at);
  return Run(put, "saving user");
}

Result<std::optional<User>> SqliteStore::GetUser(std::string_view name) {
  Statement query(db_, "SELECT name, role, password_hash, created_at FROM users WHERE name = ?");
  query.Bind(1, name);
  if (!query.prepared()) return DbError("reading user");
  int rc = query.Step();
  if (rc == SQLITE_DONE) return std::optional<User>();
  if (rc != SQLITE_ROW) return DbError("reading user");
  return std::optional<User>(User{query.Text(0), query.Text(1), query.Text(2), query.Text(3)});
}

Result<std::vector<User>> SqliteStore::ListUsers() {
  std::vector<User> users;
  Statement query(db_, "SELECT name, role, password_hash, created_at FROM users ORDER BY name");
  if (!query.prepared()) return DbError("listing users");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) {
    users.push_back(User{query.Text(0), query.Text(1), query.Text(2), query.Text(3)});
  }
  if (rc != SQLITE_DONE) return DbError("listing users");
  return users;
}

Result<bool> SqliteStore::RemoveUser(std::string_view name) {
  BULWARK_TRY(Exec("BEGIN IMMEDIATE", "starting user removal"));
  auto body = [&]() -> Result<bool> {
    Statement revoke(db_,
                     "UPDATE api_tokens SET revoked_at = ?"
                     " WHERE user_name = ? AND revoked_at = ''");
    revoke.Bind(1, NowUtc()).Bind(2, name);
    BULWARK_TRY(Run(revoke, "revoking the user's tokens"));
    Statement remove(db_, "DELETE FROM users WHERE name = ?");
    remove.Bind(1, name);
    BULWARK_TRY(Run(remove, "removing user"));
    return sqlite3_changes(db_) > 0;
  };
  auto removed = body();
  if (!removed.ok()) {
    (void)Exec("ROLLBACK", "rolling back");  // Report the original failure.
    return removed;
  }
  BULWARK_TRY(Exec("COMMIT", "committing user removal"));
  return removed;
}

Result<int64_t> SqliteStore::AddToken(const ApiToken& token) {
  // One statement checks the account and adds the token, so a concurrent
  // RemoveUser cannot leave a valid token for an account that is gone.
  Statement add(db_,
                "INSERT INTO api_tokens (name, user_name, token_sha256, created_at)"
                " SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM users WHERE name = ?2)");
  add.Bind(1, token.name).Bind(2, token.user).Bind(3, token.token_sha256.str());
  add.Bind(4, token.created_at.empty() ? NowUtc() : token.created_at);
  BULWARK_TRY(Run(add, "saving token"));
  if (sqlite3_changes(db_) == 0) return internal::NoSuchUser(token.user);
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<ApiToken>> SqliteStore::QueryTokens(Statement& query) {
  std::vector<ApiToken> tokens;
  if (!query.prepared()) return DbError("reading tokens");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) {
    ApiToken token;
    token.id = query.Int(0);
    token.name = query.Text(1);
    token.user = query.Text(2);
    BULWARK_ASSIGN_OR_RETURN(token.token_sha256, Digest::Parse(query.Text(3)));
    token.created_at = query.Text(4);
    token.revoked_at = query.Text(5);
    tokens.push_back(std::move(token));
  }
  if (rc != SQLITE_DONE) return DbError("reading tokens");
  return tokens;
}

Result<std::optional<ApiToken>> SqliteStore::FindToken(const Digest& token_sha256) {
  Statement query(db_,
                  "SELECT id, name, user_name, token_sha256, created_at, revoked_at"
                  " FROM api_tokens WHERE token_sha256 = ?");
  query.Bind(1, token_sha256.str());
  BULWARK_ASSIGN_OR_RETURN(auto tokens, QueryTokens(query));
  if (tokens.empty()) return std::optional<ApiToken>();
  return std::optional<ApiToken>(std::move(tokens.front()));
}

Result<std::vector<ApiToken>> SqliteStore::ListTokens() {
  Statement query(db_,
                  "SELECT id, name, user_name, token_sha256, created_at, revoked_at"
                  " FROM api_tokens ORDER BY id");
  return QueryTokens(query);
}

Result<bool> SqliteStore::RevokeToken(int64_t id) {
  Statement revoke(db_, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = ''");
  revoke.Bind(1, NowUtc()).BindInt(2, id);
  BULWARK_TRY(Run(revoke, "revoking token"));
  return sqlite3_changes(db_) > 0;
}

Status SqliteStore::AppendAudit(const AuditEntry& entry) {
  Statement add(db_,
                "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)");
  add.Bind(1, entry.at.empty() ? NowUtc() : entry.at).Bind(2, entry.actor);
  add.Bind(3, entry.action).Bind(4, entry.target).Bind(5, entry.detail);
  return Run(add, "writing audit log");
}

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(int limit) {
  std::vector<AuditEntry> entries;
  Statement query(db_,
                  "SELECT id, at, actor, action, target, detail FROM audit_log"
                  " ORDER BY id DESC LIMIT ?");
  query.BindInt(1, limit);
  if (!query.prepared()) return DbError("reading audit log");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) {
    entries.push_back(AuditEntry{query.Int(0), query.Text(1), query.Text(2), query.Text(3),
                                 query.Text(4), query.Text(5)});
  }
  if (rc != SQLITE_DONE) return DbError("reading audit log");
  return entries;
}

Result<int64_t> SqliteStore::AddScan(const StoredScan& scan) {
  Statement add(db_,
                "INSERT INTO scans (image_id, source, submitted_by, scanned_at, exit_code,"
                " compliant, request_id, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  add.Bind(1, scan.image_id.str()).Bind(2, scan.source).Bind(3, scan.submitted_by);
  add.Bind(4, scan.scanned_at.empty() ? NowUtc() : scan.scanned_at).BindInt(5, scan.exit_code);
  add.BindInt(6, scan.compliant ? 1 : 0).Bind(7, scan.request_id).Bind(8, scan.report_json);
  BULWARK_TRY(Run(add, "saving scan"));
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Result<std::vector<StoredScan>> SqliteStore::QueryScans(Statement& query, bool with_report) {
  std::vector<StoredScan> scans;
  if (!query.prepared()) return DbError("reading scans");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) {
    StoredScan scan;
    scan.id = query.Int(0);
    BULWARK_ASSIGN_OR_RETURN(scan.image_id, Digest::Parse(query.Text(1)));
    scan.source = query.Text(2);
    scan.submitted_by = query.Text(3);
    scan.scanned_at = query.Text(4);
    scan.exit_code = static_cast<int>(query.Int(5));
    scan.compliant = query.Int(6) != 0;
    scan.request_id = query.Text(7);
    if (with_report) scan.report_json = query.Text(8);
    scans.push_back(std::move(scan));
  }
  if (rc != SQLITE_DONE) return DbError("reading scans");
  return scans;
}

Result<std::vector<StoredScan>> SqliteStore::ListScans(const std::optional<Digest>& image_id,
                                                       int limit) {
  // The report column is left out of the list: each is tens of kilobytes.
  Statement query(db_,
                  "SELECT id, image_id, source, submitted_by, scanned_at, exit_code, compliant,"
                  " request_id, '' FROM scans WHERE (?1 = '' OR image_id = ?1)"
                  " ORDER BY id DESC LIMIT ?2");
  query.Bind(1, image_id ? image_id->str() : std::string()).BindInt(2, limit);
  return QueryScans(query, false);
}

Result<std::optional<StoredScan>> SqliteStore::GetScan(int64_t id) {
  Statement query(db_,
                  "SELECT id, image_id, source, submitted_by, scanned_at, exit_code, compliant,"
                  " request_id, report_json FROM scans WHERE id = ?");
  query.BindInt(1, id);
  BULWARK_ASSIGN_OR_RETURN(auto scans, QueryScans(query, true));
  if (scans.empty()) return std::optional<StoredScan>();
  return std::optional<StoredScan>(std::move(scans.front()));
}

constexpr char kRegistryColumns[] =
    "SELECT name, host, username, sealed_secret, ca_pem, insecure, created_at, updated_at"
    " FROM registries";

StoredRegistry RegistryRow(const Statement& query) {
  return StoredRegistry{query.Text(0), query.Text(1),     query.Text(2), query.Text(3),
                        query.Text(4), query.Int(5) != 0, query.Text(6), query.Text(7)};
}

Status SqliteStore::PutRegistry(const StoredRegistry& registry) {
  Statement put(db_,
                "INSERT INTO registries (name, host, username, sealed_secret, ca_pem, insecure,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET host = excluded.host,"
                " username = excluded.username, sealed_secret = excluded.sealed_secret,"
                " ca_pem = excluded.ca_pem, insecure = excluded.insecure,"
                " updated_at = excluded.updated_at");
  std::string now = NowUtc();
  put.Bind(1, registry.name).Bind(2, registry.host).Bind(3, registry.username);
  put.Bind(4, registry.sealed_secret).Bind(5, registry.ca_pem).BindInt(6, registry.insecure);
  put.Bind(7, registry.created_at.empty() ? now : registry.created_at).Bind(8, now);
  return Run(put, "saving registry");
}

Result<std::optional<StoredRegistry>> SqliteStore::GetRegistry(std::string_view name) {
  Statement query(db_, (std::string(kRegistryColumns) + " WHERE name = ?").c_str());
  query.Bind(1, name);
  if (!query.prepared()) return DbError("reading registry");
  int rc = query.Step();
  if (rc == SQLITE_DONE) return std::optional<StoredRegistry>();
  if (rc != SQLITE_ROW) return DbError("reading registry");
  return std::optional<StoredRegistry>(RegistryRow(query));
}

Result<std::vector<StoredRegistry>> SqliteStore::ListRegistries() {
  std::vector<StoredRegistry> registries;
  Statement query(db_, (std::string(kRegistryColumns) + " ORDER BY name").c_str());
  if (!query.prepared()) return DbError("listing registries");
  int rc;
  while ((rc = query.Step()) == SQLITE_ROW) registries.push_back(RegistryRow(query));
  if (rc != SQLITE_DONE) return DbError("listing registries");
  return registries;
}

Result<bool> SqliteStore::RemoveRegistry(std::string_view name) {
  Statement remove(db_, "DELETE FROM registries WHERE name = ?");
  remove.Bind(1, name);
  BULWARK_TRY(Run(remove, "removing registry"));
  return sqlite3_changes(db_) > 0;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  std::error_code error;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) {
    return Error(ErrorCode::kIo,
                 "store " + path + ": creating " + parent.string() + ": " + error.message());
  }
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error(ErrorCode::kIo, "store " + path + ": " + message);
  }
  auto store = std::make_unique<SqliteStore>(db, path);
  BULWARK_TRY(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

std::string DefaultDataDir() {
  if (const char* dir = std::getenv("BULWARK_DATA_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/bulwark";
  }
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.local/share/bulwark";
}

}  // namespace bulwark::store
