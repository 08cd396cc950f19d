// OpenSource: SOURCE syntax, detection by content, and the ImageSource contract.
#include "image/source.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "image/source_spec.h"
#include "testing/image_builder.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::image {
namespace {

using internal::ParseSourceSpec;
using internal::Transport;
using testing::DockerLayout;
using testing::ImageBuilder;
using testing::TarBuilder;
using testing::TestImage;

TestImage OneLayerImage() {
  TestImage image;
  image.layers = {TarBuilder().File("etc/hostname", "box\n").Finish()};
  return image;
}

TEST(OpenSource, SplitsArchiveReferenceContainingColons) {
  std::string path = bulwark::testing::MakeTempDir() + "/a.tar";
  testing::WriteFile(path, "x");

  auto spec = ParseSourceSpec("docker-archive:" + path + ":localhost:5000/app:1");

  ASSERT_TRUE(spec.ok()) << spec.error().message();
  EXPECT_EQ(spec->transport, Transport::kDockerArchive);
  EXPECT_EQ(spec->path, path);
  EXPECT_EQ(spec->ref, "localhost:5000/app:1");
}

TEST(OpenSource, PrefersAnExistingPathThatContainsAColon) {
  std::string path = bulwark::testing::MakeTempDir() + "/odd:name.tar";
  testing::WriteFile(path, "x");

  auto spec = ParseSourceSpec("oci-archive:" + path);

  ASSERT_TRUE(spec.ok()) << spec.error().message();
  EXPECT_EQ(spec->path, path);
  EXPECT_EQ(spec->ref, "");
}

TEST(OpenSource, ParsesOciTagAndDigest) {
  std::string dir = bulwark::testing::MakeTempDir();
  std::string digest = "sha256:" + std::string(64, 'a');

  auto tagged = ParseSourceSpec("oci:" + dir + ":v1");
  auto pinned = ParseSourceSpec("oci:" + dir + "@" + digest);

  ASSERT_TRUE(tagged.ok());
  EXPECT_EQ(tagged->path, dir);
  EXPECT_EQ(tagged->ref, "v1");
  ASSERT_TRUE(pinned.ok());
  EXPECT_EQ(pinned->path, dir);
  EXPECT_EQ(pinned->digest->str(), digest);
}

TEST(OpenSource, ReportsMissingPathsAndOtherTransports) {
  auto missing = OpenSource("/nonexistent/image.tar");
  auto missing_archive = OpenSource("docker-archive:/nonexistent/image.tar:app:1");
  auto daemon = OpenSource("docker-daemon:app:1");

  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  ASSERT_FALSE(missing_archive.ok());
  EXPECT_EQ(missing_archive.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(missing_archive.error().message().find("/nonexistent/image.tar"), std::string::npos);
  ASSERT_FALSE(daemon.ok());
  EXPECT_EQ(daemon.error().code(), ErrorCode::kUnsupported);
}

TEST(OpenSource, ReadsDockerTransportAndBareReferencesAsRegistrySources) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"docker://registry.example.com/app:1", false},
      {"docker://ubuntu", false},
      {"ubuntu:22.04", true},
      {"localhost:5000/team/app:1", true},
      {"app.tar", true},  // A mistyped file name reads as a reference too.
  };
  for (const auto& [text, bare] : cases) {
    SCOPED_TRACE(text);

    auto spec = ParseSourceSpec(text);
    auto source = OpenSource(text);  // Sends nothing: the registry is asked at Resolve.

    ASSERT_TRUE(spec.ok()) << spec.error().message();
    EXPECT_EQ(spec->transport, Transport::kRegistry);
    EXPECT_EQ(spec->bare_text, bare);
    EXPECT_TRUE(source.ok());
  }
}

TEST(OpenSource, RefusesADockerTransportWithoutAReferenceAsAUsageError) {
  auto source = OpenSource("docker://Upper/Case");

  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(source.error().message().find("not an image reference"), std::string::npos)
      << source.error().message();
}

TEST(OpenSource, RefusesUnknownTransportsAsUsageErrors) {
  for (const char* spec : {"xyz://a", "docker-archiv:/tmp/a.tar"}) {
    SCOPED_TRACE(spec);

    auto source = OpenSource(spec);

    ASSERT_FALSE(source.ok());
    EXPECT_EQ(source.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(source.error().message().find("unknown transport"), std::string::npos)
        << source.error().message();
    EXPECT_NE(source.error().message().find("sources are docker-archive:PATH[:REF]"),
              std::string::npos);
  }
}

TEST(OpenSource, HintsAtTheSyntaxWhenAMissingPathHoldsAColonOrAt) {
  std::string dir = bulwark::testing::MakeTempDir();
  std::string digest = "sha256:" + std::string(64, 'a');
  const std::vector<std::string> specs = {"oci-archive:" + dir + "/a.tar@" + digest,
                                          dir + "/a.tar:app:1", dir + "/a.tar@" + digest,
                                          "docker-archive:" + dir + "/a.tar:app:1"};
  for (const std::string& spec : specs) {
    SCOPED_TRACE(spec);

    auto source = OpenSource(spec);

    ASSERT_FALSE(source.ok());
    EXPECT_EQ(source.error().code(), ErrorCode::kNotFound);
    EXPECT_NE(source.error().message().find("(sources are docker-archive:PATH[:REF], "
                                            "oci:DIR[:TAG|@DIGEST], oci-archive:PATH[:TAG], "
                                            "docker://REF, or a path)"),
              std::string::npos)
        << source.error().message();
  }
}

TEST(OpenSource, RefusesAnEmptySourceAsAUsageError) {
  auto source = OpenSource("");

  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().code(), ErrorCode::kInvalidArgument);
}

TEST(OpenSource, DetectsEachKindFromABarePath) {
  std::string dir = bulwark::testing::MakeTempDir();
  ImageBuilder builder;
  auto written = builder.AddImage(OneLayerImage());
  builder.WriteOciLayout(dir + "/layout");
  testing::WriteFile(dir + "/docker.tar", builder.DockerArchive(DockerLayout::kLegacy));
  testing::WriteFile(dir + "/oci.tar", builder.OciArchive());
  for (const char* name : {"layout", "docker.tar", "oci.tar"}) {
    SCOPED_TRACE(name);
    auto source = OpenSource(dir + "/" + name);
    ASSERT_TRUE(source.ok()) << source.error().message();

    auto resolved = (*source)->Resolve({});

    ASSERT_TRUE(resolved.ok()) << resolved.error().message();
    EXPECT_EQ(resolved->image_id.str(), written.config_digest);
  }
}

// Opens `spec` and resolves its image; the first error of the two.
Result<ResolvedImage> OpenAndResolve(const std::string& spec) {
  auto source = OpenSource(spec);
  if (!source.ok()) return source.error();
  return (*source)->Resolve({});
}

std::string RandomBytes(size_t size) {
  std::string bytes(size, '\0');
  uint32_t state = 2463534242u;
  for (char& byte : bytes) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<char>(state & 0xff);
  }
  return bytes;
}

TEST(OpenSource, RefusesExistingFilesThatAreNotImagesAsUnreadableWithOrWithoutTransport) {
  std::string dir = bulwark::testing::MakeTempDir();
  ImageBuilder builder;
  builder.AddImage(OneLayerImage());
  std::string archive = builder.DockerArchive(DockerLayout::kLegacy);
  testing::WriteFile(dir + "/notes.txt", "just some text, not a tar archive at all\n");
  testing::WriteFile(dir + "/plain.tar", TarBuilder().File("readme", "hi").Finish());
  testing::WriteFile(dir + "/empty", "");
  testing::WriteFile(dir + "/random.bin", RandomBytes(4096));
  testing::WriteFile(dir + "/truncated.tar", archive.substr(0, archive.size() / 2 + 100));
  for (const char* name : {"notes.txt", "plain.tar", "empty", "random.bin", "truncated.tar"}) {
    for (const char* transport : {"", "docker-archive:", "oci-archive:"}) {
      std::string spec = std::string(transport) + dir + "/" + name;
      SCOPED_TRACE(spec);

      auto resolved = OpenAndResolve(spec);

      ASSERT_FALSE(resolved.ok());
      EXPECT_EQ(resolved.error().code(), ErrorCode::kCorruptInput) << resolved.error().message();
      EXPECT_NE(resolved.error().message().find(dir + "/" + name), std::string::npos);
    }
  }
}

TEST(OpenSource, RefusesPre110DockerArchiveAsUnsupportedWithOrWithoutTransport) {
  std::string path = bulwark::testing::MakeTempDir() + "/old.tar";
  std::string id(64, 'c');
  testing::WriteFile(path, TarBuilder()
                               .File("repositories", "{\"app\":{\"1\":\"" + id + "\"}}")
                               .File(id + "/json", "{}")
                               .File(id + "/layer.tar", TarBuilder().Finish())
                               .Finish());
  for (const std::string& spec : {path, "docker-archive:" + path}) {
    SCOPED_TRACE(spec);

    auto resolved = OpenAndResolve(spec);

    ASSERT_FALSE(resolved.ok());
    EXPECT_EQ(resolved.error().code(), ErrorCode::kUnsupported) << resolved.error().message();
    EXPECT_NE(resolved.error().message().find("before 1.10"), std::string::npos);
  }
}

TEST(OpenSource, RefusesADirectoryForAnArchiveTransportAsUnreadable) {
  std::string dir = bulwark::testing::MakeTempDir();

  auto source = OpenSource("docker-archive:" + dir);

  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(source.error().message().find(dir), std::string::npos);
}

TEST(OpenSource, RefusesADirectoryThatIsNotALayoutAsUnreadable) {
  std::string dir = bulwark::testing::MakeTempDir();

  auto bare = OpenSource(dir);
  auto explicit_oci = OpenSource("oci:" + dir);

  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().code(), ErrorCode::kCorruptInput);
  ASSERT_FALSE(explicit_oci.ok());
  EXPECT_EQ(explicit_oci.error().code(), ErrorCode::kCorruptInput);
}

TEST(OpenSource, RefusesStreamingBeforeResolveOrOutOfRange) {
  std::string dir = bulwark::testing::MakeTempDir();
  ImageBuilder builder;
  builder.AddImage(OneLayerImage());
  builder.WriteOciLayout(dir);
  auto source = OpenSource(dir);
  ASSERT_TRUE(source.ok());
  auto visit = [](size_t, ByteStream&) -> Status { return Ok(); };

  Status early = (*source)->StreamLayers({0}, visit);
  ASSERT_TRUE((*source)->Resolve({}).ok());
  Status out_of_range = (*source)->StreamLayers({1}, visit);

  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code(), ErrorCode::kInvalidArgument);
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_EQ(out_of_range.error().code(), ErrorCode::kInvalidArgument);
}

TEST(OpenSource, StopsStreamingAtTheVisitorsError) {
  std::string path = bulwark::testing::MakeTempDir() + "/image.tar.zst";
  ImageBuilder builder;
  TestImage image = OneLayerImage();
  image.layers.push_back(TarBuilder().File("b", "b").Finish());
  builder.AddImage(image);
  testing::WriteFile(
      path, builder.DockerArchive(DockerLayout::kLegacy, {testing::TarCompression::kZstd}));
  auto source = OpenSource(path);
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE((*source)->Resolve({}).ok());
  int visits = 0;

  Status status = (*source)->StreamLayers({0, 1}, [&](size_t, ByteStream&) -> Status {
    ++visits;
    return Error(ErrorCode::kCorruptInput, "layer digest mismatch");
  });

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message(), "layer digest mismatch");
  EXPECT_EQ(visits, 1);
}

}  // namespace
}  // namespace bulwark::image
