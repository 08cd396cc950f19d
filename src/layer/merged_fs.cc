#include "layer/merged_fs.h"

#include <string>
#include <utility>

#include "layer/layer_path.h"

namespace bulwark::layer {
namespace {

using internal::BaseName;
using internal::JoinPath;
using internal::ParentOf;
using internal::SplitPath;
using NodeMap = std::map<std::string, MergedFs::Node>;

// Linux gives up after 40 symlinks in one lookup (ELOOP); so do we.
constexpr int kMaxSymlinkHops = 40;
constexpr int kMaxHardlinkHops = 40;
constexpr size_t kShownPathLength = 256;

std::string Shown(std::string_view path) {
  if (path.size() <= kShownPathLength) return std::string(path);
  return std::string(path.substr(0, kShownPathLength)) + "...";
}

Error PathError(ErrorCode code, std::string_view path, std::string_view what) {
  return Error(code, "path " + Shown(path) + ": " + std::string(what));
}

// Where a path lands: `path` exists (the root "" always does); `missing` are
// the components below it that do not exist (or are not directories where a
// directory is needed), in order, already free of "." and "..".
struct Resolution {
  std::string path;
  std::vector<std::string> missing;
};

struct ResolveMode {
  bool follow_last = true;
  // The final component must be a directory (used to place entries).
  bool want_dir = false;
  // Stop at the first absent component and report the rest instead of failing.
  bool lenient = false;
};

// Appends the rest of a path whose resolution stopped at an absent component;
// nothing below exists, so "." and ".." are applied lexically.
void CollectMissing(std::vector<std::string>& pending, Resolution& out) {
  while (!pending.empty()) {
    std::string component = std::move(pending.back());
    pending.pop_back();
    if (component == ".") continue;
    if (component != "..") {
      out.missing.push_back(std::move(component));
    } else if (!out.missing.empty()) {
      out.missing.pop_back();
    } else {
      out.path = std::string(ParentOf(out.path));
    }
  }
}

void PushComponents(std::string_view path, std::vector<std::string>& pending) {
  std::vector<std::string_view> components = SplitPath(path);
  for (auto it = components.rbegin(); it != components.rend(); ++it) pending.emplace_back(*it);
}

// Resolves `path` inside the root, one component at a time, following
// symlinks as the kernel would but never above the root: an absolute target
// restarts at the root and ".." at the root stays there.
Result<Resolution> Resolve(const NodeMap& nodes, std::string_view path, ResolveMode mode) {
  std::vector<std::string> pending;  // Components still to walk, next one last.
  PushComponents(path, pending);
  Resolution out;
  int hops = 0;

  while (!pending.empty()) {
    std::string component = std::move(pending.back());
    pending.pop_back();
    if (component == ".") continue;
    if (component == "..") {
      out.path = std::string(ParentOf(out.path));
      continue;
    }

    std::string candidate = JoinPath(out.path, component);
    auto node = nodes.find(candidate);
    bool last = pending.empty();
    bool follow = !last || mode.follow_last;
    if (node != nodes.end() && node->second.entry.type == EntryType::kSymlink && follow) {
      if (++hops > kMaxSymlinkHops) {
        return PathError(ErrorCode::kCorruptInput, path, "symlink loop (more than 40 links)");
      }
      const std::string& target = node->second.entry.link_target;
      if (target.starts_with('/')) out.path.clear();
      PushComponents(target, pending);
      continue;
    }

    bool is_dir = node != nodes.end() && node->second.entry.type == EntryType::kDirectory;
    bool usable = node != nodes.end() && (is_dir || (last && !mode.want_dir));
    if (!usable) {
      if (!mode.lenient) {
        std::string_view what =
            node == nodes.end() ? "not found" : "a component is not a directory";
        return PathError(ErrorCode::kNotFound, path, what);
      }
      out.missing.push_back(std::move(component));
      CollectMissing(pending, out);
      return out;
    }
    out.path = std::move(candidate);
  }
  return out;
}

MergedFs::Node ImplicitDir(const std::string& path, size_t layer_index) {
  MergedFs::Node node;
  node.entry.path = path;
  node.entry.type = EntryType::kDirectory;
  node.entry.mode = 0755;
  node.layer_index = layer_index;
  return node;
}

// Erases everything beneath `path` (not `path` itself).
void RemoveSubtree(NodeMap& nodes, const std::string& path) {
  if (path.empty()) {
    nodes.erase(nodes.upper_bound(""), nodes.end());
    return;
  }
  std::string prefix = path + "/";
  auto first = nodes.lower_bound(prefix);
  auto last = first;
  while (last != nodes.end() && last->first.starts_with(prefix)) ++last;
  nodes.erase(first, last);
}

// Makes the directory a resolution points at exist, creating implicit
// directories for absent components and replacing non-directories in the way
// (as extracting a layer would). Returns the directory's path.
std::string MakeDirs(NodeMap& nodes, const Resolution& resolution, size_t layer_index) {
  std::string path = resolution.path;
  for (const std::string& component : resolution.missing) {
    path = JoinPath(path, component);
    auto node = nodes.find(path);
    if (node == nodes.end()) {
      nodes.emplace(path, ImplicitDir(path, layer_index));
      continue;
    }
    RemoveSubtree(nodes, path);
    node->second = ImplicitDir(path, layer_index);
  }
  return path;
}

// The directory an entry of a layer lands in. A parent that is a symlink in
// the lower layers is followed (container runtimes extract through it).
Result<std::string> PlaceParent(NodeMap& nodes, std::string_view parent, size_t layer_index) {
  ResolveMode mode{.follow_last = true, .want_dir = true, .lenient = true};
  BULWARK_ASSIGN_OR_RETURN(Resolution resolution, Resolve(nodes, parent, mode));
  return MakeDirs(nodes, resolution, layer_index);
}

// The path a whiteout or opaque marker refers to after following symlinked
// parents, or nullopt when its parent does not exist.
Result<std::optional<std::string>> ExistingTarget(const NodeMap& nodes, std::string_view path) {
  ResolveMode mode{.follow_last = true, .want_dir = true, .lenient = true};
  BULWARK_ASSIGN_OR_RETURN(Resolution resolution, Resolve(nodes, ParentOf(path), mode));
  if (!resolution.missing.empty()) return std::optional<std::string>();
  return std::optional<std::string>(JoinPath(resolution.path, BaseName(path)));
}

Status ApplyOpaque(NodeMap& nodes, const std::string& dir, size_t layer_index) {
  if (dir.empty()) {
    RemoveSubtree(nodes, "");
    return Ok();
  }
  BULWARK_ASSIGN_OR_RETURN(std::string parent, PlaceParent(nodes, ParentOf(dir), layer_index));
  Resolution resolution{parent, {std::string(BaseName(dir))}};
  std::string path = JoinPath(parent, BaseName(dir));
  auto node = nodes.find(path);
  if (node != nodes.end() && node->second.entry.type == EntryType::kDirectory) {
    RemoveSubtree(nodes, path);
    return Ok();
  }
  MakeDirs(nodes, resolution, layer_index);
  return Ok();
}

Status ApplyWhiteout(NodeMap& nodes, const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> target, ExistingTarget(nodes, path));
  if (!target.has_value() || target->empty()) return Ok();
  RemoveSubtree(nodes, *target);
  nodes.erase(*target);
  return Ok();
}

// The body a hard link reads as when it is applied: its own kept body, or
// its target's as the merged view holds it at that moment.
const std::string* HardlinkContent(const NodeMap& nodes, const Entry& entry,
                                   const LayerContents& layer) {
  auto own = layer.files.find(entry.path);
  if (own != layer.files.end()) return &own->second;
  ResolveMode mode{.follow_last = false};
  auto target = Resolve(nodes, entry.link_target, mode);
  if (!target.ok()) return nullptr;
  auto node = nodes.find(target->path);
  if (node == nodes.end()) return nullptr;
  return node->second.content;
}

Status ApplyEntry(NodeMap& nodes, const Entry& entry, size_t layer_index,
                  const LayerContents& layer) {
  BULWARK_ASSIGN_OR_RETURN(std::string parent,
                           PlaceParent(nodes, ParentOf(entry.path), layer_index));
  std::string path = JoinPath(parent, BaseName(entry.path));

  MergedFs::Node node;
  node.entry = entry;
  node.entry.path = path;
  node.layer_index = layer_index;
  if (entry.type == EntryType::kFile) {
    auto body = layer.files.find(entry.path);
    if (body != layer.files.end()) node.content = &body->second;
  } else if (entry.type == EntryType::kHardlink) {
    node.content = HardlinkContent(nodes, entry, layer);
  }

  auto existing = nodes.find(path);
  if (existing == nodes.end()) {
    nodes.emplace(path, std::move(node));
    return Ok();
  }
  bool was_dir = existing->second.entry.type == EntryType::kDirectory;
  bool is_dir = entry.type == EntryType::kDirectory;
  // A directory over a directory merges; any other change of kind drops what
  // was beneath the old node (a directory over a file starts empty anyway).
  if (!(was_dir && is_dir)) RemoveSubtree(nodes, path);
  existing->second = std::move(node);
  return Ok();
}

Status ApplyLayer(NodeMap& nodes, const LayerContents& layer, size_t layer_index) {
  for (const std::string& dir : layer.opaque_dirs) {
    BULWARK_TRY(ApplyOpaque(nodes, dir, layer_index));
  }
  for (const std::string& path : layer.whiteouts) BULWARK_TRY(ApplyWhiteout(nodes, path));
  for (const Entry& entry : layer.entries) {
    if (entry.path.empty()) continue;  // The root is not an entry.
    BULWARK_TRY(ApplyEntry(nodes, entry, layer_index, layer));
  }
  return Ok();
}

}  // namespace

Result<MergedFs> MergedFs::Build(const std::vector<const LayerContents*>& layers) {
  MergedFs fs;
  fs.nodes_.emplace("", ImplicitDir("", 0));
  for (size_t index = 0; index < layers.size(); ++index) {
    if (layers[index] == nullptr) {
      return Error(ErrorCode::kInvalidArgument,
                   "merged fs: layer " + std::to_string(index + 1) + " is missing");
    }
    Status applied = ApplyLayer(fs.nodes_, *layers[index], index);
    if (!applied.ok()) return applied.error().Wrap("layer " + std::to_string(index + 1));
  }
  return fs;
}

Result<const MergedFs::Node*> MergedFs::Lookup(std::string_view path, bool follow_last) const {
  ResolveMode mode{.follow_last = follow_last};
  BULWARK_ASSIGN_OR_RETURN(Resolution resolution, Resolve(nodes_, path, mode));
  auto node = nodes_.find(resolution.path);
  if (node == nodes_.end()) return PathError(ErrorCode::kNotFound, path, "not found");
  return &node->second;
}

Result<std::string> MergedFs::ReadFile(std::string_view path) const {
  BULWARK_ASSIGN_OR_RETURN(const Node* node, Lookup(path));
  // A hard link whose target was absent when it was applied is followed
  // through the final view; chains are bounded like symlinks.
  for (int hops = 0; node->content == nullptr && node->entry.type == EntryType::kHardlink; ++hops) {
    if (hops == kMaxHardlinkHops) {
      return PathError(ErrorCode::kCorruptInput, path, "hard link chain too long");
    }
    auto target = Lookup(node->entry.link_target);
    // A hard link names a file that the same archive wrote before it; a
    // missing target means a broken image, never an absent file.
    if (!target.ok() && target.error().code() == ErrorCode::kNotFound) {
      return PathError(
          ErrorCode::kCorruptInput, path,
          "hard link to " + Shown(node->entry.link_target) + ", which is not in the image");
    }
    if (!target.ok()) return target.error().Wrap("path " + Shown(path) + ": hard link target");
    node = *target;
  }

  switch (node->entry.type) {
    case EntryType::kDirectory:
      return PathError(ErrorCode::kInvalidArgument, path, "is a directory, not a file");
    case EntryType::kOther:
      return PathError(ErrorCode::kInvalidArgument, path, "is not a regular file");
    default:
      break;
  }
  if (node->content == nullptr) {
    return Error(ErrorCode::kUnsupported,
                 Shown(path) +
                     ": the file's contents were not read from the image layers (only the "
                     "package databases and system files Bulwark checks are read)");
  }
  return *node->content;
}

Result<std::string> MergedFs::PhysicalPath(std::string_view path) const {
  ResolveMode mode{.follow_last = true, .want_dir = false, .lenient = true};
  BULWARK_ASSIGN_OR_RETURN(Resolution resolution, Resolve(nodes_, path, mode));
  std::string physical = resolution.path;
  for (const std::string& component : resolution.missing) physical = JoinPath(physical, component);
  return physical;
}

Result<std::vector<PathPattern>> PhysicalPatterns(const MergedFs& fs,
                                                  const std::vector<PathPattern>& wanted) {
  std::vector<PathPattern> extra;
  auto add = [&](std::string path, bool children) {
    for (const PathPattern& pattern : wanted) {
      if (pattern.path == path && pattern.children == children) return;
    }
    for (const PathPattern& pattern : extra) {
      if (pattern.path == path && pattern.children == children) return;
    }
    extra.push_back({std::move(path), children});
  };
  for (const PathPattern& pattern : wanted) {
    BULWARK_ASSIGN_OR_RETURN(std::string physical, fs.PhysicalPath(pattern.path));
    if (physical != pattern.path && !physical.empty()) add(physical, pattern.children);
    if (pattern.children) continue;
    auto node = fs.Lookup(physical, /*follow_last=*/false);
    if (node.ok() && (*node)->entry.type == EntryType::kHardlink) {
      add((*node)->entry.link_target, false);
    }
  }
  return extra;
}

Result<std::vector<std::string>> MergedFs::ListDir(std::string_view path) const {
  BULWARK_ASSIGN_OR_RETURN(const Node* node, Lookup(path));
  if (node->entry.type != EntryType::kDirectory) {
    return PathError(ErrorCode::kInvalidArgument, path, "is not a directory");
  }

  const std::string& dir = node->entry.path;
  std::string prefix = dir.empty() ? "" : dir + "/";
  std::vector<std::string> names;
  auto it = nodes_.upper_bound(prefix);
  if (!dir.empty()) it = nodes_.lower_bound(prefix);
  while (it != nodes_.end() && it->first.starts_with(prefix)) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {
      names.emplace_back(rest);
      ++it;
      continue;
    }
    // Skip the grandchildren in one step: "child0" sorts right after "child/...".
    it = nodes_.lower_bound(prefix + std::string(rest.substr(0, slash)) + char('/' + 1));
  }
  return names;
}

}  // namespace bulwark::layer
