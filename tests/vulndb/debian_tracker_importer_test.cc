#include "vulndb/debian_tracker_importer.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "common/byte_stream.h"
#include "testing/test_data.h"
#include "vulndb/collecting_sink.h"

namespace bulwark::vulndb {
namespace {

using internal::ImportDebianTracker;
using internal::ImportDebianTrackerFile;
using testing::CollectingSink;
using testing::VulndbData;

constexpr char kSample[] = "debian/security-tracker-json-sample/debian.json";

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

class DebianTrackerImporter : public ::testing::Test {
 protected:
  void SetUp() override { BULWARK_REQUIRE_VULNDB_DATA(); }

  Status ImportBytes(std::string_view bytes, const FeedLimits& limits = {}) {
    MemoryStream stream(bytes);
    return ImportDebianTracker(stream, "debian.json", sink_, limits);
  }

  // The real sample, changed by `edit`, imported from memory.
  Status ImportEdited(void (*edit)(nlohmann::json&)) {
    nlohmann::json document = nlohmann::json::parse(ReadFile(VulndbData(kSample)));
    edit(document);
    return ImportBytes(document.dump());
  }

  const AffectedPackage* One(std::string_view id, std::string_view distro,
                             std::string_view package) {
    auto found = sink_.Affected(id, distro, package);
    EXPECT_EQ(found.size(), 1u) << id << " " << distro << " " << package;
    return found.size() == 1 ? found[0] : nullptr;
  }

  CollectingSink sink_;
};

TEST_F(DebianTrackerImporter, ReadsEveryEntryOfTheRealSample) {
  Status imported = ImportDebianTrackerFile(VulndbData(kSample), sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  std::vector<std::string> ids;
  for (const Advisory& advisory : sink_.advisories) ids.push_back(advisory.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"CVE-2008-7220", "CVE-2007-2383", "CVE-2013-1444",
                                           "CVE-2005-3111", "CVE-2022-0456", "CVE-2025-53603"}));
  ASSERT_EQ(sink_.skipped.size(), 1u);
  EXPECT_EQ(sink_.skipped[0].record, "CVE-2022-0358 (chromium-browser)");
  EXPECT_EQ(sink_.skipped[0].reason, "no releases listed");
}

TEST_F(DebianTrackerImporter, MapsResolvedVersionsToFixesPerRelease) {
  Status imported = ImportDebianTrackerFile(VulndbData(kSample), sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  const AffectedPackage* bullseye = One("CVE-2022-0456", "debian:11", "chromium");
  ASSERT_NE(bullseye, nullptr);
  EXPECT_EQ(bullseye->state, FixState::kFixed);
  EXPECT_EQ(bullseye->fixed_version, "98.0.4758.80-1~deb11u1");
  EXPECT_EQ(bullseye->ranges, (std::vector<VersionRange>{{"", "98.0.4758.80-1~deb11u1", ""}}));
  EXPECT_EQ(bullseye->severity, Severity::kUnknown) << "not yet assigned";
  const AffectedPackage* trixie = One("CVE-2025-53603", "debian:13", "sope");
  ASSERT_NE(trixie, nullptr);
  EXPECT_EQ(trixie->fixed_version, "5.12.1-2");
  const AffectedPackage* sid = One("CVE-2008-7220", "debian:sid", "prototypejs");
  ASSERT_NE(sid, nullptr);
  EXPECT_EQ(sid->fixed_version, "1.6.0.2-1");
  EXPECT_EQ(sid->severity, Severity::kHigh) << "high** is high";
  EXPECT_EQ(sink_.Find("CVE-2008-7220")->affected.size(), 4u);
}

TEST_F(DebianTrackerImporter, MapsFixedVersionZeroToNotAffected) {
  Status imported = ImportDebianTrackerFile(VulndbData(kSample), sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  const Advisory* advisory = sink_.Find("CVE-2007-2383");
  ASSERT_NE(advisory, nullptr);
  ASSERT_EQ(advisory->affected.size(), 4u);
  for (const AffectedPackage& affected : advisory->affected) {
    SCOPED_TRACE(affected.distro);
    EXPECT_EQ(affected.state, FixState::kNotAffected);
    EXPECT_TRUE(affected.ranges.empty());
    EXPECT_EQ(affected.severity, Severity::kNegligible) << "unimportant";
  }
}

TEST_F(DebianTrackerImporter, MapsOpenEndOfLifeReleasesToWillNotFix) {
  Status imported = ImportDebianTrackerFile(VulndbData(kSample), sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  for (const char* release : {"debian:9", "debian:10"}) {
    SCOPED_TRACE(release);
    const AffectedPackage* affected = One("CVE-2022-0456", release, "chromium");
    ASSERT_NE(affected, nullptr);
    EXPECT_EQ(affected->state, FixState::kWontFix);
    EXPECT_EQ(affected->severity, Severity::kUnknown);
  }
}

TEST_F(DebianTrackerImporter, KeepsTheDescriptionUrgencyAndLinks) {
  Status imported = ImportDebianTrackerFile(VulndbData(kSample), sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  const Advisory* advisory = sink_.Find("CVE-2013-1444");
  ASSERT_NE(advisory, nullptr);
  EXPECT_EQ(advisory->summary.rfind("A certain Debian patch for txt2man 1.5.5", 0), 0u);
  EXPECT_EQ(advisory->references,
            (std::vector<std::string>{"https://security-tracker.debian.org/tracker/CVE-2013-1444",
                                      "https://bugs.debian.org/724614"}));
  EXPECT_EQ(One("CVE-2013-1444", "debian:8", "txt2man")->severity, Severity::kLow);
  EXPECT_EQ(One("CVE-2005-3111", "debian:9", "backupninja")->severity, Severity::kMedium);
}

TEST_F(DebianTrackerImporter, MapsOpenStatesByTheirNoDsaReason) {
  // CVE-2022-0456's bullseye entry rewritten in each open form the tracker writes.
  Status imported = ImportEdited([](nlohmann::json& d) {
    auto& releases = d["chromium"]["CVE-2022-0456"]["releases"];
    releases["bullseye"] = {{"status", "open"},
                            {"urgency", "low"},
                            {"nodsa", "Minor issue"},
                            {"nodsa_reason", "ignored"}};
    releases["bookworm"] = {{"status", "open"},
                            {"urgency", "medium"},
                            {"nodsa", "Minor issue"},
                            {"nodsa_reason", "postponed"}};
    releases["trixie"] = {
        {"status", "open"}, {"urgency", "high*"}, {"nodsa", "Minor issue"}, {"nodsa_reason", ""}};
    releases["forky"] = {{"status", "undetermined"}, {"urgency", "not yet assigned"}};
  });

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(One("CVE-2022-0456", "debian:11", "chromium")->state, FixState::kWontFix);
  EXPECT_EQ(One("CVE-2022-0456", "debian:12", "chromium")->state, FixState::kNotFixed);
  EXPECT_EQ(One("CVE-2022-0456", "debian:13", "chromium")->state, FixState::kNotFixed);
  EXPECT_EQ(One("CVE-2022-0456", "debian:13", "chromium")->severity, Severity::kHigh);
  EXPECT_EQ(One("CVE-2022-0456", "debian:14", "chromium")->state, FixState::kNotFixed);
}

TEST_F(DebianTrackerImporter, KeepsTemporaryIdsAsIds) {
  Status imported = ImportEdited([](nlohmann::json& d) {
    d["txt2man"]["TEMP-0000000-2A4F5C"] = d["txt2man"]["CVE-2013-1444"];
  });

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(One("TEMP-0000000-2A4F5C", "debian:10", "txt2man")->fixed_version, "1.5.5-4.1");
}

TEST_F(DebianTrackerImporter, SkipsReleasesItCannotUseWithTheReason) {
  Status imported = ImportEdited([](nlohmann::json& d) {
    auto& releases = d["sope"]["CVE-2025-53603"]["releases"];
    releases["hamster"] = releases["sid"];
    releases["bullseye"]["status"] = "claimed";
    releases["bookworm"].erase("fixed_version");
    releases["trixie"]["fixed_version"] = "5.12.1-";
  });

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(sink_.CountSkipped("CVE-2025-53603 (sope, hamster)", "unknown Debian codename"), 1u);
  EXPECT_EQ(sink_.CountSkipped("CVE-2025-53603 (sope, bullseye)",
                               "status \"claimed\" is not resolved, open or undetermined"),
            1u);
  EXPECT_EQ(sink_.CountSkipped("CVE-2025-53603 (sope, bookworm)", "without a fixed_version"), 1u);
  EXPECT_EQ(sink_.CountSkipped("CVE-2025-53603 (sope, trixie)", "5.12.1-"), 1u);
  EXPECT_EQ(sink_.Find("CVE-2025-53603")->affected.size(), 1u) << "only sid is left";
}

TEST_F(DebianTrackerImporter, RefusesDocumentsShapedUnlikeTheTrackersNamingTheEntry) {
  struct Case {
    const char* name;
    void (*edit)(nlohmann::json&);
    const char* message;
  };
  const Case cases[] = {
      {"status a number",
       [](nlohmann::json& d) {
         d["chromium"]["CVE-2022-0456"]["releases"]["buster"]["status"] = 3;
       },
       "debian.json: chromium CVE-2022-0456: buster status is not a string"},
      {"entry a string", [](nlohmann::json& d) { d["txt2man"]["CVE-2013-1444"] = "fixed"; },
       "debian.json: txt2man: a value that is a string, not an object"},
      {"releases a non-empty array",
       [](nlohmann::json& d) { d["sope"]["CVE-2025-53603"]["releases"] = {"bookworm"}; },
       "debian.json: sope CVE-2025-53603: a non-empty array where an object is expected"},
      {"root an array", [](nlohmann::json& d) { d = nlohmann::json::array({d}); },
       "debian.json: the document: not a tracker document: the root is an array"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    sink_ = CollectingSink();

    Status imported = ImportEdited(c.edit);

    ASSERT_FALSE(imported.ok());
    EXPECT_EQ(imported.error().code(), ErrorCode::kCorruptInput);
    EXPECT_EQ(imported.error().message(), c.message);
  }
}

TEST_F(DebianTrackerImporter, RefusesTruncatedJsonNamingWhereItStopped) {
  std::string bytes = ReadFile(VulndbData(kSample));
  bytes.resize(bytes.find("\"chromium\""));

  Status imported = ImportBytes(bytes);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(imported.error().message().find("debian.json: "), std::string::npos);
  EXPECT_NE(imported.error().message().find("invalid JSON"), std::string::npos)
      << imported.error().message();
  EXPECT_EQ(sink_.advisories.size(), 4u) << "entries before the cut were read";
}

TEST_F(DebianTrackerImporter, RefusesAnEntryOverTheRecordLimit) {
  FeedLimits limits;
  limits.max_record_bytes = 300;

  Status imported = ImportBytes(ReadFile(VulndbData(kSample)), limits);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(imported.error().message(),
            "debian.json: prototypejs CVE-2008-7220: entry larger than max_record_bytes (300 "
            "bytes)");
}

TEST_F(DebianTrackerImporter, RefusesADocumentOverTheFileLimit) {
  FeedLimits limits;
  limits.max_file_bytes = 4096;

  Status imported = ImportBytes(ReadFile(VulndbData(kSample)), limits);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(imported.error().message(), "debian.json: larger than max_file_bytes (4096 bytes)");
}

// Counts without keeping, so the memory measured is the importer's own.
class CountingSink : public AdvisorySink {
 public:
  Status Add(Advisory advisory) override {
    ++added;
    affected += advisory.affected.size();
    return Ok();
  }
  void Skip(SkippedRecord) override { ++skipped; }
  size_t added = 0;
  size_t affected = 0;
  size_t skipped = 0;
};

// Resets the peak resident set size of this process (Linux 4.0 and later).
bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  return static_cast<bool>(clear.flush());
}

// VmHWM or VmRSS from /proc/self/status, in KiB; -1 when unreadable.
long StatusKib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// A document shaped like the real one: the sample's chromium entry under
// many packages and ids, written straight to a file.
std::string WriteSyntheticDocument(const std::string& path, size_t target_bytes, size_t* entries) {
  nlohmann::json sample = nlohmann::json::parse(ReadFile(VulndbData(kSample)));
  const std::string entry = sample["chromium"]["CVE-2022-0456"].dump();
  std::ofstream file(path, std::ios::binary);
  size_t written = 1;
  *entries = 0;
  file << "{";
  for (size_t package = 0; written < target_bytes; ++package) {
    std::string text = (package == 0 ? "\"pkg" : ",\"pkg") + std::to_string(package) + "\":{";
    for (int id = 0; id < 50; ++id) {
      text += (id == 0 ? "\"CVE-2024-" : ",\"CVE-2024-") + std::to_string(10000 + id) + "\":";
      text += entry;
      ++*entries;
    }
    text += "}";
    file << text;
    written += text.size();
  }
  file << "}";
  return path;
}

TEST_F(DebianTrackerImporter, KeepsMemoryFlatOnALargeDocument) {
  // 32 MiB by default; BULWARK_TRACKER_TEST_MB=100 measures a document the
  // size of the real one and more.
  const char* size_mb = std::getenv("BULWARK_TRACKER_TEST_MB");
  const size_t target = (size_mb != nullptr ? std::atol(size_mb) : 32) * 1024 * 1024;
  size_t entries = 0;
  const std::string path =
      WriteSyntheticDocument(bulwark::testing::MakeTempDir() + "/json", target, &entries);
  CountingSink sink;
  if (!ResetPeakRss()) GTEST_SKIP() << "/proc/self/clear_refs is not writable here";
  const long before = StatusKib("VmRSS");

  Status imported = ImportDebianTrackerFile(path, sink, {});

  const long peak = StatusKib("VmHWM");
  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(sink.added, entries);
  EXPECT_EQ(sink.affected, entries * 5);
  ASSERT_GT(before, 0);
  RecordProperty("document_mib", std::to_string(target >> 20));
  RecordProperty("entries", std::to_string(entries));
  RecordProperty("rss_before_kib", std::to_string(before));
  RecordProperty("peak_growth_kib", std::to_string(peak - before));
  EXPECT_LT(peak - before, 16 * 1024) << "memory grew with the document";
}

}  // namespace
}  // namespace bulwark::vulndb
