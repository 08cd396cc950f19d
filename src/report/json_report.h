// The machine-readable report: one JSON document per scan (docs/report-schema.md).
#ifndef BULWARK_REPORT_JSON_REPORT_H_
#define BULWARK_REPORT_JSON_REPORT_H_

#include <string>

#include "common/result.h"
#include "scan/scan_result.h"

namespace bulwark::report {

// The value of "schemaVersion". Bump it when a field changes meaning or is
// removed; adding a field does not bump it.
inline constexpr char kJsonSchemaVersion[] = "1";

// Renders `result` as a JSON document (two-space indent, fields in schema
// order, trailing newline). Output depends only on `result`. Text that is not
// valid UTF-8 is written with U+FFFD in place of the bad bytes. Fails with
// kInternal only if the JSON library throws, which is a bug. Thread-safe.
Result<std::string> RenderJson(const scan::ScanResult& result);

}  // namespace bulwark::report

#endif  // BULWARK_REPORT_JSON_REPORT_H_
