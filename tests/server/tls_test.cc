// The server over TLS (cpp-httplib's SSLServer with OpenSSL), and the CLI's
// certificate checks: refused by default for an unknown CA, accepted with
// --ca-file, and with --no-verify only after saying so on stderr.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "server_harness.h"
#include "testing/run_command.h"

namespace bulwark {
namespace {

using testing::CommandResult;

class ServerTls : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
      GTEST_SKIP() << "the openssl tool is absent; it makes the test certificate";
    }
    dir_ = testing::MakeTempDir();
    std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1"
        " -addext subjectAltName=IP:127.0.0.1 -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    server_ = std::make_unique<testing::ServerHarness>(dir_ + "/store", dir_ + "/cert.pem",
                                                       dir_ + "/key.pem");
    token_ = server_->AddAccount("audit", server::Role::kAuditor, "auditor-password");
  }

  void TearDown() override {
    server_.reset();
    if (!dir_.empty() && !HasFailure()) std::filesystem::remove_all(dir_);
  }

  CommandResult ListImages(std::vector<std::string> extra) {
    std::vector<std::string> args = {"image",        "list",    "--server",
                                     server_->url(), "--token", token_};
    args.insert(args.end(), extra.begin(), extra.end());
    return testing::RunCommand(testing::BulwarkBinary(), args, dir_ + "/client");
  }

  std::string dir_;
  std::string token_;
  std::unique_ptr<testing::ServerHarness> server_;
};

TEST_F(ServerTls, UnknownCertificateIsRefusedWithExitThree) {
  CommandResult result = ListImages({});

  EXPECT_EQ(result.exit_code, 3) << result.out << result.err;
  EXPECT_NE(result.err.find("certificate"), std::string::npos) << result.err;
  EXPECT_EQ(server_->url().rfind("https://", 0), 0u);
}

TEST_F(ServerTls, CaFileMakesTheCertificateTrusted) {
  CommandResult result = ListImages({"--ca-file", dir_ + "/cert.pem"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("No registered images"), std::string::npos) << result.out;
  EXPECT_EQ(result.err.find("not verified"), std::string::npos) << result.err;
}

TEST_F(ServerTls, NoVerifySkipsTheCheckAndSaysSo) {
  CommandResult result = ListImages({"--no-verify"});

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("--no-verify"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("not verified"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace bulwark
