#include "version/version.h"

#include <string>

#include "version/apk_version.h"
#include "version/dpkg_version.h"

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
  for (char c : item) {
    if (c == ' ' || c == '\t' || c == '<' || c == '>' || c == '=' || c == '!') {
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

}  // namespace

Result<Ecosystem> ParseEcosystem(std::string_view name) {
  if (name == "deb" || name == "dpkg" || name == "debian") return Ecosystem::kDeb;
  if (name == "apk" || name == "alpine") return Ecosystem::kApk;
  return Error(ErrorCode::kInvalidArgument,
               "version ecosystem \"" + std::string(name) + "\": expected deb or apk");
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
  if (ecosystem != Ecosystem::kDeb && ecosystem != Ecosystem::kApk) {
    // TODO(#4): rpm, semver and PEP 440 ordering.
    return Error(ErrorCode::kUnsupported, std::string(EcosystemName(ecosystem)) +
                                              " version ordering is not implemented yet");
  }
  Result<int> order = ecosystem == Ecosystem::kDeb ? CompareDeb(a, b) : CompareApk(a, b);
  if (!order.ok()) return order;
  return *order < 0 ? -1 : (*order > 0 ? 1 : 0);
}

bool IsValid(Ecosystem ecosystem, std::string_view version) {
  if (ecosystem == Ecosystem::kApk) return IsValidApkVersion(version);
  if (ecosystem != Ecosystem::kDeb) return false;  // TODO(#4): rpm, semver, PEP 440.
  Result<DpkgParse> parsed = ParseDpkgVersion(version);
  return parsed.ok() && parsed->syntax_warning.empty();
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

Result<bool> Satisfies(Ecosystem ecosystem, std::string_view version,
                       const Constraint& constraint) {
  for (const Comparison& comparison : constraint.all_of) {
    Result<int> order = Compare(ecosystem, version, comparison.version);
    if (!order.ok()) return order.error().Wrap("constraint \"" + constraint.text + "\"");
    if (!Holds(comparison.op, *order)) return false;
  }
  return true;
}

}  // namespace bulwark::version
