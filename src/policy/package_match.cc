#include "policy/package_match.h"

#include "policy/control.h"
#include "version/version.h"

namespace bulwark::policy::internal {

namespace {

// Debian and Alpine names are lower case by rule and rpm names are not, so a
// rule's name is compared without regard to ASCII case: a rule written
// "NetworkManager" or "Telnet" can never silently miss the package it names.
bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

}  // namespace

// LIMITATION(#2): rules match binary package names only, never source package
// names (`openssl` does not match `libssl3`); docs/policy.md says so.
RuleMatch MatchRule(const PackageRule& rule, const catalog::Package& package, std::string& reason) {
  if (!SameName(package.name, rule.name)) return RuleMatch::kNo;
  if (!rule.version.has_value()) return RuleMatch::kYes;

  auto ecosystem = version::ParseEcosystem(package.ecosystem);
  if (!ecosystem.ok()) {
    reason = "cannot compare versions in ecosystem \"" + package.ecosystem + "\"";
    return RuleMatch::kUndecided;
  }
  auto satisfied = version::Satisfies(*ecosystem, package.version, *rule.version);
  if (!satisfied.ok()) {
    reason = "cannot compare version: " + satisfied.error().message();
    return RuleMatch::kUndecided;
  }
  return *satisfied ? RuleMatch::kYes : RuleMatch::kNo;
}

std::string DescribePackage(const catalog::Package& package) {
  std::string text = package.name + " " + package.version + " (" + package.ecosystem;
  if (!package.architecture.empty()) text += ", " + package.architecture;
  return text + ")";
}

std::string DescribeRule(const PackageRule& rule) {
  std::string text = rule.name;
  if (rule.version.has_value()) text += " " + rule.version->text;
  return text + " (line " + std::to_string(rule.line) + ")";
}

std::string UnreadDatabases(const catalog::Inventory& inventory) {
  return CountOf(inventory.gaps.size(), "database", "databases") + " could not be read";
}

std::vector<std::string> GapEvidence(const catalog::Inventory& inventory) {
  std::vector<std::string> evidence;
  for (const catalog::CoverageGap& gap : inventory.gaps) {
    evidence.push_back("package database not read: " + gap.path + ": " + gap.reason);
  }
  return evidence;
}

}  // namespace bulwark::policy::internal
