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

}  // namespace
}  // namespace bulwark::report
