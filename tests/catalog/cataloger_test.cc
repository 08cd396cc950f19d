#include "catalog/cataloger.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "layer/merged_fs.h"

namespace bulwark::catalog {
namespace {

layer::LayerContents MakeLayer(const std::map<std::string, std::string>& files) {
  layer::LayerContents contents;
  for (const auto& [path, body] : files) {
    contents.entries.push_back({path, layer::EntryType::kFile, "", body.size(), 0644, 0, 0});
    contents.files[path] = body;
  }
  return contents;
}

TEST(Cataloger, ListsDefaultCatalogersWithOsReleaseFirst) {
  auto catalogers = DefaultCatalogers();

  ASSERT_EQ(catalogers.size(), 5u);
  EXPECT_EQ(catalogers[0]->name(), "os-release");
  EXPECT_EQ(catalogers[1]->name(), "passwd");
  EXPECT_EQ(catalogers[2]->name(), "dpkg");
  EXPECT_EQ(catalogers[3]->name(), "apk");
  EXPECT_EQ(catalogers[4]->name(), "rpm");
}

TEST(Cataloger, VersionKeyNamesEveryCatalogerAndVersion) {
  auto catalogers = DefaultCatalogers();

  std::string key = CatalogersVersionKey(catalogers);

  EXPECT_EQ(key, "os-release:2,passwd:2,dpkg:4,apk:4,rpm:2");
}

TEST(Cataloger, EveryCatalogerWantsAtLeastOnePath) {
  auto catalogers = DefaultCatalogers();

  for (const auto& cataloger : catalogers) {
    SCOPED_TRACE(std::string(cataloger->name()));
    auto wanted = cataloger->WantedPaths();
    ASSERT_FALSE(wanted.empty());
    for (const auto& pattern : wanted) EXPECT_NE(pattern.path.front(), '/');
  }
}

TEST(Cataloger, RunCatalogersSortsPackages) {
  layer::LayerContents base = MakeLayer({
      {"etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"},
      {"var/lib/dpkg/status",
       "Package: zlib1g\nStatus: install ok installed\nArchitecture: i386\nVersion: 1\n\n"
       "Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n\n"
       "Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2\n"},
      {"lib/apk/db/installed", "P:musl\nV:1.2.5-r0\n"},
  });
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();

  auto inventory = RunCatalogers(DefaultCatalogers(), *fs);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(inventory->os.version_codename, "bookworm");
  ASSERT_EQ(inventory->packages.size(), 4u);
  EXPECT_EQ(inventory->packages[0].ecosystem, "apk");
  EXPECT_EQ(inventory->packages[1].name, "bash");
  EXPECT_EQ(inventory->packages[2].architecture, "amd64");
  EXPECT_EQ(inventory->packages[3].architecture, "i386");
  EXPECT_TRUE(inventory->gaps.empty());
}

TEST(Cataloger, RunCatalogersFailsClosedAndRecordsGap) {
  layer::LayerContents base = MakeLayer({
      {"etc/os-release", "ID=debian\n"},
      {"var/lib/dpkg/status", "Package: a\nStatus: install ok installed\n"},
      {"lib/apk/db/installed", "P:musl\nV:1.2.5-r0\n"},
  });
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = RunCatalogersInto(DefaultCatalogers(), *fs, inventory);
  auto result = RunCatalogers(DefaultCatalogers(), *fs);

  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("cataloger dpkg: var/lib/dpkg/status line 1"),
            std::string::npos)
      << status.error().message();
  ASSERT_EQ(inventory.gaps.size(), 1u);
  EXPECT_EQ(inventory.gaps[0].path, "dpkg");
  EXPECT_EQ(inventory.os.id, "debian");
  ASSERT_EQ(inventory.packages.size(), 1u);
  EXPECT_EQ(inventory.packages[0].name, "musl");
  EXPECT_FALSE(result.ok());
}

TEST(Cataloger, Issue2DatabasePathThatIsADirectoryIsCorruptInputNotAUsageError) {
  for (const char* path : {"var/lib/dpkg/status", "lib/apk/db/installed", "etc/passwd",
                           "etc/os-release"}) {
    SCOPED_TRACE(path);
    layer::LayerContents base;
    layer::Entry directory;
    directory.path = path;
    directory.type = layer::EntryType::kDirectory;
    base.entries.push_back(directory);
    auto fs = layer::MergedFs::Build({&base});
    ASSERT_TRUE(fs.ok()) << fs.error().message();

    auto result = RunCatalogers(DefaultCatalogers(), *fs);

    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code(), ErrorCode::kCorruptInput) << result.error().message();
    EXPECT_NE(result.error().message().find("is a directory"), std::string::npos)
        << result.error().message();
  }
}

TEST(Cataloger, DatabaseDeletedByOpaqueDirectoryIsGone) {
  layer::LayerContents base = MakeLayer(
      {{"var/lib/dpkg/status", "Package: a\nStatus: install ok installed\nVersion: 1\n"}});
  layer::LayerContents upper;
  upper.opaque_dirs.push_back("var/lib/dpkg");
  auto fs = layer::MergedFs::Build({&base, &upper});
  ASSERT_TRUE(fs.ok());

  auto inventory = RunCatalogers(DefaultCatalogers(), *fs);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_TRUE(inventory->packages.empty());
  EXPECT_FALSE(inventory->os.found);
}

TEST(Cataloger, SortPackagesOrdersByEcosystemNameArchitectureVersion) {
  auto package = [](const char* ecosystem, const char* name, const char* version,
                    const char* architecture) {
    Package made;
    made.ecosystem = ecosystem;
    made.name = name;
    made.version = version;
    made.architecture = architecture;
    return made;
  };
  std::vector<Package> packages = {
      package("deb", "b", "2", "amd64"),
      package("deb", "b", "1", "amd64"),
      package("deb", "a", "9", "i386"),
      package("apk", "z", "1", "x86_64"),
  };

  SortPackages(packages);

  EXPECT_EQ(packages[0].name, "z");
  EXPECT_EQ(packages[1].name, "a");
  EXPECT_EQ(packages[2].version, "1");
  EXPECT_EQ(packages[3].version, "2");
}

}  // namespace
}  // namespace bulwark::catalog
