// The forwarders of src/dynload: each libcurl call reaches the real library
// with its argument intact (long, pointer, function pointer, curl_off_t), and
// a library that cannot be opened, or lacks a function, is refused with a
// message naming it.
#include "dynload/dynload.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <fstream>
#include <string>

#include "dynload/shared_library.h"
#include "testing/test_data.h"

namespace bulwark::dynload {
namespace {

size_t Collect(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

class CurlForwarding : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(RequireCurl().ok()) << RequireCurl().error().message();
    dir_ = testing::MakeTempDir();
    path_ = dir_ + "/body.txt";
    std::ofstream(path_) << body_;
  }

  std::string dir_;
  std::string path_;
  std::string body_ = std::string(5000, 'x') + "end";
};

TEST_F(CurlForwarding, OpensTheLibraryOnFirstUse) {
  EXPECT_TRUE(CurlIsLoaded());
  CURLU* url = curl_url();
  ASSERT_NE(url, nullptr);
  ASSERT_EQ(curl_url_set(url, CURLUPART_URL, "https://Registry.Example:5000/v2/", 0), CURLUE_OK);
  char* host = nullptr;
  ASSERT_EQ(curl_url_get(url, CURLUPART_HOST, &host, 0), CURLUE_OK);
  EXPECT_STREQ(host, "Registry.Example");
  curl_free(host);
  curl_url_cleanup(url);
}

TEST_F(CurlForwarding, PassesPointerLongAndFunctionArguments) {
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  std::string received;
  std::string url = "file://" + path_;
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_URL, url.c_str()), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "file"), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect), CURLE_OK);
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received), CURLE_OK);

  ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);

  EXPECT_EQ(received, body_);
  curl_off_t downloaded = -1;
  ASSERT_EQ(curl_easy_getinfo(curl, CURLINFO_SIZE_DOWNLOAD_T, &downloaded), CURLE_OK);
  EXPECT_EQ(downloaded, static_cast<curl_off_t>(body_.size()));
  curl_easy_cleanup(curl);
}

TEST_F(CurlForwarding, PassesOffTArgumentsWhole) {
  // Resuming a file:// transfer at an offset returns the bytes from there on,
  // so the body shows the exact curl_off_t that reached libcurl.
  CURL* curl = curl_easy_init();
  ASSERT_NE(curl, nullptr);
  std::string received;
  std::string url = "file://" + path_;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received);
  curl_off_t offset = static_cast<curl_off_t>(body_.size()) - 3;
  EXPECT_EQ(curl_easy_setopt(curl, CURLOPT_RESUME_FROM_LARGE, offset), CURLE_OK);

  ASSERT_EQ(curl_easy_perform(curl), CURLE_OK);

  EXPECT_EQ(received, "end");
  curl_easy_cleanup(curl);
}

TEST_F(CurlForwarding, RunsTransfersThroughTheMultiInterface) {
  CURL* easy = curl_easy_init();
  CURLM* multi = curl_multi_init();
  ASSERT_NE(easy, nullptr);
  ASSERT_NE(multi, nullptr);
  std::string received;
  std::string url = "file://" + path_;
  curl_slist* headers = curl_slist_append(nullptr, "X-Test: 1");
  ASSERT_NE(headers, nullptr);
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &received);
  ASSERT_EQ(curl_multi_add_handle(multi, easy), CURLM_OK);

  int running = 1;
  CURLcode result = CURLE_RECV_ERROR;
  for (int round = 0; running > 0 && round < 1000; ++round) {
    ASSERT_EQ(curl_multi_perform(multi, &running), CURLM_OK);
    if (running > 0) {
      ASSERT_EQ(curl_multi_poll(multi, nullptr, 0, 100, nullptr), CURLM_OK);
    }
  }
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
    if (message->msg == CURLMSG_DONE) result = message->data.result;
  }

  EXPECT_EQ(result, CURLE_OK) << curl_easy_strerror(result);
  EXPECT_EQ(received, body_);
  EXPECT_STREQ(curl_multi_strerror(CURLM_OK), "No error");
  curl_multi_remove_handle(multi, easy);
  curl_multi_cleanup(multi);
  curl_easy_cleanup(easy);
  curl_slist_free_all(headers);
}

TEST(Libpq, ParsesAConnectionUrlThroughTheRealLibrary) {
  ASSERT_TRUE(RequireLibpq().ok()) << RequireLibpq().error().message();
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse("postgresql://ci@db.example:6543/bulwark", &message);
  ASSERT_NE(options, nullptr) << (message ? message : "");
  std::string host;
  std::string port;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (std::string(option->keyword) == "host") host = option->val;
    if (std::string(option->keyword) == "port") port = option->val;
  }
  PQconninfoFree(options);
  EXPECT_EQ(host, "db.example");
  EXPECT_EQ(port, "6543");
  EXPECT_TRUE(LibpqIsLoaded());

  EXPECT_EQ(PQconninfoParse("postgresql://[broken", &message), nullptr);
  ASSERT_NE(message, nullptr);
  EXPECT_NE(std::string(message), "");
  PQfreemem(message);
}

TEST(SharedLibrary, AMissingLibraryIsNamedWithItsPackage) {
  void (*function)() = nullptr;
  Status opened = internal::OpenLibrary("libbulwark-absent.so.9", "a test", "libabsent9",
                                        {internal::Slot("absent_function", function)});

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kUnsupported);
  const std::string& text = opened.error().message();
  EXPECT_NE(text.find("libbulwark-absent.so.9 (needed for a test)"), std::string::npos) << text;
  EXPECT_NE(text.find("install Debian's libabsent9"), std::string::npos) << text;
  EXPECT_EQ(function, nullptr);
  EXPECT_FALSE(internal::IsLoaded("libbulwark-absent.so.9"));
}

TEST(SharedLibrary, ALibraryWithoutAFunctionLeavesNoSlotFilled) {
  void (*present)() = nullptr;
  void (*absent)() = nullptr;
  Status opened = internal::OpenLibrary(
      "libz.so.1", "a test", "zlib1g",
      {internal::Slot("zlibVersion", present), internal::Slot("bulwark_no_such", absent)});

  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message().find("has no function bulwark_no_such"), std::string::npos)
      << opened.error().message();
  EXPECT_EQ(present, nullptr);
  EXPECT_EQ(absent, nullptr);
}

TEST(SharedLibrary, FillsEverySlotOfAPresentLibrary) {
  const char* (*version)() = nullptr;
  Status opened = internal::OpenLibrary("libz.so.1", "a test", "zlib1g",
                                        {internal::Slot("zlibVersion", version)});

  ASSERT_TRUE(opened.ok()) << opened.error().message();
  ASSERT_NE(version, nullptr);
  EXPECT_EQ(std::string(version()).substr(0, 2), "1.");
}

}  // namespace
}  // namespace bulwark::dynload
