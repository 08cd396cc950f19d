// Identifies the distribution from os-release(5).
#ifndef BULWARK_CATALOG_OS_RELEASE_CATALOGER_H_
#define BULWARK_CATALOG_OS_RELEASE_CATALOGER_H_

#include <string_view>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/inventory.h"
#include "common/result.h"

namespace bulwark::catalog {

// Largest os-release file parsed.
inline constexpr size_t kMaxOsReleaseBytes = 1u << 20;

// Parses os-release text read from `path` (used in messages and stored as
// source_path). Follows the file's shell-like rules: KEY=VALUE lines, '#'
// comments, blank lines, values in single quotes (literal), double quotes
// (backslash escapes $ " \ and `) or unquoted (backslash escapes any
// character). VERSION_CODENAME falls back to UBUNTU_CODENAME, then to a
// single lower-case word in parentheses at the end of VERSION, as old Debian
// releases write it ("8 (jessie)"). Returns OsInfo with found = true.
// Errors: kCorruptInput naming the line (no '=', a bad key, an unterminated
// quote, a control byte in a decoded value), kLimitExceeded over kMaxOsReleaseBytes.
Result<OsInfo> ParseOsRelease(std::string_view text, std::string_view path);

// Reads etc/os-release, or usr/lib/os-release when the first is absent.
// Sets inventory.os; leaves it with found = false when neither exists.
class OsReleaseCataloger : public Cataloger {
 public:
  std::string_view name() const override { return "os-release"; }
  int version() const override { return 2; }
  std::vector<layer::PathPattern> WantedPaths() const override;
  Status Catalog(const layer::MergedFs& fs, Inventory& inventory) const override;
};

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_OS_RELEASE_CATALOGER_H_
