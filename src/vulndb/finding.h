// Findings: advisories matched against the packages of one image.
#ifndef BULWARK_VULNDB_FINDING_H_
#define BULWARK_VULNDB_FINDING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "vulndb/advisory.h"

namespace bulwark::vulndb {

// One vulnerability in one installed package. Records of several sources (or
// several ids, e.g. UBUNTU-CVE-2022-37434 and CVE-2022-37434) about the same
// problem and package are merged into one finding. A notice that names several
// CVEs (a DSA, a USN) joins the finding of each CVE it names, so findings count
// vulnerabilities, not notices.
struct Finding {
  // The primary id: the CVE id when the records are or alias exactly one,
  // else the advisory id.
  std::string id;
  // Every other id it is known by (advisory ids, aliases), sorted, without `id`.
  std::vector<std::string> aliases;

  // The installed package, as catalogued.
  std::string ecosystem;  // "deb", "apk", "rpm".
  std::string package;
  std::string version;
  std::string architecture;
  std::string source_package;  // The name the advisory matched on.
  std::string source_version;  // The version that was compared.
  std::string db_path;         // The package database it was read from.
  int layer_index = -1;        // The layer that introduced the package; -1 unknown.

  FixState state = FixState::kNotFixed;  // Never kNotAffected.
  std::string fixed_version;             // For kFixed.

  Severity severity = Severity::kUnknown;
  // Where the severity came from: "distribution" (the feed's rating for the
  // release or the record), "cvss" (derived from the score), or "" (unknown).
  std::string severity_source;
  double cvss_score = -1;  // -1 when unknown.
  std::string cvss_vector;

  std::string published;  // RFC 3339 UTC, the earliest of the merged records; "".
  std::string summary;
  std::vector<std::string> references;
  // The names of the database sources whose records produced it, sorted.
  std::vector<std::string> sources;

  bool fixable() const { return state == FixState::kFixed; }
};

// What the advisory database was, as seen by one match.
struct SourceStatus {
  std::string name;         // As imported: the path or URL given to `db import`.
  std::string kind;         // "osv", "debian-tracker", "alpine-secdb".
  std::string imported_at;  // RFC 3339 UTC.
  int64_t records = 0;      // Advisories kept.
  int64_t skipped = 0;      // Records skipped, with reasons in the database.
  std::vector<std::string> distros;  // Distribution release keys with data from it.
};

struct DatabaseStatus {
  std::string path;
  int schema_version = 0;
  std::string built_at;  // RFC 3339 UTC of the last completed import.
  std::vector<SourceStatus> sources;
  // Every distribution release key with at least one record, sorted.
  std::vector<std::string> distros;
};

// The outcome of matching one image's inventory against the database.
struct MatchReport {
  DatabaseStatus database;
  std::string distro;           // The image's distribution release key ("" unknown).
  bool distro_has_data = false;  // The database has records for `distro`.
  std::vector<Finding> findings;  // Sorted by package, version, then id.
  // Packages that could not be matched (an ecosystem with no ordering, a
  // version the ordering refuses): "name version: reason". Reported as gaps.
  std::vector<std::string> unmatched;
};

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_FINDING_H_
