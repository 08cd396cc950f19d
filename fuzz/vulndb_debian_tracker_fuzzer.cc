// Fuzzes the Debian security tracker importer (nlohmann-json's SAX parser
// driven through the tracker's document shape, with its byte limits).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/byte_stream.h"
#include "vulndb/debian_tracker_importer.h"
#include "vulndb_fuzz_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::vulndb;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  bulwark::MemoryStream stream(bytes);
  fuzzing::CheckingSink sink;
  FeedLimits limits = fuzzing::FuzzLimits();
  limits.max_record_bytes = 4096;  // Reached by inputs the fuzzer makes.

  bulwark::Status imported = internal::ImportDebianTracker(stream, "fuzz.json", sink, limits);

  if (!imported.ok()) fuzzing::RequireNamedError(imported.error(), "fuzz.json");
  return 0;
}
