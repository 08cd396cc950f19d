// End-to-end tests of `bulwark version compare`, run on the built binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;

class VersionCommand : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir(); }
  void TearDown() override {
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  CommandResult Run(const std::vector<std::string>& args) {
    return testing::RunCommand(testing::BulwarkBinary(), args, dir_ + "/store");
  }
  // Runs `bulwark version compare -e ECOSYSTEM -` with `input` on stdin.
  CommandResult RunWithStdin(const std::string& ecosystem, const std::string& input) {
    std::string path = dir_ + "/stdin.txt";
    std::ofstream(path, std::ios::binary) << input;
    return testing::RunCommand("/bin/sh",
                               {"-c", "exec \"$0\" version compare --ecosystem \"$1\" - < \"$2\"",
                                testing::BulwarkBinary(), ecosystem, path},
                               dir_ + "/store");
  }

  std::string dir_;
};

TEST_F(VersionCommand, PrintsTheOrderUnderEachEcosystem) {
  struct Case {
    const char* ecosystem;
    const char* a;
    const char* b;
    const char* expected;
  };
  const Case cases[] = {
      {"deb", "1.0~rc1-1", "1.0-1", "<\n"},       {"apk", "1.2.3-r1", "1.2.3_rc1-r1", ">\n"},
      {"rpm", "1:1.0-1.el9", "1.0-1.el9", ">\n"}, {"redhat", "1.0^git1", "1.0.1", "<\n"},
      {"semver", "v1.2.3", "1.2.3+b", "=\n"},     {"npm", "1.0.0-rc.1", "1.0.0-rc.2", "<\n"},
      {"pep440", "1.0.post1", "1.0", ">\n"},      {"pypi", "1.0", "1.0.0", "=\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.ecosystem) + ": " + c.a + " vs " + c.b);

    CommandResult result = Run({"version", "compare", "--ecosystem", c.ecosystem, c.a, c.b});

    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, c.expected);
    EXPECT_EQ(result.err, "");
  }
}

TEST_F(VersionCommand, InvalidVersionExitsTwoNamingVersionAndEcosystem) {
  CommandResult result = Run({"version", "compare", "-e", "semver", "1.2.3", "1.2"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("semver version \"1.2\""), std::string::npos) << result.err;
}

TEST_F(VersionCommand, OverlongVersionIsAUsageError) {
  std::string overlong(5000, '1');

  CommandResult result = Run({"version", "compare", "-e", "rpm", overlong, "1"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("longer than 4096"), std::string::npos) << result.err;
}

TEST_F(VersionCommand, UnknownEcosystemExitsTwoListingTheValidNames) {
  CommandResult result = Run({"version", "compare", "-e", "maven", "1", "2"});

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  for (const char* name : {"\"maven\"", "deb", "apk", "rpm", "semver", "pep440"}) {
    EXPECT_NE(result.err.find(name), std::string::npos) << name << " in " << result.err;
  }
}

TEST_F(VersionCommand, OneVersionWithoutDashIsAUsageError) {
  CommandResult one = Run({"version", "compare", "-e", "deb", "1.0"});
  CommandResult three = Run({"version", "compare", "-e", "deb", "1", "2", "3"});
  CommandResult no_ecosystem = Run({"version", "compare", "1", "2"});

  EXPECT_EQ(one.exit_code, 2);
  EXPECT_NE(one.err.find("expected two versions"), std::string::npos) << one.err;
  EXPECT_EQ(three.exit_code, 2);
  EXPECT_EQ(no_ecosystem.exit_code, 2);
  EXPECT_NE(no_ecosystem.err.find("--ecosystem"), std::string::npos) << no_ecosystem.err;
}

TEST_F(VersionCommand, ReadsPairsFromStdin) {
  CommandResult result = RunWithStdin("rpm", "1.0 2.0\n2.0\t2.0\n  3.0   1.0  \r\n1.0~rc1 1.0");

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "<\n=\n>\n<\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(VersionCommand, ReportsBadStdinLinesAndGoesOn) {
  CommandResult result = RunWithStdin("pep440", "1.0 2.0\nlonely\n1.0++ 1.0\n\n2.0 1.0\n");

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "<\n>\n");
  EXPECT_NE(result.err.find("bulwark: stdin line 2: expected two versions"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("bulwark: stdin line 3: PEP 440 version \"1.0++\""), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("bulwark: stdin line 4: expected two versions"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("stdin line 5"), std::string::npos) << result.err;
}

TEST_F(VersionCommand, RefusesOverlongStdinLineAndReadsTheNext) {
  std::string input = "1 " + std::string(70 * 1024, '2') + "\n1 2\n";

  CommandResult result = RunWithStdin("deb", input);

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "<\n");
  EXPECT_NE(result.err.find("stdin line 1: longer than 65536 bytes"), std::string::npos)
      << result.err.substr(0, 200);
}

TEST_F(VersionCommand, EscapesControlBytesInStdinErrors) {
  CommandResult result = RunWithStdin("semver", "1.2.3 1.\x1b[2J\n");

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.err.find('\x1b'), std::string::npos);
  EXPECT_NE(result.err.find("stdin line 1"), std::string::npos) << result.err;
}

TEST_F(VersionCommand, HelpDescribesBothFormsAndExitCodes) {
  CommandResult result = Run({"version", "compare", "--help"});

  EXPECT_EQ(result.exit_code, 0);
  for (const char* text : {"<, = or >", "--ecosystem", "stdin", "bulwark: stdin line N", "64 KiB",
                           "pep440 (pypi, python)", "Exit codes"}) {
    EXPECT_NE(result.out.find(text), std::string::npos) << text;
  }
}

// The osv-scalibr Red Hat vectors, piped through `compare -` in one run.
TEST_F(VersionCommand, OrdersTheRedHatVectorsThroughStdin) {
  const std::string data = testing::SharedDataDir();
  if (data.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; vectors not run";
  std::ifstream vectors(data + "/version-compare/osv-scalibr/redhat-versions.txt");
  std::string input;
  std::string expected;
  for (std::string line; std::getline(vectors, line);) {
    std::istringstream words(line);
    std::string a, op, b;
    if (!(words >> a >> op >> b) || a[0] == '#') continue;
    input += a + " " + b + "\n";
    expected += op + "\n";
  }
  ASSERT_FALSE(input.empty());

  CommandResult result = RunWithStdin("rpm", input);

  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, expected);
}

}  // namespace
}  // namespace bulwark
