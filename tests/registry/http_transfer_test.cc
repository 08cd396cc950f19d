// HttpTransfer against a real HTTPS server on loopback (tests/testing/https_server.py).
#include "registry/http_transfer.h"

#include <gtest/gtest.h>

#include <string>

#include "common/digest.h"
#include "testing/https_server.h"
#include "testing/image_builder.h"
#include "testing/test_data.h"

namespace bulwark::registry {
namespace {

class HttpTransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::MakeTempDir();
    server_ = std::make_unique<testing::HttpsServer>(root_);
    std::string error = server_->Start();
    if (!error.empty()) GTEST_SKIP() << "HTTPS test server unavailable: " << error;
  }

  TlsSettings Trusted() const { return TlsSettings{server_->ca_file(), true}; }

  std::string root_;
  std::unique_ptr<testing::HttpsServer> server_;
};

TEST_F(HttpTransferTest, StreamsABodyLargerThanItsBufferInSmallReads) {
  std::string body;
  for (int i = 0; body.size() < (3u << 20); ++i) body += std::to_string(i * 7919) + ",";
  testing::WriteFile(root_ + "/big.bin", body);

  auto transfer =
      HttpTransfer::Start(HttpRequest{server_->base_url() + "/files/big.bin", {}, {}}, Trusted());
  ASSERT_TRUE(transfer.ok()) << transfer.error().message();
  Sha256 hash;
  size_t total = 0;
  char chunk[1000];
  while (true) {
    auto got = (*transfer)->Read(chunk, sizeof(chunk));
    ASSERT_TRUE(got.ok()) << got.error().message();
    if (*got == 0) break;
    hash.Update(chunk, *got);
    total += *got;
  }

  EXPECT_EQ((*transfer)->status(), 200);
  EXPECT_EQ(total, body.size());
  EXPECT_EQ(hash.Finish(), Sha256Of(body));
}

TEST_F(HttpTransferTest, ReturnsRedirectsInsteadOfFollowingThem) {
  testing::WriteFile(root_ + "/a.txt", "a");

  auto transfer = HttpTransfer::Start(
      HttpRequest{server_->base_url() + "/redirect-http/a.txt", {}, {}}, Trusted());

  ASSERT_TRUE(transfer.ok()) << transfer.error().message();
  EXPECT_EQ((*transfer)->status(), 302);
  EXPECT_EQ((*transfer)->Header("LOCATION").rfind("http://127.0.0.1:", 0), 0u);
  EXPECT_EQ(server_->RequestLog().find("GET /files/a.txt"), std::string::npos);
}

TEST_F(HttpTransferTest, VerifiesTheCertificateUnlessToldNotTo) {
  std::string url = server_->base_url() + "/status/204";

  auto untrusted = HttpTransfer::Start(HttpRequest{url, {}, {}}, TlsSettings{"", true});
  auto unverified = HttpTransfer::Start(HttpRequest{url, {}, {}}, TlsSettings{"", false});

  ASSERT_FALSE(untrusted.ok());
  EXPECT_EQ(untrusted.error().code(), ErrorCode::kNetwork);
  EXPECT_NE(untrusted.error().message().find("certificate"), std::string::npos)
      << untrusted.error().message();
  ASSERT_TRUE(unverified.ok()) << unverified.error().message();
  EXPECT_EQ((*unverified)->status(), 204);
}

}  // namespace
}  // namespace bulwark::registry
