#include "policy/policy.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "image/reference.h"
#include "policy/advisory_id.h"
#include "policy/control.h"
#include "policy/finding_text.h"
#include "policy/terminal_text.h"
#include "policy/utc_time.h"

namespace bulwark::policy {
namespace {

constexpr size_t kMaxDocumentBytes = 1 << 20;
constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxQuotedLength = 120;

constexpr size_t kMaxReasonLength = 1000;
constexpr size_t kMaxPatternLength = 256;
constexpr int kMaxGracePeriodDays = 365;
constexpr int kMaxAgeDays = 3650;

constexpr std::array<std::string_view, 4> kTopLevelKeys = {"name", "enforce", "controls",
                                                           "exceptions"};
constexpr std::array<std::string_view, 9> kControlKeys = {
    "approvedBaseImages", "blockedPackages", "requiredPackages", "superuser",   "labels",
    "vulnerabilities",    "blockedCves",     "allowedCves",      "advisoryData"};
constexpr std::array<std::string_view, 2> kPackageRuleKeys = {"name", "version"};
constexpr std::array<std::string_view, 2> kLabelKeys = {"required", "forbidden"};
constexpr std::array<std::string_view, 5> kVulnerabilityKeys = {
    "failAtOrAbove", "failAboveCvss", "fixableOnly", "ignoreBaseImage", "gracePeriodDays"};
constexpr std::array<std::string_view, 2> kAdvisoryDataKeys = {"maxAgeDays", "requireDistroData"};
constexpr std::array<std::string_view, 5> kExceptionKeys = {"reason", "expires", "images",
                                                            "packages", "advisories"};

// Quotes user text for a message, cut short so a huge value cannot flood it
// and escaped so that binary or hostile bytes cannot drive the terminal.
std::string Quote(std::string_view text) {
  std::string quoted = "\"" + EscapeForTerminal(text.substr(0, kMaxQuotedLength));
  if (text.size() > kMaxQuotedLength) quoted += "...";
  return quoted + "\"";
}

// A name no installed package can carry would make a rule that never matches:
// a blocked package let through, a required one never found. Debian Policy
// allows only lower-case letters, digits and + . - in package names
// (https://www.debian.org/doc/debian-policy/ch-controlfields.html#source),
// Alpine's abuild adds _, and rpm names also use upper case (NetworkManager).
// Rules match names without regard to ASCII case (package_match.cc), so
// "Telnet" still blocks Debian's telnet.
bool IsPackageNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '.' || c == '_' || c == '-';
}

// Why `name` cannot be a binary package name, or an empty string when it can.
std::string PackageNameProblem(std::string_view name) {
  constexpr std::string_view kAllowed =
      "a package name is ASCII letters, digits 0-9 and the characters + . _ -, "
      "starting with a letter or a digit";
  if (name.empty()) return std::string("expected a package name; ") + std::string(kAllowed);

  // A colon is how dpkg writes "name:architecture"; say so rather than only
  // pointing at a bad character.
  if (size_t colon = name.find(':'); colon != std::string_view::npos) {
    return "architecture qualifiers are not supported: " + Quote(name) +
           "; a rule matches every architecture, so write the name alone (" +
           Quote(name.substr(0, colon)) + ")";
  }

  auto bad = std::find_if_not(name.begin(), name.end(), IsPackageNameCharacter);
  bool bad_start =
      bad == name.end() && (name[0] == '+' || name[0] == '.' || name[0] == '_' || name[0] == '-');
  if (bad == name.end() && !bad_start) return "";

  std::string what;
  if (bad_start) {
    what = "starts with " + Quote(name.substr(0, 1));
  } else if (static_cast<unsigned char>(*bad) >= 0x80) {
    what = "contains a character outside ASCII (a look-alike letter?)";
  } else {
    what = "contains " + Quote(std::string_view(&*bad, 1));
  }
  return "expected a package name, but " + Quote(name) + " " + what + "; " + std::string(kAllowed);
}

// True when `text` holds anything a terminal could act on or that is not
// UTF-8: exactly what EscapeForTerminal rewrites.
bool HasControlCharacter(std::string_view text) { return EscapeForTerminal(text) != text; }

// Why `pattern` cannot be an image name pattern, or "" when it can. Image
// names hold no spaces or control characters, so a pattern with them matches
// nothing.
std::string ImagePatternProblem(std::string_view pattern) {
  if (pattern.empty()) return "expected an image name pattern such as registry.example.com/app:*";
  if (pattern.size() > kMaxPatternLength) {
    return "longer than " + std::to_string(kMaxPatternLength) + " bytes";
  }
  if (HasControlCharacter(pattern) || pattern.find(' ') != std::string_view::npos) {
    return Quote(pattern) + " contains a space, a control character or bytes that are not UTF-8";
  }
  return "";
}

// Why `name` cannot be the package name of an exception, or "" when it can.
// Exceptions name binary or source packages of any format, and rpm names may
// hold upper case (NetworkManager), so the set is wider than for package
// rules; a name outside it could never match.
std::string ExceptionPackageProblem(std::string_view name) {
  constexpr std::string_view kAllowed =
      "a package name is ASCII letters, digits and the characters + . _ -, starting with a "
      "letter or a digit";
  if (name.empty()) return "expected a package name; " + std::string(kAllowed);
  if (size_t colon = name.find(':'); colon != std::string_view::npos) {
    return "architecture qualifiers are not supported: " + Quote(name) +
           "; an exception matches every architecture, so write the name alone (" +
           Quote(name.substr(0, colon)) + ")";
  }
  auto allowed = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '.' || c == '_' || c == '-';
  };
  bool bad_start = !((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
                     (name[0] >= '0' && name[0] <= '9'));
  if (bad_start || std::find_if_not(name.begin(), name.end(), allowed) != name.end()) {
    return "expected a package name, not " + Quote(name) + "; " + std::string(kAllowed);
  }
  return "";
}

// Why an exception's reason cannot be shown in a report, or "" when it can.
std::string ReasonProblem(std::string_view reason) {
  if (reason.empty()) return "must not be empty; say why the exception is granted";
  if (reason.size() > kMaxReasonLength) {
    return "longer than " + std::to_string(kMaxReasonLength) + " bytes";
  }
  if (HasControlCharacter(reason)) {
    return "contains a line break, a control character or bytes that are not UTF-8; write the "
           "reason on one line";
  }
  return "";
}

// `text` without leading and trailing spaces, tabs and line breaks: a folded
// YAML block (reason: >) ends in a line break that is not part of the reason.
std::string Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  size_t first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return "";
  size_t last = text.find_last_not_of(kSpace);
  return std::string(text.substr(first, last - first + 1));
}

// A checker for one item of a list of text: "" when the item is fine, else why.
using ItemProblem = std::string (*)(std::string_view item);

template <size_t N>
std::string JoinKeys(const std::array<std::string_view, N>& keys) {
  std::string joined;
  for (std::string_view key : keys) {
    if (!joined.empty()) joined += ", ";
    joined += key;
  }
  return joined;
}

// A node's 1-based line. yaml-cpp gives null nodes (an empty value) the mark of
// whatever follows them, so callers pass the line of the key that owns the node.
int LineOf(const YAML::Node& node, int fallback) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || node.IsNull()) return fallback;
  return mark.line + 1;
}

// A mapping's value with the line to blame for it: its own, or its key's when
// the value is empty.
struct Field {
  YAML::Node value;
  int line = 0;
};

// Finds `key` in a mapping already checked by CheckMapping (keys are unique scalars).
std::optional<Field> Lookup(const YAML::Node& map, std::string_view key, int fallback) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.Scalar() != key) continue;
    int key_line = LineOf(it->first, fallback);
    return Field{it->second, LineOf(it->second, key_line)};
  }
  return std::nullopt;
}

// Walks one parsed document. Every error reads "ORIGIN line N: PATH: reason".
class DocumentParser {
 public:
  explicit DocumentParser(std::string origin) : origin_(std::move(origin)) {}

  Result<Policy> Parse(const YAML::Node& root);

 private:
  // `reason` may quote the document (directly or through a reference or
  // version parser's message), so it is escaped for the terminal.
  Error Fail(int line, std::string_view path, std::string_view reason) const {
    std::string message = origin_ + " line " + std::to_string(line) + ": ";
    if (!path.empty()) message += std::string(path) + ": ";
    return Error(ErrorCode::kInvalidArgument, message + EscapeForTerminal(reason));
  }

  // Checks that `map` is a mapping with scalar, unique keys out of `allowed`.
  template <size_t N>
  Status CheckMapping(const YAML::Node& map, int line, std::string_view path,
                      const std::array<std::string_view, N>& allowed) const;

  Result<std::string> ReadString(const YAML::Node& node, int line, std::string_view path) const;
  Result<bool> ReadBool(const YAML::Node& node, int line, std::string_view path) const;
  // A plain (unquoted) finite number.
  Result<double> ReadNumber(const YAML::Node& node, int line, std::string_view path) const;
  // A plain whole number from `min` to `max`; `unit` names it in messages ("days").
  Result<int> ReadWholeNumber(const YAML::Node& node, int line, std::string_view path, int min,
                              int max, std::string_view unit) const;
  // A non-empty list of text, each item passing `problem`.
  Result<std::vector<std::string>> ReadTextList(const YAML::Node& node, int line,
                                                std::string_view path, ItemProblem problem) const;
  // A non-empty list of label keys, each non-empty and free of control characters.
  Result<std::vector<std::string>> ReadLabelKeys(const YAML::Node& node, int line,
                                                 std::string_view path) const;

  Status ParseControls(const YAML::Node& controls, int line, Policy& policy) const;
  Result<std::vector<ApprovedImage>> ParseApprovedImages(const YAML::Node& node, int line) const;
  Result<std::vector<PackageRule>> ParsePackageRules(const YAML::Node& node, int line,
                                                     std::string_view path) const;
  Result<PackageRule> ParsePackageRule(const YAML::Node& node, int line,
                                       const std::string& path) const;
  Result<SuperuserRule> ParseSuperuser(const YAML::Node& node, int line) const;
  Status ParseLabels(const YAML::Node& node, int line, Policy& policy) const;
  Result<VulnerabilityRule> ParseVulnerabilities(const YAML::Node& node, int line) const;
  Result<vulndb::Severity> ParseSeverityThreshold(const YAML::Node& node, int line,
                                                  std::string_view path) const;
  Result<std::vector<CveRule>> ParseCveRules(const YAML::Node& node, int line,
                                             std::string_view path) const;
  Result<AdvisoryDataRule> ParseAdvisoryData(const YAML::Node& node, int line) const;
  // Refuses advisory rules that contradict each other or act on nothing.
  Status CheckAdvisoryRules(const Policy& policy, int allowed_line) const;
  Result<std::vector<PolicyException>> ParseExceptions(const YAML::Node& node, int line) const;
  Result<PolicyException> ParseException(const YAML::Node& node, int line,
                                         const std::string& path) const;

  std::string origin_;
};

template <size_t N>
Status DocumentParser::CheckMapping(const YAML::Node& map, int line, std::string_view path,
                                    const std::array<std::string_view, N>& allowed) const {
  if (!map.IsMap()) return Fail(line, path, "expected a mapping with keys " + JoinKeys(allowed));

  std::set<std::string> seen;
  for (auto it = map.begin(); it != map.end(); ++it) {
    // The iterator yields a proxy by value; keep a copy, not a reference into it.
    const YAML::Node key = it->first;
    int key_line = LineOf(key, line);
    if (!key.IsScalar()) return Fail(key_line, path, "keys must be plain text");
    const std::string& text = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
      return Fail(key_line, path,
                  "unknown key " + Quote(text) + "; expected one of " + JoinKeys(allowed));
    }
    if (!seen.insert(text).second) return Fail(key_line, path, "duplicate key " + Quote(text));
  }
  return Ok();
}

Result<std::string> DocumentParser::ReadString(const YAML::Node& node, int line,
                                               std::string_view path) const {
  if (!node.IsScalar()) return Fail(line, path, "expected text");
  return node.Scalar();
}

// Only the YAML 1.2 (and JSON) spellings count; "yes", "on" or a quoted
// "true" are refused so that a typo cannot flip enforcement.
Result<bool> DocumentParser::ReadBool(const YAML::Node& node, int line,
                                      std::string_view path) const {
  if (node.IsScalar() && node.Tag() != "!") {
    if (node.Scalar() == "true") return true;
    if (node.Scalar() == "false") return false;
  }
  return Fail(line, path, "expected true or false");
}

// Numbers are plain scalars; a quoted "7" is text and refused, as for
// booleans, so that YAML and JSON documents read alike.
Result<double> DocumentParser::ReadNumber(const YAML::Node& node, int line,
                                          std::string_view path) const {
  if (!node.IsScalar() || node.Tag() == "!") return Fail(line, path, "expected a number");
  const std::string& text = node.Scalar();
  double value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || !std::isfinite(value)) {
    return Fail(line, path, "expected a number, not " + Quote(text));
  }
  return value;
}

Result<int> DocumentParser::ReadWholeNumber(const YAML::Node& node, int line, std::string_view path,
                                            int min, int max, std::string_view unit) const {
  std::string range =
      "from " + std::to_string(min) + " to " + std::to_string(max) + " " + std::string(unit);
  if (!node.IsScalar() || node.Tag() == "!") {
    return Fail(line, path, "expected a whole number of " + std::string(unit));
  }
  const std::string& text = node.Scalar();
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end) {
    return Fail(line, path,
                "expected a whole number of " + std::string(unit) + ", not " + Quote(text));
  }
  if (value < min || value > max) {
    return Fail(line, path, Quote(text) + " is out of range; expected " + range);
  }
  return static_cast<int>(value);
}

Result<std::vector<std::string>> DocumentParser::ReadTextList(const YAML::Node& node, int line,
                                                              std::string_view path,
                                                              ItemProblem problem) const {
  if (!node.IsSequence()) return Fail(line, path, "expected a list");
  if (node.size() == 0) return Fail(line, path, "empty list; list at least one, or leave it out");

  std::vector<std::string> values;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    int item_line = LineOf(item, line);
    BULWARK_ASSIGN_OR_RETURN(std::string value, ReadString(item, item_line, item_path));
    if (std::string why = problem(value); !why.empty()) return Fail(item_line, item_path, why);
    values.push_back(std::move(value));
  }
  return values;
}

Result<std::vector<std::string>> DocumentParser::ReadLabelKeys(const YAML::Node& node, int line,
                                                               std::string_view path) const {
  if (!node.IsSequence()) return Fail(line, path, "expected a list");
  if (node.size() == 0) {
    return Fail(line, path, "empty list; list at least one label key, or leave the key out");
  }

  std::vector<std::string> values;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    int item_line = LineOf(item, line);
    BULWARK_ASSIGN_OR_RETURN(std::string value, ReadString(item, item_line, item_path));
    if (value.empty()) return Fail(item_line, item_path, "must not be empty");
    if (HasControlCharacter(value)) {
      return Fail(item_line, item_path,
                  Quote(value) + " contains a control character or bytes that are not UTF-8");
    }
    values.push_back(std::move(value));
  }
  return values;
}

Result<Policy> DocumentParser::Parse(const YAML::Node& root) {
  if (root.IsNull()) return Fail(1, "", "the document is empty; expected name and controls");
  BULWARK_TRY(CheckMapping(root, 1, "", kTopLevelKeys));
  Policy policy;
  policy.origin = origin_;

  std::optional<Field> name = Lookup(root, "name", 1);
  if (!name) return Fail(1, "", "missing key \"name\"");
  int name_line = name->line;
  BULWARK_ASSIGN_OR_RETURN(policy.name, ReadString(name->value, name_line, "name"));
  if (policy.name.empty()) return Fail(name_line, "name", "must not be empty");
  if (policy.name.size() > kMaxNameLength) {
    return Fail(name_line, "name", "longer than " + std::to_string(kMaxNameLength) + " bytes");
  }
  // The name keys the store and every report; a name that is not UTF-8 would
  // be stored as given but written into JSON, SARIF and XML reports with
  // replacement characters, so the reports could not name it (#2).
  if (HasControlCharacter(policy.name)) {
    return Fail(name_line, "name", "contains a control character or bytes that are not UTF-8");
  }

  if (std::optional<Field> enforce = Lookup(root, "enforce", 1)) {
    BULWARK_ASSIGN_OR_RETURN(policy.enforce, ReadBool(enforce->value, enforce->line, "enforce"));
  }

  std::optional<Field> controls = Lookup(root, "controls", 1);
  if (!controls) return Fail(1, "", "missing key \"controls\"");
  BULWARK_TRY(ParseControls(controls->value, controls->line, policy));

  if (std::optional<Field> exceptions = Lookup(root, "exceptions", 1)) {
    BULWARK_ASSIGN_OR_RETURN(policy.exceptions,
                             ParseExceptions(exceptions->value, exceptions->line));
    // Exceptions take findings out of these two controls and nothing else.
    if (!policy.vulnerabilities.has_value() && policy.blocked_cves.empty()) {
      return Fail(exceptions->line, "exceptions",
                  "exceptions apply to the vulnerabilities and blockedCves controls, and this "
                  "policy sets neither");
    }
  }

  // Each control refuses its own empty form above; this catches any control
  // that parses to nothing, so a policy never passes every image unjudged.
  const auto& all = internal::AllControls();
  bool any_set = std::any_of(all.begin(), all.end(),
                             [&](const auto& control) { return control->IsSet(policy); });
  if (!any_set) {
    return Fail(controls->line, "controls", "no control is set; a policy must check something");
  }
  return policy;
}

Status DocumentParser::ParseControls(const YAML::Node& controls, int line, Policy& policy) const {
  BULWARK_TRY(CheckMapping(controls, line, "controls", kControlKeys));
  if (controls.size() == 0) {
    return Fail(line, "controls", "no control is set; a policy must check something");
  }

  int allowed_line = line;
  for (auto it = controls.begin(); it != controls.end(); ++it) {
    const std::string key = it->first.Scalar();
    const YAML::Node value = it->second;
    int key_line = LineOf(it->first, line);
    int value_line = LineOf(value, key_line);
    if (key == "approvedBaseImages") {
      BULWARK_ASSIGN_OR_RETURN(policy.approved_base_images, ParseApprovedImages(value, value_line));
    } else if (key == "blockedPackages") {
      BULWARK_ASSIGN_OR_RETURN(policy.blocked_packages,
                               ParsePackageRules(value, value_line, "controls.blockedPackages"));
    } else if (key == "requiredPackages") {
      BULWARK_ASSIGN_OR_RETURN(policy.required_packages,
                               ParsePackageRules(value, value_line, "controls.requiredPackages"));
    } else if (key == "superuser") {
      BULWARK_ASSIGN_OR_RETURN(policy.superuser, ParseSuperuser(value, value_line));
    } else if (key == "labels") {
      BULWARK_TRY(ParseLabels(value, value_line, policy));
    } else if (key == "vulnerabilities") {
      BULWARK_ASSIGN_OR_RETURN(policy.vulnerabilities, ParseVulnerabilities(value, value_line));
    } else if (key == "blockedCves") {
      BULWARK_ASSIGN_OR_RETURN(policy.blocked_cves,
                               ParseCveRules(value, value_line, "controls.blockedCves"));
    } else if (key == "allowedCves") {
      allowed_line = key_line;
      BULWARK_ASSIGN_OR_RETURN(policy.allowed_cves,
                               ParseCveRules(value, value_line, "controls.allowedCves"));
    } else {
      BULWARK_ASSIGN_OR_RETURN(policy.advisory_data, ParseAdvisoryData(value, value_line));
    }
  }
  return CheckAdvisoryRules(policy, allowed_line);
}

Result<std::vector<ApprovedImage>> DocumentParser::ParseApprovedImages(const YAML::Node& node,
                                                                       int line) const {
  constexpr std::string_view kPath = "controls.approvedBaseImages";
  if (!node.IsSequence() || node.size() == 0) {
    return Fail(line, kPath, "expected a non-empty list of image references");
  }

  std::vector<ApprovedImage> approved;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    std::string path = std::string(kPath) + "[" + std::to_string(i) + "]";
    int item_line = LineOf(item, line);
    BULWARK_ASSIGN_OR_RETURN(std::string text, ReadString(item, item_line, path));

    auto reference = image::Reference::Parse(text);
    if (!reference.ok()) return Fail(item_line, path, reference.error().message());
    approved.push_back(ApprovedImage{.text = text,
                                     .reference = reference->NameAndTag(),
                                     .name = reference->Name(),
                                     .tag = reference->tag,
                                     .digest = reference->digest,
                                     .line = item_line});
  }
  return approved;
}

Result<std::vector<PackageRule>> DocumentParser::ParsePackageRules(const YAML::Node& node, int line,
                                                                   std::string_view path) const {
  if (!node.IsSequence() || node.size() == 0) {
    return Fail(line, path, "expected a non-empty list of {name, version} entries");
  }

  std::vector<PackageRule> rules;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    BULWARK_ASSIGN_OR_RETURN(PackageRule rule,
                             ParsePackageRule(node[i], LineOf(node[i], line), item_path));
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<PackageRule> DocumentParser::ParsePackageRule(const YAML::Node& node, int line,
                                                     const std::string& path) const {
  if (node.IsScalar()) {
    std::string example = node.Scalar().substr(0, kMaxQuotedLength);
    return Fail(line, path, "expected a mapping such as {name: " + example + "}");
  }
  BULWARK_TRY(CheckMapping(node, line, path, kPackageRuleKeys));
  PackageRule rule;
  rule.line = line;

  std::optional<Field> name = Lookup(node, "name", line);
  if (!name) return Fail(line, path, "missing key \"name\"");
  int name_line = name->line;
  BULWARK_ASSIGN_OR_RETURN(rule.name, ReadString(name->value, name_line, path + ".name"));
  if (std::string problem = PackageNameProblem(rule.name); !problem.empty()) {
    return Fail(name_line, path + ".name", problem);
  }

  if (std::optional<Field> version = Lookup(node, "version", line)) {
    int version_line = version->line;
    BULWARK_ASSIGN_OR_RETURN(std::string text,
                             ReadString(version->value, version_line, path + ".version"));
    if (text.find_first_not_of(" \t") == std::string::npos) {
      return Fail(version_line, path + ".version",
                  "empty constraint; leave out \"version\" to match every version");
    }
    auto constraint = version::ParseConstraint(text);
    if (!constraint.ok()) {
      return Fail(version_line, path + ".version",
                  "constraint " + Quote(text) + ": " + constraint.error().message());
    }
    rule.version = std::move(constraint).value();
  }
  return rule;
}

Result<SuperuserRule> DocumentParser::ParseSuperuser(const YAML::Node& node, int line) const {
  if (node.IsScalar() && node.Scalar() == "deny") return SuperuserRule::kDeny;
  if (node.IsScalar() && node.Scalar() == "allow") return SuperuserRule::kAllow;
  return Fail(line, "controls.superuser", "expected deny or allow");
}

Status DocumentParser::ParseLabels(const YAML::Node& node, int line, Policy& policy) const {
  BULWARK_TRY(CheckMapping(node, line, "controls.labels", kLabelKeys));
  if (node.size() == 0) {
    return Fail(line, "controls.labels", "empty mapping; set required, forbidden or both");
  }

  if (std::optional<Field> required = Lookup(node, "required", line)) {
    BULWARK_ASSIGN_OR_RETURN(policy.labels_required, ReadLabelKeys(required->value, required->line,
                                                                   "controls.labels.required"));
  }
  if (std::optional<Field> forbidden = Lookup(node, "forbidden", line)) {
    BULWARK_ASSIGN_OR_RETURN(
        policy.labels_forbidden,
        ReadLabelKeys(forbidden->value, forbidden->line, "controls.labels.forbidden"));
  }

  // A label both required and forbidden could never pass; say so at load time.
  for (const std::string& label : policy.labels_required) {
    if (std::find(policy.labels_forbidden.begin(), policy.labels_forbidden.end(), label) !=
        policy.labels_forbidden.end()) {
      return Fail(line, "controls.labels",
                  "label " + Quote(label) + " is both required and forbidden");
    }
  }
  return Ok();
}

// `vulnerabilities: {}` is accepted: with no threshold, every finding counts.
Result<VulnerabilityRule> DocumentParser::ParseVulnerabilities(const YAML::Node& node,
                                                               int line) const {
  constexpr std::string_view kPath = "controls.vulnerabilities";
  if (!node.IsMap()) {
    return Fail(line, kPath,
                "expected a mapping with keys " + JoinKeys(kVulnerabilityKeys) +
                    "; write {} to fail on every finding");
  }
  BULWARK_TRY(CheckMapping(node, line, kPath, kVulnerabilityKeys));
  VulnerabilityRule rule;
  rule.line = line;

  if (std::optional<Field> severity = Lookup(node, "failAtOrAbove", line)) {
    BULWARK_ASSIGN_OR_RETURN(rule.fail_on,
                             ParseSeverityThreshold(severity->value, severity->line,
                                                    "controls.vulnerabilities.failAtOrAbove"));
  }
  if (std::optional<Field> cvss = Lookup(node, "failAboveCvss", line)) {
    constexpr std::string_view kCvssPath = "controls.vulnerabilities.failAboveCvss";
    BULWARK_ASSIGN_OR_RETURN(double score, ReadNumber(cvss->value, cvss->line, kCvssPath));
    if (score < 0 || score > 10) {
      return Fail(cvss->line, kCvssPath, "a CVSS score is from 0 to 10");
    }
    // No score is above 10, so such a threshold would count only unscored findings.
    if (score == 10) {
      return Fail(cvss->line, kCvssPath,
                  "no CVSS score is above 10, so nothing would count; use a value below 10");
    }
    rule.max_cvss = score;
  }
  if (std::optional<Field> fixable = Lookup(node, "fixableOnly", line)) {
    BULWARK_ASSIGN_OR_RETURN(rule.fixable_only, ReadBool(fixable->value, fixable->line,
                                                         "controls.vulnerabilities.fixableOnly"));
  }
  if (std::optional<Field> base = Lookup(node, "ignoreBaseImage", line)) {
    BULWARK_ASSIGN_OR_RETURN(
        rule.ignore_base_image,
        ReadBool(base->value, base->line, "controls.vulnerabilities.ignoreBaseImage"));
  }
  if (std::optional<Field> grace = Lookup(node, "gracePeriodDays", line)) {
    BULWARK_ASSIGN_OR_RETURN(
        rule.grace_period_days,
        ReadWholeNumber(grace->value, grace->line, "controls.vulnerabilities.gracePeriodDays", 0,
                        kMaxGracePeriodDays, "days"));
  }
  return rule;
}

Result<vulndb::Severity> DocumentParser::ParseSeverityThreshold(const YAML::Node& node, int line,
                                                                std::string_view path) const {
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadString(node, line, path));
  if (std::optional<vulndb::Severity> severity = internal::SeverityFromPolicyText(text)) {
    return *severity;
  }

  std::string reason = "expected negligible, low, medium, high or critical, not " + Quote(text);
  if (text == "unknown") {
    reason +=
        "; unknown is the lowest level, not a threshold: leave failAtOrAbove out to count "
        "every finding";
  }
  return Fail(line, path, reason);
}

Result<std::vector<CveRule>> DocumentParser::ParseCveRules(const YAML::Node& node, int line,
                                                           std::string_view path) const {
  if (!node.IsSequence() || node.size() == 0) {
    return Fail(line, path, "expected a non-empty list of advisory ids such as CVE-2021-44228");
  }

  std::vector<CveRule> rules;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    std::string item_path = std::string(path) + "[" + std::to_string(i) + "]";
    int item_line = LineOf(item, line);
    BULWARK_ASSIGN_OR_RETURN(std::string id, ReadString(item, item_line, item_path));
    if (std::string problem = internal::AdvisoryIdProblem(id); !problem.empty()) {
      return Fail(item_line, item_path, problem);
    }
    for (const CveRule& earlier : rules) {
      if (!internal::SameAdvisoryId(earlier.id, id)) continue;
      return Fail(
          item_line, item_path,
          Quote(id) + " is listed twice (also on line " + std::to_string(earlier.line) + ")");
    }
    rules.push_back(CveRule{.id = std::move(id), .line = item_line});
  }
  return rules;
}

Result<AdvisoryDataRule> DocumentParser::ParseAdvisoryData(const YAML::Node& node, int line) const {
  constexpr std::string_view kPath = "controls.advisoryData";
  BULWARK_TRY(CheckMapping(node, line, kPath, kAdvisoryDataKeys));
  AdvisoryDataRule rule;
  rule.line = line;

  if (std::optional<Field> age = Lookup(node, "maxAgeDays", line)) {
    BULWARK_ASSIGN_OR_RETURN(rule.max_age_days, ReadWholeNumber(age->value, age->line,
                                                                "controls.advisoryData.maxAgeDays",
                                                                1, kMaxAgeDays, "days"));
  }
  if (std::optional<Field> distro = Lookup(node, "requireDistroData", line)) {
    BULWARK_ASSIGN_OR_RETURN(
        rule.require_distro_data,
        ReadBool(distro->value, distro->line, "controls.advisoryData.requireDistroData"));
  }
  if (!rule.max_age_days.has_value() && !rule.require_distro_data) {
    return Fail(line, kPath,
                "checks nothing: set maxAgeDays, or leave requireDistroData at its default "
                "(true)");
  }
  return rule;
}

Status DocumentParser::CheckAdvisoryRules(const Policy& policy, int allowed_line) const {
  if (!policy.allowed_cves.empty() && !policy.vulnerabilities.has_value()) {
    return Fail(allowed_line, "controls.allowedCves",
                "allowedCves takes findings out of the vulnerabilities control, which this "
                "policy does not set");
  }

  // An id both blocked and allowed has no meaning; say so at load time.
  for (size_t i = 0; i < policy.allowed_cves.size(); ++i) {
    const CveRule& allowed = policy.allowed_cves[i];
    for (const CveRule& blocked : policy.blocked_cves) {
      if (!internal::SameAdvisoryId(allowed.id, blocked.id)) continue;
      return Fail(allowed.line, "controls.allowedCves[" + std::to_string(i) + "]",
                  Quote(allowed.id) + " is also in blockedCves (line " +
                      std::to_string(blocked.line) + "); an id cannot be both blocked and allowed");
    }
  }
  return Ok();
}

Result<std::vector<PolicyException>> DocumentParser::ParseExceptions(const YAML::Node& node,
                                                                     int line) const {
  if (!node.IsSequence() || node.size() == 0) {
    return Fail(line, "exceptions",
                "expected a non-empty list of {reason, expires, images, packages, advisories}");
  }

  std::vector<PolicyException> exceptions;
  for (size_t i = 0; i < node.size(); ++i) {
    std::string path = "exceptions[" + std::to_string(i) + "]";
    BULWARK_ASSIGN_OR_RETURN(PolicyException exception,
                             ParseException(node[i], LineOf(node[i], line), path));
    exceptions.push_back(std::move(exception));
  }
  return exceptions;
}

// Loading never looks at the clock: an exception already past its date loads,
// and evaluation reports it as expired.
Result<PolicyException> DocumentParser::ParseException(const YAML::Node& node, int line,
                                                       const std::string& path) const {
  BULWARK_TRY(CheckMapping(node, line, path, kExceptionKeys));
  PolicyException exception;
  exception.line = line;

  std::optional<Field> reason = Lookup(node, "reason", line);
  if (!reason) return Fail(line, path, "missing key \"reason\"; say why the exception is granted");
  BULWARK_ASSIGN_OR_RETURN(std::string reason_text,
                           ReadString(reason->value, reason->line, path + ".reason"));
  exception.reason = Trim(reason_text);
  if (std::string problem = ReasonProblem(exception.reason); !problem.empty()) {
    return Fail(reason->line, path + ".reason", problem);
  }

  std::optional<Field> expires = Lookup(node, "expires", line);
  if (!expires) return Fail(line, path, "missing key \"expires\"; every exception has an end");
  BULWARK_ASSIGN_OR_RETURN(exception.expires,
                           ReadString(expires->value, expires->line, path + ".expires"));
  if (!internal::ParseCalendarDate(exception.expires).has_value()) {
    return Fail(
        expires->line, path + ".expires",
        "expected a date written YYYY-MM-DD, such as 2027-01-31, not " + Quote(exception.expires));
  }

  if (std::optional<Field> images = Lookup(node, "images", line)) {
    BULWARK_ASSIGN_OR_RETURN(exception.images, ReadTextList(images->value, images->line,
                                                            path + ".images", ImagePatternProblem));
  }
  if (std::optional<Field> packages = Lookup(node, "packages", line)) {
    BULWARK_ASSIGN_OR_RETURN(
        exception.packages,
        ReadTextList(packages->value, packages->line, path + ".packages", ExceptionPackageProblem));
  }
  if (std::optional<Field> advisories = Lookup(node, "advisories", line)) {
    BULWARK_ASSIGN_OR_RETURN(
        exception.advisories,
        ReadTextList(advisories->value, advisories->line, path + ".advisories",
                     [](std::string_view id) { return internal::AdvisoryIdProblem(id); }));
  }
  // Scoped by image alone, an exception would waive every finding of the image.
  if (exception.packages.empty() && exception.advisories.empty()) {
    return Fail(line, path,
                "set packages, advisories or both; an exception must name what it "
                "waives");
  }
  return exception;
}

// Receives parse events and keeps none: used only to count documents.
class DiscardEvents final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// yaml-cpp messages may quote the bad bytes ("unknown escape character: ..."),
// so they are escaped for the terminal.
Error SyntaxError(const YAML::Exception& e, const std::string& origin) {
  int line = e.mark.is_null() ? 1 : e.mark.line + 1;
  return Error(ErrorCode::kInvalidArgument, origin + " line " + std::to_string(line) +
                                                ": YAML syntax: " + EscapeForTerminal(e.msg));
}

// yaml-cpp stops at a fixed nesting depth with the message "bad file", which
// says nothing; a policy never nests more than four levels.
Error NestingError(const YAML::DeepRecursion& e, const std::string& origin) {
  int line = e.mark.is_null() ? 1 : e.mark.line + 1;
  return Error(ErrorCode::kInvalidArgument,
               origin + " line " + std::to_string(line) +
                   ": YAML nesting too deep: lists or mappings nested " +
                   std::to_string(e.depth()) + " levels deep; a policy needs at most 4");
}

// Loads the single YAML document in the text. yaml-cpp throws on syntax errors.
// YAML::LoadAll is avoided: in yaml-cpp 0.7 it never returns on some malformed
// input (found by fuzz/policy_fuzzer.cc, e.g. "&:a, "), because the parser
// stops advancing. Counting at most two documents bounds that loop.
Result<YAML::Node> LoadYaml(std::string_view document, const std::string& origin) {
  try {
    std::istringstream counting_stream{std::string(document)};
    YAML::Parser parser(counting_stream);
    DiscardEvents discard;
    int documents = 0;
    while (documents < 2 && parser.HandleNextDocument(discard)) ++documents;
    if (documents > 1) {
      return Error(ErrorCode::kInvalidArgument,
                   origin + ": holds more than one YAML document; put one policy in each file");
    }
    return YAML::Load(std::string(document));
  } catch (const YAML::DeepRecursion& e) {
    return NestingError(e, origin);
  } catch (const YAML::Exception& e) {
    return SyntaxError(e, origin);
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInvalidArgument, origin + ": YAML: " + EscapeForTerminal(e.what()));
  }
}

// True when the registered name (normalised, "registry/repository:tag") is in
// the repository `repository_name` ("registry/repository").
bool InRepository(std::string_view registered_name, std::string_view repository_name) {
  if (registered_name.size() <= repository_name.size()) return false;
  if (registered_name.substr(0, repository_name.size()) != repository_name) return false;
  char next = registered_name[repository_name.size()];
  return next == ':' || next == '@';
}

// A pinned entry without a tag names a repository: any tag in it counts.
bool NameMatches(const ApprovedImage& approved, const std::vector<std::string>& names) {
  bool repository_only = approved.digest.has_value() && approved.tag.empty();
  for (const std::string& name : names) {
    if (name == approved.reference) return true;
    if (repository_only && InRepository(name, approved.name)) return true;
  }
  return false;
}

bool DigestMatches(const ApprovedImage& approved, const lineage::RegisteredImage& image) {
  if (!approved.digest.has_value()) return true;
  if (image.image_id == *approved.digest) return true;
  return std::find(image.manifest_digests.begin(), image.manifest_digests.end(),
                   *approved.digest) != image.manifest_digests.end();
}

}  // namespace

bool Approves(const ApprovedImage& approved, const lineage::RegisteredImage& image) {
  return NameMatches(approved, image.names) && DigestMatches(approved, image);
}

Result<Policy> ParsePolicy(std::string_view document, std::string_view origin) {
  std::string origin_text = origin.empty() ? "policy" : std::string(origin);
  if (document.size() > kMaxDocumentBytes) {
    return Error(ErrorCode::kInvalidArgument,
                 origin_text + ": policy document is " + std::to_string(document.size()) +
                     " bytes; the limit is " + std::to_string(kMaxDocumentBytes));
  }

  BULWARK_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(document, origin_text));

  // yaml-cpp throws from node accessors on some malformed trees; treat any
  // such exception as an invalid document rather than letting it escape.
  Result<Policy> parsed = Error(ErrorCode::kInternal, "unset");
  try {
    parsed = DocumentParser(origin_text).Parse(root);
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInvalidArgument,
                 origin_text + ": YAML: " + EscapeForTerminal(e.what()));
  }
  if (!parsed.ok()) return parsed;

  parsed->document = std::string(document);
  parsed->document_sha256 = Sha256Of(document);
  return parsed;
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  // Say why a path cannot be read: a bare "cannot be opened" leaves the user
  // guessing between a typo, a directory and a permission problem (#2).
  std::error_code status_error;
  auto type = std::filesystem::status(path, status_error).type();
  if (type == std::filesystem::file_type::not_found) {
    return Error(ErrorCode::kNotFound, "policy file " + path + ": no such file");
  }
  if (type == std::filesystem::file_type::directory) {
    return Error(ErrorCode::kInvalidArgument,
                 "policy file " + path + ": is a directory; give the path of a policy document");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    int open_errno = errno;
    return Error(ErrorCode::kIo,
                 "policy file " + path + ": cannot be opened: " + std::strerror(open_errno));
  }

  // Read one byte past the limit so that an oversized file is refused, not cut.
  std::string document(kMaxDocumentBytes + 1, '\0');
  file.read(document.data(), static_cast<std::streamsize>(document.size()));
  if (file.bad()) return Error(ErrorCode::kIo, "policy file " + path + ": read error");
  document.resize(static_cast<size_t>(file.gcount()));

  // Only the first bytes past the limit were read, so the size is not known.
  if (document.size() > kMaxDocumentBytes) {
    return Error(ErrorCode::kInvalidArgument,
                 path + ": policy document has more than " + std::to_string(kMaxDocumentBytes) +
                     " bytes; the limit is " + std::to_string(kMaxDocumentBytes));
  }
  return ParsePolicy(document, path);
}

Status CheckApprovedImagesRegistered(const Policy& policy,
                                     const std::vector<lineage::RegisteredImage>& registered) {
  if (!policy.approved_base_images.has_value()) return Ok();

  std::string problems;
  for (const ApprovedImage& approved : *policy.approved_base_images) {
    bool found = std::any_of(registered.begin(), registered.end(),
                             [&](const auto& image) { return Approves(approved, image); });
    if (found) continue;

    if (!problems.empty()) problems += "\n";
    problems += "policy " + Quote(policy.name) + " (" + policy.origin + " line " +
                std::to_string(approved.line) + "): approved base image " + approved.text;
    if (!approved.digest.has_value()) {
      problems += " is not registered; register it with: bulwark image register SOURCE --name " +
                  approved.reference;
      continue;
    }
    std::string name = approved.tag.empty() ? approved.name + ":TAG" : approved.reference;
    problems += " is not registered with that digest under that name; register the image " +
                approved.digest->str() + " with: bulwark image register SOURCE --name " + name;
  }

  if (problems.empty()) return Ok();
  return Error(ErrorCode::kInvalidArgument, problems);
}

}  // namespace bulwark::policy
