#include "version/version.h"

#include <string>

#include "version/apk_version.h"
#include "version/dpkg_version.h"
#include "version/pep440_version.h"
#include "version/rpm_version.h"
#include "version/semver_version.h"

namespace bulwark::version {
namespace {

// Longest constraint text ParseConstraint accepts.
constexpr size_t kMaxConstraintLength = 16 * 1024;

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Error InvalidConstraint(std::string_view text, std::string_view reason) {
  return Error(ErrorCode::kInvalidArgument,
               "version constraint \"" + std::string(text) + "\": " + std::string(reason));
}

// Splits a leading operator off `item`; a bare version means equality.
Operator TakeOperator(std::string_view& item) {
  struct Spelling {
    std::string_view text;
    Operator op;
  };
  // Two-character spellings first so "<=" is not read as "<".
  static constexpr Spelling kSpellings[] = {
      {"<=", Operator::kLessEqual}, {">=", Operator::kGreaterEqual}, {"==", Operator::kEqual},
      {"!=", Operator::kNotEqual},  {"<", Operator::kLess},          {">", Operator::kGreater},
      {"=", Operator::kEqual},
  };
  for (const Spelling& spelling : kSpellings) {
    if (item.substr(0, spelling.text.size()) == spelling.text) {
      item.remove_prefix(spelling.text.size());
      return spelling.op;
    }
  }
  return Operator::kEqual;
}

Result<Comparison> ParseComparison(std::string_view whole, std::string_view item) {
  item = TrimSpaces(item);
  if (item.empty()) return InvalidConstraint(whole, "empty comparison");

  Comparison comparison;
  comparison.op = TakeOperator(item);
  item = TrimSpaces(item);
  if (item.empty()) return InvalidConstraint(whole, "operator without a version");
  // '!' may not open a version (that is a mistyped "!="), but may follow a
  // PEP 440 epoch ("1!2.0").
  for (size_t i = 0; i < item.size(); ++i) {
    char c = item[i];
    if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == '=' || (c == '!' && i == 0)) {
      return InvalidConstraint(whole, "unexpected \"" + std::string(1, c) + "\" in version \"" +
                                          std::string(item) + "\"");
    }
  }
  comparison.version = std::string(item);
  return comparison;
}

bool Holds(Operator op, int order) {
  switch (op) {
    case Operator::kLess:
      return order < 0;
    case Operator::kLessEqual:
      return order <= 0;
    case Operator::kEqual:
      return order == 0;
    case Operator::kNotEqual:
      return order != 0;
    case Operator::kGreaterEqual:
      return order >= 0;
    case Operator::kGreater:
      return order > 0;
  }
  return false;
}

Result<int> CompareDeb(std::string_view a, std::string_view b) {
  // dpkg orders versions it only warns about, so they are accepted here too.
  BULWARK_ASSIGN_OR_RETURN(DpkgParse left, ParseDpkgVersion(a));
  BULWARK_ASSIGN_OR_RETURN(DpkgParse right, ParseDpkgVersion(b));
  return CompareDpkgVersions(left.version, right.version);
}

Result<int> CompareApk(std::string_view a, std::string_view b) {
  for (std::string_view v : {a, b}) {
    if (!IsComparableApkVersion(v)) {
      return Error(ErrorCode::kInvalidArgument,
                   "Alpine version \"" + std::string(v) + "\": not a valid apk version");
    }
  }
  return CompareApkVersions(a, b);
}

// As rpm's dependency resolver does, a constraint version without a release
// ("openssl <= 3.0.7") compares only epoch and version, so it covers every
// release of 3.0.7: the installed release is left out of the comparison.
Result<int> CompareRpmForConstraint(std::string_view installed, std::string_view wanted) {
  BULWARK_ASSIGN_OR_RETURN(RpmEvr left, ParseRpmEvr(installed));
  BULWARK_ASSIGN_OR_RETURN(RpmEvr right, ParseRpmEvr(wanted));
  if (!right.has_release) {
    left.release = {};
    left.has_release = false;
  }
  return CompareRpmEvr(left, right);
}

Result<int> CompareRpm(std::string_view a, std::string_view b) {
  BULWARK_ASSIGN_OR_RETURN(RpmEvr left, ParseRpmEvr(a));
  BULWARK_ASSIGN_OR_RETURN(RpmEvr right, ParseRpmEvr(b));
  return CompareRpmEvr(left, right);
}

// node-semver's loose reading, so "v1.2.3" and "=1.2.3" from package
// manifests compare like "1.2.3".
Result<int> CompareSemverVersions(std::string_view a, std::string_view b) {
  BULWARK_ASSIGN_OR_RETURN(SemverVersion left, ParseSemver(a, SemverMode::kLoose));
  BULWARK_ASSIGN_OR_RETURN(SemverVersion right, ParseSemver(b, SemverMode::kLoose));
  return CompareSemver(left, right);
}

Result<int> ComparePep440Versions(std::string_view a, std::string_view b) {
  BULWARK_ASSIGN_OR_RETURN(Pep440Version left, ParsePep440(a));
  BULWARK_ASSIGN_OR_RETURN(Pep440Version right, ParsePep440(b));
  return ComparePep440(left, right);
}

Result<int> CompareUnsigned(Ecosystem ecosystem, std::string_view a, std::string_view b) {
  switch (ecosystem) {
    case Ecosystem::kDeb:
      return CompareDeb(a, b);
    case Ecosystem::kApk:
      return CompareApk(a, b);
    case Ecosystem::kRpm:
      return CompareRpm(a, b);
    case Ecosystem::kSemver:
      return CompareSemverVersions(a, b);
    case Ecosystem::kPep440:
      return ComparePep440Versions(a, b);
  }
  return Error(ErrorCode::kInternal, "unknown version ecosystem");
}

struct EcosystemSpelling {
  std::string_view name;
  Ecosystem ecosystem;
};

// Canonical names first, each followed by its aliases; the error message
// lists them in this order.
constexpr EcosystemSpelling kEcosystemSpellings[] = {
    {"deb", Ecosystem::kDeb},       {"dpkg", Ecosystem::kDeb},      {"debian", Ecosystem::kDeb},
    {"apk", Ecosystem::kApk},       {"alpine", Ecosystem::kApk},    {"rpm", Ecosystem::kRpm},
    {"redhat", Ecosystem::kRpm},    {"semver", Ecosystem::kSemver}, {"npm", Ecosystem::kSemver},
    {"pep440", Ecosystem::kPep440}, {"pypi", Ecosystem::kPep440},   {"python", Ecosystem::kPep440},
};

}  // namespace

Result<Ecosystem> ParseEcosystem(std::string_view name) {
  for (const EcosystemSpelling& spelling : kEcosystemSpellings) {
    if (spelling.name == name) return spelling.ecosystem;
  }
  return Error(ErrorCode::kInvalidArgument,
               "version ecosystem \"" + std::string(name) +
                   "\": expected deb (or dpkg, debian), apk (alpine), rpm (redhat), semver (npm) "
                   "or pep440 (pypi, python)");
}

std::string_view EcosystemName(Ecosystem ecosystem) {
  switch (ecosystem) {
    case Ecosystem::kDeb:
      return "deb";
    case Ecosystem::kApk:
      return "apk";
    case Ecosystem::kRpm:
      return "rpm";
    case Ecosystem::kSemver:
      return "semver";
    case Ecosystem::kPep440:
      return "pep440";
  }
  return "unknown";
}

Result<int> Compare(Ecosystem ecosystem, std::string_view a, std::string_view b) {
  Result<int> order = CompareUnsigned(ecosystem, a, b);
  if (!order.ok()) return order;
  return *order < 0 ? -1 : (*order > 0 ? 1 : 0);
}

bool IsValid(Ecosystem ecosystem, std::string_view version) {
  switch (ecosystem) {
    case Ecosystem::kDeb: {
      Result<DpkgParse> parsed = ParseDpkgVersion(version);
      return parsed.ok() && parsed->syntax_warning.empty();
    }
    case Ecosystem::kApk:
      return IsValidApkVersion(version);
    case Ecosystem::kRpm:
      return IsValidRpmVersion(version);
    case Ecosystem::kSemver:
      return IsValidSemver(version);
    case Ecosystem::kPep440:
      return IsValidPep440(version);
  }
  return false;
}

Result<Constraint> ParseConstraint(std::string_view text) {
  if (text.size() > kMaxConstraintLength) {
    return Error(ErrorCode::kLimitExceeded,
                 "version constraint of " + std::to_string(text.size()) + " bytes");
  }
  Constraint constraint;
  constraint.text = std::string(text);
  if (TrimSpaces(text).empty()) return constraint;

  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    BULWARK_ASSIGN_OR_RETURN(Comparison comparison, ParseComparison(text, item));
    constraint.all_of.push_back(std::move(comparison));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return constraint;
}

// LIMITATION(#4): every comparison is a plain ordering. node-semver ranges
// ("^1.2", "1.x") and PEP 440 wildcards ("==1.*") are not understood: they
// reach Compare as invalid versions, so Satisfies fails naming the
// constraint. PEP 440's "==" ignoring local labels, "<" leaving out
// pre-releases are not followed either: "== 1.0" does not match 1.0+local,
// "< 2.0" matches 2.0rc1.
Result<bool> Satisfies(Ecosystem ecosystem, std::string_view version,
                       const Constraint& constraint) {
  for (const Comparison& comparison : constraint.all_of) {
    Result<int> order = ecosystem == Ecosystem::kRpm
                            ? CompareRpmForConstraint(version, comparison.version)
                            : Compare(ecosystem, version, comparison.version);
    if (!order.ok()) return order.error().Wrap("constraint \"" + constraint.text + "\"");
    if (!Holds(comparison.op, *order)) return false;
  }
  return true;
}

}  // namespace bulwark::version
