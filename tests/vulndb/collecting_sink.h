// Test helpers for the feed importers: a sink that keeps what it is given,
// and paths into the third-party vulndb data.
#ifndef BULWARK_TESTS_VULNDB_COLLECTING_SINK_H_
#define BULWARK_TESTS_VULNDB_COLLECTING_SINK_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testing/test_data.h"
#include "vulndb/importer.h"

namespace bulwark::vulndb::testing {

// Keeps every advisory and skipped record, in the order they came. With
// `fail_on_add` set, Add fails with it instead (for error propagation).
class CollectingSink : public AdvisorySink {
 public:
  Status Add(Advisory advisory) override {
    if (fail_on_add.has_value()) return *fail_on_add;
    advisories.push_back(std::move(advisory));
    return Ok();
  }
  void Skip(SkippedRecord skipped) override { this->skipped.push_back(std::move(skipped)); }

  // The advisories with `id` (several when a feed repeats an id).
  std::vector<const Advisory*> All(std::string_view id) const {
    std::vector<const Advisory*> found;
    for (const Advisory& advisory : advisories) {
      if (advisory.id == id) found.push_back(&advisory);
    }
    return found;
  }

  // The first advisory with `id`, or nullptr.
  const Advisory* Find(std::string_view id) const {
    std::vector<const Advisory*> found = All(id);
    return found.empty() ? nullptr : found.front();
  }

  // The statements of advisory `id` about `package` in `distro`.
  std::vector<const AffectedPackage*> Affected(std::string_view id, std::string_view distro,
                                               std::string_view package) const {
    std::vector<const AffectedPackage*> found;
    for (const Advisory* advisory : All(id)) {
      for (const AffectedPackage& affected : advisory->affected) {
        if (affected.distro == distro && affected.package == package) found.push_back(&affected);
      }
    }
    return found;
  }

  // Skipped records whose record contains `record` and whose reason contains `reason`.
  size_t CountSkipped(std::string_view record, std::string_view reason) const {
    size_t count = 0;
    for (const SkippedRecord& skip : skipped) {
      if (skip.record.find(record) != std::string::npos &&
          skip.reason.find(reason) != std::string::npos) {
        ++count;
      }
    }
    return count;
  }

  std::vector<Advisory> advisories;
  std::vector<SkippedRecord> skipped;
  std::optional<Error> fail_on_add;
};

// SharedDataDir()/vulndb/RELATIVE, or "" when the shared data is absent.
inline std::string VulndbData(std::string_view relative) {
  std::string shared = bulwark::testing::SharedDataDir();
  return shared.empty() ? "" : shared + "/vulndb/" + std::string(relative);
}

}  // namespace bulwark::vulndb::testing

// Skips the current test with a message when the shared data is absent.
#define BULWARK_REQUIRE_VULNDB_DATA()                                               \
  do {                                                                              \
    if (bulwark::testing::SharedDataDir().empty()) {                                \
      GTEST_SKIP() << "third-party data not found: set BULWARK_SHARED_DATA to the " \
                      "shared data directory (../shared/data) to run this test";    \
    }                                                                               \
  } while (0)

#endif  // BULWARK_TESTS_VULNDB_COLLECTING_SINK_H_
