#include "cli/context.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace bulwark::cli {
namespace {

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      return Error(ErrorCode::kIo,
                   "report " + path + ": " + (written < 0 ? std::strerror(errno) : "short write"));
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Ok();
}

}  // namespace

std::string StoreLocation(const GlobalOptions& global) {
  if (!global.database.empty()) return global.database;
  std::string dir = global.data_dir.empty() ? store::DefaultDataDir() : global.data_dir;
  return dir + "/bulwark.db";
}

std::string AdvisoryDbLocation(const GlobalOptions& global) {
  if (!global.advisory_db.empty()) return global.advisory_db;
  std::string dir = global.data_dir.empty() ? store::DefaultDataDir() : global.data_dir;
  return dir + "/advisories.db";
}

Status CheckDatabaseOption(const std::string& database) {
  if (database.empty() || store::IsPostgresUrl(database)) return Ok();
  return Error(ErrorCode::kInvalidArgument,
               "--database " + store::DisplayLocation(database) +
                   ": not a PostgreSQL URL (postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE);"
                   " leave it out to use the SQLite store in the data directory");
}

Result<std::unique_ptr<store::Store>> OpenStore(const GlobalOptions& global) {
  BULWARK_TRY(CheckDatabaseOption(global.database));
  return store::OpenStoreAt(StoreLocation(global));
}

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  // A device, pipe or /dev/stdout is written in place: renaming over it would
  // replace the device node (or the symlink) for everyone.
  struct stat info;
  bool exists = ::stat(path.c_str(), &info) == 0;
  if (exists && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode)) {
      return Error(ErrorCode::kInvalidArgument, "report " + path + ": is a directory");
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return Error(ErrorCode::kIo, "report " + path + ": " + std::strerror(errno));
    Status written = WriteAll(fd, data, path);
    ::close(fd);
    return written;
  }

  // A regular file (or a new one) is replaced atomically, so a reader never
  // sees half a report. A symlink is followed: its target is replaced.
  std::string target = path;
  if (exists) {
    std::error_code error;
    std::filesystem::path canonical = std::filesystem::canonical(path, error);
    if (!error) target = canonical.string();
  }
  std::string temp = target + ".XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) return Error(ErrorCode::kIo, "report " + path + ": " + std::strerror(errno));
  ::fchmod(fd, 0644);
  Status written = WriteAll(fd, data, path);
  if (written.ok() && ::fsync(fd) != 0) {
    written = Error(ErrorCode::kIo, "report " + path + ": " + std::strerror(errno));
  }
  if (::close(fd) != 0 && written.ok()) {
    written = Error(ErrorCode::kIo, "report " + path + ": " + std::strerror(errno));
  }
  if (written.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    written = Error(ErrorCode::kIo, "report " + path + ": " + std::strerror(errno));
  }
  if (!written.ok()) ::unlink(temp.c_str());
  return written;
}

Status AuditLocal(store::Store& store, const std::string& action, const std::string& target,
                  const std::string& detail) {
  std::string actor = "local (uid " + std::to_string(::getuid()) + ")";
  return store.AppendAudit({0, "", actor, action, target, detail});
}

Status CheckReportPath(const std::string& flag, const std::string& path) {
  if (path.empty()) return Ok();
  struct stat info;
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) {
      return Error(ErrorCode::kInvalidArgument, flag + " " + path + ": is a directory");
    }
    if (::access(path.c_str(), W_OK) != 0) {
      return Error(ErrorCode::kInvalidArgument,
                   flag + " " + path + ": not writable (" + std::strerror(errno) + ")");
    }
    return Ok();
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  if (::access(dir.c_str(), W_OK) != 0) {
    return Error(ErrorCode::kInvalidArgument, flag + " " + path + ": cannot create it in " + dir +
                                                  " (" + std::strerror(errno) + ")");
  }
  return Ok();
}

}  // namespace bulwark::cli
