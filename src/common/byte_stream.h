// Pull-based byte streams: the one way bytes flow between modules.
#ifndef BULWARK_COMMON_BYTE_STREAM_H_
#define BULWARK_COMMON_BYTE_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark {

// A source of bytes read front to back. Not thread-safe.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to `size` bytes into `buffer`. Returns the count read; 0 means the end.
  virtual Result<size_t> Read(void* buffer, size_t size) = 0;
};

// A window [offset, offset + length) of a file; length -1 means to the end.
class FileStream : public ByteStream {
 public:
  // Opens `path`; fails with kNotFound or kIo naming the path.
  static Result<std::unique_ptr<FileStream>> Open(const std::string& path, int64_t offset = 0,
                                                  int64_t length = -1);
  ~FileStream() override;
  Result<size_t> Read(void* buffer, size_t size) override;

 private:
  FileStream(int fd, std::string path, int64_t offset, int64_t length);
  int fd_;
  std::string path_;
  int64_t position_;
  int64_t remaining_;  // -1: unbounded.
};

// Reads bytes from memory. The caller keeps `data` alive while the stream is used.
class MemoryStream : public ByteStream {
 public:
  explicit MemoryStream(std::string_view data) : data_(data) {}
  Result<size_t> Read(void* buffer, size_t size) override;

 private:
  std::string_view data_;
  size_t position_ = 0;
};

// Reads the whole file at `path`, refusing files larger than `max_size`
// (kLimitExceeded) and naming the path in every error.
Result<std::string> ReadFileLimited(const std::string& path, uint64_t max_size);

// Reads a stream to its end, refusing more than `max_size` bytes.
Result<std::string> ReadAllLimited(ByteStream& stream, uint64_t max_size, std::string_view what);

}  // namespace bulwark

#endif  // BULWARK_COMMON_BYTE_STREAM_H_
