#include "store/store.h"

namespace bulwark::store {

Result<std::unique_ptr<Store>> OpenStoreAt(const std::string& location) {
  if (IsPostgresUrl(location)) return OpenPostgresStore(location);
  return OpenSqliteStore(location);
}

}  // namespace bulwark::store
