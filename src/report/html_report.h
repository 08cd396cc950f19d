// The human report: one self-contained HTML page per scan.
#ifndef BULWARK_REPORT_HTML_REPORT_H_
#define BULWARK_REPORT_HTML_REPORT_H_

#include <string>

#include "common/result.h"
#include "scan/scan_result.h"

namespace bulwark::report {

// Renders `result` as a single HTML page with inline CSS and no external
// resources (no scripts, fonts or images), so it can be archived as a CI
// artifact and opened offline. It opens with the status (COMPLIANT,
// NON-COMPLIANT (enforced), NON-COMPLIANT (audit only) or SCAN FAILED), the
// failed controls with their evidence, the vulnerability counts, the nearest
// registered base and what the policies approve; then lineage, layers,
// packages, coverage gaps, vulnerabilities (the advisory database with its
// build time and sources, the image's release, counts per severity and fix
// state, and every finding with its layer, or "not checked" when no database
// was consulted) and the policy documents with their applied and expired
// exceptions. Every value from the image or the policies is HTML-escaped
// by the template engine. Fails with kInternal only if the template engine
// throws, which is a bug. Thread-safe.
Result<std::string> RenderHtml(const scan::ScanResult& result);

}  // namespace bulwark::report

#endif  // BULWARK_REPORT_HTML_REPORT_H_
