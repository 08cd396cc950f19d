// Everything one scan learnt and decided; the input of every report.
#ifndef BULWARK_SCAN_SCAN_RESULT_H_
#define BULWARK_SCAN_SCAN_RESULT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/inventory.h"
#include "common/error.h"
#include "image/model.h"
#include "lineage/lineage.h"
#include "policy/verdict.h"
#include "vulndb/finding.h"

namespace bulwark::scan {

// What the scan knows about one layer.
struct LayerSummary {
  Digest diff_id;
  Digest blob_digest;
  uint64_t blob_size = 0;
  uint64_t uncompressed_size = 0;
  std::string compression;  // "none" | "gzip" | "zstd"
  bool from_cache = false;  // Analysis came from the layer cache (bytes still hashed).
  std::string created_by;   // From history, when it lines up.
};

struct ScanResult {
  std::string tool_version;
  std::string scanned_at;  // RFC 3339 UTC.
  std::string source;
  std::string platform;
  Digest image_id;
  std::optional<Digest> manifest_digest;
  std::vector<std::string> names;
  std::string user;
  std::map<std::string, std::string> labels;
  std::vector<LayerSummary> layers;
  catalog::Inventory inventory;
  lineage::Lineage lineage;
  // The advisory match (database status, findings); unset when no advisory
  // database was consulted for this scan.
  std::optional<vulndb::MatchReport> vulnerabilities;
  policy::Verdict verdict;
  int exit_code = 0;
  // Set when the scan could not complete (exit 3); nothing else is trustworthy then.
  std::optional<Error> error;
  double elapsed_ms = 0;
};

}  // namespace bulwark::scan

#endif  // BULWARK_SCAN_SCAN_RESULT_H_
