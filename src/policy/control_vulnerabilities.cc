#include <map>
#include <optional>

#include "policy/advisory_id.h"
#include "policy/control.h"
#include "policy/exception_match.h"
#include "policy/finding_text.h"
#include "policy/match_coverage.h"
#include "policy/utc_time.h"

namespace bulwark::policy::internal {
namespace {

// Past this many findings taken out for one reason, evidence gives their
// count instead of a line each. Counted findings are always listed one by one.
constexpr size_t kMaxListedPerReason = 10;

// Why a finding does not count: the first rule that takes it out, in the order
// docs/policy.md gives.
enum class TakenOut {
  kNo,
  kAllowed,
  kExcepted,
  kBelowThresholds,
  kNotFixable,
  kInGracePeriod,
  kInBaseImage,
};

// The base whose layers ignoreBaseImage leaves out; `ancestor` is null when
// none was found (then every layer counts).
struct BaseImage {
  const lineage::Ancestor* ancestor = nullptr;
  std::string evidence;
};

// The image itself never counts as its own base: with ignoreBaseImage that
// would leave out every finding of an image registered under an approved name.
BaseImage FindBase(const Policy& policy, const lineage::Lineage& lineage) {
  size_t chain_length = lineage.chain.size();
  if (policy.approved_base_images.has_value()) {
    for (const lineage::Ancestor& ancestor : lineage.ancestors) {
      if (ancestor.is_self) continue;
      for (const ApprovedImage& entry : *policy.approved_base_images) {
        if (!Approves(entry, ancestor.image)) continue;
        return {&ancestor,
                "ignoreBaseImage: findings from the layers of approved base image " + entry.text +
                    " are not counted: " + lineage::DescribeAncestor(ancestor, chain_length)};
      }
    }
    return {nullptr,
            "ignoreBaseImage: no approved base image is an ancestor of this image, so findings "
            "from every layer count"};
  }

  const lineage::Ancestor* nearest = lineage.NearestBase();
  if (nearest == nullptr) {
    return {nullptr, "ignoreBaseImage: " + lineage::DescribeMissingBase(lineage) +
                         ", so findings from every layer count"};
  }
  return {nearest,
          "ignoreBaseImage: findings from the layers of the nearest registered base are not "
          "counted: " +
              lineage::DescribeAncestor(*nearest, chain_length)};
}

// "failAtOrAbove high or failAboveCvss 7.0".
std::string ThresholdText(const VulnerabilityRule& rule) {
  std::string text;
  if (rule.fail_on.has_value()) text = "failAtOrAbove " + std::string(SeverityText(*rule.fail_on));
  if (rule.max_cvss.has_value()) {
    if (!text.empty()) text += " or ";
    text += "failAboveCvss " + CvssText(*rule.max_cvss);
  }
  return text;
}

// Either threshold that is set makes a finding count. A finding without a
// CVSS score is judged by failAtOrAbove when that is set; under failAboveCvss
// alone it counts, since it cannot be shown to be at or below the score.
// LIMITATION(#4): unknown severity is the lowest level, so a finding with
// neither a rating nor a score never reaches failAtOrAbove; it is listed as
// below the thresholds. Counting it would fail every gate on each new CVE
// that no one has rated yet.
bool ReachesThresholds(const VulnerabilityRule& rule, const vulndb::Finding& finding,
                       std::vector<std::string>& notes) {
  if (!rule.fail_on.has_value() && !rule.max_cvss.has_value()) return true;
  if (rule.fail_on.has_value() && finding.severity >= *rule.fail_on) return true;
  if (!rule.max_cvss.has_value()) return false;

  if (HasCvssScore(finding)) return finding.cvss_score > *rule.max_cvss;
  if (rule.fail_on.has_value()) return false;
  notes.push_back("no CVSS score, so it cannot be shown to be at or below " +
                  CvssText(*rule.max_cvss));
  return true;
}

// What every finding is judged against.
struct Context {
  const Policy& policy;
  const VulnerabilityRule& rule;
  const ExceptionMatches& exceptions;
  std::optional<int64_t> scanned_at;
  std::optional<size_t> base_layers;  // Set with ignoreBaseImage and a base found.
};

// A finding is in the grace period when it was published less than the
// period before the scan. An unknown publication date, a scan time that does
// not parse, or a date after the scan leave it counted.
bool InGracePeriod(const Context& context, const vulndb::Finding& finding,
                   std::vector<std::string>& notes) {
  if (context.rule.grace_period_days <= 0 || !context.scanned_at) return false;
  std::optional<int64_t> published = ParseRfc3339(finding.published);
  if (!published) {
    notes.push_back("publication date unknown, so the grace period does not apply");
    return false;
  }
  int64_t age = *context.scanned_at - *published;
  return age >= 0 && age < int64_t{context.rule.grace_period_days} * kSecondsPerDay;
}

bool InBaseImage(const Context& context, const vulndb::Finding& finding,
                 std::vector<std::string>& notes) {
  if (!context.base_layers) return false;
  if (finding.layer_index < 0) {
    notes.push_back("layer unknown, so ignoreBaseImage cannot leave it out");
    return false;
  }
  return static_cast<size_t>(finding.layer_index) < *context.base_layers;
}

const CveRule* AllowedBy(const Policy& policy, const vulndb::Finding& finding) {
  for (const CveRule& allowed : policy.allowed_cves) {
    if (FindingHasId(finding, allowed.id)) return &allowed;
  }
  return nullptr;
}

// The first rule that takes finding `index` out, and notes on why it counts.
TakenOut Judge(const Context& context, size_t index, const vulndb::Finding& finding,
               std::vector<std::string>& notes) {
  if (AllowedBy(context.policy, finding) != nullptr) return TakenOut::kAllowed;
  if (index < context.exceptions.findings.size() && context.exceptions.findings[index].applies()) {
    return TakenOut::kExcepted;
  }
  if (!ReachesThresholds(context.rule, finding, notes)) return TakenOut::kBelowThresholds;
  if (context.rule.fixable_only && !finding.fixable()) return TakenOut::kNotFixable;
  if (InGracePeriod(context, finding, notes)) return TakenOut::kInGracePeriod;
  if (InBaseImage(context, finding, notes)) return TakenOut::kInBaseImage;
  return TakenOut::kNo;
}

// Notes on exceptions that cover a counted finding but do not apply.
void AddExceptionNotes(const Context& context, size_t index, std::vector<std::string>& notes) {
  if (index >= context.exceptions.findings.size()) return;
  const FindingExceptions& matched = context.exceptions.findings[index];
  for (size_t e : matched.expired) {
    notes.push_back(DescribeException(context.policy.exceptions[e]) +
                    " has expired, so it counts again");
  }
  for (size_t e : matched.unchecked) {
    notes.push_back(DescribeException(context.policy.exceptions[e]) +
                    " does not apply: the scan time is unknown");
  }
}

std::string ExceptionsApplying(const Context& context, size_t index) {
  std::string text;
  for (size_t e : context.exceptions.findings[index].applying) {
    if (!text.empty()) text += " and ";
    text += DescribeException(context.policy.exceptions[e]);
  }
  return text;
}

// Why findings of one kind are not counted, for evidence.
std::string ReasonText(TakenOut reason, const VulnerabilityRule& rule) {
  switch (reason) {
    case TakenOut::kBelowThresholds:
      return "below the thresholds (" + ThresholdText(rule) + ")";
    case TakenOut::kNotFixable:
      return "no fixed version (fixableOnly)";
    case TakenOut::kInGracePeriod:
      return "published within the " + std::to_string(rule.grace_period_days) + "-day grace period";
    case TakenOut::kInBaseImage:
      return "from the base image's layers (ignoreBaseImage)";
    case TakenOut::kNo:
    case TakenOut::kAllowed:
    case TakenOut::kExcepted:
      break;
  }
  return "";
}

// The findings of each kind, with their evidence, as the control sorts them.
struct Tally {
  std::vector<std::string> counted;
  std::map<vulndb::Severity, size_t> counted_by_severity;
  std::vector<std::string> listed_out;  // Allowed and excepted: always one line each.
  std::map<TakenOut, std::vector<std::string>> bucketed_out;
  size_t taken_out = 0;
};

void SortFindings(const Context& context, const std::vector<vulndb::Finding>& findings,
                  Tally& tally) {
  for (size_t i = 0; i < findings.size(); ++i) {
    const vulndb::Finding& finding = findings[i];
    std::vector<std::string> notes;
    TakenOut reason = Judge(context, i, finding, notes);
    std::string description = DescribeFinding(finding);

    if (reason == TakenOut::kNo) {
      AddExceptionNotes(context, i, notes);
      for (const std::string& note : notes) description += "; " + note;
      tally.counted.push_back(description);
      ++tally.counted_by_severity[finding.severity];
      continue;
    }

    ++tally.taken_out;
    if (reason == TakenOut::kAllowed) {
      const CveRule* allowed = AllowedBy(context.policy, finding);
      tally.listed_out.push_back("not counted, allowed by allowedCves " + allowed->id + " (line " +
                                 std::to_string(allowed->line) + "): " + description);
    } else if (reason == TakenOut::kExcepted) {
      tally.listed_out.push_back("not counted, " + ExceptionsApplying(context, i) +
                                 " applies: " + description);
    } else {
      tally.bucketed_out[reason].push_back(description);
    }
  }
}

std::vector<std::string> TakenOutEvidence(const Tally& tally, const VulnerabilityRule& rule) {
  std::vector<std::string> evidence = tally.listed_out;
  for (const auto& [reason, descriptions] : tally.bucketed_out) {
    std::string why = ReasonText(reason, rule);
    if (descriptions.size() > kMaxListedPerReason) {
      evidence.push_back(CountOf(descriptions.size(), "finding", "findings") + " not counted, " +
                         why);
      continue;
    }
    for (const std::string& description : descriptions) {
      evidence.push_back("not counted, " + why + ": " + description);
    }
  }
  return evidence;
}

// "2 critical, 1 high", highest first.
std::string SeverityCounts(const std::map<vulndb::Severity, size_t>& counts) {
  std::string text;
  for (auto it = counts.rbegin(); it != counts.rend(); ++it) {
    if (!text.empty()) text += ", ";
    text += std::to_string(it->second) + " " + std::string(SeverityText(it->first));
  }
  return text;
}

std::string Summary(const Tally& tally, size_t total, const MatchCoverage& coverage) {
  size_t counted = tally.counted.size();
  if (counted == 0) {
    if (!coverage.complete()) {
      return "No finding counts, but the match is incomplete (" + coverage.summary +
             "), so the control fails closed.";
    }
    if (total == 0) return "No vulnerability was found.";
    return "None of the " + CountOf(total, "finding", "findings") + " counts against the policy.";
  }

  std::string summary = std::to_string(counted) + " of " + CountOf(total, "finding", "findings") +
                        (counted == 1 ? " counts" : " count") + " against the policy (" +
                        SeverityCounts(tally.counted_by_severity) + ")";
  if (!coverage.complete()) summary += "; the match is also incomplete (" + coverage.summary + ")";
  return summary + ".";
}

// Fails for every finding that counts under the rule (see Judge), and fails
// closed while the match is incomplete: coverage gaps, packages that could not
// be matched, or no advisory data for the image's release.
class Vulnerabilities final : public Control {
 public:
  std::string_view name() const override { return "vulnerabilities"; }

  bool IsSet(const Policy& policy) const override { return policy.vulnerabilities.has_value(); }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    if (!facts.vulnerabilities.has_value()) {
      result.outcome = Outcome::kFail;
      result.summary =
          "No advisory database was consulted, so vulnerabilities cannot be ruled out.";
      result.evidence.push_back(kNoDatabaseEvidence);
      return result;
    }

    const VulnerabilityRule& rule = *policy.vulnerabilities;
    ExceptionMatches exceptions = MatchExceptions(policy, facts);
    std::vector<std::string> context_evidence = ContextEvidence(policy, facts, exceptions);
    BaseImage base;
    if (rule.ignore_base_image) {
      base = FindBase(policy, facts.lineage);
      context_evidence.push_back(base.evidence);
    }
    std::optional<size_t> base_layers;
    if (base.ancestor != nullptr) base_layers = base.ancestor->prefix_length;
    Context context{policy, rule, exceptions, ParseRfc3339(facts.scanned_at), base_layers};

    const std::vector<vulndb::Finding>& findings = facts.vulnerabilities->findings;
    Tally tally;
    SortFindings(context, findings, tally);
    MatchCoverage coverage = CheckMatchCoverage(facts);

    // Counted findings first, then what was taken out, then the context, then gaps.
    result.evidence = tally.counted;
    for (std::string& line : TakenOutEvidence(tally, rule)) result.evidence.push_back(line);
    for (std::string& line : context_evidence) result.evidence.push_back(line);
    for (const std::string& line : coverage.evidence) result.evidence.push_back(line);

    bool fails = !tally.counted.empty() || !coverage.complete();
    result.outcome = fails ? Outcome::kFail : Outcome::kPass;
    result.summary = Summary(tally, findings.size(), coverage);
    return result;
  }

 private:
  // Facts about the evaluation as a whole that change what counts.
  static std::vector<std::string> ContextEvidence(const Policy& policy, const Facts& facts,
                                                  const ExceptionMatches& exceptions) {
    std::vector<std::string> evidence;
    const VulnerabilityRule& rule = *policy.vulnerabilities;
    if (!NeedsReleaseData(facts.inventory)) {
      evidence.push_back(
          "the image has no OS release and no packages, so there is nothing to "
          "match against advisories");
    }
    bool clock_known = ParseRfc3339(facts.scanned_at).has_value();
    if (rule.grace_period_days > 0 && !clock_known) {
      evidence.push_back("the scan time " + QuoteForEvidence(facts.scanned_at) +
                         " is not an RFC 3339 time, so the grace period does not apply");
    }
    if (!policy.exceptions.empty() && !exceptions.clock_problem.empty()) {
      evidence.push_back(exceptions.clock_problem);
    }
    return evidence;
  }
};

}  // namespace

std::unique_ptr<Control> MakeVulnerabilitiesControl() {
  return std::make_unique<Vulnerabilities>();
}

}  // namespace bulwark::policy::internal
