#include "policy/control.h"
#include "policy/package_match.h"

namespace bulwark::policy::internal {
namespace {

// Fails for every installed package that a blocked rule matches. A package
// whose version cannot be compared with a rule's constraint is reported as a
// failure with the reason, never let through.
class BlockedPackages final : public Control {
 public:
  std::string_view name() const override { return "blockedPackages"; }

  bool IsSet(const Policy& policy) const override { return !policy.blocked_packages.empty(); }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    size_t blocked = 0;
    size_t undecided = 0;

    for (const PackageRule& rule : policy.blocked_packages) {
      for (const catalog::Package& package : facts.inventory.packages) {
        std::string reason;
        RuleMatch match = MatchRule(rule, package, reason);
        if (match == RuleMatch::kYes) {
          ++blocked;
          result.evidence.push_back(DescribePackage(package) + " is blocked by " +
                                    DescribeRule(rule));
        } else if (match == RuleMatch::kUndecided) {
          ++undecided;
          result.evidence.push_back(DescribePackage(package) + " may be blocked by " +
                                    DescribeRule(rule) + ": " + reason);
        }
      }
    }

    result.outcome = blocked + undecided > 0 ? Outcome::kFail : Outcome::kPass;
    result.summary = Summary(blocked, undecided, facts.inventory);
    return result;
  }

 private:
  static std::string Summary(size_t blocked, size_t undecided,
                             const catalog::Inventory& inventory) {
    if (blocked + undecided == 0) {
      std::string summary = "No blocked package is installed (" +
                            std::to_string(inventory.packages.size()) + " packages checked";
      // LIMITATION(#2): packages in unreadable databases (coverage gaps) are not
      // checked; the pass says so and the gaps are listed in every report.
      if (!inventory.gaps.empty()) {
        summary += "; " + std::to_string(inventory.gaps.size()) + " coverage gaps were not checked";
      }
      return summary + ").";
    }
    std::string summary = std::to_string(blocked) + " blocked package(s) installed";
    if (undecided > 0) {
      summary += ", " + std::to_string(undecided) + " whose version could not be compared";
    }
    return summary + ".";
  }
};

}  // namespace

std::unique_ptr<Control> MakeBlockedPackagesControl() {
  return std::make_unique<BlockedPackages>();
}

}  // namespace bulwark::policy::internal
