#include "policy/control.h"
#include "policy/package_match.h"

namespace bulwark::policy::internal {
namespace {

// Fails for every installed package that a blocked rule matches. A package
// whose version cannot be compared with a rule's constraint is reported as a
// failure with the reason, never let through. An incomplete inventory (a
// coverage gap: a package database that could not be read) fails too, since a
// blocked package may be in what was not read.
class BlockedPackages final : public Control {
 public:
  std::string_view name() const override { return "blockedPackages"; }

  bool IsSet(const Policy& policy) const override { return !policy.blocked_packages.empty(); }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    const catalog::Inventory& inventory = facts.inventory;
    size_t blocked = 0;
    size_t undecided = 0;

    for (const PackageRule& rule : policy.blocked_packages) {
      for (const catalog::Package& package : inventory.packages) {
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

    // Fail closed on coverage gaps: the gaps are evidence, after any findings.
    std::vector<std::string> gaps = GapEvidence(inventory);
    result.evidence.insert(result.evidence.end(), gaps.begin(), gaps.end());
    bool found = blocked + undecided > 0;
    result.outcome = found || !gaps.empty() ? Outcome::kFail : Outcome::kPass;
    result.summary = Summary(blocked, undecided, inventory);
    return result;
  }

 private:
  static std::string Summary(size_t blocked, size_t undecided,
                             const catalog::Inventory& inventory) {
    bool complete = inventory.gaps.empty();
    if (blocked + undecided == 0) {
      if (!complete) {
        return "The package inventory is incomplete: " + UnreadDatabases(inventory) +
               ", so blocked packages cannot be ruled out.";
      }
      return "No blocked package is installed (" +
             CountOf(inventory.packages.size(), "package", "packages") + " checked).";
    }

    std::string summary = CountOf(blocked, "blocked package", "blocked packages") + " installed";
    if (undecided > 0) {
      summary += ", " + std::to_string(undecided) + " whose version could not be compared";
    }
    if (!complete) {
      summary += "; the package inventory is also incomplete: " + UnreadDatabases(inventory);
    }
    return summary + ".";
  }
};

}  // namespace

std::unique_ptr<Control> MakeBlockedPackagesControl() {
  return std::make_unique<BlockedPackages>();
}

}  // namespace bulwark::policy::internal
