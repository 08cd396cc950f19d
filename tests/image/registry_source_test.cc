// Registry sources against the real registry server (Debian's docker-registry)
// on loopback: plain http, Basic auth, TLS, Bearer tokens, platform choice,
// and where credentials may and may not go.
#include "image/registry_source.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/digest.h"
#include "image/source.h"
#include "testing/image_builder.h"
#include "testing/registry_server.h"
#include "testing/run_command.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::image {
namespace {

using testing::ImageBuilder;
using testing::RegistryAuth;
using testing::RegistryServer;
using testing::RegistryServerOptions;
using testing::TarBuilder;
using testing::TarCompression;
using testing::TestImage;

TestImage AppImage(const std::string& architecture = "amd64") {
  TestImage image;
  image.architecture = architecture;
  image.layer_compression = TarCompression::kGzip;
  image.layers = {TarBuilder().File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n").Finish(),
                  TarBuilder()
                      .File("opt/app/data.bin", testing::IncompressibleBytes(1 << 20))
                      .File("etc/hostname", architecture + "\n")
                      .Finish()};
  return image;
}

// A registry and a layout with one image tagged v1 pushed as app:1.
class RegistrySourceTest : public ::testing::Test {
 protected:
  void StartRegistry(RegistryServerOptions options) {
    root_ = testing::MakeTempDir();
    registry_ = std::make_unique<RegistryServer>(root_ + "/registry", options);
    std::string error = registry_->Start();
    if (!error.empty()) GTEST_SKIP() << "registry server unavailable: " << error;
  }

  testing::WrittenImage PushApp(const std::string& repo_tag = "app:1") {
    ImageBuilder builder;
    TestImage image = AppImage();
    image.tag = "v1";
    testing::WrittenImage written = builder.AddImage(image);
    std::string layout = root_ + "/layout-" + std::to_string(pushes_++);
    builder.WriteOciLayout(layout);
    std::string error = registry_->Push("oci:" + layout + ":v1", repo_tag);
    EXPECT_EQ(error, "");
    return written;
  }

  Result<ResolvedImage> Resolve(const std::string& spec, const SourceOptions& options = {},
                                const ResolveOptions& resolve = {}) {
    auto source = OpenSource(spec, options);
    if (!source.ok()) return source.error();
    source_ = std::move(source).value();
    return source_->Resolve(resolve);
  }

  // Streams every layer of the last resolved image and returns their sha256s.
  Result<std::vector<Digest>> HashLayers(size_t count) {
    std::vector<Digest> hashes(count);
    std::vector<size_t> indices;
    for (size_t i = 0; i < count; ++i) indices.push_back(i);
    Status streamed = source_->StreamLayers(indices, [&](size_t index, ByteStream& blob) -> Status {
      Sha256 hash;
      char buffer[7000];  // An odd size: reads that straddle the transfer's chunks.
      while (true) {
        BULWARK_ASSIGN_OR_RETURN(size_t got, blob.Read(buffer, sizeof(buffer)));
        if (got == 0) break;
        hash.Update(buffer, got);
      }
      hashes[index] = hash.Finish();
      return Ok();
    });
    if (!streamed.ok()) return streamed.error();
    return hashes;
  }

  // Resolves `spec`, streams its layers, and checks both against `written`.
  void ExpectReads(const std::string& spec, const SourceOptions& options,
                   const testing::WrittenImage& written) {
    auto image = Resolve(spec, options);
    ASSERT_TRUE(image.ok()) << image.error().message();
    EXPECT_EQ(image->image_id.str(), written.config_digest);
    auto hashes = HashLayers(image->layers.size());
    ASSERT_TRUE(hashes.ok()) << hashes.error().message();
    for (size_t i = 0; i < hashes->size(); ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ((*hashes)[i].str(), written.blob_digests[i]);
    }
  }

  // Starts registry_front.py in `mode` with `args` (its log and port file
  // follow) and returns the first port it listens on.
  std::string StartFront(testing::ChildProcess& front, const std::string& mode,
                         std::vector<std::string> args) {
    std::string script = std::string(BULWARK_SOURCE_DIR) + "/tests/testing/registry_front.py";
    std::vector<std::string> argv = {"/usr/bin/python3", script, mode};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back(root_ + "/" + mode + ".log");
    argv.push_back(root_ + "/" + mode + ".port");
    EXPECT_EQ(front.Start(argv, root_ + "/" + mode + ".out"), "");
    EXPECT_EQ(front.WaitForFile(root_ + "/" + mode + ".port"), "");
    std::string ports = testing::ReadFile(root_ + "/" + mode + ".port");
    return ports.substr(0, ports.find(' '));
  }

  std::string FrontLog(const std::string& mode) {
    return testing::ReadFile(root_ + "/" + mode + ".log");
  }

  std::string root_;
  std::unique_ptr<RegistryServer> registry_;
  std::unique_ptr<ImageSource> source_;
  int pushes_ = 0;
};

TEST_F(RegistrySourceTest, ResolvesAnImageFromAPlainHttpRegistry) {
  StartRegistry({});
  testing::WrittenImage written = PushApp();

  auto image = Resolve("docker://" + registry_->host() + "/app:1");

  ASSERT_TRUE(image.ok()) << image.error().message();
  EXPECT_EQ(image->image_id.str(), written.config_digest);
  ASSERT_TRUE(image->manifest_digest.has_value());
  EXPECT_EQ(image->manifest_digest->str(), written.manifest_digest);
  ASSERT_EQ(image->layers.size(), 2u);
  EXPECT_EQ(image->layers[1].diff_id.str(), written.diff_ids[1]);
  EXPECT_EQ(image->layers[1].blob_digest->str(), written.blob_digests[1]);
  EXPECT_EQ(image->names, std::vector<std::string>{registry_->host() + "/app:1"});
}

TEST_F(RegistrySourceTest, StreamsLayerBlobsThatHashToTheirDigests) {
  StartRegistry({});
  testing::WrittenImage written = PushApp();

  ExpectReads("docker://" + registry_->host() + "/app:1", {}, written);
}

TEST_F(RegistrySourceTest, ResolvesByDigestAndRefusesAnUnknownDigest) {
  StartRegistry({});
  testing::WrittenImage written = PushApp();
  std::string name = "docker://" + registry_->host() + "/app";

  auto pinned = Resolve(name + "@" + written.manifest_digest);
  auto unknown = Resolve(name + "@sha256:" + std::string(64, 'e'));

  ASSERT_TRUE(pinned.ok()) << pinned.error().message();
  EXPECT_EQ(pinned->image_id.str(), written.config_digest);
  EXPECT_TRUE(pinned->names.empty());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound) << unknown.error().message();
  EXPECT_NE(unknown.error().message().find("MANIFEST_UNKNOWN"), std::string::npos)
      << unknown.error().message();
}

TEST_F(RegistrySourceTest, ReportsAMissingTagAsNotFoundNamingTheRegistry) {
  StartRegistry({});
  PushApp();

  auto image = Resolve("docker://" + registry_->host() + "/app:2");

  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(image.error().message().find("docker://" + registry_->host() + "/app:2"),
            std::string::npos)
      << image.error().message();
  EXPECT_NE(image.error().message().find("registry " + registry_->host()), std::string::npos);
}

TEST_F(RegistrySourceTest, PicksThePlatformFromAMultiPlatformIndex) {
  StartRegistry({});
  ImageBuilder builder;
  testing::IndexOptions index;
  index.tag = "multi";
  index.attestation = testing::Attestation::kByPlatform;
  std::vector<testing::WrittenImage> written =
      builder.AddIndex({AppImage("amd64"), AppImage("arm64")}, index);
  builder.WriteOciLayout(root_ + "/multi");
  ASSERT_EQ(registry_->Push("oci:" + root_ + "/multi:multi", "multi:1", /*all=*/true), "");
  ResolveOptions arm64;
  arm64.platform = Platform{"linux", "arm64", ""};
  arm64.platform_given = true;
  std::string spec = "docker://" + registry_->host() + "/multi:1";

  auto by_default = Resolve(spec);
  auto chosen = Resolve(spec, {}, arm64);

  ASSERT_TRUE(by_default.ok()) << by_default.error().message();
  EXPECT_EQ(by_default->image_id.str(), written[0].config_digest);
  ASSERT_TRUE(chosen.ok()) << chosen.error().message();
  EXPECT_EQ(chosen->image_id.str(), written[1].config_digest);
  EXPECT_EQ(chosen->config.platform.architecture, "arm64");
}

TEST_F(RegistrySourceTest, AuthenticatesWithBasicCredentialsFromDockerConfig) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kBasic;
  StartRegistry(options);
  testing::WrittenImage written = PushApp();
  SourceOptions source_options;
  source_options.docker_config = testing::WriteDockerConfig(root_ + "/docker", registry_->host(),
                                                            options.user, options.password);

  ExpectReads("docker://" + registry_->host() + "/app:1", source_options, written);
}

TEST_F(RegistrySourceTest, GetsCredentialsFromTheCredentialHelperConfigJsonNames) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kBasic;
  StartRegistry(options);
  testing::WrittenImage written = PushApp();
  // A helper on PATH that answers for this registry only, as docker-credential-* do.
  std::string bin = root_ + "/bin";
  std::filesystem::create_directories(bin);
  std::string helper = bin + "/docker-credential-bulwarktest";
  testing::WriteFile(helper, "#!/bin/sh\nread server\n[ \"$server\" = '" + registry_->host() +
                                 "' ] || { echo 'credentials not found'; exit 1; }\n"
                                 "echo '{\"Username\":\"" +
                                 options.user + "\",\"Secret\":\"" + options.password + "\"}'\n");
  std::filesystem::permissions(helper, std::filesystem::perms::owner_all);
  std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "";
  setenv("PATH", (bin + ":" + old_path).c_str(), 1);
  std::string config = root_ + "/docker/config.json";
  std::filesystem::create_directories(root_ + "/docker");
  testing::WriteFile(config, "{\"credHelpers\": {\"" + registry_->host() + "\": \"bulwarktest\"}}");
  SourceOptions source_options;
  source_options.docker_config = config;

  ExpectReads("docker://" + registry_->host() + "/app:1", source_options, written);

  setenv("PATH", old_path.c_str(), 1);
}

TEST_F(RegistrySourceTest, RefusesAWrongPasswordAsAnAuthenticationError) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kBasic;
  StartRegistry(options);
  PushApp();
  SourceOptions wrong;
  wrong.docker_config =
      testing::WriteDockerConfig(root_ + "/docker", registry_->host(), options.user, "nope");
  SourceOptions none;
  none.docker_config = root_ + "/empty-config.json";
  testing::WriteFile(none.docker_config, "{}");
  SourceOptions absent;
  absent.docker_config = root_ + "/absent/config.json";

  auto refused = Resolve("docker://" + registry_->host() + "/app:1", wrong);
  auto anonymous = Resolve("docker://" + registry_->host() + "/app:1", none);
  auto misnamed = Resolve("docker://" + registry_->host() + "/app:1", absent);

  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kAuthentication);
  EXPECT_NE(refused.error().message().find("authentication refused"), std::string::npos)
      << refused.error().message();
  EXPECT_EQ(refused.error().message().find("nope"), std::string::npos);
  ASSERT_FALSE(anonymous.ok());
  EXPECT_EQ(anonymous.error().code(), ErrorCode::kAuthentication);
  EXPECT_NE(anonymous.error().message().find("no user name and password"), std::string::npos)
      << anonymous.error().message();
  ASSERT_FALSE(misnamed.ok());
  EXPECT_EQ(misnamed.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(
      misnamed.error().message().find("registry config " + absent.docker_config + ": no such file"),
      std::string::npos)
      << misnamed.error().message();
}

TEST_F(RegistrySourceTest, VerifiesTlsAgainstTheGivenCa) {
  RegistryServerOptions options;
  options.tls = true;
  StartRegistry(options);
  testing::WrittenImage written = PushApp();
  std::string spec = "docker://" + registry_->host() + "/app:1";
  SourceOptions trusted;
  trusted.registry_ca_file = registry_->ca_file();
  std::string other_ca = root_ + "/other-ca.pem";
  ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj '/CN=other' "
                         "-keyout " +
                         root_ + "/other-ca.key -out " + other_ca + " >/dev/null 2>&1")
                            .c_str()),
            0);
  SourceOptions untrusted;
  untrusted.registry_ca_file = other_ca;
  SourceOptions insecure;
  insecure.insecure_registry = true;

  auto verified = Resolve(spec, trusted);
  auto refused = Resolve(spec, untrusted);
  auto unverified = Resolve(spec, insecure);

  ASSERT_TRUE(verified.ok()) << verified.error().message();
  EXPECT_EQ(verified->image_id.str(), written.config_digest);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kNetwork);
  EXPECT_NE(refused.error().message().find("certificate"), std::string::npos)
      << refused.error().message();
  ASSERT_TRUE(unverified.ok()) << unverified.error().message();
}

TEST_F(RegistrySourceTest, FetchesABearerTokenFromTheRealmTheRegistryNames) {
  // The real registry in its token mode: it names a realm (a token endpoint
  // of registry_front.py) and verifies the JWTs it signs.
  RegistryServerOptions options;
  options.auth = RegistryAuth::kToken;
  StartRegistry(options);
  testing::WrittenImage written = PushApp();
  SourceOptions source_options;
  source_options.docker_config = testing::WriteDockerConfig(root_ + "/docker", registry_->host(),
                                                            options.user, options.password);

  ExpectReads("docker://" + registry_->host() + "/app:1", source_options, written);

  std::string log = registry_->TokenLog();
  EXPECT_NE(log.find("scope=repository%3Aapp%3Apull Basic "), std::string::npos) << log;
}

TEST_F(RegistrySourceTest, ExchangesAnIdentityTokenForABearerToken) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kToken;
  StartRegistry(options);
  testing::WrittenImage written = PushApp();
  std::string config = root_ + "/docker/config.json";
  std::filesystem::create_directories(root_ + "/docker");
  testing::WriteFile(config, "{\"auths\": {\"" + registry_->host() + "\": {\"identitytoken\": \"" +
                                 options.password + "\"}}}");
  SourceOptions source_options;
  source_options.docker_config = config;

  ExpectReads("docker://" + registry_->host() + "/app:1", source_options, written);

  std::string log = registry_->TokenLog();
  EXPECT_NE(log.find("front POST /token -"), std::string::npos) << log;
  // Only the push by skopeo asked with GET.
  EXPECT_EQ(log.find("GET /token?service=bulwark-test-registry&scope=repository%3Aapp%3Apull "),
            std::string::npos)
      << log;
}

TEST_F(RegistrySourceTest, RefusesATokenForWrongCredentials) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kToken;
  StartRegistry(options);
  PushApp();
  SourceOptions wrong;
  wrong.docker_config =
      testing::WriteDockerConfig(root_ + "/docker", registry_->host(), options.user, "nope");

  auto image = Resolve("docker://" + registry_->host() + "/app:1", wrong);

  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), ErrorCode::kAuthentication);
  EXPECT_NE(image.error().message().find("token endpoint"), std::string::npos)
      << image.error().message();
}

TEST_F(RegistrySourceTest, NeverSendsOneRegistrysCredentialsToAnother) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kToken;
  StartRegistry(options);
  PushApp();
  // config.json holds credentials for the real registry only; the decoy asks
  // for a Bearer token from its own realm.
  testing::ChildProcess decoy;
  std::string decoy_host = "127.0.0.1:" + StartFront(decoy, "decoy", {});
  SourceOptions source_options;
  source_options.docker_config = testing::WriteDockerConfig(root_ + "/docker", registry_->host(),
                                                            options.user, options.password);

  auto first = Resolve("docker://" + registry_->host() + "/app:1", source_options);
  auto second = Resolve("docker://" + decoy_host + "/app:1", source_options);

  ASSERT_TRUE(first.ok()) << first.error().message();
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::kAuthentication) << second.error().message();
  std::string log = FrontLog("decoy");
  EXPECT_NE(log.find("GET /v2/ -"), std::string::npos) << log;
  EXPECT_NE(log.find("GET /token?service=decoy&scope=repository%3Aapp%3Apull -"), std::string::npos)
      << log;
  EXPECT_EQ(log.find("Basic"), std::string::npos) << log;
  EXPECT_EQ(log.find("Bearer"), std::string::npos) << log;
}

TEST_F(RegistrySourceTest, FollowsBlobRedirectsWithoutCredentials) {
  StartRegistry({});
  testing::WrittenImage written = PushApp();
  // A front asking for Basic credentials that redirects blob requests to a
  // "storage" listener on another port.
  testing::ChildProcess front;
  std::string front_host =
      "127.0.0.1:" +
      StartFront(front, "redirect", {"http://" + registry_->host(), "front-user", "front-pass"});
  SourceOptions source_options;
  source_options.docker_config =
      testing::WriteDockerConfig(root_ + "/docker", front_host, "front-user", "front-pass");

  ExpectReads("docker://" + front_host + "/app:1", source_options, written);

  std::string log = FrontLog("redirect");
  EXPECT_NE(log.find("front GET /v2/app/manifests/1 Basic "), std::string::npos) << log;
  EXPECT_NE(log.find("storage GET /storage/v2/app/blobs/" + written.blob_digests[1] + " -"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("storage GET /storage/v2/app/blobs/" + written.blob_digests[1] + " Basic"),
            std::string::npos)
      << log;
}

TEST_F(RegistrySourceTest, RetriesThrottledAndFailedRequestsAndThenGivesUp) {
  StartRegistry({});
  testing::WrittenImage written = PushApp();
  testing::ChildProcess front;
  std::string front_host =
      "127.0.0.1:" + StartFront(front, "flaky", {"http://" + registry_->host()});

  ExpectReads("docker://" + front_host + "/app:1", {}, written);
  auto broken = Resolve("docker://" + front_host + "/broken:1");

  std::string log = FrontLog("flaky");
  std::string blob_request = "front GET /v2/app/blobs/" + written.blob_digests[1] + " -\n";
  size_t first = log.find(blob_request);
  ASSERT_NE(first, std::string::npos) << log;
  EXPECT_NE(log.find(blob_request, first + 1), std::string::npos) << log;
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().code(), ErrorCode::kNetwork);
  EXPECT_NE(broken.error().message().find("HTTP status 503"), std::string::npos)
      << broken.error().message();
  size_t broken_requests = 0;
  for (size_t at = log.find("/v2/broken/"); at != std::string::npos;
       at = log.find("/v2/broken/", at + 1)) {
    ++broken_requests;
  }
  EXPECT_EQ(broken_requests, 4u) << log;  // ClientOptions::attempts.
}

TEST_F(RegistrySourceTest, ResumesABlobTransferThatBreaksOffWithARangeRequest) {
  StartRegistry({});
  testing::WrittenImage written = PushApp();
  testing::ChildProcess front;
  std::string front_host = "127.0.0.1:" + StartFront(front, "cut", {"http://" + registry_->host()});

  ExpectReads("docker://" + front_host + "/app:1", {}, written);

  std::string log = FrontLog("cut");
  std::string blob = "GET /v2/app/blobs/" + written.blob_digests[1] + " -\n";
  size_t first = log.find(blob);
  ASSERT_NE(first, std::string::npos) << log;
  EXPECT_NE(log.find(blob, first + 1), std::string::npos) << log;  // The resumed request.
}

TEST_F(RegistrySourceTest, RefusesSchema1OversizedAndMismatchedManifests) {
  root_ = testing::MakeTempDir();
  std::string missing;
  if (!testing::RegistryToolsAvailable(&missing)) GTEST_SKIP() << missing;
  testing::ChildProcess odd;
  std::string host = "127.0.0.1:" + StartFront(odd, "odd", {});
  std::string wanted = "sha256:" + std::string(64, 'b');

  auto schema1 = Resolve("docker://" + host + "/schema1:1");
  auto huge = Resolve("docker://" + host + "/huge:1");
  auto mismatched = Resolve("docker://" + host + "/other@" + wanted);

  ASSERT_FALSE(schema1.ok());
  EXPECT_EQ(schema1.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(schema1.error().message().find("schema 1"), std::string::npos)
      << schema1.error().message();
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code(), ErrorCode::kLimitExceeded) << huge.error().message();
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(mismatched.error().message().find("manifest " + wanted +
                                              ": the registry sent a manifest that hashes to"),
            std::string::npos)
      << mismatched.error().message();
}

TEST_F(RegistrySourceTest, ABareTextNamingNoFileSaysBothReadings) {
  int closed_port = testing::FreeLoopbackPort();
  std::string text = "127.0.0.1:" + std::to_string(closed_port) + "/app.tar";
  SourceOptions options;
  options.docker_config = testing::MakeTempDir() + "/config.json";

  auto source = OpenSource(text, options);
  ASSERT_TRUE(source.ok()) << source.error().message();
  ResolveOptions resolve;
  auto image = (*source)->Resolve(resolve);

  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.error().code(), ErrorCode::kNetwork);
  EXPECT_NE(image.error().message().find(text +
                                         ": no such file or directory; read as the image "
                                         "reference " +
                                         text + ":latest"),
            std::string::npos)
      << image.error().message();
  EXPECT_NE(image.error().message().find("registry 127.0.0.1:" + std::to_string(closed_port)),
            std::string::npos);
}

}  // namespace
}  // namespace bulwark::image
