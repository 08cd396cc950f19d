// What one layer contributes: entry metadata, kept file bodies, whiteouts.
#ifndef BULWARK_LAYER_LAYER_CONTENTS_H_
#define BULWARK_LAYER_LAYER_CONTENTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/digest.h"
#include "common/result.h"

namespace bulwark::layer {

enum class EntryType { kFile, kDirectory, kSymlink, kHardlink, kOther };

// One tar entry after normalisation. Paths are relative to the image root,
// without a leading "./" or "/", with "." and empty components removed and ".."
// refused; the root itself is never an entry.
struct Entry {
  std::string path;
  EntryType type = EntryType::kFile;
  std::string link_target;  // Symlink: as written. Hard link: normalised path of the target.
  uint64_t size = 0;        // Regular files only; 0 for other types.
  uint32_t mode = 0;        // Permission and set-id/sticky bits (07777), without the type.
  int64_t uid = 0;
  int64_t gid = 0;
};

enum class Compression { kNone, kGzip, kZstd };

// The analysis of one layer blob. Cacheable by blob digest plus catalog version.
struct LayerContents {
  Digest blob_digest;  // sha256 of the raw blob bytes as read.
  Digest diff_id;      // sha256 of the uncompressed tar stream.
  Compression compression = Compression::kNone;
  uint64_t blob_size = 0;
  uint64_t uncompressed_size = 0;

  // Every non-whiteout entry in stream order (later duplicates win in merge).
  std::vector<Entry> entries;
  // Paths deleted by ".wh.NAME" markers (the path of NAME, normalised).
  std::vector<std::string> whiteouts;
  // Directories whose lower contents are hidden by ".wh..wh..opq".
  std::vector<std::string> opaque_dirs;
  // Bodies of the regular files the catalogers asked for, by path.
  std::map<std::string, std::string> files;
};

// Serialises for the layer cache (CBOR through nlohmann-json).
std::string SerializeLayerContents(const LayerContents& contents);
// Parses a cached value; kCorruptInput when it is not one.
Result<LayerContents> DeserializeLayerContents(std::string_view bytes);

}  // namespace bulwark::layer

#endif  // BULWARK_LAYER_LAYER_CONTENTS_H_
