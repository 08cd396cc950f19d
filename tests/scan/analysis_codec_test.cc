#include "scan/analysis_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "server/synthetic_analysis.h"

namespace bulwark::scan {
namespace {

using nlohmann::json;

TEST(AnalysisCodec, RoundTripKeepsWhatEvaluationNeeds) {
  Analysis analysis = testing::SyntheticAnalysis("a");

  auto decoded = DecodeAnalysis(EncodeAnalysis(analysis));

  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(decoded->image.image_id, analysis.image.image_id);
  EXPECT_EQ(decoded->image.config.diff_ids, analysis.image.config.diff_ids);
  EXPECT_EQ(decoded->image.config.user, "app");
  EXPECT_EQ(decoded->layers.size(), 1u);
  ASSERT_EQ(decoded->inventory.packages.size(), 1u);
  EXPECT_EQ(decoded->inventory.packages[0].name, "tzdata");
  EXPECT_EQ(decoded->inventory.packages[0].layer_index, 0);
  EXPECT_EQ(decoded->inventory.os.version_id, "12");
}

TEST(AnalysisCodec, CarriesTheClientsTimingAndDropsImplausibleOnes) {
  Analysis analysis = testing::SyntheticAnalysis("a");
  analysis.elapsed_ms = 123.5;

  auto decoded = DecodeAnalysis(EncodeAnalysis(analysis));

  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_DOUBLE_EQ(decoded->elapsed_ms, 123.5);
  for (json hostile : {json(-1), json(1e12), json("123"), json::array()}) {
    SCOPED_TRACE(hostile.dump());
    json document = json::parse(EncodeAnalysis(analysis));
    document["elapsedMs"] = hostile;

    auto odd = DecodeAnalysis(document.dump());

    ASSERT_TRUE(odd.ok()) << odd.error().message();
    EXPECT_EQ(odd->elapsed_ms, 0.0);
  }
}

TEST(AnalysisCodec, RefusesAConfigThatDoesNotHashToTheImageId) {
  json document = json::parse(EncodeAnalysis(testing::SyntheticAnalysis("a")));
  std::string config = document["config"];
  config.replace(config.find("\"app\""), 5, "\"\"");  // Root instead of the hashed user.
  document["config"] = config;

  auto decoded = DecodeAnalysis(document.dump());

  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(decoded.error().message().find("imageId"), std::string::npos);
}

TEST(AnalysisCodec, RefusesLayersThatDoNotMatchTheConfig) {
  json document = json::parse(EncodeAnalysis(testing::SyntheticAnalysis("a")));
  document["layers"].push_back(document["layers"][0]);

  auto decoded = DecodeAnalysis(document.dump());

  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message().find("diff_ids"), std::string::npos);
}

TEST(AnalysisCodec, RefusesDeepNestingAndWrongTypes) {
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  json document = json::parse(EncodeAnalysis(testing::SyntheticAnalysis("a")));
  document["names"] = json::array({1, 2});

  auto too_deep = DecodeAnalysis(deep);
  auto wrong_type = DecodeAnalysis(document.dump());
  auto not_json = DecodeAnalysis("{\"schemaVersion\": 1,");

  EXPECT_EQ(too_deep.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(wrong_type.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(not_json.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::scan
