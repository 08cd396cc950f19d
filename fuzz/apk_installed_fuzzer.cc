// Fuzzes the apk installed-database parser with arbitrary file contents.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/apk_cataloger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto packages = bulwark::catalog::ParseApkInstalled(text, "lib/apk/db/installed");

  if (!packages.ok()) return 0;
  for (const auto& package : *packages) {
    if (package.name.empty() || package.version.empty() || package.source_name.empty() ||
        package.ecosystem != "apk") {
      __builtin_trap();
    }
  }
  return 0;
}
