// Which of a policy's exceptions cover which findings, and whether they still
// apply at the scan's date. Internal to policy/.
#ifndef BULWARK_POLICY_EXCEPTION_MATCH_H_
#define BULWARK_POLICY_EXCEPTION_MATCH_H_

#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "policy/verdict.h"

namespace bulwark::policy::internal {

// True when `text` matches the glob `pattern`: '*' stands for any run of
// bytes (including none, '/' and ':'), '?' for exactly one byte, every other
// byte for itself, case-sensitive. Runs in O(pattern * text) at worst.
bool GlobMatches(std::string_view pattern, std::string_view text);

// The names image patterns are matched against: each of the image's names as
// written ("ubuntu:22.04") and, when it parses as a reference and differs,
// normalised ("docker.io/library/ubuntu:22.04").
std::vector<std::string> ScopeNames(const std::vector<std::string>& names);

// True when every scope field `exception` sets matches: an `images` pattern
// matches one of `scope_names` (see ScopeNames), a `packages` entry is the
// finding's package or source package, an `advisories` entry is its id or an
// alias. Expiry is not looked at. An exception that sets neither packages nor
// advisories covers nothing.
bool InScope(const PolicyException& exception, const vulndb::Finding& finding,
             const std::vector<std::string>& scope_names);

// The exceptions whose scope covers one finding, by index into
// Policy::exceptions, in document order.
struct FindingExceptions {
  std::vector<size_t> applying;   // Not expired at the scan's date: the finding is taken out.
  std::vector<size_t> expired;    // Expired: the finding counts again.
  std::vector<size_t> unchecked;  // The scan time is unknown, so expiry cannot be checked.

  bool applies() const { return !applying.empty(); }
};

struct ExceptionMatches {
  // Empty when facts.scanned_at reads as an RFC 3339 time; otherwise says so.
  // Without a clock no exception applies (every in-scope one is "unchecked").
  std::string clock_problem;
  // One entry per finding of facts.vulnerabilities, in the same order; empty
  // when no database was consulted.
  std::vector<FindingExceptions> findings;
};

// Matches every exception of `policy` against every finding in `facts`. An
// exception applies through the end of its `expires` day (UTC) at the date of
// facts.scanned_at; one whose date does not parse counts as expired. Pure.
ExceptionMatches MatchExceptions(const Policy& policy, const Facts& facts);

// "exception at line 20 (until 2027-01-31: \"upstream fix pending\")", for evidence.
std::string DescribeException(const PolicyException& exception);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_EXCEPTION_MATCH_H_
