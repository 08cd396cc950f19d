// Fuzzes scan::DecodeAnalysis, the parser of the analysis a CI client uploads
// to the server (POST /api/v1/scans and /api/v1/images). It must never crash,
// hang or throw; it decodes or fails with kInvalidArgument or kLimitExceeded.
// A decoded analysis must be consistent (config hash, one summary per
// diff_id) and must survive an encode and decode unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scan/analysis_codec.h"

namespace {

void Require(bool condition) {
  if (!condition) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto analysis = bulwark::scan::DecodeAnalysis(text);

  if (!analysis.ok()) {
    auto code = analysis.error().code();
    Require(code == bulwark::ErrorCode::kInvalidArgument ||
            code == bulwark::ErrorCode::kLimitExceeded);
    return 0;
  }
  Require(bulwark::Sha256Of(analysis->image.config_json) == analysis->image.image_id);
  Require(analysis->layers.size() == analysis->image.config.diff_ids.size());
  Require(analysis->image.layers.size() == analysis->layers.size());
  auto again = bulwark::scan::DecodeAnalysis(bulwark::scan::EncodeAnalysis(*analysis));
  Require(again.ok());
  Require(again->image.image_id == analysis->image.image_id);
  Require(again->inventory.packages.size() == analysis->inventory.packages.size());
  return 0;
}
