#include "scan/store_queries.h"

#include "image/reference.h"

namespace bulwark::scan {

Result<std::vector<lineage::RegisteredImage>> FindRegistered(store::Store& store,
                                                             const std::string& name_or_id) {
  BULWARK_ASSIGN_OR_RETURN(auto images, store.ListImages());
  std::string hex = name_or_id.rfind("sha256:", 0) == 0 ? name_or_id.substr(7) : name_or_id;
  bool looks_like_id =
      hex.size() >= 6 && hex.find_first_not_of("0123456789abcdef") == std::string::npos;

  std::vector<lineage::RegisteredImage> found;
  if (looks_like_id) {
    for (const auto& image : images) {
      if (image.image_id.hex().rfind(hex, 0) == 0) found.push_back(image);
    }
    if (!found.empty()) return found;
  }
  auto reference = image::Reference::Parse(name_or_id);
  if (!reference.ok() && !looks_like_id) return reference.error();
  if (reference.ok()) {
    for (const auto& image : images) {
      for (const std::string& name : image.names) {
        if (name == reference->NameAndTag()) {
          found.push_back(image);
          break;
        }
      }
    }
  }
  // The user named something that is not there: a usage error (exit 2).
  if (found.empty()) {
    return Error(ErrorCode::kInvalidArgument, "no registered image named or with id \"" +
                                                  name_or_id + "\"; see: bulwark image list");
  }
  return found;
}

Result<std::vector<policy::Policy>> LoadPolicies(store::Store& store,
                                                 const std::vector<std::string>& files) {
  std::vector<policy::Policy> policies;
  if (!files.empty()) {
    for (const std::string& file : files) {
      auto policy = policy::LoadPolicyFile(file);
      // A policy that cannot be read is a configuration error (exit 2), whatever the cause.
      if (!policy.ok()) return Error(ErrorCode::kInvalidArgument, policy.error().message());
      policies.push_back(std::move(policy).value());
    }
  } else {
    BULWARK_ASSIGN_OR_RETURN(auto stored, store.ListPolicies());
    for (const store::StoredPolicy& entry : stored) {
      BULWARK_ASSIGN_OR_RETURN(policy::Policy policy,
                               policy::ParsePolicy(entry.document, "store:" + entry.name));
      policies.push_back(std::move(policy));
    }
  }
  // Two documents with one name would be reported, and stored, as one.
  for (size_t i = 0; i < policies.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (policies[i].name != policies[j].name) continue;
      return Error(ErrorCode::kInvalidArgument,
                   "policies " + policies[j].origin + " and " + policies[i].origin +
                       " are both named \"" + policies[i].name +
                       "\"; give each policy its own name (or pass the file once)");
    }
  }
  BULWARK_ASSIGN_OR_RETURN(auto registered, store.ListImages());
  for (const policy::Policy& policy : policies) {
    BULWARK_TRY(policy::CheckApprovedImagesRegistered(policy, registered));
  }
  return policies;
}

}  // namespace bulwark::scan
