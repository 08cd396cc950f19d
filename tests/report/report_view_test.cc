#include "report/report_view.h"

#include <gtest/gtest.h>

#include "report/sample_results.h"

namespace bulwark::report::internal {
namespace {

TEST(LayerOwners, GivesEachLayerToTheShortestCoveringAncestor) {
  lineage::Lineage lineage = testing::SampleScan().lineage;

  std::vector<const lineage::Ancestor*> owners = LayerOwners(lineage, 4);

  ASSERT_EQ(owners.size(), 4u);
  ASSERT_NE(owners[0], nullptr);
  EXPECT_EQ(owners[0]->image.names.front(), "docker.io/library/debian:12");
  ASSERT_NE(owners[1], nullptr);
  EXPECT_EQ(owners[1]->image.names.front(), "registry.example.com/runtime:3");
  EXPECT_EQ(owners[2], nullptr);
  EXPECT_EQ(owners[3], nullptr);
}

TEST(LayerOwners, NeverGivesLayersToTheImageItself) {
  std::vector<Digest> chain = {testing::LayerDigest(0), testing::LayerDigest(1)};
  lineage::Lineage lineage =
      lineage::FindAncestors(chain, {testing::RegisteredBase("example.com/self:1", 2)});

  std::vector<const lineage::Ancestor*> owners = LayerOwners(lineage, 2);

  EXPECT_EQ(owners, (std::vector<const lineage::Ancestor*>{nullptr, nullptr}));
}

TEST(StatusOf, PutsScanErrorsBeforeTheVerdict) {
  scan::ScanResult failed = testing::NonCompliantEnforcedResult();
  failed.error = Error(ErrorCode::kIo, "store: disk full");

  Status status = StatusOf(failed);

  EXPECT_EQ(status, Status::kScanFailed);
  EXPECT_EQ(StatusHeadline(status), "SCAN FAILED");
}

TEST(FailedControls, PutsEnforcingPoliciesFirst) {
  scan::ScanResult result = testing::SampleScan();
  result = testing::WithVerdict(
      result, {testing::StrictPolicy(false),
               testing::ParseOrFail("name: root\ncontrols: {superuser: deny}\n", "root.yaml")});

  std::vector<FailedControl> failed = FailedControls(result.verdict);

  ASSERT_EQ(failed.size(), 5u);
  EXPECT_EQ(failed[0].policy->policy_name, "root");
  EXPECT_EQ(failed[1].policy->policy_name, "strict");
}

TEST(FormatBytes, UsesBinaryUnits) {
  struct Case {
    uint64_t bytes;
    const char* text;
  };
  const Case cases[] = {{0, "0 B"},        {1023, "1023 B"},      {1024, "1.0 KiB"},
                        {1536, "1.5 KiB"}, {5u << 20, "5.0 MiB"}, {3ull << 30, "3.0 GiB"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.text);

    std::string text = FormatBytes(test_case.bytes);

    EXPECT_EQ(text, test_case.text);
  }
}

TEST(CountFindings, CountsEverySeverityAndFixStateIncludingZeros) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  std::vector<vulndb::Finding> findings = result.vulnerabilities->findings;
  findings.resize(2);  // CVE-2023-5678 (medium, fixed), CVE-2024-5535 (critical, will not fix).

  VulnerabilityCounts counts = CountFindings(findings);

  EXPECT_EQ(counts.total, 2u);
  std::vector<std::pair<std::string, size_t>> severities;
  for (const Count& count : counts.by_severity) severities.emplace_back(count.name, count.count);
  EXPECT_EQ(severities, (std::vector<std::pair<std::string, size_t>>{{"critical", 1},
                                                                     {"high", 0},
                                                                     {"medium", 1},
                                                                     {"low", 0},
                                                                     {"negligible", 0},
                                                                     {"unknown", 0}}));
  std::vector<std::pair<std::string, size_t>> states;
  for (const Count& count : counts.by_fix_state) states.emplace_back(count.label, count.count);
  EXPECT_EQ(states, (std::vector<std::pair<std::string, size_t>>{
                        {"fixed", 1}, {"not fixed", 0}, {"will not fix", 1}}));
  EXPECT_EQ(CountsSentence(counts), "2 findings: 1 critical, 1 medium; 1 fixed, 1 will not fix");
  EXPECT_EQ(CountsSentence(CountFindings({})), "no findings");
}

TEST(NameBasedUuid, AgreesWithAnIndependentVersion5Implementation) {
  // Python's uuid.uuid5(uuid.NAMESPACE_URL, "https://example.com/") gives this.
  const char* expected = "dd2c1780-811a-5296-81c5-178a0ef488bc";

  auto uuid = NameBasedUuid("https://example.com/");

  ASSERT_TRUE(uuid.ok()) << uuid.error().message();
  EXPECT_EQ(*uuid, expected);
}

TEST(PercentEncode, KeepsUnreservedBytesAndTheOnesAskedFor) {
  struct Case {
    const char* text;
    const char* keep;
    const char* encoded;
  };
  const Case cases[] = {{"0.17+2.4-2", ":", "0.17%2B2.4-2"},
                        {"1:2.36-9~deb12u4", ":", "1:2.36-9~deb12u4"},
                        {"a b/c#d?e%", "/", "a%20b/c%23d%3Fe%25"},
                        {"caf\xC3\xA9", "", "caf%C3%A9"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.text);

    std::string encoded = PercentEncode(test_case.text, test_case.keep);

    EXPECT_EQ(encoded, test_case.encoded);
  }
}

TEST(LayerLine, NamesTheRegisteredOwnerOrTheImage) {
  scan::ScanResult result = testing::SampleScan();

  std::vector<std::string> lines = {LayerLine(result, 0), LayerLine(result, 1),
                                    LayerLine(result, 3), LayerLine(result, -1),
                                    LayerLine(result, 4)};

  EXPECT_EQ(lines, (std::vector<std::string>{"1 of 4 (docker.io/library/debian:12)",
                                             "2 of 4 (registry.example.com/runtime:3)",
                                             "4 of 4 (this image)", "unknown", "unknown"}));
}

TEST(ExceptionsFor, MatchesTheFindingsIdAndPackageOnly) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  const std::vector<vulndb::Finding>& findings = result.vulnerabilities->findings;

  std::vector<size_t> excepted;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (!ExceptionsFor(result.verdict, findings[i]).empty()) excepted.push_back(i);
  }

  ASSERT_EQ(excepted.size(), 1u);
  EXPECT_EQ(findings[excepted[0]].id, "CVE-2024-5535");
  EXPECT_EQ(findings[excepted[0]].package, "libssl3");
}

}  // namespace
}  // namespace bulwark::report::internal
