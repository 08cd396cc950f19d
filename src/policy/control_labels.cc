#include "policy/control.h"

namespace bulwark::policy::internal {
namespace {

// Labels are the image config's Config.Labels; keys compare exactly.
std::string Summary(size_t missing, size_t forbidden) {
  if (missing + forbidden == 0) return "Every required label is set and no forbidden label is.";
  std::string summary;
  if (missing > 0) summary = CountOf(missing, "required label", "required labels") + " missing";
  if (missing > 0 && forbidden > 0) summary += ", ";
  if (forbidden > 0) summary += CountOf(forbidden, "forbidden label", "forbidden labels") + " set";
  return summary + ".";
}

class Labels final : public Control {
 public:
  std::string_view name() const override { return "labels"; }

  bool IsSet(const Policy& policy) const override {
    return !policy.labels_required.empty() || !policy.labels_forbidden.empty();
  }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    size_t missing = 0;
    size_t forbidden = 0;

    for (const std::string& label : policy.labels_required) {
      if (facts.labels.count(label) > 0) continue;
      ++missing;
      result.evidence.push_back("required label " + label + " is missing");
    }
    for (const std::string& label : policy.labels_forbidden) {
      auto found = facts.labels.find(label);
      if (found == facts.labels.end()) continue;
      ++forbidden;
      result.evidence.push_back("forbidden label " + label + " is set to " +
                                QuoteForEvidence(found->second));
    }

    result.outcome = missing + forbidden > 0 ? Outcome::kFail : Outcome::kPass;
    result.summary = Summary(missing, forbidden);
    return result;
  }
};

}  // namespace

std::unique_ptr<Control> MakeLabelsControl() { return std::make_unique<Labels>(); }

}  // namespace bulwark::policy::internal
