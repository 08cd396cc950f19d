// Feeds arbitrary bytes to the token answer parser, as a token endpoint sends them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "registry/auth_challenge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)bulwark::registry::ParseTokenResponse(body);
  return 0;
}
