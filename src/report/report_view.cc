#include "report/report_view.h"

#include <algorithm>
#include <cstdio>

namespace bulwark::report::internal {

Status StatusOf(const scan::ScanResult& result) {
  if (result.error.has_value()) return Status::kScanFailed;
  if (result.verdict.policies.empty()) return Status::kInventoryOnly;
  if (result.verdict.blocking()) return Status::kNonCompliantEnforced;
  if (!result.verdict.compliant()) return Status::kNonCompliantAudit;
  return Status::kCompliant;
}

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::kCompliant:
      return "compliant";
    case Status::kNonCompliantEnforced:
      return "non_compliant_enforced";
    case Status::kNonCompliantAudit:
      return "non_compliant_audit";
    case Status::kScanFailed:
      return "scan_failed";
    case Status::kInventoryOnly:
      return "inventory_only";
  }
  return "scan_failed";
}

std::string_view StatusHeadline(Status status) {
  switch (status) {
    case Status::kCompliant:
      return "COMPLIANT";
    case Status::kNonCompliantEnforced:
      return "NON-COMPLIANT (enforced)";
    case Status::kNonCompliantAudit:
      return "NON-COMPLIANT (audit only)";
    case Status::kScanFailed:
      return "SCAN FAILED";
    case Status::kInventoryOnly:
      return "INVENTORY ONLY (no policy evaluated, no verdict)";
  }
  return "SCAN FAILED";
}

std::vector<FailedControl> FailedControls(const policy::Verdict& verdict) {
  std::vector<FailedControl> failed;
  // Two passes put what blocks the pipeline before what is only audited.
  for (bool enforcing : {true, false}) {
    for (const policy::PolicyResult& result : verdict.policies) {
      if (result.enforce != enforcing) continue;
      for (const policy::ControlResult& control : result.controls) {
        if (control.outcome == policy::Outcome::kFail) failed.push_back({&result, &control});
      }
    }
  }
  return failed;
}

std::vector<const lineage::Ancestor*> LayerOwners(const lineage::Lineage& lineage,
                                                  size_t layer_count) {
  std::vector<const lineage::Ancestor*> owners(layer_count, nullptr);
  // A layer belongs to the covering ancestor with the shortest prefix. Only a
  // strictly shorter prefix replaces an owner, so among equal prefixes the
  // first in lineage order keeps the layer.
  for (const lineage::Ancestor& ancestor : lineage.ancestors) {
    if (ancestor.is_self) continue;
    size_t covered = std::min(ancestor.prefix_length, layer_count);
    for (size_t i = 0; i < covered; ++i) {
      if (owners[i] == nullptr || owners[i]->prefix_length > ancestor.prefix_length) {
        owners[i] = &ancestor;
      }
    }
  }
  return owners;
}

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.empty()) return "(registered without a name)";
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

std::string NearestBaseLine(const lineage::Lineage& lineage) {
  const lineage::Ancestor* nearest = lineage.NearestBase();
  if (nearest == nullptr) return "none found: " + lineage::DescribeMissingBase(lineage);
  return lineage::DescribeAncestor(*nearest, lineage.chain.size());
}

std::vector<std::string> ApprovedBaseImages(const policy::Verdict& verdict) {
  std::vector<std::string> approved;
  for (const policy::PolicyResult& result : verdict.policies) {
    for (const std::string& entry : result.approved_base_images) {
      if (std::find(approved.begin(), approved.end(), entry) == approved.end()) {
        approved.push_back(entry);
      }
    }
  }
  return approved;
}

std::string FormatBytes(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 3) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, units[unit]);
  return text;
}

}  // namespace bulwark::report::internal
