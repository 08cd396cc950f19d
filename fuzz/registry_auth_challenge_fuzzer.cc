// Feeds arbitrary bytes to the WWW-Authenticate challenge parser, as a registry's 401 sends them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "registry/auth_challenge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  auto challenges = bulwark::registry::ParseChallenges(header);
  if (challenges.ok()) {
    for (const auto& challenge : *challenges) (void)challenge.Param("realm");
  }
  return 0;
}
