#include "report/text_report.h"

#include "report/report_view.h"

namespace bulwark::report {
namespace {

// Beyond this many evidence lines per control the rest are counted, so that
// one control with hundreds of packages cannot bury the others in a CI log.
constexpr size_t kMaxEvidenceLines = 5;

std::string Plural(size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string VerdictLine(const scan::ScanResult& result, internal::Status status) {
  std::string line = "bulwark: " + std::string(internal::StatusHeadline(status));
  size_t failed = internal::FailedControls(result.verdict).size();
  if (status == internal::Status::kNonCompliantEnforced ||
      status == internal::Status::kNonCompliantAudit) {
    line += ": " + Plural(failed, "failed control");
  }
  return line + " (exit code " + std::to_string(result.exit_code) + ")\n";
}

std::string ImageLine(const scan::ScanResult& result) {
  std::string line = "image: " + result.source;
  if (!result.image_id.empty()) line += " " + result.image_id.Short();
  if (!result.platform.empty()) line += " " + result.platform;
  return line + "\n";
}

std::string FailedControlLines(const internal::FailedControl& failed) {
  std::string mode = failed.policy->enforce ? "FAIL" : "FAIL (audit only)";
  std::string text = mode + " policy \"" + failed.policy->policy_name + "\" " +
                     failed.control->control + ": " + failed.control->summary + "\n";
  const std::vector<std::string>& evidence = failed.control->evidence;
  for (size_t i = 0; i < evidence.size() && i < kMaxEvidenceLines; ++i) {
    text += "  - " + evidence[i] + "\n";
  }
  if (evidence.size() > kMaxEvidenceLines) {
    text += "  - ... and " + std::to_string(evidence.size() - kMaxEvidenceLines) +
            " more (see the JSON or HTML report)\n";
  }
  return text;
}

std::string CountsLine(const scan::ScanResult& result) {
  size_t cached = 0;
  for (const scan::LayerSummary& layer : result.layers) cached += layer.from_cache ? 1 : 0;
  size_t controls = 0;
  for (const policy::PolicyResult& policy : result.verdict.policies) {
    controls += policy.controls.size();
  }
  size_t failed = internal::FailedControls(result.verdict).size();
  return "counts: " + Plural(result.layers.size(), "layer") + " (" + std::to_string(cached) +
         " from cache), " + Plural(result.inventory.packages.size(), "package") + ", " +
         Plural(result.inventory.gaps.size(), "coverage gap") + ", " +
         Plural(result.verdict.policies.size(), "policy") + ", " + Plural(controls, "control") +
         " (" + std::to_string(failed) + " failed)\n";
}

}  // namespace

std::string RenderText(const scan::ScanResult& result) {
  internal::Status status = internal::StatusOf(result);
  std::string text = VerdictLine(result, status);
  text += ImageLine(result);

  if (status == internal::Status::kScanFailed) {
    text += "error (" + std::string(ErrorCodeName(result.error->code())) +
            "): " + result.error->message() + "\n";
    text += "nothing was evaluated: no policy verdict is given for this image\n";
    return text;
  }

  for (const internal::FailedControl& failed : internal::FailedControls(result.verdict)) {
    text += FailedControlLines(failed);
  }

  text += "nearest registered base: " + internal::NearestBaseLine(result.lineage) + "\n";
  std::vector<std::string> approved = internal::ApprovedBaseImages(result.verdict);
  if (!approved.empty()) {
    std::string list;
    for (const std::string& entry : approved) list += (list.empty() ? "" : ", ") + entry;
    text += "policies approve: " + list + "\n";
  }
  const std::vector<catalog::CoverageGap>& gaps = result.inventory.gaps;
  for (size_t i = 0; i < gaps.size() && i < kMaxEvidenceLines; ++i) {
    text += "coverage gap: " + gaps[i].path + ": " + gaps[i].reason + "\n";
  }
  if (gaps.size() > kMaxEvidenceLines) {
    text += "coverage gaps: " + std::to_string(gaps.size() - kMaxEvidenceLines) +
            " more (see the JSON or HTML report)\n";
  }
  text += CountsLine(result);
  return text;
}

}  // namespace bulwark::report
