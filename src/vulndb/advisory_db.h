// The advisory database: a versioned SQLite file built by `bulwark db import`
// and read by every scan that needs advisories.
#ifndef BULWARK_VULNDB_ADVISORY_DB_H_
#define BULWARK_VULNDB_ADVISORY_DB_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/inventory.h"
#include "common/result.h"
#include "vulndb/finding.h"
#include "vulndb/importer.h"

namespace bulwark::vulndb {

// What one source contributed to an import.
struct ImportSummary {
  std::string source;
  FeedKind kind = FeedKind::kOsv;
  int64_t records = 0;
  int64_t skipped = 0;
  std::vector<SkippedRecord> first_skipped;  // At most 20, in the order they came.
};

// One import: a write transaction. Records of a source replace every record
// earlier imports took from a source of the same name. Readers see nothing of
// it until Commit(); destroying it uncommitted rolls everything back, so a
// failed import leaves the previous database in use. Used from one thread.
class AdvisoryImport : public AdvisorySink {
 public:
  ~AdvisoryImport() override = default;
  // Starts the records of the source `name` (the path or URL as given).
  virtual Status BeginSource(std::string_view name, FeedKind kind) = 0;
  // Ends the current source; its summary.
  virtual Result<ImportSummary> EndSource() = 0;
  // Makes the import visible and records the build time.
  virtual Status Commit() = 0;
};

class AdvisoryDatabase {
 public:
  virtual ~AdvisoryDatabase() = default;

  // Starts an import. With `fresh`, the database keeps only what this import
  // adds (every earlier source is dropped at commit).
  virtual Result<std::unique_ptr<AdvisoryImport>> StartImport(bool fresh) = 0;

  virtual Result<DatabaseStatus> GetStatus() = 0;

  // The skipped records of a source, at most `limit`, in import order.
  virtual Result<std::vector<SkippedRecord>> ListSkipped(std::string_view source,
                                                         size_t limit) = 0;

  // Matches `packages` of an image whose distribution release key is
  // `distro` (vulndb/distro.h; "" when unknown: then nothing matches and
  // distro_has_data is false). Packages are looked up by source name (deb,
  // apk) or by source rpm name and binary name (rpm), and compared in their
  // ecosystem's ordering. Not-affected records never give a finding.
  // Thread-compatible: one match at a time per object.
  virtual Result<MatchReport> Match(std::string_view distro,
                                    const std::vector<catalog::Package>& packages) = 0;
};

// Opens an existing database for matching and status. kNotFound naming the
// path, with the commands that build one, when there is none or when no
// import into it has completed (a failed first import); kUnsupported
// when its schema is newer than this Bulwark; kIo on a storage error.
Result<std::unique_ptr<AdvisoryDatabase>> OpenAdvisoryDatabase(const std::string& path);

// Opens the database at `path`, creating it (and its directory) when absent.
Result<std::unique_ptr<AdvisoryDatabase>> CreateAdvisoryDatabase(const std::string& path);

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_ADVISORY_DB_H_
