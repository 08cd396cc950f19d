#include "policy/control.h"
#include "policy/match_coverage.h"
#include "policy/utc_time.h"

namespace bulwark::policy::internal {
namespace {

// A database built up to this long after the scan started passes the age
// check: the import and the scan may run on machines whose clocks differ a
// little. Anything later means a clock is wrong, and the age is unknown.
constexpr int64_t kClockSkewSeconds = kSecondsPerDay;

// One check's outcome: whether it failed, the evidence line, and a clause
// for the summary ("is older than 3 days").
struct CheckOutcome {
  bool failed = false;
  std::string evidence;
  std::string clause;
};

CheckOutcome CheckAge(int max_age_days, const vulndb::DatabaseStatus& database,
                      const std::string& scanned_at) {
  std::optional<int64_t> built = ParseRfc3339(database.built_at);
  std::optional<int64_t> scanned = ParseRfc3339(scanned_at);
  std::string allowed = CountOf(static_cast<size_t>(max_age_days), "day", "days");
  if (!built) {
    return {true,
            "the database's build time " + QuoteForEvidence(database.built_at) +
                " is not an RFC 3339 time, so its age is unknown",
            "has an unknown age"};
  }
  if (!scanned) {
    return {true,
            "the scan time " + QuoteForEvidence(scanned_at) +
                " is not an RFC 3339 time, so the database's age is unknown",
            "has an unknown age"};
  }

  int64_t age = *scanned - *built;
  std::string built_text = "the database was built at " + database.built_at;
  if (age < -kClockSkewSeconds) {
    return {true,
            built_text + ", " + DescribeDuration(age) + " after the scan at " + scanned_at +
                ": a clock is wrong, so its age is unknown",
            "has an unknown age"};
  }
  if (age > int64_t{max_age_days} * kSecondsPerDay) {
    return {true,
            built_text + ", " + DescribeDuration(age) + " before the scan at " + scanned_at +
                ": older than the " + allowed + " the policy allows",
            "is older than " + allowed};
  }
  std::string when = age < 0 ? "at most a day after" : DescribeDuration(age) + " before";
  return {false,
          built_text + ", " + when + " the scan at " + scanned_at + ": within the " + allowed +
              " the policy allows",
          "is at most " + allowed + " old"};
}

CheckOutcome CheckReleaseData(const Facts& facts) {
  if (!NeedsReleaseData(facts.inventory)) {
    return {false, "the image has no OS release and no packages, so it needs no release data",
            "needs no release data for this image (no OS release, no packages)"};
  }
  if (std::string problem = ReleaseDataProblem(facts); !problem.empty()) {
    return {true, problem, "has no data for the image's distribution release"};
  }
  const std::string& distro = facts.vulnerabilities->distro;
  return {false, "the advisory database has data for " + distro, "has data for " + distro};
}

// Fails when the advisory database is older than maxAgeDays at the scan's
// time, or has no data for the image's distribution release. Either check
// that cannot be made (a time that does not parse, an unknown release) fails.
class AdvisoryData final : public Control {
 public:
  std::string_view name() const override { return "advisoryData"; }

  bool IsSet(const Policy& policy) const override { return policy.advisory_data.has_value(); }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    const AdvisoryDataRule& rule = *policy.advisory_data;
    if (!facts.vulnerabilities.has_value()) {
      result.outcome = Outcome::kFail;
      result.summary = "No advisory database was consulted, so its age and coverage are unknown.";
      result.evidence.push_back(kNoDatabaseEvidence);
      return result;
    }

    const vulndb::DatabaseStatus& database = facts.vulnerabilities->database;
    result.evidence.push_back("advisory database " + QuoteForEvidence(database.path) + ", " +
                              CountOf(database.sources.size(), "source", "sources"));
    std::vector<CheckOutcome> checks;
    if (rule.max_age_days.has_value()) {
      checks.push_back(CheckAge(*rule.max_age_days, database, facts.scanned_at));
    }
    if (rule.require_distro_data) checks.push_back(CheckReleaseData(facts));
    if (checks.empty()) {
      // The parser refuses such a rule; one built another way checks only that
      // a database was consulted.
      result.summary = "An advisory database was consulted; the rule sets no other check.";
      return result;
    }

    bool failed = false;
    for (const CheckOutcome& check : checks) failed = failed || check.failed;
    std::string clauses;
    for (const CheckOutcome& check : checks) {
      if (check.failed != failed) continue;
      if (!clauses.empty()) clauses += " and ";
      clauses += check.clause;
    }
    for (const CheckOutcome& check : checks) result.evidence.push_back(check.evidence);
    result.outcome = failed ? Outcome::kFail : Outcome::kPass;
    result.summary = "The advisory database " + clauses + ".";
    return result;
  }
};

}  // namespace

std::unique_ptr<Control> MakeAdvisoryDataControl() { return std::make_unique<AdvisoryData>(); }

}  // namespace bulwark::policy::internal
