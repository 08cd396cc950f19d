// Facts for the advisory controls' tests: findings and a matched image built
// in code, shaped like what the matcher reports for a Debian 12 image.
#ifndef BULWARK_TESTS_POLICY_ADVISORY_FACTS_H_
#define BULWARK_TESTS_POLICY_ADVISORY_FACTS_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/policy.h"
#include "policy/verdict.h"
#include "vulndb/finding.h"

namespace bulwark::policy::advisory_facts {

// The scan's clock in every test unless a test sets another.
inline constexpr char kScanTime[] = "2026-12-04T12:00:00Z";

inline Policy MustParse(const std::string& document) {
  auto policy = ParsePolicy(document, "policy.yaml");
  EXPECT_TRUE(policy.ok()) << policy.error().message();
  return policy.ok() ? *policy : Policy{};
}

// A fixed, high-severity finding in layer 4 (index 3) of a Debian package
// whose source package has the same name, published long before kScanTime.
inline vulndb::Finding Finding(const std::string& id, const std::string& package,
                               const std::string& version = "1.0-1") {
  vulndb::Finding finding;
  finding.id = id;
  finding.ecosystem = "deb";
  finding.package = package;
  finding.version = version;
  finding.architecture = "amd64";
  finding.source_package = package;
  finding.source_version = version;
  finding.db_path = "var/lib/dpkg/status";
  finding.layer_index = 3;
  finding.state = vulndb::FixState::kFixed;
  finding.fixed_version = "1.0-2";
  finding.severity = vulndb::Severity::kHigh;
  finding.severity_source = "distribution";
  finding.published = "2026-01-01T00:00:00Z";
  finding.sources = {"debian-tracker"};
  return finding;
}

inline std::vector<Digest> Chain(size_t length) {
  std::vector<Digest> chain;
  for (size_t i = 0; i < length; ++i) chain.push_back(Sha256Of("layer " + std::to_string(i)));
  return chain;
}

// A registered image owning the first `layers` layers of Chain(5).
inline lineage::RegisteredImage Registered(std::vector<std::string> names, size_t layers,
                                           const std::string& seed) {
  lineage::RegisteredImage image;
  image.image_id = Sha256Of("config " + seed);
  image.manifest_digests = {Sha256Of("manifest " + seed)};
  image.names = std::move(names);
  image.chain = Chain(layers);
  return image;
}

// A Debian 12 image of 5 layers holding the packages of `findings`, scanned
// at kScanTime and matched against a database built a day earlier that has
// data for debian:12. No registered ancestors.
inline Facts AdvisoryFacts(std::vector<vulndb::Finding> findings) {
  Facts facts;
  facts.image_id = Sha256Of("config scanned");
  facts.names = {"registry.example.com/app:1.0"};
  facts.user = "app";
  facts.lineage = lineage::FindAncestors(Chain(5), {});
  facts.scanned_at = kScanTime;
  facts.inventory.os.found = true;
  facts.inventory.os.source_path = "etc/os-release";
  facts.inventory.os.id = "debian";
  facts.inventory.os.version_id = "12";
  for (const vulndb::Finding& finding : findings) {
    catalog::Package package;
    package.ecosystem = finding.ecosystem;
    package.name = finding.package;
    package.version = finding.version;
    package.architecture = finding.architecture;
    package.source_name = finding.source_package;
    package.source_version = finding.source_version;
    package.db_path = finding.db_path;
    package.layer_index = finding.layer_index;
    facts.inventory.packages.push_back(package);
  }
  if (facts.inventory.packages.empty()) {
    catalog::Package base_files;
    base_files.ecosystem = "deb";
    base_files.name = "base-files";
    base_files.version = "12.4+deb12u5";
    base_files.source_name = "base-files";
    base_files.source_version = "12.4+deb12u5";
    base_files.layer_index = 0;
    facts.inventory.packages.push_back(base_files);
  }

  vulndb::MatchReport report;
  report.database.path = "/var/lib/bulwark/advisories.db";
  report.database.schema_version = 1;
  report.database.built_at = "2026-12-03T12:00:00Z";
  report.database.sources = {vulndb::SourceStatus{.name = "debian-tracker.json",
                                                  .kind = "debian-tracker",
                                                  .imported_at = "2026-12-03T12:00:00Z",
                                                  .records = 100,
                                                  .skipped = 0,
                                                  .distros = {"debian:12"}}};
  report.database.distros = {"debian:12"};
  report.distro = "debian:12";
  report.distro_has_data = true;
  report.findings = std::move(findings);
  facts.vulnerabilities = std::move(report);
  return facts;
}

// The only policy's control named `control`; fails the test when absent.
inline const ControlResult& ControlNamed(const Verdict& verdict, const std::string& control) {
  static const ControlResult kMissing;
  EXPECT_EQ(verdict.policies.size(), 1u);
  if (verdict.policies.empty()) return kMissing;
  for (const ControlResult& result : verdict.policies[0].controls) {
    if (result.control == control) return result;
  }
  ADD_FAILURE() << "no control " << control;
  return kMissing;
}

// How many evidence lines contain `text`.
inline size_t EvidenceCount(const ControlResult& result, const std::string& text) {
  size_t count = 0;
  for (const std::string& line : result.evidence) {
    if (line.find(text) != std::string::npos) ++count;
  }
  return count;
}

inline bool HasEvidence(const ControlResult& result, const std::string& text) {
  return EvidenceCount(result, text) > 0;
}

}  // namespace bulwark::policy::advisory_facts

#endif  // BULWARK_TESTS_POLICY_ADVISORY_FACTS_H_
