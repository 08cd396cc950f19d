#include "catalog/text_lines.h"

namespace bulwark::catalog::internal {

Status CheckFileSize(std::string_view text, std::string_view path, size_t max_bytes) {
  if (text.size() <= max_bytes) return Ok();
  return Error(ErrorCode::kLimitExceeded, std::string(path) + ": " + std::to_string(text.size()) +
                                              " bytes, over the limit of " +
                                              std::to_string(max_bytes));
}

Status CheckNoControlBytes(std::string_view value, std::string_view field, std::string_view path,
                           size_t line) {
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte == '\t' || (byte >= 0x20 && byte != 0x7f)) continue;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string shown = {'0', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
    return Error(ErrorCode::kCorruptInput, std::string(path) + " line " + std::to_string(line) +
                                               ": " + std::string(field) + " holds control byte " +
                                               shown);
  }
  return Ok();
}

Result<bool> LineReader::Next(std::string_view& line) {
  if (pos_ >= text_.size()) return false;

  size_t end = text_.find('\n', pos_);
  if (end == std::string_view::npos) end = text_.size();
  line = text_.substr(pos_, end - pos_);
  pos_ = end + 1;
  ++line_number_;

  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > kMaxLineBytes) {
    return Error(ErrorCode::kLimitExceeded,
                 Where("line of " + std::to_string(line.size()) + " bytes, over the limit of " +
                       std::to_string(kMaxLineBytes)));
  }
  return true;
}

std::string LineReader::Where(std::string_view what) const {
  return path_ + " line " + std::to_string(line_number_) + ": " + std::string(what);
}

}  // namespace bulwark::catalog::internal
