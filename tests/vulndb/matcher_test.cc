#include "vulndb/matcher.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace bulwark::vulndb {
namespace {

// An in-memory CandidateSource over advisories of one distribution release,
// answering as the advisory database does: only rows of that release, by name.
class FakeCandidates : public CandidateSource {
 public:
  FakeCandidates(std::string distro, std::vector<std::pair<std::string, Advisory>> records)
      : distro_(std::move(distro)) {
    for (auto& [source, advisory] : records) {
      int64_t key = static_cast<int64_t>(headers_.size());
      std::string_view name = *sources_.insert(source).first;
      for (const AffectedPackage& row : advisory.affected) {
        if (row.distro == distro_) rows_[row.package].push_back({name, key, row});
      }
      advisory.affected.clear();
      headers_.push_back(std::move(advisory));
    }
  }

  Result<CandidateIndex> Lookup(const std::vector<std::string>& names) override {
    ++lookups_;
    CandidateIndex index;
    for (const std::string& name : names) {
      auto rows = rows_.find(name);
      if (rows != rows_.end()) index[name] = rows->second;
    }
    return index;
  }

  Result<const Advisory*> LoadAdvisory(int64_t advisory_key) override {
    return &headers_.at(static_cast<size_t>(advisory_key));
  }

  int lookups() const { return lookups_; }

 private:
  std::string distro_;
  std::set<std::string> sources_;
  std::map<std::string, std::vector<Candidate>> rows_;
  std::vector<Advisory> headers_;
  int lookups_ = 0;
};

constexpr char kFocal[] = "ubuntu:20.04";

catalog::Package Deb(std::string name, std::string version, std::string source = "",
                     std::string source_version = "") {
  catalog::Package package;
  package.ecosystem = "deb";
  package.name = std::move(name);
  package.version = std::move(version);
  package.architecture = "amd64";
  package.source_name = source.empty() ? package.name : std::move(source);
  package.source_version = source_version.empty() ? package.version : std::move(source_version);
  package.db_path = "var/lib/dpkg/status";
  return package;
}

AffectedPackage Row(std::string package, FixState state, std::string fixed = "",
                    std::string distro = kFocal) {
  AffectedPackage row;
  row.distro = std::move(distro);
  row.package = std::move(package);
  row.ecosystem = version::Ecosystem::kDeb;
  row.state = state;
  if (!fixed.empty()) {
    row.ranges.push_back({"0", fixed, ""});
    row.fixed_version = std::move(fixed);
  }
  return row;
}

Advisory MakeAdvisory(std::string id, std::vector<AffectedPackage> rows,
                      std::vector<std::string> aliases = {}) {
  Advisory advisory;
  advisory.id = std::move(id);
  advisory.aliases = std::move(aliases);
  advisory.affected = std::move(rows);
  return advisory;
}

MatchReport MatchOrDie(std::vector<std::pair<std::string, Advisory>> records,
                       const std::vector<catalog::Package>& packages,
                       const std::string& distro = kFocal) {
  FakeCandidates candidates(distro, std::move(records));
  Result<MatchReport> report = MatchPackages(packages, candidates);
  EXPECT_TRUE(report.ok()) << report.error().message();
  return report.ok() ? std::move(report).value() : MatchReport{};
}

// An installed version of "foo" and whether an advisory affects it.
struct VersionCase {
  const char* installed;
  bool affected;
};

// Matches `advisory` against each installed version of "foo" on its own.
void ExpectAffectedVersions(const Advisory& advisory, std::initializer_list<VersionCase> cases) {
  for (const VersionCase& c : cases) {
    SCOPED_TRACE(c.installed);

    MatchReport report = MatchOrDie({{"feed", advisory}}, {Deb("foo", c.installed)});

    EXPECT_EQ(report.findings.size(), c.affected ? 1u : 0u);
  }
}

std::vector<std::string> FindingIds(const MatchReport& report) {
  std::vector<std::string> ids;
  for (const Finding& finding : report.findings) ids.push_back(finding.package + " " + finding.id);
  return ids;
}

TEST(Matcher, FixedStateAffectsOnlyVersionsBelowTheFix) {
  struct Case {
    const char* installed;
    bool affected;
  };
  const Case cases[] = {{"1.2-1", true}, {"1.2-2", false}, {"1.2-3", false}, {"1.1", true}};
  Advisory advisory = MakeAdvisory("CVE-2024-0001", {Row("foo", FixState::kFixed, "1.2-2")});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.installed);

    MatchReport report = MatchOrDie({{"feed", advisory}}, {Deb("foo", c.installed)});

    ASSERT_EQ(report.findings.size(), c.affected ? 1u : 0u);
    if (c.affected) {
      EXPECT_EQ(report.findings[0].state, FixState::kFixed);
      EXPECT_EQ(report.findings[0].fixed_version, "1.2-2");
      EXPECT_TRUE(report.findings[0].fixable());
    }
    EXPECT_TRUE(report.unmatched.empty());
  }
}

TEST(Matcher, NotFixedAndWontFixWithoutRangesAffectEveryVersion) {
  for (FixState state : {FixState::kNotFixed, FixState::kWontFix}) {
    SCOPED_TRACE(std::string(FixStateName(state)));
    Advisory advisory = MakeAdvisory("CVE-2024-0002", {Row("foo", state)});

    MatchReport report = MatchOrDie({{"feed", advisory}}, {Deb("foo", "0.1"), Deb("foo", "99:9")});

    ASSERT_EQ(report.findings.size(), 2u);
    for (const Finding& finding : report.findings) {
      EXPECT_EQ(finding.state, state);
      EXPECT_EQ(finding.fixed_version, "");
      EXPECT_FALSE(finding.fixable());
    }
  }
}

TEST(Matcher, NotAffectedNeverGivesAFinding) {
  AffectedPackage row = Row("foo", FixState::kNotAffected, "2.0");
  row.versions = {"1.0"};
  Advisory advisory = MakeAdvisory("CVE-2024-0003", {row});

  MatchReport report = MatchOrDie({{"feed", advisory}}, {Deb("foo", "1.0"), Deb("foo", "0.5")});

  EXPECT_TRUE(report.findings.empty());
  EXPECT_TRUE(report.unmatched.empty());
}

TEST(Matcher, NotAffectedOfOneSourceLeavesAnotherSourcesFinding) {
  Advisory clear = MakeAdvisory("CVE-2024-0004", {Row("foo", FixState::kNotAffected)});
  Advisory open = MakeAdvisory("CVE-2024-0004", {Row("foo", FixState::kNotFixed)});

  MatchReport report = MatchOrDie({{"a", clear}, {"b", open}}, {Deb("foo", "1.0")});

  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].sources, (std::vector<std::string>{"b"}));
}

TEST(Matcher, RangesHonourIntroducedFixedAndLastAffected) {
  AffectedPackage row = Row("foo", FixState::kFixed);
  row.ranges = {{"1.0", "1.5", ""}, {"2.0", "", "2.3"}};
  row.fixed_version = "1.5";
  Advisory advisory = MakeAdvisory("CVE-2024-0005", {row});

  ExpectAffectedVersions(advisory, {{"0.9", false},
                                    {"1.0", true},
                                    {"1.4", true},
                                    {"1.5", false},
                                    {"1.9", false},
                                    {"2.0", true},
                                    {"2.3", true},
                                    {"2.3-1", false}});
}

TEST(Matcher, VersionsAtOrAboveARangesLimitAreOutsideIt) {
  AffectedPackage row = Row("foo", FixState::kNotFixed);
  row.ranges = {{"1.0", "", "", "2.0"}, {"3.0", "3.5", "", "2.0"}};
  Advisory advisory = MakeAdvisory("CVE-2024-0009", {row});

  // The open range stops below the limit; the second range lies wholly
  // above it, so none of its versions are affected.
  ExpectAffectedVersions(advisory, {{"0.9", false},
                                    {"1.0", true},
                                    {"1.9", true},
                                    {"2.0", false},
                                    {"2.1", false},
                                    {"3.1", false}});
}

TEST(Matcher, FixedVersionIsTheFixOfTheRangeThatMatched) {
  AffectedPackage row = Row("foo", FixState::kFixed);
  row.ranges = {{"0", "1.5", ""}, {"2.0", "2.4", ""}};
  row.fixed_version = "1.5";
  Advisory advisory = MakeAdvisory("CVE-2024-0006", {row});

  MatchReport report = MatchOrDie({{"feed", advisory}}, {Deb("foo", "2.1")});

  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].fixed_version, "2.4");
}

TEST(Matcher, ListedVersionsAreAffectedBesidesRanges) {
  AffectedPackage row = Row("foo", FixState::kFixed, "1.0");
  row.versions = {"1.1", "1:1.3"};
  Advisory advisory = MakeAdvisory("CVE-2024-0007", {row});

  // "0:1.1" equals "1.1" in dpkg's ordering, though not as text.
  ExpectAffectedVersions(advisory, {{"0.9", true},
                                    {"1.1", true},
                                    {"0:1.1", true},
                                    {"1.2", false},
                                    {"1.3", false},
                                    {"1:1.3", true}});
}

TEST(Matcher, DebComparesTheSourceVersionOfABinNmu) {
  // foo-bin 1.2-3+b1 is a binNMU of source foo 1.2-3; the feed says the last
  // affected source version is 1.2-3, which the binary version is above.
  AffectedPackage row = Row("foo", FixState::kFixed);
  row.ranges = {{"0", "", "1.2-3"}};
  Advisory advisory = MakeAdvisory("CVE-2024-0008", {row});

  MatchReport report =
      MatchOrDie({{"feed", advisory}}, {Deb("foo-bin", "1.2-3+b1", "foo", "1.2-3")});

  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& finding = report.findings[0];
  EXPECT_EQ(finding.package, "foo-bin");
  EXPECT_EQ(finding.version, "1.2-3+b1");
  EXPECT_EQ(finding.source_package, "foo");
  EXPECT_EQ(finding.source_version, "1.2-3");
}

TEST(Matcher, DebMatchesASourceWhoseVersionLacksTheBinaryEpoch) {
  // Ubuntu 20.04's bsdutils is 1:2.34-0.1ubuntu9.3, built from util-linux
  // 2.34-0.1ubuntu9.3: the epoch would put the binary above every fix.
  Advisory advisory =
      MakeAdvisory("CVE-2024-0009", {Row("util-linux", FixState::kFixed, "2.34-0.1ubuntu9.4")});

  MatchReport report =
      MatchOrDie({{"feed", advisory}},
                 {Deb("bsdutils", "1:2.34-0.1ubuntu9.3", "util-linux", "2.34-0.1ubuntu9.3")});

  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].package, "bsdutils");
  EXPECT_EQ(report.findings[0].fixed_version, "2.34-0.1ubuntu9.4");
}

TEST(Matcher, ApkMatchesByOrigin) {
  catalog::Package libcrypto;
  libcrypto.ecosystem = "apk";
  libcrypto.name = "libcrypto3";
  libcrypto.version = "3.3.2-r0";
  libcrypto.source_name = "openssl";
  libcrypto.source_version = "3.3.2-r0";
  AffectedPackage row = Row("openssl", FixState::kFixed, "3.3.2-r1", "alpine:3.20");
  row.ecosystem = version::Ecosystem::kApk;
  Advisory advisory = MakeAdvisory("CVE-2024-9143", {row});

  MatchReport report = MatchOrDie({{"secdb", advisory}}, {libcrypto}, "alpine:3.20");

  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].ecosystem, "apk");
  EXPECT_EQ(report.findings[0].package, "libcrypto3");
  EXPECT_EQ(report.findings[0].source_package, "openssl");
  EXPECT_EQ(report.findings[0].fixed_version, "3.3.2-r1");
}

catalog::Package OpensslLibs() {
  catalog::Package package;
  package.ecosystem = "rpm";
  package.name = "openssl-libs";
  package.epoch = "1";
  package.version = "1:3.0.7-27.el9";
  package.architecture = "x86_64";
  package.source_rpm = "openssl-3.0.7-27.el9.src.rpm";
  package.db_path = "var/lib/rpm/rpmdb.sqlite";
  return package;
}

TEST(Matcher, RpmKeysAreTheSourceRpmWithTheBinaryEpochThenTheBinary) {
  const Matcher* rpm = MatcherFor("rpm");
  std::string note;

  std::vector<LookupKey> keys = rpm->Keys(OpensslLibs(), &note);

  EXPECT_EQ(keys, (std::vector<LookupKey>{{"openssl", "1:3.0.7-27.el9"},
                                          {"openssl-libs", "1:3.0.7-27.el9"}}));
  EXPECT_EQ(note, "");
}

TEST(Matcher, RpmWithAnUnreadableSourceRpmIsLookedUpByBinaryAndSaysSo) {
  catalog::Package package = OpensslLibs();
  package.source_rpm = "openssl.src";
  std::string note;

  std::vector<LookupKey> keys = MatcherFor("rpm")->Keys(package, &note);

  EXPECT_EQ(keys, (std::vector<LookupKey>{{"openssl-libs", "1:3.0.7-27.el9"}}));
  EXPECT_NE(note.find("openssl.src"), std::string::npos);
}

bool RpmOrderingAvailable() {
  return version::Compare(version::Ecosystem::kRpm, "1.0-1", "1.0-2").ok();
}

TEST(Matcher, RpmMatchesBySourceNameWithEpoch) {
  if (!RpmOrderingAvailable()) GTEST_SKIP() << "rpm version ordering is not built yet";
  AffectedPackage row = Row("openssl", FixState::kFixed, "1:3.0.7-28.el9", "rocky:9");
  row.ecosystem = version::Ecosystem::kRpm;
  Advisory advisory = MakeAdvisory("RLSA-2024:0001", {row}, {"CVE-2024-0010"});

  MatchReport report = MatchOrDie({{"rocky", advisory}}, {OpensslLibs()}, "rocky:9");

  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].id, "CVE-2024-0010");
  EXPECT_EQ(report.findings[0].source_package, "openssl");
  EXPECT_EQ(report.findings[0].source_version, "1:3.0.7-27.el9");
  EXPECT_TRUE(report.unmatched.empty());
}

TEST(Matcher, RpmMatchesByBinaryNameWithEpoch) {
  if (!RpmOrderingAvailable()) GTEST_SKIP() << "rpm version ordering is not built yet";
  // The older fix 3.0.8-1.el9 has epoch 0, so the installed 1:3.0.7-27.el9
  // is above it; without its epoch it would be below.
  AffectedPackage fixed = Row("openssl-libs", FixState::kFixed, "1:3.0.7-28.el9", "rhel:9");
  fixed.ecosystem = version::Ecosystem::kRpm;
  AffectedPackage old = Row("openssl-libs", FixState::kFixed, "3.0.8-1.el9", "rhel:9");
  old.ecosystem = version::Ecosystem::kRpm;
  Advisory advisory = MakeAdvisory("RHSA-2024:0002", {fixed}, {"CVE-2024-0011"});
  Advisory older = MakeAdvisory("RHSA-2023:0003", {old}, {"CVE-2023-0012"});

  MatchReport report =
      MatchOrDie({{"redhat", advisory}, {"redhat", older}}, {OpensslLibs()}, "rhel:9");

  ASSERT_EQ(FindingIds(report), (std::vector<std::string>{"openssl-libs CVE-2024-0011"}));
  EXPECT_EQ(report.findings[0].source_package, "openssl-libs");
}

TEST(Matcher, RefusedVersionIsListedAsUnmatchedNotSkipped) {
  Advisory broken = MakeAdvisory("CVE-2024-0013", {Row("foo", FixState::kFixed, "not a version")});
  Advisory good = MakeAdvisory("CVE-2024-0014", {Row("foo", FixState::kFixed, "2.0")});

  MatchReport report = MatchOrDie({{"feed", broken}, {"feed", good}}, {Deb("foo", "1.0")});

  ASSERT_EQ(report.unmatched.size(), 1u);
  EXPECT_EQ(report.unmatched[0].rfind("foo 1.0: CVE-2024-0013 (feed): ", 0), 0u)
      << report.unmatched[0];
  EXPECT_EQ(FindingIds(report), (std::vector<std::string>{"foo CVE-2024-0014"}));
}

TEST(Matcher, PackageOfAnEcosystemWithoutMatcherIsUnmatched) {
  catalog::Package wheel;
  wheel.ecosystem = "pypi";
  wheel.name = "requests";
  wheel.version = "2.0";

  MatchReport report = MatchOrDie({}, {wheel});

  EXPECT_TRUE(report.findings.empty());
  ASSERT_EQ(report.unmatched.size(), 1u);
  EXPECT_NE(report.unmatched[0].find("requests 2.0: no advisory matching"), std::string::npos);
}

TEST(Matcher, MergesADistributionRecordWithItsCve) {
  Advisory ubuntu = MakeAdvisory("UBUNTU-CVE-2022-37434", {Row("zlib", FixState::kFixed, "1.3")});
  Advisory nvd = MakeAdvisory("CVE-2022-37434", {Row("zlib", FixState::kFixed, "1.3")});

  MatchReport report =
      MatchOrDie({{"ubuntu-osv", ubuntu}, {"other", nvd}}, {Deb("zlib1g", "1.2", "zlib", "1.2")});

  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& finding = report.findings[0];
  EXPECT_EQ(finding.id, "CVE-2022-37434");
  EXPECT_EQ(finding.aliases, (std::vector<std::string>{"UBUNTU-CVE-2022-37434"}));
  EXPECT_EQ(finding.sources, (std::vector<std::string>{"other", "ubuntu-osv"}));
}

TEST(Matcher, NoticeNamingSeveralCvesJoinsEachOfThem) {
  Advisory notice = MakeAdvisory("DSA-5000-1", {Row("foo", FixState::kFixed, "2.0")},
                                 {"CVE-2024-1000", "CVE-2024-1001"});
  Advisory first = MakeAdvisory("DEBIAN-CVE-2024-1000", {Row("foo", FixState::kFixed, "2.0")});

  MatchReport report = MatchOrDie({{"debian", notice}, {"debian", first}}, {Deb("foo", "1.0")});

  ASSERT_EQ(FindingIds(report),
            (std::vector<std::string>{"foo CVE-2024-1000", "foo CVE-2024-1001"}));
  EXPECT_EQ(report.findings[0].aliases,
            (std::vector<std::string>{"DEBIAN-CVE-2024-1000", "DSA-5000-1"}));
  EXPECT_EQ(report.findings[1].aliases, (std::vector<std::string>{"DSA-5000-1"}));
}

TEST(Matcher, RecordsWithoutCveMergeBySharedIdUnderTheSmallestId) {
  Advisory first = MakeAdvisory("OSV-B", {Row("foo", FixState::kNotFixed)}, {"GHSA-1"});
  Advisory second = MakeAdvisory("OSV-A", {Row("foo", FixState::kNotFixed)}, {"GHSA-1"});
  Advisory alone = MakeAdvisory("OSV-C", {Row("foo", FixState::kNotFixed)});

  MatchReport report = MatchOrDie({{"s", first}, {"s", second}, {"s", alone}}, {Deb("foo", "1.0")});

  ASSERT_EQ(FindingIds(report), (std::vector<std::string>{"foo OSV-A", "foo OSV-C"}));
  EXPECT_EQ(report.findings[0].aliases, (std::vector<std::string>{"GHSA-1", "OSV-B"}));
}

TEST(Matcher, RecordsWithoutCveMergeThroughAChainOfSharedIds) {
  Advisory first = MakeAdvisory("OSV-A", {Row("foo", FixState::kNotFixed)}, {"X-1"});
  Advisory second = MakeAdvisory("OSV-B", {Row("foo", FixState::kNotFixed)}, {"Y-1"});
  Advisory bridge = MakeAdvisory("OSV-C", {Row("foo", FixState::kNotFixed)}, {"X-1", "Y-1"});

  MatchReport report =
      MatchOrDie({{"s", first}, {"s", second}, {"s", bridge}}, {Deb("foo", "1.0")});

  ASSERT_EQ(FindingIds(report), (std::vector<std::string>{"foo OSV-A"}));
  EXPECT_EQ(report.findings[0].aliases, (std::vector<std::string>{"OSV-B", "OSV-C", "X-1", "Y-1"}));
}

TEST(Matcher, RecordWithoutCveJoinsTheCveThatNamesIt) {
  Advisory cve = MakeAdvisory("CVE-2024-7000", {Row("foo", FixState::kNotFixed)}, {"GHSA-7"});
  Advisory ghsa = MakeAdvisory("GHSA-7", {Row("foo", FixState::kNotFixed)});

  MatchReport report = MatchOrDie({{"a", cve}, {"b", ghsa}}, {Deb("foo", "1.0")});

  ASSERT_EQ(FindingIds(report), (std::vector<std::string>{"foo CVE-2024-7000"}));
  EXPECT_EQ(report.findings[0].sources, (std::vector<std::string>{"a", "b"}));
}

TEST(Matcher, IdenticalPackagesStillComeOutSortedById) {
  Advisory b = MakeAdvisory("CVE-2024-8001", {Row("foo", FixState::kNotFixed)});
  Advisory a = MakeAdvisory("CVE-2024-8000", {Row("foo", FixState::kNotFixed)});
  catalog::Package twice = Deb("foo", "1.0");

  MatchReport report = MatchOrDie({{"s", b}, {"s", a}}, {twice, twice});

  EXPECT_EQ(FindingIds(report),
            (std::vector<std::string>{"foo CVE-2024-8000", "foo CVE-2024-8000", "foo CVE-2024-8001",
                                      "foo CVE-2024-8001"}));
}

TEST(Matcher, DisagreeingRecordsKeepTheMostConservativeState) {
  struct Case {
    const char* name;
    std::vector<FixState> states;
    std::vector<std::string> fixes;
    FixState expected_state;
    std::string expected_fix;
  };
  const Case cases[] = {
      {"affected wins over fixed",
       {FixState::kFixed, FixState::kNotFixed},
       {"2.0", ""},
       FixState::kNotFixed,
       ""},
      {"not fixed over will not fix",
       {FixState::kWontFix, FixState::kNotFixed},
       {"", ""},
       FixState::kNotFixed,
       ""},
      {"will not fix over fixed",
       {FixState::kFixed, FixState::kWontFix},
       {"2.0", ""},
       FixState::kWontFix,
       ""},
      {"highest fix",
       {FixState::kFixed, FixState::kFixed},
       {"1.10", "1.9"},
       FixState::kFixed,
       "1.10"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::pair<std::string, Advisory>> records;
    for (size_t i = 0; i < c.states.size(); ++i) {
      records.push_back({"source" + std::to_string(i),
                         MakeAdvisory("CVE-2024-2000", {Row("foo", c.states[i], c.fixes[i])})});
    }

    MatchReport report = MatchOrDie(records, {Deb("foo", "1.0")});

    ASSERT_EQ(report.findings.size(), 1u);
    EXPECT_EQ(report.findings[0].state, c.expected_state);
    EXPECT_EQ(report.findings[0].fixed_version, c.expected_fix);
  }
}

TEST(Matcher, SeverityPrefersTheDistributionThenCvss) {
  struct Case {
    const char* name;
    Severity row;
    Severity advisory;
    double cvss;
    Severity expected;
    const char* source;
  };
  const Case cases[] = {
      {"release rating wins", Severity::kLow, Severity::kHigh, 9.8, Severity::kLow, "distribution"},
      {"record rating next", Severity::kUnknown, Severity::kHigh, 2.0, Severity::kHigh,
       "distribution"},
      {"cvss when no rating", Severity::kUnknown, Severity::kUnknown, 9.8, Severity::kCritical,
       "cvss"},
      {"unknown when neither", Severity::kUnknown, Severity::kUnknown, -1, Severity::kUnknown, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    AffectedPackage row = Row("foo", FixState::kNotFixed);
    row.severity = c.row;
    Advisory advisory = MakeAdvisory("CVE-2024-3000", {row});
    advisory.severity = c.advisory;
    advisory.cvss_score = c.cvss;
    advisory.cvss_vector = c.cvss >= 0 ? "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" : "";

    MatchReport report = MatchOrDie({{"feed", advisory}}, {Deb("foo", "1.0")});

    ASSERT_EQ(report.findings.size(), 1u);
    EXPECT_EQ(report.findings[0].severity, c.expected);
    EXPECT_EQ(report.findings[0].severity_source, c.source);
    EXPECT_EQ(report.findings[0].cvss_score, c.cvss);
  }
}

TEST(Matcher, NoticeRatingDoesNotRaiseARatedCve) {
  AffectedPackage low = Row("foo", FixState::kNotFixed);
  low.severity = Severity::kLow;
  AffectedPackage high = Row("foo", FixState::kNotFixed);
  high.severity = Severity::kHigh;
  Advisory cve = MakeAdvisory("UBUNTU-CVE-2024-4000", {low});
  Advisory notice = MakeAdvisory("USN-1-1", {high}, {"CVE-2024-4000", "CVE-2024-4001"});

  MatchReport report = MatchOrDie({{"u", cve}, {"u", notice}}, {Deb("foo", "1.0")});

  ASSERT_EQ(FindingIds(report),
            (std::vector<std::string>{"foo CVE-2024-4000", "foo CVE-2024-4001"}));
  EXPECT_EQ(report.findings[0].severity, Severity::kLow);
  EXPECT_EQ(report.findings[1].severity, Severity::kHigh);
}

TEST(Matcher, FindingCopiesThePackageAndItsLayer) {
  catalog::Package package = Deb("libfoo1", "1.0-1", "foo", "1.0-1");
  package.layer_index = 2;
  Advisory advisory = MakeAdvisory("CVE-2024-5000", {Row("foo", FixState::kFixed, "1.0-2")});
  advisory.summary = "heap overflow";
  advisory.published = "2024-01-02T03:04:05Z";
  advisory.references = {"https://example.org/CVE-2024-5000"};

  MatchReport report = MatchOrDie({{"feed", advisory}}, {package});

  ASSERT_EQ(report.findings.size(), 1u);
  const Finding& finding = report.findings[0];
  EXPECT_EQ(finding.layer_index, 2);
  EXPECT_EQ(finding.ecosystem, "deb");
  EXPECT_EQ(finding.architecture, "amd64");
  EXPECT_EQ(finding.db_path, "var/lib/dpkg/status");
  EXPECT_EQ(finding.summary, "heap overflow");
  EXPECT_EQ(finding.published, "2024-01-02T03:04:05Z");
  EXPECT_EQ(finding.references, advisory.references);
}

TEST(Matcher, FindingsAreSortedAndEachSourceKeyLookedUpOnce) {
  Advisory b = MakeAdvisory("CVE-2024-6001", {Row("foo", FixState::kNotFixed)});
  Advisory a = MakeAdvisory("CVE-2024-6000", {Row("foo", FixState::kNotFixed)});
  FakeCandidates candidates(kFocal, {{"feed", b}, {"feed", a}});
  std::vector<catalog::Package> packages = {Deb("libfoo2", "1.0", "foo", "1.0"),
                                            Deb("libfoo1", "1.0", "foo", "1.0")};

  Result<MatchReport> report = MatchPackages(packages, candidates);

  ASSERT_TRUE(report.ok());
  EXPECT_EQ(FindingIds(*report),
            (std::vector<std::string>{"libfoo1 CVE-2024-6000", "libfoo1 CVE-2024-6001",
                                      "libfoo2 CVE-2024-6000", "libfoo2 CVE-2024-6001"}));
  EXPECT_EQ(candidates.lookups(), 1);
}

}  // namespace
}  // namespace bulwark::vulndb
