// The scan pipeline: source -> layers -> merge -> catalog -> lineage -> verdict.
#ifndef BULWARK_SCAN_SCANNER_H_
#define BULWARK_SCAN_SCANNER_H_

#include <string>
#include <vector>

#include "common/result.h"
#include "image/source.h"
#include "policy/policy.h"
#include "scan/scan_result.h"
#include "store/store.h"
#include "vulndb/advisory_db.h"

namespace bulwark::scan {

struct ScanOptions {
  std::string source;
  image::ResolveOptions resolve;
  bool use_cache = true;
  image::SourceOptions source_options;  // How registries are reached.
};

// Analysis of one image without policies: identity, layers, inventory.
struct Analysis {
  image::ResolvedImage image;
  std::vector<LayerSummary> layers;
  catalog::Inventory inventory;
  // 1, or 2 when a wanted path led through a symlink or hard link to a place
  // the first read did not keep, and the layers were read again.
  int read_passes = 1;
  // Wall time the analysis took, in milliseconds: from opening the source to
  // the last layer verified (for an uploaded analysis, as its client says).
  double elapsed_ms = 0;
};

// The part of a scan after analysis, shared by the CLI (Scanner::Evaluate) and
// the server, which gets the analysis from a client: lineage against
// `registered`, the advisory match when `advisories` is given (it must outlive
// the call), and the verdict of `policies`. Without `advisories`, the controls
// that need advisory data fail closed; callers that have policies needing them
// should refuse to scan instead (see Policy::NeedsAdvisories). Errors: the
// database's (wrapped "matching advisories"). Thread-safe when `advisories`
// is not shared with another thread.
Result<ScanResult> EvaluateAnalysis(const Analysis& analysis,
                                    const std::vector<lineage::RegisteredImage>& registered,
                                    const std::vector<policy::Policy>& policies,
                                    vulndb::AdvisoryDatabase* advisories);

// Orchestrates a scan over a store. The store must outlive the scanner.
class Scanner {
 public:
  explicit Scanner(store::Store& store) : store_(store) {}

  // Opens, verifies and catalogs the image. Errors name the source and the layer.
  Result<Analysis> Analyze(const ScanOptions& options);

  // EvaluateAnalysis against the images registered in the store. Errors: the
  // store's, and EvaluateAnalysis's.
  Result<ScanResult> Evaluate(const Analysis& analysis, const std::vector<policy::Policy>& policies,
                              vulndb::AdvisoryDatabase* advisories = nullptr);

  // Registers an analysed image under `names` (normalised references).
  Status Register(const Analysis& analysis, const std::vector<std::string>& names);

 private:
  store::Store& store_;
};

}  // namespace bulwark::scan

#endif  // BULWARK_SCAN_SCANNER_H_
