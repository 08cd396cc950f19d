// RpmCataloger through the merged filesystem: real databases in the places
// rpm keeps them, symlinked directories, several databases, broken ones.
#include "catalog/rpm_cataloger.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "catalog/rpm_fixtures.h"
#include "catalog/rpm_sqlite.h"
#include "layer/merged_fs.h"
#include "testing/run_command.h"

namespace bulwark::catalog {
namespace {

using testing::ReadFile;
using testing::ReadRpmOracle;
using testing::RpmOracleRow;

// A layer of regular files and symlinks (target after "->").
layer::LayerContents MakeLayer(const std::map<std::string, std::string>& files,
                               const std::map<std::string, std::string>& links = {}) {
  layer::LayerContents contents;
  for (const auto& [path, body] : files) {
    contents.entries.push_back({path, layer::EntryType::kFile, "", body.size(), 0644, 0, 0});
    contents.files[path] = body;
  }
  for (const auto& [path, target] : links) {
    contents.entries.push_back({path, layer::EntryType::kSymlink, target, 0, 0777, 0, 0});
  }
  return contents;
}

Result<Inventory> CatalogLayer(const layer::LayerContents& contents) {
  BULWARK_ASSIGN_OR_RETURN(layer::MergedFs fs, layer::MergedFs::Build({&contents}));
  Inventory inventory;
  BULWARK_TRY(RpmCataloger().Catalog(fs, inventory));
  return inventory;
}

std::string None(const std::string& value) { return value == "(none)" ? "" : value; }

// What the package of an oracle row must look like, by the rules of
// PackagesFromRpmHeaders; the source rpm's name is split with a pattern.
Package ExpectedPackage(const RpmOracleRow& row, const std::string& db_path) {
  Package package;
  package.ecosystem = "rpm";
  package.name = row.name;
  package.epoch = None(row.epoch);
  std::string prefix = package.epoch.empty() ? "" : package.epoch + ":";
  package.version = prefix + row.version + "-" + row.release;
  package.architecture = None(row.arch);
  package.license = None(row.license);
  package.source_rpm = None(row.source_rpm);
  package.db_path = db_path;
  package.source_name = package.name;
  package.source_version = package.version;
  static const std::regex kSourceRpm(R"(^(.+)-([^-]+)-([^-]+)\.(no)?src\.rpm$)");
  std::smatch parts;
  if (std::regex_match(row.source_rpm, parts, kSourceRpm)) {
    package.source_name = parts[1];
    package.source_version = prefix + std::string(parts[2]) + "-" + std::string(parts[3]);
  }
  return package;
}

std::vector<Package> ExpectedPackages(const std::string& oracle, const std::string& db_path) {
  std::vector<RpmOracleRow> rows = ReadRpmOracle(oracle);
  std::vector<Package> packages;
  for (const RpmOracleRow& row : rows) {
    if (row.name != "gpg-pubkey") packages.push_back(ExpectedPackage(row, db_path));
  }
  SortPackages(packages);
  return packages;
}

std::vector<Package> Sorted(std::vector<Package> packages) {
  SortPackages(packages);
  return packages;
}

TEST(RpmCataloger, CatalogsSqliteDatabaseAsRpmListsIt) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto layer =
      MakeLayer({{"var/lib/rpm/rpmdb.sqlite", ReadFile(fixtures.dir + "/sqlite/rpmdb.sqlite")}});

  auto inventory = CatalogLayer(layer);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  std::vector<Package> expected =
      ExpectedPackages(fixtures.dir + "/sqlite.tsv", "var/lib/rpm/rpmdb.sqlite");
  ASSERT_EQ(expected.size(), 4u);
  EXPECT_EQ(Sorted(inventory->packages), expected);
  EXPECT_TRUE(inventory->gaps.empty());
}

TEST(RpmCataloger, KeepsEpochVersionAndSharedSourceRpm) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto layer =
      MakeLayer({{"var/lib/rpm/rpmdb.sqlite", ReadFile(fixtures.dir + "/sqlite/rpmdb.sqlite")}});

  auto inventory = CatalogLayer(layer);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  std::map<std::string, Package> by_name;
  for (const Package& package : inventory->packages) by_name[package.name] = package;
  ASSERT_EQ(by_name.count("bulwark-fixture-tools"), 1u);
  ASSERT_EQ(by_name.count("bulwark-fixture"), 1u);
  const Package& tools = by_name["bulwark-fixture-tools"];
  const Package& main = by_name["bulwark-fixture"];
  EXPECT_EQ(tools.version, tools.epoch + ":2.5~rc1-7");
  EXPECT_EQ(tools.source_rpm, main.source_rpm);
  EXPECT_EQ(tools.source_name, "bulwark-fixture");
  EXPECT_EQ(tools.source_version, main.version);
  EXPECT_EQ(by_name.count("gpg-pubkey"), 0u);
}

TEST(RpmCataloger, ReadsTheWriteAheadLogBesideTheDatabase) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string dir = fixtures.dir + "/sqlite-wal";
  auto layer = MakeLayer({{"var/lib/rpm/rpmdb.sqlite", ReadFile(dir + "/rpmdb.sqlite")},
                          {"var/lib/rpm/rpmdb.sqlite-wal", ReadFile(dir + "/rpmdb.sqlite-wal")}});

  auto inventory = CatalogLayer(layer);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(Sorted(inventory->packages),
            ExpectedPackages(fixtures.dir + "/sqlite-wal.tsv", "var/lib/rpm/rpmdb.sqlite"));
}

TEST(RpmCataloger, FollowsVarLibRpmLinkedToSysimageOnce) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto layer = MakeLayer(
      {{"usr/lib/sysimage/rpm/rpmdb.sqlite", ReadFile(fixtures.dir + "/sqlite/rpmdb.sqlite")}},
      {{"var/lib/rpm", "../../usr/lib/sysimage/rpm"}});

  auto inventory = CatalogLayer(layer);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(Sorted(inventory->packages),
            ExpectedPackages(fixtures.dir + "/sqlite.tsv", "var/lib/rpm/rpmdb.sqlite"));
  EXPECT_TRUE(inventory->gaps.empty());
}

TEST(RpmCataloger, ReadsSuseNdbDatabaseUnderSysimage) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto layer = MakeLayer(
      {{"usr/lib/sysimage/rpm/Packages.db", ReadFile(fixtures.dir + "/ndb/Packages.db")}});

  auto inventory = CatalogLayer(layer);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(Sorted(inventory->packages),
            ExpectedPackages(fixtures.dir + "/ndb.tsv", "usr/lib/sysimage/rpm/Packages.db"));
}

TEST(RpmCataloger, ReadsEveryCentosBerkeleyDatabase) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto databases = testing::ReadRpmBdbIndex(fixtures.dir);
  if (databases.empty()) GTEST_SKIP() << "no Berkeley DB databases (go-rpmdb test data absent)";

  for (const auto& database : databases) {
    SCOPED_TRACE(database.name);
    auto layer = MakeLayer({{"var/lib/rpm/Packages", ReadFile(database.packages)}});

    auto inventory = CatalogLayer(layer);

    ASSERT_TRUE(inventory.ok()) << inventory.error().message();
    EXPECT_EQ(Sorted(inventory->packages),
              ExpectedPackages(database.oracle, "var/lib/rpm/Packages"));
    EXPECT_TRUE(inventory->gaps.empty());
  }
}

TEST(RpmCataloger, PrefersSqliteAndReportsTheOtherDatabase) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto databases = testing::ReadRpmBdbIndex(fixtures.dir);
  if (databases.empty()) GTEST_SKIP() << "no Berkeley DB databases (go-rpmdb test data absent)";
  auto layer =
      MakeLayer({{"var/lib/rpm/rpmdb.sqlite", ReadFile(fixtures.dir + "/sqlite/rpmdb.sqlite")},
                 {"var/lib/rpm/Packages", ReadFile(databases.front().packages)}});

  auto inventory = CatalogLayer(layer);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_EQ(Sorted(inventory->packages),
            ExpectedPackages(fixtures.dir + "/sqlite.tsv", "var/lib/rpm/rpmdb.sqlite"));
  ASSERT_EQ(inventory->gaps.size(), 1u);
  EXPECT_EQ(inventory->gaps[0].path, "var/lib/rpm/Packages");
  EXPECT_NE(inventory->gaps[0].reason.find("beside var/lib/rpm/rpmdb.sqlite"), std::string::npos);
}

TEST(RpmCataloger, UnreadableDatabaseIsAnErrorNotZeroPackages) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string sqlite = ReadFile(fixtures.dir + "/sqlite/rpmdb.sqlite");
  std::string ndb = ReadFile(fixtures.dir + "/ndb/Packages.db");
  const std::map<std::string, std::string> cases = {
      {"var/lib/rpm/rpmdb.sqlite", sqlite.substr(0, sqlite.size() / 3)},
      {"usr/lib/sysimage/rpm/Packages.db", ndb.substr(0, ndb.size() - 32)},
      {"var/lib/rpm/Packages", std::string(8192, '\0')},
  };
  for (const auto& [path, bytes] : cases) {
    SCOPED_TRACE(path);

    auto inventory = CatalogLayer(MakeLayer({{path, bytes}}));

    ASSERT_FALSE(inventory.ok());
    EXPECT_EQ(inventory.error().code(), ErrorCode::kCorruptInput);
    EXPECT_EQ(inventory.error().message().rfind(path + ": ", 0), 0u) << inventory.error().message();
  }
}

TEST(RpmCataloger, ImageWithoutRpmDatabaseHasNoRpmPackages) {
  auto inventory = CatalogLayer(MakeLayer({{"etc/os-release", "ID=debian\n"}}));

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_TRUE(inventory->packages.empty());
  EXPECT_TRUE(inventory->gaps.empty());
}

TEST(RpmCataloger, Issue2DatabaseThatIsASymlinkLeadingOutOfTheImageIsAGap) {
  layer::LayerContents contents;
  contents.entries.push_back({"var/lib/rpm", layer::EntryType::kDirectory, "", 0, 0755, 0, 0});
  contents.entries.push_back(
      {"var/lib/rpm/rpmdb.sqlite", layer::EntryType::kSymlink, "/dev/zero", 0, 0777, 0, 0});

  auto inventory = CatalogLayer(contents);

  ASSERT_TRUE(inventory.ok()) << inventory.error().message();
  EXPECT_TRUE(inventory->packages.empty());
  ASSERT_EQ(inventory->gaps.size(), 1u) << "an unread database must not read as no database";
  EXPECT_EQ(inventory->gaps[0].path, "var/lib/rpm/rpmdb.sqlite");
  EXPECT_EQ(inventory->gaps[0].reason,
            "symlink to /dev/zero, which does not lead to a file in the image");
}

TEST(RpmCataloger, UnparsableSourceRpmIsAGapAndThePackageStandsIn) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto blobs = ReadRpmSqlite(ReadFile(fixtures.dir + "/sqlite/rpmdb.sqlite"), "", "db", "");
  ASSERT_TRUE(blobs.ok()) << blobs.error().message();
  std::string solo = "bulwark-solo-0.9-1.src.rpm";
  std::string mangled = "bulwark_solo_0.9_1.src.rpm";
  size_t found = 0;
  for (RpmHeaderBlob& blob : *blobs) {
    size_t at = blob.bytes.find(solo + '\0');
    if (at == std::string::npos) continue;
    blob.bytes.replace(at, solo.size(), mangled);
    ++found;
  }
  ASSERT_EQ(found, 1u);

  auto packages = PackagesFromRpmHeaders(*blobs, "var/lib/rpm/rpmdb.sqlite");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  ASSERT_EQ(packages->gaps.size(), 1u);
  EXPECT_EQ(packages->gaps[0].path, "var/lib/rpm/rpmdb.sqlite");
  EXPECT_NE(packages->gaps[0].reason.find("package bulwark-solo: SOURCERPM"), std::string::npos);
  for (const Package& package : packages->packages) {
    if (package.name != "bulwark-solo") continue;
    EXPECT_EQ(package.source_rpm, mangled);
    EXPECT_EQ(package.source_name, "bulwark-solo");
    EXPECT_EQ(package.source_version, package.version);
  }
}

TEST(RpmCataloger, WantsEveryDatabaseFileInBothPlaces) {
  RpmCataloger cataloger;

  std::set<std::string> wanted;
  for (const layer::PathPattern& pattern : cataloger.WantedPaths()) {
    EXPECT_FALSE(pattern.children);
    wanted.insert(pattern.path);
  }

  for (std::string dir : {"var/lib/rpm/", "usr/lib/sysimage/rpm/"}) {
    for (std::string file : {"rpmdb.sqlite", "rpmdb.sqlite-wal", "Packages.db", "Packages"}) {
      EXPECT_EQ(wanted.count(dir + file), 1u) << dir + file;
    }
  }
  EXPECT_EQ(wanted.size(), 8u);
}

}  // namespace
}  // namespace bulwark::catalog
