// The code-scanning report: SARIF 2.1.0 (OASIS), for dashboards that read static analysis
// results (docs/report-schema.md, "SARIF").
#ifndef BULWARK_REPORT_SARIF_REPORT_H_
#define BULWARK_REPORT_SARIF_REPORT_H_

#include <string>

#include "common/result.h"
#include "scan/scan_result.h"

namespace bulwark::report {

// The value of "$schema": the SARIF 2.1.0 schema as JSON Schema Store serves it.
inline constexpr char kSarifSchemaUri[] = "https://json.schemastore.org/sarif-2.1.0.json";

// Renders `result` as one SARIF 2.1.0 log with one run (two-space indent,
// trailing newline):
//   - a result for every vulnerability finding (ruleId = the finding's id,
//     level from its severity, located at the package database it was read
//     from), with an "accepted" suppression for each applied exception;
//   - a result for every failed control other than vulnerabilities and
//     blockedCves, whose findings are results already (ruleId
//     "bulwark/CONTROL", level "error" for an enforcing policy, "warning" for
//     an audit-only one), located at the image source;
//   - when the scan failed, one "bulwark/scanFailed" error result, and the
//     invocation says executionSuccessful false.
// Every result has a rule in tool.driver.rules and a location. A run with no
// results has an empty "results" array. Coverage gaps, unmatched packages and
// a missing advisory database are tool execution notifications; the verdict's
// status and every applied and expired exception are invocation properties. Output depends
// only on `result`; text that is not valid UTF-8 gets U+FFFD. Fails with
// kInternal only if the JSON library throws, which is a bug. Thread-safe.
Result<std::string> RenderSarif(const scan::ScanResult& result);

}  // namespace bulwark::report

#endif  // BULWARK_REPORT_SARIF_REPORT_H_
