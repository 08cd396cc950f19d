#include "testing/test_data.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace bulwark::testing {
namespace {

std::string ExistingDirFromEnv(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return "";
  std::error_code error;
  if (!std::filesystem::is_directory(value, error)) return "";
  return value;
}

}  // namespace

std::string SharedDataDir() { return ExistingDirFromEnv("BULWARK_SHARED_DATA"); }

std::string FixturesDir() { return ExistingDirFromEnv("BULWARK_FIXTURES"); }

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bulwark-test-XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  if (made == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  return pattern;
}

}  // namespace bulwark::testing
