#include "cli/context.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "image/reference.h"

namespace bulwark::cli {
namespace {

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      return Error(ErrorCode::kIo, "report " + path + ": " +
                                       (written < 0 ? std::strerror(errno) : "short write"));
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Ok();
}

}  // namespace

std::string StoreLocation(const GlobalOptions& global) {
  std::string dir = global.data_dir.empty() ? store::DefaultDataDir() : global.data_dir;
  return dir + "/bulwark.db";
}

std::string AdvisoryDbLocation(const GlobalOptions& global) {
  if (!global.advisory_db.empty()) return global.advisory_db;
  std::string dir = global.data_dir.empty() ? store::DefaultDataDir() : global.data_dir;
  return dir + "/advisories.db";
}

Result<std::unique_ptr<store::Store>> OpenStore(const GlobalOptions& global) {
  return store::OpenSqliteStore(StoreLocation(global));
}

Result<std::vector<lineage::RegisteredImage>> FindRegistered(store::Store& store,
                                                             const std::string& name_or_id) {
  BULWARK_ASSIGN_OR_RETURN(auto images, store.ListImages());
  std::string hex = name_or_id.rfind("sha256:", 0) == 0 ? name_or_id.substr(7) : name_or_id;
  bool looks_like_id = hex.size() >= 6 && hex.find_first_not_of("0123456789abcdef") == std::string::npos;

  std::vector<lineage::RegisteredImage> found;
  if (looks_like_id) {
    for (const auto& image : images) {
      if (image.image_id.hex().rfind(hex, 0) == 0) found.push_back(image);
    }
    if (!found.empty()) return found;
  }
  auto reference = image::Reference::Parse(name_or_id);
  if (!reference.ok() && !looks_like_id) return reference.error();
  if (reference.ok()) {
    for (const auto& image : images) {
      for (const std::string& name : image.names) {
        if (name == reference->NameAndTag()) {
          found.push_back(image);
          break;
        }
      }
    }
  }
  // The user named something that is not there: a usage error (exit 2).
  if (found.empty()) {
    return Error(ErrorCode::kInvalidArgument, "no registered image named or with id \"" +
                                                  name_or_id + "\"; see: bulwark image list");
  }
  return found;
}

Result<std::vector<policy::Policy>> LoadPolicies(store::Store& store,
                                                 const std::vector<std::string>& files) {
  std::vector<policy::Policy> policies;
  if (!files.empty()) {
    for (const std::string& file : files) {
      auto policy = policy::LoadPolicyFile(file);
      // A policy that cannot be read is a configuration error (exit 2), whatever the cause.
      if (!policy.ok()) return Error(ErrorCode::kInvalidArgument, policy.error().message());
      policies.push_back(std::move(policy).value());
    }
  } else {
    BULWARK_ASSIGN_OR_RETURN(auto stored, store.ListPolicies());
    for (const store::StoredPolicy& entry : stored) {
      BULWARK_ASSIGN_OR_RETURN(policy::Policy policy,
                               policy::ParsePolicy(entry.document, "store:" + entry.name));
      policies.push_back(std::move(policy));
    }
  }
  // Two documents with one name would be reported, and stored, as one.
  for (size_t i = 0; i < policies.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (policies[i].name != policies[j].name) continue;
      return Error(ErrorCode::kInvalidArgument,
                   "policies " + policies[j].origin + " and " + policies[i].origin +
                       " are both named \"" + policies[i].name +
                       "\"; give each policy its own name (or pass the file once)");
    }
  }
  BULWARK_ASSIGN_OR_RETURN(auto registered, store.ListImages());
  for (const policy::Policy& policy : policies) {
    BULWARK_TRY(policy::CheckApprovedImagesRegistered(policy, registered));
  }
  return policies;
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
