// Red Hat package versions: parsing and ordering as rpm defines them.
//
// An rpm version string is [epoch:]version[-release] ("EVR"). rpm orders two
// of them by epoch, then version, then release, each part with one segment
// rule (CompareRpmSegments). rpm itself accepts almost any bytes there, and
// so does the ordering here; IsValidRpmVersion is the stricter check of what
// rpmbuild lets into a package. See docs/version-ordering.md.
#ifndef BULWARK_VERSION_RPM_VERSION_H_
#define BULWARK_VERSION_RPM_VERSION_H_

#include <string_view>

#include "common/result.h"

namespace bulwark::version {

// Longest version string ParseRpmEvr accepts (kLimitExceeded beyond).
inline constexpr size_t kMaxRpmVersionLength = 4096;

// The three parts of an EVR string. They are views into the text given to
// ParseRpmEvr, which must outlive them.
struct RpmEvr {
  std::string_view epoch;    // Decimal digits as written; "" when absent, which orders as 0.
  bool has_epoch = false;    // Whether a ':' ended an epoch (":1" has an empty one).
  std::string_view version;  // Never empty.
  std::string_view release;  // "" when absent or empty (see has_release).
  bool has_release = false;  // Whether a '-' introduced a release ("1.0-" has an empty one).
};

// Splits `text` the way rpm does: the epoch is the run of decimal digits
// before a first ':' (so "a:1" has no epoch and "a:1" is its version; ":1"
// has an empty epoch, read as 0), and the release follows the last '-'.
// Errors (kInvalidArgument, naming the text): an empty string, whitespace or
// control bytes anywhere, an empty version part ("1:", "-1"). kLimitExceeded
// beyond kMaxRpmVersionLength bytes. Other bytes, non-ASCII ones included,
// are accepted and ordered as rpm orders them. Thread-safe; no allocation
// unless it fails.
Result<RpmEvr> ParseRpmEvr(std::string_view text);

// Orders two parsed versions as rpm compares EVR strings: the epochs as
// numbers (absent is 0), then the versions with CompareRpmSegments, then the
// releases: an absent release sorts before every release, an empty or a '~'
// one included ("1.0" < "1.0-" < "1.0-1", "1.0" < "1.0-~1"), and two
// releases compare with CompareRpmSegments. Returns -1, 0 or 1.
// Thread-safe; does not allocate.
int CompareRpmEvr(const RpmEvr& a, const RpmEvr& b);

// rpm's rule for one part (rpmvercmp). The strings are read as segments: runs
// of ASCII digits and runs of ASCII letters; every other byte separates
// segments and is otherwise ignored ("2.0" = "2_0"), except two markers. A
// '~' sorts before everything, the end of the string included
// ("1.0~rc1" < "1.0"); a '^' sorts after the end of the string but before
// anything else ("1.0" < "1.0^git1" < "1.0.1"). Digit runs compare as numbers
// of any length; letter runs by bytes; a digit run is newer than a letter
// run. When all segments agree, the string with segments left over is newer.
// Returns -1, 0 or 1. Total for any bytes. Thread-safe; does not allocate.
int CompareRpmSegments(std::string_view a, std::string_view b);

// True when `text` is an EVR string rpmbuild would put in a package: an
// optional epoch of 0 to 4294967295 followed by ':', a version and an
// optional release, both non-empty and made of ASCII letters, digits and
// "._+~^" with no "..". ParseRpmEvr accepts much more (see above).
bool IsValidRpmVersion(std::string_view text);

}  // namespace bulwark::version

#endif  // BULWARK_VERSION_RPM_VERSION_H_
