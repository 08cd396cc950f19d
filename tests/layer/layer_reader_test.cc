#include "layer/layer_reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "common/byte_stream.h"
#include "common/digest.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::layer {
namespace {

using testing::Gzip;
using testing::TarBuilder;
using testing::TarCompression;
using testing::Zstd;

Result<LayerContents> Read(const std::string& blob, const ReadOptions& options = {}) {
  MemoryStream stream(blob);
  return ReadLayer(stream, options);
}

ReadOptions Wanting(std::vector<PathPattern> wanted) {
  ReadOptions options;
  options.wanted = std::move(wanted);
  return options;
}

std::vector<std::string> EntryPaths(const LayerContents& contents) {
  std::vector<std::string> paths;
  for (const Entry& entry : contents.entries) paths.push_back(entry.path);
  return paths;
}

const Entry* FindEntry(const LayerContents& contents, const std::string& path) {
  for (const Entry& entry : contents.entries) {
    if (entry.path == path) return &entry;
  }
  return nullptr;
}

// A ustar header for a regular file, written by hand so a test can stream a
// body far larger than it would want to hold in memory.
std::string UstarFileHeader(const std::string& name, uint64_t size) {
  std::string block(512, '\0');
  name.copy(block.data(), name.size());
  std::snprintf(&block[100], 8, "%07o", 0644);
  std::snprintf(&block[108], 8, "%07o", 0);
  std::snprintf(&block[116], 8, "%07o", 0);
  std::snprintf(&block[124], 12, "%011llo", static_cast<unsigned long long>(size));
  std::snprintf(&block[136], 12, "%011o", 0);
  block[156] = '0';
  std::memcpy(&block[257],
              "ustar\0"
              "00",
              8);
  std::memset(&block[148], ' ', 8);
  unsigned checksum = 0;
  for (unsigned char c : block) checksum += c;
  std::snprintf(&block[148], 8, "%06o", checksum);
  return block;
}

// gzip of a tar holding one file of `zeros` zero bytes, deflated in pieces.
std::string GzipBomb(uint64_t zeros) {
  z_stream stream{};
  deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
  std::string out;
  std::string piece(1 << 20, '\0');
  char buffer[1 << 16];
  auto feed = [&](const std::string& data, int flush) {
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    do {
      stream.next_out = reinterpret_cast<Bytef*>(buffer);
      stream.avail_out = sizeof buffer;
      deflate(&stream, flush);
      out.append(buffer, sizeof buffer - stream.avail_out);
    } while (stream.avail_out == 0);
  };
  feed(UstarFileHeader("bomb", zeros), Z_NO_FLUSH);
  for (uint64_t left = zeros; left > 0; left -= std::min<uint64_t>(left, piece.size())) {
    piece.resize(std::min<uint64_t>(left, 1 << 20));
    feed(piece, Z_NO_FLUSH);
  }
  feed(std::string(1024, '\0'), Z_FINISH);
  deflateEnd(&stream);
  return out;
}

std::string SampleTar(bool end_blocks = true) {
  return TarBuilder()
      .Dir("./etc")
      .File("./etc/os-release", "ID=debian\n")
      .Symlink("./etc/localtime", "/usr/share/zoneinfo/UTC")
      .Finish(TarCompression::kNone, end_blocks);
}

TEST(LayerReader, DetectsCompressionByMagicWithTheSameDiffId) {
  const std::string tar = SampleTar();
  struct Case {
    const char* name;
    std::string blob;
    Compression expected;
  };
  const std::vector<Case> cases = {
      {"plain", tar, Compression::kNone},
      {"gzip", Gzip(tar), Compression::kGzip},
      {"zstd", Zstd(tar), Compression::kZstd},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);

    auto contents = Read(c.blob);

    ASSERT_TRUE(contents.ok()) << contents.error().message();
    EXPECT_EQ(contents->compression, c.expected);
    EXPECT_EQ(contents->diff_id, Sha256Of(tar));
    EXPECT_EQ(contents->blob_digest, Sha256Of(c.blob));
    EXPECT_EQ(contents->uncompressed_size, tar.size());
    EXPECT_EQ(contents->blob_size, c.blob.size());
    EXPECT_EQ(EntryPaths(*contents),
              (std::vector<std::string>{"etc", "etc/os-release", "etc/localtime"}));
  }
}

TEST(LayerReader, HashesTheCanonicalEmptyLayer) {
  const std::string empty_tar(1024, '\0');

  auto contents = Read(empty_tar);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(contents->diff_id.str(),
            "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
  EXPECT_EQ(contents->blob_digest, contents->diff_id);
  EXPECT_TRUE(contents->entries.empty());
}

TEST(LayerReader, AcceptsAnEmptyBlob) {
  auto contents = Read("");

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(contents->diff_id.str(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_TRUE(contents->entries.empty());
}

TEST(LayerReader, HashesPaddingAfterTheEndOfArchive) {
  const std::string tar = SampleTar() + std::string(8192, '\0') + "trailing bytes";
  const std::string blob = Gzip(tar);

  auto contents = Read(blob);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(contents->diff_id, Sha256Of(tar));
  EXPECT_EQ(contents->uncompressed_size, tar.size());
  EXPECT_EQ(contents->entries.size(), 3u);
}

TEST(LayerReader, AcceptsTarWithoutEndOfArchiveBlocks) {
  const std::string tar = SampleTar(/*end_blocks=*/false);
  ASSERT_EQ(tar.size() % 512, 0u);
  ASSERT_NE(tar.substr(tar.size() - 512), std::string(512, '\0'));

  for (const std::string& blob : {tar, Gzip(tar), Zstd(tar)}) {
    SCOPED_TRACE(blob.size());

    auto contents = Read(blob);

    ASSERT_TRUE(contents.ok()) << contents.error().message();
    EXPECT_EQ(contents->diff_id, Sha256Of(tar));
    EXPECT_EQ(contents->entries.size(), 3u);
  }
}

TEST(LayerReader, RefusesTarTruncatedInsideAnEntry) {
  const std::string tar = TarBuilder().File("usr/bin/tool", std::string(8000, 'x')).Finish();
  const size_t body_start = tar.find(std::string(512, 'x'));
  ASSERT_NE(body_start, std::string::npos);
  const std::string cut = tar.substr(0, body_start + 1024);

  for (const std::string& blob : {cut, Gzip(cut)}) {
    SCOPED_TRACE(blob.size());

    auto contents = Read(blob, Wanting({{"usr/bin/tool"}}));
    auto skipped = Read(blob);

    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(contents.error().message().find("layer entry usr/bin/tool"), std::string::npos)
        << contents.error().message();
    ASSERT_FALSE(skipped.ok());
    EXPECT_EQ(skipped.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(skipped.error().message().find("usr/bin/tool"), std::string::npos)
        << skipped.error().message();
  }
}

TEST(LayerReader, RefusesTarTruncatedInsideAHeader) {
  const std::string tar = SampleTar();
  const std::string cut = tar.substr(0, tar.size() - 1024 - 300);

  auto contents = Read(cut);

  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
}

TEST(LayerReader, RefusesBytesThatAreNotATar) {
  const std::string blob(2048, 'z');

  auto contents = Read(blob);

  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
}

TEST(LayerReader, RefusesPathsThatLeaveTheRoot) {
  for (const char* name : {"../etc/passwd", "./a/../../x", "/../root"}) {
    SCOPED_TRACE(name);
    const std::string tar = TarBuilder().File(name, "x").Finish();

    auto contents = Read(tar);

    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(contents.error().message().find("layer entry"), std::string::npos);
    EXPECT_NE(contents.error().message().find(name), std::string::npos)
        << contents.error().message();
  }
}

TEST(LayerReader, RefusesHardlinkTargetsThatLeaveTheRoot) {
  const std::string tar = TarBuilder().Hardlink("a", "../../etc/shadow").Finish();

  auto contents = Read(tar);

  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(contents.error().message().find("layer entry a"), std::string::npos);
}

TEST(LayerReader, NormalisesPaths) {
  const std::string tar = TarBuilder()
                              .Dir("./")
                              .File("./etc/x", "1")
                              .File("/abs/y", "2")
                              .File("a//b/./c", "3")
                              .File("a/b/../d", "4")
                              .Finish();

  auto contents = Read(tar);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(EntryPaths(*contents), (std::vector<std::string>{"etc/x", "abs/y", "a/b/c", "a/d"}));
}

TEST(LayerReader, RecordsWhiteoutsAndOpaqueMarkersApartFromEntries) {
  const std::string tar = TarBuilder()
                              .File("etc/.wh.passwd", "")
                              .File("./var/cache/.wh..wh..opq", "")
                              .File(".wh..wh.plnk", "")
                              .File(".wh.tmp", "")
                              .File("var/cache/kept", "k")
                              .Finish();

  auto contents = Read(tar);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(contents->whiteouts, (std::vector<std::string>{"etc/passwd", "tmp"}));
  EXPECT_EQ(contents->opaque_dirs, (std::vector<std::string>{"var/cache"}));
  EXPECT_EQ(EntryPaths(*contents), (std::vector<std::string>{"var/cache/kept"}));
}

TEST(LayerReader, RefusesWhiteoutOfDotDot) {
  const std::string tar = TarBuilder().File("etc/.wh...", "").Finish();

  auto contents = Read(tar);

  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
}

TEST(LayerReader, KeepsOnlyWantedFileBodies) {
  const std::string tar = TarBuilder()
                              .File("etc/os-release", "ID=alpine\n")
                              .File("etc/hostname", "box\n")
                              .File("var/lib/dpkg/status.d/libc6", "Package: libc6\n")
                              .File("var/lib/dpkg/status.d/deep/no", "nested\n")
                              .Finish(TarCompression::kGzip);
  ReadOptions options = Wanting({{"/etc/os-release"}, {"var/lib/dpkg/status.d", true}});

  auto contents = Read(tar, options);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(contents->files, (std::map<std::string, std::string>{
                                 {"etc/os-release", "ID=alpine\n"},
                                 {"var/lib/dpkg/status.d/libc6", "Package: libc6\n"},
                             }));
  EXPECT_EQ(contents->entries.size(), 4u);
}

TEST(LayerReader, RecordsOnlyFilesThatMatterWhenAskedTo) {
  std::string tar = TarBuilder()
                        .Dir("usr")
                        .File("usr/bin/tool", "binary")
                        .File("var", "a file where a wanted directory would be")
                        .File("etc/os-release", "ID=x\n")
                        .Symlink("lib", "usr/lib")
                        .Hardlink("usr/bin/tool2", "usr/bin/tool")
                        .Finish();
  ReadOptions options;
  options.wanted = {{"etc/os-release", false}, {"var/lib/dpkg/status.d", true}};
  options.keep_all_entries = false;

  auto contents = Read(tar, options);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  std::vector<std::string> recorded;
  for (const Entry& entry : contents->entries) recorded.push_back(entry.path);
  EXPECT_EQ(recorded,
            (std::vector<std::string>{"usr", "var", "etc/os-release", "lib", "usr/bin/tool2"}));
  EXPECT_EQ(contents->files.count("etc/os-release"), 1u);
}

TEST(LayerReader, KeepsHardlinkAsTheBytesOfItsKeptTarget) {
  const std::string tar = TarBuilder()
                              .File("usr/lib/os-release", "ID=debian\n")
                              .Hardlink("etc/os-release", "./usr/lib/os-release")
                              .Finish();

  auto contents = Read(tar, Wanting({{"usr/lib/os-release"}, {"etc/os-release"}}));

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(contents->files.at("etc/os-release"), "ID=debian\n");
  const Entry* link = FindEntry(*contents, "etc/os-release");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->type, EntryType::kHardlink);
  EXPECT_EQ(link->link_target, "usr/lib/os-release");
}

TEST(LayerReader, RecordsEntryMetadata) {
  const std::string tar = TarBuilder()
                              .Dir("bin", 0755)
                              .File("bin/sh", "#!", 04755)
                              .Symlink("bin/ash", "../bin/sh")
                              .Finish();

  auto contents = Read(tar);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  ASSERT_EQ(contents->entries.size(), 3u);
  EXPECT_EQ(contents->entries[0].type, EntryType::kDirectory);
  EXPECT_EQ(contents->entries[0].mode, 0755u);
  EXPECT_EQ(contents->entries[1].type, EntryType::kFile);
  EXPECT_EQ(contents->entries[1].size, 2u);
  EXPECT_EQ(contents->entries[1].mode, 04755u);
  EXPECT_EQ(contents->entries[2].type, EntryType::kSymlink);
  EXPECT_EQ(contents->entries[2].link_target, "../bin/sh");
}

TEST(LayerReader, EnforcesLimitsWithClearErrors) {
  struct Case {
    const char* name;
    std::string tar;
    ReadLimits limits;
    const char* expected_text;
  };
  ReadLimits small_file;
  small_file.max_kept_file = 10;
  ReadLimits small_total;
  small_total.max_kept_total = 15;
  ReadLimits few_entries;
  few_entries.max_entries = 2;
  ReadLimits short_paths;
  short_paths.max_path_length = 8;
  const std::string tar = TarBuilder()
                              .File("a", std::string(8, 'a'))
                              .File("b", std::string(8, 'b'))
                              .File("c/long-name", std::string(11, 'c'))
                              .Finish();
  const std::vector<Case> cases = {
      {"kept file", TarBuilder().File("c/long-name", std::string(11, 'c')).Finish(), small_file,
       "max_kept_file"},
      {"kept total", TarBuilder().File("a", "12345678").File("b", "12345678").Finish(), small_total,
       "max_kept_total"},
      {"entries", tar, few_entries, "max_entries"},
      {"path length", tar, short_paths, "max_path_length"},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ReadOptions options = Wanting({{"a"}, {"b"}, {"c/long-name"}});
    options.limits = c.limits;

    auto contents = Read(c.tar, options);

    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code(), ErrorCode::kLimitExceeded);
    EXPECT_NE(contents.error().message().find(c.expected_text), std::string::npos)
        << contents.error().message();
  }
}

// A tar of `count` directories whose paths are `length` bytes long.
std::string ManyLongDirectories(size_t count, size_t length) {
  TarBuilder builder;
  for (size_t i = 0; i < count; ++i) {
    std::string name = std::to_string(i) + "-";
    name.resize(length, 'd');
    builder.Dir(name);
  }
  return builder.Finish();
}

TEST(LayerReader, LimitsTheNumberOfRecordedEntries) {
  const std::string tar = TarBuilder()
                              .Dir("a")
                              .Symlink("b", "a")
                              .File("c", "not recorded")
                              .File("d", "not recorded")
                              .Dir("e")
                              .Finish();
  ReadOptions fits;
  fits.keep_all_entries = false;
  fits.limits.max_recorded_entries = 3;
  ReadOptions too_small = fits;
  too_small.limits.max_recorded_entries = 2;

  auto read = Read(tar, fits);
  auto refused = Read(tar, too_small);

  ASSERT_TRUE(read.ok()) << read.error().message();
  EXPECT_EQ(EntryPaths(*read), (std::vector<std::string>{"a", "b", "e"}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(refused.error().message().find("max_recorded_entries"), std::string::npos)
      << refused.error().message();
  EXPECT_NE(refused.error().message().find("layer entry e"), std::string::npos);
}

TEST(LayerReader, CountsWhiteoutsAndOpaqueMarkersAsRecordedEntries) {
  const std::string tar =
      TarBuilder().File("etc/.wh..wh..opq", "").File("etc/.wh.passwd", "").Finish();
  ReadOptions options;
  options.limits.max_recorded_entries = 1;

  auto contents = Read(tar, options);

  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(contents.error().message().find("max_recorded_entries"), std::string::npos);
}

TEST(LayerReader, LimitsTheBytesOfRecordedPathsAndLinkTargets) {
  const std::string dirs = ManyLongDirectories(40, 3000);
  const std::string links = TarBuilder()
                                .Symlink("l1", std::string(3000, 't'))
                                .Symlink("l2", std::string(3000, 't'))
                                .Finish();
  ReadOptions options;
  options.keep_all_entries = false;
  options.limits.max_recorded_bytes = 100'000;
  ReadOptions link_options = options;
  link_options.limits.max_recorded_bytes = 5000;

  auto many_dirs = Read(dirs, options);
  auto long_links = Read(links, link_options);

  ASSERT_FALSE(many_dirs.ok());
  EXPECT_EQ(many_dirs.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(many_dirs.error().message().find("max_recorded_bytes"), std::string::npos)
      << many_dirs.error().message();
  ASSERT_FALSE(long_links.ok());
  EXPECT_EQ(long_links.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(long_links.error().message().find("max_recorded_bytes"), std::string::npos);
  EXPECT_NE(long_links.error().message().find("layer entry l2"), std::string::npos);
}

TEST(LayerReader, RecordsLongPathsWithinTheByteLimit) {
  const std::string dirs = ManyLongDirectories(20, 3000);
  ReadOptions options;
  options.keep_all_entries = false;
  options.limits.max_recorded_bytes = 20 * 3000;

  auto contents = Read(dirs, options);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(contents->entries.size(), 20u);
}

TEST(LayerReader, DefaultsBoundRecordedEntriesAndBytes) {
  ReadLimits limits;

  EXPECT_EQ(limits.max_recorded_entries, 500'000u);
  EXPECT_EQ(limits.max_recorded_bytes, 64ull << 20);
}

TEST(LayerReader, ChecksMaxEntriesAndPathLengthBeforeRecordingAnything) {
  const std::string dirs = ManyLongDirectories(3, 3000);
  ReadOptions few;
  few.limits.max_entries = 2;
  ReadOptions short_paths;
  short_paths.limits.max_path_length = 2999;
  short_paths.limits.max_recorded_bytes = 1;  // Would trip first if paths were recorded.

  auto too_many = Read(dirs, few);
  auto too_long = Read(dirs, short_paths);

  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.error().message().find("max_entries"), std::string::npos)
      << too_many.error().message();
  ASSERT_FALSE(too_long.ok());
  EXPECT_NE(too_long.error().message().find("max_path_length"), std::string::npos)
      << too_long.error().message();
}

TEST(LayerReader, RefusesBzip2AndXzLayersAsUnsupported) {
  // The streams bzip2 and xz write for empty input, and the head of a bzip2
  // stream with one block.
  const std::string bzip2_empty("BZh9\x17\x72\x45\x38\x50\x90\0\0\0\0", 14);
  const std::string bzip2_block = std::string("BZh91AY&SY") + std::string(64, '\x5a');
  const std::string xz_empty(
      "\xfd\x37\x7a\x58\x5a\x00\x00\x04\xe6\xd6\xb4\x46\x00\x00\x00\x00"
      "\x1c\xdf\x44\x21\x1f\xb6\xf3\x7d\x01\x00\x00\x00\x00\x04\x59\x5a",
      32);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {bzip2_empty, "bzip2"}, {bzip2_block, "bzip2"}, {xz_empty, "xz"}};
  for (const auto& [blob, name] : cases) {
    SCOPED_TRACE(name);

    auto contents = Read(blob);

    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code(), ErrorCode::kUnsupported);
    EXPECT_EQ(contents.error().message(),
              "layer is " + name + "-compressed; image layers must be gzip, zstd or plain tar");
  }
}

TEST(LayerReader, ReadsATarWhoseFirstNameStartsLikeBzip2) {
  const std::string tar = TarBuilder().File("BZh9-notes", "x").Finish();

  auto contents = Read(tar);

  ASSERT_TRUE(contents.ok()) << contents.error().message();
  EXPECT_EQ(EntryPaths(*contents), (std::vector<std::string>{"BZh9-notes"}));
}

TEST(LayerReader, RecognisesZstdStartingWithASkippableFrame) {
  const std::string tar = SampleTar();
  for (unsigned char low : {0x50, 0x5a, 0x5f}) {
    SCOPED_TRACE(static_cast<int>(low));
    // Magic 0x184D2A5? and a 4-byte frame size, both little-endian, then the payload.
    std::string skippable = std::string(1, static_cast<char>(low)) + "\x2a\x4d\x18";
    skippable += std::string("\x05\x00\x00\x00", 4) + "hello";
    const std::string blob = skippable + Zstd(tar);

    auto contents = Read(blob);

    ASSERT_TRUE(contents.ok()) << contents.error().message();
    EXPECT_EQ(contents->compression, Compression::kZstd);
    EXPECT_EQ(contents->diff_id, Sha256Of(tar));
    EXPECT_EQ(contents->entries.size(), 3u);
  }
}

TEST(LayerReader, StopsAGzipBombAtTheUncompressedLimit) {
  const std::string bomb = GzipBomb(200ull << 20);
  ASSERT_LT(bomb.size(), 1u << 20);
  ReadOptions options;
  options.limits.max_uncompressed = 4 << 20;

  const auto start = std::chrono::steady_clock::now();
  auto contents = Read(bomb, options);
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_FALSE(contents.ok());
  EXPECT_EQ(contents.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(contents.error().message().find("max_uncompressed"), std::string::npos)
      << contents.error().message();
  EXPECT_NE(contents.error().message().find("layer entry bomb"), std::string::npos)
      << contents.error().message();
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(LayerReader, ReadsMultiMemberGzipAndMultiFrameZstd) {
  const std::string tar = SampleTar();
  const std::string head = tar.substr(0, 700);
  const std::string tail = tar.substr(700);

  for (const std::string& blob : {Gzip(head) + Gzip(tail), Zstd(head) + Zstd(tail)}) {
    SCOPED_TRACE(blob.size());

    auto contents = Read(blob);

    ASSERT_TRUE(contents.ok()) << contents.error().message();
    EXPECT_EQ(contents->diff_id, Sha256Of(tar));
    EXPECT_EQ(contents->blob_digest, Sha256Of(blob));
    EXPECT_EQ(contents->entries.size(), 3u);
  }
}

TEST(LayerReader, RefusesCorruptCompressedStreams) {
  const std::string tar = TarBuilder().File("f", std::string(100000, 'q') + "end").Finish();
  const std::string gzip = Gzip(tar);
  const std::string zstd = Zstd(tar);
  std::string flipped_gzip = gzip;
  flipped_gzip[gzip.size() / 2] ^= 0x55;
  std::string bad_crc_gzip = gzip;
  bad_crc_gzip[gzip.size() - 6] ^= 0x01;
  std::string flipped_zstd = zstd;
  flipped_zstd[zstd.size() / 2] ^= 0x55;
  struct Case {
    const char* name;
    std::string blob;
    const char* expected_text;
  };
  const std::vector<Case> cases = {
      {"gzip body", flipped_gzip, "gzip stream"},
      {"gzip checksum", bad_crc_gzip, "gzip stream"},
      {"gzip truncated", gzip.substr(0, gzip.size() - 10), "gzip stream"},
      {"gzip trailing garbage", gzip + "garbage", "gzip stream"},
      {"gzip magic only", std::string("\x1f\x8b", 2), "gzip stream"},
      // Without a content checksum the damage surfaces in the tar that results.
      {"zstd body without checksum", flipped_zstd, ""},
      {"zstd frame header", std::string("\x28\xb5\x2f\xfd", 4) + std::string(64, '\xff'),
       "zstd stream"},
      {"zstd truncated", zstd.substr(0, zstd.size() - 5), "zstd stream"},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);

    auto contents = Read(c.blob);

    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(contents.error().message().find(c.expected_text), std::string::npos)
        << contents.error().message();
  }
}

TEST(LayerReader, DecodesStreamsLongerThanTheDecodersBuffersIntact) {
  // A compressed layer is decoded on a helper thread that runs a few 1 MiB
  // chunks ahead into a ring of buffers; 24 MB that gzip cannot shrink go
  // round that ring several times before the wanted file at the end.
  const std::string body = bulwark::testing::IncompressibleBytes(24u << 20);
  const std::string tar = TarBuilder()
                              .File("opt/blob", body)
                              .File("etc/os-release", "ID=debian\n")
                              .Finish();
  ReadOptions options = Wanting({{"/etc/os-release"}});

  for (const std::string& blob : {Gzip(tar), Zstd(tar)}) {
    SCOPED_TRACE(blob.size());

    auto contents = Read(blob, options);

    ASSERT_TRUE(contents.ok()) << contents.error().message();
    EXPECT_EQ(contents->diff_id, Sha256Of(tar));
    EXPECT_EQ(contents->blob_digest, Sha256Of(blob));
    EXPECT_EQ(contents->uncompressed_size, tar.size());
    EXPECT_EQ(contents->files,
              (std::map<std::string, std::string>{{"etc/os-release", "ID=debian\n"}}));
  }
}

TEST(LayerReader, StopsTheDecodingThreadWhenTheTarFailsEarly) {
  // The first entry is refused while the helper thread has decoded ahead and
  // waits for room; the read must end with that error, not wait for the rest.
  const std::string tar = TarBuilder()
                              .File("../escape", "x")
                              .File("opt/blob", bulwark::testing::IncompressibleBytes(16u << 20))
                              .Finish();

  for (const std::string& blob : {Gzip(tar), Zstd(tar)}) {
    SCOPED_TRACE(blob.size());

    auto contents = Read(blob);

    ASSERT_FALSE(contents.ok());
    EXPECT_EQ(contents.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(contents.error().message().find("../escape"), std::string::npos)
        << contents.error().message();
  }
}

TEST(LayerReader, HashBlobHashesRawBytesOnly) {
  const std::string blob = SampleTar(true) + "x";
  const std::string gzip = Gzip(blob);
  MemoryStream stream(gzip);
  uint64_t size = 0;

  auto digest = HashBlob(stream, &size);

  ASSERT_TRUE(digest.ok()) << digest.error().message();
  EXPECT_EQ(*digest, Sha256Of(gzip));
  EXPECT_EQ(size, gzip.size());
}

TEST(LayerReader, ReadsStreamsThatDeliverOneByteAtATime) {
  class TrickleStream : public ByteStream {
   public:
    explicit TrickleStream(std::string data) : data_(std::move(data)) {}
    Result<size_t> Read(void* buffer, size_t size) override {
      if (position_ == data_.size() || size == 0) return size_t{0};
      static_cast<char*>(buffer)[0] = data_[position_++];
      return size_t{1};
    }

   private:
    std::string data_;
    size_t position_ = 0;
  };
  const std::string tar = SampleTar();

  for (const std::string& blob : {tar, Gzip(tar), Zstd(tar)}) {
    SCOPED_TRACE(blob.size());
    TrickleStream stream(blob);

    auto contents = ReadLayer(stream, Wanting({{"etc/os-release"}}));

    ASSERT_TRUE(contents.ok()) << contents.error().message();
    EXPECT_EQ(contents->diff_id, Sha256Of(tar));
    EXPECT_EQ(contents->blob_digest, Sha256Of(blob));
    EXPECT_EQ(contents->files.at("etc/os-release"), "ID=debian\n");
  }
}

}  // namespace
}  // namespace bulwark::layer
