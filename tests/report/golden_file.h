// Golden-file comparison for report tests. Files live in tests/report/golden/
// and are rewritten only when BULWARK_UPDATE_GOLDEN=1.
#ifndef BULWARK_TESTS_REPORT_GOLDEN_FILE_H_
#define BULWARK_TESTS_REPORT_GOLDEN_FILE_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace bulwark::report::testing {

inline std::string GoldenPath(const std::string& file_name) {
  return std::string(BULWARK_SOURCE_DIR) + "/tests/report/golden/" + file_name;
}

// Expects `actual` to equal the golden file, or rewrites the file on request.
inline void ExpectMatchesGolden(const std::string& file_name, const std::string& actual) {
  std::string path = GoldenPath(file_name);
  const char* update = std::getenv("BULWARK_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    SUCCEED() << "rewrote " << path;
    return;
  }

  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file.good()) << path << " is missing; run with BULWARK_UPDATE_GOLDEN=1";
  std::stringstream expected;
  expected << file.rdbuf();

  EXPECT_EQ(actual, expected.str()) << "differs from " << path
                                    << "; if the change is intended, rerun with "
                                       "BULWARK_UPDATE_GOLDEN=1 and review the diff";
}

}  // namespace bulwark::report::testing

#endif  // BULWARK_TESTS_REPORT_GOLDEN_FILE_H_
