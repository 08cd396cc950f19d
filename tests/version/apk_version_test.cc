#include "version/apk_version.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/test_data.h"
#include "version/version.h"

namespace bulwark::version {
namespace {

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

int ExpectedSign(const std::string& op) { return op == "<" ? -1 : (op == ">" ? 1 : 0); }

TEST(ApkVersion, AcceptsTheFullGrammar) {
  const char* cases[] = {"1",          "1.2.3",    "1.2.3a",  "1.0_alpha",
                         "1.0_rc2_p1", "1.0~0f3a", "1.0-r10", "2.1_git20240101~abc123-r4"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    bool valid = IsValidApkVersion(text);

    EXPECT_TRUE(valid);
  }
}

TEST(ApkVersion, RefusesBrokenVersions) {
  const char* cases[] = {"",      "a",        "1.",       "1..2",      "1.0bc", "1.0_",
                         "1.0_x", "1.0-r",    "1.0-1",    "1.0-r1-r2", "1.0~",  "1.0~xyz",
                         "1.0A",  "1.0-r1_p", "1.0~ab_p", "v1.0"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    bool valid = IsValidApkVersion(text);
    bool comparable = IsComparableApkVersion(text);

    EXPECT_FALSE(valid);
    EXPECT_FALSE(comparable);
  }
}

TEST(ApkVersion, ComparesLegacyLetterDigitVersions) {
  EXPECT_FALSE(IsValidApkVersion("1.9.5p2-r1"));
  EXPECT_TRUE(IsComparableApkVersion("1.9.5p2-r1"));

  int older = CompareApkVersions("1.9.5p1-r1", "1.9.5p2-r0");
  int newer = CompareApkVersions("1.9.5p2-r1", "1.9.5-r9");

  EXPECT_LT(older, 0);
  EXPECT_GT(newer, 0);
}

TEST(ApkVersion, OrdersSuffixesAroundTheRelease) {
  const char* ascending[] = {"1.0_alpha", "1.0_beta", "1.0_pre", "1.0_rc", "1.0",
                             "1.0_cvs",   "1.0_svn",  "1.0_git", "1.0_hg", "1.0_p"};
  for (size_t i = 1; i < std::size(ascending); ++i) {
    SCOPED_TRACE(std::string(ascending[i - 1]) + " < " + ascending[i]);

    int order = CompareApkVersions(ascending[i - 1], ascending[i]);

    EXPECT_LT(order, 0);
  }
}

TEST(ApkVersion, ComparesHugeNumbersExactly) {
  int order = CompareApkVersions("1.99999999999999999999998", "1.99999999999999999999999");

  EXPECT_LT(order, 0);
}

TEST(ApkVersion, EvaluatesFuzzyOperators) {
  auto inside = ApkVersionMatches("3.6.9", "~", "3.6");
  auto outside = ApkVersionMatches("3.7", "~", "3.6");
  auto negated = ApkVersionMatches("3.7", "!~", "3.6");
  auto bogus = ApkVersionMatches("3.7", "<>", "3.6");

  ASSERT_TRUE(inside.ok());
  EXPECT_TRUE(*inside);
  ASSERT_TRUE(outside.ok());
  EXPECT_FALSE(*outside);
  ASSERT_TRUE(negated.ok());
  EXPECT_TRUE(*negated);
  EXPECT_FALSE(bogus.ok());
}

// Line kinds of apk-tools' version.data, counted for the report.
struct DataCounts {
  int orderings = 0;         // "a < b", "a = b", "a > b".
  int fuzzy_or_negated = 0;  // "~", "<~", ">~", "!op".
  int valid = 0;
  int invalid = 0;
};

void CheckComparisonLine(const std::vector<std::string>& words, DataCounts& counts) {
  const std::string& a = words[0];
  const std::string& op = words[1];
  const std::string& b = words[2];

  auto holds = ApkVersionMatches(a, op, b);

  ASSERT_TRUE(holds.ok()) << holds.error().message();
  EXPECT_TRUE(*holds);
  bool plain = op == "<" || op == "=" || op == ">";
  if (!plain) {
    ++counts.fuzzy_or_negated;
    return;
  }
  ++counts.orderings;
  // The public API orders only comparable versions and refuses the rest.
  auto order = Compare(Ecosystem::kApk, a, b);
  if (IsComparableApkVersion(a) && IsComparableApkVersion(b)) {
    ASSERT_TRUE(order.ok()) << order.error().message();
    EXPECT_EQ(*order, ExpectedSign(op));
  } else {
    EXPECT_FALSE(order.ok());
  }
}

TEST(ApkVersion, MatchesEveryApkToolsVector) {
  const std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::vector<std::string> lines = ReadLines(dir + "/version-compare/apk-version.data");

  DataCounts counts;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string text = lines[i].substr(0, lines[i].find('#'));
    std::vector<std::string> words = Words(text);
    if (words.empty()) continue;
    SCOPED_TRACE("apk-version.data line " + std::to_string(i + 1) + ": " + lines[i]);

    if (words.size() == 3) {
      CheckComparisonLine(words, counts);
    } else if (words.size() == 1 && words[0][0] == '!') {
      EXPECT_FALSE(IsValidApkVersion(words[0].substr(1)));
      EXPECT_FALSE(IsValid(Ecosystem::kApk, words[0].substr(1)));
      ++counts.invalid;
    } else {
      ASSERT_EQ(words.size(), 1u) << "unknown line format";
      EXPECT_TRUE(IsValidApkVersion(words[0]));
      ++counts.valid;
    }
  }

  std::cout << "[ vectors  ] apk-version.data: " << counts.orderings << " orderings, "
            << counts.fuzzy_or_negated << " fuzzy/negated, " << counts.valid << " valid, "
            << counts.invalid << " invalid; none skipped\n";
  EXPECT_GT(counts.orderings, 0);
  EXPECT_GT(counts.fuzzy_or_negated, 0);
}

// Runs an osv-scalibr "a <op> b" file. Lines whose versions apk cannot
// order (invalid under both grammars) must be refused by Compare; they are
// counted and printed, not skipped.
void CheckScalibrFile(const std::string& name) {
  const std::string dir = testing::SharedDataDir();
  std::vector<std::string> lines = ReadLines(dir + "/version-compare/osv-scalibr/" + name);

  int ordered = 0;
  int refused = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    std::vector<std::string> words = Words(line);
    if (words.empty() || words[0][0] == '#') continue;
    SCOPED_TRACE(name + " line " + std::to_string(i + 1) + ": " + line);
    ASSERT_EQ(words.size(), 3u);

    auto order = Compare(Ecosystem::kApk, words[0], words[2]);

    if (IsComparableApkVersion(words[0]) && IsComparableApkVersion(words[2])) {
      ASSERT_TRUE(order.ok()) << order.error().message();
      EXPECT_EQ(*order, ExpectedSign(words[1]));
      ++ordered;
    } else {
      ASSERT_FALSE(order.ok());
      EXPECT_EQ(order.error().code(), ErrorCode::kInvalidArgument);
      ++refused;
    }
  }

  std::cout << "[ vectors  ] osv-scalibr/" << name << ": " << ordered << " ordered, " << refused
            << " refused as invalid apk versions\n";
  EXPECT_GT(ordered, 0);
}

TEST(ApkVersion, MatchesOsvScalibrHandWrittenVectors) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";

  CheckScalibrFile("alpine-versions.txt");
}

TEST(ApkVersion, MatchesOsvScalibrGeneratedVectors) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";

  CheckScalibrFile("alpine-versions-generated.txt");
}

}  // namespace
}  // namespace bulwark::version
