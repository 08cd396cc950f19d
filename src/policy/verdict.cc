#include "policy/verdict.h"

#include <algorithm>

#include "policy/control.h"

namespace bulwark::policy {

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
    verdict.policies.push_back(std::move(result));
  }
  return verdict;
}

}  // namespace bulwark::policy
