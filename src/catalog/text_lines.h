// Line-by-line reading of small text databases, with size limits.
#ifndef BULWARK_CATALOG_TEXT_LINES_H_
#define BULWARK_CATALOG_TEXT_LINES_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::catalog::internal {

// Largest package database file a cataloger parses.
inline constexpr size_t kMaxDatabaseBytes = 64u << 20;
// Longest single line in one.
inline constexpr size_t kMaxLineBytes = 1u << 20;

// kLimitExceeded naming `path` when `text` is over `max_bytes`.
Status CheckFileSize(std::string_view text, std::string_view path, size_t max_bytes);

// kCorruptInput "path line N: field holds control byte 0xNN" when `value`
// holds a byte from 0x00 to 0x08, from 0x0a to 0x1f, or 0x7f (a tab is
// allowed). Package tools read such values differently (dpkg ends a name at
// a NUL), so a name that holds one could escape a rule that names the package.
Status CheckNoControlBytes(std::string_view value, std::string_view field, std::string_view path,
                           size_t line);

// Yields the lines of a text one by one, without their "\n" or "\r\n".
// `text` must outlive the reader. Not thread-safe.
class LineReader {
 public:
  LineReader(std::string_view text, std::string_view path) : text_(text), path_(path) {}

  // Sets `line` to the next line and returns true; false at the end of the
  // text. kLimitExceeded when a line is longer than kMaxLineBytes.
  Result<bool> Next(std::string_view& line);

  // The 1-based number of the line last returned.
  size_t line_number() const { return line_number_; }

  // "path line N: " + what, for errors about the line last returned.
  std::string Where(std::string_view what) const;

 private:
  std::string_view text_;
  std::string path_;
  size_t pos_ = 0;
  size_t line_number_ = 0;
};

}  // namespace bulwark::catalog::internal

#endif  // BULWARK_CATALOG_TEXT_LINES_H_
