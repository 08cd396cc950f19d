#include "report/text_report.h"

#include "policy/terminal_text.h"
#include "report/report_view.h"

namespace bulwark::report {
namespace {

// Beyond this many evidence lines per control the rest are counted, so that
// one control with hundreds of packages cannot bury the others in a CI log.
constexpr size_t kMaxEvidenceLines = 5;

// "1 policy", "2 policies".
std::string CountOf(size_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

// Every line of the report goes through here. Lines carry values from the
// image (names, labels, users, package names, paths) and from policies, often
// inside evidence built in policy/; escaping the whole line makes sure none of
// them can move the cursor, recolour or clear the terminal, or start a forged
// line of its own. The fixed text around the values has no control characters.
void AppendLine(std::string& text, std::string_view line) {
  text += policy::EscapeForTerminal(line);
  text += '\n';
}

std::string VerdictLine(const scan::ScanResult& result, internal::Status status) {
  std::string line = "bulwark: " + std::string(internal::StatusHeadline(status));
  size_t failed = internal::FailedControls(result.verdict).size();
  if (status == internal::Status::kNonCompliantEnforced ||
      status == internal::Status::kNonCompliantAudit) {
    line += ": " + CountOf(failed, "failed control", "failed controls");
  }
  return line + " (exit code " + std::to_string(result.exit_code) + ")";
}

std::string ImageLine(const scan::ScanResult& result) {
  std::string line = "image: " + result.source;
  if (!result.image_id.empty()) line += " " + result.image_id.Short();
  if (!result.platform.empty()) line += " " + result.platform;
  return line;
}

void AppendFailedControl(std::string& text, const internal::FailedControl& failed) {
  std::string mode = failed.policy->enforce ? "FAIL" : "FAIL (audit only)";
  AppendLine(text, mode + " policy \"" + failed.policy->policy_name + "\" " +
                       failed.control->control + ": " + failed.control->summary);
  // Every line, however many: the CI log is often the only report a reader
  // opens, and each counted finding or blocked package is part of the reason.
  for (const std::string& line : failed.control->evidence) AppendLine(text, "  - " + line);
}

// The one line on vulnerabilities: the counts, the release they were matched
// for and how old the database is, so a reader can judge a "no findings".
std::string VulnerabilitiesLine(const scan::ScanResult& result) {
  if (!result.vulnerabilities.has_value()) {
    return "vulnerabilities: not checked (no advisory database was consulted)";
  }
  const vulndb::MatchReport& match = *result.vulnerabilities;
  std::string line =
      "vulnerabilities: " + internal::CountsSentence(internal::CountFindings(match.findings)) +
      " (release " + internal::ReleaseLine(match, result.inventory.os);
  if (!match.distro_has_data) line += ", for which the database has no data";
  return line + "; advisory database built " + match.database.built_at + ")";
}

void AppendExceptions(std::string& text, const policy::Verdict& verdict) {
  for (const internal::AppliedExceptionRef& applied : internal::AppliedExceptions(verdict)) {
    AppendLine(text, "exception applied: " + internal::DescribeApplied(applied));
  }
  for (const policy::PolicyResult& policy : verdict.policies) {
    for (const policy::ExpiredException& expired : policy.expired_exceptions) {
      AppendLine(text, "exception expired: " + internal::DescribeExpired(policy, expired));
    }
  }
}

std::string CountsLine(const scan::ScanResult& result) {
  size_t cached = 0;
  for (const scan::LayerSummary& layer : result.layers) cached += layer.from_cache ? 1 : 0;
  size_t controls = 0;
  for (const policy::PolicyResult& policy : result.verdict.policies) {
    controls += policy.controls.size();
  }
  size_t failed = internal::FailedControls(result.verdict).size();
  return "counts: " + CountOf(result.layers.size(), "layer", "layers") + " (" +
         std::to_string(cached) + " from cache), " +
         CountOf(result.inventory.packages.size(), "package", "packages") + ", " +
         CountOf(result.inventory.gaps.size(), "coverage gap", "coverage gaps") + ", " +
         CountOf(result.verdict.policies.size(), "policy", "policies") + ", " +
         CountOf(controls, "control", "controls") + " (" + std::to_string(failed) + " failed)";
}

}  // namespace

std::string RenderText(const scan::ScanResult& result) {
  internal::Status status = internal::StatusOf(result);
  std::string text;
  AppendLine(text, VerdictLine(result, status));
  AppendLine(text, ImageLine(result));

  if (status == internal::Status::kScanFailed) {
    // A message of several lines (one per unregistered approved image, say)
    // stays on one line with its breaks escaped: splitting it would let a
    // value inside it start a line of its own.
    AppendLine(text, "error (" + std::string(ErrorCodeName(result.error->code())) +
                         "): " + result.error->message());
    AppendLine(text, "nothing was evaluated: no policy verdict is given for this image");
    return text;
  }

  for (const internal::FailedControl& failed : internal::FailedControls(result.verdict)) {
    AppendFailedControl(text, failed);
  }

  AppendLine(text, "nearest registered base: " + internal::NearestBaseLine(result.lineage));
  std::vector<std::string> approved = internal::ApprovedBaseImages(result.verdict);
  if (!approved.empty()) {
    std::string list;
    for (const std::string& entry : approved) list += (list.empty() ? "" : ", ") + entry;
    AppendLine(text, "policies approve: " + list);
  }
  const std::vector<catalog::CoverageGap>& gaps = result.inventory.gaps;
  for (size_t i = 0; i < gaps.size() && i < kMaxEvidenceLines; ++i) {
    AppendLine(text, "coverage gap: " + gaps[i].path + ": " + gaps[i].reason);
  }
  if (gaps.size() > kMaxEvidenceLines) {
    AppendLine(text, "coverage gaps: " + std::to_string(gaps.size() - kMaxEvidenceLines) +
                         " more (see the JSON or HTML report)");
  }
  AppendLine(text, VulnerabilitiesLine(result));
  AppendExceptions(text, result.verdict);
  AppendLine(text, CountsLine(result));
  return text;
}

}  // namespace bulwark::report
