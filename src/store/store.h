// Persistence behind one interface. SQLite now; PostgreSQL later.
#ifndef BULWARK_STORE_STORE_H_
#define BULWARK_STORE_STORE_H_

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
  std::string source;           // Where it was last registered from.
  std::string config_json;      // The image config as read.
  std::string inventory_json;   // The inventory, as the JSON report writes it.
};

struct StoredPolicy {
  std::string name;
  std::string document;
  Digest document_sha256;
  std::string updated_at;
};

// All methods fail with kIo (naming the database) on a storage error. A Store
// is used from one thread at a time.
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
};

// Opens (creating if needed, migrating to the current schema) the SQLite store
// at `path`. kIo naming the path on failure.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

// The data directory: $BULWARK_DATA_DIR, else $XDG_DATA_HOME/bulwark, else
// ~/.local/share/bulwark.
std::string DefaultDataDir();

}  // namespace bulwark::store

#endif  // BULWARK_STORE_STORE_H_
