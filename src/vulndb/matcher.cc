#include "vulndb/matcher.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace bulwark::vulndb {
namespace {

// The dpkg matcher: Debian and Ubuntu key their records by source package
// (dpkg's `Source:` field), and a binNMU (`1.2-3+b1` built from `Source: foo
// (1.2-3)`) is compared by its source version, the one the feeds list.
class DebMatcher : public Matcher {
 public:
  std::string_view ecosystem() const override { return "deb"; }
  version::Ecosystem ordering() const override { return version::Ecosystem::kDeb; }
  std::vector<LookupKey> Keys(const catalog::Package& package, std::string* note) const override {
    note->clear();
    const std::string& name = package.source_name.empty() ? package.name : package.source_name;
    const std::string& version =
        package.source_version.empty() ? package.version : package.source_version;
    return {{name, version}};
  }
};

// The apk matcher: secdb and Alpine's OSV records are keyed by the origin
// (the APKBUILD's pkgname), which every subpackage shares with its version.
class ApkMatcher : public Matcher {
 public:
  std::string_view ecosystem() const override { return "apk"; }
  version::Ecosystem ordering() const override { return version::Ecosystem::kApk; }
  std::vector<LookupKey> Keys(const catalog::Package& package, std::string* note) const override {
    note->clear();
    const std::string& name = package.source_name.empty() ? package.name : package.source_name;
    const std::string& version =
        package.source_version.empty() ? package.version : package.source_version;
    return {{name, version}};
  }
};

// Splits "openssl-3.0.7-27.el9.src.rpm" into the name "openssl" and
// "3.0.7-27.el9": the file is NAME-VERSION-RELEASE.ARCH.rpm, and neither
// version nor release holds a '-'. nullopt when the text has another shape.
std::optional<LookupKey> ParseSourceRpm(std::string_view file) {
  constexpr std::string_view kSuffix = ".rpm";
  if (file.size() <= kSuffix.size() || !file.ends_with(kSuffix)) return std::nullopt;
  file.remove_suffix(kSuffix.size());
  size_t arch_dot = file.rfind('.');
  if (arch_dot == std::string_view::npos) return std::nullopt;
  file = file.substr(0, arch_dot);
  size_t release_dash = file.rfind('-');
  if (release_dash == std::string_view::npos || release_dash == 0) return std::nullopt;
  size_t version_dash = file.rfind('-', release_dash - 1);
  if (version_dash == std::string_view::npos || version_dash == 0) return std::nullopt;
  if (version_dash + 1 == release_dash || release_dash + 1 == file.size()) return std::nullopt;
  return LookupKey{std::string(file.substr(0, version_dash)),
                   std::string(file.substr(version_dash + 1))};
}

// The rpm matcher. Red Hat's OSV records list binary rpms, the Enterprise
// Linux rebuilds and SUSE list source rpm names, so a package is looked up
// under both. The source rpm's file name carries no epoch; it is built with
// the binary's, so the binary's epoch is put in front of its version.
class RpmMatcher : public Matcher {
 public:
  std::string_view ecosystem() const override { return "rpm"; }
  version::Ecosystem ordering() const override { return version::Ecosystem::kRpm; }
  std::vector<LookupKey> Keys(const catalog::Package& package, std::string* note) const override {
    note->clear();
    std::vector<LookupKey> keys;
    std::optional<LookupKey> source = ParseSourceRpm(package.source_rpm);
    if (source) {
      if (!package.epoch.empty()) source->version = package.epoch + ":" + source->version;
      keys.push_back(std::move(*source));
    } else if (!package.source_rpm.empty()) {
      *note = "source rpm \"" + package.source_rpm +
              "\" is not NAME-VERSION-RELEASE.ARCH.rpm; matched by the binary name only";
    }
    if (keys.empty() || keys[0].name != package.name)
      keys.push_back({package.name, package.version});
    return keys;
  }
};

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "CVE-2022-37434": CVE, a four-digit year, a sequence of at least four digits.
bool IsCveId(std::string_view id) {
  if (id.size() < 13 || !id.starts_with("CVE-") || id[8] != '-') return false;
  return IsDigits(id.substr(4, 4)) && IsDigits(id.substr(9));
}

// The CVE a distribution's per-CVE record is named after: OSV ids such as
// UBUNTU-CVE-2022-37434 or DEBIAN-CVE-2022-37434 are "<PREFIX>-<CVE id>".
std::string EmbeddedCve(std::string_view id) {
  size_t at = id.find("-CVE-");
  if (at == std::string_view::npos) return "";
  std::string_view cve = id.substr(at + 1);
  return IsCveId(cve) ? std::string(cve) : "";
}

// Compares one installed version with the versions of many rows. Rows of
// one package repeat the same fixed and listed versions (every record of a
// source lists the same earlier releases), so each answer is kept.
class VersionComparer {
 public:
  VersionComparer(version::Ecosystem ordering, std::string_view installed)
      : ordering_(ordering), installed_(installed) {}

  // The order of the installed version against `other`, as version::Compare.
  // `other` must outlive this object (rows outlive the key's decision).
  Result<int> Against(const std::string& other) {
    auto known = orders_.find(other);
    if (known != orders_.end()) return known->second;
    BULWARK_ASSIGN_OR_RETURN(int order, version::Compare(ordering_, installed_, other));
    orders_.emplace(other, order);
    return order;
  }
  const std::string& installed() const { return installed_; }

 private:
  version::Ecosystem ordering_;
  std::string installed_;
  std::unordered_map<std::string_view, int> orders_;
};

// Whether `row` affects the installed version; the `fixed` bound that
// decided it (or the row's fixed version), "" when none. nullopt when not
// affected.
Result<std::optional<std::string>> AffectedBy(const AffectedPackage& row,
                                              VersionComparer& installed) {
  if (row.state == FixState::kNotAffected) return std::optional<std::string>();
  if (row.ranges.empty() && row.versions.empty()) {
    if (row.state != FixState::kFixed) return std::optional<std::string>("");
    if (row.fixed_version.empty()) {
      return Error(ErrorCode::kCorruptInput, "a fixed record without a fixed version");
    }
    // A fixed record that lists only its fix: every version below it.
    BULWARK_ASSIGN_OR_RETURN(int order, installed.Against(row.fixed_version));
    if (order < 0) return std::optional<std::string>(row.fixed_version);
    return std::optional<std::string>();
  }

  for (const VersionRange& range : row.ranges) {
    bool from_start = range.introduced.empty() || range.introduced == "0";
    if (!from_start) {
      BULWARK_ASSIGN_OR_RETURN(int order, installed.Against(range.introduced));
      if (order < 0) continue;
    }
    if (!range.limit.empty()) {
      BULWARK_ASSIGN_OR_RETURN(int order, installed.Against(range.limit));
      if (order >= 0) continue;  // At or above the limit: outside the range.
    }
    // A range naming both bounds (which OSV does not allow) is read widely:
    // below `fixed` or at or below `last_affected`.
    bool bounded = !range.fixed.empty() || !range.last_affected.empty();
    bool below = !bounded;
    if (!below && !range.fixed.empty()) {
      BULWARK_ASSIGN_OR_RETURN(int order, installed.Against(range.fixed));
      below = order < 0;
    }
    if (!below && !range.last_affected.empty()) {
      BULWARK_ASSIGN_OR_RETURN(int order, installed.Against(range.last_affected));
      below = order <= 0;
    }
    if (below) {
      return std::optional<std::string>(range.fixed.empty() ? row.fixed_version : range.fixed);
    }
  }

  for (const std::string& listed : row.versions) {
    bool equal = listed == installed.installed();
    if (!equal) {
      BULWARK_ASSIGN_OR_RETURN(int order, installed.Against(listed));
      equal = order == 0;
    }
    if (equal) return std::optional<std::string>(row.fixed_version);
  }
  return std::optional<std::string>();
}

// One matched record for one package.
struct Hit {
  const Candidate* candidate = nullptr;
  const Advisory* advisory = nullptr;
  size_t key_index = 0;           // Which of the package's keys matched.
  std::string fixed;              // The fix for the installed version, "" unknown.
  std::vector<std::string> ids;   // Sorted: the id, aliases and the embedded CVE.
  std::vector<std::string> cves;  // The CVE ids among `ids`.
  // A record naming exactly one CVE, or none: its ratings speak for this
  // problem alone, unlike a notice covering several CVEs.
  bool specific() const { return cves.size() <= 1; }
};

// What one lookup key gave: the matched rows and the reasons rows could not
// be compared.
struct KeyOutcome {
  struct Matched {
    const Candidate* candidate = nullptr;
    const Advisory* advisory = nullptr;  // Loaded after every key is decided.
    std::string fixed;
  };
  std::vector<Matched> matched;
  std::vector<std::string> problems;
};

// Matches every row under one key. A row the ordering refuses is a problem,
// not a miss; the other rows are still compared.
Result<KeyOutcome> MatchKey(const Matcher& matcher, const LookupKey& key,
                            const CandidateIndex& index, CandidateSource& source) {
  KeyOutcome outcome;
  auto rows = index.find(key.name);
  if (rows == index.end()) return outcome;
  VersionComparer installed(matcher.ordering(), key.version);
  for (const Candidate& candidate : rows->second) {
    // A distribution release has one ordering; a row in another one is not
    // about this package (a name shared across ecosystems), so it is passed over.
    if (candidate.affected.ecosystem != matcher.ordering()) continue;
    Result<std::optional<std::string>> affected = AffectedBy(candidate.affected, installed);
    if (affected.ok()) {
      if (affected->has_value()) {
        outcome.matched.push_back({&candidate, nullptr, std::move(**affected)});
      }
      continue;
    }
    if (affected.error().code() == ErrorCode::kUnsupported) {
      outcome.problems.push_back(affected.error().message());
      continue;
    }
    BULWARK_ASSIGN_OR_RETURN(const Advisory* advisory, source.LoadAdvisory(candidate.advisory_key));
    outcome.problems.push_back(advisory->id + " (" + std::string(candidate.source) +
                               "): " + affected.error().message());
  }
  return outcome;
}

Hit MakeHit(const Candidate* candidate, const Advisory* advisory, size_t key_index,
            std::string fixed) {
  Hit hit{candidate, advisory, key_index, std::move(fixed), {}, {}};
  hit.ids.push_back(advisory->id);
  hit.ids.insert(hit.ids.end(), advisory->aliases.begin(), advisory->aliases.end());
  std::string embedded = EmbeddedCve(advisory->id);
  if (!embedded.empty()) hit.ids.push_back(std::move(embedded));
  std::sort(hit.ids.begin(), hit.ids.end());
  hit.ids.erase(std::unique(hit.ids.begin(), hit.ids.end()), hit.ids.end());
  for (const std::string& id : hit.ids) {
    if (IsCveId(id)) hit.cves.push_back(id);
  }
  return hit;
}

// How conservative a fix state is: lower wins when merged records disagree.
int StateRank(FixState state) {
  switch (state) {
    case FixState::kNotFixed:
      return 0;
    case FixState::kWontFix:
      return 1;
    case FixState::kFixed:
      return 2;
    case FixState::kNotAffected:
      return 3;
  }
  return 3;
}

// The higher of two fixed versions in `ordering`. When the ordering refuses
// one (MatchKey has then reported the row that used it), byte order decides,
// so the result is still deterministic.
const std::string& HigherFix(version::Ecosystem ordering, const std::string& a,
                             const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  Result<int> order = version::Compare(ordering, a, b);
  if (order.ok()) return *order >= 0 ? a : b;
  return a >= b ? a : b;
}

// The severity and CVSS of a finding. Records about this problem alone are
// asked first; notices covering several CVEs only when those give nothing.
void MergeSeverity(const std::vector<const Hit*>& hits, Finding& finding) {
  for (bool specific_only : {true, false}) {
    Severity rating = Severity::kUnknown;
    const Hit* scored = nullptr;
    for (const Hit* hit : hits) {
      if (specific_only && !hit->specific()) continue;
      Severity own = hit->candidate->affected.severity != Severity::kUnknown
                         ? hit->candidate->affected.severity
                         : hit->advisory->severity;
      rating = std::max(rating, own);
      if (hit->advisory->cvss_score >= 0 &&
          (scored == nullptr || hit->advisory->cvss_score > scored->advisory->cvss_score)) {
        scored = hit;
      }
    }
    if (scored != nullptr) {
      finding.cvss_score = scored->advisory->cvss_score;
      finding.cvss_vector = scored->advisory->cvss_vector;
    }
    if (rating != Severity::kUnknown) {
      finding.severity = rating;
      finding.severity_source = "distribution";
    } else if (scored != nullptr) {
      finding.severity = SeverityFromCvss(scored->advisory->cvss_score);
      finding.severity_source = "cvss";
    }
    if (rating != Severity::kUnknown || scored != nullptr) return;
  }
}

// The fix state of a finding: the most conservative of its records.
void MergeState(version::Ecosystem ordering, const std::vector<const Hit*>& hits,
                Finding& finding) {
  finding.state = FixState::kFixed;
  for (const Hit* hit : hits) {
    if (StateRank(hit->candidate->affected.state) < StateRank(finding.state)) {
      finding.state = hit->candidate->affected.state;
    }
  }
  if (finding.state != FixState::kFixed) return;
  for (const Hit* hit : hits)
    finding.fixed_version = HigherFix(ordering, finding.fixed_version, hit->fixed);
}

// The descriptive fields: the first summary and the earliest publication,
// records about this problem alone first; every reference and source once.
void MergeDescription(const std::vector<const Hit*>& hits, Finding& finding) {
  std::set<std::string_view> references_seen;
  std::set<std::string_view> sources;
  for (const Hit* hit : hits) {
    const Advisory& advisory = *hit->advisory;
    if (finding.summary.empty()) finding.summary = advisory.summary;
    if (!advisory.published.empty() &&
        (finding.published.empty() || advisory.published < finding.published)) {
      finding.published = advisory.published;
    }
    for (const std::string& reference : advisory.references) {
      if (references_seen.insert(reference).second) finding.references.push_back(reference);
    }
    sources.insert(hit->candidate->source);
  }
  finding.sources.assign(sources.begin(), sources.end());
}

// One finding from the records (sorted, specific ones first) about one
// problem, for any package with `keys`: the package's own fields are left
// for FillPackage. `cve` is the problem's CVE id, "" for a record without one.
Finding BuildFinding(const std::vector<LookupKey>& keys, const Matcher& matcher,
                     const std::string& cve, const std::vector<const Hit*>& hits) {
  Finding finding;
  std::set<std::string_view> ids;
  const Hit* nearest = hits.front();
  for (const Hit* hit : hits) {
    // A notice's other CVEs are other problems, not other names of this one.
    for (const std::string& id : hit->ids) {
      if (!IsCveId(id) || hit->specific()) ids.insert(id);
    }
    if (hit->key_index < nearest->key_index) nearest = hit;
  }
  finding.id = cve;
  if (finding.id.empty()) {
    finding.id = hits.front()->advisory->id;
    for (const Hit* hit : hits) finding.id = std::min(finding.id, hit->advisory->id);
  }
  ids.erase(finding.id);
  finding.aliases.assign(ids.begin(), ids.end());
  finding.source_package = keys[nearest->key_index].name;
  finding.source_version = keys[nearest->key_index].version;

  MergeState(matcher.ordering(), hits, finding);
  MergeSeverity(hits, finding);
  MergeDescription(hits, finding);
  return finding;
}

void FillPackage(const catalog::Package& package, Finding& finding) {
  finding.ecosystem = package.ecosystem;
  finding.package = package.name;
  finding.version = package.version;
  finding.architecture = package.architecture;
  finding.db_path = package.db_path;
  finding.layer_index = package.layer_index;
}

// Records without a CVE join a CVE's group when a record naming that one
// CVE also names one of their ids; the rest merge with each other,
// transitively, when their ids overlap. Returns those merged groups.
std::vector<std::vector<const Hit*>> GroupHitsWithoutCve(
    const std::vector<Hit>& hits, std::map<std::string_view, std::vector<const Hit*>>& by_cve) {
  std::unordered_map<std::string_view, std::string_view> cve_of_id;
  for (const Hit& hit : hits) {
    if (hit.cves.size() != 1) continue;
    for (const std::string& id : hit.ids) cve_of_id.emplace(id, hit.cves[0]);
  }
  std::vector<const Hit*> loose;
  for (const Hit& hit : hits) {
    if (!hit.cves.empty()) continue;
    auto named = hit.ids.end();
    for (auto id = hit.ids.begin(); id != hit.ids.end() && named == hit.ids.end(); ++id) {
      if (cve_of_id.count(*id) != 0) named = id;
    }
    if (named != hit.ids.end()) {
      by_cve[cve_of_id[*named]].push_back(&hit);
    } else {
      loose.push_back(&hit);
    }
  }

  // Union-find over the loose records, joined by any shared id.
  std::vector<size_t> parent(loose.size());
  for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
  auto root = [&](size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
  };
  std::unordered_map<std::string_view, size_t> first_with_id;
  for (size_t i = 0; i < loose.size(); ++i) {
    for (const std::string& id : loose[i]->ids) {
      auto [known, added] = first_with_id.emplace(id, i);
      if (!added) parent[root(i)] = root(known->second);
    }
  }
  std::map<size_t, std::vector<const Hit*>> by_root;
  for (size_t i = 0; i < loose.size(); ++i) by_root[root(i)].push_back(loose[i]);
  std::vector<std::vector<const Hit*>> groups;
  for (auto& [index, members] : by_root) groups.push_back(std::move(members));
  return groups;
}

// Groups the hits of one package into problems: by CVE (a notice naming
// several CVEs joins each of them), then the records without a CVE. Each
// group lists records about this problem alone first.
std::vector<std::pair<std::string, std::vector<const Hit*>>> GroupHits(
    const std::vector<Hit>& hits) {
  std::map<std::string_view, std::vector<const Hit*>> by_cve;
  bool any_without_cve = false;
  for (const Hit& hit : hits) {
    for (const std::string& cve : hit.cves) by_cve[cve].push_back(&hit);
    any_without_cve = any_without_cve || hit.cves.empty();
  }
  std::vector<std::vector<const Hit*>> others;
  if (any_without_cve) others = GroupHitsWithoutCve(hits, by_cve);

  std::vector<std::pair<std::string, std::vector<const Hit*>>> groups;
  groups.reserve(by_cve.size() + others.size());
  for (auto& [cve, members] : by_cve) groups.emplace_back(std::string(cve), std::move(members));
  for (std::vector<const Hit*>& group : others) groups.emplace_back("", std::move(group));
  for (auto& [cve, members] : groups) {
    std::stable_sort(members.begin(), members.end(),
                     [](const Hit* a, const Hit* b) { return a->specific() > b->specific(); });
  }
  return groups;
}

bool FindingBefore(const Finding& a, const Finding& b) {
  return std::tie(a.package, a.version, a.architecture, a.db_path, a.id) <
         std::tie(b.package, b.version, b.architecture, b.db_path, b.id);
}

// A package's keys, with the matcher that made them, or why it has none.
struct PackagePlan {
  const Matcher* matcher = nullptr;
  std::vector<LookupKey> keys;
};

std::string PackageLabel(const catalog::Package& package) {
  return package.name + " " + package.version;
}

// Decided keys: (ordering, name, version) -> what its rows gave.
using KeyCache = std::unordered_map<std::string, KeyOutcome>;

// The cache key of one lookup key: its ordering, name and version, separated
// by NUL (which neither may hold).
std::string KeyId(const Matcher& matcher, const LookupKey& key) {
  std::string id(matcher.ecosystem());
  id += '\0';
  id += key.name;
  id += '\0';
  id += key.version;
  return id;
}

// What one package's keys gave: the findings (without the package's own
// fields) and the rows that could not be compared.
struct KeysOutcome {
  std::vector<Finding> findings;
  std::set<std::string> problems;
};

// Merges what the rows under `keys` matched (every key already decided
// in `decided`) into findings.
Result<KeysOutcome> MatchKeys(const Matcher& matcher, const std::vector<LookupKey>& keys,
                              const KeyCache& decided) {
  KeysOutcome outcome;
  std::vector<Hit> hits;
  for (size_t k = 0; k < keys.size(); ++k) {
    auto cached = decided.find(KeyId(matcher, keys[k]));
    if (cached == decided.end()) {
      return Error(ErrorCode::kInternal, "advisory match: key " + keys[k].name + " not decided");
    }
    for (const KeyOutcome::Matched& matched : cached->second.matched) {
      hits.push_back(MakeHit(matched.candidate, matched.advisory, k, matched.fixed));
    }
    outcome.problems.insert(cached->second.problems.begin(), cached->second.problems.end());
  }

  // Records about one problem become one finding.
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return std::tie(a.advisory->id, a.candidate->source, a.key_index) <
           std::tie(b.advisory->id, b.candidate->source, b.key_index);
  });
  for (const auto& [cve, group] : GroupHits(hits)) {
    outcome.findings.push_back(BuildFinding(keys, matcher, cve, group));
  }
  std::sort(outcome.findings.begin(), outcome.findings.end(),
            [](const Finding& a, const Finding& b) { return a.id < b.id; });
  return outcome;
}

// The cache key of a package's key list: the ids of its keys in order.
std::string KeysId(const Matcher& matcher, const std::vector<LookupKey>& keys) {
  std::string id;
  for (const LookupKey& key : keys) id += KeyId(matcher, key) + '\0';
  return id;
}

// Step 1 of MatchPackages: the keys of every package, and the names to look
// up. A package without a matcher, or with a note, goes to `unmatched`.
std::vector<PackagePlan> PlanPackages(const std::vector<catalog::Package>& packages,
                                      std::set<std::string>& names,
                                      std::vector<std::string>& unmatched) {
  std::vector<PackagePlan> plans(packages.size());
  for (size_t i = 0; i < packages.size(); ++i) {
    const catalog::Package& package = packages[i];
    plans[i].matcher = MatcherFor(package.ecosystem);
    if (plans[i].matcher == nullptr) {
      unmatched.push_back(PackageLabel(package) + ": no advisory matching for \"" +
                          package.ecosystem + "\" packages");
      continue;
    }
    std::string note;
    plans[i].keys = plans[i].matcher->Keys(package, &note);
    if (!note.empty()) unmatched.push_back(PackageLabel(package) + ": " + note);
    for (const LookupKey& key : plans[i].keys) names.insert(key.name);
  }
  return plans;
}

// Step 2: every distinct key decided once, then the advisories of the
// matched rows read in key order (for the database, file order).
Result<KeyCache> DecideKeys(const std::vector<PackagePlan>& plans, const CandidateIndex& index,
                            CandidateSource& source) {
  KeyCache decided;
  std::map<int64_t, const Advisory*> advisories;
  for (const PackagePlan& plan : plans) {
    for (const LookupKey& key : plan.keys) {
      std::string key_id = KeyId(*plan.matcher, key);
      if (decided.count(key_id) != 0) continue;
      BULWARK_ASSIGN_OR_RETURN(KeyOutcome one, MatchKey(*plan.matcher, key, index, source));
      for (const KeyOutcome::Matched& matched : one.matched) {
        advisories.emplace(matched.candidate->advisory_key, nullptr);
      }
      decided.emplace(std::move(key_id), std::move(one));
    }
  }
  for (auto& [advisory_key, advisory] : advisories) {
    BULWARK_ASSIGN_OR_RETURN(advisory, source.LoadAdvisory(advisory_key));
  }
  for (auto& [key_id, outcome] : decided) {
    for (KeyOutcome::Matched& matched : outcome.matched) {
      matched.advisory = advisories[matched.candidate->advisory_key];
    }
  }
  return decided;
}

// Step 3: each package's outcome. Binaries built from one source share their
// keys, so each key list is merged once (into `by_keys`, which owns them).
Result<std::vector<KeysOutcome*>> MergeByKeys(
    const std::vector<PackagePlan>& plans, const KeyCache& decided,
    std::unordered_map<std::string, KeysOutcome>& by_keys) {
  std::vector<KeysOutcome*> outcomes(plans.size(), nullptr);
  for (size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].matcher == nullptr) continue;
    std::string keys_id = KeysId(*plans[i].matcher, plans[i].keys);
    auto known = by_keys.find(keys_id);
    if (known == by_keys.end()) {
      BULWARK_ASSIGN_OR_RETURN(KeysOutcome outcome,
                               MatchKeys(*plans[i].matcher, plans[i].keys, decided));
      known = by_keys.emplace(std::move(keys_id), std::move(outcome)).first;
    }
    outcomes[i] = &known->second;
  }
  return outcomes;
}

// Step 4: the findings in their final order: packages sorted, each
// package's findings by id (as MatchKeys leaves them). A key list's findings
// are copied to each binary that shares it, and moved to the last.
std::vector<Finding> EmitFindings(const std::vector<catalog::Package>& packages,
                                  const std::vector<KeysOutcome*>& outcomes) {
  std::vector<size_t> order;
  std::unordered_map<KeysOutcome*, size_t> uses;
  size_t total = 0;
  for (size_t i = 0; i < packages.size(); ++i) {
    if (outcomes[i] == nullptr || outcomes[i]->findings.empty()) continue;
    order.push_back(i);
    ++uses[outcomes[i]];
    total += outcomes[i]->findings.size();
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const catalog::Package& x = packages[a];
    const catalog::Package& y = packages[b];
    return std::tie(x.name, x.version, x.architecture, x.db_path) <
           std::tie(y.name, y.version, y.architecture, y.db_path);
  });

  std::vector<Finding> findings;
  findings.reserve(total);
  for (size_t i : order) {
    bool last = --uses[outcomes[i]] == 0;
    for (Finding& shared : outcomes[i]->findings) {
      if (last) {
        findings.push_back(std::move(shared));
      } else {
        findings.push_back(shared);
      }
      FillPackage(packages[i], findings.back());
    }
  }
  // Two packages alike in name, version, architecture and database would
  // interleave their ids; sorting settles them.
  if (!std::is_sorted(findings.begin(), findings.end(), FindingBefore)) {
    std::stable_sort(findings.begin(), findings.end(), FindingBefore);
  }
  return findings;
}

}  // namespace

const std::vector<std::unique_ptr<Matcher>>& Matchers() {
  static const std::vector<std::unique_ptr<Matcher>>* const matchers = [] {
    auto* list = new std::vector<std::unique_ptr<Matcher>>();
    list->push_back(std::make_unique<DebMatcher>());
    list->push_back(std::make_unique<ApkMatcher>());
    list->push_back(std::make_unique<RpmMatcher>());
    return list;
  }();
  return *matchers;
}

const Matcher* MatcherFor(std::string_view ecosystem) {
  for (const std::unique_ptr<Matcher>& matcher : Matchers()) {
    if (matcher->ecosystem() == ecosystem) return matcher.get();
  }
  return nullptr;
}

Result<bool> IsAffected(version::Ecosystem ordering, const AffectedPackage& row,
                        std::string_view version) {
  VersionComparer installed(ordering, version);
  BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> fixed, AffectedBy(row, installed));
  return fixed.has_value();
}

Result<MatchReport> MatchPackages(const std::vector<catalog::Package>& packages,
                                  CandidateSource& source) {
  MatchReport report;
  std::set<std::string> names;
  std::vector<PackagePlan> plans = PlanPackages(packages, names, report.unmatched);
  BULWARK_ASSIGN_OR_RETURN(CandidateIndex index,
                           source.Lookup(std::vector<std::string>(names.begin(), names.end())));
  BULWARK_ASSIGN_OR_RETURN(KeyCache decided, DecideKeys(plans, index, source));

  std::unordered_map<std::string, KeysOutcome> by_keys;
  BULWARK_ASSIGN_OR_RETURN(std::vector<KeysOutcome*> outcomes,
                           MergeByKeys(plans, decided, by_keys));
  for (size_t i = 0; i < packages.size(); ++i) {
    if (outcomes[i] == nullptr) continue;
    for (const std::string& problem : outcomes[i]->problems) {
      report.unmatched.push_back(PackageLabel(packages[i]) + ": " + problem);
    }
  }
  report.findings = EmitFindings(packages, outcomes);
  return report;
}

}  // namespace bulwark::vulndb
