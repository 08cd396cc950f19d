#include "report/junit_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/golden_file.h"
#include "report/report_check.h"
#include "report/sample_results.h"

namespace bulwark::report {
namespace {

using nlohmann::json;

// The JUnit document as xml.etree reads it (see check_report.py), or null
// when python3 is not there (the test is then skipped).
json ParsedBack(const std::string& xml) {
  testing::CheckOutcome check = testing::ParseJunit(xml);
  if (check.skipped) return nullptr;
  EXPECT_TRUE(check.passed) << check.output;
  return check.passed ? json::parse(check.output) : json::object();
}

TEST(RenderJunit, MatchesGoldenFilesForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    std::string xml = RenderJunit(state.result);

    testing::ExpectMatchesGolden(state.name + ".junit.xml", xml);
  }
}

TEST(RenderJunit, CountsAgreeWithTheElementsAndTheVerdictForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);
    size_t controls = 0;
    size_t failed = 0;
    for (const policy::PolicyResult& policy : state.result.verdict.policies) {
      for (const policy::ControlResult& control : policy.controls) {
        ++controls;
        failed += control.outcome == policy::Outcome::kFail ? 1 : 0;
      }
    }
    size_t errors = state.result.error.has_value() ? 1 : 0;

    json parsed = ParsedBack(RenderJunit(state.result));

    if (parsed.is_null()) GTEST_SKIP() << "/usr/bin/python3 is missing";
    EXPECT_EQ(parsed["root"], "testsuites");
    for (const json& suite : parsed["suites"]) EXPECT_EQ(suite["attributes"], suite["found"]);
    EXPECT_EQ(parsed["attributes"]["tests"], errors == 1 ? 1 : controls);
    EXPECT_EQ(parsed["attributes"]["failures"], failed);
    EXPECT_EQ(parsed["attributes"]["errors"], errors);
    EXPECT_EQ(parsed["attributes"]["skipped"], 0);
  }
}

TEST(RenderJunit, HasOneTestCasePerControlInASuitePerPolicy) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  json parsed = ParsedBack(RenderJunit(result));

  if (parsed.is_null()) GTEST_SKIP() << "/usr/bin/python3 is missing";
  ASSERT_EQ(parsed["suites"].size(), 1u);
  const json& suite = parsed["suites"][0];
  EXPECT_EQ(suite["name"], "strict");
  EXPECT_EQ(suite["classnames"], json::array({"strict"}));
  std::vector<std::string> controls;
  for (const policy::ControlResult& control : result.verdict.policies[0].controls) {
    controls.push_back(control.control);
  }
  EXPECT_EQ(suite["cases"].get<std::vector<std::string>>(), controls);
}

TEST(RenderJunit, FailureCarriesTheSummaryAndAllOfTheEvidence) {
  scan::ScanResult result = testing::NonCompliantAuditResult();
  const policy::ControlResult& blocked = result.verdict.policies[0].controls[1];
  ASSERT_EQ(blocked.control, "blockedPackages");

  json parsed = ParsedBack(RenderJunit(result));

  if (parsed.is_null()) GTEST_SKIP() << "/usr/bin/python3 is missing";
  const json& failure = parsed["suites"][0]["failures"][1];
  EXPECT_EQ(failure[0], "(audit only) " + blocked.summary);
  EXPECT_EQ(failure[1], "audit");
  std::string text = failure[2];
  for (const std::string& line : blocked.evidence) {
    EXPECT_NE(text.find("- " + line), std::string::npos) << line;
  }
}

TEST(RenderJunit, ListsAppliedAndExpiredExceptionsAndTheVulnerabilityCounts) {
  std::string document = testing::StrictVulnerabilityPolicy(true).document;
  std::string applied_line = std::to_string(testing::LineOf(document, "ALPN is not"));
  std::string expired_line = std::to_string(testing::LineOf(document, "Waiting for the"));

  json parsed = ParsedBack(RenderJunit(testing::NonCompliantEnforcedResult()));

  if (parsed.is_null()) GTEST_SKIP() << "/usr/bin/python3 is missing";
  std::map<std::string, std::string> properties;
  for (const json& property : parsed["suites"][0]["properties"]) {
    properties[property[0]] = property[1];
  }
  EXPECT_EQ(properties["appliedException"],
            "policy \"strict\" line " + applied_line +
                ": CVE-2024-5535 in libssl3, until 2024-09-30: ALPN is not used by the app; "
                "tracked as SEC-112");
  EXPECT_EQ(properties["expiredException"],
            "policy \"strict\" line " + expired_line +
                ", expired 2024-03-31: Waiting for the 3.0.13 point release");
  EXPECT_NE(properties["vulnerabilities"].find("7 findings"), std::string::npos);
  EXPECT_NE(properties["vulnerabilities"].find("built 2024-04-30T06:00:00Z"), std::string::npos);
  EXPECT_EQ(properties["enforce"], "true");
}

TEST(RenderJunit, ScanFailureIsOneTestCaseWithAnError) {
  std::string xml = RenderJunit(testing::ScanFailedResult());

  json parsed = ParsedBack(xml);

  if (parsed.is_null()) GTEST_SKIP() << "/usr/bin/python3 is missing";
  ASSERT_EQ(parsed["suites"].size(), 1u);
  EXPECT_EQ(parsed["suites"][0]["cases"], json::array({"scan"}));
  EXPECT_EQ(parsed["attributes"]["errors"], 1);
  EXPECT_NE(xml.find("<error message=\"The scan did not complete: corrupt_input\" "
                     "type=\"corrupt_input\">"),
            std::string::npos);
}

TEST(RenderJunit, EscapesMarkupAndReplacesCharactersXmlForbids) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  result.verdict.policies[0].policy_name = "strict <&\"'>";
  result.verdict.policies[0].controls[0].evidence.push_back(std::string("esc \x1b nul \0 end", 15) +
                                                            " bad \xff byte");

  json parsed = ParsedBack(RenderJunit(result));

  if (parsed.is_null()) GTEST_SKIP() << "/usr/bin/python3 is missing";
  EXPECT_EQ(parsed["suites"][0]["name"], "strict <&\"'>");
  std::string text = parsed["suites"][0]["failures"][0][2];
  EXPECT_NE(text.find("esc \xEF\xBF\xBD nul \xEF\xBF\xBD end bad \xEF\xBF\xBD byte"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace bulwark::report
