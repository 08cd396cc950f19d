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

}  // namespace
}  // namespace bulwark::report::internal
