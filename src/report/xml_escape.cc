#include "report/xml_escape.h"

#include <cstdint>

namespace bulwark::report::internal {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD in UTF-8.

// Decodes the UTF-8 sequence at `text[*at]`, advancing `*at` past it. Returns
// the code point, or -1 for a byte that does not start a well-formed sequence
// (then `*at` moves by one byte). Overlong forms, surrogates and values past
// U+10FFFF are not well-formed (RFC 3629, section 3).
int32_t DecodeUtf8(std::string_view text, size_t* at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(*at);
  if (lead < 0x80) {
    ++*at;
    return lead;
  }
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || *at + length > text.size()) {
    ++*at;
    return -1;
  }
  int32_t code_point = lead & (0x3F >> (length - 1));
  for (size_t i = 1; i < length; ++i) {
    unsigned char next = byte(*at + i);
    if ((next & 0xC0) != 0x80) {
      ++*at;
      return -1;
    }
    code_point = (code_point << 6) | (next & 0x3F);
  }
  static constexpr int32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < kSmallest[length] || surrogate || code_point > 0x10FFFF) {
    ++*at;
    return -1;
  }
  *at += length;
  return code_point;
}

// The Char production of XML 1.0 (section 2.2).
bool IsXmlChar(int32_t code_point) {
  return code_point == 0x9 || code_point == 0xA || code_point == 0xD ||
         (code_point >= 0x20 && code_point <= 0xD7FF) ||
         (code_point >= 0xE000 && code_point <= 0xFFFD) ||
         (code_point >= 0x10000 && code_point <= 0x10FFFF);
}

std::string Escape(std::string_view text, bool attribute) {
  std::string escaped;
  escaped.reserve(text.size());
  size_t at = 0;
  while (at < text.size()) {
    size_t start = at;
    int32_t code_point = DecodeUtf8(text, &at);
    if (code_point < 0 || !IsXmlChar(code_point)) {
      escaped += kReplacement;
      continue;
    }
    switch (code_point) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '\r':
        escaped += "&#13;";
        break;
      case '"':
        escaped += attribute ? "&quot;" : "\"";
        break;
      case '\'':
        escaped += attribute ? "&apos;" : "'";
        break;
      case '\t':
        escaped += attribute ? "&#9;" : "\t";
        break;
      case '\n':
        escaped += attribute ? "&#10;" : "\n";
        break;
      default:
        escaped.append(text.substr(start, at - start));
    }
  }
  return escaped;
}

}  // namespace

std::string EscapeXmlText(std::string_view text) { return Escape(text, /*attribute=*/false); }

std::string EscapeXmlAttribute(std::string_view text) { return Escape(text, /*attribute=*/true); }

}  // namespace bulwark::report::internal
