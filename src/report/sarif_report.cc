#include "report/sarif_report.h"

#include <map>
#include <nlohmann/json.hpp>

#include "report/report_view.h"

namespace bulwark::report {
namespace {

using Json = nlohmann::ordered_json;

// Relative URIs of files inside the image resolve against this base id; its
// description names the image, since the image has no URI of its own.
constexpr char kImageRootBaseId[] = "IMAGEROOT";

// Bytes kept as they are in a URI path: the sub-delimiters, ':', '@' and '/'.
// '?', '#', '[', ']' and '%' are encoded so the whole value stays one path.
constexpr char kUriPathKeep[] = "/:@!$&'()*+,;=";

constexpr char kScanFailedRule[] = "bulwark/scanFailed";

// One rule of tool.driver.rules, with the results that use it.
struct Rule {
  Json descriptor;
  int index = 0;
};

// What a control checks, for its rule's description. Controls added later get
// a generic sentence until they are listed here.
std::string ControlDescription(const std::string& control) {
  static const std::map<std::string, std::string> kDescriptions = {
      {"approvedBaseImages", "The image is built on a base image that the policy approves."},
      {"blockedPackages", "No package that the policy blocks is installed."},
      {"requiredPackages", "Every package that the policy requires is installed."},
      {"superuser", "The image does not run as root."},
      {"labels", "Required labels are set and forbidden labels are not."},
      {"advisoryData",
       "The advisory database is recent enough and has data for the image's release."}};
  auto found = kDescriptions.find(control);
  if (found != kDescriptions.end()) return found->second;
  return "The Bulwark policy control " + control + " passes.";
}

// Findings of these controls are results of their own, so a second result for
// the control would count them twice.
bool IsVulnerabilityControl(const std::string& control) {
  return control == "vulnerabilities" || control == "blockedCves";
}

// SARIF's three result levels: the ones that should stop a release are errors.
std::string_view LevelOf(vulndb::Severity severity) {
  switch (severity) {
    case vulndb::Severity::kCritical:
    case vulndb::Severity::kHigh:
      return "error";
    case vulndb::Severity::kMedium:
      return "warning";
    case vulndb::Severity::kLow:
    case vulndb::Severity::kNegligible:
      return "note";
    case vulndb::Severity::kUnknown:
      // An unrated finding is not played down to a note.
      return "warning";
  }
  return "warning";
}

Json Message(const std::string& text) { return Json{{"text", text}}; }

Json ImageLocation(const scan::ScanResult& result) {
  // A control judges the image as a whole (its lineage, its config, its set of
  // packages), so no file inside it is the place to point at: the image, named
  // as the scan was given it, is what a reader can go and rebuild.
  Json artifact{{"uri", internal::PercentEncode(result.source, kUriPathKeep)},
                {"description", Message("The scanned image")}};
  return Json{{"physicalLocation", Json{{"artifactLocation", artifact}}}};
}

Json PackageDatabaseLocation(const vulndb::Finding& finding) {
  Json artifact{{"uri", internal::PercentEncode(finding.db_path, kUriPathKeep)},
                {"uriBaseId", kImageRootBaseId}};
  return Json{{"physicalLocation", Json{{"artifactLocation", artifact}}}};
}

// Adds a rule for `id` unless there is one, and returns it.
Rule& RuleFor(std::map<std::string, Rule>& rules, const std::string& id, const Json& descriptor) {
  auto [entry, added] = rules.try_emplace(id);
  if (added) {
    entry->second.descriptor = descriptor;
    entry->second.index = static_cast<int>(rules.size()) - 1;
  }
  return entry->second;
}

Json FindingRule(const vulndb::Finding& finding) {
  std::string title = finding.summary.empty() ? finding.id : finding.summary;
  std::string full = finding.id;
  if (!finding.aliases.empty()) full += " (also " + internal::JoinWithCommas(finding.aliases) + ")";
  if (!finding.summary.empty()) full += ": " + finding.summary;
  std::string help = full + "\n\nEach result names the package, its version and the fix.";
  for (size_t i = 0; i < finding.references.size(); ++i) {
    help += (i == 0 ? "\n\nReferences:\n" : "\n") + finding.references[i];
  }
  Json properties{{"tags", Json::array({"security", "vulnerability"})}};
  // The key code-scanning dashboards read to rank security results.
  if (finding.cvss_score >= 0) {
    properties["security-severity"] = internal::FormatCvss(finding.cvss_score);
  }
  Json rule{{"id", finding.id},
            {"shortDescription", Message(title)},
            {"fullDescription", Message(full)},
            {"help", Message(help)}};
  if (!finding.references.empty()) rule["helpUri"] = finding.references.front();
  rule["defaultConfiguration"] = Json{{"level", LevelOf(finding.severity)}};
  rule["properties"] = properties;
  return rule;
}

std::string FindingMessage(const vulndb::Finding& finding) {
  std::string text = finding.package + " " + finding.version;
  if (!finding.source_package.empty() && finding.source_package != finding.package) {
    text += " (source " + finding.source_package + " " + finding.source_version + ")";
  }
  text +=
      " is affected by " + finding.id + " (" + std::string(vulndb::SeverityName(finding.severity));
  if (finding.cvss_score >= 0) text += ", CVSS " + internal::FormatCvss(finding.cvss_score);
  return text + "): " + internal::FixLine(finding) + ".";
}

Json FindingResult(const scan::ScanResult& result, const vulndb::Finding& finding,
                   const Rule& rule) {
  Json suppressions = Json::array();
  for (const internal::AppliedExceptionRef& applied :
       internal::ExceptionsFor(result.verdict, finding)) {
    suppressions.push_back(Json{{"kind", "external"},
                                {"status", "accepted"},
                                {"justification", internal::DescribeApplied(applied)}});
  }
  Json properties{
      {"ecosystem", finding.ecosystem},
      {"package", finding.package},
      {"version", finding.version},
      {"architecture", finding.architecture},
      {"sourcePackage", finding.source_package},
      {"sourceVersion", finding.source_version},
      {"severity", vulndb::SeverityName(finding.severity)},
      {"severitySource", finding.severity_source},
      {"cvssScore", finding.cvss_score < 0 ? Json(nullptr) : Json(finding.cvss_score)},
      {"cvssVector", finding.cvss_vector},
      {"fixState", vulndb::FixStateName(finding.state)},
      {"fixedVersion", finding.fixed_version},
      {"layerIndex", finding.layer_index < 0 ? Json(nullptr) : Json(finding.layer_index)},
      {"layer", internal::LayerLine(result, finding.layer_index)},
      {"aliases", finding.aliases},
      {"published", finding.published}};
  Json entry{{"ruleId", finding.id},
             {"ruleIndex", rule.index},
             {"level", LevelOf(finding.severity)},
             {"message", Message(FindingMessage(finding))},
             {"locations", Json::array({PackageDatabaseLocation(finding)})}};
  if (!suppressions.empty()) entry["suppressions"] = suppressions;
  entry["properties"] = properties;
  return entry;
}

Json ControlRule(const std::string& control) {
  std::string description = ControlDescription(control);
  return Json{{"id", "bulwark/" + control},
              {"name", control},
              {"shortDescription", Message(description)},
              {"fullDescription", Message("Policy control " + control + ": " + description)},
              {"help", Message("The result lists the evidence. The control and its settings are "
                               "described in Bulwark's docs/policy.md.")},
              {"defaultConfiguration", Json{{"level", "error"}}}};
}

Json ControlResult(const scan::ScanResult& result, const internal::FailedControl& failed,
                   const Rule& rule) {
  const policy::PolicyResult& policy = *failed.policy;
  const policy::ControlResult& control = *failed.control;
  std::string text = "Policy \"" + policy.policy_name + "\" (" +
                     (policy.enforce ? "enforced" : "audit only") + "): " + control.summary;
  for (const std::string& line : control.evidence) text += "\n- " + line;
  Json policy_file{{"uri", internal::PercentEncode(policy.origin, kUriPathKeep)}};
  Json related{{"id", 1},
               {"physicalLocation", Json{{"artifactLocation", policy_file}}},
               {"message", Message("The policy document")}};
  return Json{{"ruleId", "bulwark/" + control.control},
              {"ruleIndex", rule.index},
              {"level", policy.enforce ? "error" : "warning"},
              {"message", Message(text)},
              {"locations", Json::array({ImageLocation(result)})},
              {"relatedLocations", Json::array({related})},
              {"properties", Json{{"policy", policy.policy_name},
                                  {"policyOrigin", policy.origin},
                                  {"policyDocumentSha256", policy.document_sha256.str()},
                                  {"enforce", policy.enforce},
                                  {"evidence", control.evidence}}}};
}

Json ScanFailedResult(const scan::ScanResult& result, const Rule& rule) {
  std::string text = "The scan did not complete (" +
                     std::string(ErrorCodeName(result.error->code())) +
                     "): " + result.error->message() + ". Nothing was evaluated.";
  return Json{{"ruleId", kScanFailedRule},
              {"ruleIndex", rule.index},
              {"level", "error"},
              {"message", Message(text)},
              {"locations", Json::array({ImageLocation(result)})}};
}

Json ScanFailedRule() {
  return Json{{"id", kScanFailedRule},
              {"name", "scanFailed"},
              {"shortDescription", Message("The scan of the image completed.")},
              {"fullDescription",
               Message("Bulwark could read and verify the whole image, so its policies could "
                       "be evaluated. When it could not, nothing about the image is known.")},
              {"help", Message("The result's message says what failed and on which input.")},
              {"defaultConfiguration", Json{{"level", "error"}}}};
}

// What the scan could not look at, and whether it ran at all.
Json Notifications(const scan::ScanResult& result) {
  Json notifications = Json::array();
  auto add = [&](std::string_view level, const std::string& text) {
    notifications.push_back(Json{{"level", level}, {"message", Message(text)}});
  };
  if (result.error.has_value()) {
    add("error", std::string(ErrorCodeName(result.error->code())) + ": " + result.error->message());
    return notifications;
  }
  for (const catalog::CoverageGap& gap : result.inventory.gaps) {
    add("warning", "Not read: " + gap.path + ": " + gap.reason);
  }
  if (!result.vulnerabilities.has_value()) {
    add("note", "Vulnerabilities were not checked: no advisory database was consulted.");
    return notifications;
  }
  const vulndb::MatchReport& match = *result.vulnerabilities;
  if (!match.distro_has_data) {
    add("warning", "The advisory database has no data for the image's release " +
                       internal::ReleaseLine(match, result.inventory.os) + ".");
  }
  for (const std::string& unmatched : match.unmatched) add("warning", "Not matched: " + unmatched);
  return notifications;
}

Json Invocation(const scan::ScanResult& result) {
  Json invocation{{"executionSuccessful", !result.error.has_value()},
                  {"exitCode", result.exit_code}};
  if (!result.scanned_at.empty()) invocation["startTimeUtc"] = result.scanned_at;
  Json notifications = Notifications(result);
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  // Exceptions are listed here as well as on the results they suppress, since
  // an expired one suppresses nothing yet explains why its finding counts.
  Json applied = Json::array();
  for (const internal::AppliedExceptionRef& exception :
       internal::AppliedExceptions(result.verdict)) {
    applied.push_back(internal::DescribeApplied(exception));
  }
  Json expired = Json::array();
  for (const policy::PolicyResult& policy : result.verdict.policies) {
    for (const policy::ExpiredException& exception : policy.expired_exceptions) {
      expired.push_back(internal::DescribeExpired(policy, exception));
    }
  }
  invocation["properties"] = Json{{"status", internal::StatusName(internal::StatusOf(result))},
                                  {"appliedExceptions", applied},
                                  {"expiredExceptions", expired}};
  return invocation;
}

struct RulesAndResults {
  std::map<std::string, Rule> rules;
  Json results = Json::array();
};

RulesAndResults Collect(const scan::ScanResult& result) {
  RulesAndResults collected;
  if (result.error.has_value()) {
    Rule& rule = RuleFor(collected.rules, kScanFailedRule, ScanFailedRule());
    collected.results.push_back(ScanFailedResult(result, rule));
    return collected;
  }
  if (result.vulnerabilities.has_value()) {
    for (const vulndb::Finding& finding : result.vulnerabilities->findings) {
      Rule& rule = RuleFor(collected.rules, finding.id, FindingRule(finding));
      collected.results.push_back(FindingResult(result, finding, rule));
    }
  }
  for (const internal::FailedControl& failed : internal::FailedControls(result.verdict)) {
    const std::string& control = failed.control->control;
    if (IsVulnerabilityControl(control)) continue;
    Rule& rule = RuleFor(collected.rules, "bulwark/" + control, ControlRule(control));
    collected.results.push_back(ControlResult(result, failed, rule));
  }
  return collected;
}

Json Driver(const scan::ScanResult& result, const std::map<std::string, Rule>& rules) {
  // Rules are listed in the order their indexes were handed out.
  Json ordered = Json::array();
  std::vector<const Rule*> by_index(rules.size());
  for (const auto& [id, rule] : rules) by_index[static_cast<size_t>(rule.index)] = &rule;
  for (const Rule* rule : by_index) ordered.push_back(rule->descriptor);
  Json driver{{"name", "bulwark"}};
  // TODO(#4): add informationUri once the project has a public home; the
  // schema wants an absolute URI, and none is invented meanwhile.
  if (!result.tool_version.empty()) driver["version"] = result.tool_version;
  driver["rules"] = ordered;
  return driver;
}

Json Run(const scan::ScanResult& result) {
  RulesAndResults collected = Collect(result);
  Json image_root{
      {"description", Message("The root of the merged filesystem of the image " + result.source)}};
  return Json{{"tool", Json{{"driver", Driver(result, collected.rules)}}},
              {"invocations", Json::array({Invocation(result)})},
              {"originalUriBaseIds", Json{{kImageRootBaseId, image_root}}},
              {"results", collected.results}};
}

}  // namespace

Result<std::string> RenderSarif(const scan::ScanResult& result) {
  try {
    Json log{
        {"$schema", kSarifSchemaUri}, {"version", "2.1.0"}, {"runs", Json::array({Run(result)})}};
    return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, std::string("SARIF report: ") + e.what());
  }
}

}  // namespace bulwark::report
