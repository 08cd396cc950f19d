// Installed Alpine packages from the apk database.
#ifndef BULWARK_CATALOG_APK_CATALOGER_H_
#define BULWARK_CATALOG_APK_CATALOGER_H_

#include <string_view>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/inventory.h"
#include "common/result.h"

namespace bulwark::catalog {

// Parses lib/apk/db/installed read from `path`: records of "X:value" lines
// separated by blank lines (apk-v2 installed database). Names keep their
// case, as apk-tools compares them case-sensitively. Reads P (name),
// V (version), A (architecture), o (origin, the source package) and
// L (license); other keys are skipped. source_name is the origin, or the
// name when there is none; source_version is the version. Packages come in
// file order with ecosystem "apk" and db_path = `path`.
// Errors: kCorruptInput naming the line (a record without P or V, a line
// that is not "X:value", a repeated key, a control byte in the value of a key
// read); kLimitExceeded over 64 MiB or for a
// line over 1 MiB.
Result<std::vector<Package>> ParseApkInstalled(std::string_view text, std::string_view path);

// Reads lib/apk/db/installed.
class ApkCataloger : public Cataloger {
 public:
  std::string_view name() const override { return "apk"; }
  int version() const override { return 4; }
  std::vector<layer::PathPattern> WantedPaths() const override;
  Status Catalog(const layer::MergedFs& fs, Inventory& inventory) const override;
};

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_APK_CATALOGER_H_
