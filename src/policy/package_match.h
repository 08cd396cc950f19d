// Matching installed packages against package rules. Internal to policy/.
#ifndef BULWARK_POLICY_PACKAGE_MATCH_H_
#define BULWARK_POLICY_PACKAGE_MATCH_H_

#include <string>
#include <vector>

#include "catalog/inventory.h"
#include "policy/policy.h"

namespace bulwark::policy::internal {

enum class RuleMatch {
  kNo,         // Another package, or a version outside the constraint.
  kYes,        // Same binary package name and the version satisfies the constraint.
  kUndecided,  // Same name, but the version could not be compared (see `reason`).
};

// Compares one installed package with one rule. The rule names a binary
// package (dpkg Package:, apk P:), never a source package. Its version
// constraint is evaluated in the package's own ecosystem. On kUndecided,
// `reason` says why (unknown ecosystem, invalid version).
RuleMatch MatchRule(const PackageRule& rule, const catalog::Package& package, std::string& reason);

// "openssl 3.0.9-1 (deb, amd64)".
std::string DescribePackage(const catalog::Package& package);

// "openssl < 3.0.11-1~deb12u2 (line 9)" or "telnet (line 8)".
std::string DescribeRule(const PackageRule& rule);

// "2 databases could not be read", for the summary of a package control when
// `inventory.gaps` is not empty. The package controls fail while it is: what
// was not read may hold any package.
std::string UnreadDatabases(const catalog::Inventory& inventory);

// One evidence line per coverage gap:
// "package database not read: var/lib/dpkg/status: REASON".
std::vector<std::string> GapEvidence(const catalog::Inventory& inventory);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_PACKAGE_MATCH_H_
