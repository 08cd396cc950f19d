// Version ordering per ecosystem, and version constraints.
#ifndef BULWARK_VERSION_VERSION_H_
#define BULWARK_VERSION_VERSION_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bulwark::version {

enum class Ecosystem { kDeb, kApk, kRpm, kSemver, kPep440 };

// "deb" or "apk" (also "dpkg", "debian", "alpine"); kInvalidArgument otherwise.
Result<Ecosystem> ParseEcosystem(std::string_view name);
std::string_view EcosystemName(Ecosystem ecosystem);

// Returns <0, 0 or >0 as a is older, equal or newer than b under the
// ecosystem's own rules (dpkg: epoch, upstream, revision with '~'; apk:
// apk-tools rules with suffixes). kInvalidArgument names an invalid version.
// The result is always -1, 0 or 1. Accepted inputs are those the ecosystem's
// tool orders: for deb, what dpkg only warns about ("a1.0", "1.0_1") is
// ordered as dpkg orders it; for apk, the apk-tools 2 letter-digit form
// ("1.9.5p2-r1") is ordered as well. See docs/version-ordering.md.
// Thread-safe.
Result<int> Compare(Ecosystem ecosystem, std::string_view a, std::string_view b);

// True when `version` follows the ecosystem's grammar strictly (no dpkg
// warning; apk-tools 3 grammar). Compare accepts a little more, see above.
bool IsValid(Ecosystem ecosystem, std::string_view version);

enum class Operator { kLess, kLessEqual, kEqual, kNotEqual, kGreaterEqual, kGreater };

// One comparison such as "< 3.0.11-1~deb12u2".
struct Comparison {
  Operator op = Operator::kEqual;
  std::string version;
};

// A conjunction of comparisons: "< 3.0.11-1~deb12u2", ">= 1.0, < 2.0".
// Empty means any version.
struct Constraint {
  std::vector<Comparison> all_of;
  std::string text;  // As written, for reports.
};

// Parses a comma-separated list of "<op> version" (ops: < <= = == != >= >;
// a bare version means =). kInvalidArgument with the reason.
Result<Constraint> ParseConstraint(std::string_view text);

// Whether `version` satisfies every comparison, under the ecosystem's ordering.
Result<bool> Satisfies(Ecosystem ecosystem, std::string_view version, const Constraint& constraint);

}  // namespace bulwark::version

#endif  // BULWARK_VERSION_VERSION_H_
