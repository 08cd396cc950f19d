// Structural scanning of JSON bytes, for the importers: how deep a document
// nests, which keys it starts with, and the elements of a top-level array
// read one at a time from a stream. The scanner follows strings, escapes and
// brackets only; the bytes of each element are validated by nlohmann-json.
#ifndef BULWARK_VULNDB_JSON_SCAN_H_
#define BULWARK_VULNDB_JSON_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_stream.h"
#include "common/result.h"

namespace bulwark::vulndb::internal {

// No feed nests deeper than a handful of levels; deeper input is refused
// before it is parsed, so no parser or destructor recurses far.
inline constexpr int kMaxJsonDepth = 64;

// `bytes` without a leading UTF-8 byte order mark and white space.
std::string_view SkipJsonSpace(std::string_view bytes);

// kCorruptInput "WHAT: JSON nested deeper than 64 levels" when brackets
// outside strings nest deeper than kMaxJsonDepth; Ok otherwise (it does not
// check anything else).
Status CheckJsonDepth(std::string_view bytes, std::string_view what);

// What the start of a JSON document shows, read leniently (it may be cut
// off anywhere): the first byte of the root value ('{', '[', or 0 when the
// text is empty), the keys of the root object in order (raw, unescaped; at
// most 64), and the first key of the first member of the root object whose
// value is an object ("" when none was seen).
struct JsonPeek {
  char root = 0;
  std::vector<std::string> keys;
  std::string first_nested_key;
};
JsonPeek PeekJson(std::string_view prefix);

// Reads the elements of a top-level JSON array from `stream` one by one, so
// that an array file of any size is read in bounded memory. Every element
// must be an object. Not thread-safe; `stream` must outlive the reader.
class JsonArrayReader {
 public:
  // `what` names the input in errors; each element may hold at most
  // `max_element_bytes`, and the whole stream at most `max_total_bytes`.
  JsonArrayReader(ByteStream& stream, std::string what, uint64_t max_element_bytes,
                  uint64_t max_total_bytes);

  // The next element's bytes in `element`; false after the closing bracket.
  // kCorruptInput when the input is not an array of objects (naming the
  // element's index), kLimitExceeded for the limits above, stream errors as is.
  Result<bool> Next(std::string* element);

  // How many elements Next returned.
  size_t count() const { return count_; }
  // Bytes read from the stream so far.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  Result<int> Get();
  Result<int> NextNonSpace();
  Error Corrupt(std::string_view what) const;

  ByteStream& stream_;
  std::string what_;
  uint64_t max_element_bytes_;
  uint64_t max_total_bytes_;
  std::string buffer_;
  size_t position_ = 0;
  size_t filled_ = 0;
  uint64_t bytes_read_ = 0;
  size_t count_ = 0;
  bool started_ = false;
  bool finished_ = false;
};

}  // namespace bulwark::vulndb::internal

#endif  // BULWARK_VULNDB_JSON_SCAN_H_
