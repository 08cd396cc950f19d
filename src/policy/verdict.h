// Facts about an image, and the verdict of policies on them.
#ifndef BULWARK_POLICY_VERDICT_H_
#define BULWARK_POLICY_VERDICT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/inventory.h"
#include "common/digest.h"
#include "lineage/lineage.h"
#include "policy/policy.h"

namespace bulwark::policy {

// Everything controls may look at. Built by the scanner; policy never reads images.
struct Facts {
  Digest image_id;
  std::optional<Digest> manifest_digest;
  std::vector<std::string> names;
  std::string user;  // Config.User as written.
  std::map<std::string, std::string> labels;
  catalog::Inventory inventory;
  lineage::Lineage lineage;
};

enum class Outcome { kPass, kFail };

std::string_view OutcomeName(Outcome outcome);  // "pass" | "fail"

// One control's result with the evidence behind it.
struct ControlResult {
  std::string control;  // "approvedBaseImages", "blockedPackages", ...
  Outcome outcome = Outcome::kPass;
  std::string summary;                // One plain sentence.
  std::vector<std::string> evidence;  // Concrete facts: packages, names, layers.
};

struct PolicyResult {
  std::string policy_name;
  std::string origin;
  Digest document_sha256;
  bool enforce = true;
  bool compliant = true;
  // The approvedBaseImages entries as written, so reports can say what the
  // policy approves; empty when the policy does not set that control.
  std::vector<std::string> approved_base_images;
  // The controls the policy sets, in the fixed order of docs/policy.md
  // (approvedBaseImages, blockedPackages, requiredPackages, superuser, labels).
  std::vector<ControlResult> controls;
};

struct Verdict {
  std::vector<PolicyResult> policies;
  // True when every policy is compliant.
  bool compliant() const;
  // True when a policy that enforces is not compliant (exit code 4).
  bool blocking() const;
};

// Evaluates each policy's controls on `facts`. Pure; never fails: a control
// that cannot decide fails with its reason as evidence.
Verdict Evaluate(const std::vector<Policy>& policies, const Facts& facts);

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_VERDICT_H_
