// Fuzzes policy::ParsePolicy with arbitrary bytes. It must never crash, hang
// or throw; it either parses or returns kInvalidArgument with an origin.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "policy/policy.h"

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
  return 0;
}
