#include "vulndb/distro.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "testing/test_data.h"

namespace bulwark::vulndb {
namespace {

// The fields DistroKeyForOs reads, from an os-release file (KEY=VALUE lines,
// values optionally quoted).
catalog::OsInfo ReadOsRelease(const std::string& path) {
  catalog::OsInfo os;
  std::ifstream file(path);
  for (std::string line; std::getline(file, line);) {
    size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    std::string key = line.substr(0, equals);
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (key == "ID") os.id = value;
    if (key == "VERSION_ID") os.version_id = value;
    if (key == "VERSION_CODENAME") os.version_codename = value;
  }
  os.found = true;
  os.source_path = path;
  return os;
}

catalog::OsInfo Os(std::string id, std::string version_id, std::string codename = "") {
  catalog::OsInfo os;
  os.found = true;
  os.id = std::move(id);
  os.version_id = std::move(version_id);
  os.version_codename = std::move(codename);
  return os;
}

TEST(Distro, MapsEveryCodenameDistroInfoListsToItsRelease) {
  const std::string shared = testing::SharedDataDir();
  if (shared.empty()) GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; the release table is there";
  std::ifstream csv(shared + "/os-release/distro-info-data/debian.csv");
  ASSERT_TRUE(csv.good());
  std::string line;
  std::getline(csv, line);  // The header.

  int releases = 0;
  for (; std::getline(csv, line);) {
    std::vector<std::string> fields;
    std::stringstream row(line);
    for (std::string field; std::getline(row, field, ',');) fields.push_back(field);
    ASSERT_GE(fields.size(), 3u) << line;
    const std::string& number = fields[0];
    const std::string& series = fields[2];
    SCOPED_TRACE(series);

    std::string release = DebianReleaseForCodename(series);

    if (series == "sid") {
      EXPECT_EQ(release, "sid");
    } else if (number.empty()) {
      EXPECT_EQ(release, "") << "experimental is not a release";
    } else {
      EXPECT_EQ(release, number);
      ++releases;
    }
  }
  EXPECT_GE(releases, 20);
}

TEST(Distro, RefusesUnknownCodenames) {
  EXPECT_EQ(DebianReleaseForCodename("bookworm-security"), "");
  EXPECT_EQ(DebianReleaseForCodename("Bookworm"), "");
  EXPECT_EQ(DebianReleaseForCodename(""), "");
}

TEST(Distro, KeysTheRealOsReleaseFilesByTheirRelease) {
  const std::string shared = testing::SharedDataDir();
  if (shared.empty())
    GTEST_SKIP() << "BULWARK_SHARED_DATA is not set; the os-release files are there";
  namespace fs = std::filesystem;
  const fs::path root = fs::path(shared) / "os-release/claircore";

  int checked = 0;
  for (const char* family : {"alpine", "debian", "debian-distroless", "ubuntu"}) {
    for (const auto& dir : fs::directory_iterator(root / family)) {
      const fs::path file = dir.path() / "etc/os-release";
      if (!fs::exists(file)) continue;  // Ubuntu 10.04 has only lsb-release.
      const std::string release = dir.path().filename().string();
      SCOPED_TRACE(std::string(family) + "/" + release);
      // The directory names the release; ubuntu/11 is a Debian 11 file kept
      // there as a negative case.
      std::string expected = std::string(family) == "alpine" ? "alpine:" + release
                             : std::string(family) == "ubuntu" && release != "11"
                                 ? "ubuntu:" + release
                                 : "debian:" + release;
      if (release == "edge") expected = "alpine:edge";

      std::string key = DistroKeyForOs(ReadOsRelease(file.string()));

      EXPECT_EQ(key, expected);
      ++checked;
    }
  }
  EXPECT_GE(checked, 50);
}

TEST(Distro, KeysDebianTestingAndSidByCodename) {
  EXPECT_EQ(DistroKeyForOs(Os("debian", "", "trixie")), "debian:13");
  EXPECT_EQ(DistroKeyForOs(Os("debian", "", "forky")), "debian:14");
  EXPECT_EQ(DistroKeyForOs(Os("debian", "", "sid")), "debian:sid");
  EXPECT_EQ(DistroKeyForOs(Os("debian", "", "")), "debian:sid");
}

TEST(Distro, KeysRpmDistributionsByTheirPublishedRelease) {
  EXPECT_EQ(DistroKeyForOs(Os("rhel", "9.4")), "rhel:9");
  EXPECT_EQ(DistroKeyForOs(Os("rocky", "8.10")), "rocky:8");
  EXPECT_EQ(DistroKeyForOs(Os("almalinux", "9")), "almalinux:9");
  EXPECT_EQ(DistroKeyForOs(Os("sles", "15.5")), "sles:15.5");
  EXPECT_EQ(DistroKeyForOs(Os("opensuse-leap", "15.6")), "opensuse-leap:15.6");
}

TEST(Distro, GivesNoKeyWithoutAFeedForTheSystem) {
  catalog::OsInfo missing;

  EXPECT_EQ(DistroKeyForOs(missing), "");
  EXPECT_EQ(DistroKeyForOs(Os("centos", "7")), "");
  EXPECT_EQ(DistroKeyForOs(Os("arch", "")), "");
  EXPECT_EQ(DistroKeyForOs(Os("ubuntu", "")), "");
  EXPECT_EQ(DistroKeyForOs(Os("alpine", "3")), "");
  EXPECT_EQ(DistroKeyForOs(Os("rhel", "nine")), "");
  EXPECT_EQ(DistroKeyForOs(Os("debian", "bookworm")), "");
}

TEST(Distro, KeysTheOsvEcosystemsOfTheRealRecords) {
  struct Case {
    const char* ecosystem;
    const char* key;
  };
  // Every ecosystem string in ../shared/data/vulndb, and the ones distro.h names.
  const Case cases[] = {
      {"Ubuntu:20.04:LTS", "ubuntu:20.04"},
      {"Ubuntu:25.10", "ubuntu:25.10"},
      {"Ubuntu:Pro:14.04:LTS", "ubuntu-pro:14.04"},
      {"Ubuntu:Pro:26.04:LTS", "ubuntu-pro:26.04"},
      {"Debian:7", "debian:7"},
      {"Debian:12", "debian:12"},
      {"Debian:3.1", "debian:3.1"},
      {"Alpine:v3.3", "alpine:3.3"},
      {"Alpine:v3.20", "alpine:3.20"},
      {"Red Hat:rhel_aus:8.6::appstream", "rhel-aus:8.6"},
      {"Red Hat:rhel_e4s:8.6::appstream", "rhel-e4s:8.6"},
      {"Red Hat:rhel_tus:8.6::appstream", "rhel-tus:8.6"},
      {"Red Hat:enterprise_linux:9::appstream", "rhel:9"},
      {"Red Hat:enterprise_linux:8::baseos", "rhel:8"},
      {"AlmaLinux:9", "almalinux:9"},
      {"Rocky Linux:9", "rocky:9"},
      {"SUSE:Linux Enterprise Server 15 SP5", "sles:15.5"},
      {"SUSE:Linux Enterprise Server 12", "sles:12"},
      {"SUSE:Linux Enterprise Module for Basesystem 15 SP5", "sles:15.5"},
      {"SUSE:Linux Enterprise Server 15 SP4-LTSS", "sles-ltss:15.4"},
      {"openSUSE:Leap 15.5", "opensuse-leap:15.5"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ecosystem);

    EXPECT_EQ(DistroKeyForOsvEcosystem(c.ecosystem), c.key);
  }
}

TEST(Distro, GivesNoKeyForEcosystemsThatAreNotADistributionRelease) {
  for (const char* ecosystem :
       {"PyPI", "Go", "npm", "Debian", "Debian:", "Debian:unknown", "Ubuntu:Pro:FIPS:16.04:LTS",
        "Ubuntu:22.04:ESM", "Alpine:3.20", "AlmaLinux:9.2", "Red Hat:openshift:4.14::el9",
        "Red Hat:enterprise_linux:9.2::baseos", "SUSE:Linux Enterprise Desktop 15 SP5",
        "SUSE:Linux Enterprise Micro 5.5", "openSUSE:Tumbleweed", "", ":"}) {
    SCOPED_TRACE(ecosystem);

    EXPECT_EQ(DistroKeyForOsvEcosystem(ecosystem), "");
  }
}

TEST(Distro, ImagesAndFeedsMeetOnTheSameKey) {
  EXPECT_EQ(DistroKeyForOs(Os("ubuntu", "20.04", "focal")),
            DistroKeyForOsvEcosystem("Ubuntu:20.04:LTS"));
  EXPECT_EQ(DistroKeyForOs(Os("alpine", "3.20.3")), DistroKeyForOsvEcosystem("Alpine:v3.20"));
  EXPECT_EQ(DistroKeyForOs(Os("debian", "12", "bookworm")), DistroKeyForOsvEcosystem("Debian:12"));
  EXPECT_EQ(DistroKeyForOs(Os("rhel", "9.4")),
            DistroKeyForOsvEcosystem("Red Hat:enterprise_linux:9::appstream"));
  EXPECT_EQ(DistroKeyForOs(Os("sles", "15.5")),
            DistroKeyForOsvEcosystem("SUSE:Linux Enterprise Server 15 SP5"));
  EXPECT_NE(DistroKeyForOs(Os("ubuntu", "18.04")),
            DistroKeyForOsvEcosystem("Ubuntu:Pro:18.04:LTS"));
}

}  // namespace
}  // namespace bulwark::vulndb
