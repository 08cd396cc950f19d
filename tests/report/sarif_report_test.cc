#include "report/sarif_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "report/golden_file.h"
#include "report/report_check.h"
#include "report/sample_results.h"

namespace bulwark::report {
namespace {

using nlohmann::json;

json RenderParsed(const scan::ScanResult& result) {
  auto rendered = RenderSarif(result);
  EXPECT_TRUE(rendered.ok()) << rendered.error().message();
  return rendered.ok() ? json::parse(*rendered) : json();
}

// The results of a log's only run whose ruleId is `rule_id`.
std::vector<json> ResultsFor(const json& log, const std::string& rule_id) {
  std::vector<json> matching;
  for (const json& result : log["runs"][0]["results"]) {
    if (result["ruleId"] == rule_id) matching.push_back(result);
  }
  return matching;
}

TEST(RenderSarif, MatchesGoldenFilesForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    auto rendered = RenderSarif(state.result);

    ASSERT_TRUE(rendered.ok()) << rendered.error().message();
    testing::ExpectMatchesGolden(state.name + ".sarif", *rendered);
  }
}

TEST(RenderSarif, IsValidAgainstTheSarif210SchemaForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);
    auto rendered = RenderSarif(state.result);
    ASSERT_TRUE(rendered.ok()) << rendered.error().message();

    testing::CheckOutcome check =
        testing::ValidateAgainstSchema("sarif-schema-2.1.0.json", *rendered);

    if (check.skipped) GTEST_SKIP() << check.output;
    EXPECT_TRUE(check.passed) << check.output;
  }
}

TEST(RenderSarif, GivesEveryResultARuleAndALocation) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    json log = RenderParsed(state.result);

    const json& run = log["runs"][0];
    const json& rules = run["tool"]["driver"]["rules"];
    for (const json& result : run["results"]) {
      SCOPED_TRACE(result["ruleId"].get<std::string>());
      size_t index = result["ruleIndex"].get<size_t>();
      ASSERT_LT(index, rules.size());
      EXPECT_EQ(rules[index]["id"], result["ruleId"]);
      ASSERT_FALSE(result["locations"].empty());
      EXPECT_TRUE(result["locations"][0]["physicalLocation"]["artifactLocation"].contains("uri"));
    }
  }
}

TEST(RenderSarif, ReportsEveryFindingAndEveryFailedControlButTheVulnerabilityControl) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  json log = RenderParsed(result);

  std::multiset<std::string> rule_ids;
  for (const json& entry : log["runs"][0]["results"]) rule_ids.insert(entry["ruleId"]);
  std::multiset<std::string> expected;
  for (const vulndb::Finding& finding : result.vulnerabilities->findings) {
    expected.insert(finding.id);
  }
  for (const char* control : {"approvedBaseImages", "blockedPackages", "superuser", "labels"}) {
    expected.insert(std::string("bulwark/") + control);
  }
  EXPECT_EQ(rule_ids, expected);
  EXPECT_EQ(log["$schema"], kSarifSchemaUri);
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(log["runs"][0]["tool"]["driver"]["name"], "bulwark");
}

TEST(RenderSarif, LocatesFindingsAtTheirPackageDatabaseAndNamesPackageVersionAndFix) {
  json log = RenderParsed(testing::NonCompliantEnforcedResult());

  std::vector<json> results = ResultsFor(log, "CVE-2024-0727");

  ASSERT_EQ(results.size(), 1u);
  const json& location = results[0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(location["uri"], "var/lib/dpkg/status");
  EXPECT_EQ(location["uriBaseId"], "IMAGEROOT");
  EXPECT_EQ(results[0]["message"]["text"],
            "openssl 3.0.9-1 is affected by CVE-2024-0727 (low, CVSS 5.5): fixed in "
            "3.0.13-1~deb12u1.");
  EXPECT_EQ(results[0]["properties"]["layerIndex"], 0);
  EXPECT_EQ(results[0]["properties"]["fixState"], "fixed");
}

TEST(RenderSarif, TakesTheLevelFromTheSeverity) {
  struct Case {
    const char* id;
    const char* level;
  };
  const Case cases[] = {{"CVE-2024-5535", "error"},     // critical
                        {"CVE-2022-39028", "error"},    // high
                        {"CVE-2023-5678", "warning"},   // medium
                        {"CVE-2024-0727", "note"},      // low
                        {"CVE-2010-0928", "note"},      // negligible
                        {"CVE-2019-0053", "warning"}};  // unknown
  json log = RenderParsed(testing::NonCompliantEnforcedResult());
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.id);

    std::vector<json> results = ResultsFor(log, test_case.id);

    ASSERT_FALSE(results.empty());
    EXPECT_EQ(results[0]["level"], test_case.level);
  }
}

TEST(RenderSarif, SuppressesOnlyTheFindingAnExceptionTookOut) {
  json log = RenderParsed(testing::NonCompliantEnforcedResult());

  std::vector<json> suppressed;
  for (const json& entry : log["runs"][0]["results"]) {
    if (entry.contains("suppressions")) suppressed.push_back(entry);
  }

  ASSERT_EQ(suppressed.size(), 1u);
  EXPECT_EQ(suppressed[0]["ruleId"], "CVE-2024-5535");
  EXPECT_EQ(suppressed[0]["properties"]["package"], "libssl3");
  const json& suppression = suppressed[0]["suppressions"][0];
  EXPECT_EQ(suppression["kind"], "external");
  EXPECT_EQ(suppression["status"], "accepted");
  EXPECT_NE(suppression["justification"].get<std::string>().find("tracked as SEC-112"),
            std::string::npos);
}

TEST(RenderSarif, ListsAppliedAndExpiredExceptionsOnTheInvocation) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  json log = RenderParsed(result);

  const json& properties = log["runs"][0]["invocations"][0]["properties"];
  EXPECT_EQ(properties["status"], "non_compliant_enforced");
  ASSERT_EQ(properties["appliedExceptions"].size(),
            result.verdict.policies[0].applied_exceptions.size());
  ASSERT_EQ(properties["expiredExceptions"].size(), 1u);
  EXPECT_NE(properties["expiredExceptions"][0].get<std::string>().find("2024-03-31"),
            std::string::npos);
}

TEST(RenderSarif, GivesAuditOnlyControlsWarningsAndEnforcedOnesErrors) {
  struct Case {
    scan::ScanResult result;
    const char* level;
  };
  const Case cases[] = {{testing::NonCompliantEnforcedResult(), "error"},
                        {testing::NonCompliantAuditResult(), "warning"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.level);

    json log = RenderParsed(test_case.result);

    std::vector<json> results = ResultsFor(log, "bulwark/superuser");
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0]["level"], test_case.level);
    EXPECT_EQ(results[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              "policies/strict.yaml");
  }
}

TEST(RenderSarif, GivesARunWithoutFindingsAnEmptyResultsArray) {
  json log = RenderParsed(testing::ZeroFindingsResult());

  const json& run = log["runs"][0];

  ASSERT_TRUE(run["results"].is_array());
  EXPECT_TRUE(run["results"].empty());
  EXPECT_TRUE(run["tool"]["driver"]["rules"].empty());
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
}

TEST(RenderSarif, ScanFailureIsAnUnsuccessfulInvocationWithAnErrorResult) {
  json log = RenderParsed(testing::ScanFailedResult());

  const json& run = log["runs"][0];

  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], false);
  EXPECT_EQ(run["invocations"][0]["exitCode"], 3);
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"][0]["level"], "error");
  ASSERT_EQ(run["results"].size(), 1u);
  EXPECT_EQ(run["results"][0]["ruleId"], "bulwark/scanFailed");
  EXPECT_EQ(run["results"][0]["level"], "error");
  EXPECT_NE(run["results"][0]["message"]["text"].get<std::string>().find("diff_id"),
            std::string::npos);
}

TEST(RenderSarif, NotifiesWhatTheScanCouldNotLookAt) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  result.vulnerabilities->distro_has_data = false;
  result.vulnerabilities->unmatched = {"app 1.0: no version ordering for ecosystem \"npm\""};

  json log = RenderParsed(result);

  std::vector<std::string> messages;
  for (const json& note : log["runs"][0]["invocations"][0]["toolExecutionNotifications"]) {
    messages.push_back(note["message"]["text"]);
  }
  EXPECT_EQ(messages,
            (std::vector<std::string>{
                "Not read: var/lib/rpm/Packages: rpm databases are not read yet",
                "The advisory database has no data for the image's release debian:12 (Debian "
                "GNU/Linux 12 (bookworm)).",
                "Not matched: app 1.0: no version ordering for ecosystem \"npm\""}));
}

TEST(RenderSarif, PercentEncodesTheImageSourceIntoAUri) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  result.source = "oci-archive:build dir/app#1.tar";

  json log = RenderParsed(result);

  std::vector<json> results = ResultsFor(log, "bulwark/labels");
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "oci-archive:build%20dir/app%231.tar");
}

}  // namespace
}  // namespace bulwark::report
