#include "vulndb/json_scan.h"

namespace bulwark::vulndb::internal {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr size_t kMaxPeekKeys = 64;
constexpr size_t kMaxPeekKeyLength = 256;

bool IsJsonSpace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Follows strings and brackets one byte at a time.
struct Tracker {
  int depth = 0;
  bool in_string = false;
  bool escape = false;

  // Returns false when `c` closes a bracket that was never opened.
  bool Feed(char c) {
    if (in_string) {
      if (escape) {
        escape = false;
      } else if (c == '\\') {
        escape = true;
      } else if (c == '"') {
        in_string = false;
      }
      return true;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    return depth >= 0;
  }
};

}  // namespace

std::string_view SkipJsonSpace(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  while (!bytes.empty() && IsJsonSpace(bytes.front())) bytes.remove_prefix(1);
  return bytes;
}

Status CheckJsonDepth(std::string_view bytes, std::string_view what) {
  Tracker tracker;
  for (char c : bytes) {
    tracker.Feed(c);
    if (tracker.depth > kMaxJsonDepth) {
      return Error(ErrorCode::kCorruptInput, std::string(what) + ": JSON nested deeper than " +
                                                 std::to_string(kMaxJsonDepth) + " levels");
    }
  }
  return Ok();
}

JsonPeek PeekJson(std::string_view prefix) {
  JsonPeek peek;
  std::string_view text = SkipJsonSpace(prefix);
  if (text.empty()) return peek;
  peek.root = text.front();
  if (peek.root != '{') return peek;

  // A string at depth 1 right after '{' or ',' is a key of the root object;
  // a string right after an object opened as the value of a root member is
  // that object's first key.
  Tracker tracker;
  bool expect_key = false;
  bool capture_nested = false;
  bool reading_key = false;
  bool reading_nested = false;
  std::string current;
  for (char c : text) {
    const int depth_before = tracker.depth;
    const bool was_in_string = tracker.in_string;
    if (!tracker.Feed(c)) break;

    if (was_in_string) {
      if (tracker.in_string) {
        if ((reading_key || reading_nested) && current.size() < kMaxPeekKeyLength) {
          current.push_back(c);
        }
        continue;
      }
      if (reading_key && peek.keys.size() < kMaxPeekKeys) peek.keys.push_back(current);
      if (reading_nested) peek.first_nested_key = current;
      reading_key = reading_nested = false;
      current.clear();
      continue;
    }
    if (IsJsonSpace(c)) continue;

    if (c == '"') {
      reading_key = depth_before == 1 && expect_key;
      reading_nested = depth_before == 2 && capture_nested;
      expect_key = false;
      capture_nested = false;
      continue;
    }
    expect_key = (c == '{' && tracker.depth == 1) || (c == ',' && depth_before == 1);
    capture_nested = c == '{' && tracker.depth == 2 && peek.first_nested_key.empty();
    if (tracker.depth == 0) break;
  }
  return peek;
}

JsonArrayReader::JsonArrayReader(ByteStream& stream, std::string what, uint64_t max_element_bytes,
                                 uint64_t max_total_bytes)
    : stream_(stream),
      what_(std::move(what)),
      max_element_bytes_(max_element_bytes),
      max_total_bytes_(max_total_bytes) {}

Error JsonArrayReader::Corrupt(std::string_view what) const {
  return Error(ErrorCode::kCorruptInput, what_ + ": " + std::string(what));
}

Result<int> JsonArrayReader::Get() {
  if (position_ == filled_) {
    buffer_.resize(kReadChunk);
    BULWARK_ASSIGN_OR_RETURN(size_t got, stream_.Read(buffer_.data(), buffer_.size()));
    if (got == 0) return -1;
    position_ = 0;
    filled_ = got;
    bytes_read_ += got;
    if (bytes_read_ > max_total_bytes_) {
      return Error(ErrorCode::kLimitExceeded, what_ + ": more than max_total_bytes (" +
                                                  std::to_string(max_total_bytes_) + " bytes)");
    }
  }
  return static_cast<unsigned char>(buffer_[position_++]);
}

Result<int> JsonArrayReader::NextNonSpace() {
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(int c, Get());
    if (!IsJsonSpace(c)) return c;
  }
}

Result<bool> JsonArrayReader::Next(std::string* element) {
  if (finished_) return false;
  const std::string index = "element " + std::to_string(count_);

  if (!started_) {
    BULWARK_ASSIGN_OR_RETURN(int first, NextNonSpace());
    if (first == 0xEF) {
      BULWARK_ASSIGN_OR_RETURN(int b, Get());
      BULWARK_ASSIGN_OR_RETURN(int o, Get());
      if (b != 0xBB || o != 0xBF) return Corrupt("not a JSON array");
      BULWARK_ASSIGN_OR_RETURN(first, NextNonSpace());
    }
    if (first != '[') return Corrupt("not a JSON array");
    started_ = true;
  }

  // Between elements: a comma, or the closing bracket and nothing after it.
  BULWARK_ASSIGN_OR_RETURN(int c, NextNonSpace());
  if (c == ']') {
    finished_ = true;
    BULWARK_ASSIGN_OR_RETURN(int after, NextNonSpace());
    if (after != -1) return Corrupt("data after the array's closing ]");
    return false;
  }
  if (count_ > 0) {
    if (c != ',')
      return Corrupt("after element " + std::to_string(count_ - 1) + ": expected , or ]");
    BULWARK_ASSIGN_OR_RETURN(c, NextNonSpace());
  }
  if (c == -1) return Corrupt("truncated before the array's closing ]");
  if (c != '{') return Corrupt(index + " is not a JSON object");

  element->assign(1, '{');
  Tracker tracker;
  tracker.Feed('{');
  while (tracker.depth > 0) {
    BULWARK_ASSIGN_OR_RETURN(int next, Get());
    if (next == -1) return Corrupt(index + ": truncated");
    element->push_back(static_cast<char>(next));
    tracker.Feed(static_cast<char>(next));
    if (element->size() > max_element_bytes_) {
      return Error(ErrorCode::kLimitExceeded, what_ + ": " + index +
                                                  " is larger than max_record_bytes (" +
                                                  std::to_string(max_element_bytes_) + " bytes)");
    }
    if (tracker.depth > kMaxJsonDepth) {
      return Corrupt(index + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                     " levels");
    }
  }
  ++count_;
  return true;
}

}  // namespace bulwark::vulndb::internal
