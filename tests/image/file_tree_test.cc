#include "image/file_tree.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "testing/image_builder.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::image::internal {
namespace {

using bulwark::testing::TarBuilder;
using bulwark::testing::TarCompression;

std::string WriteArchive(const std::string& bytes) {
  std::string path = bulwark::testing::MakeTempDir() + "/archive.tar";
  bulwark::testing::WriteFile(path, bytes);
  return path;
}

std::vector<std::string> ReadAll(FileTree& tree, const std::vector<std::string>& names) {
  std::vector<std::string> bodies(names.size());
  Status status = tree.StreamFiles(names, [&](size_t index, ByteStream& bytes) -> Status {
    BULWARK_ASSIGN_OR_RETURN(bodies[index], ReadAllLimited(bytes, 1 << 30, "member"));
    return Ok();
  });
  EXPECT_TRUE(status.ok()) << status.error().message();
  return bodies;
}

// Members bigger than kMaxCachedMember are not kept, so they are read as
// windows of a plain tar or by a pass over a compressed one.
std::string Big(char fill) {
  std::string body(kMaxCachedMember + 1000, fill);
  body[17] = 'x';
  return body;
}

TEST(TarArchive, ReadsLargeMembersOfPlainAndCompressedArchives) {
  std::string first = Big('a');
  std::string second = Big('b');
  for (auto compression : {TarCompression::kNone, TarCompression::kGzip, TarCompression::kZstd}) {
    SCOPED_TRACE(static_cast<int>(compression));
    std::string path = WriteArchive(TarBuilder()
                                        .File("./one/layer.tar", first)
                                        .File("small", "s")
                                        .File("two", second)
                                        .Finish(compression));
    auto archive = TarArchive::Open(path);
    ASSERT_TRUE(archive.ok()) << archive.error().message();

    auto bodies = ReadAll(**archive, {"two", "one/layer.tar", "small", "two"});

    EXPECT_EQ((*archive)->compressed(), compression != TarCompression::kNone);
    ASSERT_EQ(bodies.size(), 4u);
    EXPECT_TRUE(bodies[0] == second);
    EXPECT_TRUE(bodies[1] == first);
    EXPECT_EQ(bodies[2], "s");
    EXPECT_TRUE(bodies[3] == second);
  }
}

TEST(TarArchive, FollowsLinksInsideTheArchiveOnly) {
  std::string path = WriteArchive(TarBuilder()
                                      .File("a/layer.tar", "data")
                                      .Symlink("b/layer.tar", "../a/layer.tar")
                                      .Hardlink("c", "a/layer.tar")
                                      .Symlink("d", "../../etc/passwd")
                                      .Symlink("loop1", "loop2")
                                      .Symlink("loop2", "loop1")
                                      .Finish());
  auto archive = TarArchive::Open(path);
  ASSERT_TRUE(archive.ok()) << archive.error().message();

  auto symlinked = (*archive)->ReadFile("b/layer.tar", 100);
  auto hardlinked = (*archive)->ReadFile("./c", 100);
  auto escaping = (*archive)->ReadFile("d", 100);
  auto looping = (*archive)->ReadFile("loop1", 100);

  ASSERT_TRUE(symlinked.ok()) << symlinked.error().message();
  EXPECT_EQ(*symlinked, "data");
  ASSERT_TRUE(hardlinked.ok()) << hardlinked.error().message();
  EXPECT_EQ(*hardlinked, "data");
  ASSERT_FALSE(escaping.ok());
  EXPECT_EQ(escaping.error().code(), ErrorCode::kCorruptInput);
  ASSERT_FALSE(looping.ok());
  EXPECT_EQ(looping.error().code(), ErrorCode::kCorruptInput);
}

TEST(TarArchive, RefusesDuplicateMembers) {
  std::string path =
      WriteArchive(TarBuilder().File("manifest.json", "[]").File("./manifest.json", "[]").Finish());

  auto archive = TarArchive::Open(path);

  ASSERT_FALSE(archive.ok());
  EXPECT_EQ(archive.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(archive.error().message().find("twice"), std::string::npos);
}

// A ustar header block for a symbolic link `name` whose link name field is
// empty, written byte by byte since libarchive will not write one.
std::string SymlinkHeaderWithoutTarget(const std::string& name) {
  std::string block(512, '\0');
  auto put = [&block](size_t offset, const std::string& field) {
    block.replace(offset, field.size(), field);
  };
  put(0, name);
  put(100, "0000777");
  put(108, "0000000");
  put(116, "0000000");
  put(124, "00000000000");
  put(136, "14037706322");
  block[156] = '2';
  put(257, std::string("ustar\0" "00", 8));
  put(148, "        ");
  unsigned sum = 0;
  for (unsigned char c : block) sum += c;
  char checksum[8];
  std::snprintf(checksum, sizeof checksum, "%06o", sum);
  put(148, std::string(checksum, 6) + std::string("\0 ", 2));
  return block;
}

TEST(TarArchive, Issue4RefusesASymlinkWithoutATarget) {
  // Found by fuzz/image_archive_fuzzer: the missing target was read as a
  // null string.
  std::string path = WriteArchive(SymlinkHeaderWithoutTarget("manifest.json") +
                                  std::string(1024, '\0'));

  auto archive = TarArchive::Open(path);

  ASSERT_FALSE(archive.ok());
  EXPECT_EQ(archive.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(archive.error().message().find("without a readable target"), std::string::npos)
      << archive.error().message();
}

TEST(TarArchive, EnforcesReadLimits) {
  std::string path = WriteArchive(TarBuilder().File("config.json", std::string(100, 'x')).Finish());
  auto archive = TarArchive::Open(path);
  ASSERT_TRUE(archive.ok());

  auto read = (*archive)->ReadFile("config.json", 99);

  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::kLimitExceeded);
}

TEST(TarArchive, ReadsArchivesWithoutEndBlocks) {
  std::string big = Big('z');
  std::string path =
      WriteArchive(TarBuilder().File("a", "1").File("b", big).Finish(TarCompression::kNone, false));
  auto archive = TarArchive::Open(path);
  ASSERT_TRUE(archive.ok()) << archive.error().message();

  auto bodies = ReadAll(**archive, {"b"});

  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_TRUE(bodies[0] == big);
}

TEST(NormaliseName, DropsDotsAndRefusesEscapes) {
  EXPECT_EQ(NormaliseName("./a//b/./c"), "a/b/c");
  EXPECT_EQ(NormaliseName("a/../b"), "b");
  EXPECT_EQ(NormaliseName("/abs/x/"), "abs/x");
  EXPECT_EQ(NormaliseName("../x"), std::nullopt);
  EXPECT_EQ(NormaliseName("./"), std::nullopt);
}

}  // namespace
}  // namespace bulwark::image::internal
