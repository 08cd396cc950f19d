#include "report/text_report.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "report/golden_file.h"
#include "report/sample_results.h"

namespace bulwark::report {
namespace {

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

size_t LineCount(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(RenderText, MatchesGoldenFilesForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    std::string text = RenderText(state.result);

    testing::ExpectMatchesGolden(state.name + ".txt", text);
  }
}

TEST(RenderText, StartsWithTheVerdict) {
  struct Case {
    scan::ScanResult result;
    const char* first_line;
  };
  const Case cases[] = {{testing::CompliantResult(), "bulwark: COMPLIANT (exit code 0)"},
                        {testing::NonCompliantEnforcedResult(),
                         "bulwark: NON-COMPLIANT (enforced): 4 failed controls (exit code 4)"},
                        {testing::NonCompliantAuditResult(),
                         "bulwark: NON-COMPLIANT (audit only): 4 failed controls (exit code 0)"},
                        {testing::ScanFailedResult(), "bulwark: SCAN FAILED (exit code 3)"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.first_line);

    std::string text = RenderText(test_case.result);

    EXPECT_EQ(FirstLine(text), test_case.first_line);
  }
}

TEST(RenderText, ShowsFailedEvidenceNearestBaseAndApprovedImages) {
  std::string text = RenderText(testing::NonCompliantEnforcedResult());

  EXPECT_NE(text.find("FAIL policy \"strict\" blockedPackages:"), std::string::npos);
  EXPECT_NE(text.find("  - telnet 0.17+2.4-2 (deb, amd64) is blocked by telnet (line 7)"),
            std::string::npos);
  EXPECT_NE(text.find("nearest registered base: registry.example.com/runtime:3"),
            std::string::npos);
  EXPECT_NE(text.find("policies approve: registry.example.com/base:1.0"), std::string::npos);
  EXPECT_LT(LineCount(text), 40u);
}

TEST(RenderText, CutsLongEvidenceListsShort) {
  scan::ScanResult result = testing::SampleScan();
  for (int i = 0; i < 30; ++i) {
    result.inventory.packages.push_back(
        testing::DebPackage("tool" + std::to_string(i), "1.0-1", "tools"));
  }
  std::string rules;
  for (int i = 0; i < 30; ++i) rules += "    - name: tool" + std::to_string(i) + "\n";
  policy::Policy policy =
      testing::ParseOrFail("name: many\ncontrols:\n  blockedPackages:\n" + rules, "many.yaml");
  result = testing::WithVerdict(result, {policy});

  std::string text = RenderText(result);

  EXPECT_NE(text.find("  - ... and 25 more (see the JSON or HTML report)"), std::string::npos);
  EXPECT_LT(LineCount(text), 40u);
}

}  // namespace
}  // namespace bulwark::report
