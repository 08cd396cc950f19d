// Helpers shared by the test suites: paths to test data and temporary dirs.
#ifndef BULWARK_TESTS_TESTING_TEST_DATA_H_
#define BULWARK_TESTS_TESTING_TEST_DATA_H_

#include <cstddef>
#include <string>
#include <vector>

namespace bulwark::testing {

// The third-party data directory ($BULWARK_SHARED_DATA), or "" when it is
// absent. Tests that need it call GTEST_SKIP() with a message when "" .
std::string SharedDataDir();

// The real Debian fixture images built by tests/fixtures/make-images.sh
// ($BULWARK_FIXTURES), or "" when they were not built.
std::string FixturesDir();

// What tests/fixtures/make-images.sh recorded about one fixture image (with
// skopeo, an independent reader) in FIXTURES/manifest.txt.
struct FixtureDigests {
  std::string manifest;               // "sha256:..." of the OCI manifest.
  std::string config;                 // "sha256:..." of the config (the image id).
  std::vector<std::string> diff_ids;  // Bottom layer first.
};

// Reads FIXTURES/manifest.txt for `image` ("app-on-approved"). Empty fields
// when the file or the image is missing.
FixtureDigests ReadFixtureDigests(const std::string& fixtures, const std::string& image);

// `size` pseudo-random bytes (the same for the same size) that gzip cannot
// shrink: layer contents whose blobs stay as large as the files in them.
std::string IncompressibleBytes(size_t size);

// A fresh, empty directory under $TMPDIR, removed by the test's end only
// if the test passed (kept for inspection otherwise).
std::string MakeTempDir();

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_TEST_DATA_H_
