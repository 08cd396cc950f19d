// CVSS vectors: syntax checks and base scores, as the importers read them
// from advisory feeds.
#ifndef BULWARK_VULNDB_CVSS_H_
#define BULWARK_VULNDB_CVSS_H_

#include <cstddef>
#include <string_view>

#include "common/result.h"

namespace bulwark::vulndb {

enum class CvssVersion { kV2, kV3_0, kV3_1, kV4_0 };

// "2.0", "3.0", "3.1", "4.0".
std::string_view CvssVersionName(CvssVersion version);

// Longer vectors are refused before they are read; the longest valid v4
// vector with every optional metric is under 300 bytes.
inline constexpr size_t kMaxCvssVectorLength = 512;

// A checked vector and its base score.
struct CvssScore {
  CvssVersion version = CvssVersion::kV3_1;
  // The base score, 0.0 to 10.0 with one decimal, by the version's own
  // formula and rounding (for 4.0, CVSS-B: the macro vector table and its
  // interpolation).
  double base_score = -1;
};

// Checks `vector` and computes its base score. Accepted forms:
//   "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" (also "CVSS:3.1/", "CVSS:4.0/")
//   "AV:N/AC:L/Au:N/C:P/I:P/A:P" for 2.0, bare or as "(AV:...)" or "CVSS2#AV:...".
// Every base metric of the version must appear exactly once; temporal,
// threat, environmental and supplemental metrics may appear (each once, with
// a value the specification defines) and do not change the base score.
// Metrics may come in any order. kInvalidArgument naming the vector and the
// first problem otherwise (an unknown prefix, metric or value, a repeated or
// missing metric, a vector over kMaxCvssVectorLength). Thread-safe.
Result<CvssScore> ScoreCvssVector(std::string_view vector);

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_CVSS_H_
