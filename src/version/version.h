// Version ordering per ecosystem, and version constraints.
#ifndef BULWARK_VERSION_VERSION_H_
#define BULWARK_VERSION_VERSION_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bulwark::version {

enum class Ecosystem { kDeb, kApk, kRpm, kSemver, kPep440 };

// The ecosystem named "deb", "apk", "rpm", "semver" or "pep440", or by one of
// the aliases "dpkg", "debian"; "alpine"; "redhat"; "npm"; "pypi", "python".
// kInvalidArgument listing every accepted name otherwise.
Result<Ecosystem> ParseEcosystem(std::string_view name);
// The canonical name: "deb", "apk", "rpm", "semver" or "pep440".
std::string_view EcosystemName(Ecosystem ecosystem);

// Returns <0, 0 or >0 as a is older, equal or newer than b under the
// ecosystem's own rules (dpkg: epoch, upstream, revision with '~'; apk:
// apk-tools rules with suffixes; rpm: epoch, version, release with rpm's
// segment rule, '~' and '^'; semver: SemVer 2.0.0 precedence; pep440: PEP 440
// as the packaging library orders it). kInvalidArgument names an invalid
// version and its ecosystem; kLimitExceeded a version over 4096 bytes.
// The result is always -1, 0 or 1. Accepted inputs are those the ecosystem's
// tool orders: for deb, what dpkg only warns about ("a1.0", "1.0_1") is
// ordered as dpkg orders it; for apk, the apk-tools 2 letter-digit form
// ("1.9.5p2-r1") is ordered as well; for rpm, any EVR string without
// whitespace or control bytes; for semver, node-semver's loose forms
// ("v1.2.3", "= 1.2.3"); for pep440, every spelling PEP 440 normalises.
// See docs/version-ordering.md. Thread-safe; allocates only for errors.
Result<int> Compare(Ecosystem ecosystem, std::string_view a, std::string_view b);

// True when `version` follows the ecosystem's grammar strictly (no dpkg
// warning; apk-tools 3 grammar; what rpmbuild accepts; the SemVer 2.0.0
// grammar without prefixes; any valid PEP 440 spelling). Compare accepts a
// little more, see above. Thread-safe.
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
// a bare version means =). A version may not contain spaces, '<', '>' or
// '=', nor start with '!' (a later '!' is a PEP 440 epoch: "1!2.0").
// Versions are only checked by Satisfies, under an ecosystem.
// kInvalidArgument with the reason.
Result<Constraint> ParseConstraint(std::string_view text);

// Whether `version` satisfies every comparison, under the ecosystem's ordering.
// The comparisons are plain orderings: no semver ranges ("^1.2", "1.x") and
// no PEP 440 specifier rules ("~=", "==1.*", pre-release exclusion).
// kInvalidArgument (naming the constraint) when a version is invalid.
Result<bool> Satisfies(Ecosystem ecosystem, std::string_view version, const Constraint& constraint);

}  // namespace bulwark::version

#endif  // BULWARK_VERSION_VERSION_H_
