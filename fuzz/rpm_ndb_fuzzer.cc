// Fuzzes the ndb reader with arbitrary Packages.db files, and the header
// parser with every blob it returns.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "catalog/rpm_ndb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  auto blobs = bulwark::catalog::ReadRpmNdb(bytes, "usr/lib/sysimage/rpm/Packages.db");

  if (!blobs.ok()) return 0;
  size_t total = 0;
  for (const auto& blob : *blobs) {
    if (blob.number == 0) __builtin_trap();
    total += blob.bytes.size();
    (void)bulwark::catalog::ParseRpmHeader(blob.bytes, "header");
  }
  // Blobs never overlap, so together they are smaller than the file.
  if (total > size) __builtin_trap();
  return 0;
}
