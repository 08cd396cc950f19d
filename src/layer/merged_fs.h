// The image root filesystem as seen after all layers are applied.
#ifndef BULWARK_LAYER_MERGED_FS_H_
#define BULWARK_LAYER_MERGED_FS_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "layer/layer_contents.h"
#include "layer/layer_reader.h"

namespace bulwark::layer {

// A merged view over layers (bottom first). Applies, per layer in order:
// opaque markers (hide everything lower under that directory, wherever the
// marker sits in the stream), whiteouts (hide a path and its subtree), type
// changes (a non-directory replacing a directory hides the old subtree; a
// directory replacing a file starts empty), and entries. Symlinks resolve
// inside the image root: absolute targets start at the root, ".." never leaves
// it, and more than 40 hops is a loop. Hard links read as their target's bytes.
// An entry whose parent is a symlink in the lower layers lands beneath the
// symlink's target, as container runtimes extract it.
// Immutable after Build; safe to share between threads for reading.
class MergedFs {
 public:
  struct Node {
    Entry entry;
    size_t layer_index = 0;                // Which layer last wrote this path.
    const std::string* content = nullptr;  // Body if the file was kept.
  };

  // `layers` must outlive the MergedFs (bodies are not copied).
  static Result<MergedFs> Build(const std::vector<const LayerContents*>& layers);

  // Resolves `path` (relative or absolute) through symlinks in every component,
  // and in the last one when `follow_last`. kNotFound when absent,
  // kCorruptInput for a symlink loop, naming the path.
  Result<const Node*> Lookup(std::string_view path, bool follow_last = true) const;

  // Reads a regular file (following links). kNotFound when absent;
  // kInvalidArgument when it is not a file; kCorruptInput for a hard link whose
  // target is not in the image (or a link loop); kUnsupported when it exists
  // but its body was not kept (it was not asked for).
  Result<std::string> ReadFile(std::string_view path) const;

  // Where `path` lands after following symlinks in every component, the last
  // one included: the physical path, with components that do not exist
  // appended as written. kCorruptInput for a symlink loop.
  Result<std::string> PhysicalPath(std::string_view path) const;

  // Names of the direct children of a directory (after resolving links), sorted.
  // kNotFound when absent.
  Result<std::vector<std::string>> ListDir(std::string_view path) const;

 private:
  std::map<std::string, Node> nodes_;  // Normalised path -> node.
};

// The patterns a layer reader must also keep so that every `wanted` path can
// be read where it really lives in `fs`: the physical path of a pattern that
// leads through a symlink (e.g. lib -> usr/lib), and the target of a wanted
// hard link. Symlinks and directories are always recorded by ReadLayer, so
// this is exact after one pass. Empty when every wanted path is literal.
Result<std::vector<PathPattern>> PhysicalPatterns(const MergedFs& fs,
                                                  const std::vector<PathPattern>& wanted);

}  // namespace bulwark::layer

#endif  // BULWARK_LAYER_MERGED_FS_H_
