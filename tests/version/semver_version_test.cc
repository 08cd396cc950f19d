#include "version/semver_version.h"

#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

#include "version/vector_file.h"
#include "version/version.h"

namespace bulwark::version {
namespace {

using vectors::ReadLines;
using vectors::SplitTabs;
using vectors::VectorPath;

// What node-semver's strict mode allows beyond the SemVer grammar:
// surrounding whitespace and one leading 'v'.
std::string WithoutNodeStrictExtras(std::string text) {
  size_t begin = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  text = begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
  if (!text.empty() && text[0] == 'v') text.erase(0, 1);
  return text;
}

void CheckCompareRow(const std::vector<std::string>& fields) {
  const std::string& a = fields[0];
  const std::string& b = fields[1];
  int expected = std::stoi(fields[2]);

  auto forward = Compare(Ecosystem::kSemver, a, b);
  auto backward = Compare(Ecosystem::kSemver, b, a);

  ASSERT_TRUE(forward.ok()) << forward.error().message();
  ASSERT_TRUE(backward.ok()) << backward.error().message();
  EXPECT_EQ(*forward, expected);
  EXPECT_EQ(*backward, -expected);
  // Rows that node-semver reads without loose mode are SemVer 2.0.0 once
  // its two strict-mode extras are taken off.
  if (fields[3] == "false") {
    EXPECT_TRUE(IsValidSemver(WithoutNodeStrictExtras(a))) << a;
    EXPECT_TRUE(IsValidSemver(WithoutNodeStrictExtras(b))) << b;
  }
}

TEST(SemverVersion, MatchesEverySemverVector) {
  if (VectorPath("").empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::vector<std::string> lines = ReadLines(VectorPath("semver-compare.tsv"));

  int checked = 0;
  int loose = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    SCOPED_TRACE("semver-compare.tsv line " + std::to_string(i + 1) + ": " + lines[i]);
    std::vector<std::string> fields = SplitTabs(lines[i]);
    ASSERT_EQ(fields.size(), 5u);

    CheckCompareRow(fields);

    ++checked;
    if (fields[3] == "true") ++loose;
  }

  std::cout << "[ vectors  ] semver-compare.tsv: " << checked << " checked (" << loose
            << " in loose form), both directions\n";
  EXPECT_EQ(checked, static_cast<int>(lines.size()) - 1);
  EXPECT_GT(loose, 0);
}

TEST(SemverVersion, SplitsTheParts) {
  auto version = ParseSemver("1.22.333-rc.1+build.7", SemverMode::kStrict);

  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->major, "1");
  EXPECT_EQ(version->minor, "22");
  EXPECT_EQ(version->patch, "333");
  EXPECT_EQ(version->prerelease, "rc.1");
  EXPECT_EQ(version->build, "build.7");
}

TEST(SemverVersion, IgnoresBuildMetadata) {
  auto order = Compare(Ecosystem::kSemver, "1.0.0+zzz", "1.0.0+aaa");

  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order, 0);
}

TEST(SemverVersion, OrdersPrereleaseIdentifiers) {
  const char* ascending[] = {"1.0.0-0",     "1.0.0-2",     "1.0.0-10",      "1.0.0-10.1",
                             "1.0.0-Alpha", "1.0.0-alpha", "1.0.0-alpha.0", "1.0.0-alpha.-",
                             "1.0.0-beta",  "1.0.0"};
  for (size_t i = 1; i < std::size(ascending); ++i) {
    SCOPED_TRACE(std::string(ascending[i - 1]) + " < " + ascending[i]);

    auto order = Compare(Ecosystem::kSemver, ascending[i - 1], ascending[i]);

    ASSERT_TRUE(order.ok()) << order.error().message();
    EXPECT_EQ(*order, -1);
  }
}

TEST(SemverVersion, ComparesNumbersOfAnyLength) {
  auto core = Compare(Ecosystem::kSemver, "1.0.99999999999999999999", "1.0.100000000000000000000");
  auto pre = Compare(Ecosystem::kSemver, "1.0.0-99999999999999999999", "1.0.0-9999999999999999999");

  ASSERT_TRUE(core.ok());
  EXPECT_EQ(*core, -1);
  ASSERT_TRUE(pre.ok());
  EXPECT_EQ(*pre, 1);
}

TEST(SemverVersion, LooseModeReadsPrefixesAndLeadingZeros) {
  const char* spellings[] = {"v1.2.3", "=1.2.3", " v 1.2.3 ", "v=v1.2.3", "01.002.3", "\t1.2.3\n"};
  for (const char* text : spellings) {
    SCOPED_TRACE(text);

    auto order = Compare(Ecosystem::kSemver, text, "1.2.3");

    ASSERT_TRUE(order.ok()) << order.error().message();
    EXPECT_EQ(*order, 0);
  }
}

TEST(SemverVersion, LooseModeReadsNodeSemverQuirks) {
  auto no_hyphen = ParseSemver("1.2.3beta.4", SemverMode::kLoose);
  auto lone_hyphen = ParseSemver("1.2.3-", SemverMode::kLoose);
  auto patch_split = ParseSemver("1.2.34.5", SemverMode::kLoose);
  auto hyphen_then_dot = ParseSemver("1.2.3-.x", SemverMode::kLoose);

  ASSERT_TRUE(no_hyphen.ok());
  EXPECT_EQ(no_hyphen->prerelease, "beta.4");
  ASSERT_TRUE(lone_hyphen.ok());
  EXPECT_EQ(lone_hyphen->prerelease, "-");
  ASSERT_TRUE(patch_split.ok());
  EXPECT_EQ(patch_split->patch, "3");
  EXPECT_EQ(patch_split->prerelease, "4.5");
  ASSERT_TRUE(hyphen_then_dot.ok());
  EXPECT_EQ(hyphen_then_dot->prerelease, "-.x");
}

TEST(SemverVersion, StrictModeRefusesWhatTheGrammarDoesNotAllow) {
  const char* cases[] = {"",          "1.2",       "1.2.3.4",  "v1.2.3",
                         " 1.2.3",    "01.2.3",    "1.02.3",   "1.2.03",
                         "1.2.3-",    "1.2.3+",    "1.2.3-01", "1.2.3-a..b",
                         "1.2.3beta", "1.2.3-a_b", "1.2.3+b!", "1.2.3-\xc3\xa9"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto version = ParseSemver(text, SemverMode::kStrict);

    ASSERT_FALSE(version.ok());
    EXPECT_EQ(version.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_FALSE(IsValidSemver(text));
  }
}

TEST(SemverVersion, StrictModeKeepsLeadingZerosInBuildAndMixedIdentifiers) {
  EXPECT_TRUE(IsValidSemver("1.2.3-0a.0+001"));
  EXPECT_TRUE(IsValidSemver("0.0.0--"));
}

TEST(SemverVersion, LooseModeRefusesBrokenVersions) {
  const char* cases[] = {"",       "   ",    "1.2",        "1.2.3.", "x1.2.3", "1.2.3 4",
                         "V1.2.3", "1.2.3+", "1.2.3-a..b", "1..2.3", "1.2.3_4"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto order = Compare(Ecosystem::kSemver, text, "1.2.3");

    ASSERT_FALSE(order.ok());
    EXPECT_EQ(order.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(order.error().message().find("semver version"), std::string::npos);
  }
}

// JavaScript's trim() also removes Unicode spaces and the byte order mark;
// Bulwark reads ASCII whitespace only.
TEST(SemverVersion, LooseModeTrimsOnlyAsciiWhitespace) {
  std::string byte_order_mark = std::string("\xef\xbb\xbf") + "1.2.3";
  std::string no_break_space = std::string("\xc2\xa0") + "1.2.3";

  auto bom = ParseSemver(byte_order_mark, SemverMode::kLoose);
  auto nbsp = ParseSemver(no_break_space, SemverMode::kLoose);

  EXPECT_FALSE(bom.ok());
  EXPECT_FALSE(nbsp.ok());
}

TEST(SemverVersion, RefusesOverlongVersion) {
  std::string text = "1.0." + std::string(kMaxSemverLength, '1');

  auto version = ParseSemver(text, SemverMode::kLoose);

  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace bulwark::version
