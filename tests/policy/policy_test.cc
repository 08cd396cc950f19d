#include "policy/policy.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "policy/verdict.h"
#include "testing/test_data.h"

namespace bulwark::policy {
namespace {

constexpr char kDigest[] =
    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

constexpr char kFullPolicy[] = R"(name: default
enforce: true
controls:
  approvedBaseImages:
    - registry.example.com/base:1.0
    - base@sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    - ubuntu
  blockedPackages:
    - name: telnet
    - name: openssl
      version: "< 3.0.11-1~deb12u2"
  requiredPackages:
    - name: ca-certificates
  superuser: deny
  labels:
    required: [org.opencontainers.image.source]
    forbidden: [com.example.debug]
)";

lineage::RegisteredImage Registered(std::vector<std::string> names, const std::string& seed) {
  lineage::RegisteredImage image;
  image.image_id = Sha256Of("config " + seed);
  image.manifest_digests = {Sha256Of("manifest " + seed)};
  image.names = std::move(names);
  image.chain = {Sha256Of("layer " + seed)};
  return image;
}

// True when `text` holds no byte a terminal could act on (C0, DEL, 0x80-0x9f
// as raw bytes) and no UTF-8-encoded C1 control.
bool IsSafeForTerminal(const std::string& text) {
  for (size_t i = 0; i < text.size(); ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) return false;
    if (byte == 0xc2 && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xe0) == 0x80) {
      return false;
    }
  }
  return true;
}

TEST(ParsePolicy, ReadsEveryControl) {
  auto policy = ParsePolicy(kFullPolicy, "policy.yaml");

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  EXPECT_EQ(policy->name, "default");
  EXPECT_EQ(policy->origin, "policy.yaml");
  EXPECT_TRUE(policy->enforce);
  ASSERT_TRUE(policy->approved_base_images.has_value());
  ASSERT_EQ(policy->approved_base_images->size(), 3u);
  const ApprovedImage& tagged = (*policy->approved_base_images)[0];
  EXPECT_EQ(tagged.reference, "registry.example.com/base:1.0");
  EXPECT_EQ(tagged.line, 5);
  EXPECT_FALSE(tagged.digest.has_value());
  const ApprovedImage& pinned = (*policy->approved_base_images)[1];
  ASSERT_TRUE(pinned.digest.has_value());
  EXPECT_EQ(pinned.digest->str(), kDigest);
  EXPECT_EQ(pinned.name, "docker.io/library/base");
  EXPECT_EQ(pinned.tag, "");
  EXPECT_EQ((*policy->approved_base_images)[2].reference, "docker.io/library/ubuntu:latest");
  ASSERT_EQ(policy->blocked_packages.size(), 2u);
  EXPECT_EQ(policy->blocked_packages[0].name, "telnet");
  EXPECT_FALSE(policy->blocked_packages[0].version.has_value());
  ASSERT_TRUE(policy->blocked_packages[1].version.has_value());
  EXPECT_EQ(policy->blocked_packages[1].line, 10);
  ASSERT_EQ(policy->required_packages.size(), 1u);
  EXPECT_EQ(policy->required_packages[0].name, "ca-certificates");
  EXPECT_EQ(policy->superuser, SuperuserRule::kDeny);
  EXPECT_EQ(policy->labels_required, std::vector<std::string>{"org.opencontainers.image.source"});
  EXPECT_EQ(policy->labels_forbidden, std::vector<std::string>{"com.example.debug"});
}

TEST(ParsePolicy, HashesTheDocumentBytes) {
  auto policy = ParsePolicy(kFullPolicy, "policy.yaml");

  ASSERT_TRUE(policy.ok());
  EXPECT_EQ(policy->document, kFullPolicy);
  EXPECT_EQ(policy->document_sha256, Sha256Of(kFullPolicy));
}

TEST(ParsePolicy, EnforceDefaultsToTrueAndCanBeTurnedOff) {
  auto defaulted = ParsePolicy("name: a\ncontrols: {superuser: deny}\n", "a.yaml");
  auto audit = ParsePolicy("name: b\nenforce: false\ncontrols: {superuser: allow}\n", "b.yaml");

  ASSERT_TRUE(defaulted.ok());
  EXPECT_TRUE(defaulted->enforce);
  ASSERT_TRUE(audit.ok());
  EXPECT_FALSE(audit->enforce);
  EXPECT_EQ(audit->superuser, SuperuserRule::kAllow);
}

TEST(ParsePolicy, AcceptsJson) {
  const char* json = R"({"name": "json", "enforce": false,
    "controls": {"blockedPackages": [{"name": "telnet", "version": ">= 0.17"}],
                 "labels": {"forbidden": ["debug"]}}})";

  auto policy = ParsePolicy(json, "policy.json");

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  EXPECT_EQ(policy->name, "json");
  EXPECT_FALSE(policy->enforce);
  ASSERT_EQ(policy->blocked_packages.size(), 1u);
  EXPECT_TRUE(policy->blocked_packages[0].version.has_value());
  EXPECT_EQ(policy->labels_forbidden, std::vector<std::string>{"debug"});
}

TEST(ParsePolicy, RefusesInvalidDocumentsNamingOriginAndLine) {
  struct Case {
    const char* label;
    const char* document;
    const char* expected;  // The start of the message.
  };
  const Case cases[] = {
      {"unknown top-level key", "name: a\ncontrol: {}\n", "p.yaml line 2: unknown key \"control\""},
      {"unknown control", "name: a\ncontrols:\n  approvedBaseImage: [ubuntu]\n",
       "p.yaml line 3: controls: unknown key \"approvedBaseImage\""},
      {"duplicate top-level key", "name: a\nname: b\ncontrols: {superuser: deny}\n",
       "p.yaml line 2: duplicate key \"name\""},
      {"duplicate control key", "name: a\ncontrols:\n  superuser: deny\n  superuser: allow\n",
       "p.yaml line 4: controls: duplicate key \"superuser\""},
      {"missing name", "controls: {superuser: deny}\n", "p.yaml line 1: missing key \"name\""},
      {"empty name", "name: \"\"\ncontrols: {superuser: deny}\n",
       "p.yaml line 1: name: must not be empty"},
      {"null name", "name:\ncontrols: {superuser: deny}\n", "p.yaml line 1: name: expected text"},
      {"name is a list", "name: [a]\ncontrols: {superuser: deny}\n",
       "p.yaml line 1: name: expected text"},
      {"enforce not a bool", "name: a\nenforce: yes\ncontrols: {superuser: deny}\n",
       "p.yaml line 2: enforce: expected true or false"},
      {"quoted enforce", "name: a\nenforce: \"false\"\ncontrols: {superuser: deny}\n",
       "p.yaml line 2: enforce: expected true or false"},
      {"missing controls", "name: a\n", "p.yaml line 1: missing key \"controls\""},
      {"no control set", "name: a\ncontrols: {}\n", "p.yaml line 2: controls: no control is set"},
      {"controls not a map", "name: a\ncontrols: [superuser]\n",
       "p.yaml line 2: controls: expected a mapping"},
      {"bad reference", "name: a\ncontrols:\n  approvedBaseImages:\n    - Registry/Base\n",
       "p.yaml line 4: controls.approvedBaseImages[0]: image reference \"Registry/Base\""},
      {"bad digest", "name: a\ncontrols:\n  approvedBaseImages: [\"base@sha256:12\"]\n",
       "p.yaml line 3: controls.approvedBaseImages[0]: image reference"},
      {"empty approved list", "name: a\ncontrols:\n  approvedBaseImages: []\n",
       "p.yaml line 3: controls.approvedBaseImages: expected a non-empty list"},
      {"package as bare string", "name: a\ncontrols:\n  blockedPackages:\n    - telnet\n",
       "p.yaml line 4: controls.blockedPackages[0]: expected a mapping such as {name: telnet}"},
      {"package without name", "name: a\ncontrols:\n  requiredPackages:\n    - version: '1'\n",
       "p.yaml line 4: controls.requiredPackages[0]: missing key \"name\""},
      {"unknown package key",
       "name: a\ncontrols:\n  blockedPackages:\n    - name: x\n      versions: '1'\n",
       "p.yaml line 5: controls.blockedPackages[0]: unknown key \"versions\""},
      {"bad constraint",
       "name: a\ncontrols:\n  blockedPackages:\n    - name: x\n      version: '<<'\n",
       "p.yaml line 5: controls.blockedPackages[0].version: constraint \"<<\""},
      {"empty constraint",
       "name: a\ncontrols:\n  blockedPackages:\n    - name: x\n      version: ' '\n",
       "p.yaml line 5: controls.blockedPackages[0].version: empty constraint"},
      {"package name with space", "name: a\ncontrols:\n  blockedPackages:\n    - name: 'a b'\n",
       "p.yaml line 4: controls.blockedPackages[0].name: expected a package name"},
      {"bad superuser", "name: a\ncontrols:\n  superuser: forbid\n",
       "p.yaml line 3: controls.superuser: expected deny or allow"},
      {"unknown labels key", "name: a\ncontrols:\n  labels: {needed: [x]}\n",
       "p.yaml line 3: controls.labels: unknown key \"needed\""},
      {"label list of maps", "name: a\ncontrols:\n  labels:\n    required:\n      - {a: b}\n",
       "p.yaml line 5: controls.labels.required[0]: expected text"},
      {"label required and forbidden",
       "name: a\ncontrols:\n  labels: {required: [x], forbidden: [x]}\n",
       "p.yaml line 3: controls.labels: label \"x\" is both required and forbidden"},
      {"root is a list", "- name: a\n", "p.yaml line 1: expected a mapping"},
      {"empty document", "", "p.yaml line 1: the document is empty"},
      {"two documents", "name: a\ncontrols: {superuser: deny}\n---\nname: b\n",
       "p.yaml: holds more than one YAML document"},
      {"syntax error", "name: a\ncontrols: {superuser: deny\n", "p.yaml line 3: YAML syntax:"},
      {"anchor that stalls yaml-cpp's LoadAll", "&:enma, \n",
       "p.yaml: holds more than one YAML document"},
      {"non-scalar key", "name: a\n? [x]\n: y\ncontrols: {superuser: deny}\n",
       "p.yaml line 2: keys must be plain text"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);

    auto policy = ParsePolicy(test_case.document, "p.yaml");

    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(policy.error().message().rfind(test_case.expected, 0), 0u)
        << policy.error().message();
  }
}

TEST(ParsePolicy, RefusesPackageNamesThatCanNeverMatch) {
  struct Case {
    const char* label;
    std::string name;         // As written after "name: ".
    const char* explanation;  // What the message must say about it.
  };
  const Case cases[] = {
      {"Cyrillic look-alike", "\"telnet\\u0435\"", "contains a character outside ASCII"},
      {"architecture qualifier", "telnet:amd64",
       "architecture qualifiers are not supported: \"telnet:amd64\""},
      {"leading punctuation", "-telnet", "starts with \"-\""},
      {"slash", "usr/bin/telnet", "contains \"/\""},
      {"space", "'a b'", "contains \" \""},
  };
  for (const char* control : {"blockedPackages", "requiredPackages"}) {
    for (const Case& test_case : cases) {
      SCOPED_TRACE(std::string(control) + ": " + test_case.label);
      std::string document = std::string("name: a\ncontrols:\n  ") + control +
                             ":\n    - name: ssh\n    - name: " + test_case.name + "\n";

      auto policy = ParsePolicy(document, "p.yaml");

      ASSERT_FALSE(policy.ok());
      EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidArgument);
      const std::string& message = policy.error().message();
      std::string prefix = std::string("p.yaml line 5: controls.") + control + "[1].name: ";
      EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
      EXPECT_NE(message.find(test_case.explanation), std::string::npos) << message;
      bool names_what_is_allowed =
          message.find("ASCII letters, digits 0-9 and the characters + . _ -") !=
          std::string::npos;
      bool explains_qualifier =
          message.find("write the name alone (\"telnet\")") != std::string::npos;
      EXPECT_TRUE(names_what_is_allowed || explains_qualifier) << message;
    }
  }
}

TEST(ParsePolicy, AcceptsPackageNamesInTheDpkgCharacterSet) {
  const char* document =
      "name: a\ncontrols:\n  blockedPackages:\n    - name: libstdc++6\n"
      "    - name: python3.11-minimal\n    - name: 0ad\n    - name: py3_x\n";

  auto policy = ParsePolicy(document, "p.yaml");

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  ASSERT_EQ(policy->blocked_packages.size(), 4u);
  EXPECT_EQ(policy->blocked_packages[0].name, "libstdc++6");
  EXPECT_EQ(policy->blocked_packages[1].name, "python3.11-minimal");
  EXPECT_EQ(policy->blocked_packages[2].name, "0ad");
  EXPECT_EQ(policy->blocked_packages[3].name, "py3_x");
}

TEST(ParsePolicy, RefusesEveryEmptyListOrMappingInAControl) {
  struct Case {
    const char* label;
    const char* controls;  // The lines under "controls:", starting on line 3.
    const char* expected;  // The start of the message.
  };
  const Case cases[] = {
      {"empty approvedBaseImages", "  approvedBaseImages: []\n",
       "p.yaml line 3: controls.approvedBaseImages: expected a non-empty list"},
      {"empty blockedPackages", "  blockedPackages: []\n",
       "p.yaml line 3: controls.blockedPackages: expected a non-empty list"},
      {"empty requiredPackages", "  requiredPackages: []\n",
       "p.yaml line 3: controls.requiredPackages: expected a non-empty list"},
      {"empty labels mapping", "  labels: {}\n", "p.yaml line 3: controls.labels: empty mapping"},
      {"empty labels.forbidden alone", "  labels:\n    forbidden: []\n",
       "p.yaml line 4: controls.labels.forbidden: empty list"},
      {"empty labels.required alone", "  labels:\n    required: []\n",
       "p.yaml line 4: controls.labels.required: empty list"},
      {"empty labels.forbidden beside a required key",
       "  labels:\n    required: [a]\n    forbidden: []\n",
       "p.yaml line 5: controls.labels.forbidden: empty list"},
      {"empty labels.required beside a forbidden key",
       "  labels:\n    required: []\n    forbidden: [a]\n",
       "p.yaml line 4: controls.labels.required: empty list"},
      {"empty list beside a real control", "  superuser: deny\n  blockedPackages: []\n",
       "p.yaml line 4: controls.blockedPackages: expected a non-empty list"},
      {"null labels.forbidden", "  labels:\n    forbidden:\n",
       "p.yaml line 4: controls.labels.forbidden: expected a list"},
      {"null blockedPackages", "  blockedPackages:\n",
       "p.yaml line 3: controls.blockedPackages: expected a non-empty list"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    std::string document = std::string("name: a\ncontrols:\n") + test_case.controls;

    auto policy = ParsePolicy(document, "p.yaml");

    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(policy.error().message().rfind(test_case.expected, 0), 0u)
        << policy.error().message();
  }
}

TEST(ParsePolicy, EveryAcceptedPolicySetsAControlThatIsRun) {
  const char* documents[] = {
      "name: a\ncontrols: {approvedBaseImages: [ubuntu]}\n",
      "name: a\ncontrols: {blockedPackages: [{name: telnet}]}\n",
      "name: a\ncontrols: {requiredPackages: [{name: tzdata}]}\n",
      "name: a\ncontrols: {superuser: deny}\n",
      "name: a\ncontrols: {labels: {required: [a]}}\n",
      "name: a\ncontrols: {labels: {forbidden: [a]}}\n",
      "name: a\ncontrols: {vulnerabilities: {}}\n",
      "name: a\ncontrols: {blockedCves: [CVE-2021-44228]}\n",
      "name: a\ncontrols: {advisoryData: {}}\n",
  };
  for (const char* document : documents) {
    SCOPED_TRACE(document);
    auto policy = ParsePolicy(document, "p.yaml");
    ASSERT_TRUE(policy.ok()) << policy.error().message();

    Verdict verdict = Evaluate({*policy}, Facts{});

    ASSERT_EQ(verdict.policies.size(), 1u);
    EXPECT_EQ(verdict.policies[0].controls.size(), 1u);
  }
}

constexpr char kAdvisoryPolicy[] = R"(name: vulns
controls:
  vulnerabilities:
    failAtOrAbove: high
    failAboveCvss: 7.5
    fixableOnly: true
    ignoreBaseImage: true
    gracePeriodDays: 7
  blockedCves: [CVE-2021-44228, GHSA-jfh8-c2jp-5v3q]
  allowedCves:
    - CVE-2016-2781
  advisoryData:
    maxAgeDays: 3
    requireDistroData: false
exceptions:
  - reason: >
      upstream fix pending,
      tracked in SEC-123
    expires: 2027-01-31
    images: ["registry.example.com/app*"]
    packages: [openssl, NetworkManager]
    advisories: [CVE-2023-1234, DSA-5532-1]
  - reason: "not reachable"
    expires: "2026-06-30"
    advisories: [RHSA-2023:1234]
)";

TEST(ParsePolicy, ReadsTheVulnerabilityControlsAndExceptions) {
  auto policy = ParsePolicy(kAdvisoryPolicy, "p.yaml");

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  ASSERT_TRUE(policy->vulnerabilities.has_value());
  const VulnerabilityRule& rule = *policy->vulnerabilities;
  EXPECT_EQ(rule.fail_on, vulndb::Severity::kHigh);
  EXPECT_EQ(rule.max_cvss, 7.5);
  EXPECT_TRUE(rule.fixable_only);
  EXPECT_TRUE(rule.ignore_base_image);
  EXPECT_EQ(rule.grace_period_days, 7);
  ASSERT_EQ(policy->blocked_cves.size(), 2u);
  EXPECT_EQ(policy->blocked_cves[1].id, "GHSA-jfh8-c2jp-5v3q");
  EXPECT_EQ(policy->blocked_cves[0].line, 9);
  ASSERT_EQ(policy->allowed_cves.size(), 1u);
  EXPECT_EQ(policy->allowed_cves[0].id, "CVE-2016-2781");
  EXPECT_EQ(policy->allowed_cves[0].line, 11);
  ASSERT_TRUE(policy->advisory_data.has_value());
  EXPECT_EQ(policy->advisory_data->max_age_days, 3);
  EXPECT_FALSE(policy->advisory_data->require_distro_data);
  ASSERT_EQ(policy->exceptions.size(), 2u);
  const PolicyException& first = policy->exceptions[0];
  EXPECT_EQ(first.reason, "upstream fix pending, tracked in SEC-123");
  EXPECT_EQ(first.expires, "2027-01-31");
  EXPECT_EQ(first.images, std::vector<std::string>{"registry.example.com/app*"});
  EXPECT_EQ(first.packages, (std::vector<std::string>{"openssl", "NetworkManager"}));
  EXPECT_EQ(first.advisories, (std::vector<std::string>{"CVE-2023-1234", "DSA-5532-1"}));
  EXPECT_EQ(first.line, 16);
  EXPECT_EQ(policy->exceptions[1].expires, "2026-06-30");
  EXPECT_TRUE(policy->exceptions[1].images.empty());
  EXPECT_TRUE(policy->NeedsAdvisories());
}

TEST(ParsePolicy, AdvisoryControlsHaveDocumentedDefaults) {
  auto policy =
      ParsePolicy("name: a\ncontrols:\n  vulnerabilities: {}\n  advisoryData: {}\n", "p.yaml");

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  const VulnerabilityRule& rule = *policy->vulnerabilities;
  EXPECT_FALSE(rule.fail_on.has_value());
  EXPECT_FALSE(rule.max_cvss.has_value());
  EXPECT_FALSE(rule.fixable_only);
  EXPECT_FALSE(rule.ignore_base_image);
  EXPECT_EQ(rule.grace_period_days, 0);
  EXPECT_FALSE(policy->advisory_data->max_age_days.has_value());
  EXPECT_TRUE(policy->advisory_data->require_distro_data);
  EXPECT_TRUE(policy->exceptions.empty());
}

TEST(ParsePolicy, ReadsAdvisoryControlsFromJson) {
  const char* json = R"({"name": "json", "controls": {
    "vulnerabilities": {"failAboveCvss": 9, "gracePeriodDays": 0},
    "advisoryData": {"maxAgeDays": 1}},
    "exceptions": [{"reason": "r", "expires": "2027-01-31", "packages": ["zlib1g"]}]})";

  auto policy = ParsePolicy(json, "p.json");

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  EXPECT_EQ(policy->vulnerabilities->max_cvss, 9.0);
  EXPECT_EQ(policy->advisory_data->max_age_days, 1);
  ASSERT_EQ(policy->exceptions.size(), 1u);
  EXPECT_EQ(policy->exceptions[0].packages, std::vector<std::string>{"zlib1g"});
}

TEST(ParsePolicy, LoadsAnExceptionThatHasAlreadyExpired) {
  auto policy = ParsePolicy(
      "name: a\ncontrols: {vulnerabilities: {}}\nexceptions:\n"
      "  - {reason: old, expires: 2000-01-01, packages: [zlib1g]}\n",
      "p.yaml");

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  EXPECT_EQ(policy->exceptions[0].expires, "2000-01-01");
}

TEST(ParsePolicy, RefusesInvalidAdvisoryControls) {
  struct Case {
    const char* label;
    const char* controls;  // The lines under "controls:", starting on line 3.
    const char* expected;  // The start of the message.
  };
  const Case cases[] = {
      {"vulnerabilities null", "  vulnerabilities:\n",
       "p.yaml line 3: controls.vulnerabilities: expected a mapping with keys failAtOrAbove, "
       "failAboveCvss, fixableOnly, ignoreBaseImage, gracePeriodDays; write {} to fail on every "
       "finding"},
      {"unknown vulnerabilities key", "  vulnerabilities:\n    failOn: high\n",
       "p.yaml line 4: controls.vulnerabilities: unknown key \"failOn\""},
      {"duplicate vulnerabilities key",
       "  vulnerabilities:\n    fixableOnly: true\n    fixableOnly: false\n",
       "p.yaml line 5: controls.vulnerabilities: duplicate key \"fixableOnly\""},
      {"unknown severity", "  vulnerabilities: {failAtOrAbove: important}\n",
       "p.yaml line 3: controls.vulnerabilities.failAtOrAbove: expected negligible, low, medium, "
       "high or critical, not \"important\""},
      {"capitalised severity", "  vulnerabilities: {failAtOrAbove: High}\n",
       "p.yaml line 3: controls.vulnerabilities.failAtOrAbove: expected negligible"},
      {"unknown as a threshold", "  vulnerabilities: {failAtOrAbove: unknown}\n",
       "p.yaml line 3: controls.vulnerabilities.failAtOrAbove: expected negligible, low, medium, "
       "high or critical, not \"unknown\"; unknown is the lowest level, not a threshold"},
      {"cvss as text", "  vulnerabilities: {failAboveCvss: \"7.0\"}\n",
       "p.yaml line 3: controls.vulnerabilities.failAboveCvss: expected a number"},
      {"cvss not a number", "  vulnerabilities: {failAboveCvss: seven}\n",
       "p.yaml line 3: controls.vulnerabilities.failAboveCvss: expected a number, not \"seven\""},
      {"cvss not finite", "  vulnerabilities: {failAboveCvss: nan}\n",
       "p.yaml line 3: controls.vulnerabilities.failAboveCvss: expected a number, not \"nan\""},
      {"cvss above 10", "  vulnerabilities: {failAboveCvss: 10.1}\n",
       "p.yaml line 3: controls.vulnerabilities.failAboveCvss: a CVSS score is from 0 to 10"},
      {"cvss negative", "  vulnerabilities: {failAboveCvss: -1}\n",
       "p.yaml line 3: controls.vulnerabilities.failAboveCvss: a CVSS score is from 0 to 10"},
      {"cvss exactly 10", "  vulnerabilities: {failAboveCvss: 10}\n",
       "p.yaml line 3: controls.vulnerabilities.failAboveCvss: no CVSS score is above 10"},
      {"fixableOnly not a bool", "  vulnerabilities: {fixableOnly: yes}\n",
       "p.yaml line 3: controls.vulnerabilities.fixableOnly: expected true or false"},
      {"ignoreBaseImage quoted", "  vulnerabilities: {ignoreBaseImage: \"true\"}\n",
       "p.yaml line 3: controls.vulnerabilities.ignoreBaseImage: expected true or false"},
      {"grace period fractional", "  vulnerabilities: {gracePeriodDays: 1.5}\n",
       "p.yaml line 3: controls.vulnerabilities.gracePeriodDays: expected a whole number of days, "
       "not \"1.5\""},
      {"grace period negative", "  vulnerabilities: {gracePeriodDays: -1}\n",
       "p.yaml line 3: controls.vulnerabilities.gracePeriodDays: \"-1\" is out of range; expected "
       "from 0 to 365 days"},
      {"grace period over a year", "  vulnerabilities: {gracePeriodDays: 366}\n",
       "p.yaml line 3: controls.vulnerabilities.gracePeriodDays: \"366\" is out of range"},
      {"grace period huge", "  vulnerabilities: {gracePeriodDays: 99999999999999999999}\n",
       "p.yaml line 3: controls.vulnerabilities.gracePeriodDays: expected a whole number of days"},
      {"empty blockedCves", "  blockedCves: []\n",
       "p.yaml line 3: controls.blockedCves: expected a non-empty list of advisory ids"},
      {"blockedCves as text", "  blockedCves: CVE-2021-44228\n",
       "p.yaml line 3: controls.blockedCves: expected a non-empty list of advisory ids"},
      {"empty id", "  blockedCves: [\"\"]\n",
       "p.yaml line 3: controls.blockedCves[0]: expected an advisory id"},
      {"id with a space", "  blockedCves: [\"CVE-2021 44228\"]\n",
       "p.yaml line 3: controls.blockedCves[0]: \"CVE-2021 44228\" contains \" \""},
      {"id with a control byte", "  blockedCves: [\"CVE-2021-44228\\e[2J\"]\n",
       "p.yaml line 3: controls.blockedCves[0]: \"CVE-2021-44228\\x1b[2J\" contains \"\\x1b\""},
      {"id outside ASCII", "  blockedCves: [\"CVE-2021-4422\\u0665\"]\n",
       "p.yaml line 3: controls.blockedCves[0]: \"CVE-2021-4422\u0665\" contains a character "
       "outside ASCII"},
      {"word that is no id", "  blockedCves: [log4shell]\n",
       "p.yaml line 3: controls.blockedCves[0]: \"log4shell\" is not an advisory id"},
      {"CVE id with a short year", "  blockedCves: [CVE-21-44228]\n",
       "p.yaml line 3: controls.blockedCves[0]: \"CVE-21-44228\" is not a CVE id"},
      {"CVE id with three digits", "  blockedCves: [CVE-2021-442]\n",
       "p.yaml line 3: controls.blockedCves[0]: \"CVE-2021-442\" is not a CVE id"},
      {"id listed twice", "  blockedCves:\n    - CVE-2021-44228\n    - cve-2021-44228\n",
       "p.yaml line 5: controls.blockedCves[1]: \"cve-2021-44228\" is listed twice (also on "
       "line 4)"},
      {"id both blocked and allowed",
       "  vulnerabilities: {}\n  blockedCves: [CVE-2021-44228]\n"
       "  allowedCves:\n    - CVE-2016-2781\n    - Cve-2021-44228\n",
       "p.yaml line 7: controls.allowedCves[1]: \"Cve-2021-44228\" is also in blockedCves "
       "(line 4); an id cannot be both blocked and allowed"},
      {"allowedCves without vulnerabilities",
       "  blockedCves: [CVE-2021-44228]\n  allowedCves: [CVE-2016-2781]\n",
       "p.yaml line 4: controls.allowedCves: allowedCves takes findings out of the "
       "vulnerabilities control, which this policy does not set"},
      {"advisoryData not a mapping", "  advisoryData: true\n",
       "p.yaml line 3: controls.advisoryData: expected a mapping with keys maxAgeDays, "
       "requireDistroData"},
      {"unknown advisoryData key", "  advisoryData: {maxAge: 3}\n",
       "p.yaml line 3: controls.advisoryData: unknown key \"maxAge\""},
      {"max age zero", "  advisoryData: {maxAgeDays: 0}\n",
       "p.yaml line 3: controls.advisoryData.maxAgeDays: \"0\" is out of range; expected from 1 "
       "to 3650 days"},
      {"max age quoted", "  advisoryData: {maxAgeDays: \"3\"}\n",
       "p.yaml line 3: controls.advisoryData.maxAgeDays: expected a whole number of days"},
      {"advisoryData checking nothing", "  advisoryData: {requireDistroData: false}\n",
       "p.yaml line 3: controls.advisoryData: checks nothing: set maxAgeDays, or leave "
       "requireDistroData at its default (true)"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    std::string document = std::string("name: a\ncontrols:\n") + test_case.controls;

    auto policy = ParsePolicy(document, "p.yaml");

    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidArgument);
    const std::string& message = policy.error().message();
    EXPECT_EQ(message.rfind(test_case.expected, 0), 0u) << message;
    EXPECT_TRUE(IsSafeForTerminal(message)) << message;
  }
}

TEST(ParsePolicy, RefusesInvalidExceptions) {
  struct Case {
    const char* label;
    const char* exceptions;  // The lines after "exceptions:", starting on line 4.
    const char* expected;    // The start of the message.
  };
  const Case cases[] = {
      {"not a list", " {reason: r}\n",
       "p.yaml line 3: exceptions: expected a non-empty list of {reason, expires, images, "
       "packages, advisories}"},
      {"empty list", " []\n", "p.yaml line 3: exceptions: expected a non-empty list"},
      {"unknown key", "\n  - {reason: r, expires: 2027-01-31, packages: [a], package: [b]}\n",
       "p.yaml line 4: exceptions[0]: unknown key \"package\""},
      {"missing reason", "\n  - {expires: 2027-01-31, packages: [a]}\n",
       "p.yaml line 4: exceptions[0]: missing key \"reason\"; say why the exception is granted"},
      {"empty reason", "\n  - {reason: \"  \", expires: 2027-01-31, packages: [a]}\n",
       "p.yaml line 4: exceptions[0].reason: must not be empty"},
      {"reason on two lines",
       "\n  - reason: |\n      one\n      two\n    expires: 2027-01-31\n    packages: [a]\n",
       "p.yaml line 4: exceptions[0].reason: contains a line break, a control character"},
      {"reason as a list", "\n  - {reason: [r], expires: 2027-01-31, packages: [a]}\n",
       "p.yaml line 4: exceptions[0].reason: expected text"},
      {"missing expiry", "\n  - {reason: r, packages: [a]}\n",
       "p.yaml line 4: exceptions[0]: missing key \"expires\"; every exception has an end"},
      {"expiry not a date", "\n  - {reason: r, expires: soon, packages: [a]}\n",
       "p.yaml line 4: exceptions[0].expires: expected a date written YYYY-MM-DD, such as "
       "2027-01-31, not \"soon\""},
      {"expiry on a day that does not exist",
       "\n  - {reason: r, expires: 2027-02-29, packages: [a]}\n",
       "p.yaml line 4: exceptions[0].expires: expected a date written YYYY-MM-DD"},
      {"expiry with a time",
       "\n  - {reason: r, expires: \"2027-01-31T00:00:00Z\", packages: [a]}\n",
       "p.yaml line 4: exceptions[0].expires: expected a date written YYYY-MM-DD"},
      {"no packages or advisories",
       "\n  - {reason: r, expires: 2027-01-31, images: [\"registry.example.com/*\"]}\n",
       "p.yaml line 4: exceptions[0]: set packages, advisories or both; an exception must name "
       "what it waives"},
      {"empty packages", "\n  - {reason: r, expires: 2027-01-31, packages: []}\n",
       "p.yaml line 4: exceptions[0].packages: empty list"},
      {"package with a qualifier", "\n  - {reason: r, expires: 2027-01-31, packages: [a:amd64]}\n",
       "p.yaml line 4: exceptions[0].packages[0]: architecture qualifiers are not supported"},
      {"package with a slash", "\n  - {reason: r, expires: 2027-01-31, packages: [usr/bin/a]}\n",
       "p.yaml line 4: exceptions[0].packages[0]: expected a package name, not \"usr/bin/a\""},
      {"bad advisory id", "\n  - {reason: r, expires: 2027-01-31, advisories: [CVE-1]}\n",
       "p.yaml line 4: exceptions[0].advisories[0]: \"CVE-1\" is not a CVE id"},
      {"empty image pattern",
       "\n  - {reason: r, expires: 2027-01-31, packages: [a], images: [\"\"]}\n",
       "p.yaml line 4: exceptions[0].images[0]: expected an image name pattern"},
      {"image pattern with a space",
       "\n  - {reason: r, expires: 2027-01-31, packages: [a], images: [\"a b\"]}\n",
       "p.yaml line 4: exceptions[0].images[0]: \"a b\" contains a space"},
      {"second exception bad",
       "\n  - {reason: r, expires: 2027-01-31, packages: [a]}\n  - {reason: r}\n",
       "p.yaml line 5: exceptions[1]: missing key \"expires\""},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    std::string document =
        std::string("name: a\ncontrols: {vulnerabilities: {}}\nexceptions:") + test_case.exceptions;

    auto policy = ParsePolicy(document, "p.yaml");

    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidArgument);
    const std::string& message = policy.error().message();
    EXPECT_EQ(message.rfind(test_case.expected, 0), 0u) << message;
    EXPECT_TRUE(IsSafeForTerminal(message)) << message;
  }
}

TEST(LoadPolicyFile, ReadsEveryExamplePolicy) {
  const char* examples[] = {"policy.yaml", "policy-unregistered-base.yaml",
                            "policy-vulnerabilities.yaml"};
  for (const char* example : examples) {
    SCOPED_TRACE(example);

    auto policy = LoadPolicyFile(std::string(BULWARK_SOURCE_DIR) + "/examples/" + example);

    EXPECT_TRUE(policy.ok()) << policy.error().message();
  }
}

TEST(ParsePolicy, RefusesExceptionsWithoutAControlTheyApplyTo) {
  const char* document =
      "name: a\ncontrols: {superuser: deny, advisoryData: {}}\nexceptions:\n"
      "  - {reason: r, expires: 2027-01-31, packages: [a]}\n";

  auto policy = ParsePolicy(document, "p.yaml");

  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.error().message(),
            "p.yaml line 4: exceptions: exceptions apply to the vulnerabilities and blockedCves "
            "controls, and this policy sets neither");
}

TEST(ParsePolicy, Issue2RefusesANameThatIsNotUtf8OrHoldsControls) {
  for (std::string name : {std::string("\xff\xfe"), std::string("a\x1b[31m"),
                           std::string("\"a\\u0085b\""), std::string("\"a\\u202eb\"")}) {
    SCOPED_TRACE(name);

    auto policy = ParsePolicy("name: " + name + "\ncontrols: {superuser: deny}\n", "p.yaml");

    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().message(),
              "p.yaml line 1: name: contains a control character or bytes that are not UTF-8");
  }
  auto accented = ParsePolicy("name: r\xc3\xa8gle\ncontrols: {superuser: deny}\n", "p.yaml");
  EXPECT_TRUE(accented.ok()) << accented.error().message();
}

TEST(ParsePolicy, RefusesLabelKeysThatAreEmptyOrHoldControlCharacters) {
  struct Case {
    const char* label;
    std::string labels;    // The value of "labels:".
    const char* expected;  // The start of the message.
  };
  const Case cases[] = {
      {"empty required key", "{required: [\"\"]}",
       "p.yaml line 3: controls.labels.required[0]: must not be empty"},
      {"empty forbidden key", "{forbidden: [a, '']}",
       "p.yaml line 3: controls.labels.forbidden[1]: must not be empty"},
      {"newline in a key", "{required: [\"a\\nb\"]}",
       "p.yaml line 3: controls.labels.required[0]: \"a\\x0ab\" contains a control character"},
      {"escape in a key", "{forbidden: [\"\\e[2Jdebug\"]}",
       "p.yaml line 3: controls.labels.forbidden[0]: \"\\x1b[2Jdebug\" contains a control"},
      {"tab in a key", "{forbidden: [\"a\\tb\"]}",
       "p.yaml line 3: controls.labels.forbidden[0]: \"a\\x09b\" contains a control"},
      {"C1 control in a key", "{required: [\"a\\x85b\"]}",
       "p.yaml line 3: controls.labels.required[0]: "},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    std::string document = "name: a\ncontrols:\n  labels: " + test_case.labels + "\n";

    auto policy = ParsePolicy(document, "p.yaml");

    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidArgument);
    const std::string& message = policy.error().message();
    EXPECT_EQ(message.rfind(test_case.expected, 0), 0u) << message;
    EXPECT_TRUE(IsSafeForTerminal(message)) << message;
  }
}

TEST(ParsePolicy, SaysWhenNestingIsTooDeep) {
  std::string deep_sequence(3000, '[');
  std::string deep_control = "name: a\ncontrols:\n  superuser: " + std::string(3000, '{');

  auto sequence = ParsePolicy(deep_sequence, "p.yaml");
  auto control = ParsePolicy(deep_control, "p.yaml");

  ASSERT_FALSE(sequence.ok());
  ASSERT_FALSE(control.ok());
  EXPECT_EQ(sequence.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(sequence.error().message().rfind("p.yaml line 1: YAML nesting too deep: ", 0), 0u)
      << sequence.error().message();
  EXPECT_NE(sequence.error().message().find("a policy needs at most 4"), std::string::npos);
  EXPECT_EQ(sequence.error().message().find("bad file"), std::string::npos);
  EXPECT_EQ(control.error().message().rfind("p.yaml line 3: YAML nesting too deep: ", 0), 0u)
      << control.error().message();
}

TEST(ParsePolicy, EscapesBinaryGarbageInErrorMessages) {
  struct Case {
    const char* label;
    std::string document;
    const char* excerpt;  // How the bad bytes appear in the message.
  };
  const Case cases[] = {
      {"escape sequence in a bare package",
       "name: a\ncontrols:\n  blockedPackages:\n"
       "    - \"\x1b[2J\\nbulwark: COMPLIANT\"\n",
       "{name: \\x1b[2J\\x0abulwark: COMPLIANT}"},
      {"escape sequence in an unknown key", "name: a\n\"\x1b]0;title\\x07\": 1\n",
       "unknown key \"\\x1b]0;title\\x07\""},
      {"C1 control in a constraint",
       "name: a\ncontrols:\n  blockedPackages:\n    - {name: x, version: \"<\xc2\x9b<\"}\n",
       "constraint \"<\\u009b<\""},
      {"binary bytes in a YAML escape", std::string("a: \"\\\x01\"\n"),
       "unknown escape character: \\x01"},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);

    auto policy = ParsePolicy(test_case.document, "p.yaml");

    ASSERT_FALSE(policy.ok());
    const std::string& message = policy.error().message();
    EXPECT_TRUE(IsSafeForTerminal(message)) << message;
    EXPECT_NE(message.find(test_case.excerpt), std::string::npos) << message;
  }
}

TEST(ParsePolicy, RefusesDocumentsOverOneMebibyte) {
  std::string document = "name: big\ncontrols: {superuser: deny}\n#";
  document.append(1 << 20, 'x');

  auto policy = ParsePolicy(document, "big.yaml");

  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(policy.error().message().find("the limit is 1048576"), std::string::npos);
}

TEST(ParsePolicy, UsesAGenericOriginWhenNoneIsGiven) {
  auto policy = ParsePolicy("name: a\n", "");

  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.error().message().rfind("policy line 1: ", 0), 0u);
}

TEST(LoadPolicyFile, ReadsTheFileWithItsPathAsOrigin) {
  std::string path = testing::MakeTempDir() + "/policy.yaml";
  std::ofstream(path) << kFullPolicy;

  auto policy = LoadPolicyFile(path);

  ASSERT_TRUE(policy.ok()) << policy.error().message();
  EXPECT_EQ(policy->origin, path);
  EXPECT_EQ(policy->document_sha256, Sha256Of(kFullPolicy));
}

TEST(LoadPolicyFile, ReportsAMissingFileAsNotFound) {
  std::string path = testing::MakeTempDir() + "/absent.yaml";

  auto policy = LoadPolicyFile(path);

  ASSERT_FALSE(policy.ok());
  EXPECT_EQ(policy.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(policy.error().message().find(path), std::string::npos);
}

TEST(LoadPolicyFile, Issue2SaysWhyAPathCannotBeRead) {
  std::string dir = testing::MakeTempDir();

  auto directory = LoadPolicyFile(dir);
  auto missing = LoadPolicyFile(dir + "/absent.yaml");
  auto device = LoadPolicyFile("/dev/zero");

  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(directory.error().message(),
            "policy file " + dir + ": is a directory; give the path of a policy document");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message(), "policy file " + dir + "/absent.yaml: no such file");
  ASSERT_FALSE(device.ok());
  EXPECT_EQ(device.error().message(),
            "/dev/zero: policy document has more than 1048576 bytes; the limit is 1048576");
}

TEST(LoadPolicyFile, RefusesAnOversizedFileInsteadOfTruncatingIt) {
  std::string path = testing::MakeTempDir() + "/huge.yaml";
  std::ofstream(path) << "name: a\ncontrols: {superuser: deny}\n#" << std::string(1 << 20, 'x');

  auto policy = LoadPolicyFile(path);

  ASSERT_FALSE(policy.ok());
  EXPECT_NE(policy.error().message().find("the limit is"), std::string::npos);
}

TEST(Approves, MatchesNamesAndPinnedDigests) {
  auto policy = ParsePolicy(std::string("name: a\ncontrols:\n  approvedBaseImages:\n"
                                        "    - registry.example.com/base:1.0\n"
                                        "    - registry.example.com/pinned@") +
                                kDigest + "\n    - registry.example.com/tagged:2@" + kDigest + "\n",
                            "p.yaml");
  ASSERT_TRUE(policy.ok()) << policy.error().message();
  const auto& approved = *policy->approved_base_images;
  auto base = Registered({"registry.example.com/base:1.0"}, "base");
  auto other_tag = Registered({"registry.example.com/base:2.0"}, "base2");
  auto pinned = Registered({"registry.example.com/pinned:7"}, "pinned");
  pinned.manifest_digests.push_back(*Digest::Parse(kDigest));
  auto pinned_by_id = Registered({"registry.example.com/pinned:7"}, "pinned-id");
  pinned_by_id.image_id = *Digest::Parse(kDigest);
  auto digest_wrong_name = Registered({"registry.example.com/other:7"}, "other");
  digest_wrong_name.manifest_digests.push_back(*Digest::Parse(kDigest));
  auto tagged_wrong_tag = Registered({"registry.example.com/tagged:3"}, "tagged");
  tagged_wrong_tag.manifest_digests.push_back(*Digest::Parse(kDigest));

  bool base_ok = Approves(approved[0], base);
  bool other_tag_ok = Approves(approved[0], other_tag);
  bool pinned_ok = Approves(approved[1], pinned);
  bool pinned_by_id_ok = Approves(approved[1], pinned_by_id);
  bool pinned_wrong_digest =
      Approves(approved[1], Registered({"registry.example.com/pinned:7"}, "x"));
  bool wrong_name = Approves(approved[1], digest_wrong_name);
  bool wrong_tag = Approves(approved[2], tagged_wrong_tag);

  EXPECT_TRUE(base_ok);
  EXPECT_FALSE(other_tag_ok);
  EXPECT_TRUE(pinned_ok);
  EXPECT_TRUE(pinned_by_id_ok);
  EXPECT_FALSE(pinned_wrong_digest);
  EXPECT_FALSE(wrong_name);
  EXPECT_FALSE(wrong_tag);
}

TEST(CheckApprovedImagesRegistered, AcceptsWhenEveryApprovedImageIsRegistered) {
  auto policy = ParsePolicy(kFullPolicy, "policy.yaml");
  ASSERT_TRUE(policy.ok());
  auto pinned = Registered({"docker.io/library/base:0.9"}, "pinned");
  pinned.image_id = *Digest::Parse(kDigest);
  std::vector<lineage::RegisteredImage> registered = {
      Registered({"registry.example.com/base:1.0"}, "base"), pinned,
      Registered({"docker.io/library/ubuntu:latest"}, "ubuntu")};

  Status status = CheckApprovedImagesRegistered(*policy, registered);

  EXPECT_TRUE(status.ok()) << status.error().message();
}

TEST(CheckApprovedImagesRegistered, NamesEntryPolicyFileAndRegisterCommand) {
  auto policy = ParsePolicy(
      "name: default\ncontrols:\n  approvedBaseImages:\n    - registry.example.com/base:1.0\n"
      "    - registry.example.com/base:2.0\n",
      "policy.yaml");
  ASSERT_TRUE(policy.ok());
  std::vector<lineage::RegisteredImage> registered = {
      Registered({"registry.example.com/base:1.0"}, "base")};

  Status status = CheckApprovedImagesRegistered(*policy, registered);

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().message(),
            "policy \"default\" (policy.yaml line 5): approved base image "
            "registry.example.com/base:2.0 is not registered; register it with: bulwark image "
            "register SOURCE --name registry.example.com/base:2.0");
}

TEST(CheckApprovedImagesRegistered, RefusesAPinnedDigestRegisteredUnderAnotherName) {
  auto policy = ParsePolicy(std::string("name: pinned\ncontrols:\n  approvedBaseImages:\n"
                                        "    - registry.example.com/base@") +
                                kDigest + "\n",
                            "p.yaml");
  ASSERT_TRUE(policy.ok());
  auto elsewhere = Registered({"registry.example.com/other:1"}, "other");
  elsewhere.image_id = *Digest::Parse(kDigest);

  Status status = CheckApprovedImagesRegistered(*policy, {elsewhere});

  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message().find("policy \"pinned\" (p.yaml line 4)"), std::string::npos);
  EXPECT_NE(status.error().message().find("--name registry.example.com/base:TAG"),
            std::string::npos);
  EXPECT_NE(status.error().message().find(kDigest), std::string::npos);
}

TEST(CheckApprovedImagesRegistered, AcceptsAPolicyWithoutApprovedImages) {
  auto policy = ParsePolicy("name: a\ncontrols: {superuser: deny}\n", "p.yaml");
  ASSERT_TRUE(policy.ok());

  Status status = CheckApprovedImagesRegistered(*policy, {});

  EXPECT_TRUE(status.ok());
}

}  // namespace
}  // namespace bulwark::policy
