// Helpers shared by the feed importers (osv_importer, debian_tracker_importer,
// alpine_secdb_importer): field clean-up, bounds and rating words. Internal to
// vulndb/.
#ifndef BULWARK_VULNDB_IMPORTER_INTERNAL_H_
#define BULWARK_VULNDB_IMPORTER_INTERNAL_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "version/version.h"
#include "vulndb/advisory.h"

namespace bulwark::vulndb::internal {

// Bounds on the fields an advisory keeps (advisory.h states the first two).
inline constexpr size_t kMaxSummaryBytes = 1024;
inline constexpr size_t kMaxReferences = 16;
inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxNameBytes = 256;
inline constexpr size_t kMaxVersionBytes = 256;
inline constexpr size_t kMaxUrlBytes = 2048;

// The first paragraph of `text` as one line: runs of white space become one
// space, other control bytes are dropped, and the result is cut to at most
// `max_bytes` on a UTF-8 character boundary (ending in "..." when cut).
std::string OneLine(std::string_view text, size_t max_bytes = kMaxSummaryBytes);

// An RFC 3339 time ("2025-11-19T05:57:42.162407Z", "2024-01-02T03:04:05+02:00")
// in UTC to the second: "2025-11-19T05:57:42Z". "" when `text` is not one.
std::string NormalizeTimestamp(std::string_view text);

// True when `text` is 1 to `max_bytes` bytes of printable characters without
// white space (ids, package names, versions).
bool IsPlainToken(std::string_view text, size_t max_bytes);

// `text` made safe to quote in a message: control bytes as \xNN, at most
// 120 bytes.
std::string Printable(std::string_view text);

// The version ordering of a distribution release key (vulndb/distro.h):
// deb for debian and ubuntu, apk for alpine, rpm for the rest.
version::Ecosystem EcosystemForDistro(std::string_view distro_key);

// "" when `version` can bound a range in `ecosystem`; else why it cannot
// ("not a valid deb version ..."). For an ordering that is not implemented
// yet, only the token rules of IsPlainToken are checked.
std::string VersionProblem(version::Ecosystem ecosystem, std::string_view version);

// The lowest of `versions` in `ecosystem`'s ordering; the first one when the
// ordering refuses any of them. "" for an empty list.
std::string LowestVersion(version::Ecosystem ecosystem, const std::vector<std::string>& versions);

// The Severity of a Debian urgency ("low", "medium**", "unimportant",
// "not yet assigned", "end-of-life"); kUnknown for those that rate nothing.
Severity SeverityFromDebianUrgency(std::string_view urgency);

// The Severity of a rating word a distribution uses (Ubuntu priorities, Red
// Hat impacts, ParseSeverity's words); kUnknown for "untriaged" and for
// anything else.
Severity SeverityFromRatingWord(std::string_view word);

// True for "CVE-YYYY-NNNN" with four or more digits after the year.
bool IsCveId(std::string_view id);

// The last component of a path ("all.zip" for "/tmp/all.zip").
std::string BaseName(std::string_view path);

}  // namespace bulwark::vulndb::internal

#endif  // BULWARK_VULNDB_IMPORTER_INTERNAL_H_
