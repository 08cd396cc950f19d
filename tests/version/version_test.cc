#include "version/version.h"

#include <gtest/gtest.h>

#include <string>

namespace bulwark::version {
namespace {

TEST(Version, ParsesEcosystemNamesAndAliases) {
  struct Case {
    const char* name;
    Ecosystem ecosystem;
  };
  const Case cases[] = {
      {"deb", Ecosystem::kDeb},     {"dpkg", Ecosystem::kDeb},
      {"debian", Ecosystem::kDeb},  {"apk", Ecosystem::kApk},
      {"alpine", Ecosystem::kApk},  {"rpm", Ecosystem::kRpm},
      {"redhat", Ecosystem::kRpm},  {"semver", Ecosystem::kSemver},
      {"npm", Ecosystem::kSemver},  {"pep440", Ecosystem::kPep440},
      {"pypi", Ecosystem::kPep440}, {"python", Ecosystem::kPep440},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);

    auto parsed = ParseEcosystem(c.name);

    ASSERT_TRUE(parsed.ok()) << parsed.error().message();
    EXPECT_EQ(*parsed, c.ecosystem);
  }
}

TEST(Version, CanonicalNamesParseBack) {
  for (Ecosystem ecosystem : {Ecosystem::kDeb, Ecosystem::kApk, Ecosystem::kRpm, Ecosystem::kSemver,
                              Ecosystem::kPep440}) {
    SCOPED_TRACE(std::string(EcosystemName(ecosystem)));

    auto parsed = ParseEcosystem(EcosystemName(ecosystem));

    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, ecosystem);
  }
}

TEST(Version, UnknownEcosystemErrorListsEveryName) {
  auto parsed = ParseEcosystem("maven");

  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
  for (const char* name : {"\"maven\"", "deb", "apk", "rpm", "semver", "pep440", "pypi", "npm"}) {
    EXPECT_NE(parsed.error().message().find(name), std::string::npos) << name;
  }
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
  EXPECT_TRUE(IsValid(Ecosystem::kRpm, "1:2.3-4.el9"));
  EXPECT_FALSE(IsValid(Ecosystem::kRpm, "2.3-4-5"));
  EXPECT_TRUE(IsValid(Ecosystem::kSemver, "1.2.3-rc.1+build.5"));
  EXPECT_FALSE(IsValid(Ecosystem::kSemver, "v1.2.3"));
  EXPECT_TRUE(IsValid(Ecosystem::kPep440, "1!2.3rc1.post2.dev3+local.7"));
  EXPECT_FALSE(IsValid(Ecosystem::kPep440, "1.0+foo&bar"));
}

TEST(Version, CompareOrdersEveryEcosystem) {
  struct Case {
    Ecosystem ecosystem;
    const char* older;
    const char* newer;
  };
  const Case cases[] = {
      {Ecosystem::kDeb, "1.0~rc1-1", "1.0-1"},         {Ecosystem::kApk, "1.0_rc1-r0", "1.0-r0"},
      {Ecosystem::kRpm, "1.0~rc1-1.el9", "1.0-1.el9"}, {Ecosystem::kSemver, "1.0.0-rc.1", "1.0.0"},
      {Ecosystem::kPep440, "1.0rc1", "1.0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(EcosystemName(c.ecosystem)) + ": " + c.older + " < " + c.newer);

    auto forward = Compare(c.ecosystem, c.older, c.newer);
    auto backward = Compare(c.ecosystem, c.newer, c.older);
    auto same = Compare(c.ecosystem, c.newer, c.newer);

    ASSERT_TRUE(forward.ok()) << forward.error().message();
    ASSERT_TRUE(backward.ok());
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(*forward, -1);
    EXPECT_EQ(*backward, 1);
    EXPECT_EQ(*same, 0);
  }
}

TEST(Version, CompareNamesTheEcosystemOfAnInvalidVersion) {
  struct Case {
    Ecosystem ecosystem;
    const char* invalid;
    const char* ecosystem_words;
  };
  const Case cases[] = {
      {Ecosystem::kRpm, "1.0 1", "rpm version"},
      {Ecosystem::kSemver, "1.2", "semver version"},
      {Ecosystem::kPep440, "1.0+", "PEP 440 version"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.invalid);

    auto order = Compare(c.ecosystem, "1.0.0", c.invalid);

    ASSERT_FALSE(order.ok());
    EXPECT_EQ(order.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(order.error().message().find(c.ecosystem_words), std::string::npos);
    EXPECT_NE(order.error().message().find(std::string("\"") + c.invalid + "\""), std::string::npos)
        << order.error().message();
  }
}

TEST(Version, CompareRefusesOverlongVersionsInEveryEcosystem) {
  std::string overlong = "1." + std::string(4096, '1') + ".0";

  for (Ecosystem ecosystem : {Ecosystem::kDeb, Ecosystem::kApk, Ecosystem::kRpm, Ecosystem::kSemver,
                              Ecosystem::kPep440}) {
    SCOPED_TRACE(std::string(EcosystemName(ecosystem)));

    auto order = Compare(ecosystem, overlong, "1.0.0");

    EXPECT_FALSE(order.ok());
  }
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

TEST(VersionConstraint, KeepsPep440EpochButRefusesLeadingBang) {
  auto epoch = ParseConstraint(">= 1!2.0, < 1!3.0");
  auto bang = ParseConstraint("!2.0");

  ASSERT_TRUE(epoch.ok()) << epoch.error().message();
  ASSERT_EQ(epoch->all_of.size(), 2u);
  EXPECT_EQ(epoch->all_of[0].version, "1!2.0");
  EXPECT_EQ(epoch->all_of[1].version, "1!3.0");
  EXPECT_FALSE(bang.ok());
}

TEST(VersionConstraint, AppliesEachNewOrdering) {
  struct Case {
    Ecosystem ecosystem;
    const char* constraint;
    const char* inside;
    const char* outside;
  };
  const Case cases[] = {
      {Ecosystem::kRpm, ">= 1:1.0-1, < 1:1.1.1k-5.el8", "1:1.1.1k-4.el8", "1:1.1.1k-5.el8"},
      {Ecosystem::kRpm, "< 2.0", "2.0~beta1-1", "2.0^git1-1"},
      {Ecosystem::kSemver, ">= 1.2.3-alpha, < 1.2.3", "1.2.3-beta.2", "1.2.3+build"},
      {Ecosystem::kPep440, ">= 1!1.0.dev0, < 1!1.0", "1!1.0rc1", "1!1.0.post1"},
      {Ecosystem::kPep440, "!= 2.0", "2.0.1", "2.0.0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(EcosystemName(c.ecosystem)) + " " + c.constraint);
    auto constraint = ParseConstraint(c.constraint);
    ASSERT_TRUE(constraint.ok()) << constraint.error().message();

    auto inside = Satisfies(c.ecosystem, c.inside, *constraint);
    auto outside = Satisfies(c.ecosystem, c.outside, *constraint);

    ASSERT_TRUE(inside.ok()) << inside.error().message();
    EXPECT_TRUE(*inside) << c.inside;
    ASSERT_TRUE(outside.ok()) << outside.error().message();
    EXPECT_FALSE(*outside) << c.outside;
  }
}

TEST(VersionConstraint, RpmConstraintWithoutReleaseCoversEveryRelease) {
  auto at_most = ParseConstraint("<= 3.0.7");
  auto below = ParseConstraint("< 3.0.7");
  auto below_release = ParseConstraint("< 3.0.7-28.el9");
  ASSERT_TRUE(at_most.ok() && below.ok() && below_release.ok());

  auto at_most_installed = Satisfies(Ecosystem::kRpm, "3.0.7-27.el9", *at_most);
  auto below_installed = Satisfies(Ecosystem::kRpm, "3.0.7-27.el9", *below);
  auto below_release_installed = Satisfies(Ecosystem::kRpm, "3.0.7-27.el9", *below_release);
  auto epoch_counts = Satisfies(Ecosystem::kRpm, "1:3.0.7-27.el9", *at_most);

  ASSERT_TRUE(at_most_installed.ok() && below_installed.ok() && below_release_installed.ok() &&
              epoch_counts.ok());
  EXPECT_TRUE(*at_most_installed);
  EXPECT_FALSE(*below_installed);
  EXPECT_TRUE(*below_release_installed);
  EXPECT_FALSE(*epoch_counts);
}

TEST(VersionConstraint, SatisfiesReportsInvalidVersionsInNewEcosystems) {
  auto constraint = ParseConstraint("< 2.0.0");
  ASSERT_TRUE(constraint.ok());

  auto semver = Satisfies(Ecosystem::kSemver, "not-a-version", *constraint);
  auto pep440 = Satisfies(Ecosystem::kPep440, "1.0++", *constraint);

  ASSERT_FALSE(semver.ok());
  EXPECT_NE(semver.error().message().find("< 2.0.0"), std::string::npos);
  ASSERT_FALSE(pep440.ok());
  EXPECT_EQ(pep440.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace bulwark::version
