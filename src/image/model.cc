#include "image/model.h"

#include <string>
#include <vector>

namespace bulwark::image {
namespace {

// The characters OCI platform fields use ("linux", "amd64", "arm64", "v8",
// "riscv64", "ppc64le", "s390x", "mips64le"); anything else, including
// upper case and whitespace, is a mistake in the text given.
bool IsPlatformChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

// The text as shown in messages: cut short, with control characters escaped
// so that a trailing newline is visible.
std::string Shown(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string shown;
  for (char c : text.substr(0, 80)) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      shown += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      shown += std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xf];
    } else {
      shown += c;
    }
  }
  if (text.size() > 80) shown += "...";
  return shown;
}

Error PlatformError(std::string_view text, std::string_view what) {
  return Error(ErrorCode::kInvalidArgument,
               "platform \"" + Shown(text) + "\": " + std::string(what));
}

}  // namespace

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
  if (!well_formed) return PlatformError(text, "expected os/architecture[/variant]");
  for (char c : text) {
    if (c != '/' && !IsPlatformChar(c)) {
      return PlatformError(text,
                           "expected os/architecture[/variant] in lower-case letters, digits, "
                           "'_', '.' or '-'");
    }
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
