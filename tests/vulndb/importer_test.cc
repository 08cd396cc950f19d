#include "vulndb/importer.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "testing/test_data.h"
#include "vulndb/collecting_sink.h"

namespace bulwark::vulndb {
namespace {

namespace fs = std::filesystem;
using testing::CollectingSink;
using testing::VulndbData;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

// A one-member zip archive written by libarchive.
std::string WriteZip(const std::string& path, const std::string& member, const std::string& bytes) {
  archive* writer = archive_write_new();
  archive_write_set_format_zip(writer);
  archive_write_open_filename(writer, path.c_str());
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, member.c_str());
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
  archive_write_header(writer, entry);
  archive_write_data(writer, bytes.data(), bytes.size());
  archive_entry_free(entry);
  archive_write_close(writer);
  archive_write_free(writer);
  return path;
}

TEST(Importer, FeedKindNamesReadBack) {
  for (FeedKind kind : {FeedKind::kOsv, FeedKind::kDebianTracker, FeedKind::kAlpineSecdb}) {
    SCOPED_TRACE(std::string(FeedKindName(kind)));

    Result<FeedKind> parsed = ParseFeedKind(FeedKindName(kind));

    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, kind);
  }
  EXPECT_EQ(FeedKindName(FeedKind::kDebianTracker), "debian-tracker");
  Result<FeedKind> unknown = ParseFeedKind("nvd");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message().find("\"nvd\""), std::string::npos);
}

class ImporterWithData : public ::testing::Test {
 protected:
  void SetUp() override { BULWARK_REQUIRE_VULNDB_DATA(); }
  CollectingSink sink_;
};

TEST_F(ImporterWithData, DetectsEachRealFeedFromItsContent) {
  struct Case {
    const char* file;
    FeedKind kind;
  };
  const Case cases[] = {
      {"debian/osv/DSA-3029-1.json", FeedKind::kOsv},
      {"ubuntu-osv/canonical-ubuntu-security-notices/osv/usn/USN-5570-1.json", FeedKind::kOsv},
      // Its first key is "affected", an empty array.
      {"osv-schema/osv-linter-testdata/SUSE-FU-2022_0444-1.json", FeedKind::kOsv},
      {"osv-schema/osv-linter-testdata/GO-2020-0001.json", FeedKind::kOsv},
      {"osv-schema/redhat-osv/RHSA-2024_4546.json", FeedKind::kOsv},
      {"debian/security-tracker-json-sample/debian.json", FeedKind::kDebianTracker},
      {"alpine-secdb/json-sample-claircore/v3.10/community.json", FeedKind::kAlpineSecdb},
      {"alpine-secdb/v3.3/main.yaml", FeedKind::kAlpineSecdb},
      {"alpine-secdb/v3.3/community.yaml", FeedKind::kAlpineSecdb},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    std::string head = ReadFile(VulndbData(c.file)).substr(0, 64 * 1024);

    Result<FeedKind> kind = DetectFeed(head, c.file);

    ASSERT_TRUE(kind.ok()) << kind.error().message();
    EXPECT_EQ(*kind, c.kind);
  }
}

TEST_F(ImporterWithData, DetectsAnArrayAndAZipAsOsv) {
  const std::string record = ReadFile(VulndbData("debian/osv/DSA-3029-1.json"));
  const std::string zip =
      WriteZip(bulwark::testing::MakeTempDir() + "/all.zip", "DSA-3029-1.json", record);

  Result<FeedKind> array = DetectFeed("\xEF\xBB\xBF [" + record + "]", "records.json");
  Result<FeedKind> archive = DetectFeed(ReadFile(zip), "all.zip");

  ASSERT_TRUE(array.ok());
  EXPECT_EQ(*array, FeedKind::kOsv);
  ASSERT_TRUE(archive.ok());
  EXPECT_EQ(*archive, FeedKind::kOsv);
}

TEST_F(ImporterWithData, DetectsAnOsvRecordWhoseIdLiesBeyondTheBytesRead) {
  // SUSE-FU-2022:0444-1 with 2,000 affected entries added: dumped with sorted
  // members, "id" comes after more than 64 KiB of "affected" and "details".
  nlohmann::json record = nlohmann::json::parse(
      ReadFile(VulndbData("osv-schema/osv-linter-testdata/SUSE-FU-2022_0444-1.json")));
  for (int i = 0; i < 2000; ++i) {
    record["affected"].push_back(
        {{"package",
          {{"ecosystem", "SUSE:Linux Enterprise Server 15 SP3"}, {"name", "venv-salt-minion"}}}});
  }
  std::string head = record.dump().substr(0, 64 * 1024);
  ASSERT_EQ(head.find("\"id\""), std::string::npos);

  Result<FeedKind> kind = DetectFeed(head, "SUSE-FU-2022_0444-1.json");

  ASSERT_TRUE(kind.ok()) << kind.error().message();
  EXPECT_EQ(*kind, FeedKind::kOsv);
}

TEST(Importer, RefusesContentThatIsNoKnownFeedNamingIt) {
  for (const char* content : {"", "hello\n", "{\"name\": \"x\"}", "{\"zlib\": [1]}", "<xml/>"}) {
    SCOPED_TRACE(content);

    Result<FeedKind> kind = DetectFeed(content, "feed.bin");

    ASSERT_FALSE(kind.ok());
    EXPECT_EQ(kind.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(kind.error().message().rfind("feed.bin: not a known advisory feed (", 0), 0u)
        << kind.error().message();
  }
}

TEST_F(ImporterWithData, ImportsEachFeedKindFromAPath) {
  struct Case {
    std::string path;
    FeedKind kind;
    size_t advisories;
  };
  const Case cases[] = {
      {VulndbData("debian/osv/DSA-3029-1.json"), FeedKind::kOsv, 1},
      {VulndbData("ubuntu-osv"), FeedKind::kOsv, 11},
      {VulndbData("debian/security-tracker-json-sample/debian.json"), FeedKind::kDebianTracker, 6},
      {VulndbData("alpine-secdb/v3.4/community.yaml"), FeedKind::kAlpineSecdb, 14},
      {VulndbData("alpine-secdb/json-sample-claircore/v3.10/community.json"),
       FeedKind::kAlpineSecdb, 9},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    CollectingSink sink;

    Result<FeedKind> kind = ImportFeed(c.path, nullptr, sink);

    ASSERT_TRUE(kind.ok()) << kind.error().message();
    EXPECT_EQ(*kind, c.kind);
    EXPECT_EQ(sink.advisories.size(), c.advisories);
  }
}

TEST_F(ImporterWithData, ImportsAZipExport) {
  const std::string zip =
      WriteZip(bulwark::testing::MakeTempDir() + "/Debian.zip", "DSA-3029-1.json",
               ReadFile(VulndbData("debian/osv/DSA-3029-1.json")));

  Result<FeedKind> kind = ImportFeed(zip, nullptr, sink_);

  ASSERT_TRUE(kind.ok()) << kind.error().message();
  EXPECT_EQ(*kind, FeedKind::kOsv);
  ASSERT_EQ(sink_.advisories.size(), 1u);
  EXPECT_EQ(sink_.advisories[0].id, "DSA-3029-1");
}

TEST_F(ImporterWithData, ReadsTheKindItIsGiven) {
  const FeedKind tracker = FeedKind::kDebianTracker;

  Result<FeedKind> kind = ImportFeed(VulndbData("debian/osv/DSA-3029-1.json"), &tracker, sink_);

  ASSERT_FALSE(kind.ok()) << "an OSV record read as the tracker's document is no such document";
  EXPECT_EQ(kind.error().code(), ErrorCode::kCorruptInput);
}

TEST_F(ImporterWithData, RefusesADirectoryForAFeedThatIsOneFile) {
  const FeedKind secdb = FeedKind::kAlpineSecdb;

  Result<FeedKind> kind = ImportFeed(VulndbData("alpine-secdb"), &secdb, sink_);

  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(kind.error().message().find("only OSV records are read from directories"),
            std::string::npos);
}

TEST(Importer, RefusesAMissingPathNamingIt) {
  CollectingSink sink;

  Result<FeedKind> kind = ImportFeed("/nonexistent/feed.json", nullptr, sink);

  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(kind.error().message(), "/nonexistent/feed.json: no such file or directory");
}

TEST(Importer, RefusesAFileOverTheFileLimit) {
  const std::string path = bulwark::testing::MakeTempDir() + "/big.json";
  std::ofstream(path) << "[" << std::string(8192, ' ') << "]";
  CollectingSink sink;
  FeedLimits limits;
  limits.max_file_bytes = 4096;

  Result<FeedKind> kind = ImportFeed(path, nullptr, sink, limits);

  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(kind.error().message().find("max_file_bytes"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::vulndb
