// Where the client sends requests: registry hosts, loopback, URL origins.
#include "registry/client.h"

#include <gtest/gtest.h>

#include "registry/url.h"

namespace bulwark::registry {
namespace {

TEST(RegistryClient, ReachesDockerHubAtItsRegistryHost) {
  EXPECT_EQ(RegistryEndpointHost("docker.io"), "registry-1.docker.io");
  EXPECT_EQ(RegistryEndpointHost("localhost:5000"), "localhost:5000");
  EXPECT_EQ(RegistryEndpointHost("registry.example.com"), "registry.example.com");
}

TEST(RegistryClient, TellsLoopbackRegistriesApart) {
  for (const char* name :
       {"localhost", "localhost:5000", "127.0.0.1:5000", "127.1.2.3", "[::1]:5000"}) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(IsLoopbackRegistry(name));
  }
  for (const char* name : {"docker.io", "128.0.0.1:5000", "localhost.example.com:5000", "10.0.0.1",
                           "127.0.0.1.example.com"}) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(IsLoopbackRegistry(name));
  }
}

TEST(RegistryClient, AcceptsEveryManifestAndIndexType) {
  std::string_view accept = ManifestAcceptHeader();

  for (const char* type :
       {"application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json"}) {
    EXPECT_NE(accept.find(type), std::string_view::npos) << type;
  }
  EXPECT_EQ(accept.find("distribution.manifest.v1"), std::string_view::npos);
}

TEST(UrlOrigin, ComparesSchemeHostAndPort) {
  auto registry = OriginOf("https://Registry.Example.com/v2/app/blobs/x");
  auto same = OriginOf("https://registry.example.com:443/other");
  auto other_port = OriginOf("https://registry.example.com:8443/v2/");
  auto plain = OriginOf("http://registry.example.com/v2/");
  auto storage = OriginOf("https://storage.example.net/blob?sig=1");

  ASSERT_TRUE(registry.ok() && same.ok() && other_port.ok() && plain.ok() && storage.ok());
  EXPECT_EQ(*registry, *same);
  EXPECT_NE(*registry, *other_port);
  EXPECT_NE(*registry, *plain);
  EXPECT_NE(*registry, *storage);
  EXPECT_EQ(registry->str(), "https://registry.example.com:443");
}

TEST(UrlOrigin, RefusesOtherSchemes) {
  for (const char* url : {"file:///etc/passwd", "ftp://h/x", "not a url", "/relative"}) {
    SCOPED_TRACE(url);
    EXPECT_FALSE(OriginOf(url).ok());
  }
}

TEST(UrlOrigin, ResolvesRelativeLocations) {
  auto absolute = ResolveUrl("https://r.example/v2/a/blobs/x", "https://s.example/y");
  auto relative = ResolveUrl("https://r.example/v2/a/blobs/x", "/storage/x?sig=1");

  ASSERT_TRUE(absolute.ok() && relative.ok());
  EXPECT_EQ(*absolute, "https://s.example/y");
  EXPECT_EQ(*relative, "https://r.example/storage/x?sig=1");
}

TEST(UrlOrigin, EscapesQueryValues) {
  EXPECT_EQ(EscapeQueryValue("repository:library/ubuntu:pull"),
            "repository%3Alibrary%2Fubuntu%3Apull");
}

}  // namespace
}  // namespace bulwark::registry
