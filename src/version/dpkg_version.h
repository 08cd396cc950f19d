// Debian package versions: parsing and ordering as dpkg defines them.
//
// The grammar is [epoch:]upstream[-revision] (deb-version(7)). dpkg separates
// two classes of problem: hard errors, where it refuses the string, and
// syntax warnings (an upstream part not starting with a digit, a character
// outside the allowed set), where it warns and still compares. Both are kept
// apart here so callers can choose.
#ifndef BULWARK_VERSION_DPKG_VERSION_H_
#define BULWARK_VERSION_DPKG_VERSION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::version {

// The three parts of a Debian version. `revision` is "" when absent, which
// orders the same as "0".
struct DpkgVersion {
  int64_t epoch = 0;  // 0 .. 2147483647.
  std::string upstream;
  std::string revision;
};

// A parsed version plus, when dpkg would only warn about it, the reason.
struct DpkgParse {
  DpkgVersion version;
  // Empty when the version follows the grammar. Otherwise dpkg's complaint,
  // e.g. "version number does not start with digit"; dpkg still orders it.
  std::string syntax_warning;
};

// Longest version string accepted by ParseDpkgVersion (kLimitExceeded beyond).
inline constexpr size_t kMaxDpkgVersionLength = 4096;

// Parses `text` the way dpkg does: surrounding whitespace is ignored, the
// epoch runs to the first ':', the revision starts after the last '-'.
// Errors (kInvalidArgument, message says why): empty string, embedded
// whitespace, an epoch that is empty, not a number, negative or above
// 2147483647, nothing after the colon, an empty revision, an empty upstream.
// Syntax problems that dpkg only warns about are returned in
// `syntax_warning`, not as errors.
Result<DpkgParse> ParseDpkgVersion(std::string_view text);

// Orders two parsed versions: epoch numerically, then upstream, then revision
// with dpkg's string rule (see CompareDpkgVersionPart). Returns <0, 0 or >0.
int CompareDpkgVersions(const DpkgVersion& a, const DpkgVersion& b);

// dpkg's rule for one part: alternating runs of non-digits and digits. In a
// non-digit run '~' sorts before the end of the string, which sorts before
// letters, which sort before every other character; digit runs compare as
// numbers of any length. Returns <0, 0 or >0.
int CompareDpkgVersionPart(std::string_view a, std::string_view b);

}  // namespace bulwark::version

#endif  // BULWARK_VERSION_DPKG_VERSION_H_
