#include "version/pep440_version.h"

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

std::string Normalized(std::string_view text) {
  auto version = ParsePep440(text);
  EXPECT_TRUE(version.ok()) << version.error().message();
  return version.ok() ? NormalizePep440(*version) : "";
}

TEST(Pep440Version, OrdersEverySortedVectorStrictlyAscending) {
  if (VectorPath("").empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::vector<std::string> versions = ReadLines(VectorPath("pep440-sorted.txt"));
  ASSERT_GT(versions.size(), 1u);

  int pairs = 0;
  for (size_t i = 0; i < versions.size(); ++i) {
    for (size_t j = i; j < versions.size(); ++j) {
      SCOPED_TRACE("pep440-sorted.txt lines " + std::to_string(i + 1) + " and " +
                   std::to_string(j + 1) + ": " + versions[i] + " vs " + versions[j]);

      auto forward = Compare(Ecosystem::kPep440, versions[i], versions[j]);
      auto backward = Compare(Ecosystem::kPep440, versions[j], versions[i]);

      ASSERT_TRUE(forward.ok()) << forward.error().message();
      ASSERT_TRUE(backward.ok()) << backward.error().message();
      EXPECT_EQ(*forward, i == j ? 0 : -1);
      EXPECT_EQ(*backward, i == j ? 0 : 1);
      if (i != j) ++pairs;
    }
  }

  std::cout << "[ vectors  ] pep440-sorted.txt: " << versions.size() << " versions, " << pairs
            << " ordered pairs checked both ways\n";
}

TEST(Pep440Version, NormalizesEveryVector) {
  if (VectorPath("").empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::vector<std::string> lines = ReadLines(VectorPath("pep440-normalize.tsv"));

  int checked = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    SCOPED_TRACE("pep440-normalize.tsv line " + std::to_string(i + 1) + ": " + lines[i]);
    std::vector<std::string> fields = SplitTabs(lines[i]);
    ASSERT_EQ(fields.size(), 2u);

    std::string normalized = Normalized(fields[0]);
    std::string again = Normalized(fields[1]);
    auto order = Compare(Ecosystem::kPep440, fields[0], fields[1]);

    EXPECT_EQ(normalized, fields[1]);
    EXPECT_EQ(again, fields[1]);
    ASSERT_TRUE(order.ok());
    EXPECT_EQ(*order, 0);
    EXPECT_TRUE(IsValid(Ecosystem::kPep440, fields[0]));
    ++checked;
  }

  std::cout << "[ vectors  ] pep440-normalize.tsv: " << checked << " checked\n";
  EXPECT_EQ(checked, static_cast<int>(lines.size()) - 1);
}

TEST(Pep440Version, RefusesEveryInvalidVector) {
  if (VectorPath("").empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::vector<std::string> lines = ReadLines(VectorPath("pep440-invalid.txt"));

  int checked = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE("pep440-invalid.txt line " + std::to_string(i + 1) + ": " + lines[i]);

    auto version = ParsePep440(lines[i]);
    auto order = Compare(Ecosystem::kPep440, lines[i], "1.0");

    ASSERT_FALSE(version.ok()) << NormalizePep440(*version);
    EXPECT_EQ(version.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_FALSE(IsValid(Ecosystem::kPep440, lines[i]));
    EXPECT_FALSE(order.ok());
    ++checked;
  }

  std::cout << "[ vectors  ] pep440-invalid.txt: " << checked << " refused\n";
  EXPECT_EQ(checked, static_cast<int>(lines.size()));
}

// Python's case-insensitive matching lets U+0130 through as an 'i'; the
// manifest notes that current packaging refuses it, and so does Bulwark.
TEST(Pep440Version, RefusesNonAsciiLocalLabel) {
  auto dotted_capital_i = ParsePep440("1.0+\xc4\xb0");
  auto kelvin_sign = ParsePep440("1.0+\xe2\x84\xaa");

  EXPECT_FALSE(dotted_capital_i.ok());
  EXPECT_FALSE(kelvin_sign.ok());
}

TEST(Pep440Version, SplitsEveryPart) {
  auto version = ParsePep440("  V01!1.02.3-RC-4_post.5-dev6+Ubuntu-007  ");

  ASSERT_TRUE(version.ok()) << version.error().message();
  EXPECT_EQ(version->epoch, "01");
  EXPECT_EQ(version->release, "1.02.3");
  EXPECT_TRUE(version->has_pre);
  EXPECT_EQ(version->pre_phase, Pep440Phase::kCandidate);
  EXPECT_EQ(version->pre_number, "4");
  EXPECT_TRUE(version->has_post);
  EXPECT_EQ(version->post_number, "5");
  EXPECT_TRUE(version->has_dev);
  EXPECT_EQ(version->dev_number, "6");
  EXPECT_EQ(version->local, "Ubuntu-007");
  EXPECT_EQ(NormalizePep440(*version), "1!1.2.3rc4.post5.dev6+ubuntu.7");
}

TEST(Pep440Version, NormalizesImplicitNumbersAndSeparators) {
  EXPECT_EQ(Normalized("1.0a."), "1.0a0");
  EXPECT_EQ(Normalized("1.0-r"), "1.0.post0");
  EXPECT_EQ(Normalized("1.0a-1"), "1.0a1");
  EXPECT_EQ(Normalized("1.0.preview_2"), "1.0rc2");
  EXPECT_EQ(Normalized("0!1.0"), "1.0");
  EXPECT_EQ(Normalized("1.0+a_B-c.00"), "1.0+a.b.c.0");
}

TEST(Pep440Version, TrailingZerosDoNotCount) {
  auto short_release = Compare(Ecosystem::kPep440, "1", "1.0.0");
  auto longer = Compare(Ecosystem::kPep440, "1.0.0.1", "1.0");

  ASSERT_TRUE(short_release.ok());
  EXPECT_EQ(*short_release, 0);
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(*longer, 1);
}

TEST(Pep440Version, EpochOutweighsRelease) {
  auto order = Compare(Ecosystem::kPep440, "1!0.1", "2024.10");
  auto zero = Compare(Ecosystem::kPep440, "0!2.0", "2.0");

  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order, 1);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(*zero, 0);
}

TEST(Pep440Version, OrdersTheReleaseCycle) {
  const char* ascending[] = {"1.0.dev1",    "1.0a1.dev1",     "1.0a1",     "1.0a1.post1.dev1",
                             "1.0a1.post1", "1.0b1",          "1.0rc1",    "1.0",
                             "1.0+local",   "1.0.post1.dev1", "1.0.post1", "1.0.post1+1",
                             "1.0.1.dev0"};
  for (size_t i = 1; i < std::size(ascending); ++i) {
    SCOPED_TRACE(std::string(ascending[i - 1]) + " < " + ascending[i]);

    auto order = Compare(Ecosystem::kPep440, ascending[i - 1], ascending[i]);

    ASSERT_TRUE(order.ok()) << order.error().message();
    EXPECT_EQ(*order, -1);
  }
}

TEST(Pep440Version, OrdersLocalLabelsSegmentBySegment) {
  const char* ascending[] = {"1.0+ABC", "1.0+abd", "1.0+z.1", "1.0+z.1.a",
                             "1.0+0",   "1.0+2",   "1.0+010", "1.0+10.a"};
  for (size_t i = 1; i < std::size(ascending); ++i) {
    SCOPED_TRACE(std::string(ascending[i - 1]) + " < " + ascending[i]);

    auto order = Compare(Ecosystem::kPep440, ascending[i - 1], ascending[i]);

    ASSERT_TRUE(order.ok()) << order.error().message();
    EXPECT_EQ(*order, -1);
  }
}

TEST(Pep440Version, ComparesNumbersOfAnyLength) {
  auto order =
      Compare(Ecosystem::kPep440, "1.99999999999999999999999", "1.100000000000000000000000");

  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order, -1);
}

TEST(Pep440Version, RefusesBrokenVersions) {
  const char* cases[] = {"",
                         " ",
                         "v",
                         "1!",
                         "!1",
                         "1.0.",
                         "1.0+",
                         "1.0+a.",
                         "1.0+a..b",
                         "1.0-",
                         "1.0dev+",
                         "1.0a1a2",
                         "1.0.post1.post2",
                         "1.0.dev1.a1",
                         "vv1.0",
                         "1.0 a",
                         "1.0\x01",
                         "\xd9\xa1.0"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto version = ParsePep440(text);

    ASSERT_FALSE(version.ok()) << NormalizePep440(*version);
    EXPECT_EQ(version.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(version.error().message().find("PEP 440 version"), std::string::npos);
  }
}

TEST(Pep440Version, RefusesOverlongVersion) {
  std::string text = "1." + std::string(kMaxPep440Length, '0');

  auto version = ParsePep440(text);

  ASSERT_FALSE(version.ok());
  EXPECT_EQ(version.error().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace bulwark::version
