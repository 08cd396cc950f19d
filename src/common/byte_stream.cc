#include "common/byte_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace bulwark {

Result<std::unique_ptr<FileStream>> FileStream::Open(const std::string& path, int64_t offset,
                                                     int64_t length) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    ErrorCode code = err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo;
    return Error(code, path + ": " + std::strerror(err));
  }
  struct stat info;
  if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
    ::close(fd);
    return Error(ErrorCode::kInvalidArgument, path + ": is a directory, expected a file");
  }
  return std::unique_ptr<FileStream>(new FileStream(fd, path, offset, length));
}

FileStream::FileStream(int fd, std::string path, int64_t offset, int64_t length)
    : fd_(fd), path_(std::move(path)), position_(offset), remaining_(length) {
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd_, offset, length < 0 ? 0 : length, POSIX_FADV_SEQUENTIAL);
#endif
}

FileStream::~FileStream() { ::close(fd_); }

Result<size_t> FileStream::Read(void* buffer, size_t size) {
  if (remaining_ == 0) return size_t{0};
  if (remaining_ > 0) size = static_cast<size_t>(std::min<int64_t>(remaining_, size));
  ssize_t got;
  do {
    got = ::pread(fd_, buffer, size, position_);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return Error(ErrorCode::kIo, path_ + ": " + std::strerror(errno));
  if (got == 0 && remaining_ > 0) {
    return Error(ErrorCode::kCorruptInput, path_ + ": file ends before the expected length");
  }
  position_ += got;
  if (remaining_ > 0) remaining_ -= got;
  return static_cast<size_t>(got);
}

Result<size_t> MemoryStream::Read(void* buffer, size_t size) {
  size_t count = std::min(size, data_.size() - position_);
  std::memcpy(buffer, data_.data() + position_, count);
  position_ += count;
  return count;
}

Result<std::string> ReadAllLimited(ByteStream& stream, uint64_t max_size, std::string_view what) {
  std::string data;
  char buffer[64 * 1024];
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(size_t got, stream.Read(buffer, sizeof buffer));
    if (got == 0) break;
    if (data.size() + got > max_size) {
      return Error(ErrorCode::kLimitExceeded, std::string(what) + ": larger than the limit of " +
                                                  std::to_string(max_size) + " bytes");
    }
    data.append(buffer, got);
  }
  return data;
}

Result<std::string> ReadFileLimited(const std::string& path, uint64_t max_size) {
  BULWARK_ASSIGN_OR_RETURN(auto stream, FileStream::Open(path));
  return ReadAllLimited(*stream, max_size, path);
}

}  // namespace bulwark
