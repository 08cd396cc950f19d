#include "layer/merged_fs.h"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "common/byte_stream.h"
#include "layer/layer_reader.h"
#include "testing/tar_builder.h"

namespace bulwark::layer {
namespace {

using testing::TarBuilder;

// Reads tar layers (keeping every body under the wanted paths) and merges them.
class Image {
 public:
  Image& Layer(const TarBuilder& tar, std::vector<PathPattern> wanted) {
    const std::string blob = tar.Finish();
    MemoryStream stream(blob);
    ReadOptions options;
    options.wanted = std::move(wanted);
    auto contents = ReadLayer(stream, options);
    EXPECT_TRUE(contents.ok()) << contents.error().message();
    if (contents.ok()) layers_.push_back(std::move(*contents));
    return *this;
  }

  Result<MergedFs> Build() const {
    std::vector<const LayerContents*> pointers;
    for (const LayerContents& layer : layers_) pointers.push_back(&layer);
    return MergedFs::Build(pointers);
  }

 private:
  std::deque<LayerContents> layers_;  // Stable addresses: MergedFs points into them.
};

std::vector<std::string> List(const MergedFs& fs, std::string_view path) {
  auto names = fs.ListDir(path);
  EXPECT_TRUE(names.ok()) << names.error().message();
  return names.ok() ? *names : std::vector<std::string>{};
}

std::string Read(const MergedFs& fs, std::string_view path) {
  auto body = fs.ReadFile(path);
  EXPECT_TRUE(body.ok()) << body.error().message();
  return body.ok() ? *body : "<error>";
}

TEST(MergedFs, UpperLayerFileWins) {
  Image image;
  image.Layer(TarBuilder().File("etc/os-release", "ID=old\n"), {{"etc/os-release"}})
      .Layer(TarBuilder().File("etc/os-release", "ID=new\n"), {{"etc/os-release"}});

  auto fs = image.Build();

  ASSERT_TRUE(fs.ok()) << fs.error().message();
  EXPECT_EQ(Read(*fs, "etc/os-release"), "ID=new\n");
  EXPECT_EQ((*fs->Lookup("etc/os-release"))->layer_index, 1u);
}

TEST(MergedFs, WhiteoutHidesAFile) {
  Image image;
  image.Layer(TarBuilder().File("etc/a", "a").File("etc/b", "b"), {})
      .Layer(TarBuilder().File("etc/.wh.a", ""), {});

  auto fs = image.Build();

  ASSERT_TRUE(fs.ok()) << fs.error().message();
  EXPECT_EQ(fs->Lookup("etc/a").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(List(*fs, "etc"), (std::vector<std::string>{"b"}));
}

TEST(MergedFs, WhiteoutHidesADirectorySubtree) {
  Image image;
  image.Layer(TarBuilder().Dir("opt/app").File("opt/app/bin/run", "x").File("opt/keep", "k"), {})
      .Layer(TarBuilder().File("opt/.wh.app", ""), {});

  auto fs = image.Build();

  ASSERT_TRUE(fs.ok()) << fs.error().message();
  EXPECT_EQ(fs->Lookup("opt/app").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(fs->Lookup("opt/app/bin/run").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(List(*fs, "opt"), (std::vector<std::string>{"keep"}));
}

TEST(MergedFs, OpaqueMarkerHidesLowerContentWhereverItSits) {
  struct Case {
    const char* name;
    TarBuilder upper;
  };
  const std::vector<Case> cases = {
      {"marker first",
       TarBuilder().Dir("var/cache").File("var/cache/.wh..wh..opq", "").File("var/cache/new", "")},
      {"marker last",
       TarBuilder().Dir("var/cache").File("var/cache/new", "").File("var/cache/.wh..wh..opq", "")},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Image image;
    image
        .Layer(TarBuilder()
                   .File("var/cache/old", "")
                   .File("var/cache/sub/deep", "")
                   .File("var/other", ""),
               {})
        .Layer(c.upper, {});

    auto fs = image.Build();

    ASSERT_TRUE(fs.ok()) << fs.error().message();
    EXPECT_EQ(List(*fs, "var/cache"), (std::vector<std::string>{"new"}));
    EXPECT_EQ(List(*fs, "var"), (std::vector<std::string>{"cache", "other"}));
  }
}

TEST(MergedFs, NonDirectoryReplacingADirectoryHidesTheOldSubtree) {
  struct Case {
    const char* name;
    TarBuilder upper;
    EntryType expected;
  };
  const std::vector<Case> cases = {
      {"file", TarBuilder().File("usr/share/doc", "now a file"), EntryType::kFile},
      {"symlink", TarBuilder().Symlink("usr/share/doc", "/elsewhere"), EntryType::kSymlink},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Image image;
    image.Layer(TarBuilder().Dir("usr/share/doc").File("usr/share/doc/README", "r"), {})
        .Layer(c.upper, {});

    auto fs = image.Build();

    ASSERT_TRUE(fs.ok()) << fs.error().message();
    auto node = fs->Lookup("usr/share/doc", /*follow_last=*/false);
    ASSERT_TRUE(node.ok()) << node.error().message();
    EXPECT_EQ((*node)->entry.type, c.expected);
    EXPECT_EQ(fs->Lookup("usr/share/doc/README").error().code(), ErrorCode::kNotFound);
  }
}

TEST(MergedFs, DirectoryReplacingAFileOrSymlinkStartsEmpty) {
  struct Case {
    const char* name;
    TarBuilder lower;
  };
  const std::vector<Case> cases = {
      {"file", TarBuilder().File("srv", "was a file")},
      {"symlink", TarBuilder().Dir("data").File("data/old", "").Symlink("srv", "data")},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Image image;
    image.Layer(c.lower, {}).Layer(TarBuilder().Dir("srv").File("srv/new", ""), {});

    auto fs = image.Build();

    ASSERT_TRUE(fs.ok()) << fs.error().message();
    auto node = fs->Lookup("srv", /*follow_last=*/false);
    ASSERT_TRUE(node.ok()) << node.error().message();
    EXPECT_EQ((*node)->entry.type, EntryType::kDirectory);
    EXPECT_EQ(List(*fs, "srv"), (std::vector<std::string>{"new"}));
  }
}

TEST(MergedFs, DirectoryOverDirectoryMergesChildren) {
  Image image;
  image.Layer(TarBuilder().Dir("etc").File("etc/a", ""), {})
      .Layer(TarBuilder().Dir("etc", 0700).File("etc/b", ""), {});

  auto fs = image.Build();

  ASSERT_TRUE(fs.ok()) << fs.error().message();
  EXPECT_EQ(List(*fs, "etc"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*fs->Lookup("etc"))->entry.mode, 0700u);
}

TEST(MergedFs, CreatesImplicitParentDirectories) {
  Image image;
  image.Layer(TarBuilder().File("a/b/c.txt", "c"), {{"a/b/c.txt"}});

  auto fs = image.Build();

  ASSERT_TRUE(fs.ok()) << fs.error().message();
  EXPECT_EQ(List(*fs, "/"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(List(*fs, "a"), (std::vector<std::string>{"b"}));
  EXPECT_EQ((*fs->Lookup("a/b"))->entry.type, EntryType::kDirectory);
  EXPECT_EQ(Read(*fs, "/a/b/c.txt"), "c");
}

TEST(MergedFs, HardlinkReadsAsItsTargetsBytes) {
  struct Case {
    const char* name;
    Image image;
  };
  std::vector<Case> cases(2);
  cases[0].name = "same layer";
  cases[0].image.Layer(
      TarBuilder().File("usr/bin/perl5.36", "ELF").Hardlink("usr/bin/perl", "usr/bin/perl5.36"),
      {{"usr/bin/perl5.36"}});
  cases[1].name = "target in a lower layer";
  cases[1]
      .image.Layer(TarBuilder().File("usr/bin/perl5.36", "ELF"), {{"usr/bin/perl5.36"}})
      .Layer(TarBuilder().Hardlink("usr/bin/perl", "usr/bin/perl5.36"), {});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);

    auto fs = c.image.Build();

    ASSERT_TRUE(fs.ok()) << fs.error().message();
    EXPECT_EQ(Read(*fs, "usr/bin/perl"), "ELF");
    EXPECT_EQ((*fs->Lookup("usr/bin/perl"))->entry.type, EntryType::kHardlink);
  }
}

TEST(MergedFs, ResolvesSymlinksInsideTheRoot) {
  Image image;
  image.Layer(TarBuilder()
                  .File("usr/lib/os-release", "ID=debian\n")
                  .Symlink("etc/os-release", "../usr/lib/os-release")
                  .Symlink("etc/absolute", "/usr/lib/os-release")
                  .Symlink("etc/escape", "../../../../usr/lib/os-release")
                  .Symlink("lib", "usr/lib")
                  .Symlink("usr/lib/self", "."),
              {{"usr/lib/os-release"}});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  for (const char* path : {"etc/os-release", "etc/absolute", "etc/escape", "lib/os-release",
                           "/lib/self/self/os-release", "lib/../lib/os-release"}) {
    SCOPED_TRACE(path);

    auto body = fs->ReadFile(path);

    ASSERT_TRUE(body.ok()) << body.error().message();
    EXPECT_EQ(*body, "ID=debian\n");
  }
}

TEST(MergedFs, LookupCanStopAtTheLastSymlink) {
  Image image;
  image.Layer(TarBuilder().File("usr/lib/x", "").Symlink("lib", "usr/lib"), {});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  auto link = fs->Lookup("lib", /*follow_last=*/false);
  auto dir = fs->Lookup("lib");

  ASSERT_TRUE(link.ok());
  EXPECT_EQ((*link)->entry.type, EntryType::kSymlink);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ((*dir)->entry.path, "usr/lib");
  EXPECT_EQ(List(*fs, "lib"), (std::vector<std::string>{"x"}));
}

TEST(MergedFs, DetectsSymlinkLoops) {
  Image image;
  image.Layer(TarBuilder().Symlink("a", "b").Symlink("b", "/a").Symlink("self", "self/x"), {});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  for (const char* path : {"a", "b/c", "self"}) {
    SCOPED_TRACE(path);

    auto node = fs->Lookup(path);

    ASSERT_FALSE(node.ok());
    EXPECT_EQ(node.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(node.error().message().find("loop"), std::string::npos);
  }
}

TEST(MergedFs, EntriesUnderASymlinkedParentLandAtItsTarget) {
  Image image;
  image.Layer(TarBuilder().Dir("usr/lib").Symlink("lib", "usr/lib"), {})
      .Layer(TarBuilder().File("lib/libz.so", "z"), {{"lib/libz.so"}});

  auto fs = image.Build();

  ASSERT_TRUE(fs.ok()) << fs.error().message();
  EXPECT_EQ((*fs->Lookup("lib", false))->entry.type, EntryType::kSymlink);
  EXPECT_EQ(Read(*fs, "usr/lib/libz.so"), "z");
}

TEST(MergedFs, ReadFileReportsWhyItCannotRead) {
  Image image;
  image.Layer(TarBuilder().Dir("etc").File("etc/shadow", "secret").Symlink("dangling", "nowhere"),
              {});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  struct Case {
    const char* path;
    ErrorCode expected;
  };
  const std::vector<Case> cases = {
      {"etc/missing", ErrorCode::kNotFound},      {"dangling", ErrorCode::kNotFound},
      {"etc/shadow/below", ErrorCode::kNotFound}, {"etc", ErrorCode::kInvalidArgument},
      {"etc/shadow", ErrorCode::kUnsupported},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);

    auto body = fs->ReadFile(c.path);

    ASSERT_FALSE(body.ok());
    EXPECT_EQ(body.error().code(), c.expected) << body.error().message();
  }
}

TEST(MergedFs, ReadsAHardLinkToAMissingTargetAsCorrupt) {
  Image image;
  image.Layer(TarBuilder().Dir("var/lib/dpkg").Hardlink("var/lib/dpkg/status", "var/lib/gone"),
              {{"var/lib/dpkg/status"}});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  auto body = fs->ReadFile("var/lib/dpkg/status");

  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(body.error().message().find("var/lib/dpkg/status: hard link to var/lib/gone, which "
                                        "is not in the image"),
            std::string::npos)
      << body.error().message();
}

TEST(MergedFs, ReadsAHardLinkWhoseTargetWasDeletedAboveAsCorrupt) {
  Image image;
  image
      .Layer(TarBuilder().File("etc/status-old", "x").Hardlink("etc/status", "etc/status-old"),
             {{"etc/status"}})
      .Layer(TarBuilder().File("etc/.wh.status-old", ""), {});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  auto body = fs->ReadFile("etc/status");

  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code(), ErrorCode::kCorruptInput);
}

TEST(MergedFs, SaysInUserTermsWhyAFilesContentsAreMissing) {
  Image image;
  image.Layer(TarBuilder().File("etc/shadow", "secret"), {});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  auto body = fs->ReadFile("etc/shadow");

  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.error().code(), ErrorCode::kUnsupported);
  EXPECT_TRUE(body.error().message().starts_with(
      "etc/shadow: the file's contents were not read from the image layers"))
      << body.error().message();
  EXPECT_EQ(body.error().message().find("cataloger"), std::string::npos);
  EXPECT_EQ(body.error().message().find("kept"), std::string::npos);
}

TEST(MergedFs, NamesAMissingLayerCountingFromOne) {
  LayerContents lower;
  auto fs = MergedFs::Build({&lower, nullptr});

  ASSERT_FALSE(fs.ok());
  EXPECT_NE(fs.error().message().find("layer 2 is missing"), std::string::npos)
      << fs.error().message();
}

TEST(MergedFs, ListDirGivesSortedDirectChildrenOnly) {
  Image image;
  image.Layer(TarBuilder()
                  .File("d/b", "")
                  .File("d/a-b", "")
                  .File("d/a/deep/x", "")
                  .File("d/a/y", "")
                  .File("d0", "")
                  .File("d/c", ""),
              {});
  auto fs = image.Build();
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  auto names = fs->ListDir("d");
  auto not_dir = fs->ListDir("d/b");
  auto absent = fs->ListDir("nope");

  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"a", "a-b", "b", "c"}));
  EXPECT_EQ(not_dir.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(absent.error().code(), ErrorCode::kNotFound);
}

TEST(MergedFs, MergesTenThousandEntries) {
  TarBuilder tar;
  for (int i = 0; i < 10000; ++i) {
    tar.File("usr/share/doc/pkg" + std::to_string(i % 100) + "/file" + std::to_string(i), "");
  }
  Image plain;
  plain.Layer(tar, {});
  Image deleted;
  deleted.Layer(tar, {}).Layer(TarBuilder().File("usr/share/.wh.doc", ""), {});

  auto plain_fs = plain.Build();
  auto deleted_fs = deleted.Build();

  ASSERT_TRUE(plain_fs.ok()) << plain_fs.error().message();
  EXPECT_EQ(List(*plain_fs, "usr/share/doc").size(), 100u);
  EXPECT_EQ(List(*plain_fs, "usr/share/doc/pkg7").size(), 100u);
  ASSERT_TRUE(deleted_fs.ok()) << deleted_fs.error().message();
  EXPECT_TRUE(List(*deleted_fs, "usr/share").empty());
}

}  // namespace
}  // namespace bulwark::layer
