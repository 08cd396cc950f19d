// Fuzzes the Berkeley DB reader with arbitrary Packages files, and the
// header parser with every blob it returns.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/rpm_bdb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  auto blobs = bulwark::catalog::ReadRpmBerkeleyDb(bytes, "var/lib/rpm/Packages");

  if (!blobs.ok()) return 0;
  size_t total = 0;
  for (const auto& blob : *blobs) {
    // Key 0 is never a header, and no value is stored twice.
    if (blob.number == 0) __builtin_trap();
    total += blob.bytes.size();
    (void)bulwark::catalog::ParseRpmHeader(blob.bytes, "header");
  }
  if (total > size) __builtin_trap();
  return 0;
}
