// Read access to the files an image is stored in: a directory or a tar
// archive (plain, gzip or zstd). Internal to image/.
#ifndef BULWARK_IMAGE_FILE_TREE_H_
#define BULWARK_IMAGE_FILE_TREE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/byte_stream.h"
#include "common/result.h"

namespace bulwark::image::internal {

// Called with the position of a wanted file in the request and its bytes.
using FileVisitor = std::function<Status(size_t index, ByteStream& bytes)>;

// Files addressed by '/'-separated relative names ("blobs/sha256/ab..",
// "manifest.json"). Once made, a tree only reads what it indexed, so
// StreamFiles may run on several threads at once (each stream has its own file
// descriptor or archive reader); nothing else is promised to be thread-safe.
class FileTree {
 public:
  virtual ~FileTree() = default;

  // The directory or archive path, for messages.
  virtual const std::string& path() const = 0;

  // The name `name` refers to once links are followed, normalised; kNotFound
  // when there is no such regular file, kCorruptInput for a link loop.
  virtual Result<std::string> Resolve(std::string_view name) = 0;

  // The size of the regular file `name` (links followed), or kNotFound.
  virtual Result<int64_t> FileSize(std::string_view name) = 0;

  // Reads the whole file `name`; kLimitExceeded when larger than `max_size`.
  virtual Result<std::string> ReadFile(std::string_view name, uint64_t max_size) = 0;

  // Calls `visit(i, stream)` for each names[i], in the order cheapest for the
  // tree, stopping at the first error. Each stream holds exactly the file.
  virtual Status StreamFiles(const std::vector<std::string>& names, const FileVisitor& visit) = 0;
};

// A directory on disk. Names with ".." components or absolute names are refused
// (kCorruptInput); a name that is a directory or another non-regular file is
// kCorruptInput naming it, an absent one kNotFound.
class DirTree : public FileTree {
 public:
  explicit DirTree(std::string root) : root_(std::move(root)) {}
  const std::string& path() const override { return root_; }
  Result<std::string> Resolve(std::string_view name) override;
  Result<int64_t> FileSize(std::string_view name) override;
  Result<std::string> ReadFile(std::string_view name, uint64_t max_size) override;
  Status StreamFiles(const std::vector<std::string>& names, const FileVisitor& visit) override;

 private:
  Result<std::string> FullPath(std::string_view name) const;
  // The full path of the regular file `name`; its size goes to `size_out` when set.
  Result<std::string> RegularFile(std::string_view name, int64_t* size_out) const;
  std::string root_;
};

// Limits on the outer archive itself.
inline constexpr size_t kMaxArchiveMembers = 100'000;
inline constexpr uint64_t kMaxCachedMember = 8ull << 20;  // Kept in memory when indexing.
inline constexpr uint64_t kMaxCachedTotal = 64ull << 20;  // All kept members together.

// A tar archive indexed in one pass at Open: every member's normalised name,
// type and size; small regular files are kept in memory. For an uncompressed
// archive, each member's data offset is located so that files are read as
// windows of the archive; for a compressed one, reads make sequential passes.
class TarArchive : public FileTree {
 public:
  // Indexes the archive at `path`. kNotFound/kIo for the file, kCorruptInput
  // when it is not a tar (after gzip/zstd detection) or has duplicate names,
  // kLimitExceeded past kMaxArchiveMembers.
  static Result<std::unique_ptr<TarArchive>> Open(const std::string& path);

  const std::string& path() const override { return path_; }
  Result<std::string> Resolve(std::string_view name) override;
  Result<int64_t> FileSize(std::string_view name) override;
  Result<std::string> ReadFile(std::string_view name, uint64_t max_size) override;
  Status StreamFiles(const std::vector<std::string>& names, const FileVisitor& visit) override;

  // Whether the outer archive is compressed (reads then need sequential passes).
  bool compressed() const { return compressed_; }
  // Whether a member of any type has the normalised name `name`.
  bool Contains(std::string_view name) const;

 private:
  struct Member {
    std::string name;  // Normalised: no "./", no "//", no trailing '/'.
    char type = 'o';   // 'f' regular, 'd' directory, 'l' symlink, 'h' hard link, 'o' other.
    std::string link;  // Symlink target as written, or hard link target normalised.
    int64_t size = 0;
    int64_t header_offset = -1;          // Where the member's headers start (plain tar).
    int64_t data_offset = -1;            // Located and checked data start (plain tar), else -1.
    std::string head;                    // First bytes of the data, to check data_offset.
    std::optional<std::string> content;  // Whole data when small enough to keep.
  };

  explicit TarArchive(std::string path) : path_(std::move(path)) {}
  Status Index();
  void LocateDataOffsets(int64_t end_offset);
  Result<const Member*> Find(std::string_view name);
  Status SequentialPass(const std::map<std::string, std::vector<size_t>>& wanted,
                        const FileVisitor& visit);

  std::string path_;
  bool compressed_ = false;
  std::vector<Member> members_;  // Archive order.
  std::map<std::string, size_t, std::less<>> by_name_;
};

// Normalises an archive member name or a relative reference to one: drops
// "./" and empty components and applies "..". Returns nullopt when ".." would
// leave the root or the name is empty.
std::optional<std::string> NormaliseName(std::string_view name);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_FILE_TREE_H_
