#include "catalog/apk_cataloger.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "layer/merged_fs.h"
#include "testing/test_data.h"

namespace bulwark::catalog {
namespace {

using namespace std::string_literals;

// Reads the bodies of `wanted` regular files out of a .tar.gz with libarchive.
std::map<std::string, std::string> ReadFromTarball(const std::string& path,
                                                   const std::vector<std::string>& wanted) {
  std::map<std::string, std::string> bodies;
  archive* reader = archive_read_new();
  archive_read_support_filter_all(reader);
  archive_read_support_format_tar(reader);
  EXPECT_EQ(archive_read_open_filename(reader, path.c_str(), 1 << 16), ARCHIVE_OK) << path;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(entry);
    if (name.rfind("./", 0) == 0) name.erase(0, 2);
    for (const std::string& want : wanted) {
      if (name != want) continue;
      std::string body(static_cast<size_t>(archive_entry_size(entry)), '\0');
      EXPECT_EQ(archive_read_data(reader, body.data(), body.size()),
                static_cast<la_ssize_t>(body.size()));
      bodies[name] = body;
    }
  }
  archive_read_free(reader);
  return bodies;
}

const Package* FindPackage(const std::vector<Package>& packages, const std::string& name) {
  for (const Package& package : packages) {
    if (package.name == name) return &package;
  }
  return nullptr;
}

constexpr char kTwoRecords[] =
    "C:Q1abc=\n"
    "P:musl\n"
    "V:1.2.5-r0\n"
    "A:x86_64\n"
    "S:383152\n"
    "L:MIT\n"
    "o:musl\n"
    "F:lib\n"
    "R:ld-musl-x86_64.so.1\n"
    "a:0:0:755\n"
    "Z:Q1xyz=\n"
    "R:libc.musl-x86_64.so.1\n"
    "\n"
    "P:libcrypto3\n"
    "V:3.3.2-r0\n"
    "A:x86_64\n"
    "L:Apache-2.0\n"
    "o:openssl\n"
    "\n";

TEST(ApkCataloger, ParsesRecordsSeparatedByBlankLines) {
  auto packages = ParseApkInstalled(kTwoRecords, "lib/apk/db/installed");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  ASSERT_EQ(packages->size(), 2u);
  const Package& musl = (*packages)[0];
  EXPECT_EQ(musl.ecosystem, "apk");
  EXPECT_EQ(musl.name, "musl");
  EXPECT_EQ(musl.version, "1.2.5-r0");
  EXPECT_EQ(musl.architecture, "x86_64");
  EXPECT_EQ(musl.license, "MIT");
  EXPECT_EQ(musl.db_path, "lib/apk/db/installed");
}

TEST(ApkCataloger, UsesOriginAsSourcePackage) {
  auto packages = ParseApkInstalled(kTwoRecords, "lib/apk/db/installed");

  ASSERT_TRUE(packages.ok());
  const Package* libcrypto = FindPackage(*packages, "libcrypto3");
  ASSERT_NE(libcrypto, nullptr);
  EXPECT_EQ(libcrypto->source_name, "openssl");
  EXPECT_EQ(libcrypto->source_version, "3.3.2-r0");
}

TEST(ApkCataloger, FallsBackToNameWithoutOrigin) {
  auto packages = ParseApkInstalled("P:tool\nV:1.0-r0\n", "lib/apk/db/installed");

  ASSERT_TRUE(packages.ok());
  ASSERT_EQ(packages->size(), 1u);
  EXPECT_EQ((*packages)[0].source_name, "tool");
}

TEST(ApkCataloger, AcceptsSeveralBlankLinesAndCrlf) {
  auto packages = ParseApkInstalled("\n\nP:a\r\nV:1-r0\r\n\r\n\r\nP:b\nV:2-r0", "installed");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  ASSERT_EQ(packages->size(), 2u);
  EXPECT_EQ((*packages)[1].version, "2-r0");
}

TEST(ApkCataloger, RejectsBrokenRecordsNamingLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"P:a\nV:1-r0\n\nP:b\nA:x86_64\n", "installed line 4: package b has no V: version"},
      {"V:1-r0\n", "installed line 1: package record without a P: name"},
      {"P:a\nthis is not a key\n", "installed line 2: not a \"X:value\" line"},
      {"P:a\nP:b\nV:1\n", "installed line 2: repeated key P"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);

    auto packages = ParseApkInstalled(text, "lib/apk/db/installed");

    ASSERT_FALSE(packages.ok());
    EXPECT_EQ(packages.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(packages.error().message().find(message), std::string::npos)
        << packages.error().message();
  }
}

// apk-tools compares names case-sensitively, so the case is kept.
TEST(ApkCataloger, KeepsTheCaseOfPackageNames) {
  std::string text = "P:Telnet\nV:1.0-r0\n";

  auto packages = ParseApkInstalled(text, "lib/apk/db/installed");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  ASSERT_EQ(packages->size(), 1u);
  EXPECT_EQ((*packages)[0].name, "Telnet");
}

TEST(ApkCataloger, RefusesControlBytesInValuesNamingTheLine) {
  const std::string cases[] = {
      "P:busybox\0\nV:1.36.1-r29\n"s,
      "P:busybox\nV:1.36.1\x08-r29\n",
      "P:busybox\nV:1.36.1-r29\no:busy\x1f"
      "box\n",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);

    auto packages = ParseApkInstalled(text, "lib/apk/db/installed");

    ASSERT_FALSE(packages.ok());
    EXPECT_EQ(packages.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(packages.error().message().find("lib/apk/db/installed line "), std::string::npos);
    EXPECT_NE(packages.error().message().find("control byte"), std::string::npos);
  }
}

TEST(ApkCataloger, RefusesOverlongLine) {
  std::string text = "P:a\nV:1\nT:" + std::string((1u << 20) + 1, 'x') + "\n";

  auto packages = ParseApkInstalled(text, "lib/apk/db/installed");

  ASSERT_FALSE(packages.ok());
  EXPECT_EQ(packages.error().code(), ErrorCode::kLimitExceeded);
}

std::string MinirootfsPath() {
  return testing::SharedDataDir() +
         "/images/alpine-minirootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz";
}

TEST(ApkCataloger, ParsesAlpineMinirootfsDatabase) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";
  auto bodies = ReadFromTarball(MinirootfsPath(), {"lib/apk/db/installed"});
  ASSERT_EQ(bodies.count("lib/apk/db/installed"), 1u);

  auto packages = ParseApkInstalled(bodies["lib/apk/db/installed"], "lib/apk/db/installed");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  EXPECT_EQ(packages->size(), 14u);
  const Package* musl = FindPackage(*packages, "musl");
  const Package* busybox = FindPackage(*packages, "busybox");
  const Package* libcrypto = FindPackage(*packages, "libcrypto3");
  ASSERT_NE(musl, nullptr);
  EXPECT_EQ(musl->version, "1.2.5-r0");
  EXPECT_EQ(musl->architecture, "x86_64");
  ASSERT_NE(busybox, nullptr);
  EXPECT_EQ(busybox->version, "1.36.1-r29");
  ASSERT_NE(libcrypto, nullptr);
  EXPECT_EQ(libcrypto->version, "3.3.2-r0");
  EXPECT_EQ(libcrypto->source_name, "openssl");
  for (const Package& package : *packages) {
    SCOPED_TRACE(package.name);
    EXPECT_FALSE(package.license.empty());
  }
}

TEST(ApkCataloger, CatalogsAlpineMinirootfsThroughMergedFs) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";
  auto bodies = ReadFromTarball(MinirootfsPath(), {"lib/apk/db/installed", "etc/os-release"});
  ASSERT_EQ(bodies.size(), 2u);
  layer::LayerContents base;
  for (const auto& [path, body] : bodies) {
    base.entries.push_back({path, layer::EntryType::kFile, "", body.size(), 0644, 0, 0});
    base.files[path] = body;
  }
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  auto inventory = RunCatalogers(DefaultCatalogers(), *fs);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(inventory->os.id, "alpine");
  EXPECT_EQ(inventory->os.version_id, "3.20.3");
  EXPECT_EQ(inventory->packages.size(), 14u);
  EXPECT_EQ(inventory->packages.front().name, "alpine-baselayout");
  EXPECT_TRUE(inventory->gaps.empty());
}

TEST(ApkCataloger, SeesDatabaseReplacedByUpperLayer) {
  layer::LayerContents base;
  base.entries.push_back({"lib/apk/db/installed", layer::EntryType::kFile, "", 0, 0644, 0, 0});
  base.files["lib/apk/db/installed"] = "P:old\nV:1-r0\n";
  layer::LayerContents upper = base;
  upper.files["lib/apk/db/installed"] = "P:old\nV:1-r0\n\nP:new\nV:2-r0\n";
  auto fs = layer::MergedFs::Build({&base, &upper});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = ApkCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok());
  ASSERT_EQ(inventory.packages.size(), 2u);
  EXPECT_EQ(inventory.packages[1].name, "new");
}

TEST(ApkCataloger, Issue2DatabaseThatIsASymlinkLeadingOutOfTheImageIsAGap) {
  layer::LayerContents base;
  base.entries.push_back({"lib/apk/db", layer::EntryType::kDirectory, "", 0, 0755, 0, 0});
  base.entries.push_back(
      {"lib/apk/db/installed", layer::EntryType::kSymlink, "/dev/zero", 0, 0777, 0, 0});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = ApkCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_TRUE(inventory.packages.empty());
  ASSERT_EQ(inventory.gaps.size(), 1u) << "an unread database must not read as no database";
  EXPECT_EQ(inventory.gaps[0].path, "lib/apk/db/installed");
  EXPECT_EQ(inventory.gaps[0].reason,
            "symlink to /dev/zero, which does not lead to a file in the image");
}

}  // namespace
}  // namespace bulwark::catalog
