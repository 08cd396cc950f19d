// Where feeds come from: local paths, file:// URLs and downloads from a real
// HTTPS server on 127.0.0.1 with a CA made for the test.
#include "vulndb/fetch.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "testing/https_server.h"
#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark::vulndb {
namespace {

namespace fs = std::filesystem;

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

class FetchLocalTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = bulwark::testing::MakeTempDir(); }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(FetchLocalTest, LocalPathIsUsedInPlace) {
  WriteText(dir_ + "/feed.json", "{}");

  auto feed = FetchFeed(dir_ + "/feed.json", dir_);

  ASSERT_TRUE(feed.ok()) << feed.error().message();
  EXPECT_EQ(feed->path, dir_ + "/feed.json");
  EXPECT_FALSE(feed->temporary);
}

TEST_F(FetchLocalTest, FileUrlIsPercentDecoded) {
  WriteText(dir_ + "/my feed.json", "{}");

  auto feed = FetchFeed("file://" + dir_ + "/my%20feed.json", dir_);

  ASSERT_TRUE(feed.ok()) << feed.error().message();
  EXPECT_EQ(feed->path, dir_ + "/my feed.json");
}

TEST_F(FetchLocalTest, MissingFileIsNotFound) {
  auto feed = FetchFeed(dir_ + "/absent.json", dir_);

  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(feed.error().message().find("absent.json"), std::string::npos);
}

TEST_F(FetchLocalTest, PlainHttpAndOtherSchemesAreRefused) {
  for (const std::string url : {"http://127.0.0.1/feed.json", "ftp://example.org/feed.json"}) {
    SCOPED_TRACE(url);

    auto feed = FetchFeed(url, dir_);

    ASSERT_FALSE(feed.ok());
    EXPECT_EQ(feed.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(feed.error().message().find("https://"), std::string::npos);
  }
}

TEST_F(FetchLocalTest, RelativeFileUrlIsRefused) {
  auto feed = FetchFeed("file://feed.json", dir_);

  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.error().code(), ErrorCode::kInvalidArgument);
}

TEST(FeedSources, ParsesUrlsAndKinds) {
  auto sources = ParseFeedSources(
      "sources:\n  - url: https://mirror.example.com/debian.json\n    kind: debian-tracker\n"
      "  - url: file:///srv/feeds/alpine.json\n",
      "sources.yaml");

  ASSERT_TRUE(sources.ok()) << sources.error().message();
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_EQ((*sources)[0].kind, "debian-tracker");
  EXPECT_EQ((*sources)[1].url, "file:///srv/feeds/alpine.json");
  EXPECT_EQ((*sources)[1].kind, "");
}

TEST(FeedSources, RefusesBadDocumentsWithTheLine) {
  struct Case {
    const char* text;
    const char* expected;
  };
  const Case cases[] = {
      {"sources: []\n", "non-empty list"},
      {"sources:\n  - url: http://mirror/feed.json\n", "line 2"},
      {"sources:\n  - url: https://mirror/feed.json\n    kind: nvd\n", "kind `nvd`"},
      {"sources:\n  - url: https://mirror/feed.json\n    mirror: yes\n", "unknown key"},
      {"feeds: []\n", "unknown key `feeds`"},
      {"sources: [\n", "sources.yaml line"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);

    auto sources = ParseFeedSources(c.text, "sources.yaml");

    ASSERT_FALSE(sources.ok());
    EXPECT_EQ(sources.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(sources.error().message().find(c.expected), std::string::npos)
        << sources.error().message();
  }
}

TEST(FeedSources, DefaultsAreHttpsOnly) {
  for (const FeedSource& source : DefaultFeedSources()) {
    EXPECT_EQ(source.url.rfind("https://", 0), 0u) << source.url;
  }
}

class FetchHttpsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir();
    fs::create_directories(dir_ + "/www");
    fs::create_directories(dir_ + "/work");
    WriteText(dir_ + "/www/feed.json", "{\"id\": \"CVE-2024-0001\"}");
    server_ = std::make_unique<bulwark::testing::HttpsServer>(dir_ + "/www");
    std::string started = server_->Start();
    if (!started.empty()) GTEST_SKIP() << "no local HTTPS server: " << started;
    options_.ca_file = server_->ca_file();
    options_.retry_delay_ms = 10;
  }
  void TearDown() override {
    server_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::string dir_;
  std::unique_ptr<bulwark::testing::HttpsServer> server_;
  FetchOptions options_;
};

TEST_F(FetchHttpsTest, DownloadsIntoATemporaryFileAndRemovesIt) {
  auto feed = FetchFeed(server_->base_url() + "/files/feed.json", dir_ + "/work", options_);

  ASSERT_TRUE(feed.ok()) << feed.error().message();
  EXPECT_TRUE(feed->temporary);
  EXPECT_EQ(bulwark::testing::ReadFile(feed->path), "{\"id\": \"CVE-2024-0001\"}");
  RemoveFetched(*feed);
  EXPECT_FALSE(fs::exists(feed->path));
}

TEST_F(FetchHttpsTest, UnknownCertificateAuthorityIsRefused) {
  FetchOptions system_store = options_;
  system_store.ca_file = "";

  auto feed = FetchFeed(server_->base_url() + "/files/feed.json", dir_ + "/work", system_store);

  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.error().code(), ErrorCode::kNetwork);
  EXPECT_TRUE(fs::is_empty(dir_ + "/work")) << "a failed download leaves no file";
}

TEST_F(FetchHttpsTest, RetriesServerErrorsAndThrottling) {
  auto after_503 =
      FetchFeed(server_->base_url() + "/fail-once/feed.json", dir_ + "/work", options_);
  auto after_429 = FetchFeed(server_->base_url() + "/throttle/feed.json", dir_ + "/work", options_);

  ASSERT_TRUE(after_503.ok()) << after_503.error().message();
  ASSERT_TRUE(after_429.ok()) << after_429.error().message();
  std::string log = server_->RequestLog();
  EXPECT_NE(log.find("GET /fail-once/feed.json\nGET /fail-once/feed.json"), std::string::npos)
      << log;
  EXPECT_NE(log.find("GET /throttle/feed.json\nGET /throttle/feed.json"), std::string::npos) << log;
}

TEST_F(FetchHttpsTest, NotFoundIsNotRetriedAndNamesTheStatus) {
  auto feed = FetchFeed(server_->base_url() + "/files/absent.json", dir_ + "/work", options_);

  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.error().code(), ErrorCode::kNetwork);
  EXPECT_NE(feed.error().message().find("HTTP status 404"), std::string::npos);
  size_t requests = 0;
  std::string log = server_->RequestLog();
  for (size_t at = log.find("absent.json"); at != std::string::npos;
       at = log.find("absent.json", at + 1)) {
    ++requests;
  }
  EXPECT_EQ(requests, 1u);
}

TEST_F(FetchHttpsTest, PersistentServerErrorFailsAfterTheLastAttempt) {
  options_.attempts = 3;

  auto feed = FetchFeed(server_->base_url() + "/status/502", dir_ + "/work", options_);

  ASSERT_FALSE(feed.ok());
  EXPECT_NE(feed.error().message().find("HTTP status 502"), std::string::npos);
}

TEST_F(FetchHttpsTest, RedirectToPlainHttpIsRefused) {
  auto feed = FetchFeed(server_->base_url() + "/redirect-http/feed.json", dir_ + "/work", options_);

  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.error().code(), ErrorCode::kNetwork);
}

TEST_F(FetchHttpsTest, DownloadOverTheLimitIsRefused) {
  options_.max_bytes = 8;

  auto feed = FetchFeed(server_->base_url() + "/files/feed.json", dir_ + "/work", options_);

  ASSERT_FALSE(feed.ok());
  EXPECT_EQ(feed.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_TRUE(fs::is_empty(dir_ + "/work"));
}

}  // namespace
}  // namespace bulwark::vulndb
