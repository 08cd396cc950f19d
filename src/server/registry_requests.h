// Parsers of the registry request bodies the server reads (untrusted bytes,
// issue #5): POST /api/v1/registries and POST /api/v1/images/pull. Internal
// to server/; declared here so that the request fuzzer can reach them.
#ifndef BULWARK_SERVER_REGISTRY_REQUESTS_H_
#define BULWARK_SERVER_REGISTRY_REQUESTS_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace bulwark::server::internal {

// A CA bundle is the largest field; a few certificates fit well within this.
inline constexpr size_t kMaxRegistryBodyBytes = 256 * 1024;
inline constexpr size_t kMaxNameBytes = 64;
inline constexpr size_t kMaxNames = 256;  // As many as an uploaded analysis may carry.

// POST /api/v1/registries: the registry to store and its password in clear,
// which the caller seals before storing.
struct RegistryRequest {
  store::StoredRegistry registry;
  std::string password;
};

// POST /api/v1/images/pull: {"registry", "reference", "names"?}.
struct PullRequest {
  std::string registry;
  std::string reference;
  std::vector<std::string> names;  // Normalised NAME:TAG references.
};

// Registry names go into paths and audit entries: 1 to 64 letters, digits,
// '.', '_' or '-', not starting with '.' or '-'. kInvalidArgument otherwise.
Status CheckRegistryName(const std::string& name);

// "HOST[:PORT]" from what an administrator wrote (that, or an http(s):// URL
// without a path). kInvalidArgument when it is no image reference's registry.
Result<std::string> RegistryHost(std::string url);

// Parse the bodies above. Errors: kLimitExceeded over kMaxRegistryBodyBytes or
// kMaxNames names, kCorruptInput when the body is not a JSON object,
// kInvalidArgument naming the field that is missing, unknown, of the wrong
// type or refused. Thread-safe; never throws.
Result<RegistryRequest> ParseRegistryRequest(std::string_view body);
Result<PullRequest> ParsePullRequest(std::string_view body);

// The names an image is registered under besides its own, from a JSON list:
// references without digests, normalised. Null is no names.
Result<std::vector<std::string>> NamesFrom(const nlohmann::json& list);

}  // namespace bulwark::server::internal

#endif  // BULWARK_SERVER_REGISTRY_REQUESTS_H_
