#include "version/version.h"

#include <gtest/gtest.h>

namespace bulwark::version {
namespace {

TEST(Version, ParsesEcosystemNamesAndAliases) {
  auto deb = ParseEcosystem("debian");
  auto apk = ParseEcosystem("alpine");
  auto rpm = ParseEcosystem("rpm");

  ASSERT_TRUE(deb.ok());
  EXPECT_EQ(*deb, Ecosystem::kDeb);
  ASSERT_TRUE(apk.ok());
  EXPECT_EQ(*apk, Ecosystem::kApk);
  EXPECT_FALSE(rpm.ok());
  EXPECT_EQ(EcosystemName(Ecosystem::kDeb), "deb");
}

TEST(Version, CompareReportsInvalidVersions) {
  auto deb = Compare(Ecosystem::kDeb, "1.0-", "1.0");
  auto apk = Compare(Ecosystem::kApk, "1.0", "1.0bc");

  ASSERT_FALSE(deb.ok());
  EXPECT_EQ(deb.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(deb.error().message().find("1.0-"), std::string::npos);
  ASSERT_FALSE(apk.ok());
  EXPECT_NE(apk.error().message().find("1.0bc"), std::string::npos);
}

TEST(Version, CompareReturnsUnitSign) {
  auto older = Compare(Ecosystem::kDeb, "1.0", "1.5");
  auto newer = Compare(Ecosystem::kApk, "1.10", "1.2");

  ASSERT_TRUE(older.ok());
  EXPECT_EQ(*older, -1);
  ASSERT_TRUE(newer.ok());
  EXPECT_EQ(*newer, 1);
}

TEST(Version, IsValidFollowsEachGrammarStrictly) {
  EXPECT_TRUE(IsValid(Ecosystem::kDeb, "1:2.3-4"));
  EXPECT_FALSE(IsValid(Ecosystem::kDeb, "foo5.2"));
  EXPECT_TRUE(IsValid(Ecosystem::kApk, "1.2.3-r4"));
  EXPECT_FALSE(IsValid(Ecosystem::kApk, "1.2.3-4"));
}

TEST(VersionConstraint, ParsesEveryOperator) {
  auto parsed = ParseConstraint("< 1, <= 2, = 3, == 4, != 5, >= 6, > 7, 8");

  ASSERT_TRUE(parsed.ok());
  const Operator expected[] = {Operator::kLess,    Operator::kLessEqual, Operator::kEqual,
                               Operator::kEqual,   Operator::kNotEqual,  Operator::kGreaterEqual,
                               Operator::kGreater, Operator::kEqual};
  ASSERT_EQ(parsed->all_of.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(parsed->all_of[i].op, expected[i]);
    EXPECT_EQ(parsed->all_of[i].version, std::to_string(i + 1));
  }
  EXPECT_EQ(parsed->text, "< 1, <= 2, = 3, == 4, != 5, >= 6, > 7, 8");
}

TEST(VersionConstraint, KeepsTildeAndEpochInVersions) {
  auto parsed = ParseConstraint("<3.0.11-1~deb12u2,>=1:0.9");

  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->all_of.size(), 2u);
  EXPECT_EQ(parsed->all_of[0].version, "3.0.11-1~deb12u2");
  EXPECT_EQ(parsed->all_of[1].op, Operator::kGreaterEqual);
  EXPECT_EQ(parsed->all_of[1].version, "1:0.9");
}

TEST(VersionConstraint, EmptyTextMeansAnyVersion) {
  auto parsed = ParseConstraint("  ");

  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->all_of.empty());
}

TEST(VersionConstraint, RefusesMalformedText) {
  const char* cases[] = {"<", "< 1,", ",", "<< 1", "< 1 2", "=> 1", ">= 1,, < 2", "!1"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto parsed = ParseConstraint(text);

    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(VersionConstraint, SatisfiesChecksEveryComparison) {
  auto range = ParseConstraint(">= 1.0, < 3.0.11-1~deb12u2");
  ASSERT_TRUE(range.ok());

  auto inside = Satisfies(Ecosystem::kDeb, "3.0.11-1~deb12u1", *range);
  auto at_bound = Satisfies(Ecosystem::kDeb, "3.0.11-1~deb12u2", *range);
  auto below = Satisfies(Ecosystem::kDeb, "0.9", *range);

  ASSERT_TRUE(inside.ok());
  EXPECT_TRUE(*inside);
  ASSERT_TRUE(at_bound.ok());
  EXPECT_FALSE(*at_bound);
  ASSERT_TRUE(below.ok());
  EXPECT_FALSE(*below);
}

TEST(VersionConstraint, EmptyConstraintIsSatisfiedByAnyVersion) {
  Constraint any;

  auto result = Satisfies(Ecosystem::kApk, "1.2.3-r0", any);

  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(*result);
}

TEST(VersionConstraint, SatisfiesReportsInvalidVersions) {
  auto constraint = ParseConstraint("< 1.0_zz");
  ASSERT_TRUE(constraint.ok());

  auto result = Satisfies(Ecosystem::kApk, "0.9-r0", *constraint);

  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(result.error().message().find("< 1.0_zz"), std::string::npos);
}

TEST(VersionConstraint, AppliesApkOrdering) {
  auto constraint = ParseConstraint("< 1.2.5-r1");
  ASSERT_TRUE(constraint.ok());

  auto pre_release = Satisfies(Ecosystem::kApk, "1.2.5_rc1-r3", *constraint);
  auto fixed = Satisfies(Ecosystem::kApk, "1.2.5-r1", *constraint);

  ASSERT_TRUE(pre_release.ok());
  EXPECT_TRUE(*pre_release);
  ASSERT_TRUE(fixed.ok());
  EXPECT_FALSE(*fixed);
}

}  // namespace
}  // namespace bulwark::version
