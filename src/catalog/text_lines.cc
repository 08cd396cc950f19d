#include "catalog/text_lines.h"

namespace bulwark::catalog::internal {

Status CheckFileSize(std::string_view text, std::string_view path, size_t max_bytes) {
  if (text.size() <= max_bytes) return Ok();
  return Error(ErrorCode::kLimitExceeded, std::string(path) + ": " + std::to_string(text.size()) +
                                              " bytes, over the limit of " +
                                              std::to_string(max_bytes));
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
