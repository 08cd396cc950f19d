// Docker credential helpers: the protocol, run for real with a helper script on PATH.
#include "registry/credential_helper.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "testing/test_data.h"

namespace bulwark::registry {
namespace {

DockerConfig Parse(const std::string& json) {
  auto config = ParseDockerConfig(json, "config.json");
  EXPECT_TRUE(config.ok()) << config.error().message();
  return config.ok() ? *config : DockerConfig();
}

// Puts a docker-credential-bulwarktest script first on PATH for one test. It
// answers for "registry.example.com" and says "not found" for anything else.
class HelperOnPath : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    std::string script = dir_ + "/docker-credential-bulwarktest";
    std::ofstream(script) << "#!/bin/sh\n"
                             "[ \"$1\" = get ] || exit 2\n"
                             "read server\n"
                             "if [ \"$server\" = registry.example.com ]; then\n"
                             "  printf '{\"ServerURL\":\"%s\",\"Username\":\"helped\","
                             "\"Secret\":\"s3cret\"}' \"$server\"\n"
                             "else\n"
                             "  echo 'credentials not found in native keychain'; exit 1\n"
                             "fi\n";
    chmod(script.c_str(), 0755);
    std::string broken = dir_ + "/docker-credential-broken";
    std::ofstream(broken) << "#!/bin/sh\necho 'keychain locked'\nexit 3\n";
    chmod(broken.c_str(), 0755);
    const char* path = std::getenv("PATH");
    old_path_ = path == nullptr ? "" : path;
    setenv("PATH", (dir_ + ":" + old_path_).c_str(), 1);
  }
  void TearDown() override { setenv("PATH", old_path_.c_str(), 1); }

  std::string dir_;
  std::string old_path_;
};

TEST_F(HelperOnPath, RunsTheHelperNamedForTheRegistry) {
  DockerConfig config = Parse(R"({"credHelpers": {"registry.example.com": "bulwarktest"}})");

  auto credential = FindCredentialWithHelpers(config, "registry.example.com");

  ASSERT_TRUE(credential.ok()) << credential.error().message();
  ASSERT_TRUE(credential->has_value());
  EXPECT_EQ((*credential)->username, "helped");
  EXPECT_EQ((*credential)->password, "s3cret");
}

TEST_F(HelperOnPath, GoesAnonymousWhenTheHelperHasNoCredentials) {
  DockerConfig config = Parse(R"({"credsStore": "bulwarktest"})");

  auto credential = FindCredentialWithHelpers(config, "other.example.com");

  ASSERT_TRUE(credential.ok()) << credential.error().message();
  EXPECT_FALSE(credential->has_value());
}

TEST_F(HelperOnPath, FailsLoudlyWhenTheHelperFailsOrIsMissing) {
  DockerConfig broken = Parse(R"({"credsStore": "broken"})");
  DockerConfig missing = Parse(R"({"credsStore": "bulwark-no-such-helper"})");
  DockerConfig odd = Parse(R"({"credsStore": "../../bin/sh"})");

  auto failed = FindCredentialWithHelpers(broken, "registry.example.com");
  auto absent = FindCredentialWithHelpers(missing, "registry.example.com");
  auto refused = FindCredentialWithHelpers(odd, "registry.example.com");

  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kAuthentication);
  EXPECT_NE(failed.error().message().find("keychain locked"), std::string::npos)
      << failed.error().message();
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(absent.error().message().find("docker-credential-bulwark-no-such-helper"),
            std::string::npos);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kInvalidArgument);
}

TEST(CredentialHelper, AsksAboutDockerHubByItsLegacyServerName) {
  DockerConfig config = Parse(R"({"credsStore": "desktop", "auths": {"docker.io": {}}})");
  std::string asked_helper;
  std::string asked_server;
  HelperRunner fake = [&](const std::string& helper,
                          const std::string& server) -> Result<std::optional<std::string>> {
    asked_helper = helper;
    asked_server = server;
    return std::optional<std::string>(R"({"ServerURL":"x","Username":"<token>","Secret":"t"})");
  };

  auto credential = FindCredentialWithHelpers(config, "docker.io", fake);

  ASSERT_TRUE(credential.ok()) << credential.error().message();
  EXPECT_EQ(asked_helper, "desktop");
  EXPECT_EQ(asked_server, "https://index.docker.io/v1/");
  ASSERT_TRUE(credential->has_value());
  EXPECT_EQ((*credential)->identity_token, "t");
  EXPECT_EQ((*credential)->username, "");
}

TEST(CredentialHelper, PrefersAuthsEntriesOverTheStoreButNotOverAHelperForTheHost) {
  DockerConfig config = Parse(R"({"credsStore": "desktop",
      "credHelpers": {"gcr.io": "gcloud"},
      "auths": {"a.example": {"username": "u", "password": "p"}, "gcr.io": {"username": "x",
                "password": "y"}}})");

  EXPECT_EQ(HelperFor(config, "a.example"), std::nullopt);
  EXPECT_EQ(HelperFor(config, "gcr.io"), std::optional<std::string>("gcloud"));
  EXPECT_EQ(HelperFor(config, "b.example"), std::optional<std::string>("desktop"));
}

TEST(CredentialHelper, RefusesMalformedAnswers) {
  for (const char* answer :
       {"", "null", R"({"Username":"u"})", R"({"Username":1,"Secret":"s"})", "[1,2]"}) {
    SCOPED_TRACE(answer);

    auto credential = ParseHelperOutput(answer, "desktop");

    ASSERT_FALSE(credential.ok());
    EXPECT_EQ(credential.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(credential.error().message().find("docker-credential-desktop"), std::string::npos);
  }
}

}  // namespace
}  // namespace bulwark::registry
