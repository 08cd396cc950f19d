#include "policy/control.h"
#include "policy/package_match.h"

namespace bulwark::policy::internal {
namespace {

// Fails for each rule that no installed package satisfies, saying what is
// installed under that name instead (a version outside the constraint, or one
// that could not be compared). An incomplete inventory (a coverage gap) fails
// too, like blockedPackages: the package controls only decide on a complete
// inventory, so that neither can pass on packages that were never read.
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

    // Fail closed on coverage gaps: the gaps are evidence, after any findings.
    std::vector<std::string> gaps = GapEvidence(facts.inventory);
    result.evidence.insert(result.evidence.end(), gaps.begin(), gaps.end());
    result.outcome = missing > 0 || !gaps.empty() ? Outcome::kFail : Outcome::kPass;
    result.summary = Summary(missing, policy.required_packages.size(), facts.inventory);
    return result;
  }

 private:
  static std::string Summary(size_t missing, size_t rules, const catalog::Inventory& inventory) {
    bool complete = inventory.gaps.empty();
    if (missing == 0) {
      if (complete) return "Every required package is installed.";
      return "Every required package was found, but the package inventory is incomplete: " +
             UnreadDatabases(inventory) + ", so the control fails closed.";
    }

    std::string summary = std::to_string(missing) + " of " +
                          CountOf(rules, "required package rule", "required package rules") +
                          " not satisfied";
    if (!complete) {
      summary += "; the package inventory is also incomplete: " + UnreadDatabases(inventory) +
                 ", so some of them may be in what was not read";
    }
    return summary + ".";
  }
};

}  // namespace

std::unique_ptr<Control> MakeRequiredPackagesControl() {
  return std::make_unique<RequiredPackages>();
}

}  // namespace bulwark::policy::internal
