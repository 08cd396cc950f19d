// The three rpm database readers against rpm's own reading of the same files
// (tests/fixtures/make-rpmdb.sh) and, for the CentOS Berkeley DB databases,
// against the expected lists in the go-rpmdb test sources; and on truncated
// and damaged copies of those files.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/rpm_bdb.h"
#include "catalog/rpm_fixtures.h"
#include "catalog/rpm_header.h"
#include "catalog/rpm_ndb.h"
#include "catalog/rpm_sqlite.h"
#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark::catalog {
namespace {

using testing::ReadFile;
using testing::ReadRpmOracle;
using testing::RpmOracleRow;

std::string Text(const std::string& value) { return value.empty() ? "(none)" : value; }

// One line per package, as the oracle files write them, sorted.
std::vector<std::string> Lines(const Result<std::vector<RpmHeaderBlob>>& blobs) {
  std::vector<std::string> lines;
  if (!blobs.ok()) {
    ADD_FAILURE() << blobs.error().message();
    return lines;
  }
  for (const RpmHeaderBlob& blob : *blobs) {
    auto fields = ParseRpmHeader(blob.bytes, "header " + std::to_string(blob.number));
    if (!fields.ok()) {
      ADD_FAILURE() << fields.error().message();
      continue;
    }
    std::string epoch = fields->epoch ? std::to_string(*fields->epoch) : "(none)";
    lines.push_back(fields->name + "\t" + epoch + "\t" + fields->version + "\t" + fields->release +
                    "\t" + Text(fields->arch) + "\t" + Text(fields->source_rpm) + "\t" +
                    Text(fields->license) + "\t" + Text(fields->modularity_label));
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::vector<std::string> OracleLines(const std::string& path) {
  std::vector<std::string> lines;
  for (const RpmOracleRow& row : ReadRpmOracle(path)) {
    lines.push_back(row.name + "\t" + row.epoch + "\t" + row.version + "\t" + row.release + "\t" +
                    row.arch + "\t" + row.source_rpm + "\t" + row.license + "\t" +
                    row.modularity_label);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

Result<std::vector<RpmHeaderBlob>> ReadSqliteDir(const std::string& dir, bool with_wal = true) {
  std::string wal = with_wal ? ReadFile(dir + "/rpmdb.sqlite-wal") : "";
  return ReadRpmSqlite(ReadFile(dir + "/rpmdb.sqlite"), wal, "rpmdb.sqlite", "rpmdb.sqlite-wal");
}

void ExpectCorrupt(const Result<std::vector<RpmHeaderBlob>>& blobs, const std::string& prefix,
                   const std::string& words) {
  ASSERT_FALSE(blobs.ok());
  EXPECT_EQ(blobs.error().code(), ErrorCode::kCorruptInput) << blobs.error().message();
  EXPECT_EQ(blobs.error().message().rfind(prefix, 0), 0u) << blobs.error().message();
  EXPECT_NE(blobs.error().message().find(words), std::string::npos) << blobs.error().message();
}

// --- SQLite -----------------------------------------------------------------

TEST(RpmSqlite, ReadsEveryHeaderRpmLists) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);

  auto blobs = ReadSqliteDir(fixtures.dir + "/sqlite");

  std::vector<std::string> expected = OracleLines(fixtures.dir + "/sqlite.tsv");
  ASSERT_EQ(expected.size(), 5u);
  EXPECT_EQ(Lines(blobs), expected);
}

TEST(RpmSqlite, AppliesCommittedWriteAheadLog) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string dir = fixtures.dir + "/sqlite-wal";

  auto with_log = ReadSqliteDir(dir);
  auto without_log = ReadSqliteDir(dir, /*with_wal=*/false);

  std::vector<std::string> after = OracleLines(fixtures.dir + "/sqlite-wal.tsv");
  std::vector<std::string> before = OracleLines(fixtures.dir + "/sqlite.tsv");
  ASSERT_NE(after, before);
  EXPECT_EQ(Lines(with_log), after);
  EXPECT_EQ(Lines(without_log), before);
}

// SQLite ends a log at the first frame whose checksum fails, and drops a
// transaction whose commit frame is incomplete: what rpm would then see is
// the database alone.
TEST(RpmSqlite, IgnoresTornOrDamagedLogFramesAsSqliteDoes) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string dir = fixtures.dir + "/sqlite-wal";
  std::string database = ReadFile(dir + "/rpmdb.sqlite");
  std::string wal = ReadFile(dir + "/rpmdb.sqlite-wal");
  ASSERT_GT(wal.size(), 32u + 24u);
  std::string torn = wal.substr(0, wal.size() - 100);
  std::string damaged = wal;
  damaged[wal.size() - 50] ^= 0x01;
  std::string bad_header = wal;
  bad_header[10] ^= 0x01;
  std::vector<std::string> before = OracleLines(fixtures.dir + "/sqlite.tsv");

  for (const std::string* log : {&torn, &damaged, &bad_header}) {
    SCOPED_TRACE(log - &torn);

    auto blobs = ReadRpmSqlite(database, *log, "rpmdb.sqlite", "rpmdb.sqlite-wal");

    EXPECT_EQ(Lines(blobs), before);
  }
}

TEST(RpmSqlite, RejectsLogOfAnotherFormatVersion) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string dir = fixtures.dir + "/sqlite-wal";
  std::string wal = ReadFile(dir + "/rpmdb.sqlite-wal");
  wal[7] ^= 0x01;

  auto blobs = ReadRpmSqlite(ReadFile(dir + "/rpmdb.sqlite"), wal, "db", "db-wal");

  ASSERT_FALSE(blobs.ok());
  EXPECT_EQ(blobs.error().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(blobs.error().message().rfind("db-wal: WAL format version", 0), 0u);
}

TEST(RpmSqlite, RejectsTruncatedAndForeignFiles) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string database = ReadFile(fixtures.dir + "/sqlite/rpmdb.sqlite");
  ASSERT_GT(database.size(), 8192u);

  ExpectCorrupt(ReadRpmSqlite(database.substr(0, database.size() / 2), "", "db", ""),
                "db: ", "SQLite: ");
  ExpectCorrupt(ReadRpmSqlite("", "", "db", ""), "db: ", "not an SQLite database");
  ExpectCorrupt(ReadRpmSqlite(std::string(4096, 'x'), "", "db", ""),
                "db: ", "not an SQLite database");
}

// Writes an SQLite database with `sql` through SQLite itself and returns its bytes.
std::string SqliteFile(const std::string& sql) {
  std::string dir = testing::MakeTempDir();
  std::string path = dir + "/made.sqlite";
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
  std::string bytes = ReadFile(path);
  std::filesystem::remove_all(dir);
  return bytes;
}

TEST(RpmSqlite, RejectsDatabasesRpmDidNotWrite) {
  struct Case {
    const char* sql;
    const char* words;
  };
  const Case cases[] = {
      {"CREATE TABLE Other(x);", "no Packages table"},
      {"CREATE TABLE t(hnum, blob); CREATE VIEW Packages AS SELECT * FROM t;",
       "Packages is a view"},
      {"CREATE TABLE Packages(hnum TEXT, blob BLOB); INSERT INTO Packages VALUES ('one', x'00');",
       "not a positive 32-bit integer"},
      {"CREATE TABLE Packages(hnum INTEGER, blob BLOB); INSERT INTO Packages VALUES (-4, x'00');",
       "not a positive 32-bit integer"},
      {"CREATE TABLE Packages(hnum INTEGER, blob); INSERT INTO Packages VALUES (3, 'text');",
       "hnum 3: blob column is not a blob"},
      {"CREATE TABLE Packages(hnum INTEGER, other BLOB);", "SQLite: no such column: blob"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.sql);
    std::string bytes = SqliteFile(c.sql);

    auto blobs = ReadRpmSqlite(bytes, "", "var/lib/rpm/rpmdb.sqlite", "");

    ExpectCorrupt(blobs, "var/lib/rpm/rpmdb.sqlite: ", c.words);
  }
}

// --- ndb --------------------------------------------------------------------

TEST(RpmNdb, ReadsEveryHeaderOfTheDatabase) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);

  auto blobs = ReadRpmNdb(ReadFile(fixtures.dir + "/ndb/Packages.db"), "Packages.db");

  EXPECT_EQ(Lines(blobs), OracleLines(fixtures.dir + "/ndb.tsv"));
}

TEST(RpmNdb, RejectsTruncatedAndDamagedFiles) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string bytes = ReadFile(fixtures.dir + "/ndb/Packages.db");
  ASSERT_GT(bytes.size(), 4096u + 64u);
  struct Case {
    std::string name;
    std::string bytes;
    std::string words;
  };
  std::vector<Case> cases = {
      {"empty", "", "not an ndb database"},
      {"slot page only, cut", bytes.substr(0, 4000), "not an ndb database"},
      {"blobs cut", bytes.substr(0, bytes.size() - 16), "outside the blob area"},
      {"not a block multiple", bytes.substr(0, bytes.size() - 3), "in 16-byte blocks"},
  };
  std::string magic = bytes;
  magic[0] = 'X';
  cases.push_back({"file magic", magic, "no RpmP magic"});
  std::string slot = bytes;
  slot[32] = 'X';
  cases.push_back({"slot magic", slot, "slot 2 has no slot magic"});
  std::string checksum = bytes;
  checksum[4096 + 40] ^= 0x01;
  cases.push_back({"blob byte", checksum, "checksum mismatch"});
  std::string overlap = bytes;  // Point the second slot at the first slot's blob.
  overlap.replace(48 + 8, 4, overlap.substr(32 + 8, 4));
  cases.push_back({"overlap", overlap, "overlap"});
  std::string slot_pages = bytes;
  slot_pages[12] = 9;
  cases.push_back({"slot pages", slot_pages, "9 slot pages"});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);

    auto blobs = ReadRpmNdb(c.bytes, "usr/lib/sysimage/rpm/Packages.db");

    ExpectCorrupt(blobs, "usr/lib/sysimage/rpm/Packages.db: ", c.words);
  }
}

// --- Berkeley DB ------------------------------------------------------------

TEST(RpmBerkeleyDb, ReadsEveryDatabaseAsRpmDoes) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto databases = testing::ReadRpmBdbIndex(fixtures.dir);
  if (databases.empty()) GTEST_SKIP() << "no Berkeley DB databases (go-rpmdb test data absent)";

  for (const auto& database : databases) {
    SCOPED_TRACE(database.name);
    std::string bytes = ReadFile(database.packages);

    auto blobs = ReadRpmBerkeleyDb(bytes, database.packages);

    std::vector<std::string> expected = OracleLines(database.oracle);
    ASSERT_GT(expected.size(), 100u);
    EXPECT_EQ(Lines(blobs), expected);
  }
}

// The go-rpmdb test sources list what rpm -qa printed inside each CentOS
// image: `{EPOCH, "NAME", "VERSION", "RELEASE", "ARCH", "SOURCERPM", ...}`,
// with an absent epoch written as 0. They are read here as data.
std::map<std::string, std::vector<std::string>> GoRpmdbExpectedLists(const std::string& pkg) {
  std::map<std::string, std::string> list_of_file;  // "centos5-plain" -> "CentOS5Plain"
  std::string test = ReadFile(pkg + "/rpmdb_test.go");
  std::regex pair(R"re(file:\s*"testdata/([^/"]+)/Packages",\s*pkgList:\s*(\w+))re");
  for (std::sregex_iterator it(test.begin(), test.end(), pair), end; it != end; ++it) {
    list_of_file[(*it)[1]] = (*it)[2];
  }

  std::map<std::string, std::vector<std::string>> lists;
  std::istringstream cases(ReadFile(pkg + "/rpmdb_testcase.go"));
  std::regex start(R"re(^\s*(\w+) = \[\]\*PackageInfo\{)re");
  std::regex row(R"re(^\s*\{(\d+), "([^"]*)", "([^"]*)", "([^"]*)", "([^"]*)", "([^"]*)",)re");
  std::string current;
  for (std::string line; std::getline(cases, line);) {
    std::smatch match;
    if (std::regex_search(line, match, start)) current = match[1];
    if (current.empty() || !std::regex_search(line, match, row)) continue;
    if (match[2] == "gpg-pubkey") continue;
    lists[current].push_back(std::string(match[1]) + "\t" + std::string(match[2]) + "\t" +
                             std::string(match[3]) + "\t" + std::string(match[4]) + "\t" +
                             std::string(match[5]) + "\t" + std::string(match[6]));
  }

  std::map<std::string, std::vector<std::string>> by_file;
  for (const auto& [file, list] : list_of_file) {
    by_file[file] = lists[list];
    std::sort(by_file[file].begin(), by_file[file].end());
  }
  return by_file;
}

TEST(RpmBerkeleyDb, AgreesWithTheGoRpmdbExpectedLists) {
  std::string pkg = "/usr/share/gocode/src/github.com/knqyf263/go-rpmdb/pkg";
  if (!std::filesystem::exists(pkg + "/rpmdb_testcase.go")) {
    GTEST_SKIP() << "golang-github-knqyf263-go-rpmdb-dev is not installed";
  }
  auto expected_lists = GoRpmdbExpectedLists(pkg);
  ASSERT_EQ(expected_lists.size(), 10u);

  for (const auto& [name, expected] : expected_lists) {
    SCOPED_TRACE(name);
    std::string path = pkg + "/testdata/" + name + "/Packages";

    auto blobs = ReadRpmBerkeleyDb(ReadFile(path), path);

    ASSERT_TRUE(blobs.ok()) << blobs.error().message();
    std::vector<std::string> got;
    for (const RpmHeaderBlob& blob : *blobs) {
      auto fields = ParseRpmHeader(blob.bytes, path);
      ASSERT_TRUE(fields.ok()) << fields.error().message();
      if (fields->name == "gpg-pubkey") continue;
      got.push_back(std::to_string(fields->epoch.value_or(0)) + "\t" + fields->name + "\t" +
                    fields->version + "\t" + fields->release + "\t" + fields->arch + "\t" +
                    fields->source_rpm);
    }
    std::sort(got.begin(), got.end());
    ASSERT_GT(expected.size(), 100u);
    EXPECT_EQ(got, expected);
  }
}

TEST(RpmBerkeleyDb, RejectsTruncatedAndDamagedFiles) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto databases = testing::ReadRpmBdbIndex(fixtures.dir);
  if (databases.empty()) GTEST_SKIP() << "no Berkeley DB databases (go-rpmdb test data absent)";
  std::string bytes = ReadFile(databases.front().packages);
  ASSERT_GT(bytes.size(), 4096u * 4);
  struct Case {
    std::string name;
    std::string bytes;
    std::string words;
  };
  std::vector<Case> cases = {
      {"empty", "", "too short for a Berkeley DB metadata page"},
      {"cut to the metadata page", bytes.substr(0, 4096), "buckets in a file of 1 pages"},
      {"cut in half", bytes.substr(0, bytes.size() / 2), "more than the file holds"},
  };
  std::string magic = bytes;
  magic[12] = 0;
  cases.push_back({"magic", magic, "not a Berkeley DB database"});
  std::string page_size = bytes;
  page_size[20] = 3;
  cases.push_back({"page size", page_size, "is not a power of two"});
  std::string loop = bytes;  // The first bucket's page names itself as the next one.
  uint32_t first = static_cast<uint8_t>(bytes[96]) | static_cast<uint8_t>(bytes[97]) << 8;
  size_t at = size_t{first} * 4096;
  loop.replace(at + 16, 4, loop.substr(at + 8, 4));
  cases.push_back({"bucket loop", loop, "reached twice"});
  std::string item = bytes;  // An item offset before the page's index.
  item[at + 26] = 2;
  item[at + 27] = 0;
  cases.push_back({"item offset", item, "lies outside its page"});

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);

    auto blobs = ReadRpmBerkeleyDb(c.bytes, "var/lib/rpm/Packages");

    ExpectCorrupt(blobs, "var/lib/rpm/Packages: ", c.words);
  }
}

TEST(RpmBerkeleyDb, RefusesFormatsRpmDoesNotWrite) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  auto databases = testing::ReadRpmBdbIndex(fixtures.dir);
  if (databases.empty()) GTEST_SKIP() << "no Berkeley DB databases (go-rpmdb test data absent)";
  std::string bytes = ReadFile(databases.front().packages);
  std::string btree = bytes;
  btree.replace(12, 4, std::string("\x62\x31\x05\x00", 4));
  std::string encrypted = bytes;
  encrypted[24] = 1;
  std::string version = bytes;
  version[16] = 7;

  for (const std::string* file : {&btree, &encrypted, &version}) {
    SCOPED_TRACE(file - &btree);

    auto blobs = ReadRpmBerkeleyDb(*file, "Packages");

    ASSERT_FALSE(blobs.ok());
    EXPECT_EQ(blobs.error().code(), ErrorCode::kUnsupported) << blobs.error().message();
  }
}

}  // namespace
}  // namespace bulwark::catalog
