// Scan results in each outcome state, shared by the report tests. The verdicts
// come from real policy documents run through policy::Evaluate, the
// vulnerability controls and exceptions included.
#ifndef BULWARK_TESTS_REPORT_SAMPLE_RESULTS_H_
#define BULWARK_TESTS_REPORT_SAMPLE_RESULTS_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "lineage/lineage.h"
#include "policy/policy.h"
#include "policy/verdict.h"
#include "scan/scan_result.h"

namespace bulwark::report::testing {

inline Digest LayerDigest(int index) { return Sha256Of("layer " + std::to_string(index)); }

inline lineage::RegisteredImage RegisteredBase(const std::string& name, size_t layers) {
  lineage::RegisteredImage image;
  image.image_id = Sha256Of("config " + name);
  image.manifest_digests = {Sha256Of("manifest " + name)};
  image.names = {name};
  for (size_t i = 0; i < layers; ++i) image.chain.push_back(LayerDigest(static_cast<int>(i)));
  image.registered_at = "2024-04-02T08:00:00Z";
  return image;
}

inline catalog::Package DebPackage(const std::string& name, const std::string& version,
                                   const std::string& source_name, int layer_index = -1) {
  catalog::Package package;
  package.ecosystem = "deb";
  package.name = name;
  package.version = version;
  package.architecture = "amd64";
  package.source_name = source_name;
  package.source_version = version;
  package.db_path = "var/lib/dpkg/status";
  package.layer_index = layer_index;
  return package;
}

inline policy::Policy ParseOrFail(const std::string& document, const std::string& origin) {
  auto parsed = policy::ParsePolicy(document, origin);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message();
  return parsed.ok() ? *parsed : policy::Policy{};
}

// A four-layer Debian image built on registry.example.com/runtime:3 (two
// layers), itself built on docker.io/library/debian:12 (one layer). No verdict.
inline scan::ScanResult SampleScan() {
  scan::ScanResult result;
  result.tool_version = "0.1.0";
  result.scanned_at = "2024-05-01T10:00:00Z";
  result.source = "oci-archive:build/app.tar";
  result.platform = "linux/amd64";
  result.image_id = Sha256Of("config app");
  result.manifest_digest = Sha256Of("manifest app");
  result.names = {"registry.example.com/app:1.4"};
  result.user = "root";
  result.labels = {{"org.opencontainers.image.source", "https://git.example.com/app"},
                   {"com.example.debug", "true"}};
  const char* created_by[] = {"ADD rootfs.tar.xz /", "RUN apt-get install -y ca-certificates",
                              "RUN apt-get install -y telnet", "COPY app /usr/local/bin/app"};
  for (int i = 0; i < 4; ++i) {
    scan::LayerSummary layer;
    layer.diff_id = LayerDigest(i);
    layer.blob_digest = Sha256Of("blob " + std::to_string(i));
    layer.blob_size = 1000u * static_cast<uint64_t>(i + 1) * 1024;
    layer.uncompressed_size = 3 * layer.blob_size;
    layer.compression = "gzip";
    layer.from_cache = i < 2;
    layer.created_by = created_by[i];
    result.layers.push_back(layer);
  }
  result.inventory.os = catalog::OsInfo{.found = true,
                                        .source_path = "etc/os-release",
                                        .id = "debian",
                                        .id_like = "",
                                        .version_id = "12",
                                        .version_codename = "bookworm",
                                        .pretty_name = "Debian GNU/Linux 12 (bookworm)"};
  // openssl comes with debian:12 (layer index 0), ca-certificates with
  // runtime:3 (1), telnet with the app (2).
  result.inventory.packages = {DebPackage("ca-certificates", "20230311", "ca-certificates", 1),
                               DebPackage("libssl3", "3.0.9-1", "openssl", 0),
                               DebPackage("openssl", "3.0.9-1", "openssl", 0),
                               DebPackage("telnet", "0.17+2.4-2", "inetutils", 2)};
  result.inventory.gaps = {{"var/lib/rpm/Packages", "rpm databases are not read yet"}};

  std::vector<Digest> chain;
  for (const scan::LayerSummary& layer : result.layers) chain.push_back(layer.diff_id);
  result.lineage =
      lineage::FindAncestors(chain, {RegisteredBase("docker.io/library/debian:12", 1),
                                     RegisteredBase("registry.example.com/runtime:3", 2)});
  result.elapsed_ms = 1234.5;
  return result;
}

inline policy::Facts FactsOf(const scan::ScanResult& result) {
  policy::Facts facts;
  facts.image_id = result.image_id;
  facts.manifest_digest = result.manifest_digest;
  facts.names = result.names;
  facts.user = result.user;
  facts.labels = result.labels;
  facts.inventory = result.inventory;
  facts.lineage = result.lineage;
  facts.scanned_at = result.scanned_at;
  facts.vulnerabilities = result.vulnerabilities;
  return facts;
}

inline scan::ScanResult WithVerdict(scan::ScanResult result,
                                    const std::vector<policy::Policy>& policies) {
  result.verdict = policy::Evaluate(policies, FactsOf(result));
  result.exit_code = result.verdict.blocking() ? 4 : 0;
  return result;
}

// Compliant needs a complete inventory: with a coverage gap, requiredPackages
// fails closed. So this one scan has none.
inline scan::ScanResult CompliantResult() {
  scan::ScanResult scan = SampleScan();
  scan.inventory.gaps.clear();
  policy::Policy policy = ParseOrFail(R"(name: default
controls:
  approvedBaseImages: [registry.example.com/runtime:3]
  requiredPackages: [{name: ca-certificates}]
  labels: {required: [org.opencontainers.image.source]}
)",
                                      "policies/default.yaml");
  return WithVerdict(scan, {policy});
}

inline const char* kStrictPolicy = R"(name: strict
enforce: ENFORCE
controls:
  approvedBaseImages:
    - registry.example.com/base:1.0
  blockedPackages:
    - name: telnet
    - name: openssl
      version: "< 3.0.11-1~deb12u2"
  superuser: deny
  labels:
    forbidden: [com.example.debug]
)";

inline policy::Policy StrictPolicy(bool enforce) {
  std::string document = kStrictPolicy;
  document.replace(document.find("ENFORCE"), 7, enforce ? "true" : "false");
  return ParseOrFail(document, "policies/strict.yaml");
}

inline scan::ScanResult ScanFailedResult() {
  scan::ScanResult result;
  result.tool_version = "0.1.0";
  result.scanned_at = "2024-05-01T10:00:00Z";
  result.source = "oci-archive:build/app.tar";
  result.error = Error(ErrorCode::kCorruptInput,
                       "layer sha256:3f2a: uncompressed stream does not match its diff_id");
  result.exit_code = 3;
  result.elapsed_ms = 12;
  return result;
}

// The advisory database as a match saw it: two sources, Debian data.
inline vulndb::DatabaseStatus SampleDatabase() {
  vulndb::DatabaseStatus database;
  database.path = "/var/lib/bulwark/advisories.db";
  database.schema_version = 1;
  database.built_at = "2024-04-30T06:00:00Z";
  database.sources = {{.name = "https://security-tracker.debian.org/tracker/data/json",
                       .kind = "debian-tracker",
                       .imported_at = "2024-04-30T06:00:00Z",
                       .records = 41234,
                       .skipped = 12,
                       .distros = {"debian:11", "debian:12", "debian:sid"}},
                      {.name = "file:///srv/osv/Debian.zip",
                       .kind = "osv",
                       .imported_at = "2024-04-30T05:58:10Z",
                       .records = 35120,
                       .skipped = 3,
                       .distros = {"debian:10", "debian:11", "debian:12"}}};
  database.distros = {"debian:10", "debian:11", "debian:12", "debian:sid"};
  return database;
}

// A finding on one of SampleScan's packages, with the package's own fields.
inline vulndb::Finding FindingOn(const catalog::Package& package, const std::string& id,
                                 vulndb::FixState state, vulndb::Severity severity) {
  vulndb::Finding finding;
  finding.id = id;
  finding.ecosystem = package.ecosystem;
  finding.package = package.name;
  finding.version = package.version;
  finding.architecture = package.architecture;
  finding.source_package = package.source_name;
  finding.source_version = package.source_version;
  finding.db_path = package.db_path;
  finding.layer_index = package.layer_index;
  finding.state = state;
  finding.severity = severity;
  finding.severity_source = severity == vulndb::Severity::kUnknown ? "" : "distribution";
  finding.sources = {"https://security-tracker.debian.org/tracker/data/json"};
  return finding;
}

// Seven findings covering every severity and fix state, two of them in the
// debian:12 base layer. The ids are real; states, versions and scores are
// shaped like Debian's data but picked to cover the cases, not copied from it.
inline std::vector<vulndb::Finding> SampleFindings(const catalog::Inventory& inventory) {
  using vulndb::FixState;
  using vulndb::Severity;
  const catalog::Package& libssl = inventory.packages[1];
  const catalog::Package& openssl = inventory.packages[2];
  const catalog::Package& telnet = inventory.packages[3];

  vulndb::Finding dh_libssl =
      FindingOn(libssl, "CVE-2023-5678", FixState::kFixed, Severity::kMedium);
  dh_libssl.aliases = {"DSA-5532-1"};
  dh_libssl.fixed_version = "3.0.11-1~deb12u2";
  dh_libssl.cvss_score = 5.3;
  dh_libssl.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L";
  dh_libssl.published = "2023-11-06T16:15:42Z";
  dh_libssl.summary = "Excessive time spent in DH check or key generation with large Q";
  dh_libssl.references = {"https://www.openssl.org/news/secadv/20231106.txt"};
  dh_libssl.sources.push_back("file:///srv/osv/Debian.zip");
  vulndb::Finding dh_openssl = dh_libssl;
  dh_openssl.package = openssl.name;

  vulndb::Finding alpn =
      FindingOn(libssl, "CVE-2024-5535", FixState::kWontFix, Severity::kCritical);
  alpn.severity_source = "cvss";
  alpn.cvss_score = 9.1;
  alpn.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H";
  alpn.published = "2024-06-27T11:15:24Z";
  alpn.summary = "SSL_select_next_proto buffer overread";

  vulndb::Finding pkcs12 = FindingOn(openssl, "CVE-2024-0727", FixState::kFixed, Severity::kLow);
  pkcs12.fixed_version = "3.0.13-1~deb12u1";
  pkcs12.cvss_score = 5.5;
  pkcs12.cvss_vector = "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H";
  pkcs12.published = "2024-01-26T09:15:07Z";
  pkcs12.summary = "NULL dereference on malformed PKCS12 files";

  vulndb::Finding timing =
      FindingOn(openssl, "CVE-2010-0928", FixState::kNotFixed, Severity::kNegligible);
  timing.summary = "RSA private keys exposed to fault injection on the CPU";

  vulndb::Finding telnetd =
      FindingOn(telnet, "CVE-2022-39028", FixState::kNotFixed, Severity::kHigh);
  telnetd.severity_source = "cvss";
  telnetd.cvss_score = 7.5;
  telnetd.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H";
  telnetd.published = "2022-08-30T05:15:07Z";
  telnetd.summary = "telnetd NULL pointer dereference on 0xff 0xf7 or 0xff 0xf8";

  vulndb::Finding client =
      FindingOn(telnet, "CVE-2019-0053", FixState::kNotFixed, Severity::kUnknown);
  client.summary = "Stack buffer overflow in the telnet client via environment variables";

  return {dh_libssl, alpn, timing, dh_openssl, pkcs12, client, telnetd};
}

inline vulndb::MatchReport SampleMatch(const catalog::Inventory& inventory, bool with_findings) {
  vulndb::MatchReport match;
  match.database = SampleDatabase();
  match.distro = "debian:12";
  match.distro_has_data = true;
  if (with_findings) match.findings = SampleFindings(inventory);
  return match;
}

// The vulnerability controls and exceptions of the samples with findings:
// fail at or above high, on a database at most a week old; the critical
// finding is excepted, and the low one's exception expired a month before the
// scan. Appended to a policy's document, after its other controls.
inline const char* kVulnerabilitySections = R"(  vulnerabilities:
    failAtOrAbove: high
  advisoryData:
    maxAgeDays: 7
exceptions:
  - reason: "ALPN is not used by the app; tracked as SEC-112"
    expires: 2024-09-30
    packages: [libssl3]
    advisories: [CVE-2024-5535]
  - reason: "Waiting for the 3.0.13 point release"
    expires: 2024-03-31
    advisories: [CVE-2024-0727]
)";

// The 1-based line of the document on which the first line containing
// `needle` stands, so tests name exception lines without counting by hand.
inline int LineOf(const std::string& document, const std::string& needle) {
  size_t at = document.find(needle);
  if (at == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(document.begin(), document.begin() + at, '\n'));
}

inline policy::Policy StrictVulnerabilityPolicy(bool enforce) {
  std::string document = kStrictPolicy;
  document.replace(document.find("ENFORCE"), 7, enforce ? "true" : "false");
  return ParseOrFail(document + kVulnerabilitySections, "policies/strict.yaml");
}

// Compliant, with an advisory database consulted that found nothing.
inline scan::ScanResult ZeroFindingsResult() {
  scan::ScanResult scan = SampleScan();
  scan.inventory.gaps.clear();
  scan.vulnerabilities = SampleMatch(scan.inventory, /*with_findings=*/false);
  policy::Policy policy = ParseOrFail(R"(name: default
controls:
  approvedBaseImages: [registry.example.com/runtime:3]
  requiredPackages: [{name: ca-certificates}]
  labels: {required: [org.opencontainers.image.source]}
  vulnerabilities: {failAtOrAbove: high}
  advisoryData: {maxAgeDays: 7}
)",
                                      "policies/default.yaml");
  return WithVerdict(scan, {policy});
}

// The strict policy fails four controls of its own and, with the findings
// above, the vulnerabilities control.
inline scan::ScanResult NonCompliantResult(bool enforce) {
  scan::ScanResult scan = SampleScan();
  scan.vulnerabilities = SampleMatch(scan.inventory, /*with_findings=*/true);
  return WithVerdict(scan, {StrictVulnerabilityPolicy(enforce)});
}

inline scan::ScanResult NonCompliantEnforcedResult() { return NonCompliantResult(true); }

inline scan::ScanResult NonCompliantAuditResult() { return NonCompliantResult(false); }

struct NamedResult {
  std::string name;  // Also the golden file's base name.
  scan::ScanResult result;
};

inline std::vector<NamedResult> AllStates() {
  return {{"compliant", CompliantResult()},
          {"zero_findings", ZeroFindingsResult()},
          {"non_compliant_enforced", NonCompliantEnforcedResult()},
          {"non_compliant_audit", NonCompliantAuditResult()},
          {"scan_failed", ScanFailedResult()}};
}

}  // namespace bulwark::report::testing

#endif  // BULWARK_TESTS_REPORT_SAMPLE_RESULTS_H_
