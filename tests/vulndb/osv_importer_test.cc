#include "vulndb/osv_importer.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "testing/test_data.h"
#include "vulndb/collecting_sink.h"
#include "vulndb/importer_internal.h"

namespace bulwark::vulndb {
namespace {

namespace fs = std::filesystem;
using internal::ImportOsvDirectory;
using internal::ImportOsvFile;
using internal::ImportOsvJson;
using internal::ImportOsvZip;
using testing::CollectingSink;
using testing::VulndbData;

constexpr char kZlib2022[] =
    "ubuntu-osv/canonical-ubuntu-security-notices/osv/cve/2022/UBUNTU-CVE-2022-37434.json";
constexpr char kProcps2023[] =
    "ubuntu-osv/canonical-ubuntu-security-notices/osv/cve/2023/UBUNTU-CVE-2023-4016.json";
constexpr char kUsn5570[] = "ubuntu-osv/canonical-ubuntu-security-notices/osv/usn/USN-5570-1.json";
constexpr char kGlibc2016[] = "ubuntu-osv/vunnel-fixtures/osv/cve/2016/UBUNTU-CVE-2016-20013.json";
constexpr char kWithdrawn2020[] =
    "ubuntu-osv/vunnel-fixtures/osv/cve/2020/UBUNTU-CVE-2020-36325.json";
constexpr char kWayland2021[] = "ubuntu-osv/vunnel-fixtures/osv/cve/2021/UBUNTU-CVE-2021-3782.json";
constexpr char kEsm2014[] =
    "ubuntu-osv/vunnel-fixtures/osv-esm-cases/cve/2014/UBUNTU-CVE-2014-9913.json";
constexpr char kNetty2022[] =
    "ubuntu-osv/vunnel-fixtures/osv-esm-cases/cve/2022/UBUNTU-CVE-2022-24823.json";
constexpr char kDsa3029[] = "debian/osv/DSA-3029-1.json";
constexpr char kGitLfs[] = "osv-schema/redhat-osv/RHSA-2024_4546.json";
constexpr char kPython39[] = "osv-schema/redhat-osv/RHSA-2024_6220.json";
constexpr char kLinter[] = "osv-schema/osv-linter-testdata/";

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream file(path, std::ios::binary);
  file << bytes;
}

// Writes a zip archive with libarchive (deflate members), the way osv.dev's
// exports are laid out: one record per member. A member name ending in '/'
// is written as a directory.
void WriteZip(const std::string& path,
              const std::vector<std::pair<std::string, std::string>>& members) {
  archive* writer = archive_write_new();
  ASSERT_EQ(archive_write_set_format_zip(writer), ARCHIVE_OK);
  ASSERT_EQ(archive_write_open_filename(writer, path.c_str()), ARCHIVE_OK);
  for (const auto& [name, bytes] : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    bool directory = name.ends_with("/");
    archive_entry_set_filetype(entry, directory ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, directory ? 0755 : 0644);
    archive_entry_set_size(entry, static_cast<la_int64_t>(bytes.size()));
    ASSERT_EQ(archive_write_header(writer, entry), ARCHIVE_OK) << archive_error_string(writer);
    if (!bytes.empty()) {
      ASSERT_EQ(archive_write_data(writer, bytes.data(), bytes.size()),
                static_cast<la_ssize_t>(bytes.size()));
    }
    archive_entry_free(entry);
  }
  ASSERT_EQ(archive_write_close(writer), ARCHIVE_OK);
  archive_write_free(writer);
}

class OsvImporter : public ::testing::Test {
 protected:
  void SetUp() override { BULWARK_REQUIRE_VULNDB_DATA(); }

  Status Import(const std::string& relative, const FeedLimits& limits = {}) {
    return ImportOsvFile(VulndbData(relative), internal::BaseName(relative), sink_, limits);
  }

  // A real record, changed by `edit`, imported from memory.
  Status ImportEdited(const std::string& relative, void (*edit)(nlohmann::json&)) {
    nlohmann::json record = nlohmann::json::parse(ReadFile(VulndbData(relative)));
    edit(record);
    return ImportOsvJson(record.dump(), internal::BaseName(relative), sink_, {});
  }

  CollectingSink sink_;
};

TEST_F(OsvImporter, KeysZlibOnFocalFixedInTheUbuntuVersion) {
  Status imported = Import(kZlib2022);

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  const Advisory& advisory = sink_.advisories[0];
  EXPECT_EQ(advisory.id, "UBUNTU-CVE-2022-37434");
  EXPECT_EQ(advisory.aliases, std::vector<std::string>{"CVE-2022-37434"});
  EXPECT_EQ(advisory.published, "2022-08-05T07:15:00Z");
  EXPECT_DOUBLE_EQ(advisory.cvss_score, 9.8);
  EXPECT_EQ(advisory.cvss_vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  EXPECT_EQ(advisory.affected.size(), 14u);
  auto focal = sink_.Affected("UBUNTU-CVE-2022-37434", "ubuntu:20.04", "zlib");
  ASSERT_EQ(focal.size(), 1u);
  EXPECT_EQ(focal[0]->state, FixState::kFixed);
  EXPECT_EQ(focal[0]->fixed_version, "1:1.2.11.dfsg-2ubuntu1.5");
  EXPECT_EQ(focal[0]->ranges, (std::vector<VersionRange>{{"", "1:1.2.11.dfsg-2ubuntu1.5", ""}}));
  EXPECT_EQ(focal[0]->versions.size(), 6u);
  EXPECT_EQ(focal[0]->ecosystem, version::Ecosystem::kDeb);
  EXPECT_EQ(focal[0]->severity, Severity::kMedium);
  EXPECT_EQ(sink_.Affected("UBUNTU-CVE-2022-37434", "ubuntu-pro:14.04", "zlib").size(), 1u);
  EXPECT_TRUE(sink_.skipped.empty());
}

TEST_F(OsvImporter, KeysProcpsFixOnFocalAndTheUnfixedTrustyProEntryApart) {
  Status imported = Import(kProcps2023);

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  auto focal = sink_.Affected("UBUNTU-CVE-2023-4016", "ubuntu:20.04", "procps");
  ASSERT_EQ(focal.size(), 1u);
  EXPECT_EQ(focal[0]->state, FixState::kFixed);
  EXPECT_EQ(focal[0]->fixed_version, "2:3.3.16-1ubuntu2.4");
  EXPECT_EQ(focal[0]->severity, Severity::kLow);
  auto trusty = sink_.Affected("UBUNTU-CVE-2023-4016", "ubuntu-pro:14.04", "procps");
  ASSERT_EQ(trusty.size(), 1u);
  EXPECT_EQ(trusty[0]->state, FixState::kNotFixed);
  EXPECT_EQ(trusty[0]->fixed_version, "");
  EXPECT_EQ(trusty[0]->ranges, (std::vector<VersionRange>{{"", "", ""}}));
  EXPECT_EQ(trusty[0]->versions.front(), "1:3.3.3-2ubuntu7");
  EXPECT_EQ(trusty[0]->versions.size(), 8u);
  EXPECT_TRUE(sink_.Affected("UBUNTU-CVE-2023-4016", "ubuntu:14.04", "procps").empty());
  EXPECT_DOUBLE_EQ(sink_.advisories[0].cvss_score, 3.3);
}

TEST_F(OsvImporter, KeepsGlibcUnfixedOnEveryRelease) {
  Status imported = Import(kGlibc2016);

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  const Advisory& advisory = sink_.advisories[0];
  EXPECT_EQ(advisory.aliases, std::vector<std::string>{"CVE-2016-20013"});
  EXPECT_EQ(advisory.severity, Severity::kNegligible);
  EXPECT_DOUBLE_EQ(advisory.cvss_score, 7.5);
  EXPECT_EQ(advisory.affected.size(), 30u);
  for (const AffectedPackage& affected : advisory.affected) {
    SCOPED_TRACE(affected.distro + " " + affected.package);
    EXPECT_EQ(affected.state, FixState::kNotFixed);
    EXPECT_TRUE(affected.fixed_version.empty());
  }
  EXPECT_EQ(sink_.Affected("UBUNTU-CVE-2016-20013", "ubuntu:22.04", "glibc").size(), 1u);
  EXPECT_EQ(sink_.Affected("UBUNTU-CVE-2016-20013", "ubuntu-pro:14.04", "eglibc").size(), 1u);
}

TEST_F(OsvImporter, ReadsADebianAdvisory) {
  Status imported = Import(kDsa3029);

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  EXPECT_EQ(sink_.advisories[0].aliases, std::vector<std::string>{"CVE-2014-3616"});
  EXPECT_EQ(sink_.advisories[0].severity, Severity::kUnknown);
  EXPECT_EQ(sink_.advisories[0].cvss_score, -1);
  EXPECT_FALSE(sink_.advisories[0].summary.empty());
  auto wheezy = sink_.Affected("DSA-3029-1", "debian:7", "nginx");
  ASSERT_EQ(wheezy.size(), 1u);
  EXPECT_EQ(wheezy[0]->state, FixState::kFixed);
  EXPECT_EQ(wheezy[0]->fixed_version, "1.2.1-2.2+wheezy3");
}

TEST_F(OsvImporter, ScoresARecordWhoseOnlyVectorIsCvss4) {
  Status only_v4 = ImportEdited(kDsa3029, [](nlohmann::json& record) {
    record["severity"] = {
        {{"type", "CVSS_V4"},
         {"score", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}}};
  });

  ASSERT_TRUE(only_v4.ok()) << only_v4.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  EXPECT_DOUBLE_EQ(sink_.advisories[0].cvss_score, 9.3);
  EXPECT_EQ(sink_.advisories[0].cvss_vector.substr(0, 9), "CVSS:4.0/");
}

TEST_F(OsvImporter, PrefersACvss3VectorOverACvss4One) {
  Status both = ImportEdited(kDsa3029, [](nlohmann::json& record) {
    record["severity"] = {
        {{"type", "CVSS_V4"},
         {"score", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}},
        {{"type", "CVSS_V3"}, {"score", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:L"}}};
  });

  ASSERT_TRUE(both.ok()) << both.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  EXPECT_DOUBLE_EQ(sink_.advisories[0].cvss_score, 3.3);
}

TEST_F(OsvImporter, SkipsWithdrawnRecords) {
  Status imported = Import(kWithdrawn2020);

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_TRUE(sink_.advisories.empty());
  EXPECT_EQ(sink_.CountSkipped("UBUNTU-CVE-2020-36325.json", "withdrawn on 2025-06-23T15:53:49Z"),
            1u);
}

TEST_F(OsvImporter, PutsUpstreamIdsAndRelatedCveIdsInAliases) {
  Status usn = Import(kUsn5570);
  Status cve = Import(kZlib2022);

  ASSERT_TRUE(usn.ok()) << usn.error().message();
  ASSERT_TRUE(cve.ok()) << cve.error().message();
  const Advisory* notice = sink_.Find("USN-5570-1");
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(notice->aliases, std::vector<std::string>{"UBUNTU-CVE-2022-37434"});
  EXPECT_EQ(notice->published, "2022-08-17T22:44:40Z");
  const Advisory* record = sink_.Find("UBUNTU-CVE-2022-37434");
  ASSERT_NE(record, nullptr);
  EXPECT_EQ(record->aliases, std::vector<std::string>{"CVE-2022-37434"}) << "USN ids are related";
}

TEST_F(OsvImporter, KeysUbuntuInterimAndProReleases) {
  Status imported = Import(kNetty2022);

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  auto questing = sink_.Affected("UBUNTU-CVE-2022-24823", "ubuntu:25.10", "netty");
  ASSERT_EQ(questing.size(), 1u);
  EXPECT_EQ(questing[0]->state, FixState::kNotFixed);
  auto jammy_pro = sink_.Affected("UBUNTU-CVE-2022-24823", "ubuntu-pro:22.04", "netty");
  ASSERT_EQ(jammy_pro.size(), 1u);
  EXPECT_EQ(jammy_pro[0]->fixed_version, "1:4.1.48-4+deb11u2ubuntu0.1~esm1");
  EXPECT_EQ(sink_.advisories[0].severity, Severity::kLow);
  EXPECT_DOUBLE_EQ(sink_.advisories[0].cvss_score, 5.5);
}

TEST_F(OsvImporter, ScoresVersion3Point0VectorsAndKeepsTheUbuntuPriority) {
  Status esm = Import(kEsm2014);
  Status wayland = Import(kWayland2021);

  ASSERT_TRUE(esm.ok()) << esm.error().message();
  ASSERT_TRUE(wayland.ok()) << wayland.error().message();
  const Advisory* old = sink_.Find("UBUNTU-CVE-2014-9913");
  ASSERT_NE(old, nullptr);
  EXPECT_DOUBLE_EQ(old->cvss_score, 4.0);
  EXPECT_EQ(old->cvss_vector.substr(0, 9), "CVSS:3.0/");
  EXPECT_EQ(old->severity, Severity::kNegligible);
  const Advisory* recent = sink_.Find("UBUNTU-CVE-2021-3782");
  ASSERT_NE(recent, nullptr);
  EXPECT_DOUBLE_EQ(recent->cvss_score, 6.6);
  EXPECT_EQ(recent->severity, Severity::kMedium);
}

TEST_F(OsvImporter, KeysRedHatExtendedStreamsApartWithBinaryPackageNames) {
  Status imported = Import(kGitLfs);

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  const Advisory& advisory = sink_.advisories[0];
  EXPECT_EQ(advisory.id, "RHSA-2024:4546");
  EXPECT_EQ(advisory.aliases, std::vector<std::string>{"CVE-2023-45288"})
      << "the related Go id names another record";
  EXPECT_EQ(advisory.severity, Severity::kHigh) << "classification/#important";
  EXPECT_EQ(advisory.affected.size(), 9u);
  auto debuginfo = sink_.Affected("RHSA-2024:4546", "rhel-aus:8.6", "git-lfs-debuginfo");
  ASSERT_EQ(debuginfo.size(), 1u);
  EXPECT_EQ(debuginfo[0]->ecosystem, version::Ecosystem::kRpm);
  EXPECT_EQ(debuginfo[0]->fixed_version, "0:2.13.3-3.el8_6.1");
  EXPECT_EQ(sink_.Affected("RHSA-2024:4546", "rhel-tus:8.6", "git-lfs").size(), 1u);
}

TEST_F(OsvImporter, SkipsAForeignEcosystemOncePerRecordNotPerPackage) {
  // RHSA-2024:6220 with its 76 AUS packages moved to an OpenShift stream,
  // which is not a distribution release.
  Status imported = ImportEdited(kPython39, [](nlohmann::json& record) {
    for (auto& affected : record["affected"]) {
      if (affected["package"]["ecosystem"] == "Red Hat:rhel_aus:8.6::appstream") {
        affected["package"]["ecosystem"] = "Red Hat:openshift:4.14::el9";
      }
    }
  });

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  EXPECT_EQ(sink_.advisories[0].affected.size(), 152u);
  ASSERT_EQ(sink_.skipped.size(), 1u);
  EXPECT_EQ(sink_.skipped[0].record, "RHSA-2024_6220.json (RHSA-2024:6220)");
  EXPECT_NE(sink_.skipped[0].reason.find("\"Red Hat:openshift:4.14::el9\""), std::string::npos);
  EXPECT_NE(sink_.skipped[0].reason.find("(76 packages)"), std::string::npos);
}

TEST_F(OsvImporter, SkipsLanguageEcosystemRecordsWithTheEcosystemNamed) {
  struct Case {
    const char* file;
    const char* ecosystem;
  };
  const Case cases[] = {
      {"GHSA-9v2f-6vcg-3hgv.json", "\"PyPI\""}, {"PYSEC-2023-74.json", "\"PyPI\""},
      {"GO-2020-0001.json", "\"Go\""},          {"GO-2024-2963.json", "\"Go\""},
      {"MAL-2024-10238.json", "\"PyPI\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    CollectingSink sink;

    Status imported = ImportOsvFile(VulndbData(std::string(kLinter) + c.file), c.file, sink, {});

    ASSERT_TRUE(imported.ok()) << imported.error().message();
    EXPECT_TRUE(sink.advisories.empty());
    ASSERT_EQ(sink.skipped.size(), 1u);
    EXPECT_NE(sink.skipped[0].reason.find(c.ecosystem), std::string::npos);
    EXPECT_NE(sink.skipped[0].reason.find("not a distribution release"), std::string::npos);
  }
}

TEST_F(OsvImporter, ImportsTheAlpineEntriesOfTheLinterRecordAndSkipsItsGitEntry) {
  Status imported = Import(std::string(kLinter) + "CVE-2018-5407.json");

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  EXPECT_EQ(sink_.advisories[0].affected.size(), 6u);
  auto v33 = sink_.Affected("CVE-2018-5407", "alpine:3.3", "openssl");
  ASSERT_EQ(v33.size(), 1u);
  EXPECT_EQ(v33[0]->ecosystem, version::Ecosystem::kApk);
  EXPECT_EQ(v33[0]->fixed_version, "1.0.2q-r0");
  EXPECT_DOUBLE_EQ(sink_.advisories[0].cvss_score, 4.7);
  EXPECT_EQ(sink_.CountSkipped("CVE-2018-5407.json affected[6]", "no package"), 1u);
}

TEST_F(OsvImporter, RefusesOrSkipsEveryBrokenLinterVariantWithAReason) {
  struct Case {
    const char* file;
    size_t advisories;
    const char* skip_reason;
  };
  const Case cases[] = {
      // The GIT range with equal events has no package; the Alpine entries stand.
      {"nondistinct-CVE-2018-5407.json", 1, "no package"},
      // Its only entry is a GIT range without a package.
      {"nointroduced-CVE-2023-41045.json", 0, "no package"},
      // A PyPI package that does not exist: PyPI is not a distribution.
      {"nopackage-GHSA-9v2f-6vcg-3hgv.json", 0, "\"PyPI\" is not a distribution release"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    CollectingSink sink;

    Status imported = ImportOsvFile(VulndbData(std::string(kLinter) + c.file), c.file, sink, {});

    ASSERT_TRUE(imported.ok()) << imported.error().message();
    EXPECT_EQ(sink.advisories.size(), c.advisories);
    EXPECT_EQ(sink.CountSkipped(c.file, c.skip_reason), 1u);
  }
}

TEST_F(OsvImporter, SkipsRecordsWithoutAffectedPackages) {
  for (const char* file : {"RHSA-2022_0216.json", "SUSE-FU-2022_0444-1.json"}) {
    SCOPED_TRACE(file);
    CollectingSink sink;

    Status imported = ImportOsvFile(VulndbData(std::string(kLinter) + file), file, sink, {});

    ASSERT_TRUE(imported.ok()) << imported.error().message();
    EXPECT_TRUE(sink.advisories.empty());
    EXPECT_EQ(sink.CountSkipped(file, "no affected packages"), 1u);
  }
}

TEST_F(OsvImporter, GivesEveryRangeOfAnEntryItsHighestLimit) {
  Status imported = ImportEdited(kDsa3029, [](nlohmann::json& r) {
    nlohmann::json& events = r["affected"][0]["ranges"][0]["events"];
    events = {{{"introduced", "0"}},
              {{"limit", "1.1"}},
              {{"fixed", "1.0"}},
              {{"introduced", "1.1"}},
              {{"limit", "1.2-1"}}};
  });

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  auto wheezy = sink_.Affected("DSA-3029-1", "debian:7", "nginx");
  ASSERT_EQ(wheezy.size(), 1u);
  ASSERT_EQ(wheezy[0]->ranges.size(), 2u);
  EXPECT_EQ(wheezy[0]->ranges[0].fixed, "1.0");
  EXPECT_EQ(wheezy[0]->ranges[0].limit, "1.2-1");
  EXPECT_EQ(wheezy[0]->ranges[1].introduced, "1.1");
  EXPECT_EQ(wheezy[0]->ranges[1].limit, "1.2-1") << "an open range stops at the limit";
}

TEST_F(OsvImporter, ALimitOfStarLeavesTheRangeUnlimited) {
  Status imported = ImportEdited(kDsa3029, [](nlohmann::json& r) {
    r["affected"][0]["ranges"][0]["events"].push_back({{"limit", "1.0"}});
    r["affected"][0]["ranges"][0]["events"].push_back({{"limit", "*"}});
  });

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  auto wheezy = sink_.Affected("DSA-3029-1", "debian:7", "nginx");
  ASSERT_EQ(wheezy.size(), 1u);
  ASSERT_FALSE(wheezy[0]->ranges.empty());
  EXPECT_EQ(wheezy[0]->ranges[0].limit, "");
}

TEST_F(OsvImporter, SkipsDistributionEntriesWhoseRangesCannotBeCompared) {
  struct Case {
    const char* name;
    void (*edit)(nlohmann::json&);
    const char* reason;
  };
  const Case cases[] = {
      {"limit that is no version",
       [](nlohmann::json& r) {
         r["affected"][0]["ranges"][0]["events"].push_back({{"limit", "1.0-"}});
       },
       "1.0-"},
      {"semver range", [](nlohmann::json& r) { r["affected"][0]["ranges"][0]["type"] = "SEMVER"; },
       "only SEMVER ranges"},
      {"fixed before introduced",
       [](nlohmann::json& r) { r["affected"][0]["ranges"][0]["events"].erase(0); },
       "a fixed event without an introduced event"},
      {"equal events",
       [](nlohmann::json& r) {
         r["affected"][0]["ranges"][0]["events"][0] = {{"introduced", "1.2.1-2.2+wheezy3"}};
       },
       "introduced and fixed are the same version"},
      {"invalid version",
       [](nlohmann::json& r) {
         r["affected"][0]["ranges"][0]["events"][1] = {{"fixed", "1.0-"}};
       },
       "1.0-"},
      {"two kinds in one event",
       [](nlohmann::json& r) { r["affected"][0]["ranges"][0]["events"][1]["introduced"] = "0"; },
       "exactly one is expected"},
      {"no ranges", [](nlohmann::json& r) { r["affected"][0].erase("ranges"); },
       "no ECOSYSTEM range and no versions"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    sink_ = CollectingSink();

    Status imported = ImportEdited(kDsa3029, c.edit);

    ASSERT_TRUE(imported.ok()) << imported.error().message();
    EXPECT_TRUE(sink_.advisories.empty());
    ASSERT_EQ(sink_.skipped.size(), 1u);
    EXPECT_EQ(sink_.skipped[0].record, "DSA-3029-1.json affected[0] nginx (Debian:7)");
    EXPECT_NE(sink_.skipped[0].reason.find(c.reason), std::string::npos) << sink_.skipped[0].reason;
  }
}

TEST_F(OsvImporter, RefusesRecordsShapedUnlikeOsvNamingTheField) {
  struct Case {
    const char* name;
    void (*edit)(nlohmann::json&);
    const char* message;
  };
  const Case cases[] = {
      {"no id", [](nlohmann::json& r) { r.erase("id"); }, "DSA-3029-1.json: no \"id\""},
      {"id with a space", [](nlohmann::json& r) { r["id"] = "DSA 3029"; }, "holds white space"},
      {"affected an object", [](nlohmann::json& r) { r["affected"] = nlohmann::json::object(); },
       "\"affected\" is not an array"},
      {"aliases of numbers",
       [](nlohmann::json& r) {
         r["aliases"] = {1, 2};
       },
       "\"aliases\" is not an array of strings"},
      {"event value a number",
       [](nlohmann::json& r) { r["affected"][0]["ranges"][0]["events"][1]["fixed"] = 3; },
       "DSA-3029-1.json affected[0] ranges[0]: event 1 \"fixed\" is not a string"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    sink_ = CollectingSink();

    Status imported = ImportEdited(kDsa3029, c.edit);

    ASSERT_FALSE(imported.ok());
    EXPECT_EQ(imported.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(imported.error().message().find(c.message), std::string::npos)
        << imported.error().message();
  }
}

TEST_F(OsvImporter, RefusesInvalidJsonNamingTheFile) {
  std::string bytes = ReadFile(VulndbData(kDsa3029));
  bytes.resize(bytes.size() / 2);

  Status imported = ImportOsvJson(bytes, "DSA-3029-1.json", sink_, {});

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kCorruptInput);
  EXPECT_EQ(imported.error().message().rfind("DSA-3029-1.json: invalid JSON: ", 0), 0u)
      << imported.error().message();
  EXPECT_TRUE(sink_.advisories.empty());
}

TEST_F(OsvImporter, RefusesNestingBeyondTheDepthLimit) {
  std::string deep = "{\"id\": \"X-1\", \"database_specific\": " + std::string(100, '[') +
                     std::string(100, ']') + "}";

  Status imported = ImportOsvJson(deep, "deep.json", sink_, {});

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().message(), "deep.json: JSON nested deeper than 64 levels");
}

TEST_F(OsvImporter, ReadsAnArrayOfRealRecordsElementByElement) {
  std::string array = "[" + ReadFile(VulndbData(kDsa3029)) + ",\n" +
                      ReadFile(VulndbData(kWithdrawn2020)) + ", " +
                      ReadFile(VulndbData(kProcps2023)) + "]\n";
  const std::string path = bulwark::testing::MakeTempDir() + "/records.json";
  WriteFile(path, array);

  Status imported = ImportOsvFile(path, "records.json", sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 2u);
  EXPECT_EQ(sink_.advisories[0].id, "DSA-3029-1");
  EXPECT_EQ(sink_.advisories[1].id, "UBUNTU-CVE-2023-4016");
  EXPECT_EQ(sink_.CountSkipped("records.json[1] (UBUNTU-CVE-2020-36325)", "withdrawn"), 1u);
}

TEST_F(OsvImporter, RefusesAnArrayElementOverTheRecordLimit) {
  std::string array =
      "[" + ReadFile(VulndbData(kDsa3029)) + "," + ReadFile(VulndbData(kZlib2022)) + "]";
  FeedLimits limits;
  limits.max_record_bytes = 16 * 1024;  // DSA-3029-1 fits, the zlib record (25 KiB) does not.

  Status imported = ImportOsvJson(array, "records.json", sink_, limits);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(imported.error().message().find("records.json: element 1 is larger than "
                                            "max_record_bytes (16384 bytes)"),
            std::string::npos)
      << imported.error().message();
  EXPECT_EQ(sink_.advisories.size(), 1u);
}

TEST_F(OsvImporter, RefusesAnArrayWithTrailingData) {
  std::string array = "[" + ReadFile(VulndbData(kDsa3029)) + "] {}";

  Status imported = ImportOsvJson(array, "records.json", sink_, {});

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().message(), "records.json: data after the array's closing ]");
}

TEST_F(OsvImporter, ReadsADirectoryRecursivelyInPathOrder) {
  const std::string dir = bulwark::testing::MakeTempDir();
  fs::copy(VulndbData("ubuntu-osv"), dir, fs::copy_options::recursive);
  WriteFile(dir + "/README.md", "not a record\n");

  Status imported = ImportOsvDirectory(dir, sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() == ".json") {
      files.push_back(fs::relative(entry.path(), dir).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 14u);
  // Each file holds the record named like it; three of them are withdrawn.
  const std::set<std::string> withdrawn = {"UBUNTU-CVE-2013-2208", "UBUNTU-CVE-2014-2901",
                                           "UBUNTU-CVE-2020-36325"};
  std::vector<std::string> expected;
  for (const std::string& file : files) {
    std::string id = fs::path(file).stem().string();
    if (!withdrawn.count(id)) expected.push_back(id);
  }
  std::vector<std::string> ids;
  for (const Advisory& advisory : sink_.advisories) ids.push_back(advisory.id);
  EXPECT_EQ(ids, expected);
  EXPECT_EQ(ids.front(), "UBUNTU-CVE-2022-3715") << "byte order: \"3715\" < \"37434\"";
  EXPECT_EQ(
      sink_.CountSkipped("vunnel-fixtures/osv/cve/2020/UBUNTU-CVE-2020-36325.json", "withdrawn"),
      1u);
}

TEST_F(OsvImporter, Issue4ListsRecordFilesItCannotReadAsSkipped) {
  const std::string dir = bulwark::testing::MakeTempDir();
  fs::copy_file(VulndbData(kDsa3029), dir + "/DSA-3029-1.json");
  fs::create_symlink(dir + "/gone.json", dir + "/dangling.json");
  fs::create_symlink("/dev/zero", dir + "/zero.json");
  fs::create_directory(dir + "/folder.json");

  Status imported = ImportOsvDirectory(dir, sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  EXPECT_EQ(sink_.CountSkipped("dangling.json", "not a regular file"), 1u);
  EXPECT_EQ(sink_.CountSkipped("zero.json", "not a regular file"), 1u);
  EXPECT_EQ(sink_.CountSkipped("folder.json", "not a regular file"), 0u);
}

TEST_F(OsvImporter, RefusesADirectoryWithoutRecords) {
  const std::string dir = bulwark::testing::MakeTempDir();

  Status imported = ImportOsvDirectory(dir, sink_, {});

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(imported.error().message(), dir + ": no .json files below the directory");
}

class OsvZip : public OsvImporter {
 protected:
  void SetUp() override {
    OsvImporter::SetUp();
    if (IsSkipped()) return;
    dir_ = bulwark::testing::MakeTempDir();
  }

  // An export shaped like osv.dev's: records at the top, by file name.
  std::string WriteExport(const std::string& name, bool with_extras) {
    std::vector<std::pair<std::string, std::string>> members = {
        {"DSA-3029-1.json", ReadFile(VulndbData(kDsa3029))},
        {"UBUNTU-CVE-2022-37434.json", ReadFile(VulndbData(kZlib2022))},
        {"UBUNTU-CVE-2023-4016.json", ReadFile(VulndbData(kProcps2023))},
    };
    if (with_extras) {
      members.push_back({"notes/", ""});
      members.push_back({"notes/README.txt", "exported records\n"});
    }
    const std::string path = dir_ + "/" + name;
    WriteZip(path, members);
    return path;
  }

  std::string dir_;
};

TEST_F(OsvZip, ReadsAnExportBuiltFromTheRealRecords) {
  const std::string path = WriteExport("all.zip", true);

  Status imported = ImportOsvZip(path, sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 3u);
  EXPECT_EQ(sink_.advisories[0].id, "DSA-3029-1");
  EXPECT_EQ(sink_.Affected("UBUNTU-CVE-2022-37434", "ubuntu:20.04", "zlib")[0]->fixed_version,
            "1:1.2.11.dfsg-2ubuntu1.5");
  ASSERT_EQ(sink_.skipped.size(), 1u);
  EXPECT_EQ(sink_.skipped[0].record, "all.zip:notes/README.txt");
  EXPECT_EQ(sink_.skipped[0].reason, "not a .json file");
}

TEST_F(OsvZip, RefusesAMemberOverTheRecordLimit) {
  const std::string path = WriteExport("all.zip", false);
  FeedLimits limits;
  limits.max_record_bytes = 16 * 1024;

  Status imported = ImportOsvZip(path, sink_, limits);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(imported.error().message(),
            "all.zip:UBUNTU-CVE-2022-37434.json: member larger than max_record_bytes (16384 "
            "bytes)");
}

TEST_F(OsvZip, RefusesMoreMembersThanTheLimit) {
  const std::string path = WriteExport("all.zip", false);
  FeedLimits limits;
  limits.max_zip_entries = 2;

  Status imported = ImportOsvZip(path, sink_, limits);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(imported.error().message(), "all.zip: more members than max_zip_entries (2)");
}

TEST_F(OsvZip, RefusesMoreContentThanTheTotalLimit) {
  const std::string path = WriteExport("all.zip", false);
  FeedLimits limits;
  limits.max_total_bytes = 20 * 1024;

  Status imported = ImportOsvZip(path, sink_, limits);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(imported.error().message().find("max_total_bytes"), std::string::npos);
}

TEST_F(OsvZip, RefusesATruncatedArchive) {
  const std::string path = WriteExport("all.zip", false);
  fs::resize_file(path, fs::file_size(path) / 2);

  Status imported = ImportOsvZip(path, sink_, {});

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kCorruptInput);
  EXPECT_EQ(imported.error().message().rfind("all.zip", 0), 0u) << imported.error().message();
  EXPECT_NE(imported.error().message().find("zip"), std::string::npos);
}

TEST_F(OsvZip, RefusesBytesThatAreNotAZip) {
  const std::string path = dir_ + "/all.zip";
  WriteFile(path, "PK\x03\x04 this is not really a zip archive");

  Status imported = ImportOsvZip(path, sink_, {});

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kCorruptInput);
  EXPECT_EQ(imported.error().message().rfind("all.zip", 0), 0u) << imported.error().message();
}

TEST_F(OsvZip, PassesTheSinksErrorThrough) {
  const std::string path = WriteExport("all.zip", false);
  sink_.fail_on_add = Error(ErrorCode::kIo, "advisory database: disk full");

  Status imported = ImportOsvZip(path, sink_, {});

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kIo);
  EXPECT_EQ(imported.error().message(), "advisory database: disk full");
}

}  // namespace
}  // namespace bulwark::vulndb
