// docker-archive sources (docker save output) through OpenSource.
#include <gtest/gtest.h>

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

using testing::DockerLayout;
using testing::ImageBuilder;
using testing::TarBuilder;
using testing::TarCompression;
using testing::TestImage;
using testing::WrittenImage;

TestImage SimpleImage(const std::string& marker, const std::string& tag = "") {
  TestImage image;
  image.layers = {TarBuilder().File("etc/base", marker).Finish(),
                  TarBuilder().File("app/" + marker, "x").Finish()};
  image.tag = tag;
  return image;
}

std::string WriteArchive(const std::string& bytes, const std::string& name = "image.tar") {
  std::string path = bulwark::testing::MakeTempDir() + "/" + name;
  testing::WriteFile(path, bytes);
  return path;
}

Result<ResolvedImage> Resolve(const std::string& spec) {
  auto source = OpenSource(spec);
  if (!source.ok()) return source.error();
  return (*source)->Resolve({});
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

TEST(DockerArchive, ResolvesLegacyLayout) {
  ImageBuilder builder;
  TestImage image = SimpleImage("a", "example.com/team/app:1.0");
  image.user = "svc";
  WrittenImage written = builder.AddImage(image);
  std::string path = WriteArchive(builder.DockerArchive(DockerLayout::kLegacy));

  auto resolved = Resolve("docker-archive:" + path);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(), written.config_digest);
  EXPECT_FALSE(resolved->manifest_digest.has_value());
  EXPECT_EQ(resolved->names, std::vector<std::string>{"example.com/team/app:1.0"});
  EXPECT_EQ(resolved->config.user, "svc");
  ASSERT_EQ(resolved->layers.size(), 2u);
  EXPECT_FALSE(resolved->layers[0].blob_digest.has_value());
  EXPECT_EQ(resolved->layers[0].diff_id.str(), written.diff_ids[0]);
}

TEST(DockerArchive, ResolvesDocker25LayoutWithBlobAndManifestDigests) {
  ImageBuilder builder;
  WrittenImage written = builder.AddImage(SimpleImage("a", "app:1"));
  std::string path = WriteArchive(builder.DockerArchive(DockerLayout::kV25));

  auto resolved = Resolve("docker-archive:" + path);

  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
  EXPECT_EQ(resolved->image_id.str(), written.config_digest);
  ASSERT_TRUE(resolved->manifest_digest.has_value());
  EXPECT_EQ(resolved->manifest_digest->str(), written.manifest_digest);
  EXPECT_EQ(resolved->layers[1].blob_digest->str(), written.blob_digests[1]);
}

TEST(DockerArchive, StreamsLayersInEveryOuterCompressionAndNaming) {
  ImageBuilder builder;
  WrittenImage written = builder.AddImage(SimpleImage("a", "app:1"));
  for (auto layout : {DockerLayout::kLegacy, DockerLayout::kV25}) {
    for (auto compression : {TarCompression::kNone, TarCompression::kGzip, TarCompression::kZstd}) {
      for (bool dot_slash : {false, true}) {
        SCOPED_TRACE(std::to_string(static_cast<int>(layout)) + "/" +
                     std::to_string(static_cast<int>(compression)) + (dot_slash ? " ./" : ""));
        std::string path = WriteArchive(builder.DockerArchive(layout, {compression, dot_slash}));
        auto source = OpenSource(path);
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
}

TEST(DockerArchive, PicksImageByNormalisedTagIdPrefixOrPosition) {
  ImageBuilder builder;
  WrittenImage first = builder.AddImage(SimpleImage("a", "app:1"));
  WrittenImage second = builder.AddImage(SimpleImage("b", "localhost:5000/team/app:2"));
  std::string path = WriteArchive(builder.DockerArchive(DockerLayout::kLegacy));

  auto by_tag = Resolve("docker-archive:" + path + ":docker.io/library/app:1");
  auto by_colon_tag = Resolve("docker-archive:" + path + ":localhost:5000/team/app:2");
  auto by_id = Resolve("docker-archive:" + path + ":" + second.config_digest.substr(0, 19));
  auto by_position = Resolve("docker-archive:" + path + ":@0");

  ASSERT_TRUE(by_tag.ok()) << ErrorText(by_tag);
  EXPECT_EQ(by_tag->image_id.str(), first.config_digest);
  ASSERT_TRUE(by_colon_tag.ok()) << ErrorText(by_colon_tag);
  EXPECT_EQ(by_colon_tag->image_id.str(), second.config_digest);
  ASSERT_TRUE(by_id.ok()) << ErrorText(by_id);
  EXPECT_EQ(by_id->image_id.str(), second.config_digest);
  ASSERT_TRUE(by_position.ok()) << ErrorText(by_position);
  EXPECT_EQ(by_position->image_id.str(), first.config_digest);
}

TEST(DockerArchive, ListsImagesWhenSeveralAndNoReference) {
  ImageBuilder builder;
  builder.AddImage(SimpleImage("a", "app:1"));
  builder.AddImage(SimpleImage("b"));
  std::string path = WriteArchive(builder.DockerArchive(DockerLayout::kLegacy));

  auto unnamed = Resolve("docker-archive:" + path);
  auto unknown = Resolve("docker-archive:" + path + ":other:9");

  ASSERT_FALSE(unnamed.ok());
  EXPECT_EQ(unnamed.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(unnamed.error().message().find("app:1"), std::string::npos);
  EXPECT_NE(unnamed.error().message().find("@1 (untagged"), std::string::npos);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message().find("app:1"), std::string::npos);
}

TEST(DockerArchive, RefusesTamperedDocuments) {
  struct Case {
    const char* name;
    DockerLayout layout;
    void (*tamper)(TestImage&);
  } cases[] = {
      {"legacy config digest", DockerLayout::kLegacy,
       [](TestImage& image) { image.wrong_config_digest = true; }},
      {"v25 config digest", DockerLayout::kV25,
       [](TestImage& image) { image.wrong_config_digest = true; }},
      {"diff_id count", DockerLayout::kLegacy,
       [](TestImage& image) { image.forged_diff_ids = {Sha256Of("one").str()}; }},
  };
  for (const Case& tamper : cases) {
    SCOPED_TRACE(tamper.name);
    ImageBuilder builder;
    TestImage image = SimpleImage("a", "app:1");
    tamper.tamper(image);
    WrittenImage written = builder.AddImage(image);
    std::string path = WriteArchive(builder.DockerArchive(tamper.layout));

    auto resolved = Resolve(path);

    ASSERT_FALSE(resolved.ok());
    EXPECT_EQ(resolved.error().code(), ErrorCode::kCorruptInput) << resolved.error().message();
  }
}

TEST(DockerArchive, HandsForgedDiffIdsToTheVerifyingReader) {
  ImageBuilder builder;
  TestImage image = SimpleImage("a", "app:1");
  image.forged_diff_ids = {Sha256Of("approved 1").str(), Sha256Of("approved 2").str()};
  builder.AddImage(image);
  std::string path = WriteArchive(builder.DockerArchive(DockerLayout::kLegacy));
  auto source = OpenSource(path);
  ASSERT_TRUE(source.ok());
  auto resolved = (*source)->Resolve({});
  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);

  auto blobs = ReadLayers(**source, 2);

  EXPECT_EQ(resolved->layers[0].diff_id.str(), image.forged_diff_ids[0]);
  EXPECT_NE(Sha256Of(blobs[0]), resolved->layers[0].diff_id);
}

TEST(DockerArchive, SuggestsOciArchiveForATarWithOnlyAnIndex) {
  ImageBuilder builder;
  builder.AddImage(SimpleImage("a"));
  std::string path = WriteArchive(builder.OciArchive());

  auto resolved = Resolve("docker-archive:" + path);

  ASSERT_FALSE(resolved.ok());
  EXPECT_NE(resolved.error().message().find("oci-archive:"), std::string::npos);
}

class DockerArchiveRealData : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = bulwark::testing::SharedDataDir();
    if (data_.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA not set; third-party data absent";
    data_ += "/images";
  }
  std::string data_;
};

TEST_F(DockerArchiveRealData, PicksFromMultiImageBundle) {
  std::string path = data_ + "/go-containerregistry/tarball/test_bundle.tar";

  auto unnamed = Resolve(path);
  auto named = Resolve("docker-archive:" + path + ":test_image_1");

  ASSERT_FALSE(unnamed.ok());
  EXPECT_NE(unnamed.error().message().find("test_image_2"), std::string::npos);
  ASSERT_TRUE(named.ok()) << ErrorText(named);
  EXPECT_EQ(named->image_id.str(),
            "sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e");
}

TEST_F(DockerArchiveRealData, FollowsSymlinkedLayer) {
  std::string path = data_ + "/go-containerregistry/tarball/test_link.tar";
  auto source = OpenSource("docker-archive:" + path + ":bazel/v1/tarball:test_image_3");
  ASSERT_TRUE(source.ok()) << source.error().message();
  auto resolved = (*source)->Resolve({});
  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);

  auto blobs = ReadLayers(**source, 2);

  EXPECT_EQ(resolved->layers[0].locator,
            "6e77476643c3155b1e9ae07dd5a4c8288bdb6590c131c222b7a3f277dec1e266/layer.tar");
  EXPECT_EQ(Sha256Of(blobs[0]), resolved->layers[0].diff_id);
  EXPECT_EQ(Sha256Of(blobs[1]), resolved->layers[1].diff_id);
}

TEST_F(DockerArchiveRealData, RefusesNullAndMissingManifests) {
  auto null_manifest = Resolve(data_ + "/go-containerregistry/tarball/null_manifest.tar");
  auto no_manifest =
      Resolve("docker-archive:" + data_ + "/go-containerregistry/tarball/no_manifest.tar");

  ASSERT_FALSE(null_manifest.ok());
  EXPECT_EQ(null_manifest.error().code(), ErrorCode::kCorruptInput);
  ASSERT_FALSE(no_manifest.ok());
  EXPECT_EQ(no_manifest.error().code(), ErrorCode::kUnsupported);
}

TEST_F(DockerArchiveRealData, ReadsDocker25Layout) {
  std::string path = data_ + "/go-containerregistry/tarball/hello-world-v25.tar";
  auto source = OpenSource(path);
  ASSERT_TRUE(source.ok()) << source.error().message();
  auto resolved = (*source)->Resolve({});
  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);

  auto blobs = ReadLayers(**source, 1);

  EXPECT_EQ(resolved->image_id.str(),
            "sha256:ee301c921b8aadc002973b2e0c3da17d701dcd994b606769a7e6eaa100b81d44");
  EXPECT_TRUE(resolved->names.empty());
  EXPECT_EQ(resolved->config.platform.str(), "linux/arm64");
  EXPECT_EQ(Sha256Of(blobs[0]), *resolved->layers[0].blob_digest);
}

TEST_F(DockerArchiveRealData, ReadsGzippedDockerSave) {
  std::string path = data_ + "/trivy/alpine-310.tar.gz";
  auto source = OpenSource(path);
  ASSERT_TRUE(source.ok()) << source.error().message();
  auto resolved = (*source)->Resolve({});
  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);

  auto blobs = ReadLayers(**source, 1);

  EXPECT_EQ(resolved->image_id.str(),
            "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e");
  EXPECT_EQ(Sha256Of(blobs[0]), resolved->layers[0].diff_id);
}

TEST_F(DockerArchiveRealData, ReadsMutateImagesAndCatchesTheEditedConfig) {
  const char* good[] = {"source_image.tar", "overwritten_file.tar", "whiteout_image.tar",
                        "whiteout_dir.tar"};
  for (const char* name : good) {
    SCOPED_TRACE(name);

    auto resolved = Resolve(data_ + "/go-containerregistry/mutate/" + name);

    ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);
    EXPECT_EQ(resolved->layers.size(), resolved->config.diff_ids.size());
  }
  // This archive's config was edited after it was named by its digest.
  auto edited =
      Resolve(data_ + "/go-containerregistry/mutate/source_image_with_empty_layer_history.tar");
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(edited.error().message().find(
                "sha256:05b5ec1290589606ce19fabb1fb331f004acd9f618b9b4e813721be1a03a0712"),
            std::string::npos);
}

TEST(DockerArchiveFixtures, ReadsDebianDockerSaveByWindows) {
  std::string fixtures = bulwark::testing::FixturesDir();
  if (fixtures.empty()) GTEST_SKIP() << "BULWARK_FIXTURES not set; fixture images not built";
  bulwark::testing::FixtureDigests expected =
      bulwark::testing::ReadFixtureDigests(fixtures, "app-on-approved");
  ASSERT_EQ(expected.diff_ids.size(), 3u) << "manifest.txt lists app-on-approved";
  auto source = OpenSource("docker-archive:" + fixtures +
                           "/app-on-approved.docker.tar:registry.example.com/fixtures/"
                           "app-on-approved:1.0");
  ASSERT_TRUE(source.ok()) << source.error().message();
  auto resolved = (*source)->Resolve({});
  ASSERT_TRUE(resolved.ok()) << ErrorText(resolved);

  auto blobs = ReadLayers(**source, 3);

  EXPECT_EQ(resolved->image_id.str(), expected.config);
  EXPECT_EQ(resolved->config.user, "appuser");
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(Sha256Of(blobs[i]), resolved->layers[i].diff_id);
    EXPECT_EQ(resolved->layers[i].diff_id.str(), expected.diff_ids[i]);
  }
}

}  // namespace
}  // namespace bulwark::image
