// The image model shared by sources, the scanner and reports.
#ifndef BULWARK_IMAGE_MODEL_H_
#define BULWARK_IMAGE_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/digest.h"
#include "common/result.h"

namespace bulwark::image {

// An OS/architecture pair with optional variant, as in OCI image indexes.
struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;

  // Parses "os/arch[/variant]"; fails with kInvalidArgument naming the text.
  static Result<Platform> Parse(std::string_view text);
  // "linux/amd64" or "linux/arm64/v8".
  std::string str() const;
  friend bool operator==(const Platform&, const Platform&) = default;
};

// One entry of the config's history.
struct HistoryEntry {
  std::string created;
  std::string created_by;
  std::string comment;
  bool empty_layer = false;
};

// The parts of an image config (OCI or Docker) that analysis and policy use.
struct ImageConfig {
  Platform platform;
  std::string created;
  std::string user;  // Config.User; empty means root.
  std::string working_dir;
  std::vector<std::string> env;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::map<std::string, std::string> labels;
  std::vector<Digest> diff_ids;  // rootfs.diff_ids, bottom layer first.
  std::vector<HistoryEntry> history;
};

// Where one layer's blob lives in a source and what it must hash to.
struct LayerLocation {
  std::string locator;              // Source-specific: a path inside the archive or layout.
  std::optional<Digest> blob_digest;  // Known for OCI and v25 archives; absent for legacy ones.
  Digest diff_id;                   // From the config; checked against the uncompressed stream.
  int64_t size = -1;                // Blob size when the manifest states it.
  std::string media_type;           // As stated; compression is still detected by magic bytes.
};

// One image resolved from a source: every small document read and digest-checked.
struct ResolvedImage {
  std::string source;  // The SOURCE as the user gave it.
  // The image's identity: the config digest (Docker's "image ID"). It is the same
  // for an image whatever transport carried it, so registrations and scans agree.
  Digest image_id;
  // The manifest digest when the source has a manifest (OCI, v25 archives).
  std::optional<Digest> manifest_digest;
  std::string config_json;  // The config document, verified against image_id.
  ImageConfig config;
  std::vector<LayerLocation> layers;  // Bottom layer first; same length as config.diff_ids.
  std::vector<std::string> names;     // RepoTags or ref names found in the source.
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_MODEL_H_
