// User accounts from passwd(5), so that policy can tell which uid a user
// name in the image config runs as.
#ifndef BULWARK_CATALOG_PASSWD_CATALOGER_H_
#define BULWARK_CATALOG_PASSWD_CATALOGER_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "catalog/cataloger.h"
#include "catalog/inventory.h"
#include "common/result.h"

namespace bulwark::catalog {

// Largest uid or gid accepted: uid_t is 32 bits on Linux.
inline constexpr int64_t kMaxPasswdId = 4294967295;

// Parses passwd text read from `path` (used in messages): one account per
// line as name:password:uid:gid:gecos:home:shell. Blank lines and lines
// starting with '#' are skipped, as are NIS compatibility entries (lines
// starting with '+' or '-'), which name no local account. Returns the
// accounts in file order; a name listed twice appears twice.
// Errors: kCorruptInput naming `path` and the line (not seven fields, an
// empty name, a uid or gid that is not a decimal number up to kMaxPasswdId,
// a control byte anywhere in the entry);
// kLimitExceeded for a file over 64 MiB or a line over 1 MiB.
Result<std::vector<UserAccount>> ParsePasswd(std::string_view text, std::string_view path);

// Reads etc/passwd (following symlinks) into inventory.users and sets
// inventory.passwd_found. An image without etc/passwd leaves both untouched;
// that is not an error. Any other read failure, and a parse error, is
// returned, so the scan fails closed. That includes an etc/passwd that links
// to a path outside WantedPaths(), whose body the layer reader did not keep
// (kUnsupported).
class PasswdCataloger : public Cataloger {
 public:
  std::string_view name() const override { return "passwd"; }
  int version() const override { return 2; }
  std::vector<layer::PathPattern> WantedPaths() const override;
  Status Catalog(const layer::MergedFs& fs, Inventory& inventory) const override;
};

}  // namespace bulwark::catalog

#endif  // BULWARK_CATALOG_PASSWD_CATALOGER_H_
