#include "vulndb/advisory.h"

#include <gtest/gtest.h>

#include <cmath>

namespace bulwark::vulndb {
namespace {

TEST(Advisory, SeverityNamesReadBack) {
  for (Severity severity : {Severity::kUnknown, Severity::kNegligible, Severity::kLow,
                            Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    SCOPED_TRACE(std::string(SeverityName(severity)));

    Result<Severity> parsed = ParseSeverity(SeverityName(severity));

    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, severity);
  }
}

TEST(Advisory, ReadsTheRatingWordsOfDistributions) {
  struct Case {
    const char* word;
    Severity severity;
  };
  const Case cases[] = {
      {"Moderate", Severity::kMedium},       {"important", Severity::kHigh},
      {"IMPORTANT", Severity::kHigh},        {"unimportant", Severity::kNegligible},
      {"none", Severity::kNegligible},       {"Critical", Severity::kCritical},
      {"negligible", Severity::kNegligible},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.word);

    Result<Severity> parsed = ParseSeverity(c.word);

    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, c.severity);
  }
}

TEST(Advisory, RefusesUnknownSeverityWordsNamingThem) {
  Result<Severity> parsed = ParseSeverity("untriaged");

  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(parsed.error().message().find("\"untriaged\""), std::string::npos);
}

TEST(Advisory, RatesCvssScoresOnTheQualitativeScale) {
  struct Case {
    double score;
    Severity severity;
  };
  const Case cases[] = {
      {0.0, Severity::kNegligible}, {0.1, Severity::kLow},      {3.9, Severity::kLow},
      {4.0, Severity::kMedium},     {6.9, Severity::kMedium},   {7.0, Severity::kHigh},
      {8.9, Severity::kHigh},       {9.0, Severity::kCritical}, {10.0, Severity::kCritical},
      {-1.0, Severity::kUnknown},   {10.1, Severity::kUnknown}, {NAN, Severity::kUnknown},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.score);

    EXPECT_EQ(SeverityFromCvss(c.score), c.severity);
  }
}

TEST(Advisory, FixStateNamesReadBack) {
  for (FixState state :
       {FixState::kFixed, FixState::kNotFixed, FixState::kWontFix, FixState::kNotAffected}) {
    SCOPED_TRACE(std::string(FixStateName(state)));

    Result<FixState> parsed = ParseFixState(FixStateName(state));

    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, state);
  }
  EXPECT_EQ(FixStateName(FixState::kWontFix), "wont_fix");
  EXPECT_FALSE(ParseFixState("Fixed").ok());
}

}  // namespace
}  // namespace bulwark::vulndb
