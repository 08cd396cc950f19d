// Fuzzes policy::ParsePolicy with arbitrary bytes. It must never crash, hang
// or throw; it either parses or returns kInvalidArgument with an origin. A
// policy that parses is evaluated against a fixed image, with and without an
// advisory match, so that the controls (and the exceptions, globs and clocks
// behind them) run on every shape of rule the parser lets through.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/policy.h"
#include "policy/verdict.h"

namespace {

using bulwark::Sha256Of;
using bulwark::policy::Facts;
using bulwark::policy::Outcome;

bulwark::vulndb::Finding MakeFinding(const char* id, const char* package, const char* source,
                                     int layer_index) {
  bulwark::vulndb::Finding finding;
  finding.id = id;
  finding.aliases = {"DSA-5532-1", "GHSA-jfh8-c2jp-5v3q"};
  finding.ecosystem = "deb";
  finding.package = package;
  finding.version = "1.0-1";
  finding.source_package = source;
  finding.source_version = "1.0-1";
  finding.layer_index = layer_index;
  finding.severity = bulwark::vulndb::Severity::kHigh;
  finding.severity_source = "distribution";
  finding.cvss_score = 7.5;
  finding.published = "2026-12-01T00:00:00Z";
  return finding;
}

// A Debian image of 3 layers on a registered base owning the first, with
// findings in the base, in the image's own layer and in an unknown layer.
Facts MakeFacts() {
  Facts facts;
  facts.image_id = Sha256Of("config");
  facts.names = {"registry.example.com/app:1.0", "ubuntu:22.04"};
  facts.scanned_at = "2026-12-04T12:00:00Z";
  facts.inventory.os.found = true;
  facts.inventory.os.id = "debian";
  facts.inventory.os.version_id = "12";
  std::vector<bulwark::Digest> chain = {Sha256Of("a"), Sha256Of("b"), Sha256Of("c")};
  bulwark::lineage::RegisteredImage base;
  base.image_id = Sha256Of("base");
  base.names = {"registry.example.com/base:1.0"};
  base.chain = {chain[0]};
  facts.lineage = bulwark::lineage::FindAncestors(chain, {base});

  bulwark::vulndb::MatchReport report;
  report.database.built_at = "2026-12-03T00:00:00Z";
  report.distro = "debian:12";
  report.distro_has_data = true;
  report.findings = {MakeFinding("CVE-2021-44228", "liblog4j2-java", "apache-log4j2", 0),
                     MakeFinding("CVE-2023-5678", "libssl3", "openssl", 2),
                     MakeFinding("DSA-5532-1", "openssl", "openssl", -1)};
  facts.vulnerabilities = report;
  return facts;
}

bool IsAdvisoryControl(std::string_view control) {
  return control == "vulnerabilities" || control == "blockedCves" || control == "advisoryData";
}

// Aborts unless the verdict of one policy is consistent: at least one control
// ran, the policy is compliant exactly when every control passed, and every
// listed exception names its line and reason. Without a database, every
// advisory control must fail.
void CheckVerdict(const bulwark::policy::Verdict& verdict, bool has_database) {
  if (verdict.policies.size() != 1) std::abort();
  const bulwark::policy::PolicyResult& result = verdict.policies[0];
  if (result.controls.empty()) std::abort();

  bool all_pass = true;
  for (const bulwark::policy::ControlResult& control : result.controls) {
    if (control.outcome == Outcome::kFail) all_pass = false;
    if (control.summary.empty()) std::abort();
    bool fails_closed = IsAdvisoryControl(control.control) && !has_database;
    if (fails_closed && control.outcome != Outcome::kFail) std::abort();
  }
  if (result.compliant != all_pass) std::abort();

  for (const auto& applied : result.applied_exceptions) {
    if (applied.line <= 0 || applied.reason.empty() || applied.finding_id.empty()) std::abort();
  }
  for (const auto& expired : result.expired_exceptions) {
    if (expired.line <= 0 || expired.reason.empty()) std::abort();
  }
  if (!has_database && !(result.applied_exceptions.empty() && result.expired_exceptions.empty())) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view document(reinterpret_cast<const char*>(data), size);

  auto policy = bulwark::policy::ParsePolicy(document, "fuzz.yaml");

  if (!policy.ok()) {
    bool named = policy.error().message().rfind("fuzz.yaml", 0) == 0;
    if (!named || policy.error().code() != bulwark::ErrorCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (policy->name.empty() || policy->document_sha256 != bulwark::Sha256Of(document)) {
    std::abort();
  }

  static const Facts kWithDatabase = MakeFacts();
  static const Facts kWithoutDatabase = [] {
    Facts facts = MakeFacts();
    facts.vulnerabilities.reset();
    return facts;
  }();
  CheckVerdict(bulwark::policy::Evaluate({*policy}, kWithDatabase), true);
  CheckVerdict(bulwark::policy::Evaluate({*policy}, kWithoutDatabase), false);
  return 0;
}
