// WWW-Authenticate challenges and token answers: what registries send, and what is refused.
#include "registry/auth_challenge.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::registry {
namespace {

TEST(ParseChallenges, ReadsABearerChallengeWithSeveralParameters) {
  auto challenges = ParseChallenges(
      "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
      "scope=\"repository:library/ubuntu:pull\"");

  ASSERT_TRUE(challenges.ok()) << challenges.error().message();
  ASSERT_EQ(challenges->size(), 1u);
  EXPECT_EQ((*challenges)[0].scheme, "bearer");
  EXPECT_EQ((*challenges)[0].Param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ((*challenges)[0].Param("service"), "registry.docker.io");
  EXPECT_EQ((*challenges)[0].Param("scope"), "repository:library/ubuntu:pull");
}

TEST(ParseChallenges, ReadsSeveralChallengesTokensAndSpacing) {
  auto challenges = ParseChallenges(
      "Basic realm=\"Registry Realm\" , BEARER Realm = \"https://h/t\",  "
      "Service=reg ,, Negotiate");

  ASSERT_TRUE(challenges.ok()) << challenges.error().message();
  ASSERT_EQ(challenges->size(), 3u);
  EXPECT_EQ((*challenges)[0].scheme, "basic");
  EXPECT_EQ((*challenges)[0].Param("realm"), "Registry Realm");
  EXPECT_EQ((*challenges)[1].scheme, "bearer");
  EXPECT_EQ((*challenges)[1].Param("realm"), "https://h/t");
  EXPECT_EQ((*challenges)[1].Param("service"), "reg");
  EXPECT_EQ((*challenges)[2].scheme, "negotiate");
  EXPECT_TRUE((*challenges)[2].params.empty());
}

TEST(ParseChallenges, UnescapesQuotedStrings) {
  auto challenges = ParseChallenges(R"(Bearer realm="a \"quoted\" \\ realm",scope="x,y")");

  ASSERT_TRUE(challenges.ok()) << challenges.error().message();
  EXPECT_EQ((*challenges)[0].Param("realm"), R"(a "quoted" \ realm)");
  EXPECT_EQ((*challenges)[0].Param("scope"), "x,y");
}

TEST(ParseChallenges, RefusesMalformedChallenges) {
  const std::vector<std::string> cases = {
      "",
      "Bearer realm=\"unterminated",
      "Bearer realm=",
      "Bearer realm=\"a\" service=\"b\"",  // No comma between parameters.
      "Bearer realm=\"a\",realm=\"b\"",    // A parameter twice.
      "Basic dXNlcjpwYXNz==",              // token68 form.
      "Bearer realm=\"a\x01\"",            // A control character.
      "=realm",
      "Bearer realm=\"a\" junk",
      "Bearer realm=https://unquoted/url",  // ':' and '/' are not token characters.
  };
  for (const std::string& header : cases) {
    SCOPED_TRACE(header);

    auto challenges = ParseChallenges(header);

    ASSERT_FALSE(challenges.ok());
    EXPECT_EQ(challenges.error().code(), ErrorCode::kCorruptInput);
  }
}

TEST(ParseChallenges, BoundsTheHeaderTheChallengesAndTheirParameters) {
  std::string long_header = "Bearer realm=\"" + std::string(kMaxChallengeHeader, 'a') + "\"";
  std::string many_params = "Bearer ";
  for (size_t i = 0; i <= kMaxChallengeParams; ++i) {
    many_params += (i ? "," : "") + std::string("p") + std::to_string(i) + "=v";
  }
  std::string many_challenges;
  for (size_t i = 0; i <= kMaxChallenges; ++i)
    many_challenges += (i ? ", " : "") + std::string("Basic");

  for (const std::string& header : {long_header, many_params, many_challenges}) {
    SCOPED_TRACE(header.substr(0, 40));

    auto challenges = ParseChallenges(header);

    ASSERT_FALSE(challenges.ok());
    EXPECT_EQ(challenges.error().code(), ErrorCode::kLimitExceeded);
  }
}

TEST(ParseTokenResponse, ReadsTokenOrAccessToken) {
  auto docker = ParseTokenResponse(R"({"token":"abc.def","expires_in":300})");
  auto oauth = ParseTokenResponse(R"({"access_token":"xyz","token_type":"Bearer"})");
  auto both = ParseTokenResponse(R"({"access_token":"second","token":"first"})");

  ASSERT_TRUE(docker.ok()) << docker.error().message();
  EXPECT_EQ(*docker, "abc.def");
  ASSERT_TRUE(oauth.ok());
  EXPECT_EQ(*oauth, "xyz");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(*both, "first");
}

TEST(ParseTokenResponse, RefusesAnswersWithoutAUsableToken) {
  const std::vector<std::string> cases = {
      "",
      "[]",
      "not json",
      R"({"token":42})",
      R"({"other":"x"})",
      R"({"token":""})",
      R"({"token":"two words"})",
      R"({"token":"line\r\nX-Injected: 1"})",
  };
  for (const std::string& body : cases) {
    SCOPED_TRACE(body);

    auto token = ParseTokenResponse(body);

    ASSERT_FALSE(token.ok());
    EXPECT_EQ(token.error().code(), ErrorCode::kCorruptInput);
  }
}

TEST(ParseTokenResponse, BoundsSizeAndNesting) {
  std::string huge = R"({"token":")" + std::string(kMaxTokenResponse, 'a') + "\"}";
  std::string deep = R"({"token":"a","x":)" + std::string(100, '[') + std::string(100, ']') + "}";

  auto too_big = ParseTokenResponse(huge);
  auto too_deep = ParseTokenResponse(deep);

  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().code(), ErrorCode::kLimitExceeded);
  ASSERT_FALSE(too_deep.ok());
  EXPECT_EQ(too_deep.error().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace bulwark::registry
