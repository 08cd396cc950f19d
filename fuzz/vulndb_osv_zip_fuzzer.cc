// Fuzzes the OSV zip export reader (libarchive's streaming zip reader, the
// member limits, then the record importer on each member).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/osv_importer.h"
#include "vulndb_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::vulndb;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fuzzing::CheckingSink sink;

  bulwark::Status imported =
      internal::ImportOsvZipBytes(bytes, "fuzz.zip", sink, fuzzing::FuzzLimits());

  if (!imported.ok()) fuzzing::RequireNamedError(imported.error(), "fuzz.zip");
  return 0;
}
