// The bill of materials: CycloneDX 1.5 JSON, with the image's packages and
// their vulnerabilities (docs/report-schema.md, "CycloneDX").
#ifndef BULWARK_REPORT_CYCLONEDX_REPORT_H_
#define BULWARK_REPORT_CYCLONEDX_REPORT_H_

#include <string>

#include "common/result.h"
#include "scan/scan_result.h"

namespace bulwark::report {

// Renders `result` as a CycloneDX 1.5 JSON BOM (two-space indent, trailing
// newline): metadata (the scan time, Bulwark as the tool, the image as a
// "container" component with its manifest digest, and the verdict, failed
// controls, exceptions, coverage gaps and advisory database as properties),
// one "library" component per package with its package URL, licence and
// layer, and one vulnerability per finding, with ratings, the affected
// component, the fix and the distribution's "will not fix" as an analysis.
// With no advisory database consulted there is no "vulnerabilities" array
// and a property says so; a failed scan has no components, and its
// composition is "unknown" rather than an empty, complete-looking BOM.
//
// The serialNumber is a name-based (version 5) UUID of the image id and the
// scan time, so one scan always gives the same BOM and two scans give two
// serial numbers; it is left out when either is unknown (a failed scan).
// Output depends only on `result`; text that is not valid UTF-8 gets U+FFFD.
// Fails with kInternal only if the JSON library throws, which is a bug.
// Thread-safe.
Result<std::string> RenderCycloneDx(const scan::ScanResult& result);

}  // namespace bulwark::report

#endif  // BULWARK_REPORT_CYCLONEDX_REPORT_H_
