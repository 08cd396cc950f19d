// A small, self-consistent analysis (as `bulwark scan` would upload it) for
// tests that need no image: a one-layer Debian image with one package.
#ifndef BULWARK_TESTS_SERVER_SYNTHETIC_ANALYSIS_H_
#define BULWARK_TESTS_SERVER_SYNTHETIC_ANALYSIS_H_

#include <string>

#include "common/digest.h"
#include "image/documents.h"
#include "scan/scanner.h"

namespace bulwark::testing {

// `salt` makes the image (its config, so its id) distinct.
inline scan::Analysis SyntheticAnalysis(const std::string& salt) {
  Digest diff_id = Sha256Of("layer " + salt);
  std::string config = R"({"architecture":"amd64","os":"linux","config":{"User":"app",)"
                       R"("Labels":{"salt":")" +
                       salt +
                       R"("}},"rootfs":{"type":"layers",)"
                       R"("diff_ids":[")" +
                       diff_id.str() + R"("]}})";
  scan::Analysis analysis;
  analysis.image.source = "synthetic:" + salt;
  analysis.image.config_json = config;
  analysis.image.image_id = Sha256Of(config);
  analysis.image.config = *image::ParseImageConfig(config, "synthetic config");
  image::LayerLocation location;
  location.diff_id = diff_id;
  location.blob_digest = diff_id;
  analysis.image.layers.push_back(location);
  scan::LayerSummary summary;
  summary.diff_id = diff_id;
  summary.blob_digest = diff_id;
  summary.compression = "none";
  analysis.layers.push_back(summary);
  analysis.inventory.os.found = true;
  analysis.inventory.os.id = "debian";
  analysis.inventory.os.version_id = "12";
  analysis.inventory.os.pretty_name = "Debian GNU/Linux 12 (bookworm)";
  catalog::Package package;
  package.ecosystem = "deb";
  package.name = "tzdata";
  package.version = "2024a-0+deb12u1";
  package.architecture = "all";
  package.layer_index = 0;
  analysis.inventory.packages.push_back(package);
  return analysis;
}

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_SERVER_SYNTHETIC_ANALYSIS_H_
