// Matching installed OS packages against advisory rows: one matcher per
// package ecosystem (deb, apk, rpm), listed in one registry, and the merge of
// matched records into findings.
//
// The advisory database (advisory_db.h) is the usual CandidateSource; tests
// use a fake built from advisories in memory. Nothing here does I/O itself.
#ifndef BULWARK_VULNDB_MATCHER_H_
#define BULWARK_VULNDB_MATCHER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/inventory.h"
#include "common/result.h"
#include "version/version.h"
#include "vulndb/advisory.h"
#include "vulndb/finding.h"

namespace bulwark::vulndb {

// One name under which advisory rows may be keyed for a package, and the
// version to compare against those rows.
struct LookupKey {
  std::string name;     // "zlib" (a dpkg source), "openssl" (a source rpm name).
  std::string version;  // "1:1.2.11.dfsg-2ubuntu1.5", in the ecosystem's ordering.

  friend bool operator==(const LookupKey&, const LookupKey&) = default;
};

// The matching rules of one package ecosystem. Implementations are stateless
// and thread-safe.
class Matcher {
 public:
  virtual ~Matcher() = default;

  // The inventory's ecosystem name this matcher handles: "deb", "apk", "rpm".
  virtual std::string_view ecosystem() const = 0;

  // The version ordering its rows and keys are compared in.
  virtual version::Ecosystem ordering() const = 0;

  // The names advisory rows for `package` are keyed by, most specific first,
  // without duplicates. `note` receives a coverage gap ("" when none), e.g. a
  // source rpm name that could not be parsed, so only the binary is looked up.
  virtual std::vector<LookupKey> Keys(const catalog::Package& package, std::string* note) const = 0;
};

// Every matcher, in a fixed order. The one registry of matchers; the objects
// live for the whole program. Thread-safe.
const std::vector<std::unique_ptr<Matcher>>& Matchers();

// The matcher for an inventory ecosystem name; nullptr when there is none.
const Matcher* MatcherFor(std::string_view ecosystem);

// Whether `version` is affected according to `row`, compared in `ordering`:
// kNotAffected never; kNotFixed and kWontFix with neither ranges nor versions
// always; otherwise when it lies in a range (`introduced` inclusive, "" or
// "0" meaning from the first version; `fixed` exclusive; `last_affected`
// inclusive; neither: no upper bound) or equals, in the ordering, one of
// `versions`. The error of the ordering (kInvalidArgument for a version it
// refuses, kUnsupported for an ordering not implemented) is returned as is;
// the caller names the package. Thread-safe.
Result<bool> IsAffected(version::Ecosystem ordering, const AffectedPackage& row,
                        std::string_view version);

// One affected row as the matchers see it: the row, the database source it
// came from, and a handle to load its advisory when it matches.
struct Candidate {
  // The database source name ("ubuntu-osv.zip"), owned by the CandidateSource
  // and valid for its life.
  std::string_view source;
  int64_t advisory_key;  // Opaque to the matchers; passed back to LoadAdvisory.
  AffectedPackage affected;
};

// Rows of one distribution release, by the package name they are keyed by.
using CandidateIndex = std::unordered_map<std::string, std::vector<Candidate>>;

// Where matching reads advisory rows from. Used from one thread.
class CandidateSource {
 public:
  virtual ~CandidateSource() = default;

  // Every row keyed by one of `names` (distinct, sorted), by name; names
  // without rows may be absent from the index. A row's `versions` may leave
  // out versions its own ranges cover, as they decide nothing. Errors are
  // returned as is.
  virtual Result<CandidateIndex> Lookup(const std::vector<std::string>& names) = 0;

  // The advisory of a matched row: its header fields, `affected` empty. The
  // pointer stays valid for the life of the source.
  virtual Result<const Advisory*> LoadAdvisory(int64_t advisory_key) = 0;
};

// Matches `packages` (of one image, one distribution release) against the rows
// `source` holds and merges what matched into findings, and returns the
// report's `findings` and `unmatched` (the other fields are left for the
// caller). A package whose ecosystem has no matcher, or whose version or a
// row's version its ordering refuses, is listed in `unmatched` as
// "name version: reason" instead of being skipped; other rows of the same
// package are still matched. Errors of `source` are returned.
//
// Merging, for one installed package: a record's ids are its id, its aliases
// and the CVE id inside a distribution id such as UBUNTU-CVE-2022-37434.
// Records naming the same CVE become one finding with that CVE as its id; a
// notice naming several CVEs joins the finding of each (its other CVEs are
// not aliases). Records without a CVE join a CVE's finding when one of its
// records names them, else merge with each other through shared ids under
// the smallest advisory id. When records disagree the most conservative view
// wins: not fixed over will not fix over fixed, and among fixed records the
// highest fixed version. Severity is the highest distribution rating (the
// row's, else the advisory's), else the rating of the highest CVSS score;
// a notice's ratings count only when no record about the CVE alone has one.
// Findings are sorted by package, version, architecture, database path, id.
Result<MatchReport> MatchPackages(const std::vector<catalog::Package>& packages,
                                  CandidateSource& source);

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_MATCHER_H_
