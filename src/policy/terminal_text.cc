#include "policy/terminal_text.h"

#include <cstdint>
#include <cstdio>

namespace bulwark::policy {
namespace {

// One decoded UTF-8 sequence; `length` is 0 when the bytes are not well formed.
struct Decoded {
  uint32_t code_point = 0;
  size_t length = 0;
};

// Decodes the sequence at the start of `text` by the table of well-formed byte
// sequences in the Unicode Standard, chapter 3, table 3-7: no overlong forms,
// no surrogates, nothing above U+10FFFF.
Decoded DecodeUtf8(std::string_view text) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(0);
  size_t length = 0;
  unsigned char second_low = 0x80;
  unsigned char second_high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) second_low = 0xa0;
    if (lead == 0xed) second_high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) second_low = 0x90;
    if (lead == 0xf4) second_high = 0x8f;
  } else {
    return {};
  }
  if (text.size() < length) return {};
  if (byte(1) < second_low || byte(1) > second_high) return {};

  uint32_t code_point = lead & (0xff >> (length + 1));
  for (size_t i = 1; i < length; ++i) {
    if (i > 1 && (byte(i) & 0xc0) != 0x80) return {};
    code_point = (code_point << 6) | (byte(i) & 0x3f);
  }
  return {code_point, length};
}

// Code points above ASCII that a terminal acts on or that reorder what is shown.
bool IsUnsafeCodePoint(uint32_t code_point) {
  return (code_point >= 0x80 && code_point <= 0x9f) || code_point == 0x2028 ||
         code_point == 0x2029 || (code_point >= 0x202a && code_point <= 0x202e) ||
         (code_point >= 0x2066 && code_point <= 0x2069);
}

void AppendEscape(std::string& out, const char* format, unsigned value) {
  char escape[8];
  std::snprintf(escape, sizeof(escape), format, value);
  out += escape;
}

}  // namespace

std::string EscapeForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      AppendEscape(out, "\\x%02x", byte);
      ++i;
      continue;
    }
    if (byte < 0x80) {
      out += static_cast<char>(byte);
      ++i;
      continue;
    }

    Decoded decoded = DecodeUtf8(text.substr(i));
    if (decoded.length == 0) {
      AppendEscape(out, "\\x%02x", byte);
      ++i;
      continue;
    }
    if (IsUnsafeCodePoint(decoded.code_point)) {
      AppendEscape(out, "\\u%04x", decoded.code_point);
    } else {
      out.append(text.substr(i, decoded.length));
    }
    i += decoded.length;
  }
  return out;
}

}  // namespace bulwark::policy
