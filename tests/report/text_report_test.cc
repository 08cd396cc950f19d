#include "report/text_report.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "report/golden_file.h"
#include "report/sample_results.h"

namespace bulwark::report {
namespace {

std::string FirstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

size_t LineCount(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(RenderText, MatchesGoldenFilesForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    std::string text = RenderText(state.result);

    testing::ExpectMatchesGolden(state.name + ".txt", text);
  }
}

TEST(RenderText, StartsWithTheVerdict) {
  struct Case {
    scan::ScanResult result;
    const char* first_line;
  };
  const Case cases[] = {{testing::CompliantResult(), "bulwark: COMPLIANT (exit code 0)"},
                        {testing::NonCompliantEnforcedResult(),
                         "bulwark: NON-COMPLIANT (enforced): 5 failed controls (exit code 4)"},
                        {testing::NonCompliantAuditResult(),
                         "bulwark: NON-COMPLIANT (audit only): 5 failed controls (exit code 0)"},
                        {testing::ScanFailedResult(), "bulwark: SCAN FAILED (exit code 3)"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.first_line);

    std::string text = RenderText(test_case.result);

    EXPECT_EQ(FirstLine(text), test_case.first_line);
  }
}

TEST(RenderText, ShowsFailedEvidenceNearestBaseAndApprovedImages) {
  std::string text = RenderText(testing::NonCompliantEnforcedResult());

  EXPECT_NE(text.find("FAIL policy \"strict\" blockedPackages:"), std::string::npos);
  EXPECT_NE(text.find("  - telnet 0.17+2.4-2 (deb, amd64) is blocked by telnet (line 7)"),
            std::string::npos);
  EXPECT_NE(text.find("nearest registered base: registry.example.com/runtime:3"),
            std::string::npos);
  EXPECT_NE(text.find("policies approve: registry.example.com/base:1.0"), std::string::npos);
  EXPECT_LT(LineCount(text), 40u);
}

TEST(RenderText, ListsEveryEvidenceLineOfAFailedControl) {
  scan::ScanResult result = testing::SampleScan();
  result.inventory.gaps.clear();
  for (int i = 0; i < 30; ++i) {
    result.inventory.packages.push_back(
        testing::DebPackage("tool" + std::to_string(i), "1.0-1", "tools"));
  }
  std::string rules;
  for (int i = 0; i < 30; ++i) rules += "    - name: tool" + std::to_string(i) + "\n";
  policy::Policy policy =
      testing::ParseOrFail("name: many\ncontrols:\n  blockedPackages:\n" + rules, "many.yaml");
  result = testing::WithVerdict(result, {policy});

  std::string text = RenderText(result);

  for (int i = 0; i < 30; ++i) {
    SCOPED_TRACE(i);
    EXPECT_NE(text.find("  - tool" + std::to_string(i) + " 1.0-1"), std::string::npos);
  }
  EXPECT_EQ(text.find("more (see the JSON"), std::string::npos);
}

// True when no byte of `text` other than the line ends could drive a terminal:
// no C0 control but '\n', no DEL, no C1 control (UTF-8 C2 80..C2 9F).
bool HasNoControlsButLineEnds(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte < 0x20 && byte != '\n') || byte == 0x7f) return false;
    if (byte == 0xc2 && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xe0) == 0x80) {
      return false;
    }
  }
  return true;
}

TEST(RenderText, EscapesALabelThatTriesToForgeTheVerdict) {
  scan::ScanResult result = testing::SampleScan();
  result.labels["com.example.debug"] = "\x1b[2J\nbulwark: COMPLIANT";
  result = testing::WithVerdict(result, {testing::StrictPolicy(true)});

  std::string text = RenderText(result);

  EXPECT_TRUE(HasNoControlsButLineEnds(text));
  EXPECT_EQ(text.find("\nbulwark: COMPLIANT"), std::string::npos);
  EXPECT_NE(text.find("  - forbidden label com.example.debug is set to "
                      "\"\\x1b[2J\\x0abulwark: COMPLIANT\"\n"),
            std::string::npos);
  EXPECT_EQ(FirstLine(text), "bulwark: NON-COMPLIANT (enforced): 4 failed controls (exit code 4)");
}

TEST(RenderText, EscapesControlsInEveryValueFromTheImageOrAPolicy) {
  scan::ScanResult result = testing::SampleScan();
  result.source = "oci-archive:app\r.tar";
  result.platform =
      "linux/amd64\xc2\x9b"
      "2J";
  result.user = "root\x07";
  result.inventory.packages.push_back(testing::DebPackage("evil\x1b]0;x", "1.0", "evil"));
  result.inventory.gaps.push_back({"var/lib/dpkg/status.d/\x1b[31m", "a symlink\n"});
  policy::Policy policy = testing::StrictPolicy(true);
  policy.name = "strict\x1b[32m";
  policy.blocked_packages[0].name = "evil\x1b]0;x";
  result = testing::WithVerdict(result, {policy});

  std::string text = RenderText(result);

  EXPECT_TRUE(HasNoControlsButLineEnds(text)) << text;
  EXPECT_NE(text.find("image: oci-archive:app\\x0d.tar"), std::string::npos);
  EXPECT_NE(text.find("linux/amd64\\u009b2J"), std::string::npos);
  EXPECT_NE(text.find("policy \"strict\\x1b[32m\""), std::string::npos);
  EXPECT_NE(text.find("config user is \"root\\x07\""), std::string::npos);
  EXPECT_NE(text.find("evil\\x1b]0;x 1.0 (deb, amd64) is blocked"), std::string::npos);
  EXPECT_NE(text.find("coverage gap: var/lib/dpkg/status.d/\\x1b[31m: a symlink\\x0a\n"),
            std::string::npos);
}

TEST(RenderText, EscapesLineBreaksInAScanError) {
  scan::ScanResult result = testing::ScanFailedResult();
  result.error = Error(ErrorCode::kInvalidArgument, "first problem\nbulwark: COMPLIANT");
  result.exit_code = 2;

  std::string text = RenderText(result);

  EXPECT_NE(text.find("error (invalid_argument): first problem\\x0abulwark: COMPLIANT\n"),
            std::string::npos);
  EXPECT_EQ(FirstLine(text), "bulwark: SCAN FAILED (exit code 2)");
}

TEST(RenderText, PluralisesCounts) {
  struct Case {
    const char* label;
    size_t policies;
    const char* counts;
  };
  const Case cases[] = {
      {"no policy", 0,
       "counts: 4 layers (2 from cache), 4 packages, 1 coverage gap, 0 policies, 0 controls "
       "(0 failed)"},
      {"one policy", 1,
       "counts: 4 layers (2 from cache), 4 packages, 1 coverage gap, 1 policy, 1 control "
       "(0 failed)"},
      {"two policies", 2,
       "counts: 4 layers (2 from cache), 4 packages, 1 coverage gap, 2 policies, 2 controls "
       "(0 failed)"}};
  policy::Policy superuser =
      testing::ParseOrFail("name: s\ncontrols: {superuser: allow}\n", "s.yaml");
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    std::vector<policy::Policy> policies(test_case.policies, superuser);
    scan::ScanResult result = testing::WithVerdict(testing::SampleScan(), policies);

    std::string text = RenderText(result);

    EXPECT_NE(text.find(std::string(test_case.counts) + "\n"), std::string::npos) << text;
  }
}

TEST(RenderText, PluralisesSingleCounts) {
  scan::ScanResult result = testing::SampleScan();
  result.layers.resize(1);
  result.inventory.packages.resize(1);
  result.inventory.gaps.push_back({"var/lib/apk/db/installed", "unreadable"});
  result = testing::WithVerdict(result, {testing::StrictPolicy(false)});
  result.verdict.policies[0].controls.resize(1);

  std::string text = RenderText(result);

  EXPECT_NE(text.find("counts: 1 layer (1 from cache), 1 package, 2 coverage gaps, 1 policy, 1 "
                      "control (1 failed)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(FirstLine(text), "bulwark: NON-COMPLIANT (audit only): 1 failed control (exit code 0)");
}

TEST(RenderText, NearestBaseNamesTheImageItselfWhenOnlyItIsRegistered) {
  scan::ScanResult result = testing::SampleScan();
  lineage::RegisteredImage self = testing::RegisteredBase("registry.example.com/app:1.4", 4);
  result.lineage = lineage::FindAncestors(result.lineage.chain, {self});

  std::string text = RenderText(result);

  EXPECT_NE(text.find("nearest registered base: none found: the image itself is registered as "
                      "registry.example.com/app:1.4 (image " +
                      self.image_id.Short() +
                      "); no other registered image is a prefix of its 4 layers\n"),
            std::string::npos)
      << text;
}

std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.rfind(prefix, 0) == 0) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

TEST(RenderText, GivesVulnerabilitiesOneCountsLineWithTheReleaseAndTheDatabaseAge) {
  std::string text = RenderText(testing::NonCompliantEnforcedResult());

  std::vector<std::string> lines = LinesStartingWith(text, "vulnerabilities:");

  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "vulnerabilities: 7 findings: 1 critical, 1 high, 2 medium, 1 low, 1 negligible, 1 "
            "unknown; 3 fixed, 3 not fixed, 1 will not fix (release debian:12 (Debian GNU/Linux "
            "12 (bookworm)); advisory database built 2024-04-30T06:00:00Z)");
}

TEST(RenderText, SaysVulnerabilitiesWereNotCheckedWithoutADatabase) {
  std::string text = RenderText(testing::CompliantResult());

  std::vector<std::string> lines = LinesStartingWith(text, "vulnerabilities:");

  EXPECT_EQ(lines, std::vector<std::string>{
                       "vulnerabilities: not checked (no advisory database was consulted)"});
}

TEST(RenderText, SaysWhenTheDatabaseHasNoDataForTheRelease) {
  scan::ScanResult result = testing::ZeroFindingsResult();
  result.vulnerabilities->distro_has_data = false;

  std::string text = RenderText(result);

  EXPECT_NE(text.find("vulnerabilities: no findings (release debian:12 (Debian GNU/Linux 12 "
                      "(bookworm)), for which the database has no data;"),
            std::string::npos)
      << text;
}

TEST(RenderText, ListsEveryAppliedAndExpiredException) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  for (int i = 0; i < 7; ++i) {
    result.verdict.policies[0].applied_exceptions.push_back({.line = 30 + i,
                                                             .reason = "r",
                                                             .expires = "2024-12-31",
                                                             .finding_id = "X",
                                                             .package = "p"});
  }
  int expired_line =
      testing::LineOf(testing::StrictVulnerabilityPolicy(true).document, "Waiting for the");

  std::string text = RenderText(result);

  EXPECT_EQ(LinesStartingWith(text, "exception applied: ").size(), 8u);
  EXPECT_EQ(LinesStartingWith(text, "exception expired: "),
            std::vector<std::string>{"exception expired: policy \"strict\" line " +
                                     std::to_string(expired_line) +
                                     ", expired 2024-03-31: Waiting for the 3.0.13 point release"});
}

}  // namespace
}  // namespace bulwark::report
