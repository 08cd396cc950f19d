#include "policy/match_coverage.h"

#include "policy/control.h"
#include "policy/package_match.h"

namespace bulwark::policy::internal {

bool NeedsReleaseData(const catalog::Inventory& inventory) {
  return inventory.os.found || !inventory.packages.empty();
}

std::string ReleaseDataProblem(const Facts& facts) {
  const vulndb::MatchReport& report = *facts.vulnerabilities;
  const catalog::Inventory& inventory = facts.inventory;
  if (!NeedsReleaseData(inventory)) return "";

  if (report.distro.empty()) {
    if (!inventory.os.found) {
      return "the image has " + CountOf(inventory.packages.size(), "package", "packages") +
             " but no os-release, so its distribution release is unknown";
    }
    return "the image's OS (os-release ID " + QuoteForEvidence(inventory.os.id) + ", VERSION_ID " +
           QuoteForEvidence(inventory.os.version_id) +
           ") is not a distribution release Bulwark has advisory data for";
  }
  if (!report.distro_has_data) {
    return "the advisory database has no data for " + report.distro;
  }
  return "";
}

MatchCoverage CheckMatchCoverage(const Facts& facts) {
  MatchCoverage coverage;
  const vulndb::MatchReport& report = *facts.vulnerabilities;
  std::vector<std::string> parts;

  std::vector<std::string> gaps = GapEvidence(facts.inventory);
  coverage.evidence.insert(coverage.evidence.end(), gaps.begin(), gaps.end());
  if (!gaps.empty()) parts.push_back(UnreadDatabases(facts.inventory));

  for (const std::string& unmatched : report.unmatched) {
    coverage.evidence.push_back("package not matched against advisories: " + unmatched);
  }
  if (!report.unmatched.empty()) {
    parts.push_back(CountOf(report.unmatched.size(), "package", "packages") +
                    " could not be matched");
  }

  if (std::string problem = ReleaseDataProblem(facts); !problem.empty()) {
    coverage.evidence.push_back(problem);
    parts.push_back(problem);
  }

  for (const std::string& part : parts) {
    if (!coverage.summary.empty()) coverage.summary += ", ";
    coverage.summary += part;
  }
  return coverage;
}

}  // namespace bulwark::policy::internal
