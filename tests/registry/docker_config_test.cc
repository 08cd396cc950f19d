// Credentials from Docker's config.json: entry forms, key forms, helpers and scoping.
#include "registry/docker_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "registry/base64.h"

namespace bulwark::registry {
namespace {

DockerConfig Parse(const std::string& json) {
  auto config = ParseDockerConfig(json, "config.json");
  EXPECT_TRUE(config.ok()) << config.error().message();
  return config.ok() ? *config : DockerConfig();
}

TEST(DockerConfig, ReadsAuthUsernamePasswordAndIdentityToken) {
  DockerConfig config = Parse(R"({
    "auths": {
      "a.example": {"auth": ")" +
                              EncodeBase64("alice:pa:ss") + R"("},
      "b.example": {"username": "bob", "password": "pw"},
      "c.example": {"identitytoken": "refresh-me"}
    }})");

  EXPECT_EQ(config.auths["a.example"].username, "alice");
  EXPECT_EQ(config.auths["a.example"].password, "pa:ss");
  EXPECT_EQ(config.auths["b.example"].username, "bob");
  EXPECT_EQ(config.auths["b.example"].password, "pw");
  EXPECT_EQ(config.auths["c.example"].identity_token, "refresh-me");
}

TEST(DockerConfig, FindsDockerHubUnderEveryKeyDockerWrites) {
  for (const char* key : {"https://index.docker.io/v1/", "index.docker.io", "docker.io",
                          "registry-1.docker.io", "https://registry-1.docker.io"}) {
    SCOPED_TRACE(key);
    DockerConfig config =
        Parse(std::string(R"({"auths":{")") + key + R"(":{"username":"u","password":"p"}}})");

    auto credential = FindCredential(config, "docker.io");

    ASSERT_TRUE(credential.ok()) << credential.error().message();
    ASSERT_TRUE(credential->has_value());
    EXPECT_EQ((*credential)->username, "u");
  }
}

TEST(DockerConfig, MatchesHostsWithPortsSchemesAndPathsButNothingElse) {
  DockerConfig config = Parse(R"({"auths":{
      "https://registry.example.com/v2/": {"username": "scheme", "password": "p"},
      "localhost:5000": {"username": "port", "password": "p"},
      "registry.example.com.evil": {"username": "evil", "password": "p"}}})");

  auto with_scheme = FindCredential(config, "registry.example.com");
  auto with_port = FindCredential(config, "localhost:5000");
  auto other_port = FindCredential(config, "localhost:5001");
  auto other_host = FindCredential(config, "example.com");

  ASSERT_TRUE(with_scheme.ok() && with_scheme->has_value());
  EXPECT_EQ((*with_scheme)->username, "scheme");
  ASSERT_TRUE(with_port.ok() && with_port->has_value());
  EXPECT_EQ((*with_port)->username, "port");
  ASSERT_TRUE(other_port.ok());
  EXPECT_FALSE(other_port->has_value());
  ASSERT_TRUE(other_host.ok());
  EXPECT_FALSE(other_host->has_value());
}

TEST(DockerConfig, PrefersTheExactKey) {
  DockerConfig config = Parse(R"({"auths":{
      "https://index.docker.io/v1/": {"username": "legacy", "password": "p"},
      "docker.io": {"username": "exact", "password": "p"}}})");

  auto credential = FindCredential(config, "docker.io");

  ASSERT_TRUE(credential.ok() && credential->has_value());
  EXPECT_EQ((*credential)->username, "exact");
}

TEST(DockerConfig, RefusesToGoAnonymousWhenAHelperHoldsTheCredentials) {
  DockerConfig helpers = Parse(R"({"credHelpers":{"gcr.io":"gcloud"},
                                   "auths":{"other.example":{"auth":")" +
                               EncodeBase64("u:p") + R"("}}})");
  DockerConfig store = Parse(R"({"credsStore":"desktop","auths":{"docker.io":{}}})");

  auto by_helper = FindCredential(helpers, "gcr.io");
  auto not_helped = FindCredential(helpers, "other.example");
  auto by_store = FindCredential(store, "docker.io");

  ASSERT_FALSE(by_helper.ok());
  EXPECT_EQ(by_helper.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(by_helper.error().message().find("docker-credential-gcloud"), std::string::npos);
  ASSERT_TRUE(not_helped.ok() && not_helped->has_value());
  ASSERT_FALSE(by_store.ok());
  EXPECT_NE(by_store.error().message().find("docker-credential-desktop"), std::string::npos)
      << by_store.error().message();
}

TEST(DockerConfig, RefusesMalformedConfigs) {
  const std::vector<std::string> cases = {
      "not json",
      "[]",
      R"({"auths": []})",
      R"({"auths": {"h": {"auth": "%%%"}}})",
      R"({"auths": {"h": {"auth": ")" + EncodeBase64("no-colon") + R"("}}})",
      R"({"auths": {"h": {"username": 1}}})",
      R"({"credsStore": 1})",
      R"({"credHelpers": {"h": 1}})",
  };
  for (const std::string& json : cases) {
    SCOPED_TRACE(json);

    auto config = ParseDockerConfig(json, "config.json");

    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().code(), ErrorCode::kCorruptInput);
    EXPECT_EQ(config.error().message().rfind("config.json: ", 0), 0u);
  }
}

TEST(DockerConfig, AnAbsentFileIsAnEmptyConfig) {
  auto config = LoadDockerConfig("/nonexistent/bulwark/config.json");

  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_TRUE(config->auths.empty());
}

TEST(Base64, RoundTripsEveryLengthAndRefusesOtherCharacters) {
  std::string bytes;
  for (int i = 0; i < 10; ++i) {
    SCOPED_TRACE(i);

    auto decoded = DecodeBase64(EncodeBase64(bytes));

    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, bytes);
    bytes.push_back(static_cast<char>(0xf0 + i));
  }
  EXPECT_FALSE(DecodeBase64("ab$c").has_value());
  EXPECT_FALSE(DecodeBase64("abcde").has_value());
}

}  // namespace
}  // namespace bulwark::registry
