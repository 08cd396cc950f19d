// OCI layouts (oci:DIR) and OCI archives (oci-archive:PATH) through OpenSource.
#include <gtest/gtest.h>

#include <filesystem>
#include <numeric>
#include <string>
#include <vector>

#include "common/byte_stream.h"
#include "common/digest.h"
#include "image/source.h"
#include "testing/image_builder.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::image {
namespace {

using testing::ImageBuilder;
using testing::TarBuilder;
using testing::TarCompression;
using testing::TestImage;
using testing::WrittenImage;

std::string LayerTar(const std::string& body) {
  return TarBuilder().File("etc/marker", body).Finish();
}

TestImage SimpleImage(const std::string& marker, const std::string& arch = "amd64") {
  TestImage image;
  image.layers = {LayerTar(marker + "-base"), LayerTar(marker + "-app")};
  image.architecture = arch;
  return image;
}

Result<ResolvedImage> Resolve(const std::string& spec, const ResolveOptions& options = {}) {
  auto source = OpenSource(spec);
  if (!source.ok()) return source.error();
  return (*source)->Resolve(options);
}

std::vector<std::string> ReadLayers(ImageSource& source, size_t count) {
  std::vector<std::string> blobs(count);
  std::vector<size_t> indices(count);
  std::iota(indices.begin(), indices.end(), 0);
  Status status = source.StreamLayers(indices, [&](size_t index, ByteStream& blob) -> Status {
    BULWARK_ASSIGN_OR_RETURN(blobs[index], ReadAllLimited(blob, 1 << 30, "layer"));
    return Ok();
  });
  EXPECT_TRUE(status.ok()) << status.error().message();
  return blobs;
}

std::string ErrorText(const Result<ResolvedImage>& result) {
  return result.ok() ? "(ok)" : result.error().message();
}

class OciLayout : public ::testing::Test {
 protected:
  std::string dir_ = bulwark::testing::MakeTempDir() + "/layout";
};

TEST_F(OciLayout, ResolvesImageWithConfigFields) {
  ImageBuilder builder;
  TestImage image = SimpleImage("a");
  image.user = "app";
  image.labels = {{"com.example.team", "core"}};
  image.env = {"PATH=/bin"};
  image.cmd = {"/bin/app"};
  WrittenImage written = builder.AddImage(image);
  builder.WriteOciLayout(dir_);

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(), written.config_digest);
  EXPECT_EQ(resolved->manifest_digest->str(), written.manifest_digest);
  EXPECT_EQ(resolved->source, "oci:" + dir_);
  EXPECT_EQ(resolved->config.user, "app");
  EXPECT_EQ(resolved->config.labels.at("com.example.team"), "core");
  EXPECT_EQ(resolved->config.cmd, std::vector<std::string>{"/bin/app"});
  EXPECT_EQ(Sha256Of(resolved->config_json).str(), written.config_digest);
  ASSERT_EQ(resolved->layers.size(), 2u);
  EXPECT_EQ(resolved->layers[1].diff_id.str(), written.diff_ids[1]);
  EXPECT_EQ(resolved->layers[1].blob_digest->str(), written.blob_digests[1]);
}

TEST_F(OciLayout, StreamsRawLayerBlobsAgainAndAgain) {
  ImageBuilder builder;
  TestImage image = SimpleImage("a");
  image.layer_compression = TarCompression::kZstd;
  WrittenImage written = builder.AddImage(image);
  builder.WriteOciLayout(dir_);
  auto source = OpenSource(dir_);
  ASSERT_TRUE(source.ok()) << source.error().message();
  ASSERT_TRUE((*source)->Resolve({}).ok());

  auto first = ReadLayers(**source, 2);
  auto second = ReadLayers(**source, 2);

  EXPECT_EQ(Sha256Of(first[0]).str(), written.blob_digests[0]);
  EXPECT_EQ(Sha256Of(first[1]).str(), written.blob_digests[1]);
  EXPECT_EQ(first, second);
}

TEST_F(OciLayout, ResolvesTaggedImage) {
  ImageBuilder builder;
  TestImage one = SimpleImage("one");
  one.tag = "1.0";
  TestImage two = SimpleImage("two");
  two.tag = "2.0";
  builder.AddImage(one);
  WrittenImage written = builder.AddImage(two);
  builder.WriteOciLayout(dir_);

  auto resolved = Resolve("oci:" + dir_ + ":2.0");

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(), written.config_digest);
  EXPECT_EQ(resolved->names, std::vector<std::string>{"2.0"});
}

TEST_F(OciLayout, ListsTagsWhenSeveralImagesAndNoTag) {
  ImageBuilder builder;
  TestImage one = SimpleImage("one");
  one.tag = "1.0";
  TestImage two = SimpleImage("two");
  two.tag = "2.0";
  builder.AddImage(one);
  builder.AddImage(two);
  builder.WriteOciLayout(dir_);

  auto resolved = Resolve("oci:" + dir_);
  auto missing = Resolve("oci:" + dir_ + ":3.0");

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(resolved.error().message().find("1.0, 2.0"), std::string::npos);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message().find("1.0, 2.0"), std::string::npos);
}

TEST_F(OciLayout, ChoosesPlatformFromMultiPlatformIndex) {
  ImageBuilder builder;
  auto written = builder.AddIndex({SimpleImage("arm", "arm64"), SimpleImage("x86", "amd64")},
                                  {.tag = "multi"});
  builder.WriteOciLayout(dir_);
  ResolveOptions arm;
  arm.platform = *Platform::Parse("linux/arm64");
  arm.platform_given = true;

  auto by_default = Resolve("oci:" + dir_);
  auto chosen = Resolve("oci:" + dir_ + ":multi", arm);

  ASSERT_TRUE(by_default.ok()) << ErrorText(by_default);
  EXPECT_EQ(by_default->image_id.str(), written[1].config_digest);
  ASSERT_TRUE(chosen.ok()) << ErrorText(chosen);
  EXPECT_EQ(chosen->image_id.str(), written[0].config_digest);
  EXPECT_EQ(chosen->config.platform.architecture, "arm64");
}

TEST_F(OciLayout, ListsPlatformsWhenRequestedOneIsAbsent) {
  ImageBuilder builder;
  builder.AddIndex({SimpleImage("arm", "arm64"), SimpleImage("s390", "s390x")}, {});
  builder.WriteOciLayout(dir_);
  ResolveOptions riscv;
  riscv.platform = *Platform::Parse("linux/riscv64");
  riscv.platform_given = true;

  auto by_default = Resolve("oci:" + dir_);
  auto requested = Resolve("oci:" + dir_, riscv);

  ASSERT_FALSE(by_default.ok());
  EXPECT_EQ(by_default.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(by_default.error().message().find("linux/amd64"), std::string::npos);
  EXPECT_NE(by_default.error().message().find("linux/arm64, linux/s390x"), std::string::npos);
  ASSERT_FALSE(requested.ok());
  EXPECT_EQ(requested.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(requested.error().message().find("linux/riscv64"), std::string::npos);
}

TEST_F(OciLayout, NeverChoosesAttestationManifests) {
  for (auto kind : {testing::Attestation::kByPlatform, testing::Attestation::kByAnnotation}) {
    for (bool nested : {false, true}) {
      SCOPED_TRACE(
          std::string(kind == testing::Attestation::kByPlatform ? "platform" : "annotation") +
          (nested ? " nested" : ""));
      std::string dir = bulwark::testing::MakeTempDir() + "/layout";
      ImageBuilder builder;
      auto written = builder.AddIndex({SimpleImage("real")},
                                      {.tag = "t", .nested = nested, .attestation = kind});
      builder.WriteOciLayout(dir);

      auto resolved = Resolve("oci:" + dir);

      ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
      EXPECT_EQ(resolved->image_id.str(), written[0].config_digest);
      EXPECT_EQ(resolved->config.labels.count("attestation"), 0u);
    }
  }
}

TEST_F(OciLayout, FollowsNestedIndexes) {
  ImageBuilder builder;
  auto written = builder.AddIndex({SimpleImage("arm", "arm64"), SimpleImage("x86")},
                                  {.tag = "nested", .nested = true});
  builder.WriteOciLayout(dir_);

  auto resolved = Resolve("oci:" + dir_ + ":nested");

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(), written[1].config_digest);
  EXPECT_EQ(resolved->manifest_digest->str(), written[1].manifest_digest);
}

TEST_F(OciLayout, ResolvesByManifestDigestInsideAnIndex) {
  ImageBuilder builder;
  auto written = builder.AddIndex({SimpleImage("arm", "arm64"), SimpleImage("x86")}, {});
  builder.WriteOciLayout(dir_);

  auto resolved = Resolve("oci:" + dir_ + "@" + written[0].manifest_digest);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(), written[0].config_digest);
}

TEST_F(OciLayout, RefusesIndexesNestedTooDeep) {
  std::filesystem::create_directories(dir_ + "/blobs/sha256");
  testing::WriteFile(dir_ + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  std::string child = R"({"schemaVersion":2,"manifests":[]})";
  for (int level = 0; level < 12; ++level) {
    std::string digest = Sha256Of(child).str();
    testing::WriteFile(dir_ + "/blobs/sha256/" + digest.substr(7), child);
    child = R"({"schemaVersion":2,"manifests":[)"
            R"({"mediaType":"application/vnd.oci.image.index.v1+json","digest":")" +
            digest + R"(","size":)" + std::to_string(child.size()) + "}]}";
  }
  testing::WriteFile(dir_ + "/index.json", child);

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kLimitExceeded);
}

TEST_F(OciLayout, RefusesTamperedDocuments) {
  struct Case {
    const char* name;
    void (*tamper)(TestImage&);
  } cases[] = {
      {"config digest", [](TestImage& image) { image.wrong_config_digest = true; }},
      {"manifest digest", [](TestImage& image) { image.wrong_manifest_digest = true; }},
      {"diff_id count",
       [](TestImage& image) { image.forged_diff_ids = {Sha256Of("only one").str()}; }},
  };
  for (const Case& tamper : cases) {
    SCOPED_TRACE(tamper.name);
    std::string dir = bulwark::testing::MakeTempDir() + "/layout";
    ImageBuilder builder;
    TestImage image = SimpleImage("a");
    tamper.tamper(image);
    builder.AddImage(image);
    builder.WriteOciLayout(dir);

    auto resolved = Resolve("oci:" + dir);

    ASSERT_FALSE(resolved.ok());
    EXPECT_EQ(resolved.error().code(), ErrorCode::kCorruptInput) << resolved.error().message();
  }
}

TEST_F(OciLayout, NamesBothDigestsWhenConfigDoesNotMatch) {
  ImageBuilder builder;
  TestImage image = SimpleImage("a");
  image.wrong_config_digest = true;
  WrittenImage written = builder.AddImage(image);
  builder.WriteOciLayout(dir_);

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_NE(resolved.error().message().find("config " + written.config_digest), std::string::npos);
  EXPECT_NE(resolved.error().message().find("content hashes to sha256:"), std::string::npos);
}

TEST_F(OciLayout, HandsForgedDiffIdsAndCorruptLayersToTheVerifyingReader) {
  ImageBuilder builder;
  TestImage image = SimpleImage("a");
  image.forged_diff_ids = {Sha256Of("approved base").str(), Sha256Of("approved app").str()};
  image.corrupt_layer = 1;
  WrittenImage written = builder.AddImage(image);
  builder.WriteOciLayout(dir_);
  auto source = OpenSource("oci:" + dir_);
  ASSERT_TRUE(source.ok());
  auto resolved = (*source)->Resolve({});
  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);

  auto blobs = ReadLayers(**source, 2);

  EXPECT_EQ(resolved->layers[0].diff_id.str(), image.forged_diff_ids[0]);
  EXPECT_NE(Sha256Of(blobs[0]), resolved->layers[0].diff_id);
  EXPECT_NE(Sha256Of(blobs[1]), *resolved->layers[1].blob_digest);
}

// Writes `bytes` as a blob of the layout in `dir`; returns its digest.
std::string WriteBlob(const std::string& dir, const std::string& bytes) {
  Digest digest = Sha256Of(bytes);
  std::filesystem::create_directories(dir + "/blobs/sha256");
  bulwark::testing::WriteFile(dir + "/blobs/sha256/" + digest.str().substr(7), bytes);
  return digest.str();
}

std::string DescriptorJson(const std::string& media_type, const std::string& bytes) {
  return R"({"mediaType":")" + media_type + R"(","digest":")" + Sha256Of(bytes).str() +
         R"(","size":)" + std::to_string(bytes.size()) + "}";
}

// A layout of two layers whose manifest and config state the layer lists
// given, written by hand so that keys may differ only in case.
void WriteHandMadeLayout(const std::string& dir, const std::string& manifest_layers,
                         const std::string& config_rootfs) {
  std::string config = R"({"os":"linux","architecture":"amd64",)" + config_rootfs + "}";
  WriteBlob(dir, config);
  std::string manifest = R"({"schemaVersion":2,"config":)" +
                         DescriptorJson("application/vnd.oci.image.config.v1+json", config) + "," +
                         manifest_layers + "}";
  WriteBlob(dir, manifest);
  bulwark::testing::WriteFile(dir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  bulwark::testing::WriteFile(
      dir + "/index.json",
      R"({"schemaVersion":2,"manifests":[)" +
          DescriptorJson("application/vnd.oci.image.manifest.v1+json", manifest) + "]}");
}

TEST_F(OciLayout, RefusesLayerListsWhoseKeysDifferOnlyInCase) {
  std::string base = LayerTar("base");
  std::string extra = LayerTar("unscanned");
  WriteBlob(dir_, base);
  WriteBlob(dir_, extra);
  const std::string kLayer = "application/vnd.oci.image.layer.v1.tar";
  std::string one = DescriptorJson(kLayer, base);
  std::string both = one + "," + DescriptorJson(kLayer, extra);
  std::string d1 = "\"" + Sha256Of(base).str() + "\"";
  std::string d2 = "\"" + Sha256Of(extra).str() + "\"";
  WriteHandMadeLayout(dir_, R"("layers":[)" + one + R"(],"Layers":[)" + both + "]",
                      R"("rootfs":{"type":"layers","diff_ids":[)" + d1 + R"(],"DIFF_IDS":[)" + d1 +
                          "," + d2 + "]}");

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(ErrorText(resolved).find(R"("layers" and "Layers")"), std::string::npos)
      << ErrorText(resolved);
}

TEST_F(OciLayout, ResolvesHandMadeLayoutWithOneSpellingOfEachKey) {
  std::string base = LayerTar("base");
  WriteBlob(dir_, base);
  std::string layer = DescriptorJson("application/vnd.oci.image.layer.v1.tar", base);
  std::string diff_id = "\"" + Sha256Of(base).str() + "\"";
  WriteHandMadeLayout(dir_, R"("layers":[)" + layer + "]",
                      R"("config":{"Labels":{"Foo":"1","foo":"2"}},)"
                      R"("rootfs":{"type":"layers","diff_ids":[)" +
                          diff_id + "]}");

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->config.labels.size(), 2u);
}

TEST_F(OciLayout, SaysAMissingNonDistributableLayerMayHaveBeenLeftOut) {
  std::string base = LayerTar("foreign");  // Described, never written: the blob is absent.
  std::string layer =
      DescriptorJson("application/vnd.oci.image.layer.nondistributable.v1.tar", base);
  std::string diff_id = "\"" + Sha256Of(base).str() + "\"";
  WriteHandMadeLayout(dir_, R"("layers":[)" + layer + "]",
                      R"("rootfs":{"type":"layers","diff_ids":[)" + diff_id + "]}");

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(ErrorText(resolved).find(": layer 1 " + Sha256Of(base).str() + ": blob missing"),
            std::string::npos)
      << ErrorText(resolved);
  EXPECT_NE(ErrorText(resolved).find("marks it non-distributable"), std::string::npos)
      << ErrorText(resolved);
}

TEST_F(OciLayout, RefusesDirectoryWithoutLayoutFile) {
  std::filesystem::create_directories(dir_);

  auto explicit_oci = OpenSource("oci:" + dir_);
  auto bare = OpenSource(dir_);

  ASSERT_FALSE(explicit_oci.ok());
  EXPECT_EQ(explicit_oci.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(explicit_oci.error().message().find("oci-layout"), std::string::npos);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(bare.error().message().find("not an OCI image layout"), std::string::npos);
}

// Replaces the file at `path` with an empty directory.
void MakeDirectoryOf(const std::string& path) {
  std::filesystem::remove(path);
  std::filesystem::create_directory(path);
}

TEST_F(OciLayout, RefusesIndexJsonThatIsADirectoryAsCorrupt) {
  ImageBuilder builder;
  builder.AddImage(SimpleImage("a"));
  builder.WriteOciLayout(dir_);
  MakeDirectoryOf(dir_ + "/index.json");

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(resolved.error().message().find(dir_ + "/index.json: is a directory"),
            std::string::npos)
      << resolved.error().message();
}

TEST_F(OciLayout, RefusesConfigBlobThatIsADirectoryAsCorrupt) {
  ImageBuilder builder;
  WrittenImage written = builder.AddImage(SimpleImage("a"));
  builder.WriteOciLayout(dir_);
  std::string config_path = dir_ + "/blobs/sha256/" + written.config_digest.substr(7);
  MakeDirectoryOf(config_path);

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(resolved.error().message().find(config_path + ": is a directory"), std::string::npos)
      << resolved.error().message();
}

TEST_F(OciLayout, SaysALayerBlobThatIsADirectoryIsNotAFile) {
  ImageBuilder builder;
  WrittenImage written = builder.AddImage(SimpleImage("a"));
  builder.WriteOciLayout(dir_);
  std::string blob_path = dir_ + "/blobs/sha256/" + written.blob_digests[0].substr(7);
  MakeDirectoryOf(blob_path);

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(resolved.error().message().find(blob_path + ": is a directory, not a file"),
            std::string::npos)
      << resolved.error().message();
  EXPECT_EQ(resolved.error().message().find("non-distributable"), std::string::npos);
}

TEST_F(OciLayout, ReportsMissingLayerBlob) {
  ImageBuilder builder;
  WrittenImage written = builder.AddImage(SimpleImage("a"));
  builder.WriteOciLayout(dir_);
  std::filesystem::remove(dir_ + "/blobs/sha256/" + written.blob_digests[0].substr(7));

  auto resolved = Resolve("oci:" + dir_);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(resolved.error().message().find(written.blob_digests[0]), std::string::npos);
  // Layers count from 1 in messages, as in the scan's and the reports' own lines.
  EXPECT_NE(resolved.error().message().find(": layer 1 " + written.blob_digests[0]),
            std::string::npos)
      << resolved.error().message();
  // An ordinary gzip layer: no hint about non-distributable layers, which it is not.
  EXPECT_EQ(resolved.error().message().find("non-distributable"), std::string::npos)
      << resolved.error().message();
}

TEST(OciArchive, ResolvesAndStreamsInEveryCompressionAndNaming) {
  ImageBuilder builder;
  TestImage image = SimpleImage("a");
  image.tag = "latest";
  image.layer_compression = TarCompression::kGzip;
  WrittenImage written = builder.AddImage(image);
  for (auto compression : {TarCompression::kNone, TarCompression::kGzip, TarCompression::kZstd}) {
    for (bool dot_slash : {false, true}) {
      SCOPED_TRACE(std::to_string(static_cast<int>(compression)) + (dot_slash ? " ./" : ""));
      std::string path = bulwark::testing::MakeTempDir() + "/image.tar";
      testing::WriteFile(path, builder.OciArchive({compression, dot_slash}));
      auto source = OpenSource("oci-archive:" + path + ":latest");
      ASSERT_TRUE(source.ok()) << source.error().message();

      auto resolved = (*source)->Resolve({});
      auto blobs = ReadLayers(**source, 2);

      ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
      EXPECT_EQ(resolved->image_id.str(), written.config_digest);
      EXPECT_EQ(Sha256Of(blobs[0]).str(), written.blob_digests[0]);
      EXPECT_EQ(Sha256Of(blobs[1]).str(), written.blob_digests[1]);
    }
  }
}

TEST(OciArchive, IsDetectedFromABarePath) {
  ImageBuilder builder;
  WrittenImage written = builder.AddImage(SimpleImage("a"));
  std::string path = bulwark::testing::MakeTempDir() + "/image.tar.gz";
  testing::WriteFile(path, builder.OciArchive({TarCompression::kGzip}));

  auto resolved = Resolve(path);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(), written.config_digest);
}

// Third-party layouts (section 3 of MANIFEST.md in the shared data,
// ../shared/data beside the checkout).
class OciLayoutRealData : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = bulwark::testing::SharedDataDir();
    if (data_.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA not set; third-party data absent";
    data_ += "/images";
  }
  std::string data_;
};

TEST_F(OciLayoutRealData, ResolvesTrivyHelloWorldLayout) {
  std::string dir = data_ + "/trivy/hello-world.oci";

  auto resolved = Resolve(dir);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(),
            "sha256:b23a8f6569ae9ae331226205fa72f480ce5310707d0bc97e611f83fbbbde4604");
  ASSERT_EQ(resolved->layers.size(), 1u);
  EXPECT_EQ(resolved->config.cmd, std::vector<std::string>{"/hello"});
}

TEST_F(OciLayoutRealData, FollowsNestedIndexesByTag) {
  std::string dir = data_ + "/go-containerregistry/layout/test_index";
  const char* expected_manifest =
      "sha256:eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650";
  for (const char* tag : {"1", "3", "4"}) {
    SCOPED_TRACE(tag);

    auto resolved = Resolve("oci:" + dir + ":" + tag);

    ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
    EXPECT_EQ(resolved->manifest_digest->str(), expected_manifest);
  }
}

TEST_F(OciLayoutRealData, ReadsManifestBehindGenericDescriptorMediaType) {
  std::string dir = data_ + "/go-containerregistry/layout/test_index";

  auto resolved = Resolve("oci:" + dir + ":2");

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->manifest_digest->str(),
            "sha256:32589985702551b6c56033bb3334432a0a513bf9d6aceda0f67c42b003850720");
}

TEST_F(OciLayoutRealData, ListsTagsOfMultiImageLayout) {
  std::string dir = data_ + "/go-containerregistry/layout/test_index";

  auto resolved = Resolve(dir);

  ASSERT_FALSE(resolved.ok());
  EXPECT_NE(resolved.error().message().find("1, 2, 3, 4"), std::string::npos);
}

TEST_F(OciLayoutRealData, RefusesNonImageArtifact) {
  std::string dir = data_ + "/go-containerregistry/layout/test_index_media_type";

  auto resolved = Resolve(dir);

  ASSERT_FALSE(resolved.ok());
  EXPECT_EQ(resolved.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(resolved.error().message().find("helm"), std::string::npos);
}

TEST_F(OciLayoutRealData, ResolvesSingleUntaggedImage) {
  std::string dir = data_ + "/go-containerregistry/layout/test_index_one_image";

  auto resolved = Resolve(dir);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(),
            "sha256:381d958b555884ba59574ab5c066e9f6116b5aec3567675aa13bec63331f0810");
}

// The Debian fixture images of tests/fixtures (manifest.txt lists their digests, read by skopeo).
TEST(OciLayoutFixtures, ResolvesDebianImagesInEveryOciForm) {
  std::string fixtures = bulwark::testing::FixturesDir();
  if (fixtures.empty()) GTEST_SKIP() << "BULWARK_FIXTURES not set; fixture images not built";
  bulwark::testing::FixtureDigests expected =
      bulwark::testing::ReadFixtureDigests(fixtures, "app-on-approved");
  ASSERT_EQ(expected.diff_ids.size(), 3u) << "manifest.txt lists app-on-approved";
  const std::string specs[] = {fixtures + "/oci/app-on-approved",
                               "oci-archive:" + fixtures + "/app-on-approved.oci.tar:latest",
                               "oci:" + fixtures + "/oci/app-on-approved:latest",
                               "oci:" + fixtures + "/app-on-approved.zstd"};
  for (const std::string& spec : specs) {
    SCOPED_TRACE(spec);

    auto resolved = Resolve(spec);

    ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
    EXPECT_EQ(resolved->image_id.str(), expected.config);
    if (spec.find(".zstd") == std::string::npos) {
      EXPECT_EQ(resolved->manifest_digest->str(), expected.manifest);
    }
    ASSERT_EQ(resolved->layers.size(), 3u);
    for (size_t i = 0; i < 3; ++i)
      EXPECT_EQ(resolved->layers[i].diff_id.str(), expected.diff_ids[i]);
    EXPECT_EQ(resolved->config.user, "appuser");
  }
}

}  // namespace
}  // namespace bulwark::image
