// The shared store: a PostgreSQL database that several server replicas use at
// once (issue #5). It speaks libpq directly: the C client needs no exception
// adapter, is the same on every distribution, and its conninfo parser checks
// the URL before anything connects.
//
// Consistency between replicas rests on the database alone: ids come from
// identity columns, merges are INSERT ... ON CONFLICT, conditional changes are
// single UPDATE/INSERT statements whose row counts say what happened, and the
// few multi-statement changes run in one transaction.
#include <libpq-fe.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dynload/dynload.h"
#include "store/schema.h"
#include "store/store.h"

namespace bulwark::store {
namespace {

using internal::JoinChain;
using internal::NowUtc;
using internal::SplitChain;

// Any fixed 64-bit number, the same in every Bulwark: the key of the advisory
// lock that serialises migrations between processes.
constexpr int64_t kMigrationLockKey = 0x42756c7761726bLL;  // "Bulwark"

// Seconds to wait for the server when the URL sets no connect_timeout.
constexpr char kConnectTimeoutSeconds[] = "10";

// A query parameter: text, or bytes sent in binary form (for BYTEA).
struct Param {
  Param(std::string_view text) : value(text) {}
  Param(const std::string& text) : value(text) {}
  Param(const char* text) : value(text) {}
  Param(int64_t number) : value(std::to_string(number)) {}
  static Param Bytes(std::string_view bytes) {
    Param param(bytes);
    param.binary = true;
    return param;
  }
  std::string value;
  bool binary = false;
};

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// A query's rows, as text (or bytes, for a query asking for binary results).
class Rows {
 public:
  explicit Rows(ResultPtr result) : result_(std::move(result)) {}
  int size() const { return PQntuples(result_.get()); }
  std::string Text(int row, int column) const {
    return std::string(PQgetvalue(result_.get(), row, column),
                       PQgetlength(result_.get(), row, column));
  }
  int64_t Int(int row, int column) const {
    return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
  }
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t changed() const { return std::strtoll(PQcmdTuples(result_.get()), nullptr, 10); }

 private:
  ResultPtr result_;
};

// What a URL names, for messages: never its password.
struct ConnectionOptions {
  std::string user, host, port, dbname;
};

// libpq's messages span lines ("...failed: Connection refused\n\tIs the
// server running..."); an error message is one line, its former lines
// separated by "; " so that they do not run into each other.
std::string OneLine(std::string_view text) {
  std::string line;
  enum class Gap { kNone, kSpace, kLineBreak } gap = Gap::kNone;
  for (char c : text) {
    if (c == '\n') {
      if (!line.empty()) gap = Gap::kLineBreak;
      continue;
    }
    if (c == '\t' || c == ' ') {
      if (!line.empty() && gap == Gap::kNone) gap = Gap::kSpace;
      continue;
    }
    if (gap == Gap::kLineBreak) {
      char last = line.back();
      line += (last == '.' || last == ';' || last == ':') ? " " : "; ";
    } else if (gap == Gap::kSpace) {
      line += ' ';
    }
    gap = Gap::kNone;
    line += c;
  }
  return line;
}

// "postgresql://USER@HOST:PORT/DATABASE" with whatever the URL gave.
std::string DisplayUrl(const ConnectionOptions& options) {
  std::string text = "postgresql://";
  if (!options.user.empty()) text += options.user + "@";
  text += options.host.empty() ? "(local socket)" : options.host;
  if (!options.port.empty()) text += ":" + options.port;
  return text + "/" + options.dbname;
}

// Parses `url` with libpq's own reader, so that what is checked here is what
// PQconnectdb will use.
Result<ConnectionOptions> ParseUrl(const std::string& url) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &message);
  if (options == nullptr) {
    std::string reason = message ? message : "out of memory";
    PQfreemem(message);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    // libpq may quote the part it could not read; the password must not show.
    size_t at = url.rfind('@');
    size_t colon = url.find(':', url.find("://") + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      std::string password = url.substr(colon + 1, at - colon - 1);
      for (size_t found; !password.empty() && (found = reason.find(password)) != reason.npos;) {
        reason.replace(found, password.size(), "***");
      }
    }
    return Error(
        ErrorCode::kInvalidArgument,
        "database URL: " + reason + "; use postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE");
  }
  ConnectionOptions parsed;
  std::map<std::string, std::string*> wanted = {{"user", &parsed.user},
                                                {"host", &parsed.host},
                                                {"hostaddr", &parsed.host},
                                                {"port", &parsed.port},
                                                {"dbname", &parsed.dbname}};
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    auto field = wanted.find(option->keyword);
    if (field != wanted.end() && option->val != nullptr && *option->val != '\0') {
      *field->second = option->val;
    }
  }
  PQconninfoFree(options);

  // libpq reads the port only when it connects; a typo there is a usage
  // error, found before any connection is tried.
  if (parsed.port.find_first_not_of("0123456789,") != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "database URL " + DisplayUrl(parsed) + ": the port is not a number");
  }
  return parsed;
}

class PostgresStore : public Store {
 public:
  PostgresStore(PGconn* connection, std::string where)
      : db_(connection), where_(std::move(where)) {}
  ~PostgresStore() override { PQfinish(db_); }

  Status Migrate();

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
  Error DbError(std::string_view what, std::string_view detail) const {
    return Error(ErrorCode::kIo,
                 "store " + where_ + ": " + std::string(what) + ": " + OneLine(detail));
  }
  Result<Rows> Query(std::string_view what, const char* sql, const std::vector<Param>& params = {},
                     bool binary_results = false);
  // Runs `body` in one transaction: committed when it succeeds, rolled back
  // (and its error returned) when it fails.
  template <typename T>
  Result<T> InTransaction(std::string_view what, const std::function<Result<T>()>& body);
  Result<std::vector<ApiToken>> TokensFrom(const Rows& rows);
  Result<std::vector<StoredScan>> ScansFrom(const Rows& rows, bool with_report);

  PGconn* db_;
  std::string where_;
};

Result<Rows> PostgresStore::Query(std::string_view what, const char* sql,
                                  const std::vector<Param>& params, bool binary_results) {
  // A connection lost between requests (a database restart, a failover) is
  // made again once; one lost inside a transaction is not, so the
  // transaction fails as a whole.
  if (PQstatus(db_) == CONNECTION_BAD) {
    PQreset(db_);
    if (PQstatus(db_) == CONNECTION_BAD) return DbError("reconnecting", PQerrorMessage(db_));
  }
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const Param& param : params) {
    values.push_back(param.value.data());
    lengths.push_back(static_cast<int>(param.value.size()));
    formats.push_back(param.binary ? 1 : 0);
  }
  // Without parameters, the simple protocol: it takes several statements at
  // once, as a migration is written.
  ResultPtr result(params.empty() && !binary_results
                       ? PQexec(db_, sql)
                       : PQexecParams(db_, sql, static_cast<int>(params.size()), nullptr,
                                      values.data(), lengths.data(), formats.data(),
                                      binary_results ? 1 : 0));
  if (result == nullptr) return DbError(what, PQerrorMessage(db_));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return DbError(what, PQresultErrorMessage(result.get()));
  }
  return Rows(std::move(result));
}

template <typename T>
Result<T> PostgresStore::InTransaction(std::string_view what,
                                       const std::function<Result<T>()>& body) {
  BULWARK_TRY(Query(what, "BEGIN"));
  Result<T> done = body();
  if (!done.ok()) {
    (void)Query("rolling back", "ROLLBACK");  // The body's error is the one to report.
    return done;
  }
  BULWARK_TRY(Query(what, "COMMIT"));
  return done;
}

Status PostgresStore::Migrate() {
  int latest = static_cast<int>(internal::MigrationCount());
  auto migrated = InTransaction<bool>("migrating", [&]() -> Result<bool> {
    // Held until the transaction ends: a second replica starting now waits
    // here, then finds the schema current. DDL is transactional in
    // PostgreSQL, so a failed migration leaves nothing half done.
    BULWARK_TRY(Query("waiting for the migration lock", "SELECT pg_advisory_xact_lock($1)",
                      {kMigrationLockKey}));
    BULWARK_TRY(Query("creating schema_version",
                      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
    BULWARK_ASSIGN_OR_RETURN(
        Rows read,
        Query("reading schema version", "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    int current = static_cast<int>(read.Int(0, 0));
    if (current > latest) {
      return Error(ErrorCode::kUnsupported, "store " + where_ + ": schema version " +
                                                std::to_string(current) +
                                                " is newer than this bulwark understands (" +
                                                std::to_string(latest) + "); upgrade bulwark");
    }
    for (int version = current + 1; version <= latest; ++version) {
      std::string what = "migrating to schema " + std::to_string(version);
      std::string sql = internal::MigrationSql(version - 1, internal::Dialect::kPostgres);
      BULWARK_TRY(Query(what, sql.c_str()));
      BULWARK_TRY(Query(what, "INSERT INTO schema_version VALUES ($1)", {int64_t{version}}));
    }
    return true;
  });
  if (!migrated.ok()) return std::move(migrated).error();
  return Ok();
}

Status PostgresStore::RegisterImage(const StoredImage& stored) {
  const lineage::RegisteredImage& image = stored.image;
  std::string id = image.image_id.str();
  // Two replicas registering the same image at once both succeed: the image
  // row is upserted and every name and manifest is added unless present.
  auto registered = InTransaction<bool>("registering image", [&]() -> Result<bool> {
    BULWARK_TRY(
        Query("saving image",
              "INSERT INTO images (image_id, chain, source, config_json, inventory_json,"
              " registered_at) VALUES ($1, $2, $3, $4, $5, $6)"
              " ON CONFLICT (image_id) DO UPDATE SET source = excluded.source,"
              " inventory_json = excluded.inventory_json",
              {id, JoinChain(image.chain), stored.source, stored.config_json, stored.inventory_json,
               image.registered_at.empty() ? NowUtc() : image.registered_at}));
    for (const std::string& name : image.names) {
      BULWARK_TRY(Query("saving image name",
                        "INSERT INTO image_names (name, image_id) VALUES ($1, $2)"
                        " ON CONFLICT DO NOTHING",
                        {name, id}));
    }
    for (const Digest& manifest : image.manifest_digests) {
      BULWARK_TRY(Query("saving manifest digest",
                        "INSERT INTO image_manifests (manifest_digest, image_id) VALUES ($1, $2)"
                        " ON CONFLICT DO NOTHING",
                        {manifest.str(), id}));
    }
    return true;
  });
  if (!registered.ok()) return std::move(registered).error();
  return Ok();
}

Result<std::vector<lineage::RegisteredImage>> PostgresStore::ListImages() {
  // One snapshot for the three reads, so an image registered meanwhile is
  // either listed whole or not at all.
  using Images = std::vector<lineage::RegisteredImage>;
  return InTransaction<Images>("listing images", [&]() -> Result<Images> {
    BULWARK_TRY(Query("listing images", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
    BULWARK_ASSIGN_OR_RETURN(
        Rows names, Query("listing image names",
                          "SELECT image_id, name FROM image_names ORDER BY name COLLATE \"C\""));
    BULWARK_ASSIGN_OR_RETURN(Rows manifests,
                             Query("listing manifest digests",
                                   "SELECT image_id, manifest_digest FROM image_manifests ORDER BY "
                                   "manifest_digest COLLATE \"C\""));
    BULWARK_ASSIGN_OR_RETURN(Rows rows, Query("listing images",
                                              "SELECT image_id, chain, registered_at FROM images"
                                              " ORDER BY image_id COLLATE \"C\""));
    Images images;
    for (int row = 0; row < rows.size(); ++row) {
      lineage::RegisteredImage image;
      BULWARK_ASSIGN_OR_RETURN(image.image_id, Digest::Parse(rows.Text(row, 0)));
      BULWARK_ASSIGN_OR_RETURN(image.chain, SplitChain(rows.Text(row, 1)));
      image.registered_at = rows.Text(row, 2);
      images.push_back(std::move(image));
    }
    std::map<std::string, size_t> index;
    for (size_t i = 0; i < images.size(); ++i) index[images[i].image_id.str()] = i;
    for (int row = 0; row < names.size(); ++row) {
      auto found = index.find(names.Text(row, 0));
      if (found != index.end()) images[found->second].names.push_back(names.Text(row, 1));
    }
    for (int row = 0; row < manifests.size(); ++row) {
      auto found = index.find(manifests.Text(row, 0));
      if (found == index.end()) continue;
      BULWARK_ASSIGN_OR_RETURN(Digest digest, Digest::Parse(manifests.Text(row, 1)));
      images[found->second].manifest_digests.push_back(digest);
    }
    return images;
  });
}

Result<std::optional<StoredImage>> PostgresStore::GetImage(const Digest& image_id) {
  BULWARK_ASSIGN_OR_RETURN(auto images, ListImages());
  for (lineage::RegisteredImage& image : images) {
    if (image.image_id != image_id) continue;
    BULWARK_ASSIGN_OR_RETURN(
        Rows rows,
        Query("reading image",
              "SELECT source, config_json, inventory_json FROM images WHERE image_id = $1",
              {image_id.str()}));
    // Removed since it was listed: as if it had not been there.
    if (rows.size() == 0) return std::optional<StoredImage>();
    StoredImage stored;
    stored.image = std::move(image);
    stored.source = rows.Text(0, 0);
    stored.config_json = rows.Text(0, 1);
    stored.inventory_json = rows.Text(0, 2);
    return std::optional<StoredImage>(std::move(stored));
  }
  return std::optional<StoredImage>();
}

Result<bool> PostgresStore::RemoveImage(const Digest& image_id) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows removed,
      Query("removing image", "DELETE FROM images WHERE image_id = $1", {image_id.str()}));
  return removed.changed() > 0;
}

Result<std::optional<std::string>> PostgresStore::GetLayer(const Digest& blob_digest,
                                                           std::string_view version_key) {
  // Binary results: the value comes back as its bytes, not as hex text.
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows, Query("reading layer cache",
                       "SELECT value FROM layer_cache WHERE blob_digest = $1 AND version_key = $2",
                       {blob_digest.str(), version_key}, /*binary_results=*/true));
  if (rows.size() == 0) return std::optional<std::string>();
  return std::optional<std::string>(rows.Text(0, 0));
}

Status PostgresStore::PutLayer(const Digest& blob_digest, std::string_view version_key,
                               std::string_view value) {
  BULWARK_TRY(Query("writing layer cache",
                    "INSERT INTO layer_cache (blob_digest, version_key, value, created_at)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT (blob_digest, version_key)"
                    " DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
                    {blob_digest.str(), version_key, Param::Bytes(value), NowUtc()}));
  return Ok();
}

Status PostgresStore::PutPolicy(const StoredPolicy& policy) {
  BULWARK_TRY(Query("saving policy",
                    "INSERT INTO policies (name, document, document_sha256, updated_at)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
                    " document = excluded.document, document_sha256 = excluded.document_sha256,"
                    " updated_at = excluded.updated_at",
                    {policy.name, policy.document, policy.document_sha256.str(),
                     policy.updated_at.empty() ? NowUtc() : policy.updated_at}));
  return Ok();
}

Result<std::vector<StoredPolicy>> PostgresStore::ListPolicies() {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           Query("listing policies",
                                 "SELECT name, document, document_sha256, updated_at FROM policies"
                                 " ORDER BY name COLLATE \"C\""));
  std::vector<StoredPolicy> policies;
  for (int row = 0; row < rows.size(); ++row) {
    StoredPolicy policy;
    policy.name = rows.Text(row, 0);
    policy.document = rows.Text(row, 1);
    BULWARK_ASSIGN_OR_RETURN(policy.document_sha256, Digest::Parse(rows.Text(row, 2)));
    policy.updated_at = rows.Text(row, 3);
    policies.push_back(std::move(policy));
  }
  return policies;
}

Result<bool> PostgresStore::RemovePolicy(std::string_view name) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows removed, Query("removing policy", "DELETE FROM policies WHERE name = $1", {name}));
  return removed.changed() > 0;
}

Status PostgresStore::PutUser(const User& user) {
  BULWARK_TRY(Query("saving user",
                    "INSERT INTO users (name, role, password_hash, created_at)"
                    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
                    " role = excluded.role, password_hash = excluded.password_hash",
                    {user.name, user.role, user.password_hash,
                     user.created_at.empty() ? NowUtc() : user.created_at}));
  return Ok();
}

Result<std::optional<User>> PostgresStore::GetUser(std::string_view name) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows,
      Query("reading user",
            "SELECT name, role, password_hash, created_at FROM users WHERE name = $1", {name}));
  if (rows.size() == 0) return std::optional<User>();
  return std::optional<User>(
      User{rows.Text(0, 0), rows.Text(0, 1), rows.Text(0, 2), rows.Text(0, 3)});
}

Result<std::vector<User>> PostgresStore::ListUsers() {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           Query("listing users",
                                 "SELECT name, role, password_hash, created_at FROM users"
                                 " ORDER BY name COLLATE \"C\""));
  std::vector<User> users;
  for (int row = 0; row < rows.size(); ++row) {
    users.push_back(
        User{rows.Text(row, 0), rows.Text(row, 1), rows.Text(row, 2), rows.Text(row, 3)});
  }
  return users;
}

Result<bool> PostgresStore::RemoveUser(std::string_view name) {
  return InTransaction<bool>("removing user", [&]() -> Result<bool> {
    // The account goes first: its row lock waits for an AddToken that holds
    // the row (FOR SHARE) to commit, and the UPDATE after it, a new statement
    // with a new snapshot, then sees that token and revokes it too.
    BULWARK_ASSIGN_OR_RETURN(Rows removed,
                             Query("removing user", "DELETE FROM users WHERE name = $1", {name}));
    BULWARK_TRY(Query("revoking the user's tokens",
                      "UPDATE api_tokens SET revoked_at = $1"
                      " WHERE user_name = $2 AND revoked_at = ''",
                      {NowUtc(), name}));
    return removed.changed() > 0;
  });
}

Result<int64_t> PostgresStore::AddToken(const ApiToken& token) {
  return InTransaction<int64_t>("saving token", [&]() -> Result<int64_t> {
    // FOR SHARE holds the account until the token is committed, so a
    // RemoveUser on another replica either comes first (and the account is
    // not found here) or waits and then revokes this token.
    BULWARK_ASSIGN_OR_RETURN(
        Rows user,
        Query("reading user", "SELECT 1 FROM users WHERE name = $1 FOR SHARE", {token.user}));
    if (user.size() == 0) return internal::NoSuchUser(token.user);
    BULWARK_ASSIGN_OR_RETURN(
        Rows added, Query("saving token",
                          "INSERT INTO api_tokens (name, user_name, token_sha256, created_at)"
                          " VALUES ($1, $2, $3, $4) RETURNING id",
                          {token.name, token.user, token.token_sha256.str(),
                           token.created_at.empty() ? NowUtc() : token.created_at}));
    return added.Int(0, 0);
  });
}

Result<std::vector<ApiToken>> PostgresStore::TokensFrom(const Rows& rows) {
  std::vector<ApiToken> tokens;
  for (int row = 0; row < rows.size(); ++row) {
    ApiToken token;
    token.id = rows.Int(row, 0);
    token.name = rows.Text(row, 1);
    token.user = rows.Text(row, 2);
    BULWARK_ASSIGN_OR_RETURN(token.token_sha256, Digest::Parse(rows.Text(row, 3)));
    token.created_at = rows.Text(row, 4);
    token.revoked_at = rows.Text(row, 5);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

Result<std::optional<ApiToken>> PostgresStore::FindToken(const Digest& token_sha256) {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           Query("reading tokens",
                                 "SELECT id, name, user_name, token_sha256, created_at, revoked_at"
                                 " FROM api_tokens WHERE token_sha256 = $1",
                                 {token_sha256.str()}));
  BULWARK_ASSIGN_OR_RETURN(auto tokens, TokensFrom(rows));
  if (tokens.empty()) return std::optional<ApiToken>();
  return std::optional<ApiToken>(std::move(tokens.front()));
}

Result<std::vector<ApiToken>> PostgresStore::ListTokens() {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           Query("reading tokens",
                                 "SELECT id, name, user_name, token_sha256, created_at, revoked_at"
                                 " FROM api_tokens ORDER BY id"));
  return TokensFrom(rows);
}

Result<bool> PostgresStore::RevokeToken(int64_t id) {
  // One conditional UPDATE: of two replicas revoking at once, one changes
  // the row and the other, after waiting for its lock, finds it revoked.
  BULWARK_ASSIGN_OR_RETURN(
      Rows revoked, Query("revoking token",
                          "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at = ''",
                          {NowUtc(), id}));
  return revoked.changed() > 0;
}

Status PostgresStore::AppendAudit(const AuditEntry& entry) {
  BULWARK_TRY(Query("writing audit log",
                    "INSERT INTO audit_log (at, actor, action, target, detail)"
                    " VALUES ($1, $2, $3, $4, $5)",
                    {entry.at.empty() ? NowUtc() : entry.at, entry.actor, entry.action,
                     entry.target, entry.detail}));
  return Ok();
}

Result<std::vector<AuditEntry>> PostgresStore::ListAudit(int limit) {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           Query("reading audit log",
                                 "SELECT id, at, actor, action, target, detail FROM audit_log"
                                 " ORDER BY id DESC LIMIT $1",
                                 {int64_t{limit}}));
  std::vector<AuditEntry> entries;
  for (int row = 0; row < rows.size(); ++row) {
    entries.push_back(AuditEntry{rows.Int(row, 0), rows.Text(row, 1), rows.Text(row, 2),
                                 rows.Text(row, 3), rows.Text(row, 4), rows.Text(row, 5)});
  }
  return entries;
}

Result<int64_t> PostgresStore::AddScan(const StoredScan& scan) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows added,
      Query("saving scan",
            "INSERT INTO scans (image_id, source, submitted_by, scanned_at, exit_code, compliant,"
            " request_id, report_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            {scan.image_id.str(), scan.source, scan.submitted_by,
             scan.scanned_at.empty() ? NowUtc() : scan.scanned_at, int64_t{scan.exit_code},
             int64_t{scan.compliant ? 1 : 0}, scan.request_id, scan.report_json}));
  return added.Int(0, 0);
}

Result<std::vector<StoredScan>> PostgresStore::ScansFrom(const Rows& rows, bool with_report) {
  std::vector<StoredScan> scans;
  for (int row = 0; row < rows.size(); ++row) {
    StoredScan scan;
    scan.id = rows.Int(row, 0);
    BULWARK_ASSIGN_OR_RETURN(scan.image_id, Digest::Parse(rows.Text(row, 1)));
    scan.source = rows.Text(row, 2);
    scan.submitted_by = rows.Text(row, 3);
    scan.scanned_at = rows.Text(row, 4);
    scan.exit_code = static_cast<int>(rows.Int(row, 5));
    scan.compliant = rows.Int(row, 6) != 0;
    scan.request_id = rows.Text(row, 7);
    if (with_report) scan.report_json = rows.Text(row, 8);
    scans.push_back(std::move(scan));
  }
  return scans;
}

Result<std::vector<StoredScan>> PostgresStore::ListScans(const std::optional<Digest>& image_id,
                                                         int limit) {
  // The report column is left out of the list: each is tens of kilobytes.
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows, Query("reading scans",
                       "SELECT id, image_id, source, submitted_by, scanned_at, exit_code,"
                       " compliant, request_id, '' FROM scans WHERE ($1 = '' OR image_id = $1)"
                       " ORDER BY id DESC LIMIT $2",
                       {image_id ? image_id->str() : std::string(), int64_t{limit}}));
  return ScansFrom(rows, false);
}

Result<std::optional<StoredScan>> PostgresStore::GetScan(int64_t id) {
  BULWARK_ASSIGN_OR_RETURN(Rows rows,
                           Query("reading scans",
                                 "SELECT id, image_id, source, submitted_by, scanned_at, exit_code,"
                                 " compliant, request_id, report_json FROM scans WHERE id = $1",
                                 {id}));
  BULWARK_ASSIGN_OR_RETURN(auto scans, ScansFrom(rows, true));
  if (scans.empty()) return std::optional<StoredScan>();
  return std::optional<StoredScan>(std::move(scans.front()));
}

constexpr char kRegistryColumns[] =
    "SELECT name, host, username, sealed_secret, ca_pem, insecure, created_at, updated_at"
    " FROM registries";

StoredRegistry RegistryRow(const Rows& rows, int row) {
  return StoredRegistry{rows.Text(row, 0), rows.Text(row, 1), rows.Text(row, 2),
                        rows.Text(row, 3), rows.Text(row, 4), rows.Int(row, 5) != 0,
                        rows.Text(row, 6), rows.Text(row, 7)};
}

Status PostgresStore::PutRegistry(const StoredRegistry& registry) {
  std::string now = NowUtc();
  BULWARK_TRY(Query("saving registry",
                    "INSERT INTO registries (name, host, username, sealed_secret, ca_pem,"
                    " insecure, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT (name) DO UPDATE SET host = excluded.host,"
                    " username = excluded.username, sealed_secret = excluded.sealed_secret,"
                    " ca_pem = excluded.ca_pem, insecure = excluded.insecure,"
                    " updated_at = excluded.updated_at",
                    {registry.name, registry.host, registry.username, registry.sealed_secret,
                     registry.ca_pem, int64_t{registry.insecure ? 1 : 0},
                     registry.created_at.empty() ? now : registry.created_at, now}));
  return Ok();
}

Result<std::optional<StoredRegistry>> PostgresStore::GetRegistry(std::string_view name) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows, Query("reading registry",
                       (std::string(kRegistryColumns) + " WHERE name = $1").c_str(), {name}));
  if (rows.size() == 0) return std::optional<StoredRegistry>();
  return std::optional<StoredRegistry>(RegistryRow(rows, 0));
}

Result<std::vector<StoredRegistry>> PostgresStore::ListRegistries() {
  BULWARK_ASSIGN_OR_RETURN(
      Rows rows, Query("listing registries",
                       (std::string(kRegistryColumns) + " ORDER BY name COLLATE \"C\"").c_str()));
  std::vector<StoredRegistry> registries;
  for (int row = 0; row < rows.size(); ++row) registries.push_back(RegistryRow(rows, row));
  return registries;
}

Result<bool> PostgresStore::RemoveRegistry(std::string_view name) {
  BULWARK_ASSIGN_OR_RETURN(
      Rows removed, Query("removing registry", "DELETE FROM registries WHERE name = $1", {name}));
  return removed.changed() > 0;
}

}  // namespace

bool IsPostgresUrl(std::string_view location) {
  return location.rfind("postgres://", 0) == 0 || location.rfind("postgresql://", 0) == 0;
}

std::string DisplayLocation(const std::string& location) {
  if (!IsPostgresUrl(location)) return location;
  auto parsed = ParseUrl(location);
  return parsed.ok() ? DisplayUrl(*parsed) : "postgresql://(malformed URL)";
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url) {
  Status library = dynload::RequireLibpq();
  if (!library.ok()) return library.error().Wrap("store");
  if (!IsPostgresUrl(url)) {
    return Error(ErrorCode::kInvalidArgument,
                 "database URL " + DisplayLocation(url) +
                     ": not a PostgreSQL URL (postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE)");
  }
  BULWARK_ASSIGN_OR_RETURN(ConnectionOptions options, ParseUrl(url));
  std::string where = DisplayUrl(options);

  // Defaults first: with expand_dbname, what the URL says overrides them.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {kConnectTimeoutSeconds, "bulwark", url.c_str(), nullptr};
  PGconn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr) {
    return Error(ErrorCode::kIo, "store " + where + ": cannot connect: out of memory");
  }
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string reason = OneLine(PQerrorMessage(connection));
    PQfinish(connection);
    return Error(ErrorCode::kIo, "store " + where + ": cannot connect: " + reason);
  }
  // Notices ("relation already exists, skipping", "no transaction in
  // progress" after a reconnect) are not errors, which come back as results;
  // libpq would print them on stderr. The processor survives PQreset.
  PQsetNoticeProcessor(
      connection, [](void*, const char*) {}, nullptr);
  auto store = std::make_unique<PostgresStore>(connection, where);
  BULWARK_TRY(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace bulwark::store
