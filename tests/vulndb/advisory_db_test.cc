#include "vulndb/advisory_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "testing/test_data.h"

namespace bulwark::vulndb {
namespace {

constexpr char kFocal[] = "ubuntu:20.04";

AffectedPackage FixedRow(std::string package, std::string fixed, std::string distro = kFocal) {
  AffectedPackage row;
  row.distro = std::move(distro);
  row.package = std::move(package);
  row.ecosystem = version::Ecosystem::kDeb;
  row.state = FixState::kFixed;
  row.ranges = {{"0", fixed, ""}};
  row.fixed_version = std::move(fixed);
  return row;
}

Advisory MakeAdvisory(std::string id, std::vector<AffectedPackage> rows) {
  Advisory advisory;
  advisory.id = std::move(id);
  advisory.affected = std::move(rows);
  return advisory;
}

catalog::Package Deb(std::string name, std::string version, std::string source = "") {
  catalog::Package package;
  package.ecosystem = "deb";
  package.name = std::move(name);
  package.version = std::move(version);
  package.source_name = source.empty() ? package.name : std::move(source);
  package.source_version = package.version;
  return package;
}

// Runs one SQL statement on the file directly, as another program would.
void RawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string detail = message ? message : "";
  sqlite3_free(message);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << detail;
}

// Seconds between an RFC 3339 UTC time and now; a large value when unparsable.
long long SecondsAgo(const std::string& when) {
  std::tm parts{};
  const char* end = strptime(when.c_str(), "%Y-%m-%dT%H:%M:%SZ", &parts);
  if (end == nullptr || *end != '\0') return 1'000'000'000;
  return static_cast<long long>(std::time(nullptr) - timegm(&parts));
}

class AdvisoryDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir();
    path_ = dir_ + "/data/advisories.db";
    auto created = CreateAdvisoryDatabase(path_);
    ASSERT_TRUE(created.ok()) << created.error().message();
    db_ = std::move(created).value();
  }
  void TearDown() override {
    db_.reset();
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Imports `advisories` as source `name` in one import; returns its summary.
  ImportSummary Import(const std::string& name, const std::vector<Advisory>& advisories,
                       bool fresh = false, FeedKind kind = FeedKind::kOsv) {
    auto import = db_->StartImport(fresh);
    EXPECT_TRUE(import.ok()) << import.error().message();
    if (!import.ok()) return {};
    EXPECT_TRUE((*import)->BeginSource(name, kind).ok());
    for (const Advisory& advisory : advisories) {
      Status added = (*import)->Add(advisory);
      EXPECT_TRUE(added.ok()) << added.error().message();
    }
    auto summary = (*import)->EndSource();
    EXPECT_TRUE(summary.ok()) << summary.error().message();
    Status committed = (*import)->Commit();
    EXPECT_TRUE(committed.ok()) << committed.error().message();
    return summary.ok() ? *summary : ImportSummary{};
  }

  std::vector<std::string> MatchIds(AdvisoryDatabase& db,
                                    const std::vector<catalog::Package>& packages,
                                    const std::string& distro = kFocal) {
    auto report = db.Match(distro, packages);
    EXPECT_TRUE(report.ok()) << report.error().message();
    std::vector<std::string> ids;
    if (!report.ok()) return ids;
    for (const Finding& finding : report->findings) ids.push_back(finding.id);
    return ids;
  }

  std::string dir_;
  std::string path_;
  std::unique_ptr<AdvisoryDatabase> db_;
};

TEST_F(AdvisoryDatabaseTest, RoundTripsEveryField) {
  Advisory advisory = MakeAdvisory("UBUNTU-CVE-2024-0001", {});
  advisory.aliases = {"CVE-2024-0001", "GHSA-xxxx"};
  advisory.summary = "overflow in inflate \xe2\x80\x9cquoted\xe2\x80\x9d";
  advisory.published = "2024-01-02T03:04:05Z";
  advisory.modified = "2024-02-03T04:05:06Z";
  advisory.severity = Severity::kHigh;
  advisory.cvss_score = 7.5;
  advisory.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
  // JSON escapes of every kind: quotes, backslashes, control bytes, non-ASCII.
  advisory.references = {"https://ubuntu.com/security/CVE-2024-0001",
                         "https://example.org/a\"b\\c\td\x01 \xc3\xa9 \xf0\x9f\x98\x80"};
  AffectedPackage row;
  row.distro = kFocal;
  row.package = "foo";
  row.ecosystem = version::Ecosystem::kDeb;
  row.state = FixState::kFixed;
  row.ranges = {{"1.0", "1.5", ""}, {"2.0", "", "2.2"}, {"3.0", "", "", "3.4"}};
  row.versions = {"0.9"};
  row.fixed_version = "1.5";
  row.severity = Severity::kMedium;
  advisory.affected = {row};
  Import("ubuntu", {advisory});

  auto report = db_->Match(
      kFocal, {Deb("libfoo", "0.9", "foo"), Deb("foo", "1.2"), Deb("foo", "1.5"), Deb("foo", "2.2"),
               Deb("foo", "2.3"), Deb("foo", "3.1"), Deb("foo", "3.4")});

  ASSERT_TRUE(report.ok()) << report.error().message();
  ASSERT_EQ(report->findings.size(), 4u) << "foo 3.4 is at the limit of its range";
  const Finding& listed = report->findings[3];  // libfoo 0.9, through `versions`.
  EXPECT_EQ(report->findings[0].version, "1.2");
  EXPECT_EQ(report->findings[0].fixed_version, "1.5");
  EXPECT_EQ(report->findings[1].version, "2.2");  // Through last_affected.
  EXPECT_EQ(report->findings[2].version, "3.1");  // Below the limit.
  EXPECT_EQ(listed.package, "libfoo");
  EXPECT_EQ(listed.id, "CVE-2024-0001");
  EXPECT_EQ(listed.aliases, (std::vector<std::string>{"GHSA-xxxx", "UBUNTU-CVE-2024-0001"}));
  EXPECT_EQ(listed.summary, advisory.summary);
  EXPECT_EQ(listed.published, advisory.published);
  EXPECT_EQ(listed.severity, Severity::kMedium);
  EXPECT_EQ(listed.severity_source, "distribution");
  EXPECT_DOUBLE_EQ(listed.cvss_score, 7.5);
  EXPECT_EQ(listed.cvss_vector, advisory.cvss_vector);
  EXPECT_EQ(listed.references, advisory.references);
  EXPECT_EQ(listed.state, FixState::kFixed);
  EXPECT_EQ(listed.fixed_version, "1.5");
  EXPECT_EQ(listed.sources, (std::vector<std::string>{"ubuntu"}));
}

TEST_F(AdvisoryDatabaseTest, KeepsFixStatesAndUnknownScoresApart) {
  std::vector<Advisory> advisories;
  for (FixState state : {FixState::kNotFixed, FixState::kWontFix, FixState::kNotAffected}) {
    AffectedPackage row;
    row.distro = kFocal;
    row.package = "pkg-" + std::string(FixStateName(state));
    row.ecosystem = version::Ecosystem::kDeb;
    row.state = state;
    advisories.push_back(MakeAdvisory("CVE-2024-100" + std::to_string(advisories.size()), {row}));
  }
  Import("feed", advisories);

  auto report = db_->Match(
      kFocal, {Deb("pkg-not_fixed", "1"), Deb("pkg-wont_fix", "1"), Deb("pkg-not_affected", "1")});

  ASSERT_TRUE(report.ok()) << report.error().message();
  ASSERT_EQ(report->findings.size(), 2u);
  EXPECT_EQ(report->findings[0].state, FixState::kNotFixed);
  EXPECT_EQ(report->findings[1].state, FixState::kWontFix);
  EXPECT_EQ(report->findings[0].cvss_score, -1);
  EXPECT_EQ(report->findings[0].severity_source, "");
}

// Reads one text value from the file directly; "" when there is no row.
std::string RawText(const std::string& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return "";
  sqlite3_stmt* query = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &query, nullptr) == SQLITE_OK &&
      sqlite3_step(query) == SQLITE_ROW) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(query, 0));
  }
  sqlite3_finalize(query);
  sqlite3_close(raw);
  return value;
}

TEST_F(AdvisoryDatabaseTest, StoresWhatFindingsDoNotCarry) {
  AffectedPackage row = FixedRow("foo", "2.0");
  row.versions = {"1.0", "3.0"};
  Advisory advisory = MakeAdvisory("CVE-2024-0002", {row});
  advisory.modified = "2024-05-06T07:08:09Z";
  Import("feed", {advisory});
  db_.reset();

  // Read from the file as other tooling would.
  std::string modified = RawText(path_, "SELECT modified FROM advisories");
  std::string versions = RawText(path_, "SELECT versions FROM affected");
  std::string match_versions = RawText(path_, "SELECT match_versions FROM affected");

  EXPECT_EQ(modified, "2024-05-06T07:08:09Z");
  EXPECT_EQ(versions, "[\"1.0\",\"3.0\"]");
  EXPECT_EQ(match_versions, "[\"3.0\"]");  // 1.0 is inside the range below 2.0.
}

TEST_F(AdvisoryDatabaseTest, ListedVersionsMatchWhetherOrNotARangeCoversThem) {
  AffectedPackage row = FixedRow("foo", "2.0");
  row.versions = {"1.0", "1.5", "3.0", "not a version"};
  Import("ubuntu", {MakeAdvisory("CVE-2024-0003", {row})});

  auto covered = db_->Match(kFocal, {Deb("foo", "1.5")});
  auto listed = db_->Match(kFocal, {Deb("foo", "3.0")});
  auto neither = db_->Match(kFocal, {Deb("foo", "2.5")});

  ASSERT_TRUE(covered.ok() && listed.ok() && neither.ok());
  EXPECT_EQ(covered->findings.size(), 1u);
  EXPECT_EQ(listed->findings.size(), 1u);
  EXPECT_TRUE(neither->findings.empty());
  // The version the ordering refuses is still compared, and reported.
  ASSERT_EQ(neither->unmatched.size(), 1u);
  EXPECT_NE(neither->unmatched[0].find("not a version"), std::string::npos);
}

TEST_F(AdvisoryDatabaseTest, ReimportOfASourceReplacesItsRecords) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0010", {FixedRow("foo", "2.0")}),
                    MakeAdvisory("CVE-2024-0011", {FixedRow("foo", "2.0")})});
  Import("debian", {MakeAdvisory("CVE-2024-0020", {FixedRow("foo", "2.0")})});

  ImportSummary again = Import("ubuntu", {MakeAdvisory("CVE-2024-0012", {FixedRow("foo", "2.0")})});
  auto status = db_->GetStatus();

  EXPECT_EQ(again.records, 1);
  EXPECT_EQ(MatchIds(*db_, {Deb("foo", "1.0")}),
            (std::vector<std::string>{"CVE-2024-0012", "CVE-2024-0020"}));
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->sources.size(), 2u);
  EXPECT_EQ(status->sources[0].name, "debian");
  EXPECT_EQ(status->sources[1].name, "ubuntu");
  EXPECT_EQ(status->sources[1].records, 1);
}

TEST_F(AdvisoryDatabaseTest, FreshImportDropsEveryOtherSource) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0030", {FixedRow("foo", "2.0")})});
  Import("alpine", {MakeAdvisory("CVE-2024-0031", {FixedRow("foo", "2.0", "alpine:3.20")})});

  Import("debian", {MakeAdvisory("CVE-2024-0032", {FixedRow("foo", "2.0")})}, /*fresh=*/true);
  auto status = db_->GetStatus();

  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->sources.size(), 1u);
  EXPECT_EQ(status->sources[0].name, "debian");
  EXPECT_EQ(status->distros, (std::vector<std::string>{kFocal}));
  EXPECT_EQ(MatchIds(*db_, {Deb("foo", "1.0")}), (std::vector<std::string>{"CVE-2024-0032"}));
}

TEST_F(AdvisoryDatabaseTest, ImportStoppedByAnErrorLeavesThePreviousData) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0040", {FixedRow("foo", "2.0")})});
  auto import = db_->StartImport(/*fresh=*/true);
  ASSERT_TRUE(import.ok());
  ASSERT_TRUE((*import)->BeginSource("ubuntu", FeedKind::kOsv).ok());
  ASSERT_TRUE((*import)->Add(MakeAdvisory("CVE-2024-0041", {FixedRow("foo", "2.0")})).ok());

  Status bad = (*import)->Add(MakeAdvisory("", {FixedRow("foo", "2.0")}));
  Status later = (*import)->Add(MakeAdvisory("CVE-2024-0042", {FixedRow("foo", "2.0")}));
  Status committed = (*import)->Commit();
  auto during = OpenAdvisoryDatabase(path_);
  std::vector<std::string> seen_during =
      during.ok() ? MatchIds(**during, {Deb("foo", "1.0")}) : std::vector<std::string>();
  import->reset();
  auto after = OpenAdvisoryDatabase(path_);

  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(later.ok());
  ASSERT_FALSE(committed.ok());
  EXPECT_NE(committed.error().message().find("earlier error"), std::string::npos);
  EXPECT_EQ(seen_during, (std::vector<std::string>{"CVE-2024-0040"}));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(MatchIds(**after, {Deb("foo", "1.0")}), (std::vector<std::string>{"CVE-2024-0040"}));
  EXPECT_EQ(MatchIds(*db_, {Deb("foo", "1.0")}), (std::vector<std::string>{"CVE-2024-0040"}));
}

TEST_F(AdvisoryDatabaseTest, ImportDestroyedBeforeCommitLeavesThePreviousData) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0050", {FixedRow("foo", "2.0")})});
  auto before = db_->GetStatus();

  {
    auto import = db_->StartImport(/*fresh=*/true);
    ASSERT_TRUE(import.ok());
    ASSERT_TRUE((*import)->BeginSource("other", FeedKind::kOsv).ok());
    ASSERT_TRUE((*import)->Add(MakeAdvisory("CVE-2024-0051", {FixedRow("foo", "2.0")})).ok());
    ASSERT_TRUE((*import)->EndSource().ok());
  }
  auto after = db_->GetStatus();

  EXPECT_EQ(MatchIds(*db_, {Deb("foo", "1.0")}), (std::vector<std::string>{"CVE-2024-0050"}));
  ASSERT_TRUE(before.ok() && after.ok());
  ASSERT_EQ(after->sources.size(), 1u);
  EXPECT_EQ(after->sources[0].name, "ubuntu");
  EXPECT_EQ(after->built_at, before->built_at);
}

TEST_F(AdvisoryDatabaseTest, ReadersSeeThePreviousDataWhileAnImportRuns) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0060", {FixedRow("foo", "2.0")})});
  auto import = db_->StartImport(/*fresh=*/false);
  ASSERT_TRUE(import.ok());
  ASSERT_TRUE((*import)->BeginSource("ubuntu", FeedKind::kOsv).ok());
  ASSERT_TRUE((*import)->Add(MakeAdvisory("CVE-2024-0061", {FixedRow("foo", "2.0")})).ok());
  ASSERT_TRUE((*import)->EndSource().ok());

  auto second = OpenAdvisoryDatabase(path_);
  ASSERT_TRUE(second.ok()) << second.error().message();
  std::vector<std::string> during = MatchIds(**second, {Deb("foo", "1.0")});
  std::vector<std::string> during_first = MatchIds(*db_, {Deb("foo", "1.0")});
  ASSERT_TRUE((*import)->Commit().ok());
  std::vector<std::string> after = MatchIds(**second, {Deb("foo", "1.0")});

  EXPECT_EQ(during, (std::vector<std::string>{"CVE-2024-0060"}));
  EXPECT_EQ(during_first, (std::vector<std::string>{"CVE-2024-0060"}));
  EXPECT_EQ(after, (std::vector<std::string>{"CVE-2024-0061"}));
}

TEST_F(AdvisoryDatabaseTest, StatusShowsSourcesCountsReleasesAndTimes) {
  Import("https://example.org/ubuntu.zip",
         {MakeAdvisory("CVE-2024-0070",
                       {FixedRow("foo", "2.0"), FixedRow("foo", "2.0", "ubuntu:22.04")}),
          MakeAdvisory("CVE-2024-0071", {FixedRow("bar", "2.0")})});
  Import("secdb.json", {MakeAdvisory("CVE-2024-0072", {FixedRow("foo", "2.0", "alpine:3.20")})},
         false, FeedKind::kAlpineSecdb);

  auto status = db_->GetStatus();

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_EQ(status->path, path_);
  EXPECT_EQ(status->schema_version, 1);
  EXPECT_LT(SecondsAgo(status->built_at), 120);
  ASSERT_EQ(status->sources.size(), 2u);
  const SourceStatus& ubuntu = status->sources[0];
  EXPECT_EQ(ubuntu.name, "https://example.org/ubuntu.zip");
  EXPECT_EQ(ubuntu.kind, "osv");
  EXPECT_EQ(ubuntu.records, 2);
  EXPECT_EQ(ubuntu.skipped, 0);
  EXPECT_EQ(ubuntu.distros, (std::vector<std::string>{"ubuntu:20.04", "ubuntu:22.04"}));
  EXPECT_LT(SecondsAgo(ubuntu.imported_at), 120);
  EXPECT_GE(SecondsAgo(ubuntu.imported_at), 0);
  EXPECT_EQ(status->sources[1].kind, "alpine-secdb");
  EXPECT_EQ(status->distros,
            (std::vector<std::string>{"alpine:3.20", "ubuntu:20.04", "ubuntu:22.04"}));
}

TEST_F(AdvisoryDatabaseTest, RecordsSkippedRecordsWithReasons) {
  auto import = db_->StartImport(false);
  ASSERT_TRUE(import.ok());
  ASSERT_TRUE((*import)->BeginSource("osv.zip", FeedKind::kOsv).ok());
  ASSERT_TRUE((*import)->Add(MakeAdvisory("CVE-2024-0080", {FixedRow("foo", "2.0")})).ok());
  for (int i = 0; i < 25; ++i) {
    (*import)->Skip({"osv.zip:PYSEC-" + std::to_string(i) + ".json", "PyPI is not a distribution"});
  }

  auto summary = (*import)->EndSource();
  ASSERT_TRUE((*import)->Commit().ok());
  auto listed = db_->ListSkipped("osv.zip", 3);
  auto all = db_->ListSkipped("osv.zip", 1000);
  auto status = db_->GetStatus();
  auto unknown = db_->ListSkipped("nothing", 3);

  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->records, 1);
  EXPECT_EQ(summary->skipped, 25);
  ASSERT_EQ(summary->first_skipped.size(), 20u);
  EXPECT_EQ(summary->first_skipped[19].record, "osv.zip:PYSEC-19.json");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_EQ((*listed)[0].record, "osv.zip:PYSEC-0.json");
  EXPECT_EQ((*listed)[2].record, "osv.zip:PYSEC-2.json");
  EXPECT_EQ((*listed)[2].reason, "PyPI is not a distribution");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 25u);
  EXPECT_EQ(status->sources[0].skipped, 25);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
}

TEST_F(AdvisoryDatabaseTest, DistroWithoutDataSaysSo) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0090", {FixedRow("foo", "2.0")})});

  auto debian = db_->Match("debian:12", {Deb("foo", "1.0")});
  auto unknown = db_->Match("", {Deb("foo", "1.0")});
  auto focal = db_->Match(kFocal, {Deb("bar", "1.0")});

  ASSERT_TRUE(debian.ok() && unknown.ok() && focal.ok());
  EXPECT_FALSE(debian->distro_has_data);
  EXPECT_EQ(debian->distro, "debian:12");
  EXPECT_TRUE(debian->findings.empty());
  EXPECT_FALSE(unknown->distro_has_data);
  EXPECT_TRUE(focal->distro_has_data);
  EXPECT_TRUE(focal->findings.empty());
  EXPECT_EQ(focal->database.sources.size(), 1u);
}

TEST_F(AdvisoryDatabaseTest, RefusesANewerSchema) {
  db_.reset();
  RawSql(path_, "INSERT INTO schema_version VALUES (99)");

  auto opened = OpenAdvisoryDatabase(path_);
  auto created = CreateAdvisoryDatabase(path_);

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(opened.error().message().find(path_), std::string::npos);
  EXPECT_NE(opened.error().message().find("schema version 99"), std::string::npos);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code(), ErrorCode::kUnsupported);
}

TEST_F(AdvisoryDatabaseTest, RefusesAFileThatIsNotAnSqliteDatabase) {
  std::string path = dir_ + "/notes.txt";
  std::ofstream(path) << "these are not the advisories you are looking for\n";

  auto opened = OpenAdvisoryDatabase(path);
  auto created = CreateAdvisoryDatabase(path);

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(opened.error().message().find(path), std::string::npos);
  EXPECT_NE(opened.error().message().find("not an SQLite database"), std::string::npos);
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code(), ErrorCode::kCorruptInput);
}

TEST_F(AdvisoryDatabaseTest, RefusesAnotherProgramsSqliteFileWithoutChangingIt) {
  std::string path = dir_ + "/store.db";
  RawSql(path,
         "CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (1)");
  auto size_before = std::filesystem::file_size(path);

  auto created = CreateAdvisoryDatabase(path);

  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(created.error().message().find("not a Bulwark advisory database"), std::string::npos);
  EXPECT_EQ(std::filesystem::file_size(path), size_before);
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

TEST_F(AdvisoryDatabaseTest, MissingFileIsNotFoundWithTheCommandThatBuildsIt) {
  auto opened = OpenAdvisoryDatabase(dir_ + "/absent.db");

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(opened.error().message().find("bulwark db import"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/absent.db"));
}

TEST_F(AdvisoryDatabaseTest, Issue4DatabaseNoImportCompletedIntoIsNotOpened) {
  auto import = db_->StartImport(/*fresh=*/false);
  ASSERT_TRUE(import.ok());
  import->reset();

  auto opened = OpenAdvisoryDatabase(path_);

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(opened.error().message().find(path_), std::string::npos);
  EXPECT_NE(opened.error().message().find("bulwark db import"), std::string::npos);
}

TEST_F(AdvisoryDatabaseTest, Issue4DirectoryForTheDatabaseIsNamedAsSuch) {
  auto opened = OpenAdvisoryDatabase(dir_);
  auto created = CreateAdvisoryDatabase(dir_);

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(opened.error().message().find(dir_ + ": is a directory"), std::string::npos)
      << opened.error().message();
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(AdvisoryDatabaseTest, RefusesDamagedStoredValues) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0100", {FixedRow("foo", "2.0")})});
  db_.reset();
  struct Case {
    const char* name;
    std::string sql;
  };
  const Case cases[] = {
      {"ranges not JSON", "UPDATE affected SET ranges = '[{\"fixed\": '"},
      {"ranges of the wrong shape", "UPDATE affected SET ranges = '{\"fixed\": \"2.0\"}'"},
      {"unknown range field", "UPDATE affected SET ranges = '[{\"until\": \"2.0\"}]'"},
      {"oversized ranges", "UPDATE affected SET ranges = '[' || printf('%.300000c', ' ') || ']'"},
      {"unknown state", "UPDATE affected SET state = 'maybe'"},
      {"unknown ecosystem", "UPDATE affected SET ecosystem = 'cobol'"},
      {"aliases not a list", "UPDATE advisories SET aliases = '\"CVE-1\"'"},
      {"score out of range", "UPDATE advisories SET cvss_score = 42"},
  };
  std::string pristine = path_ + ".pristine";
  std::filesystem::copy_file(path_, pristine);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::filesystem::copy_file(pristine, path_, std::filesystem::copy_options::overwrite_existing);
    RawSql(path_, c.sql);
    auto db = OpenAdvisoryDatabase(path_);
    ASSERT_TRUE(db.ok()) << db.error().message();

    auto report = (*db)->Match(kFocal, {Deb("foo", "1.0")});

    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.error().code(), ErrorCode::kCorruptInput) << report.error().message();
    EXPECT_NE(report.error().message().find(path_), std::string::npos);
  }
}

TEST_F(AdvisoryDatabaseTest, TriggersInTheFileDoNotRun) {
  Import("ubuntu", {MakeAdvisory("CVE-2024-0110", {FixedRow("foo", "2.0")})});
  db_.reset();
  RawSql(path_, "CREATE TRIGGER wipe AFTER INSERT ON advisories BEGIN DELETE FROM affected; END");
  auto db = OpenAdvisoryDatabase(path_);
  ASSERT_TRUE(db.ok()) << db.error().message();
  db_ = std::move(db).value();

  Import("debian", {MakeAdvisory("CVE-2024-0111", {FixedRow("foo", "2.0")})});

  EXPECT_EQ(MatchIds(*db_, {Deb("foo", "1.0")}),
            (std::vector<std::string>{"CVE-2024-0110", "CVE-2024-0111"}));
}

TEST_F(AdvisoryDatabaseTest, RefusesAdvisoriesAboveTheBoundsReadsApply) {
  Advisory huge = MakeAdvisory("CVE-2024-0120", {FixedRow("foo", "2.0")});
  huge.summary.assign(100 * 1024, 'x');
  auto import = db_->StartImport(false);
  ASSERT_TRUE(import.ok());
  ASSERT_TRUE((*import)->BeginSource("feed", FeedKind::kOsv).ok());

  Status added = (*import)->Add(huge);

  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(added.error().message().find("CVE-2024-0120"), std::string::npos);
}

// The real Ubuntu OSV records of the shared data (Canonical's, vunnel's and
// osv.dev's) against the real package list of ubuntu:20.04
// (docker-library/repo-info, focal-20221130).
TEST_F(AdvisoryDatabaseTest, MatchesRealUbuntuRecordsAgainstFocal) {
  std::string data = bulwark::testing::SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; real advisory data absent";
  std::string feed = data + "/vulndb/ubuntu-osv";
  std::ifstream listing(data + "/package-listings/repo-info/ubuntu/focal-20221130.packages.tsv");
  ASSERT_TRUE(listing.good());
  std::vector<catalog::Package> packages;
  std::string line;
  std::getline(listing, line);  // The header.
  while (std::getline(listing, line)) {
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
      fields.push_back(line.substr(start, tab - start));
    }
    fields.push_back(line.substr(start));
    ASSERT_EQ(fields.size(), 5u) << line;
    catalog::Package package = Deb(fields[2], fields[4], fields[0]);
    package.source_version = fields[1];
    package.architecture = fields[3];
    packages.push_back(package);
  }
  auto import = db_->StartImport(false);
  ASSERT_TRUE(import.ok());
  ASSERT_TRUE((*import)->BeginSource(feed, FeedKind::kOsv).ok());
  FeedKind kind = FeedKind::kOsv;
  auto read = ImportFeed(feed, &kind, **import);
  ASSERT_TRUE(read.ok()) << read.error().message();
  ASSERT_TRUE((*import)->EndSource().ok());
  ASSERT_TRUE((*import)->Commit().ok());

  auto report = db_->Match(kFocal, packages);
  auto pro = db_->Match("ubuntu-pro:20.04", packages);

  ASSERT_TRUE(report.ok()) << report.error().message();
  ASSERT_TRUE(pro.ok()) << pro.error().message();
  EXPECT_TRUE(report->distro_has_data);
  EXPECT_TRUE(report->unmatched.empty());
  std::vector<std::string> found;
  for (const Finding& finding : report->findings)
    found.push_back(finding.package + " " + finding.id);
  // zlib1g is at the fixed version 1:1.2.11.dfsg-2ubuntu1.5, so CVE-2022-37434
  // does not apply; bash's record lists only 22.04.
  EXPECT_EQ(found, (std::vector<std::string>{"libprocps8 CVE-2023-4016", "procps CVE-2023-4016"}));
  ASSERT_FALSE(report->findings.empty());
  const Finding& procps = report->findings.back();
  EXPECT_EQ(procps.version, "2:3.3.16-1ubuntu2.3");
  EXPECT_EQ(procps.state, FixState::kFixed);
  EXPECT_EQ(procps.fixed_version, "2:3.3.16-1ubuntu2.4");
  EXPECT_EQ(procps.severity, Severity::kLow);
  EXPECT_EQ(procps.severity_source, "distribution");
  // Ubuntu Pro's focal records are keyed apart: glibc's CVE-2016-20013 has
  // no fix there and is rated negligible.
  std::vector<std::string> pro_found;
  for (const Finding& finding : pro->findings) {
    pro_found.push_back(finding.package + " " + finding.id);
    EXPECT_EQ(finding.state, FixState::kNotFixed);
    EXPECT_EQ(finding.severity, Severity::kNegligible);
  }
  EXPECT_EQ(pro_found,
            (std::vector<std::string>{"libc-bin CVE-2016-20013", "libc6 CVE-2016-20013"}));
}

}  // namespace
}  // namespace bulwark::vulndb
