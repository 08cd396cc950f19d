#include "image/model.h"

#include <string>
#include <vector>

namespace bulwark::image {

Result<Platform> Platform::Parse(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    parts.emplace_back(text.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }

  bool well_formed = parts.size() == 2 || parts.size() == 3;
  for (const std::string& part : parts) well_formed = well_formed && !part.empty();
  if (!well_formed) {
    return Error(ErrorCode::kInvalidArgument, "platform \"" + std::string(text.substr(0, 80)) +
                                                  "\": expected os/architecture[/variant]");
  }
  Platform platform{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  return platform;
}

std::string Platform::str() const {
  std::string text = os + "/" + architecture;
  if (!variant.empty()) text += "/" + variant;
  return text;
}

}  // namespace bulwark::image
