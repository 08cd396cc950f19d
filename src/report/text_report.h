// A short plain-text summary for CI logs.
#ifndef BULWARK_REPORT_TEXT_REPORT_H_
#define BULWARK_REPORT_TEXT_REPORT_H_

#include <string>

#include "scan/scan_result.h"

namespace bulwark::report {

// Renders a summary of `result`: the verdict line first, then each failed
// control with its evidence (at most a few lines each, the rest counted), the
// nearest registered base and what the policies approve, coverage gaps, one
// line of vulnerability counts per severity and fix state (with the image's
// release and the advisory database's build time, or "not checked"), every
// applied and expired exception, and counts. Each line
// ends with '\n'; no colours. Every line is passed through
// policy::EscapeForTerminal, so values from the image or a policy (labels,
// names, users, package names, evidence) show control characters as visible
// escapes ("\x1b") and can neither drive the terminal nor forge a line. About
// 15-40 lines for a typical image. Output depends only on `result`.
// Thread-safe.
std::string RenderText(const scan::ScanResult& result);

}  // namespace bulwark::report

#endif  // BULWARK_REPORT_TEXT_REPORT_H_
