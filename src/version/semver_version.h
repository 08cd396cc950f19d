// Semantic versions: SemVer 2.0.0 precedence (https://semver.org/spec/v2.0.0.html),
// and the loose spellings that node-semver reads in its loose mode.
#ifndef BULWARK_VERSION_SEMVER_VERSION_H_
#define BULWARK_VERSION_SEMVER_VERSION_H_

#include <string_view>

#include "common/result.h"

namespace bulwark::version {

// Longest version string ParseSemver accepts (kLimitExceeded beyond).
inline constexpr size_t kMaxSemverLength = 4096;

enum class SemverMode {
  // The SemVer 2.0.0 grammar exactly: MAJOR.MINOR.PATCH, numbers without
  // leading zeros, "-" pre-release and "+" build identifiers.
  kStrict,
  // node-semver's loose reading: surrounding whitespace, any run of 'v', '='
  // and whitespace before the number, leading zeros in numbers, and a
  // pre-release without its '-' ("1.2.3beta"). See ParseSemver.
  kLoose,
};

// A parsed version. The fields are views into the text given to ParseSemver,
// which must outlive them.
struct SemverVersion {
  std::string_view major;  // ASCII digits; loose input may have leading zeros.
  std::string_view minor;
  std::string_view patch;
  std::string_view prerelease;  // Dot-separated identifiers; "" when there are none.
  std::string_view build;       // Dot-separated identifiers; "" when none. No effect on order.
};

// Parses `text` in the given mode. Identifiers are non-empty runs of ASCII
// letters, digits and '-'. In loose mode the text is read the way
// node-semver's loose pattern matches it, quirks included: a '-' not followed
// by an identifier is itself one ("1.2.3-" has the pre-release "-"), and when
// the rest does not parse otherwise the patch number gives up trailing digits
// to a pre-release ("1.2.34.5" reads as 1.2.3-4.5). Numbers may have any
// length. Errors: kInvalidArgument naming the text and what is wrong;
// kLimitExceeded beyond kMaxSemverLength bytes. Thread-safe; no allocation
// unless it fails.
Result<SemverVersion> ParseSemver(std::string_view text, SemverMode mode);

// SemVer 2.0.0 precedence: major, minor and patch as numbers; a version with
// a pre-release is lower than the same one without; pre-release identifiers
// compare one by one, numbers (all digits) numerically and below other
// identifiers, which compare by ASCII bytes; when all agree, more
// identifiers is higher. Build metadata is ignored. Returns -1, 0 or 1.
// Thread-safe; does not allocate.
int CompareSemver(const SemverVersion& a, const SemverVersion& b);

// True when `text` follows the SemVer 2.0.0 grammar exactly (kStrict).
bool IsValidSemver(std::string_view text);

}  // namespace bulwark::version

#endif  // BULWARK_VERSION_SEMVER_VERSION_H_
