// Fuzzes the os-release parser with arbitrary file contents.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/os_release_cataloger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto info = bulwark::catalog::ParseOsRelease(text, "etc/os-release");

  if (info.ok() && (!info->found || info->source_path != "etc/os-release")) __builtin_trap();
  return 0;
}
