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
#include "vulndb/finding.h"

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
  // When the scan ran, RFC 3339 UTC: the clock for grace periods, exception
  // expiry and the advisory database's age. Evaluate() stays pure.
  std::string scanned_at;
  // The match against the advisory database; unset when no database was
  // consulted (then the controls that need one fail closed).
  std::optional<vulndb::MatchReport> vulnerabilities;
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

// An exception that took a finding out of the count, for every report: one
// per exception and finding in its scope while it has not expired.
struct AppliedException {
  int line = 0;  // The exception's line in the policy document.
  std::string reason;
  std::string expires;
  std::string finding_id;
  std::string package;
};

// An exception that matched a finding but no longer applies (the scan's date
// is after `expires`), listed once per exception; its findings count again.
struct ExpiredException {
  int line = 0;
  std::string reason;
  std::string expires;
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
  // (approvedBaseImages, blockedPackages, requiredPackages, superuser, labels,
  // advisoryData, vulnerabilities, blockedCves).
  std::vector<ControlResult> controls;
  std::vector<AppliedException> applied_exceptions;
  std::vector<ExpiredException> expired_exceptions;
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
