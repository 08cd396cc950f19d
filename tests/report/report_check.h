// Runs tests/report/check_report.py on rendered reports: JSON Schema
// validation against the stored schemas in tests/fixtures/schemas/ (README
// there says where they come from) and JUnit counting with xml.etree.
#ifndef BULWARK_TESTS_REPORT_REPORT_CHECK_H_
#define BULWARK_TESTS_REPORT_REPORT_CHECK_H_

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark::report::testing {

struct CheckOutcome {
  bool skipped = false;  // python3 or python3-jsonschema is missing; `output` says so.
  bool passed = false;
  std::string output;  // What the script printed: errors, or the JUnit counts as JSON.
};

inline CheckOutcome RunCheck(const std::vector<std::string>& arguments) {
  std::vector<std::string> args = {std::string(BULWARK_SOURCE_DIR) +
                                   "/tests/report/check_report.py"};
  args.insert(args.end(), arguments.begin(), arguments.end());
  ::bulwark::testing::CommandResult run =
      ::bulwark::testing::RunCommand("/usr/bin/python3", args, "/nonexistent");
  // 77: the script found no jsonschema module; 127: there is no python3.
  bool skipped = run.exit_code == 77 || run.exit_code == 127;
  // Standard error joins the output only on failure, so that JUnit counts parse as JSON.
  std::string output = run.exit_code == 127 ? "/usr/bin/python3 is missing"
                       : run.exit_code == 0 ? run.out
                                            : run.out + run.err;
  return CheckOutcome{.skipped = skipped, .passed = run.exit_code == 0, .output = output};
}

inline std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = ::bulwark::testing::MakeTempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

// Validates `document` (JSON text) against tests/fixtures/schemas/SCHEMA_FILE.
inline CheckOutcome ValidateAgainstSchema(const std::string& schema_file,
                                          const std::string& document) {
  std::string schemas = std::string(BULWARK_SOURCE_DIR) + "/tests/fixtures/schemas";
  return RunCheck({"schema", schemas, schema_file, WriteTemp("report.json", document)});
}

// Parses `document` (JUnit XML) and returns its counts as JSON in `output`.
inline CheckOutcome ParseJunit(const std::string& document) {
  return RunCheck({"junit", WriteTemp("report.xml", document)});
}

}  // namespace bulwark::report::testing

#endif  // BULWARK_TESTS_REPORT_REPORT_CHECK_H_
