// The rpm databases and oracles of tests/fixtures/make-rpmdb.sh, for the rpm
// tests of catalog_test and scan_test. Built once per machine and script
// version into $TMPDIR (or taken from $BULWARK_FIXTURES/rpmdb when `make
// fixtures` built them), since every test of a CTest run is its own process.
//
//   BULWARK_REQUIRE_RPM_FIXTURES(fixtures);  // Skips without rpm, fails on a broken script.
//   auto rows = ReadRpmOracle(fixtures.dir + "/sqlite.tsv");
#ifndef BULWARK_TESTS_CATALOG_RPM_FIXTURES_H_
#define BULWARK_TESTS_CATALOG_RPM_FIXTURES_H_

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark::testing {

struct RpmFixtures {
  std::string dir;          // Set when the databases are there.
  std::string skip_reason;  // Set when rpm or rpmbuild is missing.
  std::string error;        // Set when the script failed for another reason.
};

// One line of an oracle file: rpm's own reading of a package ("(none)" kept).
struct RpmOracleRow {
  std::string name, epoch, version, release, arch, source_rpm, license, modularity_label;
};

// One Berkeley DB database of OUTDIR/bdb/index.tsv.
struct RpmBdbFixture {
  std::string name;
  std::string packages;  // Absolute path of the Packages file.
  std::string oracle;    // Absolute path of its oracle.
};

inline std::string RpmFixtureScript() {
  return std::string(BULWARK_SOURCE_DIR) + "/tests/fixtures/make-rpmdb.sh";
}

inline RpmFixtures BuildRpmFixtures() {
  std::string prebuilt = FixturesDir();
  if (!prebuilt.empty() && std::filesystem::exists(prebuilt + "/rpmdb/complete")) {
    return RpmFixtures{prebuilt + "/rpmdb", "", ""};
  }

  // Keyed by the script's text, so an edited script builds afresh.
  size_t key = std::hash<std::string>{}(ReadFile(RpmFixtureScript()));
  std::filesystem::path base = std::filesystem::temp_directory_path();
  std::string dir = (base / ("bulwark-rpmdb-" + std::to_string(key))).string();
  if (std::filesystem::exists(dir + "/complete")) return RpmFixtures{dir, "", ""};

  std::string building = dir + ".building-" + std::to_string(::getpid());
  CommandResult made = RunCommand("/bin/bash", {RpmFixtureScript(), building}, building);
  if (made.exit_code == 77) return RpmFixtures{"", "rpm fixtures not built: " + made.err, ""};
  if (made.exit_code != 0) {
    return RpmFixtures{"", "", RpmFixtureScript() + " failed: " + made.out + made.err};
  }
  // Parallel test processes may race here; the first rename wins and the
  // others use its result.
  std::error_code ignored;
  std::filesystem::rename(building, dir, ignored);
  std::filesystem::remove_all(building, ignored);
  if (!std::filesystem::exists(dir + "/complete")) {
    return RpmFixtures{"", "", "rpm fixtures missing from " + dir + " after building"};
  }
  return RpmFixtures{dir, "", ""};
}

inline const RpmFixtures& GetRpmFixtures() {
  static const RpmFixtures fixtures = BuildRpmFixtures();
  return fixtures;
}

#define BULWARK_REQUIRE_RPM_FIXTURES(name)                                            \
  const ::bulwark::testing::RpmFixtures& name = ::bulwark::testing::GetRpmFixtures(); \
  if (!name.error.empty()) FAIL() << name.error;                                      \
  if (name.dir.empty()) GTEST_SKIP() << name.skip_reason

inline std::vector<RpmOracleRow> ReadRpmOracle(const std::string& path) {
  std::vector<RpmOracleRow> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, '\t');) fields.push_back(cell);
    fields.resize(8);
    rows.push_back(RpmOracleRow{fields[0], fields[1], fields[2], fields[3], fields[4], fields[5],
                                fields[6], fields[7]});
  }
  return rows;
}

inline std::vector<RpmBdbFixture> ReadRpmBdbIndex(const std::string& dir) {
  std::vector<RpmBdbFixture> databases;
  std::ifstream in(dir + "/bdb/index.tsv");
  for (std::string line; std::getline(in, line);) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string name = line.substr(0, tab);
    std::string packages = line.substr(tab + 1);
    if (packages.front() != '/') packages = dir + "/" + packages;
    databases.push_back(RpmBdbFixture{name, packages, dir + "/" + name + ".tsv"});
  }
  return databases;
}

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_CATALOG_RPM_FIXTURES_H_
