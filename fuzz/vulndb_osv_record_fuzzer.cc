// Fuzzes the OSV importer on one JSON document (a record or an array of
// records) and feed detection on the same bytes. Neither may crash, hang or
// throw; errors name the input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/importer.h"
#include "vulndb/osv_importer.h"
#include "vulndb_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::vulndb;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fuzzing::CheckingSink sink;

  auto detected = DetectFeed(bytes, "fuzz.json");
  bulwark::Status imported =
      internal::ImportOsvJson(bytes, "fuzz.json", sink, fuzzing::FuzzLimits());

  if (!detected.ok()) fuzzing::Require(detected.error().message().starts_with("fuzz.json: "));
  if (!imported.ok()) fuzzing::RequireNamedError(imported.error(), "fuzz.json");
  return 0;
}
