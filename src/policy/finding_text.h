// Severity names and one-line descriptions of findings, for policy documents
// and evidence. Internal to policy/. policy/ does not link the advisory
// database, so it keeps its own copy of the names; docs/policy.md lists them.
#ifndef BULWARK_POLICY_FINDING_TEXT_H_
#define BULWARK_POLICY_FINDING_TEXT_H_

#include <optional>
#include <string>
#include <string_view>

#include "vulndb/advisory.h"
#include "vulndb/finding.h"

namespace bulwark::policy::internal {

// "unknown", "negligible", "low", "medium", "high", "critical".
std::string_view SeverityText(vulndb::Severity severity);

// The severity a policy names with one of the lower-case words negligible,
// low, medium, high, critical; nullopt for anything else (including
// "unknown", which is not a threshold).
std::optional<vulndb::Severity> SeverityFromPolicyText(std::string_view text);

// True when the finding has a CVSS base score (0..10); -1, NaN or anything
// out of range means it has none.
bool HasCvssScore(const vulndb::Finding& finding);

// A CVSS score with one decimal: "7.5".
std::string CvssText(double score);

// One line naming everything a reader needs to act on a finding:
// "CVE-2023-1234 (also DSA-5532-1): libssl3 3.0.9-1 (deb, source openssl
// 3.0.9-1), severity high (distribution), CVSS 7.5, fixed in 3.0.11-1, layer 4".
// Layers count from 1 at the bottom, as in the rest of the report.
std::string DescribeFinding(const vulndb::Finding& finding);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_FINDING_TEXT_H_
