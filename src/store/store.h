// Persistence behind one interface: an embedded SQLite file by default, or a
// PostgreSQL database shared by several server replicas (issue #5). Both hold
// the same schema, brought up to date by the same numbered migrations.
#ifndef BULWARK_STORE_STORE_H_
#define BULWARK_STORE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/digest.h"
#include "common/result.h"
#include "lineage/lineage.h"

namespace bulwark::store {

// A registered image with what was learnt about it.
struct StoredImage {
  lineage::RegisteredImage image;
  std::string source;          // Where it was last registered from.
  std::string config_json;     // The image config as read.
  std::string inventory_json;  // The inventory, as the JSON report writes it.
};

struct StoredPolicy {
  std::string name;
  std::string document;
  Digest document_sha256;
  std::string updated_at;
};

// A server account (issue #5). `role` is "administrator", "scanner" or
// "auditor"; the server checks it, the store only keeps it.
struct User {
  std::string name;
  std::string role;
  std::string password_hash;  // An Argon2id string ("$argon2id$..."), never a password.
  std::string created_at;
};

// An API token. Only the sha256 of the token is kept; the token itself is
// shown once, when it is made.
struct ApiToken {
  int64_t id = 0;  // Assigned by the store.
  std::string name;
  std::string user;  // The account the token acts as.
  Digest token_sha256;
  std::string created_at;
  std::string revoked_at;  // Empty while the token is valid.
};

// One change, written by whoever made it: who, what, on what, when.
struct AuditEntry {
  int64_t id = 0;  // Assigned by the store, increasing.
  std::string at;  // RFC 3339 UTC; set by the store when empty.
  std::string actor;
  std::string action;  // e.g. "policy.put", "user.add", "scan.submit".
  std::string target;
  std::string detail;
};

// One scan submitted to the server and its outcome.
struct StoredScan {
  int64_t id = 0;  // Assigned by the store, increasing.
  Digest image_id;
  std::string source;
  std::string submitted_by;
  std::string scanned_at;
  int exit_code = 0;
  bool compliant = false;
  std::string request_id;
  std::string report_json;  // The JSON report (docs/report-schema.md).
};

// A registry the server pulls images from (issue #5). The secret (password
// or token) is kept only sealed with the server key (server/secret_box.h):
// the store neither seals nor opens it.
struct StoredRegistry {
  std::string name;  // [A-Za-z0-9._-]+, chosen by the administrator.
  std::string host;  // "host[:port]", as written in image references.
  std::string username;
  std::string sealed_secret;  // Base64 of nonce and ciphertext; "" when no secret.
  std::string ca_pem;         // Certificate authorities to trust instead of the system's.
  bool insecure = false;      // Skip TLS verification and allow plain http.
  std::string created_at;     // Set by the store when empty.
  std::string updated_at;     // Set by the store.
};

// All methods fail with kIo (naming the database, never its password) on a
// storage error. A Store is used from one thread at a time. Several processes
// may share one database: every method is atomic, and the ids it assigns are
// unique across them.
class Store {
 public:
  virtual ~Store() = default;

  // Adds the image, or merges names and manifest digests into an existing one.
  virtual Status RegisterImage(const StoredImage& image) = 0;
  virtual Result<std::vector<lineage::RegisteredImage>> ListImages() = 0;
  virtual Result<std::optional<StoredImage>> GetImage(const Digest& image_id) = 0;
  // Deletes the image and its names; returns whether it existed.
  virtual Result<bool> RemoveImage(const Digest& image_id) = 0;

  // The layer cache: analysis bytes keyed by blob digest plus a version key.
  virtual Result<std::optional<std::string>> GetLayer(const Digest& blob_digest,
                                                      std::string_view version_key) = 0;
  virtual Status PutLayer(const Digest& blob_digest, std::string_view version_key,
                          std::string_view value) = 0;

  // Policies by name; Put replaces the document under the same name.
  virtual Status PutPolicy(const StoredPolicy& policy) = 0;
  virtual Result<std::vector<StoredPolicy>> ListPolicies() = 0;
  virtual Result<bool> RemovePolicy(std::string_view name) = 0;

  // Accounts. PutUser adds or replaces the account of that name.
  virtual Status PutUser(const User& user) = 0;
  virtual Result<std::optional<User>> GetUser(std::string_view name) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Removes the account and revokes its tokens; returns whether it existed.
  virtual Result<bool> RemoveUser(std::string_view name) = 0;

  // API tokens. AddToken returns the new id, or kInvalidArgument when
  // `token.user` is not an account (checked in the same statement, so a
  // token is never added for an account removed meanwhile); FindToken looks
  // a token up by the sha256 of its text (revoked ones included, so callers
  // can say so).
  virtual Result<int64_t> AddToken(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> FindToken(const Digest& token_sha256) = 0;
  virtual Result<std::vector<ApiToken>> ListTokens() = 0;
  // Marks the token revoked; false when there is no such valid token.
  virtual Result<bool> RevokeToken(int64_t id) = 0;

  // The audit log, append-only. ListAudit returns the newest `limit` entries,
  // newest first.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> ListAudit(int limit) = 0;

  // Scan history. AddScan returns the new id. ListScans returns the newest
  // `limit` scans of `image_id` (of every image when empty), newest first,
  // without their reports; GetScan includes the report.
  virtual Result<int64_t> AddScan(const StoredScan& scan) = 0;
  virtual Result<std::vector<StoredScan>> ListScans(const std::optional<Digest>& image_id,
                                                    int limit) = 0;
  virtual Result<std::optional<StoredScan>> GetScan(int64_t id) = 0;

  // Registries by name. PutRegistry adds or replaces the registry of that
  // name (keeping its created_at).
  virtual Status PutRegistry(const StoredRegistry& registry) = 0;
  virtual Result<std::optional<StoredRegistry>> GetRegistry(std::string_view name) = 0;
  virtual Result<std::vector<StoredRegistry>> ListRegistries() = 0;
  virtual Result<bool> RemoveRegistry(std::string_view name) = 0;
};

// Opens (creating if needed, migrating to the current schema) the SQLite store
// at `path`. kIo naming the path on failure.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

// Opens the PostgreSQL store at `url` ("postgres://" or "postgresql://"
// USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAM=VALUE...], as libpq reads it;
// a password left out comes from PGPASSWORD or ~/.pgpass), migrating it to
// the current schema. Migrations hold a transaction-scoped advisory lock, so
// replicas starting at once apply each one once. Errors: kInvalidArgument for
// a malformed URL; kIo naming the user, host, port and database (never the
// password) when the database cannot be reached or used; kUnsupported for a
// schema newer than this build.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& url);

// Whether `location` is a PostgreSQL URL rather than a SQLite file path.
bool IsPostgresUrl(std::string_view location);

// `location` for messages and logs: a PostgreSQL URL without its password
// (and without query parameters, which may carry one); a path as it is.
std::string DisplayLocation(const std::string& location);

// Opens the PostgreSQL store for a PostgreSQL URL, else the SQLite file at
// `location`. Errors as OpenPostgresStore or OpenSqliteStore.
Result<std::unique_ptr<Store>> OpenStoreAt(const std::string& location);

// The data directory: $BULWARK_DATA_DIR, else $XDG_DATA_HOME/bulwark, else
// ~/.local/share/bulwark.
std::string DefaultDataDir();

}  // namespace bulwark::store

#endif  // BULWARK_STORE_STORE_H_
