#include "policy/finding_text.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace bulwark::policy::internal {
namespace {

std::string PackageText(const vulndb::Finding& finding) {
  std::string text = finding.package + " " + finding.version + " (" + finding.ecosystem;
  bool same_source =
      finding.source_package.empty() ||
      (finding.source_package == finding.package &&
       (finding.source_version.empty() || finding.source_version == finding.version));
  if (!same_source) {
    text += ", source " + finding.source_package;
    if (!finding.source_version.empty()) text += " " + finding.source_version;
  }
  return text + ")";
}

std::string SeverityPart(const vulndb::Finding& finding) {
  std::string text = "severity " + std::string(SeverityText(finding.severity));
  if (finding.severity == vulndb::Severity::kUnknown) return text;
  if (finding.severity_source == "cvss") return text + " (from the CVSS score)";
  if (!finding.severity_source.empty()) return text + " (" + finding.severity_source + ")";
  return text;
}

std::string FixPart(const vulndb::Finding& finding) {
  switch (finding.state) {
    case vulndb::FixState::kFixed:
      if (finding.fixed_version.empty()) return "fixed (version not given)";
      return "fixed in " + finding.fixed_version;
    case vulndb::FixState::kNotFixed:
      return "not fixed yet";
    case vulndb::FixState::kWontFix:
      return "will not be fixed";
    case vulndb::FixState::kNotAffected:
      break;
  }
  // The matcher never yields this; if it does, the finding still counts as unfixed.
  return "marked not affected";
}

}  // namespace

std::string_view SeverityText(vulndb::Severity severity) {
  switch (severity) {
    case vulndb::Severity::kUnknown:
      return "unknown";
    case vulndb::Severity::kNegligible:
      return "negligible";
    case vulndb::Severity::kLow:
      return "low";
    case vulndb::Severity::kMedium:
      return "medium";
    case vulndb::Severity::kHigh:
      return "high";
    case vulndb::Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

std::optional<vulndb::Severity> SeverityFromPolicyText(std::string_view text) {
  constexpr std::array<vulndb::Severity, 5> kThresholds = {
      vulndb::Severity::kNegligible, vulndb::Severity::kLow, vulndb::Severity::kMedium,
      vulndb::Severity::kHigh, vulndb::Severity::kCritical};
  for (vulndb::Severity severity : kThresholds) {
    if (text == SeverityText(severity)) return severity;
  }
  return std::nullopt;
}

bool HasCvssScore(const vulndb::Finding& finding) {
  return std::isfinite(finding.cvss_score) && finding.cvss_score >= 0 && finding.cvss_score <= 10;
}

std::string CvssText(double score) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f", score);
  return text;
}

std::string DescribeFinding(const vulndb::Finding& finding) {
  std::string text = finding.id;
  for (size_t i = 0; i < finding.aliases.size(); ++i) {
    text += (i == 0 ? " (also " : ", ") + finding.aliases[i];
    if (i + 1 == finding.aliases.size()) text += ")";
  }
  text += ": " + PackageText(finding) + ", " + SeverityPart(finding);

  text += HasCvssScore(finding) ? ", CVSS " + CvssText(finding.cvss_score) : ", no CVSS score";
  text += ", " + FixPart(finding);
  if (finding.layer_index >= 0) {
    text += ", layer " + std::to_string(finding.layer_index + 1);
  } else {
    text += ", layer unknown";
  }
  return text;
}

}  // namespace bulwark::policy::internal
