#include "policy/control.h"
#include "policy/package_match.h"

namespace bulwark::policy::internal {
namespace {

// Fails for each rule that no installed package satisfies, saying what is
// installed under that name instead (a version outside the constraint, or one
// that could not be compared).
class RequiredPackages final : public Control {
 public:
  std::string_view name() const override { return "requiredPackages"; }

  bool IsSet(const Policy& policy) const override { return !policy.required_packages.empty(); }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    size_t missing = 0;

    for (const PackageRule& rule : policy.required_packages) {
      std::vector<std::string> near_misses;
      bool satisfied = false;
      for (const catalog::Package& package : facts.inventory.packages) {
        std::string reason;
        RuleMatch match = MatchRule(rule, package, reason);
        if (match == RuleMatch::kYes) {
          satisfied = true;
          break;
        }
        if (package.name != rule.name) continue;
        near_misses.push_back(
            DescribePackage(package) + " is installed but " +
            (match == RuleMatch::kUndecided ? reason : "does not satisfy the version"));
      }
      if (satisfied) continue;

      ++missing;
      std::string line = "required " + DescribeRule(rule) + " is not installed";
      for (const std::string& miss : near_misses) line += "; " + miss;
      result.evidence.push_back(line);
    }

    result.outcome = missing > 0 ? Outcome::kFail : Outcome::kPass;
    result.summary = missing > 0 ? std::to_string(missing) + " of " +
                                       std::to_string(policy.required_packages.size()) +
                                       " required package rule(s) not satisfied."
                                 : "Every required package is installed.";
    return result;
  }
};

}  // namespace

std::unique_ptr<Control> MakeRequiredPackagesControl() {
  return std::make_unique<RequiredPackages>();
}

}  // namespace bulwark::policy::internal
