#include "image/documents.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace bulwark::image {
namespace {

constexpr char kDigestA[] =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char kDigestB[] =
    "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string ManifestJson(const std::string& extra = "") {
  return std::string(
             R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)") +
         R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
         kDigestA + R"(","size":7},"layers":[)" +
         R"({"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":")" + kDigestB +
         R"(","size":32}])" + extra + "}";
}

TEST(Documents, ParsesManifestDescriptors) {
  std::string json = ManifestJson();

  auto manifest = ParseManifest(json, "manifest");

  ASSERT_TRUE(manifest.ok()) << manifest.error().message();
  EXPECT_EQ(manifest->config.digest.str(), kDigestA);
  EXPECT_EQ(manifest->config.size, 7);
  ASSERT_EQ(manifest->layers.size(), 1u);
  EXPECT_EQ(manifest->layers[0].digest.str(), kDigestB);
  EXPECT_EQ(manifest->layers[0].media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
}

TEST(Documents, RefusesSchemaOneManifestsAsUnsupported) {
  std::string json = R"({"schemaVersion":1,"name":"x","fsLayers":[]})";

  auto manifest = ParseManifest(json, "manifest");

  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code(), ErrorCode::kUnsupported);
}

TEST(Documents, RefusesDuplicateKeys) {
  std::string json = ManifestJson(R"(,"layers":[])");

  auto manifest = ParseManifest(json, "manifest sha256:1");

  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(manifest.error().message().find("duplicate key layers"), std::string::npos);
  EXPECT_NE(manifest.error().message().find("manifest sha256:1"), std::string::npos);
}

TEST(Documents, RefusesDeepNestingAsLimit) {
  std::string json =
      R"({"schemaVersion":2,"x":)" + std::string(10000, '[') + std::string(10000, ']') + "}";

  auto index = ParseIndex(json, "index");

  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.error().code(), ErrorCode::kLimitExceeded);
}

TEST(Documents, RefusesOversizedDocuments) {
  std::string json = ManifestJson(R"(,"pad":")" + std::string(kMaxManifestBytes, 'x') + "\"");

  auto manifest = ParseManifest(json, "manifest");

  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code(), ErrorCode::kLimitExceeded);
}

TEST(Documents, RefusesMalformedJsonNamingTheDocument) {
  std::string json = R"({"schemaVersion":2,)";

  auto manifest = ParseManifest(json, "manifest sha256:abc");

  ASSERT_FALSE(manifest.ok());
  EXPECT_EQ(manifest.error().code(), ErrorCode::kCorruptInput);
  EXPECT_EQ(manifest.error().message().rfind("manifest sha256:abc: ", 0), 0u);
}

TEST(Documents, ExtractsConfigFields) {
  std::string json =
      std::string(R"({"architecture":"arm64","os":"linux","variant":"v8",)") +
      R"("created":"2024-01-01T00:00:00Z","config":{"User":"app","Env":["A=1"],)" +
      R"("Entrypoint":["/bin/sh"],"Cmd":["-c","x"],"WorkingDir":"/srv",)" +
      R"("Labels":{"k":"v"}},"rootfs":{"type":"layers","diff_ids":[")" + kDigestA +
      R"("]},"history":[{"created_by":"RUN x","empty_layer":true},{"comment":"c"}]})";

  auto config = ParseImageConfig(json, "config");

  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->platform.str(), "linux/arm64/v8");
  EXPECT_EQ(config->user, "app");
  EXPECT_EQ(config->env, std::vector<std::string>{"A=1"});
  EXPECT_EQ(config->entrypoint, std::vector<std::string>{"/bin/sh"});
  EXPECT_EQ(config->cmd, (std::vector<std::string>{"-c", "x"}));
  EXPECT_EQ(config->working_dir, "/srv");
  EXPECT_EQ(config->labels.at("k"), "v");
  ASSERT_EQ(config->diff_ids.size(), 1u);
  EXPECT_EQ(config->diff_ids[0].str(), kDigestA);
  ASSERT_EQ(config->history.size(), 2u);
  EXPECT_TRUE(config->history[0].empty_layer);
  EXPECT_EQ(config->history[1].comment, "c");
}

TEST(Documents, AcceptsNullConfigFields) {
  std::string json =
      R"({"os":"linux","architecture":"amd64","config":{"Env":null,"Cmd":null,"Labels":null},)"
      R"("rootfs":{"type":"layers","diff_ids":[]}})";

  auto config = ParseImageConfig(json, "config");

  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_TRUE(config->env.empty());
  EXPECT_TRUE(config->labels.empty());
}

TEST(Documents, RefusesConfigFieldsOfTheWrongType) {
  const char* cases[] = {
      R"({"config":{"User":5},"rootfs":{"type":"layers","diff_ids":[]}})",
      R"({"config":{"Labels":{"a":1}},"rootfs":{"type":"layers","diff_ids":[]}})",
      R"({"rootfs":{"type":"layers","diff_ids":["md5:00"]}})",
      R"({"rootfs":{"type":"other","diff_ids":[]}})",
      R"({"config":{}})",
  };
  for (const char* json : cases) {
    SCOPED_TRACE(json);

    auto config = ParseImageConfig(json, "config");

    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.error().code(), ErrorCode::kInternal);
  }
}

// Go's encoding/json, which Docker and containerd use, takes keys differing
// only in case for one struct field and keeps the last: Bulwark must refuse
// such documents instead of reading the other spelling.
TEST(Documents, RefusesStructKeysDifferingOnlyInCase) {
  const std::string layer =
      std::string(R"({"mediaType":"m","size":1,"digest":")") + kDigestB + R"("})";
  const std::string rootfs =
      std::string(R"("rootfs":{"type":"layers","diff_ids":[")") + kDigestA + R"("]})";
  struct Case {
    const char* name;
    std::string json;
    const char* first;
    const char* second;
  } cases[] = {
      {"manifest layers", ManifestJson(R"(,"Layers":[)" + layer + "," + layer + "]"), "layers",
       "Layers"},
      {"manifest config", ManifestJson(R"(,"Config":)" + layer), "config", "Config"},
      {"descriptor digest",
       ManifestJson().substr(0, ManifestJson().size() - 3) + R"(,"DIGEST":"x"}]})", "digest",
       "DIGEST"},
      {"config diff_ids",
       std::string(R"({"rootfs":{"type":"layers","diff_ids":[")") + kDigestA +
           R"("],"DIFF_IDS":[")" + kDigestA + R"(",")" + kDigestB + R"("]}})",
       "diff_ids", "DIFF_IDS"},
      {"config user", R"({"config":{"User":"app","user":"0"},)" + rootfs + "}", "User", "user"},
      {"config run config", R"({"config":{"User":"app"},"Config":{"User":"0"},)" + rootfs + "}",
       "config", "Config"},
      {"config labels", R"({"config":{"Labels":{"a":"1"},"labels":{"a":"2"}},)" + rootfs + "}",
       "Labels", "labels"},
      {"config rootfs", R"({"rootfs":{"type":"layers"},"RootFS":{"type":"layers"}})", "rootfs",
       "RootFS"},
      {"history entry", R"({"history":[{"empty_layer":false,"Empty_Layer":true}],)" + rootfs + "}",
       "empty_layer", "Empty_Layer"},
      {"index platform",
       std::string(R"({"schemaVersion":2,"manifests":[{"mediaType":"m","size":1,"digest":")") +
           kDigestA + R"(","platform":{"os":"linux","OS":"windows"}}]})",
       "os", "OS"},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.name);

    Status status = Ok();
    if (std::string_view(test.name).starts_with("manifest") ||
        std::string_view(test.name).starts_with("descriptor")) {
      auto manifest = ParseManifest(test.json, "manifest sha256:1");
      if (!manifest.ok()) status = manifest.error();
    } else if (std::string_view(test.name).starts_with("index")) {
      auto index = ParseIndex(test.json, "manifest sha256:1");
      if (!index.ok()) status = index.error();
    } else {
      auto config = ParseImageConfig(test.json, "manifest sha256:1");
      if (!config.ok()) status = config.error();
    }

    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code(), ErrorCode::kCorruptInput);
    const std::string& message = status.error().message();
    EXPECT_EQ(message.rfind("manifest sha256:1: ", 0), 0u) << message;
    EXPECT_NE(message.find(std::string("\"") + test.first + "\""), std::string::npos) << message;
    EXPECT_NE(message.find(std::string("\"") + test.second + "\""), std::string::npos) << message;
  }
}

TEST(Documents, RefusesDockerArchiveManifestKeysDifferingOnlyInCase) {
  const char* cases[] = {
      R"([{"Config":"a.json","Layers":["l1/layer.tar"],"layers":["l1/layer.tar","l2/layer.tar"]}])",
      R"([{"Config":"a.json","config":"b.json","Layers":[]}])",
  };
  for (const char* json : cases) {
    SCOPED_TRACE(json);

    auto entries = ParseDockerArchiveManifest(json, "manifest.json");

    ASSERT_FALSE(entries.ok());
    EXPECT_EQ(entries.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(entries.error().message().find("differ only in case"), std::string::npos);
  }
}

TEST(Documents, FoldsKelvinSignAndLongSAsGoDoes) {
  // "Uſer" (long s) and "WorKingDir" (Kelvin sign) are User and WorkingDir to Go.
  const char* cases[] = {
      "{\"config\":{\"User\":\"app\",\"U\xC5\xBF"
      "er\":\"0\"}}",
      "{\"config\":{\"WorkingDir\":\"/a\",\"Wor\xE2\x84\xAAingDir\":\"/b\"}}",
  };
  for (const char* json : cases) {
    SCOPED_TRACE(json);

    auto config = ParseImageConfig(json, "config");

    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(config.error().message().find("differ only in case"), std::string::npos);
  }
}

TEST(Documents, AcceptsMapKeysDifferingOnlyInCase) {
  std::string config_json =
      std::string(R"({"config":{"Labels":{"Foo":"1","foo":"2"},)") +
      R"("ExposedPorts":{"80/TCP":{},"80/tcp":{}},"Volumes":{"/A":{},"/a":{}}},)" +
      R"("rootfs":{"type":"layers","diff_ids":[")" + kDigestA + R"("]}})";
  std::string manifest_json = ManifestJson(R"(,"annotations":{"Org":"1","org":"2"})");
  std::string archive_json = std::string(R"([{"Config":"c","Layers":["l"],"LayerSources":{")") +
                             kDigestA + R"(":{"size":3,"digest":")" + kDigestB +
                             R"(","annotations":{"K":"1","k":"2"}}}}])";

  auto config = ParseImageConfig(config_json, "config");
  auto manifest = ParseManifest(manifest_json, "manifest");
  auto entries = ParseDockerArchiveManifest(archive_json, "manifest.json");

  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->labels.at("Foo"), "1");
  EXPECT_EQ(config->labels.at("foo"), "2");
  ASSERT_TRUE(manifest.ok()) << manifest.error().message();
  ASSERT_TRUE(entries.ok()) << entries.error().message();
  EXPECT_EQ((*entries)[0].layer_sources.begin()->second.annotations.size(), 2u);
}

TEST(Documents, StillRefusesExactDuplicateMapKeys) {
  std::string json = R"({"config":{"Labels":{"a":"1","a":"2"}}})";

  auto config = ParseImageConfig(json, "config");

  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message().find("duplicate key a"), std::string::npos);
}

TEST(Documents, ChecksStructsInsideMapValues) {
  std::string json = std::string(R"([{"Config":"c","Layers":["l"],"LayerSources":{")") + kDigestA +
                     R"(":{"size":3,"digest":")" + kDigestB + R"(","Digest":")" + kDigestA +
                     R"("}}}])";

  auto entries = ParseDockerArchiveManifest(json, "manifest.json");

  ASSERT_FALSE(entries.ok());
  EXPECT_NE(entries.error().message().find("\"digest\" and \"Digest\""), std::string::npos);
}

TEST(Documents, ReadsFieldsSpelledInAnotherCaseAsGoDoes) {
  std::string json = std::string(R"({"Config":{"user":"0","LABELS":{"a":"b"}},)") +
                     R"("RootFS":{"Type":"layers","DIFF_IDS":[")" + kDigestA + R"("]},)" +
                     R"("History":[{"Empty_Layer":true}]})";

  auto config = ParseImageConfig(json, "config");

  ASSERT_TRUE(config.ok()) << config.error().message();
  EXPECT_EQ(config->user, "0");
  EXPECT_EQ(config->labels.at("a"), "b");
  ASSERT_EQ(config->diff_ids.size(), 1u);
  EXPECT_EQ(config->diff_ids[0].str(), kDigestA);
  ASSERT_EQ(config->history.size(), 1u);
  EXPECT_TRUE(config->history[0].empty_layer);
}

TEST(Documents, TreatsNullIndexManifestsAsEmpty) {
  std::string json = R"({"schemaVersion":2,"manifests":null})";

  auto index = ParseIndex(json, "index.json");

  ASSERT_TRUE(index.ok()) << index.error().message();
  EXPECT_TRUE(index->manifests.empty());
}

TEST(Documents, ReadsIndexPlatformsAndAttestations) {
  std::string json = std::string(R"({"schemaVersion":2,"manifests":[)") +
                     R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                     kDigestA + R"(","size":1,"platform":{"os":"linux","architecture":"arm"}},)" +
                     R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                     kDigestB +
                     R"(","size":1,"platform":{"os":"unknown","architecture":"unknown"}}]})";

  auto index = ParseIndex(json, "index");

  ASSERT_TRUE(index.ok()) << index.error().message();
  ASSERT_EQ(index->manifests.size(), 2u);
  EXPECT_EQ(index->manifests[0].platform->str(), "linux/arm");
  EXPECT_FALSE(index->manifests[0].IsAttestation());
  EXPECT_TRUE(index->manifests[1].IsAttestation());
}

TEST(Documents, ParsesDockerArchiveManifestWithNullRepoTags) {
  std::string json = std::string(R"([{"Config":"blobs/sha256/x","RepoTags":null,)") +
                     R"("Layers":["blobs/sha256/y"],"LayerSources":{")" + kDigestA +
                     R"(":{"mediaType":"m","size":3,"digest":")" + kDigestB + R"("}}}])";

  auto entries = ParseDockerArchiveManifest(json, "manifest.json");

  ASSERT_TRUE(entries.ok()) << entries.error().message();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_TRUE((*entries)[0].repo_tags.empty());
  EXPECT_EQ((*entries)[0].layers, std::vector<std::string>{"blobs/sha256/y"});
  EXPECT_EQ((*entries)[0].layer_sources.begin()->second.digest.str(), kDigestB);
}

TEST(Documents, RefusesNullDockerArchiveManifest) {
  std::string json = "null";

  auto entries = ParseDockerArchiveManifest(json, "manifest.json");

  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.error().code(), ErrorCode::kCorruptInput);
}

TEST(Documents, SniffsKindFromFieldsWhenMediaTypeIsAbsent) {
  std::string index = R"({"schemaVersion":2,"manifests":[]})";
  std::string manifest = R"({"schemaVersion":2,"config":{},"layers":[]})";
  std::string artifact = R"({"mediaType":"application/vnd.example+json"})";

  auto index_kind = SniffDocumentKind(index, "a");
  auto manifest_kind = SniffDocumentKind(manifest, "b");
  auto artifact_kind = SniffDocumentKind(artifact, "c");

  ASSERT_TRUE(index_kind.ok());
  EXPECT_EQ(*index_kind, DocumentKind::kIndex);
  ASSERT_TRUE(manifest_kind.ok());
  EXPECT_EQ(*manifest_kind, DocumentKind::kManifest);
  ASSERT_FALSE(artifact_kind.ok());
  EXPECT_EQ(artifact_kind.error().code(), ErrorCode::kUnsupported);
}

TEST(Documents, VerifyBlobNamesBothDigests) {
  Descriptor descriptor;
  descriptor.digest = *Digest::Parse(kDigestA);
  std::string bytes = "not abc";

  Status status = VerifyBlob(bytes, descriptor, "config");

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(status.error().message().find(kDigestA), std::string::npos);
  EXPECT_NE(status.error().message().find(Sha256Of(bytes).str()), std::string::npos);
}

TEST(Documents, VerifyBlobChecksStatedSize) {
  Descriptor descriptor;
  descriptor.digest = Sha256Of("abc");
  descriptor.size = 4;

  Status status = VerifyBlob("abc", descriptor, "manifest");

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kCorruptInput);
}

TEST(Platform, ParsesAndPrints) {
  auto plain = Platform::Parse("linux/amd64");
  auto variant = Platform::Parse("linux/arm64/v8");
  auto bad = Platform::Parse("linux");
  auto trailing = Platform::Parse("linux/arm/");

  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->str(), "linux/amd64");
  ASSERT_TRUE(variant.ok());
  EXPECT_EQ(variant->variant, "v8");
  EXPECT_FALSE(bad.ok());
  EXPECT_FALSE(trailing.ok());
}

TEST(Platform, RejectsMalformedTextNamingIt) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"lin ux/amd64", "lin ux/amd64"},
      {"linux/amd64\n", "linux/amd64\\n"},
      {"linux//v8", "linux//v8"},
      {"/amd64", "/amd64"},
      {"Linux/AMD64", "Linux/AMD64"},
      {"linux/amd64;rm", "linux/amd64;rm"},
      {"linux/arm64/v8/x", "linux/arm64/v8/x"},
  };
  for (const auto& [text, shown] : cases) {
    SCOPED_TRACE(text);

    auto platform = Platform::Parse(text);

    ASSERT_FALSE(platform.ok());
    EXPECT_EQ(platform.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(platform.error().message().find("\"" + shown + "\""), std::string::npos)
        << platform.error().message();
  }
}

TEST(Platform, AcceptsTheCharactersOfRealPlatforms) {
  for (const char* text : {"linux/ppc64le", "linux/mips64le", "windows/amd64", "linux/arm/v7",
                           "freebsd/x86_64", "linux/loong64/v1.0-a"}) {
    SCOPED_TRACE(text);

    auto platform = Platform::Parse(text);

    EXPECT_TRUE(platform.ok()) << platform.error().message();
  }
}

}  // namespace
}  // namespace bulwark::image
