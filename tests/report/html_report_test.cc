#include "report/html_report.h"

#include <gtest/gtest.h>

#include "report/golden_file.h"
#include "report/sample_results.h"

namespace bulwark::report {
namespace {

std::string RenderOrFail(const scan::ScanResult& result) {
  auto html = RenderHtml(result);
  EXPECT_TRUE(html.ok()) << html.error().message();
  return html.ok() ? *html : std::string();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RenderHtml, MatchesGoldenFilesForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    auto html = RenderHtml(state.result);

    ASSERT_TRUE(html.ok()) << html.error().message();
    testing::ExpectMatchesGolden(state.name + ".html", *html);
  }
}

TEST(RenderHtml, HeadlineStatesEveryOutcome) {
  struct Case {
    scan::ScanResult result;
    const char* headline;
  };
  const Case cases[] = {{testing::CompliantResult(), ">COMPLIANT</h1>"},
                        {testing::NonCompliantEnforcedResult(), ">NON-COMPLIANT (enforced)</h1>"},
                        {testing::NonCompliantAuditResult(), ">NON-COMPLIANT (audit only)</h1>"},
                        {testing::ScanFailedResult(), ">SCAN FAILED</h1>"}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.headline);

    std::string html = RenderOrFail(test_case.result);

    EXPECT_TRUE(Contains(html, test_case.headline));
    EXPECT_LT(html.find("<h1"), html.find("<h2>"));
  }
}

TEST(RenderHtml, EscapesValuesFromTheImage) {
  scan::ScanResult result = testing::CompliantResult();
  result.labels["note"] = "<script>alert(1)</script>";
  result.layers[3].created_by = "RUN echo \"<img src=x onerror=alert(1)>\"";
  result.source = "oci-archive:<b>bold</b>.tar";

  std::string html = RenderOrFail(result);

  EXPECT_FALSE(Contains(html, "<script>"));
  EXPECT_FALSE(Contains(html, "<img"));
  EXPECT_FALSE(Contains(html, "<b>bold"));
  EXPECT_TRUE(Contains(html, "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"));
  EXPECT_TRUE(Contains(html, "&lt;img src=x onerror=alert(1)&gt;"));
}

TEST(RenderHtml, TitleAndHeadlineEscapeTheSourceAndKeepTheStatusFirst) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  result.source = "oci-archive:</title><h1 class=\"status-compliant\">COMPLIANT</h1>.tar";

  std::string html = RenderOrFail(result);

  EXPECT_TRUE(Contains(html, "<title>Bulwark: NON-COMPLIANT (enforced) oci-archive:&lt;"));
  EXPECT_TRUE(Contains(html, "oci-archive:&lt;&#x2F;title&gt;&lt;h1 class=&quot;"));
  EXPECT_EQ(html.find("</title>"), html.find("</title>\n<style>"));
  EXPECT_TRUE(Contains(html,
                       "<h1 class=\"status-non_compliant_enforced\">NON-COMPLIANT "
                       "(enforced)</h1>"));
  EXPECT_FALSE(Contains(html, "<h1 class=\"status-compliant\">"));
}

TEST(RenderHtml, NearestBaseNamesTheImageItselfWhenOnlyItIsRegistered) {
  scan::ScanResult result = testing::SampleScan();
  lineage::RegisteredImage self = testing::RegisteredBase("registry.example.com/app:1.4", 4);
  result.lineage = lineage::FindAncestors(result.lineage.chain, {self});

  std::string html = RenderOrFail(result);

  EXPECT_TRUE(Contains(html,
                       "Nearest registered base: none found: the image itself is registered "
                       "as registry.example.com&#x2F;app:1.4 (image " +
                           self.image_id.Short() +
                           "); no other registered image is a prefix of its 4 layers"));
  EXPECT_TRUE(Contains(html, "<td>the image itself</td>"));
}

TEST(RenderHtml, IsSelfContained) {
  std::string html = RenderOrFail(testing::NonCompliantEnforcedResult());

  EXPECT_TRUE(Contains(html, "<style>"));
  EXPECT_FALSE(Contains(html, "<script"));
  EXPECT_FALSE(Contains(html, "<link"));
  EXPECT_FALSE(Contains(html, "src="));
  EXPECT_FALSE(Contains(html, "@import"));
  EXPECT_FALSE(Contains(html, "url("));
}

TEST(RenderHtml, SaysWhyBeforeTheDetails) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  std::string html = RenderOrFail(result);

  size_t why = html.find("<h2>Why</h2>");
  size_t lineage = html.find("<h2>Lineage</h2>");
  ASSERT_NE(why, std::string::npos);
  ASSERT_NE(lineage, std::string::npos);
  std::string top = html.substr(why, lineage - why);
  EXPECT_TRUE(Contains(top, "approvedBaseImages</span> failed in policy <strong>strict"));
  EXPECT_TRUE(Contains(top, "telnet 0.17+2.4-2 (deb, amd64) is blocked by telnet (line 7)"));
  EXPECT_TRUE(Contains(top, "Nearest registered base: registry.example.com&#x2F;runtime:3"));
  EXPECT_TRUE(Contains(top, "The policies approve: <code>registry.example.com&#x2F;base:1.0"));
}

TEST(RenderHtml, ListsLineageLayersPackagesAndPolicyDigests) {
  scan::ScanResult result = testing::CompliantResult();

  std::string html = RenderOrFail(result);

  EXPECT_TRUE(Contains(html, "<td>nearest base</td>"));
  EXPECT_TRUE(Contains(html, result.layers[0].diff_id.str()));
  EXPECT_TRUE(Contains(html, "this image (no registered base owns it)"));
  EXPECT_TRUE(Contains(html, "<td>ca-certificates</td>"));
  EXPECT_TRUE(Contains(html, "None: every package database found was read."));
  EXPECT_TRUE(Contains(html, result.verdict.policies[0].document_sha256.hex()));
  EXPECT_TRUE(Contains(html, "Every control of every policy passed."));
}

TEST(RenderHtml, ListsCoverageGaps) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  std::string html = RenderOrFail(result);

  EXPECT_TRUE(Contains(html, "<h2>Coverage gaps</h2>"));
  EXPECT_TRUE(Contains(html, "<td><code>var&#x2F;lib&#x2F;rpm&#x2F;Packages</code></td>"));
  EXPECT_TRUE(Contains(html, "package database not read: var&#x2F;lib&#x2F;rpm&#x2F;Packages"));
}

TEST(RenderHtml, ScanFailureShowsTheErrorAndNoVerdict) {
  std::string html = RenderOrFail(testing::ScanFailedResult());

  EXPECT_TRUE(Contains(html, "The scan did not complete (corrupt_input)"));
  EXPECT_TRUE(Contains(html, "No policy verdict is given"));
  EXPECT_FALSE(Contains(html, "<h2>Why</h2>"));
}

TEST(RenderHtml, Issue2ScanFailureClaimsNothingAboutTheUnreadImage) {
  std::string html = RenderOrFail(testing::ScanFailedResult());

  EXPECT_TRUE(Contains(html, "an absent section means not read, not absent from the image"));
  EXPECT_FALSE(Contains(html, "No registered image is a prefix"));
  EXPECT_FALSE(Contains(html, "no os-release file"));
  EXPECT_FALSE(Contains(html, "every package database found was read"));
  EXPECT_FALSE(Contains(html, "<h2>Packages"));
}

TEST(RenderHtml, ListsEveryFindingWithTheLayerAndWhoOwnsIt) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  std::string html = RenderOrFail(result);

  size_t section = html.find("<h2>Vulnerabilities</h2>");
  size_t policies = html.find("<h2>Policies</h2>");
  ASSERT_NE(section, std::string::npos);
  std::string vulnerabilities = html.substr(section, policies - section);
  for (const vulndb::Finding& finding : result.vulnerabilities->findings) {
    EXPECT_TRUE(Contains(vulnerabilities, "<code>" + finding.id + "</code>")) << finding.id;
  }
  EXPECT_TRUE(Contains(vulnerabilities, "<td>1 of 4 (docker.io&#x2F;library&#x2F;debian:12)</td>"));
  EXPECT_TRUE(Contains(vulnerabilities, "<td>3 of 4 (this image)</td>"));
  EXPECT_TRUE(Contains(vulnerabilities, "built 2024-04-30T06:00:00Z"));
  EXPECT_TRUE(Contains(vulnerabilities, "<code>debian:12 (Debian GNU&#x2F;Linux 12 (bookworm))"));
  EXPECT_TRUE(Contains(vulnerabilities, "<th>will not fix</th>"));
}

TEST(RenderHtml, ShowsAppliedAndExpiredExceptions) {
  int line = testing::LineOf(testing::StrictVulnerabilityPolicy(true).document, "ALPN is not");

  std::string html = RenderOrFail(testing::NonCompliantEnforcedResult());

  EXPECT_TRUE(Contains(
      html, "excepted: policy strict line " + std::to_string(line) + ", until 2024-09-30"));
  EXPECT_TRUE(Contains(html, "<h4>Applied exceptions</h4>"));
  EXPECT_TRUE(Contains(html, "<td>ALPN is not used by the app; tracked as SEC-112</td>"));
  EXPECT_TRUE(Contains(html, "<h4>Expired exceptions (no longer applied)</h4>"));
  EXPECT_TRUE(Contains(html, "<td>Waiting for the 3.0.13 point release</td>"));
}

TEST(RenderHtml, SaysVulnerabilitiesWereNotCheckedWithoutADatabase) {
  std::string html = RenderOrFail(testing::CompliantResult());

  EXPECT_TRUE(Contains(html, "Not checked: no advisory database was consulted for this scan."));
  EXPECT_FALSE(Contains(html, "No findings."));
}

TEST(RenderHtml, SaysNoFindingsWhenTheDatabaseFoundNone) {
  std::string html = RenderOrFail(testing::ZeroFindingsResult());

  EXPECT_TRUE(Contains(html, "<p>No findings.</p>"));
  EXPECT_FALSE(Contains(html, "Not checked"));
}

TEST(RenderHtml, EscapesValuesFromTheAdvisoryDatabase) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();
  result.vulnerabilities->findings[0].summary = "<script>alert(1)</script>";
  result.vulnerabilities->findings[0].id = "<b>CVE</b>";

  std::string html = RenderOrFail(result);

  EXPECT_FALSE(Contains(html, "<b>CVE"));
  EXPECT_TRUE(Contains(html, "&lt;b&gt;CVE&lt;&#x2F;b&gt;"));
  EXPECT_FALSE(Contains(html, "<script>"));
}

}  // namespace
}  // namespace bulwark::report
