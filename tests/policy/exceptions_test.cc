// Policy exceptions: scope, expiry, and how applied and expired ones are
// reported, evaluated through Evaluate() on findings built in code.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "advisory_facts.h"
#include "policy/exception_match.h"
#include "policy/policy.h"
#include "policy/verdict.h"

namespace bulwark::policy {
namespace {

using advisory_facts::AdvisoryFacts;
using advisory_facts::ControlNamed;
using advisory_facts::Finding;
using advisory_facts::HasEvidence;
using advisory_facts::MustParse;

// A policy failing on every finding, with one exception whose body (the
// lines after "  - reason: ...", each indented by four spaces) is `scope`.
// The exception starts on line 5.
Policy ExceptionPolicy(const std::string& scope) {
  return MustParse(
      "name: excepted\ncontrols:\n  vulnerabilities: {}\nexceptions:\n"
      "  - reason: upstream fix pending, tracked in SEC-123\n" +
      scope);
}

// libssl3, built from the openssl source, with CVE-2023-5678 (alias DSA-5532-1).
vulndb::Finding Libssl() {
  vulndb::Finding finding = Finding("CVE-2023-5678", "libssl3", "3.0.9-1");
  finding.source_package = "openssl";
  finding.aliases = {"DSA-5532-1"};
  return finding;
}

const ControlResult& Vulnerabilities(const Verdict& verdict) {
  return ControlNamed(verdict, "vulnerabilities");
}

bool Applied(const Verdict& verdict) { return Vulnerabilities(verdict).outcome == Outcome::kPass; }

TEST(Exceptions, PackageScopeMatchesTheBinaryOrTheSourcePackage) {
  Policy by_binary = ExceptionPolicy("    expires: 2027-01-31\n    packages: [libssl3]\n");
  Policy by_source = ExceptionPolicy("    expires: 2027-01-31\n    packages: [openssl]\n");
  Policy other = ExceptionPolicy("    expires: 2027-01-31\n    packages: [zlib1g]\n");
  Facts facts = AdvisoryFacts({Libssl()});

  Verdict binary = Evaluate({by_binary}, facts);
  Verdict source = Evaluate({by_source}, facts);
  Verdict other_package = Evaluate({other}, facts);

  EXPECT_TRUE(Applied(binary));
  EXPECT_TRUE(Applied(source));
  EXPECT_FALSE(Applied(other_package));
  EXPECT_TRUE(other_package.policies[0].applied_exceptions.empty());
}

TEST(Exceptions, AdvisoryScopeMatchesTheIdOrAnAliasInAnyCase) {
  Policy by_id = ExceptionPolicy("    expires: 2027-01-31\n    advisories: [CVE-2023-5678]\n");
  Policy by_alias = ExceptionPolicy("    expires: 2027-01-31\n    advisories: [dsa-5532-1]\n");
  Policy other = ExceptionPolicy("    expires: 2027-01-31\n    advisories: [CVE-2023-0001]\n");
  Facts facts = AdvisoryFacts({Libssl()});

  Verdict id = Evaluate({by_id}, facts);
  Verdict alias = Evaluate({by_alias}, facts);
  Verdict other_id = Evaluate({other}, facts);

  EXPECT_TRUE(Applied(id));
  EXPECT_TRUE(Applied(alias));
  EXPECT_FALSE(Applied(other_id));
}

TEST(Exceptions, ImageScopeMatchesANameAsWrittenOrNormalised) {
  struct Case {
    const char* label;
    std::vector<std::string> names;
    const char* pattern;
    bool applies;
  };
  const Case cases[] = {
      {"pattern on the written name",
       {"registry.example.com/app:1.0"},
       "registry.example.com/app*",
       true},
      {"pattern on the normalised name", {"ubuntu:22.04"}, "docker.io/library/ubuntu:*", true},
      {"short pattern on the written name", {"ubuntu:22.04"}, "ubuntu:2?.04", true},
      {"any of several names",
       {"a.example.com/x:1", "registry.example.com/app:2"},
       "registry.example.com/app:?",
       true},
      {"other repository", {"registry.example.com/api:1.0"}, "registry.example.com/app*", false},
      {"pattern must cover the whole name",
       {"registry.example.com/app:1.0"},
       "registry.example.com/app",
       false},
      {"no names", {}, "*", false},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    Policy policy = ExceptionPolicy(std::string("    expires: 2027-01-31\n    packages: [openssl]\n"
                                                "    images: [\"") +
                                    test_case.pattern + "\"]\n");
    Facts facts = AdvisoryFacts({Libssl()});
    facts.names = test_case.names;

    Verdict verdict = Evaluate({policy}, facts);

    EXPECT_EQ(Applied(verdict), test_case.applies);
  }
}

TEST(Exceptions, EveryScopeFieldThatIsSetMustMatch) {
  struct Case {
    const char* label;
    const char* scope;
    bool applies;
  };
  const Case cases[] = {
      {"all three match",
       "    images: [\"registry.example.com/*\"]\n    packages: [openssl]\n"
       "    advisories: [CVE-2023-5678]\n",
       true},
      {"advisory does not match", "    packages: [openssl]\n    advisories: [CVE-2023-0001]\n",
       false},
      {"package does not match", "    packages: [zlib1g]\n    advisories: [CVE-2023-5678]\n",
       false},
      {"image does not match",
       "    images: [\"other.example.com/*\"]\n    advisories: [CVE-2023-5678]\n", false},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    Policy policy = ExceptionPolicy(std::string("    expires: 2027-01-31\n") + test_case.scope);
    Facts facts = AdvisoryFacts({Libssl()});

    Verdict verdict = Evaluate({policy}, facts);

    EXPECT_EQ(Applied(verdict), test_case.applies);
  }
}

TEST(Exceptions, AppliesThroughItsExpiryDayAndNotTheDayAfter) {
  Policy policy = ExceptionPolicy("    expires: 2026-12-04\n    packages: [openssl]\n");
  Facts last_day = AdvisoryFacts({Libssl()});
  last_day.scanned_at = "2026-12-04T23:59:59Z";
  Facts day_after = AdvisoryFacts({Libssl()});
  day_after.scanned_at = "2026-12-05T00:00:00Z";

  Verdict on_the_day = Evaluate({policy}, last_day);
  Verdict after = Evaluate({policy}, day_after);

  EXPECT_TRUE(Applied(on_the_day));
  EXPECT_EQ(on_the_day.policies[0].applied_exceptions.size(), 1u);
  EXPECT_TRUE(on_the_day.policies[0].expired_exceptions.empty());
  EXPECT_FALSE(Applied(after));
  EXPECT_TRUE(after.policies[0].applied_exceptions.empty());
  EXPECT_EQ(after.policies[0].expired_exceptions.size(), 1u);
}

TEST(Exceptions, ExpiryUsesTheUtcDateOfTheScanTime) {
  Policy policy = ExceptionPolicy("    expires: 2026-12-04\n    packages: [openssl]\n");
  Facts facts = AdvisoryFacts({Libssl()});
  facts.scanned_at = "2026-12-04T22:30:00-02:00";  // 2026-12-05T00:30:00Z.

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_FALSE(Applied(verdict));
}

TEST(Exceptions, AppliedExceptionsAreListedOncePerExceptionAndFinding) {
  Policy policy = MustParse(
      "name: excepted\ncontrols:\n  vulnerabilities: {}\nexceptions:\n"
      "  - reason: upstream fix pending\n    expires: 2027-01-31\n    packages: [openssl]\n"
      "  - reason: not reachable in this service\n    expires: 2027-06-30\n"
      "    advisories: [CVE-2023-5678]\n");
  vulndb::Finding openssl = Libssl();
  openssl.package = "openssl";
  Facts facts = AdvisoryFacts({Libssl(), openssl, Finding("CVE-2026-0001", "zlib1g")});

  Verdict verdict = Evaluate({policy}, facts);

  const PolicyResult& result = verdict.policies[0];
  ASSERT_EQ(result.applied_exceptions.size(), 4u);
  EXPECT_EQ(result.applied_exceptions[0].line, 5);
  EXPECT_EQ(result.applied_exceptions[0].reason, "upstream fix pending");
  EXPECT_EQ(result.applied_exceptions[0].expires, "2027-01-31");
  EXPECT_EQ(result.applied_exceptions[0].finding_id, "CVE-2023-5678");
  EXPECT_EQ(result.applied_exceptions[0].package, "libssl3");
  EXPECT_EQ(result.applied_exceptions[1].line, 8);
  EXPECT_EQ(result.applied_exceptions[2].package, "openssl");
  EXPECT_EQ(result.applied_exceptions[3].line, 8);
  const ControlResult& control = Vulnerabilities(verdict);
  EXPECT_EQ(control.summary, "1 of 3 findings counts against the policy (1 high).");
  EXPECT_TRUE(HasEvidence(control,
                          "not counted, exception at line 5 (until 2027-01-31: "
                          "\"upstream fix pending\") and exception at line 8 (until "
                          "2027-06-30: \"not reachable in this service\") applies: "
                          "CVE-2023-5678 (also DSA-5532-1): libssl3"));
}

TEST(Exceptions, ExpiredExceptionIsListedOnceAndItsFindingsCountAgain) {
  Policy policy = ExceptionPolicy("    expires: 2026-11-30\n    packages: [openssl]\n");
  vulndb::Finding other = Libssl();
  other.id = "CVE-2023-9999";
  other.aliases.clear();
  Facts facts = AdvisoryFacts({Libssl(), other});

  Verdict verdict = Evaluate({policy}, facts);

  const PolicyResult& result = verdict.policies[0];
  ASSERT_EQ(result.expired_exceptions.size(), 1u);
  EXPECT_EQ(result.expired_exceptions[0].line, 5);
  EXPECT_EQ(result.expired_exceptions[0].reason, "upstream fix pending, tracked in SEC-123");
  EXPECT_EQ(result.expired_exceptions[0].expires, "2026-11-30");
  EXPECT_TRUE(result.applied_exceptions.empty());
  const ControlResult& control = Vulnerabilities(verdict);
  EXPECT_EQ(control.outcome, Outcome::kFail);
  EXPECT_TRUE(HasEvidence(control,
                          "layer 4; exception at line 5 (until 2026-11-30: \"upstream "
                          "fix pending, tracked in SEC-123\") has expired, so it counts "
                          "again"));
}

TEST(Exceptions, ExpiredExceptionThatMatchesNothingIsNotListed) {
  Policy policy = ExceptionPolicy("    expires: 2026-11-30\n    packages: [zlib1g]\n");
  Facts facts = AdvisoryFacts({Libssl()});

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_TRUE(verdict.policies[0].expired_exceptions.empty());
}

TEST(Exceptions, NoneAppliesWhenTheScanTimeIsUnknown) {
  Policy policy = ExceptionPolicy("    expires: 2027-01-31\n    packages: [openssl]\n");
  Facts facts = AdvisoryFacts({Libssl()});
  facts.scanned_at = "soon";

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& control = Vulnerabilities(verdict);
  EXPECT_EQ(control.outcome, Outcome::kFail);
  EXPECT_TRUE(HasEvidence(control, "does not apply: the scan time is unknown"));
  EXPECT_TRUE(HasEvidence(control,
                          "the scan time \"soon\" is not an RFC 3339 time, so no "
                          "exception can be checked for expiry and none applies"));
  EXPECT_TRUE(verdict.policies[0].applied_exceptions.empty());
  EXPECT_TRUE(verdict.policies[0].expired_exceptions.empty());
}

TEST(Exceptions, TakeBlockedFindingsOutOfBlockedCves) {
  Policy policy = MustParse(
      "name: blocked\ncontrols:\n  blockedCves: [CVE-2023-5678]\nexceptions:\n"
      "  - reason: patched in our own build\n    expires: 2027-01-31\n"
      "    advisories: [CVE-2023-5678]\n");
  Facts facts = AdvisoryFacts({Libssl()});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& control = ControlNamed(verdict, "blockedCves");
  EXPECT_EQ(control.outcome, Outcome::kPass);
  EXPECT_TRUE(HasEvidence(control,
                          "not counted, exception at line 5 (until 2027-01-31: "
                          "\"patched in our own build\") applies: blocked by "
                          "CVE-2023-5678 (line 3)"));
  EXPECT_EQ(verdict.policies[0].applied_exceptions.size(), 1u);
}

TEST(Exceptions, ExpiredExceptionNoLongerTakesABlockedFindingOut) {
  Policy policy = MustParse(
      "name: blocked\ncontrols:\n  blockedCves: [CVE-2023-5678]\nexceptions:\n"
      "  - reason: patched in our own build\n    expires: 2026-01-31\n"
      "    advisories: [CVE-2023-5678]\n");
  Facts facts = AdvisoryFacts({Libssl()});

  Verdict verdict = Evaluate({policy}, facts);

  const ControlResult& control = ControlNamed(verdict, "blockedCves");
  EXPECT_EQ(control.outcome, Outcome::kFail);
  EXPECT_TRUE(HasEvidence(control, "has expired, so it counts again"));
  EXPECT_EQ(verdict.policies[0].expired_exceptions.size(), 1u);
}

TEST(Exceptions, NothingIsRecordedWithoutAnAdvisoryMatch) {
  Policy policy = ExceptionPolicy("    expires: 2027-01-31\n    packages: [openssl]\n");
  Facts facts = AdvisoryFacts({Libssl()});
  facts.vulnerabilities.reset();

  Verdict verdict = Evaluate({policy}, facts);

  EXPECT_TRUE(verdict.policies[0].applied_exceptions.empty());
  EXPECT_TRUE(verdict.policies[0].expired_exceptions.empty());
  EXPECT_FALSE(verdict.compliant());
}

TEST(GlobMatches, StarAndQuestionMarkCoverAnyBytes) {
  struct Case {
    const char* pattern;
    const char* text;
    bool matches;
  };
  const Case cases[] = {
      {"*", "", true},
      {"*", "docker.io/library/ubuntu:22.04", true},
      {"docker.io/*:22.04", "docker.io/library/ubuntu:22.04", true},
      {"*ubuntu*", "docker.io/library/ubuntu:22.04", true},
      {"a?c", "abc", true},
      {"a?c", "ac", false},
      {"a*b*c", "axxbyyc", true},
      {"a*b*c", "axxbyy", false},
      {"app", "App", false},
      {"", "", true},
      {"", "a", false},
      {"**a", "bba", true},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(std::string(test_case.pattern) + " ~ " + test_case.text);

    bool matches = internal::GlobMatches(test_case.pattern, test_case.text);

    EXPECT_EQ(matches, test_case.matches);
  }
}

TEST(GlobMatches, StaysFastOnPatternsThatBacktrack) {
  std::string pattern = std::string(100, '*') + "b";
  std::string text(10000, 'a');

  bool matches = internal::GlobMatches(pattern, text);

  EXPECT_FALSE(matches);
}

}  // namespace
}  // namespace bulwark::policy
