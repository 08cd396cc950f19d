#include "catalog/dpkg_cataloger.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/byte_stream.h"
#include "layer/layer_reader.h"
#include "layer/merged_fs.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::catalog {
namespace {

using namespace std::string_literals;

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

layer::LayerContents MakeLayer(const std::map<std::string, std::string>& files) {
  layer::LayerContents contents;
  for (const auto& [path, body] : files) {
    contents.entries.push_back({path, layer::EntryType::kFile, "", body.size(), 0644, 0, 0});
    contents.files[path] = body;
  }
  return contents;
}

const Package* FindPackage(const std::vector<Package>& packages, const std::string& name,
                           const std::string& architecture = "") {
  for (const Package& package : packages) {
    if (package.name == name && (architecture.empty() || package.architecture == architecture)) {
      return &package;
    }
  }
  return nullptr;
}

constexpr char kTwoStanzas[] =
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u4\n"
    "Description: GNU C Library: Shared libraries\n"
    " Contains the standard libraries.\n"
    " .\n"
    " More text.\n"
    "\n"
    "Package: bsdutils\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Source: util-linux (2.38.1-5)\n"
    "Version: 1:2.38.1-5+b1\n";

TEST(DpkgCataloger, ParsesStanzasWithContinuationLines) {
  auto packages = ParseDpkgStatus(kTwoStanzas, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  ASSERT_EQ(packages->size(), 2u);
  const Package& libc = (*packages)[0];
  EXPECT_EQ(libc.ecosystem, "deb");
  EXPECT_EQ(libc.name, "libc6");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.architecture, "amd64");
  EXPECT_EQ(libc.db_path, "var/lib/dpkg/status");
}

TEST(DpkgCataloger, SplitsSourceIntoNameAndVersion) {
  auto packages = ParseDpkgStatus(kTwoStanzas, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok());
  const Package* libc = FindPackage(*packages, "libc6");
  const Package* bsdutils = FindPackage(*packages, "bsdutils");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->source_name, "glibc");
  EXPECT_EQ(libc->source_version, "2.36-9+deb12u4");
  ASSERT_NE(bsdutils, nullptr);
  EXPECT_EQ(bsdutils->source_name, "util-linux");
  EXPECT_EQ(bsdutils->source_version, "2.38.1-5");
}

TEST(DpkgCataloger, UsesPackageItselfWhenSourceIsAbsent) {
  auto packages = ParseDpkgStatus(
      "Package: dash\nStatus: install ok installed\nVersion: 0.5.12-2\n", "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok());
  ASSERT_EQ(packages->size(), 1u);
  EXPECT_EQ((*packages)[0].source_name, "dash");
  EXPECT_EQ((*packages)[0].source_version, "0.5.12-2");
}

// dpkg folds names to lower case: "Package: Telnet" is telnet to dpkg-query,
// so a rule blocking telnet must see telnet.
TEST(DpkgCataloger, FoldsPackageAndSourceNamesToLowerCaseAsDpkgDoes) {
  std::string text =
      "Package: Telnet\nStatus: install ok installed\nVersion: 0.17+2.4-2\n"
      "Source: InetUtils (2:2.4-2)\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  ASSERT_EQ(packages->size(), 1u);
  EXPECT_EQ((*packages)[0].name, "telnet");
  EXPECT_EQ((*packages)[0].source_name, "inetutils");
  EXPECT_EQ((*packages)[0].source_version, "2:2.4-2");
}

// dpkg ends a value at a NUL, so "telnet\0" would be telnet to it: a control
// byte in a field read is refused, naming the file and line.
TEST(DpkgCataloger, RefusesControlBytesInFieldValues) {
  const std::string cases[] = {
      "Package: telnet\0\nStatus: install ok installed\nVersion: 1\n"s,
      "Package: tel\x01net\nStatus: install ok installed\nVersion: 1\n",
      "Package: telnet\nStatus: install ok installed\nVersion: 1\x1b\n",
      "Package: telnet\nStatus: install ok installed\nVersion: 1\nSource: inet\x7futils\n",
      "Package: telnet\nStatus: install ok installed\nVersion: 1\nSource: in\retutils\n",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);

    auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

    ASSERT_FALSE(packages.ok());
    EXPECT_EQ(packages.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(packages.error().message().find("var/lib/dpkg/status line "), std::string::npos);
    EXPECT_NE(packages.error().message().find("control byte"), std::string::npos);
  }
}

TEST(DpkgCataloger, AcceptsTabsInsideFieldValues) {
  std::string text = "Package: dash\nStatus: install\tok installed\nVersion: 0.5.12-2\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  EXPECT_EQ(packages->size(), 1u);
}

TEST(DpkgCataloger, ListsOnlyPackagesWhoseFilesAreOnDisk) {
  struct Case {
    const char* status;
    bool listed;
  };
  const std::vector<Case> cases = {
      {"install ok installed", true},
      {"install ok unpacked", true},
      {"install ok half-configured", true},
      {"install reinstreq half-installed", true},
      {"deinstall reinstreq half-installed", true},
      {"install ok triggers-awaited", true},
      {"install ok triggers-pending", true},
      {"deinstall ok config-files", false},
      {"purge ok not-installed", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status);
    const std::string text = std::string("Package: pkg\nStatus: ") + c.status + "\nVersion: 1\n";

    auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

    ASSERT_TRUE(packages.ok()) << packages.error().message();
    EXPECT_EQ(packages->size(), c.listed ? 1u : 0u);
  }
}

TEST(DpkgCataloger, ListsHalfInstalledPackagesSoABlockedOneCannotPass) {
  const std::string text =
      "Package: kept\nStatus: install ok installed\nVersion: 1\n\n"
      "Package: telnetd\nStatus: install reinstreq half-installed\nVersion: 0.17-44\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  const Package* telnetd = FindPackage(*packages, "telnetd");
  ASSERT_NE(telnetd, nullptr);
  EXPECT_EQ(telnetd->version, "0.17-44");
}

TEST(DpkgCataloger, KeepsOnePackagePerArchitecture) {
  const std::string text =
      "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9\n\n"
      "Package: libc6\nStatus: install ok installed\nArchitecture: i386\nVersion: 2.36-9\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok());
  ASSERT_EQ(packages->size(), 2u);
  EXPECT_NE(FindPackage(*packages, "libc6", "amd64"), nullptr);
  EXPECT_NE(FindPackage(*packages, "libc6", "i386"), nullptr);
}

TEST(DpkgCataloger, TreatsStanzaWithoutStatusAsInstalled) {
  const std::string text = "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status.d/base-files");

  ASSERT_TRUE(packages.ok());
  ASSERT_EQ(packages->size(), 1u);
  EXPECT_EQ((*packages)[0].db_path, "var/lib/dpkg/status.d/base-files");
}

TEST(DpkgCataloger, AcceptsCrlfAndBlankLinesWithSpaces) {
  const std::string text =
      "Package: a\r\nStatus: install ok installed\r\nVersion: 1\r\n \t\r\n"
      "Package: b\r\nStatus: install ok installed\r\nVersion: 2\r\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  ASSERT_EQ(packages->size(), 2u);
  EXPECT_EQ((*packages)[1].version, "2");
}

TEST(DpkgCataloger, RejectsBrokenStanzasNamingFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Package: a\nVersion: 1\n\nPackage: b\nStatus: install ok installed\n",
       "status line 4: package b has no Version field"},
      {"Package: a\nVersion: 1\n\nStatus: install ok installed\nVersion: 1\n",
       "status line 4: stanza without a Package field"},
      {"Package: a\nStatus: install ok exploded\nVersion: 1\n",
       "status line 2: unknown package state"},
      {"Package: a\nStatus: installed\nVersion: 1\n", "status line 2: Status is not three"},
      {" orphan continuation\n", "status line 1: continuation line outside a field"},
      {"Package: a\nVersion: 1\nno colon here\n", "status line 3: not a \"Field: value\""},
      {"Package: a\nPackage: b\nVersion: 1\n", "status line 2: duplicate field Package"},
      {"Package: a\nVersion: 1\n 2\n", "status line 3: field version spans"},
      {"Package: a\nVersion: 1\nSource: b (1\n", "status line 3: Source is not"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);

    auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

    ASSERT_FALSE(packages.ok());
    EXPECT_EQ(packages.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(packages.error().message().find(message), std::string::npos)
        << packages.error().message();
  }
}

TEST(DpkgCataloger, RefusesOversizedFileAndLine) {
  std::string huge_file(64u << 20, '\n');
  huge_file += "x";
  std::string huge_line = "Package: a\nDescription: " + std::string((1u << 20) + 1, 'x') + "\n";

  auto file = ParseDpkgStatus(huge_file, "var/lib/dpkg/status");
  auto line = ParseDpkgStatus(huge_line, "var/lib/dpkg/status");

  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kLimitExceeded);
  ASSERT_FALSE(line.ok());
  EXPECT_EQ(line.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(line.error().message().find("line 2"), std::string::npos);
}

TEST(DpkgCataloger, RecognisesVcpkgStatusFile) {
  const std::string text =
      "Package: zlib\nVersion: 1.2.11-6\nArchitecture: x64-windows\nStatus: install ok "
      "installed\n\nPackage: curl\nFeature: ssl\nArchitecture: x64-windows\n"
      "Status: install ok installed\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_FALSE(packages.ok());
  EXPECT_EQ(packages.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(packages.error().message().find("vcpkg"), std::string::npos);
  EXPECT_NE(packages.error().message().find("x64-windows"), std::string::npos);
}

TEST(DpkgCataloger, RefusesADebianDatabaseWithOneVcpkgLookingStanza) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Package: a\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1\n\n"
       "Package: odd\nStatus: install ok installed\nArchitecture: x64-linux\nVersion: 1\n",
       "var/lib/dpkg/status line 6: a vcpkg stanza (Architecture x64-linux on line 8)"},
      {"Package: a\nStatus: install ok installed\nVersion: 1\n\n"
       "Package: b\nStatus: install ok installed\nVersion: 1\n\n"
       "Package: odd\nType: Port\nVersion: 1\n",
       "var/lib/dpkg/status line 9: a vcpkg stanza (Type Port on line 10)"},
      {"Package: zlib\nArchitecture: x64-linux\nVersion: 1\n\n"
       "Package: libc6\nArchitecture: amd64\nVersion: 2\n",
       "var/lib/dpkg/status line 5: a stanza without vcpkg fields in a vcpkg status file"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);

    auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

    ASSERT_FALSE(packages.ok());
    EXPECT_EQ(packages.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(packages.error().message().find(message), std::string::npos)
        << packages.error().message();
  }
}

TEST(DpkgCataloger, FailsTheCatalogOfAMixedStatusFileInsteadOfAGap) {
  layer::LayerContents base =
      MakeLayer({{"var/lib/dpkg/status",
                  "Package: telnetd\nStatus: install ok installed\nVersion: 0.17\n\n"
                  "Package: zlib\nVersion: 1\nArchitecture: x64-linux\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = DpkgCataloger().Catalog(*fs, inventory);

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(status.error().message().find("var/lib/dpkg/status line 5"), std::string::npos)
      << status.error().message();
  EXPECT_TRUE(inventory.gaps.empty());
}

TEST(DpkgCataloger, DoesNotTakeDebianPortArchitecturesForVcpkg) {
  const std::string text =
      "Package: a\nStatus: install ok installed\nArchitecture: hurd-i386\nVersion: 1\n\n"
      "Package: b\nStatus: install ok installed\nArchitecture: s390x\nVersion: 1\n";

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_TRUE(packages.ok()) << packages.error().message();
  EXPECT_EQ(packages->size(), 2u);
}

std::string DpkgData(const std::string& name) {
  return testing::SharedDataDir() + "/package-dbs/dpkg/" + name;
}

TEST(DpkgCataloger, RecognisesClaircoreVcpkgStatusFile) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";
  const std::string text = ReadWholeFile(DpkgData("claircore-vcpkg.status"));

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  ASSERT_FALSE(packages.ok());
  EXPECT_EQ(packages.error().code(), ErrorCode::kUnsupported);
}

TEST(DpkgCataloger, ParsesClaircoreDebianStatusFiles) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";

  auto debian = ParseDpkgStatus(ReadWholeFile(DpkgData("claircore-debian-only.status")), "s");
  auto postgres = ParseDpkgStatus(ReadWholeFile(DpkgData("claircore-postgresql.status")), "s");

  ASSERT_TRUE(debian.ok()) << debian.error().message();
  ASSERT_EQ(debian->size(), 1u);
  EXPECT_EQ((*debian)[0].name, "debian-archive-keyring");
  EXPECT_EQ((*debian)[0].version, "2019.1");
  ASSERT_TRUE(postgres.ok()) << postgres.error().message();
  ASSERT_EQ(postgres->size(), 3u);
  const Package* client = FindPackage(*postgres, "postgresql-client");
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->version, "11+200+deb10u5");
  EXPECT_EQ(client->source_name, "postgresql-common");
  EXPECT_EQ(client->source_version, "200+deb10u5");
}

TEST(DpkgCataloger, ParsesTrivyUbuntu1804StatusLikeTrivy) {
  if (testing::SharedDataDir().empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set";
  const std::string text = ReadWholeFile(DpkgData("trivy-valid-ubuntu1804-status"));
  const auto golden = nlohmann::json::parse(
      ReadWholeFile(testing::SharedDataDir() +
                    "/package-listings/scanner-outputs/trivy-ubuntu-18.04.packages.json.golden"));

  auto packages = ParseDpkgStatus(text, "var/lib/dpkg/status");

  // 91 stanzas, one of them (git) removed with only its config files left.
  ASSERT_TRUE(packages.ok()) << packages.error().message();
  EXPECT_EQ(packages->size(), 90u);
  EXPECT_EQ(FindPackage(*packages, "git"), nullptr);
  const Package* libc = FindPackage(*packages, "libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->source_name, "glibc");
  // Trivy's golden comes from a later snapshot of the same image, so names
  // and source names line up while some versions moved on.
  int same_version = 0;
  for (const auto& expected : golden) {
    SCOPED_TRACE(expected["Name"].get<std::string>());
    const Package* found = FindPackage(*packages, expected["Name"].get<std::string>());
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->source_name, expected["SrcName"].get<std::string>());
    if (found->version == expected["Version"].get<std::string>()) ++same_version;
  }
  std::cout << "[ data     ] trivy ubuntu 18.04: " << golden.size() << " golden packages found, "
            << same_version << " with the same version\n";
  EXPECT_EQ(golden.size(), 89u);
}

TEST(DpkgCataloger, ReadsStatusAndDistrolessStatusDirectory) {
  layer::LayerContents base = MakeLayer({
      {"var/lib/dpkg/status", "Package: dash\nStatus: install ok installed\nVersion: 1\n"},
      {"var/lib/dpkg/status.d/base", "Package: base-files\nVersion: 12\n"},
      {"var/lib/dpkg/status.d/base.md5sums", "d41d8cd98f00b204e9800998ecf8427e  etc/x\n"},
      {"var/lib/dpkg/status.d/libssl3",
       "Package: libssl3\nVersion: 3.0.11-1\n\n"
       "Package: openssl\nVersion: 3.0.11-1\n"},
  });
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = DpkgCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  ASSERT_EQ(inventory.packages.size(), 4u);
  const Package* openssl = FindPackage(inventory.packages, "openssl");
  ASSERT_NE(openssl, nullptr);
  EXPECT_EQ(openssl->db_path, "var/lib/dpkg/status.d/libssl3");
  EXPECT_TRUE(inventory.gaps.empty());
}

TEST(DpkgCataloger, RecordsVcpkgFileAsCoverageGap) {
  layer::LayerContents base = MakeLayer(
      {{"var/lib/dpkg/status", "Package: zlib\nVersion: 1\nArchitecture: x64-windows\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = DpkgCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_TRUE(inventory.packages.empty());
  ASSERT_EQ(inventory.gaps.size(), 1u);
  EXPECT_EQ(inventory.gaps[0].path, "var/lib/dpkg/status");
}

TEST(DpkgCataloger, ReturnsParseErrors) {
  layer::LayerContents base = MakeLayer({{"var/lib/dpkg/status", "Package: a\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = DpkgCataloger().Catalog(*fs, inventory);

  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("var/lib/dpkg/status line 1"), std::string::npos);
}

// A layer whose dpkg database is a hard link to a file that is not in the
// image, read the way the scanner reads it.
layer::LayerContents LayerWithBrokenHardLink(const std::string& link) {
  const std::string tar =
      testing::TarBuilder().Dir("var/lib/dpkg/status.d").Hardlink(link, "var/lib/gone").Finish();
  MemoryStream stream(tar);
  layer::ReadOptions options;
  options.wanted = DpkgCataloger().WantedPaths();
  options.keep_all_entries = false;
  auto contents = layer::ReadLayer(stream, options);
  EXPECT_TRUE(contents.ok()) << contents.error().message();
  return contents.ok() ? std::move(*contents) : layer::LayerContents();
}

TEST(DpkgCataloger, FailsWhenTheDatabaseIsAHardLinkToAMissingFile) {
  for (const std::string link : {"var/lib/dpkg/status", "var/lib/dpkg/status.d/base"}) {
    SCOPED_TRACE(link);
    layer::LayerContents base = LayerWithBrokenHardLink(link);
    auto fs = layer::MergedFs::Build({&base});
    ASSERT_TRUE(fs.ok()) << fs.error().message();
    Inventory inventory;

    Status status = DpkgCataloger().Catalog(*fs, inventory);

    ASSERT_FALSE(status.ok()) << "a broken database must not pass with 0 packages";
    EXPECT_EQ(status.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(status.error().message().find("hard link to var/lib/gone, which is not in the image"),
              std::string::npos)
        << status.error().message();
    EXPECT_TRUE(inventory.packages.empty());
  }
}

TEST(DpkgCataloger, Issue2StatusThatIsASymlinkLeadingOutOfTheImageIsAGap) {
  const std::string tar = testing::TarBuilder()
                              .Dir("var/lib/dpkg")
                              .Symlink("var/lib/dpkg/status", "/dev/zero")
                              .Finish();
  MemoryStream stream(tar);
  layer::ReadOptions options;
  options.wanted = DpkgCataloger().WantedPaths();
  auto base = layer::ReadLayer(stream, options);
  ASSERT_TRUE(base.ok()) << base.error().message();
  auto fs = layer::MergedFs::Build({&*base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = DpkgCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_TRUE(inventory.packages.empty());
  ASSERT_EQ(inventory.gaps.size(), 1u) << "an unread database must not read as no database";
  EXPECT_EQ(inventory.gaps[0].path, "var/lib/dpkg/status");
  EXPECT_EQ(inventory.gaps[0].reason,
            "symlink to /dev/zero, which does not lead to a file in the image");
}

TEST(DpkgCataloger, FindsNothingWithoutDatabase) {
  layer::LayerContents base = MakeLayer({{"etc/os-release", "ID=alpine\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok());
  Inventory inventory;

  Status status = DpkgCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(inventory.packages.empty());
  EXPECT_TRUE(inventory.gaps.empty());
}

TEST(DpkgCataloger, AsksForStatusFileAndStatusDirectory) {
  std::vector<layer::PathPattern> wanted = DpkgCataloger().WantedPaths();

  ASSERT_EQ(wanted.size(), 2u);
  EXPECT_EQ(wanted[0].path, "var/lib/dpkg/status");
  EXPECT_FALSE(wanted[0].children);
  EXPECT_EQ(wanted[1].path, "var/lib/dpkg/status.d");
  EXPECT_TRUE(wanted[1].children);
}

}  // namespace
}  // namespace bulwark::catalog
