#include "policy/advisory_id.h"
#include "policy/control.h"
#include "policy/exception_match.h"
#include "policy/finding_text.h"
#include "policy/match_coverage.h"

namespace bulwark::policy::internal {
namespace {

// "CVE-2021-44228 (line 7)" for each blocked entry the finding carries.
std::string BlockingEntries(const Policy& policy, const vulndb::Finding& finding) {
  std::string text;
  for (const CveRule& blocked : policy.blocked_cves) {
    if (!FindingHasId(finding, blocked.id)) continue;
    if (!text.empty()) text += ", ";
    text += blocked.id + " (line " + std::to_string(blocked.line) + ")";
  }
  return text;
}

std::string ExceptionList(const Policy& policy, const std::vector<size_t>& indexes) {
  std::string text;
  for (size_t e : indexes) {
    if (!text.empty()) text += " and ";
    text += DescribeException(policy.exceptions[e]);
  }
  return text;
}

// "CVE-2021-44228 (line 7), CVE-2014-0160 (line 8)".
std::string BlockedList(const Policy& policy) {
  std::string text;
  for (const CveRule& blocked : policy.blocked_cves) {
    if (!text.empty()) text += ", ";
    text += blocked.id + " (line " + std::to_string(blocked.line) + ")";
  }
  return text;
}

std::string Summary(size_t blocked, size_t excepted, const Policy& policy, size_t total,
                    const MatchCoverage& coverage) {
  std::string summary;
  if (blocked > 0) {
    summary = CountOf(blocked, "finding carries", "findings carry") + " a blocked advisory id";
    if (!coverage.complete())
      summary += "; the match is also incomplete (" + coverage.summary + ")";
    return summary + ".";
  }
  if (!coverage.complete()) {
    return "No blocked advisory was found, but the match is incomplete (" + coverage.summary +
           "), so the control fails closed.";
  }
  summary = "None of the " + CountOf(policy.blocked_cves.size(), "blocked id", "blocked ids") +
            " is among the " + CountOf(total, "finding", "findings");
  if (excepted > 0) summary += " except where an exception applies";
  return summary + ".";
}

// Fails for every finding whose id or an alias is listed in blockedCves,
// unless an exception applies to it (allowedCves never does: an id cannot be
// both). Thresholds, fixableOnly, the grace period and ignoreBaseImage do not
// apply here. Fails closed while the match is incomplete, as vulnerabilities does.
class BlockedCves final : public Control {
 public:
  std::string_view name() const override { return "blockedCves"; }

  bool IsSet(const Policy& policy) const override { return !policy.blocked_cves.empty(); }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    if (!facts.vulnerabilities.has_value()) {
      result.outcome = Outcome::kFail;
      result.summary =
          "No advisory database was consulted, so blocked advisories cannot be "
          "ruled out.";
      result.evidence.push_back(kNoDatabaseEvidence);
      return result;
    }

    const std::vector<vulndb::Finding>& findings = facts.vulnerabilities->findings;
    ExceptionMatches exceptions = MatchExceptions(policy, facts);
    size_t blocked = 0;
    size_t excepted = 0;
    std::vector<std::string> excepted_evidence;
    for (size_t i = 0; i < findings.size(); ++i) {
      std::string entries = BlockingEntries(policy, findings[i]);
      if (entries.empty()) continue;
      const FindingExceptions& matched = exceptions.findings[i];
      std::string line = "blocked by " + entries + ": " + DescribeFinding(findings[i]);
      if (matched.applies()) {
        ++excepted;
        excepted_evidence.push_back("not counted, " + ExceptionList(policy, matched.applying) +
                                    " applies: " + line);
        continue;
      }
      ++blocked;
      if (!matched.expired.empty()) {
        line += "; " + ExceptionList(policy, matched.expired) + " has expired, so it counts again";
      }
      if (!matched.unchecked.empty()) {
        line += "; " + ExceptionList(policy, matched.unchecked) +
                " does not apply: the scan time is unknown";
      }
      result.evidence.push_back(line);
    }

    MatchCoverage coverage = CheckMatchCoverage(facts);
    for (std::string& line : excepted_evidence) result.evidence.push_back(line);
    result.evidence.push_back("blocked ids, matched against each finding's id and aliases: " +
                              BlockedList(policy));
    if (!policy.exceptions.empty() && !exceptions.clock_problem.empty()) {
      result.evidence.push_back(exceptions.clock_problem);
    }
    for (const std::string& line : coverage.evidence) result.evidence.push_back(line);

    result.outcome = blocked > 0 || !coverage.complete() ? Outcome::kFail : Outcome::kPass;
    result.summary = Summary(blocked, excepted, policy, findings.size(), coverage);
    return result;
  }
};

}  // namespace

std::unique_ptr<Control> MakeBlockedCvesControl() { return std::make_unique<BlockedCves>(); }

}  // namespace bulwark::policy::internal
