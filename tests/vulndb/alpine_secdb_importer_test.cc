#include "vulndb/alpine_secdb_importer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "vulndb/collecting_sink.h"

namespace bulwark::vulndb {
namespace {

using internal::ImportAlpineSecdb;
using internal::ImportAlpineSecdbFile;
using internal::ParseSecfixEntry;
using testing::CollectingSink;
using testing::VulndbData;

std::string ReadFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  return bytes.str();
}

size_t Statements(const CollectingSink& sink) {
  size_t count = 0;
  for (const Advisory& advisory : sink.advisories) count += advisory.affected.size();
  return count;
}

class AlpineSecdbImporter : public ::testing::Test {
 protected:
  void SetUp() override { BULWARK_REQUIRE_VULNDB_DATA(); }

  Status Import(const std::string& relative) {
    return ImportAlpineSecdbFile(VulndbData("alpine-secdb/" + relative), sink_, {});
  }

  const AffectedPackage* One(std::string_view id, std::string_view distro,
                             std::string_view package) {
    auto found = sink_.Affected(id, distro, package);
    EXPECT_EQ(found.size(), 1u) << id << " " << distro << " " << package;
    return found.size() == 1 ? found[0] : nullptr;
  }

  CollectingSink sink_;
};

TEST_F(AlpineSecdbImporter, ImportsEveryYamlReleaseWithCountsItsEntriesExplain) {
  // Counted by a separate reading of each file (a short script over the YAML
  // with the entry rules of ParseSecfixEntry): distinct ids, one statement
  // per (id, package), and the version keys apk cannot order, each skipped
  // (plus heimdal's empty list in v3.6). Real files carry ids as notes
  // ("CVE-2017-2616 (+ regression fix)"), several ids in one entry, typos
  // ("CVE_2019-2426") and version keys such as "0.8.21.r2" or "4.8.0.-r1".
  // opensmtpd's "6.6.2p1-r0" (v3.11) is kept: apk-tools 2 orders that form.
  struct Case {
    const char* file;
    size_t advisories;
    size_t statements;
    size_t skipped;
  };
  const Case cases[] = {
      {"v3.3/main.yaml", 454, 457, 2},    {"v3.3/community.yaml", 0, 0, 0},
      {"v3.4/main.yaml", 663, 666, 2},    {"v3.4/community.yaml", 14, 14, 0},
      {"v3.5/main.yaml", 798, 820, 2},    {"v3.5/community.yaml", 98, 101, 0},
      {"v3.6/main.yaml", 865, 888, 3},    {"v3.6/community.yaml", 195, 214, 0},
      {"v3.7/main.yaml", 1035, 1071, 2},  {"v3.7/community.yaml", 376, 399, 1},
      {"v3.8/main.yaml", 1075, 1115, 5},  {"v3.8/community.yaml", 461, 475, 1},
      {"v3.9/main.yaml", 1056, 1098, 1},  {"v3.9/community.yaml", 574, 592, 1},
      {"v3.10/main.yaml", 1110, 1158, 0}, {"v3.10/community.yaml", 691, 711, 1},
      {"v3.11/main.yaml", 1120, 1174, 2}, {"v3.11/community.yaml", 828, 885, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    sink_ = CollectingSink();

    Status imported = Import(c.file);

    ASSERT_TRUE(imported.ok()) << imported.error().message();
    EXPECT_EQ(sink_.advisories.size(), c.advisories);
    EXPECT_EQ(Statements(sink_), c.statements);
    EXPECT_EQ(sink_.skipped.size(), c.skipped);
  }
}

TEST_F(AlpineSecdbImporter, ReadsTheJsonLayout) {
  Status imported = Import("json-sample-claircore/v3.10/community.json");

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(sink_.advisories.size(), 9u);
  const AffectedPackage* botan = One("CVE-2018-20187", "alpine:3.10", "botan");
  ASSERT_NE(botan, nullptr);
  EXPECT_EQ(botan->state, FixState::kFixed);
  EXPECT_EQ(botan->fixed_version, "2.9.0-r0");
  EXPECT_EQ(botan->ranges, (std::vector<VersionRange>{{"", "2.9.0-r0", ""}}));
  EXPECT_EQ(botan->ecosystem, version::Ecosystem::kApk);
  EXPECT_EQ(One("CVE-2016-6831", "alpine:3.10", "chicken")->fixed_version, "4.11.1-r0");
  EXPECT_EQ(sink_.Find("CVE-2018-20187")->references,
            std::vector<std::string>{"https://security.alpinelinux.org/vuln/CVE-2018-20187"});
  EXPECT_TRUE(sink_.skipped.empty());
}

TEST_F(AlpineSecdbImporter, MapsVersionZeroToNotAffected) {
  Status imported = Import("v3.8/main.yaml");

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  for (const char* id : {"CVE-2016-0682", "CVE-2016-3418"}) {
    SCOPED_TRACE(id);
    const AffectedPackage* db = One(id, "alpine:3.8", "db");
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->state, FixState::kNotAffected);
    EXPECT_TRUE(db->ranges.empty());
    EXPECT_TRUE(db->fixed_version.empty());
  }
}

TEST_F(AlpineSecdbImporter, ReadsTheIdsOfRealEntriesWithNotesAndSeveralIds) {
  Status v38 = Import("v3.8/main.yaml");
  Status v39 = Import("v3.9/main.yaml");
  Status v39_community = Import("v3.9/community.yaml");
  Status v310 = Import("v3.10/main.yaml");

  ASSERT_TRUE(v38.ok() && v39.ok() && v39_community.ok() && v310.ok());
  // "CVE-2017-17434-1" and "-2" are one fix of one CVE.
  EXPECT_EQ(One("CVE-2017-17434", "alpine:3.8", "rsync")->fixed_version, "3.1.2-r7");
  // "CVE-2018-12126  XSA-297": the Xen advisory is an alias.
  const Advisory* mds = nullptr;
  for (const Advisory* advisory : sink_.All("CVE-2018-12126")) {
    if (advisory->affected.front().distro == "alpine:3.10") mds = advisory;
  }
  ASSERT_NE(mds, nullptr);
  EXPECT_EQ(mds->aliases, std::vector<std::string>{"XSA-297"});
  // "CVE-????-?????  XSA-295": no CVE yet, so the Xen id is the id.
  EXPECT_EQ(One("XSA-295", "alpine:3.10", "xen")->fixed_version, "4.12.1-r0");
  // Typos that still spell one CVE id.
  EXPECT_EQ(One("CVE-2018-16859", "alpine:3.9", "ansible")->fixed_version, "2.7.3-r0");
  EXPECT_EQ(One("CVE-2019-2426", "alpine:3.9", "openjdk7")->fixed_version, "7.211.2.6.17-r0");
}

TEST_F(AlpineSecdbImporter, SkipsVersionKeysApkCannotOrderNamingTheIds) {
  Status imported = Import("v3.8/main.yaml");

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(sink_.CountSkipped("v3.8/main: mariadb 10.2.26.r0", "not a valid apk version"), 1u);
  EXPECT_EQ(sink_.CountSkipped("v3.8/main: mariadb 10.2.26.r0", "not imported: CVE-"), 1u);
}

TEST_F(AlpineSecdbImporter, SkipsAnEntryWithoutIds) {
  Status imported = Import("v3.6/main.yaml");

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_EQ(sink_.CountSkipped("v3.6/main: heimdal 7.4.0-r0", "no ids listed"), 1u);
  EXPECT_EQ(One("CVE-2017-17439", "alpine:3.6", "heimdal")->fixed_version, "7.1.0-r2");
}

TEST_F(AlpineSecdbImporter, Issue4TokenLongerThanAnIdIsNotTakenForOne) {
  // Found by fuzz/vulndb_alpine_secdb_fuzzer: a 129-byte token shaped like an
  // id, and a CVE id with 200 digits, became advisory ids past the id limit.
  const std::string note = "x" + std::string(120, 'a') + "2017-9178";
  const std::string long_cve = "CVE-2017-" + std::string(200, '1');
  const std::string document = R"({"distroversion": "v3.20", "reponame": "main",
    "packages": [{"pkg": {"name": "busybox", "secfixes": {
      "1.36.1-r2": [")" + note + R"("], "1.36.1-r3": [")" + long_cve + R"("]}}}]})";

  Status imported = ImportAlpineSecdb(document, "main.json", sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_TRUE(sink_.advisories.empty());
  EXPECT_EQ(sink_.skipped.size(), 2u);
}

TEST_F(AlpineSecdbImporter, KeepsTheHighestFixWhenAPackageListsAnIdTwice) {
  const std::string document = R"({"distroversion": "v3.20", "reponame": "main",
    "packages": [{"pkg": {"name": "openssl", "secfixes": {
      "3.3.1-r0": ["CVE-2024-4741"], "3.3.0-r2": ["CVE-2024-4741"], "0": ["CVE-2024-4741"]}}}]})";

  Status imported = ImportAlpineSecdb(document, "main.json", sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  ASSERT_EQ(sink_.advisories.size(), 1u);
  ASSERT_EQ(sink_.advisories[0].affected.size(), 1u);
  EXPECT_EQ(sink_.advisories[0].affected[0].state, FixState::kFixed);
  EXPECT_EQ(sink_.advisories[0].affected[0].fixed_version, "3.3.1-r0");
}

TEST_F(AlpineSecdbImporter, SkipsADocumentForAnUnknownRelease) {
  std::string document =
      ReadFile(VulndbData("alpine-secdb/json-sample-claircore/v3.10/community.json"));
  document.replace(document.find("\"v3.10\""), 7, "\"3.10\"");

  Status imported = ImportAlpineSecdb(document, "community.json", sink_, {});

  ASSERT_TRUE(imported.ok()) << imported.error().message();
  EXPECT_TRUE(sink_.advisories.empty());
  EXPECT_EQ(sink_.CountSkipped("community.json", "distroversion \"3.10\" is not an Alpine release"),
            1u);
}

TEST_F(AlpineSecdbImporter, RefusesDocumentsShapedUnlikeSecdbNamingTheField) {
  struct Case {
    const char* name;
    std::string document;
    const char* message;
  };
  const Case cases[] = {
      {"secfixes a list (YAML)",
       "distroversion: v3.8\nreponame: main\npackages:\n  - pkg:\n      name: zlib\n"
       "      secfixes:\n        - CVE-2018-25032\n",
       "main.yaml: packages[0].pkg.secfixes line 7 is not a mapping"},
      {"ids a string (JSON)",
       R"({"distroversion": "v3.8", "packages": [{"pkg": {"name": "zlib", )"
       R"("secfixes": {"1.2.12-r0": "CVE-2018-25032"}}}]})",
       "main.yaml: packages[0].pkg.secfixes \"1.2.12-r0\" is not an array"},
      {"no packages", R"({"distroversion": "v3.8"})",
       "main.yaml: not a secdb document: no packages array"},
      {"no distroversion", "packages:\n  - pkg:\n      name: zlib\n",
       "main.yaml: no distroversion"},
      {"invalid YAML", "distroversion: v3.8\npackages: [\n", "main.yaml: YAML line"},
      {"two documents", "distroversion: v3.8\n---\ndistroversion: v3.9\n",
       "main.yaml: more than one YAML document"},
      {"aliases", "distroversion: v3.8\nx: &a [1]\npackages: [*a, *a]\n",
       "main.yaml: YAML aliases, which secdb files never use"},
      {"invalid JSON", R"({"distroversion": "v3.8", "packages": [)", "main.yaml: invalid JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    sink_ = CollectingSink();

    Status imported = ImportAlpineSecdb(c.document, "main.yaml", sink_, {});

    ASSERT_FALSE(imported.ok());
    EXPECT_EQ(imported.error().code(), ErrorCode::kCorruptInput);
    EXPECT_EQ(imported.error().message().rfind(c.message, 0), 0u) << imported.error().message();
  }
}

TEST_F(AlpineSecdbImporter, RefusesADocumentOverTheRecordLimit) {
  FeedLimits limits;
  limits.max_record_bytes = 1024;

  Status imported = ImportAlpineSecdbFile(VulndbData("alpine-secdb/v3.8/main.yaml"), sink_, limits);

  ASSERT_FALSE(imported.ok());
  EXPECT_EQ(imported.error().code(), ErrorCode::kLimitExceeded);
}

TEST(AlpineSecdbEntry, ReadsTheIdShapesOfRealEntries) {
  struct Case {
    const char* entry;
    std::vector<std::string> ids;
    std::vector<std::string> aliases;
  };
  const Case cases[] = {
      {"CVE-2017-3167", {"CVE-2017-3167"}, {}},
      {"CVE-2019-5060 TALOS-2019-0844", {"CVE-2019-5060"}, {"TALOS-2019-0844"}},
      {"CVE-2016-9932 XSA-200", {"CVE-2016-9932"}, {"XSA-200"}},
      {"CVE-2017-5753 CVE-2017-5715 CVE-2017-5754 XSA-254 XPTI",
       {"CVE-2017-5753", "CVE-2017-5715", "CVE-2017-5754"},
       {"XSA-254"}},
      {"CVE-\?\?\?\?-\?\?\?\?\?  XSA-295", {"XSA-295"}, {}},
      {"XSA-226", {"XSA-226"}, {}},
      {"wnpa-sec-2017-18", {"wnpa-sec-2017-18"}, {}},
      {"CVE-2017-17434-1", {"CVE-2017-17434"}, {}},
      {"CVE_2019-2426", {"CVE-2019-2426"}, {}},
      {"CVE 2018-16859", {"CVE-2018-16859"}, {}},
      {"CVE-2017-8073.patch", {"CVE-2017-8073"}, {}},
      {"CVE-2018-14468 (FrameRelay)", {"CVE-2018-14468"}, {}},
      {"CVE-2017-2616 (+ regression fix)", {"CVE-2017-2616"}, {}},
      {"CVE-2019-14822 ZBX-16532", {"CVE-2019-14822"}, {"ZBX-16532"}},
      {"CVE-2017-1000117", {"CVE-2017-1000117"}, {}},
      {"(no id at all)", {}, {}},
      {"", {}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.entry);

    internal::SecfixIds parsed = ParseSecfixEntry(c.entry);

    EXPECT_EQ(parsed.ids, c.ids);
    EXPECT_EQ(parsed.aliases, c.aliases);
  }
}

}  // namespace
}  // namespace bulwark::vulndb
