// Fuzzes the rpm header parser with arbitrary header blobs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/rpm_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view blob(reinterpret_cast<const char*>(data), size);

  auto fields = bulwark::catalog::ParseRpmHeader(blob, "header");

  if (!fields.ok()) return 0;
  // A header that parses always names a package with a version and release.
  if (fields->name.empty() || fields->version.empty() || fields->release.empty()) {
    __builtin_trap();
  }
  return 0;
}
