// Scan results in each outcome state, shared by the report tests. The verdicts
// come from real policy documents run through policy::Evaluate.
#ifndef BULWARK_TESTS_REPORT_SAMPLE_RESULTS_H_
#define BULWARK_TESTS_REPORT_SAMPLE_RESULTS_H_

#include <gtest/gtest.h>

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
                                   const std::string& source_name) {
  catalog::Package package;
  package.ecosystem = "deb";
  package.name = name;
  package.version = version;
  package.architecture = "amd64";
  package.source_name = source_name;
  package.source_version = version;
  package.db_path = "var/lib/dpkg/status";
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
  result.inventory.packages = {DebPackage("ca-certificates", "20230311", "ca-certificates"),
                               DebPackage("libssl3", "3.0.9-1", "openssl"),
                               DebPackage("openssl", "3.0.9-1", "openssl"),
                               DebPackage("telnet", "0.17+2.4-2", "inetutils")};
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

inline scan::ScanResult NonCompliantEnforcedResult() {
  return WithVerdict(SampleScan(), {StrictPolicy(true)});
}

inline scan::ScanResult NonCompliantAuditResult() {
  return WithVerdict(SampleScan(), {StrictPolicy(false)});
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

struct NamedResult {
  std::string name;  // Also the golden file's base name.
  scan::ScanResult result;
};

inline std::vector<NamedResult> AllStates() {
  return {{"compliant", CompliantResult()},
          {"non_compliant_enforced", NonCompliantEnforcedResult()},
          {"non_compliant_audit", NonCompliantAuditResult()},
          {"scan_failed", ScanFailedResult()}};
}

}  // namespace bulwark::report::testing

#endif  // BULWARK_TESTS_REPORT_SAMPLE_RESULTS_H_
