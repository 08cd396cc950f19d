#include "layer/layer_path.h"

namespace bulwark::layer::internal {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> components;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) components.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return components;
}

Result<std::string> NormalizeTarPath(std::string_view raw) {
  std::vector<std::string_view> kept;
  for (std::string_view component : SplitPath(raw)) {
    if (component == ".") continue;
    if (component == "..") {
      if (kept.empty()) {
        return Error(ErrorCode::kCorruptInput, "path \"" + std::string(raw.substr(0, 256)) +
                                                   "\" leaves the image root through \"..\"");
      }
      kept.pop_back();
      continue;
    }
    kept.push_back(component);
  }

  std::string normalized;
  normalized.reserve(raw.size());
  for (std::string_view component : kept) {
    if (!normalized.empty()) normalized.push_back('/');
    normalized.append(component);
  }
  return normalized;
}

std::string JoinPath(std::string_view parent, std::string_view name) {
  std::string joined;
  joined.reserve(parent.size() + name.size() + 1);
  joined.append(parent);
  if (!parent.empty()) joined.push_back('/');
  joined.append(name);
  return joined;
}

std::string_view ParentOf(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace bulwark::layer::internal
