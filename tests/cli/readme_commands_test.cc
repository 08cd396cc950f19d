// The scripts behind the README's `make demo` and `make bench`, run as those
// commands run them, so that a change that breaks either fails the suite
// instead of the next person who tries them. What is checked is that each
// step ends as it says and that every row of the benchmark's table is there;
// the benchmark's timings on a loaded test machine mean nothing and are not
// checked (docs/benchmarks.md has the measured run).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "testing/run_command.h"
#include "testing/scoped_env.h"
#include "testing/test_data.h"

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ScopedEnv;

class ReadmeCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    fixtures_ = testing::FixturesDir();
    if (fixtures_.empty()) {
      GTEST_SKIP() << "fixture images not built (run make fixtures, or set BULWARK_FIXTURES)";
    }
    dir_ = testing::MakeTempDir();
  }
  void TearDown() override {
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  CommandResult RunScript(const std::string& script, const std::vector<std::string>& args) {
    std::vector<std::string> all = {std::string(BULWARK_SOURCE_DIR) + "/" + script};
    all.insert(all.end(), args.begin(), args.end());
    return testing::RunCommand("/bin/bash", all, dir_ + "/unused-store");
  }

  std::string fixtures_;
  std::string dir_;
};

TEST_F(ReadmeCommands, DemoEndsEveryStepWithTheExitCodeItPromises) {
  ScopedEnv out("DEMO_OUT", dir_ + "/demo");

  CommandResult demo = RunScript("scripts/demo.sh", {testing::BulwarkBinary(), fixtures_});

  ASSERT_EQ(demo.exit_code, 0) << demo.out << demo.err;
  EXPECT_FALSE(std::regex_search(demo.out, std::regex("exit [0-9]+, expected [0-9]+"))) << demo.out;
  for (const char* ending :
       {"-> exit 0, as expected", "-> exit 4, as expected", "-> exit 2, as expected"}) {
    EXPECT_NE(demo.out.find(ending), std::string::npos) << ending << "\n" << demo.out;
  }
  EXPECT_NE(demo.out.find("approvedBaseImages"), std::string::npos) << demo.out;
  for (const char* report : {"app-on-approved.html", "app-on-approved.json", "app-on-debian.html",
                             "app-on-debian.json"}) {
    EXPECT_GT(fs::file_size(dir_ + "/demo/" + report), 0u) << report;
  }
  EXPECT_TRUE(fs::is_directory(dir_ + "/demo/store")) << "the demo's store is kept in DEMO_OUT";
}

TEST_F(ReadmeCommands, DemoWithoutItsArgumentsSaysHowToRunIt) {
  CommandResult demo = RunScript("scripts/demo.sh", {});

  EXPECT_EQ(demo.exit_code, 2);
  EXPECT_NE(demo.err.find("usage: scripts/demo.sh BULWARK_BINARY FIXTURES_DIR"), std::string::npos)
      << demo.err;
}

TEST_F(ReadmeCommands, BenchPrintsEveryMeasureOfTheTable) {
  ScopedEnv binary("BULWARK", testing::BulwarkBinary());
  ScopedEnv fixtures("FIXTURES", fixtures_);
  ScopedEnv runs("RUNS", "1");
  ScopedEnv trivy("TRIVY", "none");  // Trivy is a download; the suite runs offline.
  ScopedEnv out("BENCH_OUT", dir_ + "/bench");

  CommandResult bench = RunScript("bench/run.sh", {});

  ASSERT_EQ(bench.exit_code, 0) << bench.out << bench.err;
  std::string table = testing::ReadFile(dir_ + "/bench/results.md");
  ASSERT_FALSE(table.empty()) << "no results.md: " << bench.err;
  EXPECT_NE(bench.out.find(table.substr(0, table.find('\n'))), std::string::npos)
      << "the table is printed as well as written";

  // Every measure of every input has its row, and each Bulwark row and floor
  // has a time: a scan that failed would have ended the run with exit 1.
  std::vector<std::string> measures = {"floor: sha256 of the input",
                                       "floor: igzip of the gzip layers",
                                       "bulwark cold",
                                       "bulwark warm",
                                       "bulwark incremental",
                                       "trivy cold",
                                       "bulwark cold, 2x image",
                                       "bulwark peak RSS, every scan",
                                       "package set vs trivy"};
  for (const char* format : {"docker-archive", "oci-archive", "oci"}) {
    for (const std::string& measure : measures) {
      std::string row = "| " + measure + " (" + format + ") |";
      EXPECT_NE(table.find(row), std::string::npos) << row << "\n" << table;
    }
    std::regex timed("\\| bulwark (cold|warm|incremental) \\(" + std::string(format) +
                     "\\) \\| [0-9]+\\.[0-9]{3} \\| [0-9.]+ \\| .* \\| (PASS|MISS) \\|");
    std::istringstream lines(table);
    int timed_rows = 0;
    for (std::string line; std::getline(lines, line);) {
      if (std::regex_search(line, timed)) ++timed_rows;
    }
    EXPECT_EQ(timed_rows, 3) << format << "\n" << table;
    EXPECT_NE(table.find("| trivy cold (" + std::string(format) + ") | skipped"), std::string::npos)
        << table;
  }
  EXPECT_NE(bench.err.find("bench: 1 runs per measure"), std::string::npos) << bench.err;
}

TEST_F(ReadmeCommands, BenchRefusesARunCountThatIsNotAWholeNumber) {
  ScopedEnv binary("BULWARK", testing::BulwarkBinary());
  ScopedEnv runs("RUNS", "five");

  CommandResult bench = RunScript("bench/run.sh", {});

  EXPECT_EQ(bench.exit_code, 1);
  EXPECT_NE(bench.err.find("RUNS=five: give a whole number of runs from 1 to 99"),
            std::string::npos)
      << bench.err;
}

TEST_F(ReadmeCommands, BenchRefusesATrivyPathThatIsNoProgram) {
  ScopedEnv binary("BULWARK", testing::BulwarkBinary());
  ScopedEnv trivy("TRIVY", dir_ + "/no-trivy-here");
  ScopedEnv out("BENCH_OUT", dir_ + "/bench");

  CommandResult bench = RunScript("bench/run.sh", {});

  EXPECT_EQ(bench.exit_code, 1);
  EXPECT_NE(bench.err.find("TRIVY=" + dir_ + "/no-trivy-here: not an executable file"),
            std::string::npos)
      << bench.err;
  EXPECT_FALSE(fs::exists(dir_ + "/bench")) << "refused before anything ran";
}

}  // namespace
}  // namespace bulwark
