// What every report format says the same way: the overall status, the failed
// controls, layer owners. Internal to report/; formats only lay it out.
#ifndef BULWARK_REPORT_REPORT_VIEW_H_
#define BULWARK_REPORT_REPORT_VIEW_H_

#include <string>
#include <string_view>
#include <vector>

#include "lineage/lineage.h"
#include "policy/verdict.h"
#include "scan/scan_result.h"

namespace bulwark::report::internal {

enum class Status {
  kCompliant,             // Every policy passed.
  kNonCompliantEnforced,  // An enforcing policy failed: the CI step fails (exit 4).
  kNonCompliantAudit,     // Only audit policies failed: reported, exit 0.
  kScanFailed,            // The scan did not complete; nothing was decided.
  kInventoryOnly,         // No policy was evaluated (scan --inventory-only): no verdict.
};

// The status of a scan: its error first, then the verdict.
Status StatusOf(const scan::ScanResult& result);

// "compliant", "non_compliant_enforced", "non_compliant_audit", "scan_failed".
std::string_view StatusName(Status status);

// "COMPLIANT", "NON-COMPLIANT (enforced)", "NON-COMPLIANT (audit only)", "SCAN FAILED".
std::string_view StatusHeadline(Status status);

// A failed control with the policy it belongs to. Pointers into the verdict,
// which must outlive it.
struct FailedControl {
  const policy::PolicyResult* policy = nullptr;
  const policy::ControlResult* control = nullptr;
};

// Every failed control, enforcing policies first, then in verdict order.
std::vector<FailedControl> FailedControls(const policy::Verdict& verdict);

// For each of `layer_count` layers (bottom first), the registered ancestor that
// introduced it: the non-self ancestor with the shortest prefix that still
// covers the layer, first in lineage order among equals; nullptr when no
// registered base owns it (the image itself added it). Pointers into `lineage`.
std::vector<const lineage::Ancestor*> LayerOwners(const lineage::Lineage& lineage,
                                                  size_t layer_count);

// "a:1, a:latest" or "(registered without a name)".
std::string JoinNames(const std::vector<std::string>& names);

// One line on the nearest base: its description, or that none was found.
std::string NearestBaseLine(const lineage::Lineage& lineage);

// Every approvedBaseImages entry across the policies, without repeats, in order.
std::vector<std::string> ApprovedBaseImages(const policy::Verdict& verdict);

// "12.3 MiB", "512 B".
std::string FormatBytes(uint64_t bytes);

}  // namespace bulwark::report::internal

#endif  // BULWARK_REPORT_REPORT_VIEW_H_
