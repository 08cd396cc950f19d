#include "vulndb/cvss.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace bulwark::vulndb {
namespace {

struct ScoredVector {
  const char* vector;
  double score;
  const char* source;
};

// Vectors of the real records in ../shared/data/vulndb with the base scores
// NVD publishes for them, and the worked examples of the CVSS 3.1 and 2.0
// specification documents.
constexpr ScoredVector kV3Vectors[] = {
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "UBUNTU-CVE-2022-37434"},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:L", 3.3, "UBUNTU-CVE-2023-4016"},
    {"CVSS:3.1/AV:L/AC:H/PR:L/UI:N/S:U/C:H/I:N/A:N", 4.7, "CVE-2018-5407 (osv-linter)"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 5.3, "CVE-2023-41045 (osv-linter)"},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:H", 6.6, "UBUNTU-CVE-2021-3782"},
    {"CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 4.0, "UBUNTU-CVE-2014-9913"},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5, "UBUNTU-CVE-2022-24823"},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "UBUNTU-CVE-2022-3715"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, "RHSA-2024:4546"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, "RHSA-2022:0216"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, "RHSA-2024:6220"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 7.5, "UBUNTU-CVE-2014-2901"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "3.1 examples: CVE-2013-1937"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "3.1 examples: CVE-2014-0160"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "scope changed, capped at 10"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "scope changed, PR:L weighs 0.68"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "no impact scores 0"},
};

constexpr ScoredVector kV2Vectors[] = {
    {"AV:N/AC:L/Au:N/C:N/I:N/A:C", 7.8, "2.0 guide: CVE-2002-0392"},
    {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, "2.0 guide: CVE-2003-0818"},
    {"AV:L/AC:H/Au:N/C:C/I:C/A:C", 6.2, "2.0 guide: CVE-2003-0062"},
    {"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "NVD"},
    {"AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, "NVD"},
    {"AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0, "no impact scores 0"},
};

TEST(Cvss, ScoresVersion3VectorsAsTheSpecificationDoes) {
  for (const ScoredVector& expected : kV3Vectors) {
    SCOPED_TRACE(std::string(expected.vector) + " from " + expected.source);

    Result<CvssScore> score = ScoreCvssVector(expected.vector);

    ASSERT_TRUE(score.ok()) << score.error().message();
    EXPECT_DOUBLE_EQ(score->base_score, expected.score);
  }
}

TEST(Cvss, ScoresVersion2VectorsAsTheGuideDoes) {
  for (const ScoredVector& expected : kV2Vectors) {
    SCOPED_TRACE(std::string(expected.vector) + " from " + expected.source);

    Result<CvssScore> score = ScoreCvssVector(expected.vector);

    ASSERT_TRUE(score.ok()) << score.error().message();
    EXPECT_EQ(score->version, CvssVersion::kV2);
    EXPECT_DOUBLE_EQ(score->base_score, expected.score);
  }
}

TEST(Cvss, TellsVersionsApart) {
  auto v30 = ScoreCvssVector("CVSS:3.0/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L");
  auto v31 = ScoreCvssVector("CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L");

  ASSERT_TRUE(v30.ok());
  ASSERT_TRUE(v31.ok());
  EXPECT_EQ(v30->version, CvssVersion::kV3_0);
  EXPECT_EQ(v31->version, CvssVersion::kV3_1);
  EXPECT_EQ(CvssVersionName(v30->version), "3.0");
  EXPECT_DOUBLE_EQ(v30->base_score, v31->base_score);
}

TEST(Cvss, IgnoresTemporalAndEnvironmentalMetricsForTheBaseScore) {
  auto with_temporal =
      ScoreCvssVector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C/MAV:L/CR:H");
  auto v2_with_temporal = ScoreCvssVector("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C");

  ASSERT_TRUE(with_temporal.ok()) << with_temporal.error().message();
  EXPECT_DOUBLE_EQ(with_temporal->base_score, 9.8);
  ASSERT_TRUE(v2_with_temporal.ok()) << v2_with_temporal.error().message();
  EXPECT_DOUBLE_EQ(v2_with_temporal->base_score, 7.5);
}

TEST(Cvss, AcceptsMetricsInAnyOrder) {
  auto reordered = ScoreCvssVector("CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N");

  ASSERT_TRUE(reordered.ok()) << reordered.error().message();
  EXPECT_DOUBLE_EQ(reordered->base_score, 9.8);
}

TEST(Cvss, ReadsTheVersion2SpellingsFeedsUse) {
  auto parenthesised = ScoreCvssVector("(AV:N/AC:L/Au:N/C:P/I:P/A:P)");
  auto prefixed = ScoreCvssVector("CVSS2#AV:L/AC:H/Au:S/C:P/I:P/A:C");

  ASSERT_TRUE(parenthesised.ok()) << parenthesised.error().message();
  EXPECT_DOUBLE_EQ(parenthesised->base_score, 7.5);
  ASSERT_TRUE(prefixed.ok()) << prefixed.error().message();
  EXPECT_DOUBLE_EQ(prefixed->base_score, 5.0);
}

// Base vectors with the scores FIRST's calculator gives them (provenance in
// the file's header): every EQ1, EQ2, EQ3 and EQ4 class and the
// interpolation between macro vectors, not only the table.
TEST(Cvss, ScoresVersion4BaseVectorsAsFirstsCalculatorDoes) {
  std::ifstream file(std::string(BULWARK_SOURCE_DIR) + "/tests/vulndb/data/cvss4_base_vectors.txt");
  ASSERT_TRUE(file) << "tests/vulndb/data/cvss4_base_vectors.txt is missing";
  int checked = 0;
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line.starts_with("#")) continue;
    std::istringstream fields(line);
    std::string vector;
    double expected = -1;
    ASSERT_TRUE(fields >> vector >> expected) << "unreadable line: " << line;

    auto scored = ScoreCvssVector(vector);

    ASSERT_TRUE(scored.ok()) << vector << ": " << scored.error().message();
    EXPECT_EQ(scored->version, CvssVersion::kV4_0);
    EXPECT_DOUBLE_EQ(scored->base_score, expected) << vector;
    ++checked;
  }
  EXPECT_GE(checked, 200);
}

TEST(Cvss, Version4ScoresLeaveThreatAndEnvironmentalMetricsOut) {
  // The specification's own examples of a base score; E:U would lower a
  // CVSS-BT score to 5.2, but the base score (CVSS-B) does not read it.
  auto base = ScoreCvssVector("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
  auto threat =
      ScoreCvssVector("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U");
  auto every = ScoreCvssVector(
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A/CR:L/MSI:S/U:Red");
  auto none = ScoreCvssVector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N");

  ASSERT_TRUE(base.ok() && threat.ok() && every.ok() && none.ok());
  EXPECT_DOUBLE_EQ(base->base_score, 7.7);
  EXPECT_DOUBLE_EQ(threat->base_score, 7.7);
  EXPECT_DOUBLE_EQ(every->base_score, 10.0);
  EXPECT_DOUBLE_EQ(none->base_score, 0.0);  // No impact on any system.
}

TEST(Cvss, RefusesVersion4VectorsWithoutEveryBaseMetric) {
  auto missing = ScoreCvssVector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N");

  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message().find("base metric SA is missing"), std::string::npos);
}

TEST(Cvss, RefusesMalformedVectorsNamingTheProblem) {
  struct Case {
    std::string vector;
    const char* problem;
  };
  const Case cases[] = {
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "base metric A is missing"},
      {"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric AV appears twice"},
      {"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "metric AV has no value \"X\""},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", "unknown metric ZZ"},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/", "is not METRIC:VALUE"},
      {"CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "unknown CVSS version"},
      {"AV:N/AC:L/Au:N/C:P/I:P", "base metric A is missing"},
      {"", "empty"},
      {"CVSS:3.1/AV:N\n/AC:L", "control bytes"},
      {"CVSS:3.1/" + std::string(600, 'A'), "longer than 512 bytes"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.vector.substr(0, 60));

    Result<CvssScore> score = ScoreCvssVector(c.vector);

    ASSERT_FALSE(score.ok());
    EXPECT_EQ(score.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(score.error().message().rfind("CVSS vector \"", 0), 0u) << score.error().message();
    EXPECT_NE(score.error().message().find(c.problem), std::string::npos)
        << score.error().message();
  }
}

}  // namespace
}  // namespace bulwark::vulndb
