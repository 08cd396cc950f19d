#include "image/reference.h"

#include <gtest/gtest.h>

namespace bulwark::image {
namespace {

constexpr char kDigest[] =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(Reference, NormalisesDockerHubShortNames) {
  auto ubuntu = Reference::Parse("ubuntu");
  auto user_repo = Reference::Parse("someone/tool:1.2");
  auto index_host = Reference::Parse("index.docker.io/library/debian:12");

  ASSERT_TRUE(ubuntu.ok());
  EXPECT_EQ(ubuntu->str(), "docker.io/library/ubuntu:latest");
  ASSERT_TRUE(user_repo.ok());
  EXPECT_EQ(user_repo->str(), "docker.io/someone/tool:1.2");
  ASSERT_TRUE(index_host.ok());
  EXPECT_EQ(index_host->str(), "docker.io/library/debian:12");
}

TEST(Reference, KeepsLocalRegistriesWithPorts) {
  auto local = Reference::Parse("localhost:5000/a/b:tag");
  auto bare_localhost = Reference::Parse("localhost/fixtures/app");

  ASSERT_TRUE(local.ok());
  EXPECT_EQ(local->registry, "localhost:5000");
  EXPECT_EQ(local->repository, "a/b");
  EXPECT_EQ(local->tag, "tag");
  ASSERT_TRUE(bare_localhost.ok());
  EXPECT_EQ(bare_localhost->str(), "localhost/fixtures/app:latest");
}

TEST(Reference, ParsesDigestWithoutDefaultTag) {
  auto pinned = Reference::Parse(std::string("registry.local:5000/app@") + kDigest);
  auto both = Reference::Parse(std::string("registry.local:5000/app:1@") + kDigest);

  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(pinned->registry, "registry.local:5000");
  EXPECT_EQ(pinned->tag, "");
  ASSERT_TRUE(pinned->digest.has_value());
  EXPECT_EQ(pinned->digest->str(), kDigest);
  EXPECT_EQ(pinned->str(), std::string("registry.local:5000/app@") + kDigest);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->NameAndTag(), "registry.local:5000/app:1");
}

TEST(Reference, RefusesMalformedReferences) {
  const char* cases[] = {"Ubuntu",          "registry.example.com/Team/app",
                         "",                "app:",
                         "app:-bad",        "a//b",
                         "app@sha256:1234", "registry.example.com/app_/x"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto parsed = Reference::Parse(text);

    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(Reference, RefusesRegistriesThatAreNoHostAndPort) {
  // The registry part goes into URLs: only host names, IPv6 in brackets and
  // numeric ports pass.
  const char* cases[] = {"docker-archiv:/tmp/a.tar", "host:/app",      "host:port/app",
                         "-host.example/app",        "a..b/app",       "[zz]:5000/app",
                         "host.example:123456/app",  "a_b.example/app"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto parsed = Reference::Parse(text);

    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().message().find("registry"), std::string::npos);
  }
}

TEST(Reference, AcceptsHostsPortsAndIpv6Registries) {
  const char* cases[] = {"localhost:5000/app", "127.0.0.1:5000/app:1", "[::1]:5000/app",
                         "registry-1.example.com/team/app"};
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    auto parsed = Reference::Parse(text);

    EXPECT_TRUE(parsed.ok()) << parsed.error().message();
  }
}

TEST(Reference, NamesTheUpperCaseRule) {
  auto parsed = Reference::Parse("registry.example.com/Base:1.0");

  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message().find("lower case"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::image
