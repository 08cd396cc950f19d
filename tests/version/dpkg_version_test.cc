#include "version/dpkg_version.h"

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

// Reads a data file into lines; fails the test when it cannot be opened.
std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) fields.push_back(field);
  if (!line.empty() && line.back() == '\t') fields.push_back("");
  return fields;
}

// "a <op> b" with op one of < = >; returns false for other lines.
bool ParseOrderingLine(const std::string& line, std::string& a, char& op, std::string& b) {
  std::istringstream in(line);
  std::string op_text, extra;
  if (!(in >> a >> op_text >> b) || (in >> extra) || op_text.size() != 1) return false;
  op = op_text[0];
  return op == '<' || op == '=' || op == '>';
}

int ExpectedSign(char op) { return op == '<' ? -1 : (op == '>' ? 1 : 0); }

TEST(DpkgVersion, SplitsEpochUpstreamAndRevision) {
  auto parsed = ParseDpkgVersion("2:1.0.4+svn26-1ubuntu1");

  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->version.epoch, 2);
  EXPECT_EQ(parsed->version.upstream, "1.0.4+svn26");
  EXPECT_EQ(parsed->version.revision, "1ubuntu1");
  EXPECT_EQ(parsed->syntax_warning, "");
}

TEST(DpkgVersion, TakesRevisionAfterLastHyphen) {
  auto parsed = ParseDpkgVersion("1.1.0+cvs20060620-1+2.6.15-8");

  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->version.upstream, "1.1.0+cvs20060620-1+2.6.15");
  EXPECT_EQ(parsed->version.revision, "8");
}

TEST(DpkgVersion, IgnoresSurroundingWhitespace) {
  auto parsed = ParseDpkgVersion(" \t1.0-1\n");

  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->version.upstream, "1.0");
  EXPECT_EQ(parsed->version.revision, "1");
}

TEST(DpkgVersion, RefusesHardErrors) {
  const char* cases[] = {"",       "   ",   "0:",   ":1.0",          "1.0-", "0:0 0-1",
                         "-1:0-1", "x:1.0", "0:-0", "99999999999:1", "-0",   "2147483648:1"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto parsed = ParseDpkgVersion(text);

    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(DpkgVersion, WarnsLikeDpkgButStillParses) {
  const char* cases[] = {"a1.0", "1.0_1", "1:1.0-2:3", "1.0-a_b"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto parsed = ParseDpkgVersion(text);

    ASSERT_TRUE(parsed.ok());
    EXPECT_NE(parsed->syntax_warning, "");
  }
}

TEST(DpkgVersion, AcceptsLargestEpoch) {
  auto parsed = ParseDpkgVersion("2147483647:1");

  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->version.epoch, 2147483647);
}

TEST(DpkgVersion, RefusesOverlongVersion) {
  std::string text(kMaxDpkgVersionLength + 1, '1');

  auto parsed = ParseDpkgVersion(text);

  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().code(), ErrorCode::kLimitExceeded);
}

TEST(DpkgVersion, OrdersTildeBeforeEverything) {
  EXPECT_LT(CompareDpkgVersionPart("1.0~rc1", "1.0"), 0);
  EXPECT_LT(CompareDpkgVersionPart("1.0~~", "1.0~"), 0);
  EXPECT_LT(CompareDpkgVersionPart("1.0", "1.0a"), 0);
  EXPECT_LT(CompareDpkgVersionPart("1.0a", "1.0+"), 0);
  EXPECT_EQ(CompareDpkgVersionPart("009", "9"), 0);
}

TEST(DpkgVersion, ComparesDigitRunsOfAnyLength) {
  EXPECT_LT(CompareDpkgVersionPart("1.99999999999999999999998", "1.99999999999999999999999"), 0);
  EXPECT_GT(CompareDpkgVersionPart("100000000000000000000000000", "99999999999999999999"), 0);
}

TEST(DpkgVersion, MatchesEveryCompareVector) {
  const std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::vector<std::string> lines = ReadLines(dir + "/version-compare/debian-version-compare.tsv");

  int checked = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    SCOPED_TRACE("debian-version-compare.tsv line " + std::to_string(i + 1) + ": " + lines[i]);
    std::vector<std::string> fields = SplitTabs(lines[i]);
    ASSERT_GE(fields.size(), 3u);

    auto forward = Compare(Ecosystem::kDeb, fields[0], fields[1]);
    auto backward = Compare(Ecosystem::kDeb, fields[1], fields[0]);

    ASSERT_TRUE(forward.ok()) << forward.error().message();
    ASSERT_TRUE(backward.ok()) << backward.error().message();
    EXPECT_EQ(*forward, std::stoi(fields[2]));
    EXPECT_EQ(*backward, -std::stoi(fields[2]));
    ++checked;
  }

  std::cout << "[ vectors  ] debian-version-compare.tsv: " << checked << " checked\n";
  EXPECT_EQ(checked, static_cast<int>(lines.size()) - 1);
}

// Checks one row of debian-version-parse.tsv against ParseDpkgVersion.
void CheckParseRow(const std::vector<std::string>& fields) {
  const std::string& input = fields[0];
  const std::string& expect = fields[1];

  auto parsed = ParseDpkgVersion(input);

  if (expect == "error") {
    EXPECT_FALSE(parsed.ok());
    return;
  }
  if (expect == "invalid") {
    EXPECT_FALSE(IsValid(Ecosystem::kDeb, input));
    return;
  }
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  if (expect == "warning") {
    EXPECT_NE(parsed->syntax_warning, "");
    return;
  }
  ASSERT_EQ(expect, "valid");
  EXPECT_EQ(parsed->syntax_warning, "");
  EXPECT_TRUE(IsValid(Ecosystem::kDeb, input));
  // An empty epoch field means "absent", which dpkg reports as 0.
  if (fields[2] != "*") {
    EXPECT_EQ(parsed->version.epoch, fields[2].empty() ? 0 : std::stoll(fields[2]));
  }
  if (fields[3] != "*") {
    EXPECT_EQ(parsed->version.upstream, fields[3]);
  }
  if (fields[4] != "*") {
    EXPECT_EQ(parsed->version.revision, fields[4]);
  }
}

TEST(DpkgVersion, MatchesEveryParseVector) {
  const std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::vector<std::string> lines = ReadLines(dir + "/version-compare/debian-version-parse.tsv");

  int checked = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    SCOPED_TRACE("debian-version-parse.tsv line " + std::to_string(i + 1) + ": " + lines[i]);
    std::vector<std::string> fields = SplitTabs(lines[i]);
    ASSERT_GE(fields.size(), 5u);

    CheckParseRow(fields);

    ++checked;
  }

  std::cout << "[ vectors  ] debian-version-parse.tsv: " << checked << " checked\n";
  EXPECT_EQ(checked, static_cast<int>(lines.size()) - 1);
}

// Runs an osv-scalibr "a <op> b" file; every non-comment line must be checked.
void CheckScalibrFile(const std::string& name) {
  const std::string dir = testing::SharedDataDir();
  std::vector<std::string> lines = ReadLines(dir + "/version-compare/osv-scalibr/" + name);

  int checked = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    SCOPED_TRACE(name + " line " + std::to_string(i + 1) + ": " + line);
    std::string a, b;
    char op = 0;
    ASSERT_TRUE(ParseOrderingLine(line, a, op, b));

    auto order = Compare(Ecosystem::kDeb, a, b);

    ASSERT_TRUE(order.ok()) << order.error().message();
    EXPECT_EQ(*order, ExpectedSign(op));
    ++checked;
  }

  std::cout << "[ vectors  ] osv-scalibr/" << name << ": " << checked << " checked\n";
  EXPECT_GT(checked, 0);
}

TEST(DpkgVersion, MatchesOsvScalibrHandWrittenVectors) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";

  CheckScalibrFile("debian-versions.txt");
}

TEST(DpkgVersion, MatchesOsvScalibrGeneratedVectors) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";

  CheckScalibrFile("debian-versions-generated.txt");
}

}  // namespace
}  // namespace bulwark::version
