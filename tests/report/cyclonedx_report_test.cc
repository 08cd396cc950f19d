#include "report/cyclonedx_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "report/golden_file.h"
#include "report/report_check.h"
#include "report/sample_results.h"

namespace bulwark::report {
namespace {

using nlohmann::json;

json RenderParsed(const scan::ScanResult& result) {
  auto rendered = RenderCycloneDx(result);
  EXPECT_TRUE(rendered.ok()) << rendered.error().message();
  return rendered.ok() ? json::parse(*rendered) : json();
}

const json* ComponentNamed(const json& bom, const std::string& name) {
  for (const json& component : bom["components"]) {
    if (component["name"] == name) return &component;
  }
  return nullptr;
}

std::vector<std::string> PropertyValues(const json& owner, const std::string& name) {
  std::vector<std::string> values;
  for (const json& property : owner.value("properties", json::array())) {
    if (property["name"] == name) values.push_back(property["value"]);
  }
  return values;
}

catalog::Package RpmPackage() {
  catalog::Package package;
  package.ecosystem = "rpm";
  package.name = "openssl-libs";
  package.version = "3.0.7-27.el9";
  package.architecture = "x86_64";
  package.epoch = "1";
  package.source_rpm = "openssl-3.0.7-27.el9.src.rpm";
  package.db_path = "var/lib/rpm/rpmdb.sqlite";
  package.license = "Apache-2.0";
  return package;
}

TEST(RenderCycloneDx, MatchesGoldenFilesForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);

    auto rendered = RenderCycloneDx(state.result);

    ASSERT_TRUE(rendered.ok()) << rendered.error().message();
    testing::ExpectMatchesGolden(state.name + ".cdx.json", *rendered);
  }
}

TEST(RenderCycloneDx, IsValidAgainstTheCycloneDx15SchemaForEveryOutcome) {
  for (const testing::NamedResult& state : testing::AllStates()) {
    SCOPED_TRACE(state.name);
    auto rendered = RenderCycloneDx(state.result);
    ASSERT_TRUE(rendered.ok()) << rendered.error().message();

    testing::CheckOutcome check = testing::ValidateAgainstSchema("bom-1.5.schema.json", *rendered);

    if (check.skipped) GTEST_SKIP() << check.output;
    EXPECT_TRUE(check.passed) << check.output;
  }
}

TEST(RenderCycloneDx, DescribesTheImageAsAContainerWithItsDigest) {
  scan::ScanResult result = testing::CompliantResult();

  json bom = RenderParsed(result);

  const json& image = bom["metadata"]["component"];
  EXPECT_EQ(bom["bomFormat"], "CycloneDX");
  EXPECT_EQ(bom["specVersion"], "1.5");
  EXPECT_EQ(image["type"], "container");
  EXPECT_EQ(image["name"], "registry.example.com/app");
  EXPECT_EQ(image["version"], result.manifest_digest->str());
  EXPECT_EQ(image["hashes"][0]["content"], result.manifest_digest->hex());
  EXPECT_EQ(image["purl"], "pkg:oci/app@" + result.manifest_digest->str() +
                               "?arch=amd64&repository_url=registry.example.com/app&tag=1.4");
  EXPECT_EQ(bom["metadata"]["timestamp"], result.scanned_at);
  EXPECT_EQ(bom["metadata"]["tools"]["components"][0]["name"], "bulwark");
}

TEST(RenderCycloneDx, GivesEveryPackageAComponentWithItsPackageUrl) {
  scan::ScanResult result = testing::CompliantResult();

  json bom = RenderParsed(result);

  ASSERT_EQ(bom["components"].size(), result.inventory.packages.size());
  const json* telnet = ComponentNamed(bom, "telnet");
  ASSERT_NE(telnet, nullptr);
  EXPECT_EQ((*telnet)["type"], "library");
  EXPECT_EQ((*telnet)["purl"], "pkg:deb/debian/telnet@0.17%2B2.4-2?arch=amd64&distro=debian-12");
  EXPECT_EQ((*telnet)["bom-ref"], (*telnet)["purl"]);
  EXPECT_EQ(PropertyValues(*telnet, "bulwark:package:layerIndex"), std::vector<std::string>{"2"});
  EXPECT_EQ(PropertyValues(*telnet, "bulwark:package:sourceName"),
            std::vector<std::string>{"inetutils"});
}

TEST(RenderCycloneDx, WritesRpmAndApkPackageUrlsWithTheirQualifiers) {
  scan::ScanResult rpm = testing::CompliantResult();
  rpm.inventory.os = {.found = true,
                      .source_path = "etc/os-release",
                      .id = "rhel",
                      .id_like = "fedora",
                      .version_id = "9.4",
                      .version_codename = "",
                      .pretty_name = "Red Hat Enterprise Linux 9.4 (Plow)"};
  rpm.inventory.packages = {RpmPackage()};
  scan::ScanResult apk = testing::CompliantResult();
  apk.inventory.os = {.found = true,
                      .source_path = "etc/os-release",
                      .id = "alpine",
                      .id_like = "",
                      .version_id = "3.20.3",
                      .version_codename = "",
                      .pretty_name = "Alpine Linux v3.20"};
  catalog::Package busybox = testing::DebPackage("busybox", "1.36.1-r29", "busybox");
  busybox.ecosystem = "apk";
  busybox.architecture = "x86_64";
  busybox.license = "GPL-2.0-only";
  apk.inventory.packages = {busybox};

  json rpm_bom = RenderParsed(rpm);
  json apk_bom = RenderParsed(apk);

  const json& openssl = rpm_bom["components"][0];
  EXPECT_EQ(openssl["purl"],
            "pkg:rpm/rhel/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1");
  EXPECT_EQ(openssl["licenses"][0]["license"]["name"], "Apache-2.0");
  EXPECT_EQ(PropertyValues(openssl, "bulwark:package:sourceRpm"),
            std::vector<std::string>{"openssl-3.0.7-27.el9.src.rpm"});
  EXPECT_EQ(apk_bom["components"][0]["purl"],
            "pkg:apk/alpine/busybox@1.36.1-r29?arch=x86_64&distro=alpine-3.20.3");
}

TEST(RenderCycloneDx, LeavesThePackageUrlOutWhenTheDistributionIsUnknown) {
  scan::ScanResult result = testing::CompliantResult();
  result.inventory.os = catalog::OsInfo{};
  result.inventory.packages.push_back(result.inventory.packages[0]);

  json bom = RenderParsed(result);

  std::set<std::string> refs;
  for (const json& component : bom["components"]) {
    EXPECT_FALSE(component.contains("purl")) << component.dump();
    refs.insert(component["bom-ref"]);
  }
  EXPECT_EQ(refs.size(), bom["components"].size());
  EXPECT_EQ(refs.count("deb:ca-certificates@20230311:amd64#2"), 1u);
}

TEST(RenderCycloneDx, PointsEveryVulnerabilityAtTheComponentItAffects) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  json bom = RenderParsed(result);

  std::set<std::string> refs;
  for (const json& component : bom["components"]) refs.insert(component["bom-ref"]);
  ASSERT_EQ(bom["vulnerabilities"].size(), result.vulnerabilities->findings.size());
  for (size_t i = 0; i < bom["vulnerabilities"].size(); ++i) {
    const json& vulnerability = bom["vulnerabilities"][i];
    const vulndb::Finding& finding = result.vulnerabilities->findings[i];
    SCOPED_TRACE(finding.id + " " + finding.package);
    EXPECT_EQ(vulnerability["id"], finding.id);
    std::string ref = vulnerability["affects"][0]["ref"];
    EXPECT_EQ(refs.count(ref), 1u);
    EXPECT_NE(ref.find("/" + finding.package + "@"), std::string::npos);
    EXPECT_EQ(vulnerability["affects"][0]["versions"][0]["version"], finding.version);
  }
}

TEST(RenderCycloneDx, StatesTheFixAndTheDistributionsWillNotFix) {
  json bom = RenderParsed(testing::NonCompliantEnforcedResult());

  std::map<std::string, json> by_id;
  for (const json& vulnerability : bom["vulnerabilities"])
    by_id[vulnerability["id"]] = vulnerability;

  const json& wont_fix = by_id["CVE-2024-5535"];
  EXPECT_EQ(wont_fix["analysis"]["response"], json::array({"will_not_fix"}));
  EXPECT_FALSE(wont_fix.contains("recommendation"));
  EXPECT_EQ(PropertyValues(wont_fix, "bulwark:appliedException").size(), 1u);
  const json& fixed = by_id["CVE-2024-0727"];
  EXPECT_EQ(fixed["recommendation"], "Upgrade openssl to 3.0.13-1~deb12u1 or later.");
  EXPECT_FALSE(fixed.contains("analysis"));
  EXPECT_EQ(PropertyValues(by_id["CVE-2022-39028"], "bulwark:fixState"),
            std::vector<std::string>{"not_fixed"});
}

TEST(RenderCycloneDx, RatesByTheDistributionAndByCvss) {
  json bom = RenderParsed(testing::NonCompliantEnforcedResult());

  std::map<std::string, json> by_id;
  for (const json& vulnerability : bom["vulnerabilities"])
    by_id[vulnerability["id"]] = vulnerability;

  EXPECT_EQ(by_id["CVE-2024-0727"]["ratings"],
            json::parse(R"([{"source": {"name": "debian"}, "severity": "low", "method": "other"},
                            {"score": 5.5, "method": "CVSSv31",
                             "vector": "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H"}])"));
  EXPECT_EQ(by_id["CVE-2022-39028"]["ratings"][0]["severity"], "high");
  EXPECT_EQ(by_id["CVE-2022-39028"]["ratings"][0]["score"], 7.5);
  EXPECT_EQ(by_id["CVE-2010-0928"]["ratings"][0]["severity"], "info");
  EXPECT_EQ(by_id["CVE-2019-0053"]["ratings"],
            json::parse(R"([{"severity": "unknown", "method": "other"}])"));
}

TEST(RenderCycloneDx, DerivesTheSerialNumberFromTheImageAndTheScanTime) {
  scan::ScanResult first = testing::CompliantResult();
  scan::ScanResult later = first;
  later.scanned_at = "2024-05-02T10:00:00Z";

  std::string serial = RenderParsed(first)["serialNumber"];
  std::string again = RenderParsed(first)["serialNumber"];
  std::string other = RenderParsed(later)["serialNumber"];

  EXPECT_TRUE(std::regex_match(
      serial, std::regex("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                         "[0-9a-f]{12}")))
      << serial;
  EXPECT_EQ(serial, again);
  EXPECT_NE(serial, other);
}

TEST(RenderCycloneDx, SaysWhenNoAdvisoryDatabaseWasConsulted) {
  json bom = RenderParsed(testing::CompliantResult());

  EXPECT_FALSE(bom.contains("vulnerabilities"));
  EXPECT_EQ(PropertyValues(bom["metadata"], "bulwark:vulnerabilities"),
            std::vector<std::string>{"not checked (no advisory database was consulted)"});
}

TEST(RenderCycloneDx, CarriesTheVerdictFailedControlsAndExceptions) {
  scan::ScanResult result = testing::NonCompliantEnforcedResult();

  json bom = RenderParsed(result);

  const json& metadata = bom["metadata"];
  EXPECT_EQ(PropertyValues(metadata, "bulwark:verdict:status"),
            std::vector<std::string>{"non_compliant_enforced"});
  EXPECT_EQ(PropertyValues(metadata, "bulwark:verdict:failedControl").size(), 5u);
  EXPECT_EQ(PropertyValues(metadata, "bulwark:policy:appliedException").size(), 1u);
  EXPECT_EQ(PropertyValues(metadata, "bulwark:policy:expiredException").size(), 1u);
  EXPECT_EQ(PropertyValues(metadata, "bulwark:advisoryDatabase:builtAt"),
            std::vector<std::string>{"2024-04-30T06:00:00Z"});
  EXPECT_EQ(bom["compositions"][0]["aggregate"], "incomplete");
}

TEST(RenderCycloneDx, ScanFailureHasNoComponentsAndAnUnknownComposition) {
  json bom = RenderParsed(testing::ScanFailedResult());

  EXPECT_TRUE(bom["components"].empty());
  EXPECT_FALSE(bom.contains("serialNumber"));
  EXPECT_FALSE(bom.contains("vulnerabilities"));
  EXPECT_EQ(bom["compositions"][0]["aggregate"], "unknown");
  std::vector<std::string> errors = PropertyValues(bom["metadata"], "bulwark:scan:error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("corrupt_input: ", 0), 0u);
}

}  // namespace
}  // namespace bulwark::report
