// Policy documents: the model and the YAML/JSON parser.
#ifndef BULWARK_POLICY_POLICY_H_
#define BULWARK_POLICY_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/digest.h"
#include "common/result.h"
#include "lineage/lineage.h"
#include "version/version.h"
#include "vulndb/advisory.h"

namespace bulwark::policy {

// An entry of approvedBaseImages: a registered name (approves every image
// registered under it) or a pinned "name[:tag]@sha256:..." (approves that digest
// only, matched against manifest digests and image ids, and only when the image
// is also registered under that name; without a tag, under any tag of the
// repository).
struct ApprovedImage {
  std::string text;       // As written.
  std::string reference;  // Normalised name and tag, e.g. registry.example.com/base:1.0;
                          // just the name for a pinned entry without a tag.
  std::string name;       // Normalised "registry/repository".
  std::string tag;        // Empty only for a pinned entry written without a tag.
  std::optional<Digest> digest;
  int line = 0;  // 1-based line in the policy document.
};

// An entry of blockedPackages / requiredPackages.
struct PackageRule {
  std::string name;
  std::optional<version::Constraint> version;  // In the package's own ordering.
  int line = 0;
};

enum class SuperuserRule { kUnset, kDeny, kAllow };

// The vulnerabilities control: which findings fail the image.
struct VulnerabilityRule {
  // Fail on a finding at or above this severity (kUnknown counts as the
  // lowest); unset with max_cvss unset means any finding fails.
  std::optional<vulndb::Severity> fail_on;
  // Fail on a finding whose CVSS base score is above this (0 to below 10).
  // With both set, a finding fails when it reaches either; one without a
  // score is judged by fail_on, or fails when fail_on is unset.
  std::optional<double> max_cvss;
  bool fixable_only = false;       // Count only findings with a fixed version.
  bool ignore_base_image = false;  // Count only findings from layers above the base.
  int grace_period_days = 0;       // Advisories published fewer days ago do not count.
  int line = 0;
};

// An entry of blockedCves / allowedCves: a vulnerability id (CVE, GHSA, a
// distribution advisory id), matched against a finding's id and aliases.
struct CveRule {
  std::string id;
  int line = 0;
};

// The advisoryData control.
struct AdvisoryDataRule {
  std::optional<int> max_age_days;  // Fail when the database was built longer ago.
  bool require_distro_data = true;  // Fail when it has no data for the image's release.
  int line = 0;
};

// An exception: findings it matches do not count for vulnerabilities and
// blockedCves until it expires. Every field of the scope that is set must
// match; at least one of packages and advisories is set.
struct PolicyException {
  std::string reason;                 // Mandatory, shown in every report.
  std::string expires;                // "YYYY-MM-DD": applies through the end of that day, UTC.
  std::vector<std::string> images;    // Glob patterns (* and ?) on image names, as written
                                      // or normalised.
  std::vector<std::string> packages;  // Package names (binary or source).
  std::vector<std::string> advisories;  // Vulnerability ids (id or alias).
  int line = 0;
};

struct Policy {
  std::string name;
  std::string origin;      // File path or "store:NAME".
  std::string document;    // The text as loaded.
  Digest document_sha256;  // sha256 of `document`, for replaying a verdict.
  bool enforce = true;

  std::optional<std::vector<ApprovedImage>> approved_base_images;
  std::vector<PackageRule> blocked_packages;
  std::vector<PackageRule> required_packages;
  SuperuserRule superuser = SuperuserRule::kUnset;
  std::vector<std::string> labels_required;
  std::vector<std::string> labels_forbidden;

  std::optional<VulnerabilityRule> vulnerabilities;
  std::vector<CveRule> blocked_cves;
  std::vector<CveRule> allowed_cves;
  std::optional<AdvisoryDataRule> advisory_data;
  std::vector<PolicyException> exceptions;

  // True when a control needs the advisory database (vulnerabilities,
  // blockedCves, advisoryData).
  bool NeedsAdvisories() const {
    return vulnerabilities.has_value() || !blocked_cves.empty() || advisory_data.has_value();
  }
};

// Parses a policy document (YAML; JSON is YAML); docs/policy.md is the schema.
// Unknown keys, duplicate keys, wrong types and bad values (references, version
// constraints) are refused with kInvalidArgument: "ORIGIN line N: PATH: reason";
// YAML syntax errors likewise name the origin and line. Documents over 1 MiB and
// streams of several documents are refused (kInvalidArgument). An empty origin
// reads as "policy". Thread-safe; never throws.
Result<Policy> ParsePolicy(std::string_view document, std::string_view origin);

// Reads and parses a policy file (at most 1 MiB); the origin is `path`.
// kNotFound when it does not exist, kInvalidArgument for a directory, kIo when it
// cannot be opened (with the system's reason) or read, else as ParsePolicy.
Result<Policy> LoadPolicyFile(const std::string& path);

// True when `approved` approves the registered `image`: the image is registered
// under the approved name and, for a pinned entry, has that digest as its image
// id or one of its manifest digests.
bool Approves(const ApprovedImage& approved, const lineage::RegisteredImage& image);

// Refuses (kInvalidArgument) a policy that approves an image that is not
// registered: the message names the entry, the policy, and the command that
// registers it, one line per such entry. A pinned digest must belong to an
// image registered under that name.
Status CheckApprovedImagesRegistered(const Policy& policy,
                                     const std::vector<lineage::RegisteredImage>& registered);

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_POLICY_H_
