// Fuzzes the Alpine secdb importer: JSON when the input starts with '{',
// YAML (yaml-cpp) otherwise, then the secfixes entry rules.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/alpine_secdb_importer.h"
#include "vulndb_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::vulndb;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fuzzing::CheckingSink sink;

  bulwark::Status imported =
      internal::ImportAlpineSecdb(bytes, "fuzz.yaml", sink, fuzzing::FuzzLimits());

  if (!imported.ok()) fuzzing::RequireNamedError(imported.error(), "fuzz.yaml");
  return 0;
}
