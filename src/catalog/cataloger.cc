#include "catalog/cataloger.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "catalog/apk_cataloger.h"
#include "catalog/dpkg_cataloger.h"
#include "catalog/os_release_cataloger.h"
#include "catalog/passwd_cataloger.h"
#include "catalog/rpm_cataloger.h"

namespace bulwark::catalog {

// LIMITATION(#4): only OS package databases (dpkg, apk, rpm) are read;
// language packages and binaries are absent from the inventory, and reports
// say the inventory is incomplete (CycloneDX `compositions`).
std::vector<std::unique_ptr<Cataloger>> DefaultCatalogers() {
  std::vector<std::unique_ptr<Cataloger>> catalogers;
  catalogers.push_back(std::make_unique<OsReleaseCataloger>());
  catalogers.push_back(std::make_unique<PasswdCataloger>());
  catalogers.push_back(std::make_unique<DpkgCataloger>());
  catalogers.push_back(std::make_unique<ApkCataloger>());
  catalogers.push_back(std::make_unique<RpmCataloger>());
  return catalogers;
}

std::string CatalogersVersionKey(const std::vector<std::unique_ptr<Cataloger>>& catalogers) {
  std::string key;
  for (const auto& cataloger : catalogers) {
    if (!key.empty()) key += ",";
    key += std::string(cataloger->name()) + ":" + std::to_string(cataloger->version());
  }
  return key;
}

void SortPackages(std::vector<Package>& packages) {
  auto key = [](const Package& p) {
    return std::tie(p.ecosystem, p.name, p.architecture, p.version, p.source_name, p.source_version,
                    p.db_path, p.license);
  };
  std::sort(packages.begin(), packages.end(),
            [&key](const Package& a, const Package& b) { return key(a) < key(b); });
}

Status RunCatalogersInto(const std::vector<std::unique_ptr<Cataloger>>& catalogers,
                         const layer::MergedFs& fs, Inventory& inventory) {
  std::optional<Error> first_error;
  for (const auto& cataloger : catalogers) {
    Status status = cataloger->Catalog(fs, inventory);
    if (status.ok()) continue;
    Error error = status.error().Wrap("cataloger " + std::string(cataloger->name()));
    // What a cataloger refuses is in the image, never on the command line: a
    // database path that is a directory must not read as a usage error (exit
    // 2) but as an image that could not be read (exit 3) (#2).
    if (error.code() == ErrorCode::kInvalidArgument) {
      error = Error(ErrorCode::kCorruptInput, error.message());
    }
    inventory.gaps.push_back(CoverageGap{std::string(cataloger->name()), error.message()});
    if (!first_error) first_error = std::move(error);
  }

  SortPackages(inventory.packages);
  if (first_error) return *first_error;
  return Ok();
}

Result<Inventory> RunCatalogers(const std::vector<std::unique_ptr<Cataloger>>& catalogers,
                                const layer::MergedFs& fs) {
  Inventory inventory;
  BULWARK_TRY(RunCatalogersInto(catalogers, fs, inventory));
  return inventory;
}

}  // namespace bulwark::catalog
