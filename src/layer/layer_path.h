// Path helpers shared by the layer reader and the merged view. Internal to layer/.
#ifndef BULWARK_LAYER_LAYER_PATH_H_
#define BULWARK_LAYER_LAYER_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bulwark::layer::internal {

// Normalises a path from a tar header: strips leading "./" and "/", drops "."
// and empty components, and applies ".." lexically. Returns "" for the root.
// kCorruptInput when ".." would leave the root (the message names no entry;
// callers add it).
Result<std::string> NormalizeTarPath(std::string_view raw);

// Splits `path` on '/', keeping "." and ".." and dropping empty components.
std::vector<std::string_view> SplitPath(std::string_view path);

// "a/b" + "c" -> "a/b/c"; "" + "c" -> "c".
std::string JoinPath(std::string_view parent, std::string_view name);

// "a/b/c" -> "a/b"; "c" -> "".
std::string_view ParentOf(std::string_view path);

// "a/b/c" -> "c".
std::string_view BaseName(std::string_view path);

}  // namespace bulwark::layer::internal

#endif  // BULWARK_LAYER_LAYER_PATH_H_
