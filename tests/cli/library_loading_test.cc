// What the bulwark binary loads: libcurl and libpq only for the commands that
// use them (src/dynload), so that a scan of a local file does not pay for
// them at start-up; and a clear refusal, exit 3, when one of them cannot be
// opened. The loader's own trace (LD_DEBUG=files) is the witness.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "testing/run_command.h"
#include "testing/scoped_env.h"
#include "testing/test_data.h"

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ScopedEnv;

bool Loaded(const CommandResult& run, const std::string& soname) {
  return run.err.find("file=" + soname) != std::string::npos;
}

class LibraryLoading : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    data_dir_ = dir_ + "/store";
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  CommandResult Run(const std::vector<std::string>& args) {
    return testing::RunCommand(testing::BulwarkBinary(), args, data_dir_);
  }
  // A directory whose libcurl.so.4 and libpq.so.5 are not libraries at all.
  std::string BrokenLibraryDir() {
    std::string dir = dir_ + "/broken-libs";
    fs::create_directories(dir);
    std::ofstream(dir + "/libcurl.so.4") << "not an ELF file\n";
    std::ofstream(dir + "/libpq.so.5") << "not an ELF file\n";
    return dir;
  }

  std::string dir_;
  std::string data_dir_;
};

TEST_F(LibraryLoading, AScanOfALocalFileLoadsNeitherLibcurlNorLibpq) {
  std::string fixtures = testing::FixturesDir();
  if (fixtures.empty()) GTEST_SKIP() << "BULWARK_FIXTURES is not set (make test sets it)";
  std::string policy = dir_ + "/policy.yaml";
  std::ofstream(policy) << "name: p\nenforce: true\ncontrols:\n  blockedPackages:\n"
                           "    - name: telnet\n";
  ScopedEnv trace("LD_DEBUG", "files");

  CommandResult scan = Run({"scan", "oci-archive:" + fixtures + "/app-on-approved.oci.tar",
                            "--policy", policy, "--json", dir_ + "/r.json"});

  EXPECT_EQ(scan.exit_code, 0) << scan.out;
  ASSERT_TRUE(Loaded(scan, "libarchive.so.13")) << "no loader trace on stderr:\n" << scan.err;
  EXPECT_FALSE(Loaded(scan, "libcurl.so.4")) << scan.err;
  EXPECT_FALSE(Loaded(scan, "libpq.so.5")) << scan.err;
}

TEST_F(LibraryLoading, AFeedDownloadLoadsLibcurl) {
  ScopedEnv trace("LD_DEBUG", "files");

  // Nothing listens on port 9 of loopback: the download fails after libcurl is open.
  CommandResult import = Run({"db", "import", "https://127.0.0.1:9/feed.json"});

  EXPECT_EQ(import.exit_code, 3) << import.out;
  EXPECT_TRUE(Loaded(import, "libcurl.so.4")) << import.err;
  EXPECT_FALSE(Loaded(import, "libpq.so.5")) << import.err;
}

TEST_F(LibraryLoading, APostgresqlStoreLoadsLibpq) {
  ScopedEnv trace("LD_DEBUG", "files");

  CommandResult list = Run({"--database", "postgresql://ci@127.0.0.1:9/none", "image", "list"});

  EXPECT_EQ(list.exit_code, 3) << list.out;
  EXPECT_TRUE(Loaded(list, "libpq.so.5")) << list.err;
}

TEST_F(LibraryLoading, AnUnloadableLibcurlIsNamedWithItsPackage) {
  ScopedEnv path("LD_LIBRARY_PATH", BrokenLibraryDir());

  CommandResult import = Run({"db", "import", "https://127.0.0.1:9/feed.json"});

  EXPECT_EQ(import.exit_code, 3) << import.out << import.err;
  EXPECT_NE(import.err.find("libcurl.so.4 (needed for registry sources, feed downloads and "
                            "--server)"),
            std::string::npos)
      << import.err;
  EXPECT_NE(import.err.find("install Debian's libcurl4"), std::string::npos) << import.err;
}

TEST_F(LibraryLoading, AnUnloadableLibpqIsNamedWithItsPackage) {
  ScopedEnv path("LD_LIBRARY_PATH", BrokenLibraryDir());

  CommandResult list = Run({"--database", "postgresql://ci@127.0.0.1:9/none", "image", "list"});

  EXPECT_EQ(list.exit_code, 3) << list.out << list.err;
  EXPECT_NE(list.err.find("libpq.so.5 (needed for a postgresql:// store)"), std::string::npos)
      << list.err;
  EXPECT_NE(list.err.find("install Debian's libpq5"), std::string::npos) << list.err;
}

}  // namespace
}  // namespace bulwark
