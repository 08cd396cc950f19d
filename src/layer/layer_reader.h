// Reads a layer blob as a stream: detects compression, hashes, walks the tar.
#ifndef BULWARK_LAYER_LAYER_READER_H_
#define BULWARK_LAYER_LAYER_READER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_stream.h"
#include "common/result.h"
#include "layer/layer_contents.h"

namespace bulwark::layer {

// A path a cataloger wants kept: exactly `path`, or, with `children`, every
// direct child of the directory `path` (e.g. var/lib/dpkg/status.d/*).
struct PathPattern {
  std::string path;
  bool children = false;
};

// Bounds on what one layer may cost. Each is checked before the memory it
// guards is allocated, and gives kLimitExceeded naming the limit.
struct ReadLimits {
  uint64_t max_kept_file = 64ull << 20;     // Largest single kept body.
  uint64_t max_kept_total = 256ull << 20;   // All kept bodies of one layer.
  uint64_t max_uncompressed = 64ull << 30;  // Whole uncompressed stream (bomb guard).
  uint64_t max_entries = 2'000'000;         // Entries in one layer, recorded or not.
  uint64_t max_path_length = 4096;          // One path or link target, in bytes.
  // Entries, whiteouts and opaque markers recorded for one layer.
  uint64_t max_recorded_entries = 500'000;
  // Sum of the lengths of every recorded path and link target of one layer.
  uint64_t max_recorded_bytes = 64ull << 20;
};

struct ReadOptions {
  std::vector<PathPattern> wanted;
  ReadLimits limits;
  // With false, the entry of a regular file is recorded only when it is wanted
  // or sits where a directory on the way to a wanted path would be; so memory
  // follows the number of directories and links, not of files. Directories,
  // symlinks, hard links and whiteouts are always recorded, so wanted paths
  // still resolve exactly (see PhysicalPatterns in merged_fs.h).
  bool keep_all_entries = true;
};

// Reads `blob` to its end: detects gzip, zstd or plain tar by magic bytes,
// hashes the raw bytes (blob_digest) and the uncompressed stream (diff_id),
// records every entry, whiteout and opaque marker, and keeps the bodies of
// wanted regular files (a hard link to a kept file is kept as its target's
// bytes). A tar that ends at a block boundary without end-of-archive blocks is
// accepted. Errors: kCorruptInput (bad compression or tar, with the path of the
// entry being read), kLimitExceeded (naming the limit and the entry),
// kUnsupported (a bzip2 or xz blob: image layers are gzip, zstd or plain tar).
// Thread-safe for distinct blobs. For the life of the call it uses a helper
// thread to hash the raw bytes and, for a compressed blob, one to decompress a
// few chunks ahead and one to hash the uncompressed stream.
Result<LayerContents> ReadLayer(ByteStream& blob, const ReadOptions& options);

// Hashes `blob` without decompressing it; for cached layers whose bytes must
// still be verified.
Result<Digest> HashBlob(ByteStream& blob, uint64_t* size_out = nullptr);

}  // namespace bulwark::layer

#endif  // BULWARK_LAYER_LAYER_READER_H_
