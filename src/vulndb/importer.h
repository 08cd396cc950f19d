// Feed importers: OSV records (files, directories, osv.dev zip exports), the
// Debian security tracker JSON, Alpine secdb (JSON and the older YAML).
#ifndef BULWARK_VULNDB_IMPORTER_H_
#define BULWARK_VULNDB_IMPORTER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "vulndb/advisory.h"

namespace bulwark::vulndb {

enum class FeedKind { kOsv, kDebianTracker, kAlpineSecdb };

// "osv", "debian-tracker", "alpine-secdb".
std::string_view FeedKindName(FeedKind kind);
// The inverse of FeedKindName; kInvalidArgument otherwise.
Result<FeedKind> ParseFeedKind(std::string_view name);

// A record an importer did not keep, and why. `record` names it as precisely
// as the feed allows: "all.zip:DSA-3029-1.json", "CVE-2020-1234 (zlib, bullseye)".
struct SkippedRecord {
  std::string record;
  std::string reason;
};

// Receives what an importer reads. Importers call it from one thread.
class AdvisorySink {
 public:
  virtual ~AdvisorySink() = default;
  // Takes one advisory. An error stops the import and is returned by it.
  virtual Status Add(Advisory advisory) = 0;
  // Records a skipped record; never fails.
  virtual void Skip(SkippedRecord skipped) = 0;
};

// Bounds on untrusted feed input. Exceeding one is kLimitExceeded naming the
// input and the limit.
struct FeedLimits {
  uint64_t max_file_bytes = 1ull << 30;        // One feed file (or one download).
  uint64_t max_record_bytes = 32ull << 20;     // One OSV record, one zip member.
  uint64_t max_zip_entries = 4'000'000;        // Members of one zip export.
  uint64_t max_total_bytes = 16ull << 30;      // Everything uncompressed from one input.
};

// Which feed `bytes` (the start of a file, at least its first 64 KiB when it
// is that long) is, from its content: a zip archive (an OSV export), a JSON
// OSV record or array of them, the tracker's JSON (an object of source
// packages to CVE ids), secdb JSON or YAML (distroversion and packages).
// `name` is only used in the error: kInvalidArgument "NAME: not a known
// advisory feed (...)" when none fits.
Result<FeedKind> DetectFeed(std::string_view bytes, std::string_view name);

// Reads the feed at `path` (a file, or a directory of OSV JSON files read
// recursively in name order) and hands every advisory to `sink`. The kind is
// detected unless `kind` is given. Records that are well-formed but not for
// a distribution Bulwark matches (PyPI, npm, an unknown release) are skipped
// with a reason; malformed input is kCorruptInput naming the file, the
// record and what is wrong; limits as above. Returns the kind read.
Result<FeedKind> ImportFeed(const std::string& path, const FeedKind* kind, AdvisorySink& sink,
                            const FeedLimits& limits = {});

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_IMPORTER_H_
