#include "image/file_tree.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace bulwark::image::internal {
namespace {

constexpr int kMaxLinkHops = 16;
constexpr size_t kHeadBytes = 512;

std::string Quote(std::string_view text) { return "\"" + std::string(text.substr(0, 200)) + "\""; }

std::string DirName(const std::string& name) {
  size_t slash = name.rfind('/');
  return slash == std::string::npos ? "" : name.substr(0, slash);
}

// Owns a libarchive reader opened on a file, accepting tar inside gzip, zstd
// or no compression; the filters choose by magic bytes.
class ArchiveReader {
 public:
  ArchiveReader() : archive_(archive_read_new()) {
    archive_read_support_filter_gzip(archive_);
    archive_read_support_filter_zstd(archive_);
    archive_read_support_format_tar(archive_);
  }
  ~ArchiveReader() { archive_read_free(archive_); }
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  Status Open(const std::string& path) {
    if (archive_read_open_filename(archive_, path.c_str(), 1 << 16) != ARCHIVE_OK) {
      // libarchive reads the first bytes while opening; when the file itself
      // is readable, the failure is its format.
      bool readable = ::access(path.c_str(), R_OK) == 0;
      return Error(readable ? ErrorCode::kCorruptInput : ErrorCode::kIo,
                   path + ": " + (readable ? "not a tar archive (plain, gzip or zstd): " : "") +
                       ErrorText());
    }
    return Ok();
  }

  archive* get() { return archive_; }
  std::string ErrorText() {
    const char* text = archive_error_string(archive_);
    return text == nullptr ? "unknown archive error" : text;
  }

 private:
  archive* archive_;
};

// The data of the current archive member, as a ByteStream.
class EntryStream : public ByteStream {
 public:
  EntryStream(ArchiveReader& reader, std::string label)
      : reader_(reader), label_(std::move(label)) {}
  Result<size_t> Read(void* buffer, size_t size) override {
    la_ssize_t got = archive_read_data(reader_.get(), buffer, size);
    if (got < 0) {
      return Error(ErrorCode::kCorruptInput, label_ + ": " + reader_.ErrorText());
    }
    return static_cast<size_t>(got);
  }

 private:
  ArchiveReader& reader_;
  std::string label_;
};

Result<std::string> ReadEntry(ArchiveReader& reader, const std::string& label, uint64_t limit) {
  EntryStream stream(reader, label);
  return ReadAllLimited(stream, limit, label);
}

char MemberType(archive_entry* entry) {
  if (archive_entry_hardlink(entry) != nullptr) return 'h';
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
      return 'f';
    case AE_IFDIR:
      return 'd';
    case AE_IFLNK:
      return 'l';
    default:
      return 'o';
  }
}

bool ReadAt(int fd, int64_t offset, std::string& out, size_t size) {
  out.resize(size);
  size_t done = 0;
  while (done < size) {
    ssize_t got = ::pread(fd, out.data() + done, size - done, offset + done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    done += got;
  }
  return true;
}

}  // namespace

std::optional<std::string> NormaliseName(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    std::string_view part = name.substr(start, slash - start);
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = slash + 1;
  }
  if (parts.empty()) return std::nullopt;
  std::string joined;
  for (std::string_view part : parts) {
    if (!joined.empty()) joined += '/';
    joined += part;
  }
  return joined;
}

// ---- DirTree ----

Result<std::string> DirTree::FullPath(std::string_view name) const {
  auto normal = NormaliseName(name);
  if (!normal || name.starts_with('/')) {
    return Error(ErrorCode::kCorruptInput,
                 root_ + ": name " + Quote(name) + " leaves the layout directory");
  }
  return root_ + "/" + *normal;
}

Result<std::string> DirTree::RegularFile(std::string_view name, int64_t* size_out) const {
  BULWARK_ASSIGN_OR_RETURN(std::string full, FullPath(name));
  struct stat info;
  if (::stat(full.c_str(), &info) != 0) {
    int err = errno;
    return Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                 full + ": " + std::strerror(err));
  }
  // Something other than a file where the layout needs one is a broken
  // layout, not a missing blob and not a mistake in the SOURCE.
  if (S_ISDIR(info.st_mode)) {
    return Error(ErrorCode::kCorruptInput, full + ": is a directory, not a file");
  }
  if (!S_ISREG(info.st_mode)) {
    return Error(ErrorCode::kCorruptInput, full + ": not a regular file");
  }
  if (size_out != nullptr) *size_out = static_cast<int64_t>(info.st_size);
  return full;
}

Result<std::string> DirTree::Resolve(std::string_view name) {
  BULWARK_TRY(RegularFile(name, nullptr));
  return *NormaliseName(name);
}

Result<int64_t> DirTree::FileSize(std::string_view name) {
  int64_t size = 0;
  BULWARK_TRY(RegularFile(name, &size));
  return size;
}

Result<std::string> DirTree::ReadFile(std::string_view name, uint64_t max_size) {
  BULWARK_ASSIGN_OR_RETURN(std::string full, RegularFile(name, nullptr));
  return ReadFileLimited(full, max_size);
}

Status DirTree::StreamFiles(const std::vector<std::string>& names, const FileVisitor& visit) {
  for (size_t i = 0; i < names.size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(std::string full, RegularFile(names[i], nullptr));
    BULWARK_ASSIGN_OR_RETURN(auto stream, FileStream::Open(full));
    BULWARK_TRY(visit(i, *stream));
  }
  return Ok();
}

// ---- TarArchive ----

Result<std::unique_ptr<TarArchive>> TarArchive::Open(const std::string& path) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    int err = errno;
    return Error(err == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                 path + ": " + std::strerror(err));
  }
  if (!S_ISREG(info.st_mode)) {
    return Error(ErrorCode::kCorruptInput, path + ": not a regular file, expected a tar");
  }
  std::unique_ptr<TarArchive> archive(new TarArchive(path));
  BULWARK_TRY(archive->Index());
  return archive;
}

// One pass over the archive. Small regular files are kept; for large ones the
// first bytes are kept to check the data offsets located afterwards. Long, but
// one loop over headers reads more plainly than its pieces would.
Status TarArchive::Index() {
  ArchiveReader reader;
  BULWARK_TRY(reader.Open(path_));
  uint64_t cached_total = 0;
  int64_t end_offset = -1;

  while (true) {
    archive_entry* entry = nullptr;
    int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) {
      end_offset = archive_read_header_position(reader.get());
      break;
    }
    if (status < ARCHIVE_WARN) {
      std::string where = members_.empty() ? "not a tar archive (plain, gzip or zstd)"
                                           : "tar after member " + Quote(members_.back().name);
      return Error(ErrorCode::kCorruptInput, path_ + ": " + where + ": " + reader.ErrorText());
    }
    if (members_.size() >= kMaxArchiveMembers) {
      return Error(
          ErrorCode::kLimitExceeded,
          path_ + ": more than " + std::to_string(kMaxArchiveMembers) + " archive members");
    }
    compressed_ = archive_filter_count(reader.get()) > 1;

    Member member;
    member.header_offset = archive_read_header_position(reader.get());
    member.type = MemberType(entry);
    member.size = archive_entry_size_is_set(entry) ? archive_entry_size(entry) : 0;
    const char* raw_name = archive_entry_pathname(entry);
    auto normal = NormaliseName(raw_name == nullptr ? "" : raw_name);
    // A member whose name leaves the root is kept as a placeholder (it still
    // takes its place in the offset arithmetic) but can never be looked up.
    member.name = normal.value_or("");
    if (member.type == 'l') {
      // libarchive gives no target when the header's link name cannot be
      // decoded (found by fuzz/image_archive_fuzzer).
      const char* target = archive_entry_symlink(entry);
      if (target == nullptr) target = archive_entry_symlink_utf8(entry);
      if (target == nullptr) {
        return Error(ErrorCode::kCorruptInput, path_ + ": member " + Quote(member.name) +
                                                   ": a symbolic link without a readable target");
      }
      member.link = target;
    }
    if (member.type == 'h') member.link = NormaliseName(archive_entry_hardlink(entry)).value_or("");

    if (member.type == 'f' && !member.name.empty()) {
      std::string label = path_ + ": member " + Quote(member.name);
      uint64_t size = static_cast<uint64_t>(member.size);
      if (size <= kMaxCachedMember && cached_total + size <= kMaxCachedTotal) {
        BULWARK_ASSIGN_OR_RETURN(member.content, ReadEntry(reader, label, size));
        cached_total += size;
      } else if (!compressed_) {
        std::string head(kHeadBytes, '\0');
        la_ssize_t got = archive_read_data(reader.get(), head.data(), head.size());
        if (got < 0) return Error(ErrorCode::kCorruptInput, label + ": " + reader.ErrorText());
        head.resize(got);
        member.head = std::move(head);
      }
    }

    if (!member.name.empty() && member.type != 'd') {
      auto [it, inserted] = by_name_.emplace(member.name, members_.size());
      if (!inserted && members_[it->second].type != 'd') {
        return Error(ErrorCode::kCorruptInput, path_ + ": member " + Quote(member.name) +
                                                   " appears twice; refusing an ambiguous archive");
      }
      it->second = members_.size();
    }
    members_.push_back(std::move(member));
  }

  if (members_.empty()) {
    return Error(ErrorCode::kCorruptInput, path_ + ": an empty archive, not an image");
  }
  if (!compressed_) LocateDataOffsets(end_offset);
  return Ok();
}

// In a plain tar, a member's data ends, padded to 512 bytes, where the next
// member's headers begin (libarchive reports that position). Each located
// offset is checked against the first bytes read through libarchive; a member
// whose check fails is read by a sequential pass instead.
void TarArchive::LocateDataOffsets(int64_t end_offset) {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // Every member then falls back to sequential passes.
  std::string bytes;
  for (size_t i = 0; i < members_.size(); ++i) {
    Member& member = members_[i];
    if (member.type != 'f' || member.name.empty()) continue;
    int64_t next = i + 1 < members_.size() ? members_[i + 1].header_offset : end_offset;
    int64_t padded = (member.size + 511) / 512 * 512;
    int64_t offset = next - padded;
    if (next < 0 || offset < member.header_offset + 512) continue;

    const std::string& expected = member.content ? *member.content : member.head;
    size_t check = std::min(expected.size(), kHeadBytes);
    if (!ReadAt(fd, offset, bytes, check) || bytes != expected.substr(0, check)) continue;
    member.data_offset = offset;
  }
  ::close(fd);
}

bool TarArchive::Contains(std::string_view name) const {
  auto normal = NormaliseName(name);
  if (!normal) return false;
  if (by_name_.count(*normal) != 0) return true;
  // Directories are not in by_name_; look for a member below the name.
  std::string prefix = *normal + "/";
  auto it = by_name_.lower_bound(prefix);
  return it != by_name_.end() && it->first.starts_with(prefix);
}

Result<std::string> TarArchive::Resolve(std::string_view name) {
  auto normal = NormaliseName(name);
  if (!normal) {
    return Error(ErrorCode::kNotFound, path_ + ": member name " + Quote(name) + " is not valid");
  }
  std::string current = *normal;
  for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
    auto it = by_name_.find(current);
    if (it == by_name_.end()) {
      return Error(ErrorCode::kNotFound, path_ + ": no member " + Quote(current));
    }
    const Member& member = members_[it->second];
    if (member.type == 'f') return current;
    if (member.type == 'h') {
      current = member.link;
      continue;
    }
    if (member.type != 'l') {
      return Error(ErrorCode::kNotFound,
                   path_ + ": member " + Quote(current) + " is not a regular file");
    }
    // Symlink targets are relative to the link's directory; an absolute one
    // is taken from the archive root, never from the host filesystem.
    std::string target =
        member.link.starts_with('/') ? member.link : DirName(current) + "/" + member.link;
    auto next = NormaliseName(target);
    if (!next) {
      return Error(ErrorCode::kCorruptInput,
                   path_ + ": link " + Quote(current) + " points outside the archive");
    }
    current = *next;
  }
  return Error(ErrorCode::kCorruptInput, path_ + ": too many links from " + Quote(name));
}

Result<const TarArchive::Member*> TarArchive::Find(std::string_view name) {
  BULWARK_ASSIGN_OR_RETURN(std::string resolved, Resolve(name));
  return &members_[by_name_.find(resolved)->second];
}

Result<int64_t> TarArchive::FileSize(std::string_view name) {
  BULWARK_ASSIGN_OR_RETURN(const Member* member, Find(name));
  return member->size;
}

Result<std::string> TarArchive::ReadFile(std::string_view name, uint64_t max_size) {
  BULWARK_ASSIGN_OR_RETURN(const Member* member, Find(name));
  if (static_cast<uint64_t>(member->size) > max_size) {
    return Error(ErrorCode::kLimitExceeded,
                 path_ + ": member " + Quote(member->name) + ": " + std::to_string(member->size) +
                     " bytes, more than the limit of " + std::to_string(max_size));
  }
  if (member->content) return *member->content;

  std::string data;
  BULWARK_TRY(StreamFiles({member->name}, [&](size_t, ByteStream& stream) -> Status {
    BULWARK_ASSIGN_OR_RETURN(data, ReadAllLimited(stream, max_size, path_ + ": " + member->name));
    return Ok();
  }));
  return data;
}

Status TarArchive::StreamFiles(const std::vector<std::string>& names, const FileVisitor& visit) {
  // Resolve everything first so that a missing file fails before any work.
  std::vector<const Member*> members;
  for (const std::string& name : names) {
    BULWARK_ASSIGN_OR_RETURN(const Member* member, Find(name));
    members.push_back(member);
  }

  // Kept members first, then windows of the file in offset order, then one
  // sequential pass for the rest.
  std::vector<size_t> windows;
  std::map<std::string, std::vector<size_t>> pass;
  for (size_t i = 0; i < members.size(); ++i) {
    if (members[i]->content) {
      MemoryStream stream(*members[i]->content);
      BULWARK_TRY(visit(i, stream));
    } else if (members[i]->data_offset >= 0) {
      windows.push_back(i);
    } else {
      pass[members[i]->name].push_back(i);
    }
  }

  std::sort(windows.begin(), windows.end(),
            [&](size_t a, size_t b) { return members[a]->data_offset < members[b]->data_offset; });
  for (size_t i : windows) {
    BULWARK_ASSIGN_OR_RETURN(auto stream,
                             FileStream::Open(path_, members[i]->data_offset, members[i]->size));
    BULWARK_TRY(visit(i, *stream));
  }

  if (!pass.empty()) BULWARK_TRY(SequentialPass(pass, visit));
  return Ok();
}

// Reads the archive front to back, visiting wanted members as they pass. A
// member wanted several times is visited once per pass, so repeats of the
// same layer cost one more pass each.
Status TarArchive::SequentialPass(const std::map<std::string, std::vector<size_t>>& wanted,
                                  const FileVisitor& visit) {
  std::map<std::string, std::vector<size_t>> pending = wanted;
  while (!pending.empty()) {
    ArchiveReader reader;
    BULWARK_TRY(reader.Open(path_));
    std::map<std::string, std::vector<size_t>> remaining;
    while (true) {
      archive_entry* entry = nullptr;
      int status = archive_read_next_header(reader.get(), &entry);
      if (status == ARCHIVE_EOF) break;
      if (status < ARCHIVE_WARN) {
        return Error(ErrorCode::kCorruptInput, path_ + ": " + reader.ErrorText());
      }
      const char* raw_name = archive_entry_pathname(entry);
      auto name = NormaliseName(raw_name == nullptr ? "" : raw_name);
      if (!name || MemberType(entry) != 'f') continue;
      auto it = pending.find(*name);
      if (it == pending.end()) continue;

      EntryStream stream(reader, path_ + ": member " + Quote(*name));
      BULWARK_TRY(visit(it->second.front(), stream));
      if (it->second.size() > 1) {
        remaining[*name].assign(it->second.begin() + 1, it->second.end());
      }
      pending.erase(it);
    }
    if (!pending.empty()) {
      return Error(ErrorCode::kCorruptInput, path_ + ": member " + Quote(pending.begin()->first) +
                                                 " missing on a second read; did the file change?");
    }
    pending = std::move(remaining);
  }
  return Ok();
}

}  // namespace bulwark::image::internal
