// Feeds arbitrary bytes to the Docker config.json parser, then looks credentials up in it,
// and to the parser of a credential helper's answer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "registry/credential_helper.h"
#include "registry/docker_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto config = bulwark::registry::ParseDockerConfig(json, "config.json");
  if (config.ok()) {
    for (const char* registry : {"docker.io", "localhost:5000", "registry.example.com"}) {
      (void)bulwark::registry::FindCredential(*config, registry);
      (void)bulwark::registry::HelperFor(*config, registry);
    }
  }
  (void)bulwark::registry::ParseHelperOutput(json, "fuzz");
  return 0;
}
