#include "catalog/os_release_cataloger.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "layer/merged_fs.h"
#include "testing/test_data.h"

namespace bulwark::catalog {
namespace {

using namespace std::string_literals;

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A layer holding regular files (kept) and symlinks, built by hand.
layer::LayerContents MakeLayer(const std::map<std::string, std::string>& files,
                               const std::map<std::string, std::string>& symlinks = {}) {
  layer::LayerContents contents;
  for (const auto& [path, body] : files) {
    contents.entries.push_back({path, layer::EntryType::kFile, "", body.size(), 0644, 0, 0});
    contents.files[path] = body;
  }
  for (const auto& [path, target] : symlinks) {
    contents.entries.push_back({path, layer::EntryType::kSymlink, target, 0, 0777, 0, 0});
  }
  return contents;
}

TEST(OsReleaseCataloger, ParsesQuotingCommentsAndBlankLines) {
  const std::string text =
      "# a comment\n"
      "\n"
      "ID=debian\n"
      "  VERSION_ID=\"12\"\n"
      "PRETTY_NAME='Debian GNU/Linux 12 (bookworm)'\n"
      "ID_LIKE=\"rhel fedora\"  # trailing comment\n"
      "VERSION_CODENAME=book\\ worm\r\n";

  auto info = ParseOsRelease(text, "etc/os-release");

  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_TRUE(info->found);
  EXPECT_EQ(info->source_path, "etc/os-release");
  EXPECT_EQ(info->id, "debian");
  EXPECT_EQ(info->version_id, "12");
  EXPECT_EQ(info->pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(info->id_like, "rhel fedora");
  EXPECT_EQ(info->version_codename, "book worm");
}

TEST(OsReleaseCataloger, DecodesBackslashEscapesInDoubleQuotes) {
  const std::string text = R"(PRETTY_NAME="say \"hi\" \$HOME \\ \n `x` \`y\`")";

  auto info = ParseOsRelease(text, "etc/os-release");

  ASSERT_TRUE(info.ok()) << info.error().message();
  EXPECT_EQ(info->pretty_name, R"(say "hi" $HOME \ \n `x` `y`)");
}

TEST(OsReleaseCataloger, KeepsSingleQuotedTextLiteral) {
  const std::string text = R"(PRETTY_NAME='a \"b\" $c')";

  auto info = ParseOsRelease(text, "etc/os-release");

  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->pretty_name, R"(a \"b\" $c)");
}

TEST(OsReleaseCataloger, LaterAssignmentWins) {
  auto info = ParseOsRelease("ID=one\nID=two\n", "etc/os-release");

  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->id, "two");
}

TEST(OsReleaseCataloger, FindsCodenameInOlderFields) {
  auto ubuntu = ParseOsRelease("ID=ubuntu\nUBUNTU_CODENAME=xenial\n", "etc/os-release");
  auto debian = ParseOsRelease("ID=debian\nVERSION=\"8 (jessie)\"\n", "etc/os-release");
  auto ubuntu_old = ParseOsRelease("VERSION=\"14.04.6 LTS, Trusty Tahr\"\n", "etc/os-release");

  ASSERT_TRUE(ubuntu.ok());
  EXPECT_EQ(ubuntu->version_codename, "xenial");
  ASSERT_TRUE(debian.ok());
  EXPECT_EQ(debian->version_codename, "jessie");
  ASSERT_TRUE(ubuntu_old.ok());
  EXPECT_EQ(ubuntu_old->version_codename, "");
}

TEST(OsReleaseCataloger, RejectsMalformedLinesNamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ID=debian\nPRETTY_NAME=\"open\n", "line 2: unterminated double quote"},
      {"ID='open\n", "line 1: unterminated single quote"},
      {"ID=debian\njust words\n", "line 2: no '='"},
      {"ID=two words\n", "line 1: unquoted space"},
      {"BAD-KEY=x\n", "line 1: bad variable name"},
      {"ID=x\\", "line 1: backslash at the end"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);

    auto info = ParseOsRelease(text, "etc/os-release");

    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(info.error().message().find("etc/os-release " + message), std::string::npos)
        << info.error().message();
  }
}

TEST(OsReleaseCataloger, RefusesControlBytesInValuesNamingTheLine) {
  const std::string cases[] = {
      "NAME=Debian\nID=debian\0\n"s,
      "NAME=Debian\nVERSION_ID=\"12\x01\"\n",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);

    auto info = ParseOsRelease(text, "etc/os-release");

    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(info.error().message().find("etc/os-release line 2: "), std::string::npos)
        << info.error().message();
    EXPECT_NE(info.error().message().find("control byte"), std::string::npos);
  }
}

TEST(OsReleaseCataloger, RefusesOversizedFile) {
  std::string text = "ID=x\n" + std::string(kMaxOsReleaseBytes, '#');

  auto info = ParseOsRelease(text, "etc/os-release");

  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.error().code(), ErrorCode::kLimitExceeded);
}

// Expected ID for each claircore family directory; ubuntu/11 is the
// Debian 11 file claircore keeps as a negative case.
std::string ExpectedId(const std::string& family, const std::string& release) {
  if (family == "ubuntu" && release == "11") return "debian";
  if (family == "debian-distroless") return "debian";
  return family;
}

TEST(OsReleaseCataloger, ParsesEveryClaircoreOsReleaseFile) {
  const std::string dir = testing::SharedDataDir();
  if (dir.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";
  const std::filesystem::path root = std::filesystem::path(dir) / "os-release/claircore";

  int parsed_files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().filename() != "os-release") continue;
    const std::filesystem::path release_dir = entry.path().parent_path().parent_path();
    const std::string release = release_dir.filename().string();
    const std::string family = release_dir.parent_path().filename().string();
    SCOPED_TRACE(entry.path().string());

    auto info = ParseOsRelease(ReadWholeFile(entry.path()), "etc/os-release");

    ASSERT_TRUE(info.ok()) << info.error().message();
    EXPECT_EQ(info->id, ExpectedId(family, release));
    EXPECT_FALSE(info->pretty_name.empty());
    if (family == "debian" || family == "debian-distroless") {
      EXPECT_EQ(info->version_id, release);
      EXPECT_FALSE(info->version_codename.empty());
    }
    if (family == "alpine" && release != "edge") {
      EXPECT_EQ(info->version_id.rfind(release + ".", 0), 0u) << info->version_id;
    }
    if (family == "ubuntu" && release != "11") {
      EXPECT_EQ(info->version_id, release);
    }
    ++parsed_files;
  }

  std::cout << "[ data     ] claircore os-release files parsed: " << parsed_files << "\n";
  EXPECT_GE(parsed_files, 40);
}

TEST(OsReleaseCataloger, ReadsEtcOsReleaseFirst) {
  layer::LayerContents base = MakeLayer(
      {{"etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\n"}, {"usr/lib/os-release", "ID=other\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = OsReleaseCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_TRUE(inventory.os.found);
  EXPECT_EQ(inventory.os.id, "alpine");
  EXPECT_EQ(inventory.os.source_path, "etc/os-release");
}

TEST(OsReleaseCataloger, FallsBackToUsrLibOsRelease) {
  layer::LayerContents base = MakeLayer({{"usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = OsReleaseCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(inventory.os.id, "debian");
  EXPECT_EQ(inventory.os.source_path, "usr/lib/os-release");
}

TEST(OsReleaseCataloger, FollowsSymlinkFromEtcToUsrLib) {
  layer::LayerContents base = MakeLayer({{"usr/lib/os-release", "ID=debian\n"}},
                                        {{"etc/os-release", "../usr/lib/os-release"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = OsReleaseCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(inventory.os.id, "debian");
  EXPECT_EQ(inventory.os.source_path, "etc/os-release");
}

TEST(OsReleaseCataloger, ReportsNothingFoundWithoutEitherFile) {
  layer::LayerContents base = MakeLayer({{"etc/hostname", "box\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = OsReleaseCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(inventory.os.found);
}

TEST(OsReleaseCataloger, SeesOsReleaseDeletedByUpperLayer) {
  layer::LayerContents base = MakeLayer({{"etc/os-release", "ID=alpine\n"}});
  layer::LayerContents upper;
  upper.whiteouts.push_back("etc/os-release");
  auto fs = layer::MergedFs::Build({&base, &upper});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = OsReleaseCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(inventory.os.found);
}

}  // namespace
}  // namespace bulwark::catalog
