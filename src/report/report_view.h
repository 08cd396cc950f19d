// What every report format says the same way: the overall status, the failed
// controls, layer owners. Internal to report/; formats only lay it out.
#ifndef BULWARK_REPORT_REPORT_VIEW_H_
#define BULWARK_REPORT_REPORT_VIEW_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "lineage/lineage.h"
#include "policy/verdict.h"
#include "scan/scan_result.h"
#include "vulndb/finding.h"

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

// "a, b, c"; "" for none.
std::string JoinWithCommas(const std::vector<std::string>& items);

// One line on the nearest base: its description, or that none was found.
std::string NearestBaseLine(const lineage::Lineage& lineage);

// Every approvedBaseImages entry across the policies, without repeats, in order.
std::vector<std::string> ApprovedBaseImages(const policy::Verdict& verdict);

// "12.3 MiB", "512 B".
std::string FormatBytes(uint64_t bytes);

// A CVSS base score with one decimal ("7.5"); "" for a negative (unknown) score.
std::string FormatCvss(double score);

// `text` with every byte percent-encoded ("%2B") except ASCII letters, digits,
// "-._~" and the bytes in `keep`. Used for URIs (SARIF) and package URLs.
std::string PercentEncode(std::string_view text, std::string_view keep);

// The name-based UUID (RFC 4122 section 4.3, version 5: SHA-1) of `name` in
// the URL namespace, in lower-case 8-4-4-4-12 form. kInternal when OpenSSL
// refuses SHA-1.
Result<std::string> NameBasedUuid(std::string_view name);

// How many findings there are of one severity or one fix state.
struct Count {
  std::string_view name;   // SeverityName or FixStateName: "critical", "wont_fix".
  std::string_view label;  // For people: "critical", "will not fix".
  size_t count = 0;
};

// The findings of a match counted per severity and per fix state, so every
// format shows the same numbers.
struct VulnerabilityCounts {
  size_t total = 0;
  // Every severity, highest first (critical ... negligible, unknown), zeros included.
  std::vector<Count> by_severity;
  // fixed, not_fixed, wont_fix, zeros included. A finding is never not_affected
  // (vulndb/finding.h); one that is anyway is counted in `total` only.
  std::vector<Count> by_fix_state;
};

VulnerabilityCounts CountFindings(const std::vector<vulndb::Finding>& findings);

// "3 fixed", "1 will not fix": the label people read for a fix state.
std::string_view FixStateLabel(vulndb::FixState state);

// One line on the findings: "7 findings: 1 critical, 1 high, ...; 3 fixed,
// 3 not fixed, 1 will not fix", or "no findings".
std::string CountsSentence(const VulnerabilityCounts& counts);

// The image's release for the advisory match: "debian:12 (Debian GNU/Linux 12
// (bookworm))"; "unknown" when the match found no distribution key.
std::string ReleaseLine(const vulndb::MatchReport& match, const catalog::OsInfo& os);

// The layer that introduced a package and who owns it, counted from 1 at the
// bottom as people read layers (and as policy evidence names them): "1 of 4
// (docker.io/library/debian:12)", "3 of 4 (this image)"; "unknown" for -1 or
// an index past the layers. Machine-readable fields keep the 0-based index.
std::string LayerLine(const scan::ScanResult& result, int layer_index);

// The fix of a finding in words: "fixed in 3.0.11-1~deb12u2", "not fixed yet",
// "will not be fixed by the distribution".
std::string FixLine(const vulndb::Finding& finding);

// An applied exception with the policy it belongs to. Pointers into the
// verdict, which must outlive it.
struct AppliedExceptionRef {
  const policy::PolicyResult* policy = nullptr;
  const policy::AppliedException* exception = nullptr;
};

// Every applied exception of every policy, in verdict order.
std::vector<AppliedExceptionRef> AppliedExceptions(const policy::Verdict& verdict);

// The applied exceptions that took `finding` out of the count: those naming
// its id and its package (policy/ lists one per exception and finding).
std::vector<AppliedExceptionRef> ExceptionsFor(const policy::Verdict& verdict,
                                               const vulndb::Finding& finding);

// "policy \"strict\" line 14: CVE-2024-5535 in libssl3, until 2024-09-30: REASON".
std::string DescribeApplied(const AppliedExceptionRef& applied);

// "policy \"strict\" line 20, expired 2024-03-31: REASON".
std::string DescribeExpired(const policy::PolicyResult& policy,
                            const policy::ExpiredException& expired);

}  // namespace bulwark::report::internal

#endif  // BULWARK_REPORT_REPORT_VIEW_H_
