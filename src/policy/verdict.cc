#include "policy/verdict.h"

#include <algorithm>

#include "policy/control.h"
#include "policy/exception_match.h"

namespace bulwark::policy {
namespace {

// Lists every (exception, finding) pair that applies, and once each exception
// that matched a finding but has expired. Exceptions only act on the
// vulnerabilities and blockedCves controls, so nothing is listed for a policy
// that sets neither.
void RecordExceptions(const Policy& policy, const Facts& facts, PolicyResult& result) {
  if (policy.exceptions.empty() || !facts.vulnerabilities.has_value()) return;
  if (!policy.vulnerabilities.has_value() && policy.blocked_cves.empty()) return;

  internal::ExceptionMatches matches = internal::MatchExceptions(policy, facts);
  const std::vector<vulndb::Finding>& findings = facts.vulnerabilities->findings;
  std::vector<bool> expired_listed(policy.exceptions.size(), false);
  for (size_t f = 0; f < matches.findings.size(); ++f) {
    for (size_t e : matches.findings[f].applying) {
      const PolicyException& exception = policy.exceptions[e];
      result.applied_exceptions.push_back(AppliedException{.line = exception.line,
                                                           .reason = exception.reason,
                                                           .expires = exception.expires,
                                                           .finding_id = findings[f].id,
                                                           .package = findings[f].package});
    }
    for (size_t e : matches.findings[f].expired) expired_listed[e] = true;
  }

  for (size_t e = 0; e < policy.exceptions.size(); ++e) {
    if (!expired_listed[e]) continue;
    const PolicyException& exception = policy.exceptions[e];
    result.expired_exceptions.push_back(ExpiredException{
        .line = exception.line, .reason = exception.reason, .expires = exception.expires});
  }
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
  }
  return "fail";
}

bool Verdict::compliant() const {
  return std::all_of(policies.begin(), policies.end(),
                     [](const PolicyResult& result) { return result.compliant; });
}

bool Verdict::blocking() const {
  return std::any_of(policies.begin(), policies.end(), [](const PolicyResult& result) {
    return result.enforce && !result.compliant;
  });
}

Verdict Evaluate(const std::vector<Policy>& policies, const Facts& facts) {
  Verdict verdict;
  for (const Policy& policy : policies) {
    PolicyResult result;
    result.policy_name = policy.name;
    result.origin = policy.origin;
    result.document_sha256 = policy.document_sha256;
    result.enforce = policy.enforce;
    if (policy.approved_base_images.has_value()) {
      for (const ApprovedImage& approved : *policy.approved_base_images) {
        result.approved_base_images.push_back(approved.text);
      }
    }

    for (const auto& control : internal::AllControls()) {
      if (!control->IsSet(policy)) continue;
      ControlResult checked = control->Check(policy, facts);
      if (checked.outcome == Outcome::kFail) result.compliant = false;
      result.controls.push_back(std::move(checked));
    }
    RecordExceptions(policy, facts, result);
    verdict.policies.push_back(std::move(result));
  }
  return verdict;
}

}  // namespace bulwark::policy
