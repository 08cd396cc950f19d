// The cataloger interface and the one registry of catalogers.
#ifndef BULWARK_CATALOG_CATALOGER_H_
#define BULWARK_CATALOG_CATALOGER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/inventory.h"
#include "common/result.h"
#include "layer/layer_reader.h"
#include "layer/merged_fs.h"

namespace bulwark::catalog {

// One format of package database (or OS identification). A cataloger reads
// only the files handed to it through the merged filesystem.
class Cataloger {
 public:
  virtual ~Cataloger() = default;
  // Stable short name ("dpkg").
  virtual std::string_view name() const = 0;
  // Bumped whenever output for the same input changes; part of the layer cache key.
  virtual int version() const = 0;
  // The paths this cataloger reads; the layer reader keeps only these.
  virtual std::vector<layer::PathPattern> WantedPaths() const = 0;
  // Adds what it finds to `inventory`. Input it cannot parse is a returned
  // error naming the file and line; absence of its database is not an error.
  virtual Status Catalog(const layer::MergedFs& fs, Inventory& inventory) const = 0;
};

// Every cataloger, in the order they run (os-release first).
std::vector<std::unique_ptr<Cataloger>> DefaultCatalogers();

// "os-release:1,passwd:1,dpkg:2,apk:1": the catalog part of the layer cache key.
std::string CatalogersVersionKey(const std::vector<std::unique_ptr<Cataloger>>& catalogers);

// Runs every cataloger, then sorts the packages. A cataloger error is recorded
// as a coverage gap *and* returned, so the scan fails closed.
Result<Inventory> RunCatalogers(const std::vector<std::unique_ptr<Cataloger>>& catalogers,
                                const layer::MergedFs& fs);

// As RunCatalogers, but keeps what was found when a cataloger fails: every
// cataloger runs, each failure is added to `inventory.gaps` (path = the
// cataloger name, reason = the error message), packages are sorted, and the
// first error is returned (wrapped with the cataloger name) so the scan still
// fails closed with a report that shows the gap.
Status RunCatalogersInto(const std::vector<std::unique_ptr<Cataloger>>& catalogers,
                         const layer::MergedFs& fs, Inventory& inventory);

// Sorts by ecosystem, name, architecture, version (plain byte order, so the
// result is the same without knowing each ecosystem's version rules), then by
// the remaining fields so that equal keys still sort deterministically.
void SortPackages(std::vector<Package>& packages);

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_CATALOGER_H_
