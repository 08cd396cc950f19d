#include "policy/exception_match.h"

#include <algorithm>

#include "image/reference.h"
#include "policy/advisory_id.h"
#include "policy/control.h"
#include "policy/utc_time.h"

namespace bulwark::policy::internal {
namespace {

bool AnyNameMatches(const std::vector<std::string>& patterns,
                    const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    for (const std::string& pattern : patterns) {
      if (GlobMatches(pattern, name)) return true;
    }
  }
  return false;
}

bool AnyPackageMatches(const std::vector<std::string>& packages, const vulndb::Finding& finding) {
  return std::any_of(packages.begin(), packages.end(), [&](const std::string& package) {
    return package == finding.package || package == finding.source_package;
  });
}

bool AnyAdvisoryMatches(const std::vector<std::string>& advisories,
                        const vulndb::Finding& finding) {
  return std::any_of(advisories.begin(), advisories.end(),
                     [&](const std::string& id) { return FindingHasId(finding, id); });
}

}  // namespace

// LIMITATION(#4): image names are what the source records (RepoTags, OCI ref
// names), not proof of what the image is built from: an exception scoped by
// `images` applies to any image carrying a matching name. The scope narrows
// an exception; it does not authenticate the image. docs/limitations.md says so.
std::vector<std::string> ScopeNames(const std::vector<std::string>& names) {
  std::vector<std::string> scope_names;
  for (const std::string& name : names) {
    scope_names.push_back(name);
    auto reference = image::Reference::Parse(name);
    if (reference.ok() && reference->str() != name) scope_names.push_back(reference->str());
  }
  return scope_names;
}

bool GlobMatches(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point: on a mismatch, the last '*'
  // takes one more byte. This never needs more than one point, since a later
  // '*' can absorb whatever an earlier one would have.
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;
  size_t star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool InScope(const PolicyException& exception, const vulndb::Finding& finding,
             const std::vector<std::string>& names) {
  if (!exception.images.empty() && !AnyNameMatches(exception.images, names)) return false;
  if (!exception.packages.empty() && !AnyPackageMatches(exception.packages, finding)) {
    return false;
  }
  if (!exception.advisories.empty() && !AnyAdvisoryMatches(exception.advisories, finding)) {
    return false;
  }
  // The parser refuses an exception scoped by neither packages nor advisories;
  // one built another way covers nothing rather than every finding.
  return !exception.packages.empty() || !exception.advisories.empty();
}

ExceptionMatches MatchExceptions(const Policy& policy, const Facts& facts) {
  ExceptionMatches matches;
  if (!facts.vulnerabilities.has_value()) return matches;

  std::optional<int64_t> scanned_at = ParseRfc3339(facts.scanned_at);
  if (!scanned_at) {
    matches.clock_problem = "the scan time " + QuoteForEvidence(facts.scanned_at) +
                            " is not an RFC 3339 time, so no exception can be checked for "
                            "expiry and none applies";
  }

  const std::vector<vulndb::Finding>& findings = facts.vulnerabilities->findings;
  const std::vector<std::string> names = ScopeNames(facts.names);
  matches.findings.resize(findings.size());
  for (size_t e = 0; e < policy.exceptions.size(); ++e) {
    const PolicyException& exception = policy.exceptions[e];
    std::optional<int64_t> expires = ParseCalendarDate(exception.expires);
    for (size_t f = 0; f < findings.size(); ++f) {
      if (!InScope(exception, findings[f], names)) continue;
      FindingExceptions& entry = matches.findings[f];
      if (!scanned_at) {
        entry.unchecked.push_back(e);
      } else if (expires && DayOf(*scanned_at) <= *expires) {
        entry.applying.push_back(e);
      } else {
        entry.expired.push_back(e);
      }
    }
  }
  return matches;
}

std::string DescribeException(const PolicyException& exception) {
  return "exception at line " + std::to_string(exception.line) + " (until " + exception.expires +
         ": " + QuoteForEvidence(exception.reason) + ")";
}

}  // namespace bulwark::policy::internal
