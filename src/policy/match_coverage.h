// Whether an advisory match covers the whole image, for the controls that
// gate on it. Internal to policy/.
#ifndef BULWARK_POLICY_MATCH_COVERAGE_H_
#define BULWARK_POLICY_MATCH_COVERAGE_H_

#include <string>
#include <vector>

#include "policy/verdict.h"

namespace bulwark::policy::internal {

// The evidence line every advisory control gives when no database was consulted.
inline constexpr char kNoDatabaseEvidence[] = "no advisory database was consulted";

// True when the image has something a release's advisory data would be needed
// for: an OS release (os-release found) or packages. An image with neither
// (scratch plus a static binary) has nothing to match.
bool NeedsReleaseData(const catalog::Inventory& inventory);

// Why the database has no data for the image's release, or "" when it has
// some (or the image needs none, see NeedsReleaseData). Requires
// facts.vulnerabilities. Reads, for example: "the advisory database has no
// data for debian:13" or "the image's OS (os-release ID \"arch\", VERSION_ID
// \"\") is not a distribution release Bulwark has advisory data for".
std::string ReleaseDataProblem(const Facts& facts);

// Why findings may be missing from the match.
struct MatchCoverage {
  // One line per reason: each inventory coverage gap, each package the
  // matcher could not compare, and a release without advisory data.
  std::vector<std::string> evidence;
  // The same, counted, for a summary: "1 package database could not be read,
  // 2 packages could not be matched". Empty when the match is complete.
  std::string summary;

  bool complete() const { return evidence.empty(); }
};

// Checks facts.vulnerabilities (which must be set) against the inventory.
// The vulnerabilities and blockedCves controls fail while it is incomplete:
// what was not matched may hold any advisory.
MatchCoverage CheckMatchCoverage(const Facts& facts);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_MATCH_COVERAGE_H_
