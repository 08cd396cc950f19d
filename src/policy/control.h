// The controls a policy can set, behind one small interface. Internal to policy/.
#ifndef BULWARK_POLICY_CONTROL_H_
#define BULWARK_POLICY_CONTROL_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lineage/lineage.h"
#include "policy/policy.h"
#include "policy/verdict.h"

namespace bulwark::policy::internal {

// One check. Implementations are stateless and thread-safe.
class Control {
 public:
  virtual ~Control() = default;

  // The key of the control in policy documents ("blockedPackages").
  virtual std::string_view name() const = 0;

  // Whether `policy` sets this control; unset controls are not run or reported.
  virtual bool IsSet(const Policy& policy) const = 0;

  // Checks `facts` against the policy's rule. Never fails: when the control
  // cannot decide, it fails with the reason as evidence (fail closed).
  virtual ControlResult Check(const Policy& policy, const Facts& facts) const = 0;
};

std::unique_ptr<Control> MakeApprovedBaseImagesControl();
std::unique_ptr<Control> MakeBlockedPackagesControl();
std::unique_ptr<Control> MakeRequiredPackagesControl();
std::unique_ptr<Control> MakeSuperuserControl();
std::unique_ptr<Control> MakeLabelsControl();
std::unique_ptr<Control> MakeAdvisoryDataControl();
std::unique_ptr<Control> MakeVulnerabilitiesControl();
std::unique_ptr<Control> MakeBlockedCvesControl();

// Every control, in the fixed evaluation order documented in docs/policy.md.
// Built once; the returned list lives for the whole program.
const std::vector<std::unique_ptr<Control>>& AllControls();

// Cuts user-supplied text for evidence lines and quotes it.
std::string QuoteForEvidence(std::string_view text);

// "1 package", "3 packages": the count with the noun in the right number.
std::string CountOf(size_t count, std::string_view singular, std::string_view plural);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_CONTROL_H_
