#include "testing/test_data.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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

FixtureDigests ReadFixtureDigests(const std::string& fixtures, const std::string& image) {
  FixtureDigests digests;
  std::ifstream listing(fixtures + "/manifest.txt");
  for (std::string line; std::getline(listing, line);) {
    std::istringstream words(line);
    std::string name, kind, digest;
    if (!(words >> name >> kind >> digest) || name != image) continue;
    if (kind == "manifest") digests.manifest = digest;
    if (kind == "config") digests.config = digest;
    if (kind == "diff_id") digests.diff_ids.push_back(digest);
  }
  return digests;
}

std::string IncompressibleBytes(size_t size) {
  std::string bytes;
  bytes.reserve(size);
  uint64_t state = 88172645463325252ull;  // xorshift64.
  while (bytes.size() < size) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    bytes.push_back(static_cast<char>(state & 0xff));
  }
  return bytes;
}

std::string MakeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "bulwark-test-XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  if (made == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  return pattern;
}

}  // namespace bulwark::testing
