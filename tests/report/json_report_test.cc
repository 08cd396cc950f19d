#include "report/json_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/golden_file.h"
#include "report/sample_results.h"

namespace bulwark::report {
namespace {

using nlohmann::json;

json RenderParsed(const scan::ScanResult& result) {
  auto rendered = RenderJson(result);
  EXPECT_TRUE(rendered.ok()) << rendered.error().message();
  return rendered.ok() ? json::parse(*rendered) : json();
}

TEST(RenderJson, MatchesGoldenFilesForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    auto rendered = RenderJson(state.result);

    ASSERT_TRUE(rendered.ok()) << rendered.error().message();
    testing::ExpectMatchesGolden(state.name + ".json", *rendered);
  }
}

TEST(RenderJson, StatesTheVerdictForEveryOutcome) {
  struct Case {
    scan::ScanResult result;
    const char* status;
    int exit_code;
  };
  const Case cases[] = {{testing::CompliantResult(), "compliant", 0},
                        {testing::NonCompliantEnforcedResult(), "non_compliant_enforced", 4},
                        {testing::NonCompliantAuditResult(), "non_compliant_audit", 0},
                        {testing::ScanFailedResult(), "scan_failed", 3}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.status);

    json report = RenderParsed(test_case.result);

    EXPECT_EQ(report["schemaVersion"], "1");
    EXPECT_EQ(report["verdict"]["status"], test_case.status);
    EXPECT_EQ(report["verdict"]["exitCode"], test_case.exit_code);
  }
}

TEST(RenderJson, ListsEveryFailedControlWithItsEvidence) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  json report = RenderParsed(result);

  const json& failed = report["verdict"]["failedControls"];
  ASSERT_EQ(failed.size(), 5u);
  std::vector<std::string> controls;
  for (const json& entry : failed) {
    controls.push_back(entry["control"]);
    EXPECT_EQ(entry["policy"], "strict");
    EXPECT_EQ(entry["enforce"], true);
    EXPECT_FALSE(entry["evidence"].empty());
  }
  EXPECT_EQ(controls, (std::vector<std::string>{"approvedBaseImages", "blockedPackages",
                                                "superuser", "labels", "vulnerabilities"}));
  EXPECT_EQ(report["verdict"]["blocking"], true);
  EXPECT_EQ(report["policies"][0]["documentSha256"],
            result.verdict.policies[0].document_sha256.str());
}

TEST(RenderJson, NamesTheRegisteredOwnerOfEachLayer) {
  json report = RenderParsed(testing::CompliantResult());

  const json& layers = report["layers"];
  ASSERT_EQ(layers.size(), 4u);
  EXPECT_EQ(layers[0]["owner"]["names"][0], "docker.io/library/debian:12");
  EXPECT_EQ(layers[1]["owner"]["names"][0], "registry.example.com/runtime:3");
  EXPECT_TRUE(layers[2]["owner"].is_null());
  EXPECT_TRUE(layers[3]["owner"].is_null());
  EXPECT_EQ(report["lineage"]["nearestBase"]["prefixLength"], 2);
  EXPECT_EQ(report["lineage"]["ancestors"].size(), 2u);
}

TEST(RenderJson, ScanFailureCarriesTheErrorAndNoDecision) {
  json report = RenderParsed(testing::ScanFailedResult());

  EXPECT_EQ(report["error"]["code"], "corrupt_input");
  EXPECT_NE(report["error"]["message"].get<std::string>().find("diff_id"), std::string::npos);
  EXPECT_TRUE(report["verdict"]["compliant"].is_null());
  EXPECT_TRUE(report["verdict"]["blocking"].is_null());
  EXPECT_TRUE(report["image"]["id"].is_null());
}

TEST(RenderJson, ReplacesInvalidUtf8InsteadOfFailing) {
  scan::ScanResult result = testing::CompliantResult();
  result.labels["broken"] = std::string(
      "a\xff\xfe"
      "b");

  auto rendered = RenderJson(result);

  ASSERT_TRUE(rendered.ok()) << rendered.error().message();
  json report = json::parse(*rendered);
  EXPECT_EQ(report["image"]["labels"]["broken"],
            "a\xEF\xBF\xBD\xEF\xBF\xBD"
            "b");
}

TEST(RenderJson, VulnerabilitiesAreNullWhenNoAdvisoryDatabaseWasConsulted) {
  json report = RenderParsed(testing::CompliantResult());

  EXPECT_TRUE(report.contains("vulnerabilities"));
  EXPECT_TRUE(report["vulnerabilities"].is_null());
}

TEST(RenderJson, CountsFindingsPerSeverityAndFixState) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  std::map<std::string, int> by_severity;
  std::map<std::string, int> by_state;
  for (const vulndb::Finding& finding : result.vulnerabilities->findings) {
    ++by_severity[std::string(vulndb::SeverityName(finding.severity))];
    ++by_state[std::string(vulndb::FixStateName(finding.state))];
  }

  json report = RenderParsed(result);

  const json& counts = report["vulnerabilities"]["counts"];
  EXPECT_EQ(counts["total"], result.vulnerabilities->findings.size());
  for (const char* severity : {"critical", "high", "medium", "low", "negligible", "unknown"}) {
    EXPECT_EQ(counts["bySeverity"][severity], by_severity[severity]) << severity;
  }
  for (const char* state : {"fixed", "not_fixed", "wont_fix"}) {
    EXPECT_EQ(counts["byFixState"][state], by_state[state]) << state;
  }
  EXPECT_EQ(counts["bySeverity"].size(), 6u);
  EXPECT_EQ(counts["byFixState"].size(), 3u);
}

TEST(RenderJson, RecordsTheDatabaseBuildTimeAndEveryPolicyDocumentHash) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  json report = RenderParsed(result);

  const json& database = report["vulnerabilities"]["database"];
  EXPECT_EQ(database["builtAt"], "2024-04-30T06:00:00Z");
  EXPECT_EQ(database["schemaVersion"], 1);
  ASSERT_EQ(database["sources"].size(), 2u);
  EXPECT_EQ(database["sources"][0]["kind"], "debian-tracker");
  EXPECT_EQ(database["sources"][0]["records"], 41234);
  EXPECT_EQ(database["sources"][0]["skipped"], 12);
  EXPECT_EQ(report["vulnerabilities"]["distro"], "debian:12");
  EXPECT_EQ(report["vulnerabilities"]["distroHasData"], true);
  EXPECT_EQ(report["policies"][0]["documentSha256"],
            result.verdict.policies[0].document_sha256.str());
}

TEST(RenderJson, WritesEveryFieldOfAFindingWithNullForUnknownNumbers) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  result.vulnerabilities->findings[0].layer_index = -1;
  result.vulnerabilities->findings[0].cvss_score = -1;

  auto rendered = RenderJson(result);

  ASSERT_TRUE(rendered.ok()) << rendered.error().message();
  // Ordered, so the keys come out in the order the schema documents them.
  nlohmann::ordered_json report = nlohmann::ordered_json::parse(*rendered);
  const nlohmann::ordered_json& finding = report["vulnerabilities"]["findings"][0];
  std::vector<std::string> keys;
  for (const auto& [key, value] : finding.items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{
                "id",           "aliases",       "ecosystem",     "package",        "version",
                "architecture", "sourcePackage", "sourceVersion", "dbPath",         "layerIndex",
                "state",        "fixedVersion",  "severity",      "severitySource", "cvssScore",
                "cvssVector",   "published",     "summary",       "references",     "sources"}));
  EXPECT_TRUE(finding["layerIndex"].is_null());
  EXPECT_TRUE(finding["cvssScore"].is_null());
  EXPECT_EQ(report["vulnerabilities"]["findings"][1]["layerIndex"], 0);
}

TEST(RenderJson, ListsAppliedAndExpiredExceptionsPerPolicy) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  std::string document = testing::StrictVulnerabilityPolicy(true).document;

  json report = RenderParsed(result);

  const json& policy = report["policies"][0];

  ASSERT_EQ(policy["appliedExceptions"].size(), 1u);
  EXPECT_EQ(policy["appliedExceptions"][0]["findingId"], "CVE-2024-5535");
  EXPECT_EQ(policy["appliedExceptions"][0]["package"], "libssl3");
  EXPECT_EQ(policy["appliedExceptions"][0]["line"],
            testing::LineOf(document, "ALPN is not used by the app"));
  EXPECT_EQ(policy["expiredExceptions"][0]["line"],
            testing::LineOf(document, "Waiting for the 3.0.13 point release"));
  ASSERT_EQ(policy["expiredExceptions"].size(), 1u);
  EXPECT_EQ(policy["expiredExceptions"][0]["expires"], "2024-03-31");
  EXPECT_TRUE(RenderParsed(testing::CompliantResult())["policies"][0]["appliedExceptions"].empty());
}

TEST(RenderJson, GivesPackagesTheirRpmFieldsAndLayer) {
  scan::ScanResult result = testing::CompliantResult();
  catalog::Package rpm;
  rpm.ecosystem = "rpm";
  rpm.name = "openssl-libs";
  rpm.version = "3.0.7-27.el9";
  rpm.epoch = "1";
  rpm.source_rpm = "openssl-3.0.7-27.el9.src.rpm";
  result.inventory.packages.push_back(rpm);

  json report = RenderParsed(result);

  const json& packages = report["inventory"]["packages"];
  EXPECT_EQ(packages[3]["layerIndex"], 2);
  EXPECT_EQ(packages[4]["epoch"], "1");
  EXPECT_EQ(packages[4]["sourceRpm"], "openssl-3.0.7-27.el9.src.rpm");
  EXPECT_TRUE(packages[4]["layerIndex"].is_null());
}

}  // namespace
}  // namespace bulwark::report
