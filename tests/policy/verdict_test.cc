#include "policy/verdict.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/policy.h"

namespace bulwark::policy {
namespace {

constexpr char kDigest[] =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

Policy MustParse(const std::string& document) {
  auto policy = ParsePolicy(document, "policy.yaml");
  EXPECT_TRUE(policy.ok()) << policy.error().message();
  return policy.ok() ? *policy : Policy{};
}

std::vector<Digest> Chain(size_t length) {
  std::vector<Digest> chain;
  for (size_t i = 0; i < length; ++i) chain.push_back(Sha256Of("layer " + std::to_string(i)));
  return chain;
}

lineage::RegisteredImage Registered(std::vector<std::string> names, size_t layers,
                                    const std::string& seed) {
  lineage::RegisteredImage image;
  image.image_id = Sha256Of("config " + seed);
  image.manifest_digests = {Sha256Of("manifest " + seed)};
  image.names = std::move(names);
  image.chain = Chain(layers);
  return image;
}

catalog::Package Package(const std::string& ecosystem, const std::string& name,
                         const std::string& version, const std::string& architecture) {
  catalog::Package package;
  package.ecosystem = ecosystem;
  package.name = name;
  package.version = version;
  package.architecture = architecture;
  package.source_name = name;
  package.source_version = version;
  return package;
}

catalog::Package Deb(const std::string& name, const std::string& version) {
  catalog::Package package = Package("deb", name, version, "amd64");
  package.db_path = "var/lib/dpkg/status";
  return package;
}

// An image of 5 layers whose registered ancestors are given.
Facts ImageFacts(const std::vector<lineage::RegisteredImage>& registered) {
  Facts facts;
  facts.image_id = Sha256Of("config scanned");
  facts.user = "app";
  facts.lineage = lineage::FindAncestors(Chain(5), registered);
  return facts;
}

const ControlResult& OnlyControl(const Verdict& verdict) {
  EXPECT_EQ(verdict.policies.size(), 1u);
  EXPECT_EQ(verdict.policies.at(0).controls.size(), 1u);
  return verdict.policies.at(0).controls.at(0);
}

bool HasEvidence(const ControlResult& result, const std::string& text) {
  for (const std::string& line : result.evidence) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

const char kApprovedPolicy[] =
    "name: base\ncontrols:\n  approvedBaseImages:\n    - registry.example.com/base:1.0\n";

TEST(ApprovedBaseImagesControl, PassesWhenAnApprovedImageIsAnAncestor) {
  Policy policy = MustParse(kApprovedPolicy);
  Facts facts = ImageFacts({Registered({"registry.example.com/base:1.0"}, 3, "base")});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.control, "approvedBaseImages");
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_TRUE(HasEvidence(result, "registry.example.com/base:1.0 (image sha256:"));
  EXPECT_TRUE(HasEvidence(result, "owns 3 of 5 layers"));
  EXPECT_TRUE(verdict.compliant());
}

TEST(ApprovedBaseImagesControl, PassesWhenTheImageItselfIsRegisteredUnderAnApprovedName) {
  Policy policy = MustParse(kApprovedPolicy);
  Facts facts = ImageFacts({Registered({"registry.example.com/base:1.0"}, 5, "self")});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_NE(result.summary.find("itself"), std::string::npos);
}

TEST(ApprovedBaseImagesControl, FailsNamingTheNearestAncestorAndWhatIsApproved) {
  Policy policy = MustParse(kApprovedPolicy);
  Facts facts = ImageFacts({Registered({"registry.example.com/base:2.0"}, 4, "base2"),
                            Registered({"docker.io/library/debian:12"}, 1, "debian")});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  ASSERT_GE(result.evidence.size(), 3u);
  EXPECT_EQ(
      result.evidence[0].rfind("nearest registered ancestor: registry.example.com/base:2.0", 0),
      0u);
  EXPECT_TRUE(HasEvidence(result, "owns 4 of 5 layers"));
  EXPECT_TRUE(HasEvidence(result, "other registered ancestor: docker.io/library/debian:12"));
  EXPECT_EQ(result.evidence.back(), "policy approves: registry.example.com/base:1.0");
  EXPECT_FALSE(verdict.compliant());
  EXPECT_TRUE(verdict.blocking());
}

TEST(ApprovedBaseImagesControl, FailsSayingNoRegisteredImageIsAPrefix) {
  Policy policy = MustParse(kApprovedPolicy);
  Facts facts = ImageFacts({});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence.front(), "no registered image is a prefix of this image's 5 layers");
}

TEST(ApprovedBaseImagesControl, FailureNamesTheImageItselfWhenOnlyItIsRegistered) {
  Policy policy = MustParse(kApprovedPolicy);
  lineage::RegisteredImage self = Registered({"registry.example.com/app:1"}, 5, "self");
  Facts facts = ImageFacts({self});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  ASSERT_EQ(result.evidence.size(), 2u);
  EXPECT_EQ(result.evidence[0],
            "the image itself is registered as registry.example.com/app:1 "
            "(image " +
                self.image_id.Short() + "); no other registered image is a prefix of its 5 layers");
  EXPECT_EQ(result.evidence[1], "policy approves: registry.example.com/base:1.0");
}

TEST(ApprovedBaseImagesControl, PassForTheImageItselfDoesNotCallItAnAncestor) {
  Policy policy = MustParse(kApprovedPolicy);
  Facts facts = ImageFacts({Registered({"registry.example.com/base:1.0"}, 5, "self")});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  ASSERT_FALSE(result.evidence.empty());
  EXPECT_EQ(result.evidence[0].rfind("the image itself, registered as approved: ", 0), 0u);
  EXPECT_FALSE(HasEvidence(result, "approved ancestor"));
}

TEST(ApprovedBaseImagesControl, NeverTrustsNamesOnTheScannedImage) {
  Policy policy = MustParse(kApprovedPolicy);
  Facts facts = ImageFacts({});
  facts.names = {"registry.example.com/base:1.0"};
  facts.labels["org.opencontainers.image.base.name"] = "registry.example.com/base:1.0";

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_EQ(OnlyControl(verdict).outcome, Outcome::kFail);
}

TEST(ApprovedBaseImagesControl, PinnedDigestNeedsBothDigestAndName) {
  Policy policy = MustParse(std::string("name: pinned\ncontrols:\n  approvedBaseImages:\n"
                                        "    - registry.example.com/base@") +
                            kDigest + "\n");
  auto right = Registered({"registry.example.com/base:1.0"}, 2, "right");
  right.manifest_digests.push_back(*Digest::Parse(kDigest));
  auto wrong_digest = Registered({"registry.example.com/base:1.0"}, 2, "wrong-digest");
  auto wrong_name = Registered({"registry.example.com/impostor:1.0"}, 2, "wrong-name");
  wrong_name.image_id = *Digest::Parse(kDigest);

  Verdict with_right = Evaluate({policy}, ImageFacts({right}));
  Verdict with_wrong_digest = Evaluate({policy}, ImageFacts({wrong_digest}));
  Verdict with_wrong_name = Evaluate({policy}, ImageFacts({wrong_name}));

  EXPECT_EQ(OnlyControl(with_right).outcome, Outcome::kPass);
  EXPECT_EQ(OnlyControl(with_wrong_digest).outcome, Outcome::kFail);
  EXPECT_EQ(OnlyControl(with_wrong_name).outcome, Outcome::kFail);
}

const char kBlockedPolicy[] = R"(name: packages
controls:
  blockedPackages:
    - name: telnet
    - name: openssl
      version: "< 3.0.11-1~deb12u2"
)";

TEST(BlockedPackagesControl, FailsListingEveryBlockedPackage) {
  Policy policy = MustParse(kBlockedPolicy);
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("openssl", "3.0.9-1"), Deb("telnet", "0.17-44"),
                              Deb("zlib1g", "1:1.2.13.dfsg-1")};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  ASSERT_EQ(result.evidence.size(), 2u);
  EXPECT_EQ(result.evidence[0], "telnet 0.17-44 (deb, amd64) is blocked by telnet (line 4)");
  EXPECT_EQ(result.evidence[1],
            "openssl 3.0.9-1 (deb, amd64) is blocked by openssl < 3.0.11-1~deb12u2 (line 5)");
}

TEST(BlockedPackagesControl, PassesWhenVersionIsOutsideTheConstraint) {
  Policy policy = MustParse(kBlockedPolicy);
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("openssl", "3.0.11-1~deb12u2"), Deb("libssl3", "3.0.9-1")};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_TRUE(result.evidence.empty());
}

TEST(BlockedPackagesControl, MatchesBinaryNamesNotSourceNames) {
  Policy policy = MustParse(kBlockedPolicy);
  Facts facts = ImageFacts({});
  catalog::Package libssl = Deb("libssl3", "3.0.9-1");
  libssl.source_name = "openssl";
  facts.inventory.packages = {libssl};

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_EQ(OnlyControl(verdict).outcome, Outcome::kPass);
}

TEST(BlockedPackagesControl, MatchesNamesWithoutRegardToLetterCase) {
  Policy policy = MustParse("name: p\ncontrols:\n  blockedPackages:\n    - name: Telnet\n"
                            "    - name: NetworkManager\n");
  Facts facts = ImageFacts({});
  catalog::Package rpm = Deb("NetworkManager", "1:1.42.2-1.el9");
  rpm.ecosystem = "rpm";
  facts.inventory.packages = {Deb("telnet", "0.17-44"), rpm};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence.size(), 2u);
}

TEST(BlockedPackagesControl, FailsClosedWhenAVersionCannotBeCompared) {
  Policy policy = MustParse(kBlockedPolicy);
  struct Case {
    const char* label;
    catalog::Package package;
  };
  catalog::Package unknown_ecosystem = Deb("openssl", "3.0.9-1");
  unknown_ecosystem.ecosystem = "pacman";
  const Case cases[] = {{"invalid deb version", Deb("openssl", "")},
                        {"unknown ecosystem", unknown_ecosystem}};
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    Facts facts = ImageFacts({});
    facts.inventory.packages = {test_case.package};

    Verdict verdict = Evaluate({policy}, facts);

    const ControlResult& result = OnlyControl(verdict);
    EXPECT_EQ(result.outcome, Outcome::kFail);
    ASSERT_EQ(result.evidence.size(), 1u);
    EXPECT_NE(result.evidence[0].find("may be blocked by openssl"), std::string::npos);
    EXPECT_NE(result.evidence[0].find("cannot compare"), std::string::npos);
  }
}

TEST(BlockedPackagesControl, ComparesInThePackagesOwnEcosystem) {
  Policy policy = MustParse(
      "name: apk\ncontrols:\n  blockedPackages:\n"
      "    - {name: busybox, version: '< 1.36.1-r7'}\n");
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Package("apk", "busybox", "1.36.1-r5", "x86_64")};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  ASSERT_EQ(result.evidence.size(), 1u);
  EXPECT_EQ(result.evidence[0],
            "busybox 1.36.1-r5 (apk, x86_64) is blocked by busybox < 1.36.1-r7 (line 4)");
}

// The inventory gaps a tester found: a dpkg status file taken for a vcpkg
// database, and a status.d entry that is a symlink.
std::vector<catalog::CoverageGap> TwoGaps() {
  return {{"var/lib/dpkg/status", "not a vcpkg status database: no Version field"},
          {"var/lib/dpkg/status.d/telnet", "a symlink, not a regular file"}};
}

TEST(BlockedPackagesControl, FailsClosedWhenTheInventoryHasCoverageGaps) {
  Policy policy = MustParse(kBlockedPolicy);
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("zlib1g", "1:1.2.13.dfsg-1")};
  facts.inventory.gaps = {TwoGaps()[0]};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.summary,
            "The package inventory is incomplete: 1 database could not be read, so blocked "
            "packages cannot be ruled out.");
  ASSERT_EQ(result.evidence.size(), 1u);
  EXPECT_EQ(result.evidence[0],
            "package database not read: var/lib/dpkg/status: not a vcpkg status database: no "
            "Version field");
  EXPECT_FALSE(verdict.compliant());
  EXPECT_TRUE(verdict.blocking());
}

TEST(BlockedPackagesControl, ListsBlockedPackagesThenEveryCoverageGap) {
  Policy policy = MustParse(kBlockedPolicy);
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("telnet", "0.17-44")};
  facts.inventory.gaps = TwoGaps();

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.summary,
            "1 blocked package installed; the package inventory is also incomplete: 2 databases "
            "could not be read.");
  ASSERT_EQ(result.evidence.size(), 3u);
  EXPECT_EQ(result.evidence[0], "telnet 0.17-44 (deb, amd64) is blocked by telnet (line 4)");
  EXPECT_EQ(result.evidence[1].rfind("package database not read: var/lib/dpkg/status: ", 0), 0u);
  EXPECT_EQ(result.evidence[2],
            "package database not read: var/lib/dpkg/status.d/telnet: a symlink, not a regular "
            "file");
}

TEST(BlockedPackagesControl, PassCountsThePackagesChecked) {
  Policy policy = MustParse(kBlockedPolicy);
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("zlib1g", "1:1.2.13.dfsg-1")};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.summary, "No blocked package is installed (1 package checked).");
}

TEST(RequiredPackagesControl, FailsForEachUnsatisfiedRule) {
  Policy policy = MustParse(R"(name: required
controls:
  requiredPackages:
    - name: ca-certificates
    - name: tzdata
      version: ">= 2024a-0+deb12u1"
    - name: libc6
)");
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("libc6", "2.36-9+deb12u7"), Deb("tzdata", "2023c-5")};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  ASSERT_EQ(result.evidence.size(), 2u);
  EXPECT_EQ(result.evidence[0], "required ca-certificates (line 4) is not installed");
  EXPECT_EQ(result.evidence[1],
            "required tzdata >= 2024a-0+deb12u1 (line 5) is not installed; tzdata 2023c-5 (deb, "
            "amd64) is installed but does not satisfy the version");
  EXPECT_EQ(result.summary, "2 of 3 required package rules not satisfied.");
}

TEST(RequiredPackagesControl, PassesWhenEveryRuleIsSatisfied) {
  Policy policy = MustParse(
      "name: r\ncontrols:\n  requiredPackages:\n"
      "    - {name: ca-certificates, version: '>= 20230311'}\n");
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("ca-certificates", "20230311")};

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_EQ(OnlyControl(verdict).outcome, Outcome::kPass);
}

TEST(RequiredPackagesControl, FailsClosedWhenTheInventoryHasCoverageGaps) {
  Policy policy =
      MustParse("name: r\ncontrols:\n  requiredPackages:\n    - name: ca-certificates\n");
  Facts facts = ImageFacts({});
  facts.inventory.packages = {Deb("ca-certificates", "20230311")};
  facts.inventory.gaps = TwoGaps();

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.summary,
            "Every required package was found, but the package inventory is incomplete: 2 "
            "databases could not be read, so the control fails closed.");
  ASSERT_EQ(result.evidence.size(), 2u);
  EXPECT_EQ(result.evidence[0].rfind("package database not read: var/lib/dpkg/status: ", 0), 0u);
  EXPECT_EQ(result.evidence[1].rfind("package database not read: var/lib/dpkg/status.d/", 0), 0u);
}

TEST(RequiredPackagesControl, MissingPackageWithCoverageGapsSaysItMayBeUnread) {
  Policy policy = MustParse("name: r\ncontrols:\n  requiredPackages:\n    - name: tzdata\n");
  Facts facts = ImageFacts({});
  facts.inventory.gaps = {TwoGaps()[1]};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.summary,
            "1 of 1 required package rule not satisfied; the package inventory is also "
            "incomplete: 1 database could not be read, so some of them may be in what was not "
            "read.");
  ASSERT_EQ(result.evidence.size(), 2u);
  EXPECT_EQ(result.evidence[0], "required tzdata (line 4) is not installed");
}

TEST(Evaluate, CoverageGapsLeaveControlsWithoutPackagesUnaffected) {
  Policy policy = MustParse(
      "name: p\ncontrols:\n  approvedBaseImages: [registry.example.com/base:1.0]\n"
      "  superuser: deny\n  labels: {required: [a]}\n");
  Facts facts = ImageFacts({Registered({"registry.example.com/base:1.0"}, 3, "base")});
  facts.user = "1000";
  facts.labels = {{"a", "1"}};
  facts.inventory.gaps = TwoGaps();

  Verdict verdict = Evaluate({policy}, facts);

  ASSERT_EQ(verdict.policies.size(), 1u);
  ASSERT_EQ(verdict.policies[0].controls.size(), 3u);
  for (const ControlResult& control : verdict.policies[0].controls) {
    SCOPED_TRACE(control.control);
    EXPECT_EQ(control.outcome, Outcome::kPass);
  }
  EXPECT_TRUE(verdict.compliant());
}

// Facts for `user` in an image whose /etc/passwd lists `users`.
Facts UserFacts(const std::string& user, std::vector<catalog::UserAccount> users) {
  Facts facts = ImageFacts({});
  facts.user = user;
  facts.inventory.users = std::move(users);
  facts.inventory.passwd_found = true;
  return facts;
}

TEST(SuperuserControl, DecidesByTheUserPart) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  const std::vector<catalog::UserAccount> passwd = {
      {"root", 0, 0}, {"nobody", 65534, 65534}, {"app", 1000, 1000}, {"rooty", 1001, 1001}};
  struct Case {
    const char* user;
    Outcome expected;
  };
  const Case cases[] = {
      {"", Outcome::kFail},  // The runtime default.
      {"root", Outcome::kFail},
      {"0", Outcome::kFail},
      {"0:0", Outcome::kFail},
      {"root:root", Outcome::kFail},
      {"0:1000", Outcome::kFail},
      {"root:staff", Outcome::kFail},
      {"00", Outcome::kFail},
      {":1000", Outcome::kFail},
      {"1000", Outcome::kPass},
      {"app", Outcome::kPass},  // uid 1000 in /etc/passwd.
      {"app:app", Outcome::kPass},
      {"1000:0", Outcome::kPass},  // The group part never decides.
      {"nobody:root", Outcome::kPass},
      {"10", Outcome::kPass},
      {"rooty", Outcome::kPass},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(std::string("user \"") + test_case.user + "\"");
    Facts facts = UserFacts(test_case.user, passwd);

    Verdict verdict = Evaluate({policy}, facts);

    const ControlResult& result = OnlyControl(verdict);
    EXPECT_EQ(result.outcome, test_case.expected);
    ASSERT_FALSE(result.evidence.empty());
    EXPECT_EQ(result.evidence[0].rfind("config user is", 0), 0u);
  }
}

TEST(SuperuserControl, Issue2NameWithUidZeroInPasswdIsRoot) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  Facts facts = UserFacts("toor", {{"root", 0, 0}, {"toor", 0, 0}});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence, (std::vector<std::string>{"config user is \"toor\"",
                                                       "user \"toor\" has uid 0 in /etc/passwd"}));
  EXPECT_EQ(result.summary, "The image runs as root (superuser: deny).");
}

TEST(SuperuserControl, NameWithNonZeroUidPassesNamingTheUid) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  Facts facts = UserFacts("appuser:appuser", {{"root", 0, 0}, {"appuser", 1000, 1000}});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.evidence.at(1), "user \"appuser\" has uid 1000 in /etc/passwd");
}

TEST(SuperuserControl, NameListedTwiceIsRootWhenAnyEntryHasUidZero) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  Facts facts = UserFacts("app", {{"app", 1000, 1000}, {"app", 0, 0}});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence.at(1), "user \"app\" has uid 0 in /etc/passwd");
}

TEST(SuperuserControl, RootIsRootByNameEvenWithoutPasswd) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  Facts facts = ImageFacts({});
  facts.user = "root";

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence, std::vector<std::string>{"config user is \"root\""});
}

TEST(SuperuserControl, FailsClosedForNameMissingFromPasswd) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  Facts facts = UserFacts("ghost", {{"root", 0, 0}, {"app", 1000, 1000}});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence.at(1),
            "user \"ghost\" is not in the image's /etc/passwd, so its uid cannot be checked");
  EXPECT_EQ(result.summary,
            "The image's user cannot be resolved to a uid, so it may run as root (superuser: "
            "deny).");
}

TEST(SuperuserControl, FailsClosedForNameInImageWithoutPasswd) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  Facts facts = ImageFacts({});
  facts.user = "app";
  facts.inventory.passwd_found = false;

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence.at(1),
            "user \"app\" is not in the image's /etc/passwd, so its uid cannot be checked");
}

TEST(SuperuserControl, NumericUserIsAUidWhateverPasswdNames) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  Facts facts = UserFacts("1000", {{"1000", 0, 0}});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.evidence, std::vector<std::string>{"config user is \"1000\""});
}

TEST(SuperuserControl, FailsClosedForUidOverThirtyTwoBits) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: deny}\n");
  struct Case {
    const char* user;
    Outcome expected;
  };
  const Case cases[] = {
      {"4294967295", Outcome::kPass},
      {"0004294967295", Outcome::kPass},
      {"4294967296", Outcome::kFail},
      {"18446744073709551616", Outcome::kFail},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(std::string("user \"") + test_case.user + "\"");
    Facts facts = UserFacts(test_case.user, {});

    Verdict verdict = Evaluate({policy}, facts);

    EXPECT_EQ(OnlyControl(verdict).outcome, test_case.expected);
  }
}

TEST(SuperuserControl, AllowPassesForRoot) {
  Policy policy = MustParse("name: s\ncontrols: {superuser: allow}\n");
  Facts facts = ImageFacts({});
  facts.user = "root";

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_EQ(OnlyControl(verdict).outcome, Outcome::kPass);
}

TEST(LabelsControl, ReportsMissingRequiredAndPresentForbiddenLabels) {
  Policy policy = MustParse(
      "name: l\ncontrols:\n  labels:\n    required: [org.opencontainers.image.source, team]\n"
      "    forbidden: [com.example.debug]\n");
  Facts facts = ImageFacts({});
  facts.labels = {{"team", "payments"}, {"com.example.debug", "true"}};

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& result = OnlyControl(verdict);
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.evidence,
            (std::vector<std::string>{"required label org.opencontainers.image.source is missing",
                                      "forbidden label com.example.debug is set to \"true\""}));
  EXPECT_EQ(result.summary, "1 required label missing, 1 forbidden label set.");
}

TEST(LabelsControl, PassesWhenLabelsComply) {
  Policy policy = MustParse("name: l\ncontrols:\n  labels: {required: [a], forbidden: [b]}\n");
  Facts facts = ImageFacts({});
  facts.labels = {{"a", "1"}};

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_EQ(OnlyControl(verdict).outcome, Outcome::kPass);
}

TEST(Evaluate, RunsControlsInTheFixedOrderWhateverTheDocumentOrder) {
  Policy policy = MustParse(R"(name: all
controls:
  labels: {required: [a]}
  superuser: deny
  requiredPackages: [{name: a}]
  blockedPackages: [{name: b}]
  blockedCves: [CVE-2021-44228]
  vulnerabilities: {}
  advisoryData: {}
  approvedBaseImages: [registry.example.com/base:1.0]
)");

  Verdict verdict = Evaluate({policy}, ImageFacts({}));

  ASSERT_EQ(verdict.policies.size(), 1u);
  std::vector<std::string> order;
  for (const ControlResult& result : verdict.policies[0].controls) order.push_back(result.control);
  EXPECT_EQ(order, (std::vector<std::string>{"approvedBaseImages", "blockedPackages",
                                             "requiredPackages", "superuser", "labels",
                                             "advisoryData", "vulnerabilities", "blockedCves"}));
}

TEST(Evaluate, CopiesPolicyIdentityIntoTheResult) {
  Policy policy = MustParse(kApprovedPolicy);

  Verdict verdict = Evaluate({policy}, ImageFacts({}));

  ASSERT_EQ(verdict.policies.size(), 1u);
  EXPECT_EQ(verdict.policies[0].policy_name, "base");
  EXPECT_EQ(verdict.policies[0].origin, "policy.yaml");
  EXPECT_EQ(verdict.policies[0].document_sha256, policy.document_sha256);
  EXPECT_EQ(verdict.policies[0].approved_base_images,
            std::vector<std::string>{"registry.example.com/base:1.0"});
  EXPECT_FALSE(verdict.policies[0].compliant);
}

TEST(Verdict, AuditOnlyFailureIsNotBlocking) {
  Policy audit = MustParse("name: audit\nenforce: false\ncontrols: {superuser: deny}\n");
  Policy enforced = MustParse("name: enforced\ncontrols: {labels: {forbidden: [x]}}\n");
  Facts facts = ImageFacts({});
  facts.user = "root";

  Verdict verdict = Evaluate({audit, enforced}, facts);

  EXPECT_FALSE(verdict.compliant());
  EXPECT_FALSE(verdict.blocking());
  EXPECT_FALSE(verdict.policies[0].compliant);
  EXPECT_TRUE(verdict.policies[1].compliant);
}

TEST(Verdict, NoPoliciesIsCompliant) {
  Verdict verdict = Evaluate({}, ImageFacts({}));

  EXPECT_TRUE(verdict.compliant());
  EXPECT_FALSE(verdict.blocking());
}

TEST(OutcomeName, NamesBothOutcomes) {
  EXPECT_EQ(OutcomeName(Outcome::kPass), "pass");
  EXPECT_EQ(OutcomeName(Outcome::kFail), "fail");
}

}  // namespace
}  // namespace bulwark::policy
