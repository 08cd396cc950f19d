// Vulnerability ids in policies (blockedCves, allowedCves, exception scopes):
// what is accepted, and how ids meet findings. Internal to policy/.
#ifndef BULWARK_POLICY_ADVISORY_ID_H_
#define BULWARK_POLICY_ADVISORY_ID_H_

#include <string>
#include <string_view>

#include "vulndb/finding.h"

namespace bulwark::policy::internal {

// Why `id` cannot be a vulnerability id, as a message that quotes it, or ""
// when it can. The message may hold the raw bytes of `id`; callers that
// print it escape it for the terminal. An id is a prefix,
// a dash and the rest, in ASCII letters, digits and - _ . : (CVE-2021-44228,
// GHSA-jfh8-c2jp-5v3q, DSA-5532-1, RHSA-2023:1234, UBUNTU-CVE-2022-37434), at
// most 128 bytes, starting with a letter. An id starting with "CVE-" must
// read CVE-YYYY-NNNN with four or more digits after the year. Letter case is
// free: ids compare without it.
std::string AdvisoryIdProblem(std::string_view id);

// True when two ids are the same, ignoring ASCII letter case: feeds and people
// write "cve-2021-44228" and "GHSA-JFH8-..." for the ids they publish otherwise.
bool SameAdvisoryId(std::string_view a, std::string_view b);

// True when `id` is the finding's id or one of its aliases.
bool FindingHasId(const vulndb::Finding& finding, std::string_view id);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_ADVISORY_ID_H_
