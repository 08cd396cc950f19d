// Fuzzes CVSS vector checking and scoring: a score of any version is always
// 0.0 to 10.0 in tenths; a refusal names the vector.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "vulndb/cvss.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::vulndb;
  std::string_view vector(reinterpret_cast<const char*>(data), size);

  auto score = ScoreCvssVector(vector);

  if (!score.ok()) {
    if (score.error().code() != bulwark::ErrorCode::kInvalidArgument ||
        !score.error().message().starts_with("CVSS vector \"")) {
      __builtin_trap();
    }
    return 0;
  }
  double tenths = score->base_score * 10;
  if (!(score->base_score >= 0 && score->base_score <= 10) ||
      std::fabs(tenths - std::round(tenths)) > 1e-9) {
    __builtin_trap();
  }
  return 0;
}
