// Fuzzes the dpkg status parser with arbitrary file contents.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/dpkg_cataloger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto packages = bulwark::catalog::ParseDpkgStatus(text, "var/lib/dpkg/status");

  if (!packages.ok()) return 0;
  for (const auto& package : *packages) {
    // Every listed package must have what the contract promises.
    if (package.name.empty() || package.version.empty() || package.source_name.empty() ||
        package.source_version.empty() || package.ecosystem != "deb") {
      __builtin_trap();
    }
  }
  return 0;
}
