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

namespace bulwark::policy {

// An entry of approvedBaseImages: a registered name (approves every image
// registered under it) or a pinned "name@sha256:..." (approves that digest only,
// matched against manifest digests and image ids).
struct ApprovedImage {
  std::string text;       // As written.
  std::string reference;  // Normalised name and tag, e.g. registry.example.com/base:1.0.
  std::optional<Digest> digest;
  int line = 0;
};

// An entry of blockedPackages / requiredPackages.
struct PackageRule {
  std::string name;
  std::optional<version::Constraint> version;  // In the package's own ordering.
  int line = 0;
};

enum class SuperuserRule { kUnset, kDeny, kAllow };

struct Policy {
  std::string name;
  std::string origin;        // File path or "store:NAME".
  std::string document;      // The text as loaded.
  Digest document_sha256;    // sha256 of `document`, for replaying a verdict.
  bool enforce = true;

  std::optional<std::vector<ApprovedImage>> approved_base_images;
  std::vector<PackageRule> blocked_packages;
  std::vector<PackageRule> required_packages;
  SuperuserRule superuser = SuperuserRule::kUnset;
  std::vector<std::string> labels_required;
  std::vector<std::string> labels_forbidden;
};

// Parses a policy document (YAML; JSON is YAML). Unknown keys, wrong types and
// bad values are refused with kInvalidArgument: "ORIGIN line N: reason".
Result<Policy> ParsePolicy(std::string_view document, std::string_view origin);

// Reads and parses a policy file (at most 1 MiB).
Result<Policy> LoadPolicyFile(const std::string& path);

// Refuses (kInvalidArgument) a policy that approves an image that is not
// registered: the message names the entry, the policy, and the command that
// registers it. A pinned digest must belong to an image registered under that name.
Status CheckApprovedImagesRegistered(const Policy& policy,
                                     const std::vector<lineage::RegisteredImage>& registered);

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_POLICY_H_
