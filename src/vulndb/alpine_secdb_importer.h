// The Alpine secdb importer: the per-release, per-repository documents at
// https://secdb.alpinelinux.org/<release>/<repository>.json, and the older
// YAML files of the alpine-secdb repository, both
//   {distroversion, reponame, urlprefix, apkurl,
//    packages: [{pkg: {name, secfixes: {version: [ids]}}}]}
// Internal to vulndb/: other modules call ImportFeed (importer.h).
// docs/advisory-feeds.md describes the mapping.
#ifndef BULWARK_VULNDB_ALPINE_SECDB_IMPORTER_H_
#define BULWARK_VULNDB_ALPINE_SECDB_IMPORTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "vulndb/importer.h"

namespace bulwark::vulndb::internal {

// Converts one secdb document held in memory, JSON when it starts with '{'
// and YAML otherwise; `name` names it in errors. A document is read whole,
// so it may hold at most max_record_bytes (kLimitExceeded otherwise); real
// ones are a few hundred KiB.
//
// Every id listed under a package's secfixes becomes an Advisory with one
// AffectedPackage per package that lists it: fixed in that version (range
// from the first version up to it), or not affected under the version "0".
// Advisories are handed to `sink` in the order their ids first appear.
// Entries that cannot be used (a version apk cannot order, an entry without
// an id, a package without a name) are skipped with a reason; a document
// whose distroversion is not an Alpine release is skipped as a whole.
// Errors: kCorruptInput for bytes that are not JSON or YAML, or whose shape
// is not a secdb document (naming the field), the sink's own errors as is.
Status ImportAlpineSecdb(std::string_view bytes, std::string_view name, AdvisorySink& sink,
                         const FeedLimits& limits);

// ImportAlpineSecdb on the file at `path`, named by that path.
Status ImportAlpineSecdbFile(const std::string& path, AdvisorySink& sink, const FeedLimits& limits);

// The ids one secfixes entry names, as parsed from real entries:
//   "CVE-2019-5060 TALOS-2019-0844"   -> ids {CVE-2019-5060}, aliases {TALOS-2019-0844}
//   "CVE-2017-5753 CVE-2017-5715 XSA-254 XPTI" -> both CVEs, alias XSA-254
//   "CVE-????-????? XSA-243"          -> id XSA-243 (a placeholder is no id)
//   "CVE-2017-17434-1", "CVE_2019-2426", "CVE 2018-16859", "CVE-2017-8073.patch"
//                                     -> the CVE id they spell
//   "CVE-2018-14468 (FrameRelay)"     -> the note in parentheses is dropped
// `ids` is empty when the entry names no id; words without digits ("XPTI")
// are notes, not ids.
struct SecfixIds {
  std::vector<std::string> ids;
  std::vector<std::string> aliases;
};
SecfixIds ParseSecfixEntry(std::string_view entry);

}  // namespace bulwark::vulndb::internal

#endif  // BULWARK_VULNDB_ALPINE_SECDB_IMPORTER_H_
