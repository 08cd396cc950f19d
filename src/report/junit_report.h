// The test report: JUnit XML, for CI systems that show test results
// (docs/report-schema.md, "JUnit").
#ifndef BULWARK_REPORT_JUNIT_REPORT_H_
#define BULWARK_REPORT_JUNIT_REPORT_H_

#include <string>

#include "scan/scan_result.h"

namespace bulwark::report {

// Renders `result` as a JUnit XML document (UTF-8, XML 1.0): a <testsuites>
// element with one <testsuite> per policy (name = the policy's name) and one
// <testcase> per control it sets (name = the control, classname = the
// policy's name). A failed control gets a <failure> whose message is the
// control's summary and whose text lists all of its evidence; type is
// "enforced" or "audit" after the policy's mode. The suite's <properties> name
// the policy document (origin, sha256, enforce), the image, the vulnerability
// counts with the advisory database's build time, and every applied and
// expired exception. A scan that did not complete is one suite "bulwark"
// with one test case "scan" holding an <error>. The tests, failures, errors
// and skipped attributes are counted from the elements written. Every value
// is XML-escaped; characters XML 1.0 forbids and bytes that are not UTF-8
// become U+FFFD. Output depends only on `result`. Thread-safe.
std::string RenderJunit(const scan::ScanResult& result);

}  // namespace bulwark::report

#endif  // BULWARK_REPORT_JUNIT_REPORT_H_
