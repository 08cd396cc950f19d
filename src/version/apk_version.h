// Alpine package versions: validity and ordering as apk-tools defines them.
//
// The grammar (apk-package(5)) is
//   number{.number}...{letter}{_suffix{number}}...{~hash}{-r number}
// with suffixes alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p.
#ifndef BULWARK_VERSION_APK_VERSION_H_
#define BULWARK_VERSION_APK_VERSION_H_

#include <string_view>

#include "common/result.h"

namespace bulwark::version {

// Longest version string the apk functions accept as valid or comparable.
inline constexpr size_t kMaxApkVersionLength = 4096;

// True when `version` follows the apk-tools 3 grammar exactly.
bool IsValidApkVersion(std::string_view version);

// True when `version` is valid, or uses the apk-tools 2 form in which digits
// may follow the letter ("1.9.5p2-r1", still found in old Alpine releases).
bool IsComparableApkVersion(std::string_view version);

// Orders two comparable versions (see IsComparableApkVersion) the way
// apk-tools does; digits after a letter continue the number sequence as in
// apk-tools 2. Returns <0, 0 or >0. The result for other strings is apk-tools'
// own answer for invalid input and is not an ordering.
int CompareApkVersions(std::string_view a, std::string_view b);

// apk-tools 3's comparison of any two strings, including its answers for
// invalid ones. With `fuzzy`, `a` equals `b` when `b`'s components are a
// prefix of `a`'s (apk's "~": 3.6.9 ~ 3.6). Returns <0, 0 or >0.
int CompareApkVersionsExactly(std::string_view a, std::string_view b, bool fuzzy);

// Evaluates an apk dependency operator: "<", "<=", "=", ">=", ">", "~",
// "<~", ">~", each optionally preceded by '!' to negate it, as apk-tools
// does. kInvalidArgument for another operator.
Result<bool> ApkVersionMatches(std::string_view a, std::string_view op, std::string_view b);

}  // namespace bulwark::version

#endif  // BULWARK_VERSION_APK_VERSION_H_
