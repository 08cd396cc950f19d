// The advisory model: what a feed says about one vulnerability, normalised
// across OSV, the Debian security tracker and Alpine secdb.
#ifndef BULWARK_VULNDB_ADVISORY_H_
#define BULWARK_VULNDB_ADVISORY_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "version/version.h"

namespace bulwark::vulndb {

// Severity levels, lowest first. The order of the enumerators is the order of
// severities ("at or above high" compares them).
enum class Severity { kUnknown, kNegligible, kLow, kMedium, kHigh, kCritical };

// "unknown", "negligible", "low", "medium", "high", "critical".
std::string_view SeverityName(Severity severity);

// Reads a severity as feeds and policies write it, case-insensitively: the
// names above, plus "moderate" (medium), "important" (high), "unimportant"
// (negligible), "none" (negligible). kInvalidArgument naming the text otherwise.
Result<Severity> ParseSeverity(std::string_view text);

// The qualitative rating of a CVSS v3/v4 base score (0.0 none -> negligible,
// 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical).
Severity SeverityFromCvss(double score);

// What the distribution says about a package and a vulnerability.
enum class FixState {
  kFixed,        // Fixed in a version: versions below it are affected.
  kNotFixed,     // Affected, no fix published yet.
  kWontFix,      // Affected, and the distribution has said it will not fix it.
  kNotAffected,  // This release's package is not affected: never a finding.
};

// "fixed", "not_fixed", "wont_fix", "not_affected".
std::string_view FixStateName(FixState state);
// The inverse of FixStateName; kInvalidArgument otherwise.
Result<FixState> ParseFixState(std::string_view text);

// One version interval of an affected package, in the package's own ordering:
// affected from `introduced` (empty or "0": from the first version) up to but
// not including `fixed`, or up to and including `last_affected`. Both empty:
// every version from `introduced` on.
struct VersionRange {
  std::string introduced;
  std::string fixed;
  std::string last_affected;
  // OSV's "limit": versions at or above it are outside the range, whatever
  // its other bounds say; "" for none. (Initialised so that the three-bound
  // aggregates the other feeds build need not name it.)
  std::string limit = {};

  friend bool operator==(const VersionRange&, const VersionRange&) = default;
};

// One statement of an advisory about one package in one distribution release.
struct AffectedPackage {
  // The distribution release key (vulndb/distro.h): "debian:12", "ubuntu:20.04",
  // "alpine:3.20", "rhel:9", "rocky:9", "almalinux:9", "sles:15.5",
  // "opensuse-leap:15.5".
  std::string distro;
  // The package name as the feed keys it: the source package for Debian,
  // Ubuntu (dpkg Source:) and Alpine (apk origin); the binary or source rpm
  // name for rpm feeds.
  std::string package;
  version::Ecosystem ecosystem = version::Ecosystem::kDeb;
  FixState state = FixState::kNotFixed;
  // For kFixed: the intervals that are affected. For kNotFixed and kWontFix
  // with no ranges and no versions: every version is affected.
  std::vector<VersionRange> ranges;
  // Versions listed one by one as affected (OSV "versions"), in addition to ranges.
  std::vector<std::string> versions;
  // For kFixed: the version that fixes it (the lowest "fixed" of the ranges), for reports.
  std::string fixed_version;
  // The distribution's own rating for this release (Debian urgency, Ubuntu
  // priority, Red Hat impact), kUnknown when the feed gives none.
  Severity severity = Severity::kUnknown;

  friend bool operator==(const AffectedPackage&, const AffectedPackage&) = default;
};

// One advisory record.
struct Advisory {
  std::string id;                    // "CVE-2022-37434", "UBUNTU-CVE-2022-37434", "DSA-3029-1".
  std::vector<std::string> aliases;  // Other ids for the same problem (OSV aliases, upstream).
  std::string summary;               // One line; at most 1 KiB after import.
  std::string published;             // RFC 3339 UTC; "" when unknown.
  std::string modified;              // RFC 3339 UTC; "" when unknown.
  // The distribution-wide rating when the record has one; AffectedPackage's
  // rating, when set, wins for that release.
  Severity severity = Severity::kUnknown;
  double cvss_score = -1;   // CVSS base score 0..10; -1 when unknown.
  std::string cvss_vector;  // "CVSS:3.1/AV:N/..." when given.
  std::vector<std::string> references;  // URLs, at most 16 kept.
  std::vector<AffectedPackage> affected;

  friend bool operator==(const Advisory&, const Advisory&) = default;
};

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_ADVISORY_H_
