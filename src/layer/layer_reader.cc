#include "layer/layer_reader.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "layer/background_hasher.h"
#include "layer/blob_decoder.h"
#include "layer/layer_path.h"

namespace bulwark::layer {
namespace {

using internal::BaseName;
using internal::JoinPath;
using internal::NormalizeTarPath;
using internal::ParentOf;

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kMetaPrefix = ".wh..wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr size_t kShownPathLength = 256;

// A path as shown in messages: long (possibly hostile) names are cut short.
std::string Shown(std::string_view path) {
  if (path.size() <= kShownPathLength) return std::string(path);
  return std::string(path.substr(0, kShownPathLength)) + "...";
}

std::string EntryContext(std::string_view path) { return "layer entry " + Shown(path); }

Error LimitError(std::string_view path, std::string_view what, uint64_t limit) {
  return Error(ErrorCode::kLimitExceeded, EntryContext(path) + ": " + std::string(what) +
                                              " (limit " + std::to_string(limit) + ")");
}

// The uncompressed stream as libarchive sees it. Every byte handed out is
// hashed (diff_id) and counted against max_uncompressed, whether libarchive
// consumes it or not, so the digest covers the stream exactly.
class UncompressedStream {
 public:
  UncompressedStream(internal::BlobDecoder& decoder, uint64_t max_size, bool hash)
      : decoder_(decoder), max_size_(max_size), hash_(hash) {
    if (!hash_) return;
    try {
      background_ = std::make_unique<internal::BackgroundHasher>();
    } catch (const std::system_error&) {
      // No thread to spare: hash on this thread instead.
    }
  }

  // Fetches the first chunk so an empty stream can be recognised.
  Status Prime() {
    BULWARK_ASSIGN_OR_RETURN(primed_, Pull());
    primed_valid_ = true;
    return Ok();
  }
  bool empty() const { return primed_valid_ && primed_.empty(); }

  // The next chunk; empty once the stream has ended.
  Result<std::string_view> Next() {
    if (primed_valid_) {
      primed_valid_ = false;
      return primed_;
    }
    return Pull();
  }

  // Reads and hashes whatever libarchive left unread (padding after the
  // end-of-archive blocks), which also drains the raw blob to its end.
  Status Drain() {
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(std::string_view chunk, Next());
      if (chunk.empty()) return Ok();
    }
  }

  uint64_t size() const { return size_; }
  Digest FinishDigest() { return background_ ? background_->Finish() : hasher_.Finish(); }

  // Set by the libarchive callback when the decoder failed.
  std::optional<Error> error;

 private:
  Result<std::string_view> Pull() {
    if (ended_) return std::string_view();
    BULWARK_ASSIGN_OR_RETURN(std::string_view chunk, decoder_.Next());
    if (chunk.empty()) ended_ = true;
    size_ += chunk.size();
    if (size_ > max_size_) {
      return Error(ErrorCode::kLimitExceeded,
                   "uncompressed stream: larger than max_uncompressed (limit " +
                       std::to_string(max_size_) + " bytes)");
    }
    if (background_) {
      background_->Submit(chunk);
    } else if (hash_) {
      hasher_.Update(chunk.data(), chunk.size());
    }
    return chunk;
  }

  internal::BlobDecoder& decoder_;
  uint64_t max_size_;
  bool hash_;
  bool ended_ = false;
  std::string_view primed_;
  bool primed_valid_ = false;
  uint64_t size_ = 0;
  Sha256 hasher_;
  std::unique_ptr<internal::BackgroundHasher> background_;
};

la_ssize_t ReadCallback(archive* reader, void* client, const void** buffer) {
  auto* stream = static_cast<UncompressedStream*>(client);
  auto chunk = stream->Next();
  if (!chunk.ok()) {
    stream->error = chunk.error();
    archive_set_error(reader, EIO, "%s", chunk.error().message().c_str());
    return -1;
  }
  *buffer = chunk->data();
  return static_cast<la_ssize_t>(chunk->size());
}

// The wanted paths, normalised, split by kind for quick checks.
struct WantedSet {
  std::unordered_set<std::string> exact;
  std::unordered_set<std::string> parents;
  // Every directory on the way to a wanted path (and the `parents` themselves):
  // a file there would hide what is wanted, so its entry is always recorded.
  std::unordered_set<std::string> on_the_way;

  bool Contains(const std::string& path) const {
    if (exact.count(path) > 0) return true;
    return !parents.empty() && parents.count(std::string(ParentOf(path))) > 0;
  }
};

Result<WantedSet> BuildWantedSet(const std::vector<PathPattern>& patterns) {
  WantedSet wanted;
  for (const PathPattern& pattern : patterns) {
    auto path = NormalizeTarPath(pattern.path);
    if (!path.ok()) return Error(ErrorCode::kInvalidArgument, "wanted " + path.error().message());
    std::string_view dir = pattern.children ? std::string_view(*path) : ParentOf(*path);
    while (!dir.empty()) {
      wanted.on_the_way.insert(std::string(dir));
      dir = ParentOf(dir);
    }
    (pattern.children ? wanted.parents : wanted.exact).insert(std::move(*path));
  }
  return wanted;
}

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_read_free)>;

// Walks the tar entries of one layer into a LayerContents.
class TarWalker {
 public:
  TarWalker(archive* reader, UncompressedStream& stream, const ReadOptions& options,
            const WantedSet& wanted, LayerContents& contents)
      : reader_(reader),
        stream_(stream),
        limits_(options.limits),
        keep_all_entries_(options.keep_all_entries),
        wanted_(wanted),
        contents_(contents) {}

  Status Run();

 private:
  Status HandleEntry(archive_entry* header);
  Status HandleWhiteout(const std::string& path);
  Status CountRecorded(const std::string& path, size_t bytes);
  Result<Entry> MakeEntry(archive_entry* header, const std::string& path);
  Status KeepBody(const std::string& path, uint64_t size);
  Status KeepHardlinkBody(const Entry& entry);
  Status Store(const std::string& path, std::string body);
  void Forget(const std::string& path);
  Status SkipBody(const std::string& path);
  Error ArchiveError(std::string_view context, ErrorCode code = ErrorCode::kCorruptInput);

  archive* reader_;
  UncompressedStream& stream_;
  const ReadLimits& limits_;
  bool keep_all_entries_;
  const WantedSet& wanted_;
  LayerContents& contents_;
  uint64_t entry_count_ = 0;
  uint64_t kept_total_ = 0;
  uint64_t recorded_entries_ = 0;
  uint64_t recorded_bytes_ = 0;
  std::string last_path_;  // For messages about the header after an entry.
};

Error TarWalker::ArchiveError(std::string_view context, ErrorCode code) {
  if (stream_.error.has_value()) return stream_.error->Wrap(context);
  const char* text = archive_error_string(reader_);
  return Error(code, std::string(context) + ": tar data: " + (text ? text : "unreadable"));
}

Status TarWalker::Run() {
  while (true) {
    archive_entry* header = nullptr;
    int status = archive_read_next_header(reader_, &header);
    if (status == ARCHIVE_EOF) return Ok();
    if (status != ARCHIVE_OK && status != ARCHIVE_WARN) {
      std::string context = last_path_.empty() ? "tar header at the start of the layer"
                                               : "tar header after entry " + Shown(last_path_);
      return ArchiveError(context);
    }

    if (++entry_count_ > limits_.max_entries) {
      return Error(ErrorCode::kLimitExceeded, "layer: more than max_entries entries (limit " +
                                                  std::to_string(limits_.max_entries) + ")");
    }
    BULWARK_TRY(HandleEntry(header));
  }
}

Status TarWalker::HandleEntry(archive_entry* header) {
  const char* raw = archive_entry_pathname(header);
  if (raw == nullptr) raw = archive_entry_pathname_utf8(header);
  if (raw == nullptr) {
    return Error(ErrorCode::kCorruptInput,
                 "tar header after entry " + Shown(last_path_) + ": entry without a readable path");
  }
  std::string_view raw_path(raw);
  if (raw_path.size() > limits_.max_path_length) {
    return LimitError(
        raw_path,
        "path of " + std::to_string(raw_path.size()) + " bytes is longer than max_path_length",
        limits_.max_path_length);
  }
  auto normalized = NormalizeTarPath(raw_path);
  if (!normalized.ok()) return normalized.error().Wrap(EntryContext(raw_path));
  std::string path = std::move(*normalized);
  last_path_ = path.empty() ? std::string(raw_path) : path;

  // The root directory's own entry ("./") is not an entry of the image.
  if (path.empty()) return SkipBody(raw_path.empty() ? "/" : std::string(raw_path));

  if (BaseName(path).starts_with(kWhiteoutPrefix)) {
    BULWARK_TRY(HandleWhiteout(path));
    return SkipBody(path);
  }

  BULWARK_ASSIGN_OR_RETURN(Entry entry, MakeEntry(header, path));
  bool wanted = wanted_.Contains(path);
  if (entry.type == EntryType::kFile && wanted) {
    BULWARK_TRY(KeepBody(path, entry.size));
  } else if (entry.type == EntryType::kHardlink && wanted) {
    BULWARK_TRY(KeepHardlinkBody(entry));
  } else {
    Forget(path);
  }
  bool record = keep_all_entries_ || entry.type != EntryType::kFile || wanted ||
                wanted_.on_the_way.count(path) > 0;
  if (record) {
    BULWARK_TRY(CountRecorded(path, entry.path.size() + entry.link_target.size()));
    contents_.entries.push_back(std::move(entry));
  }
  return SkipBody(path);
}

// Directories, links and whiteouts are recorded whatever the cataloger asks
// for, so a layer of many of them with long names would otherwise hold memory
// in proportion to its (tiny, well compressed) size times a large factor.
Status TarWalker::CountRecorded(const std::string& path, size_t bytes) {
  if (++recorded_entries_ > limits_.max_recorded_entries) {
    return LimitError(path, "more than max_recorded_entries recorded entries",
                      limits_.max_recorded_entries);
  }
  recorded_bytes_ += bytes;
  if (recorded_bytes_ > limits_.max_recorded_bytes) {
    return LimitError(path,
                      "recorded paths and link targets reach " + std::to_string(recorded_bytes_) +
                          " bytes, more than max_recorded_bytes",
                      limits_.max_recorded_bytes);
  }
  return Ok();
}

// Whiteout markers follow the OCI image spec (image-layer.md, "Whiteouts").
Status TarWalker::HandleWhiteout(const std::string& path) {
  std::string_view parent = ParentOf(path);
  std::string_view name = BaseName(path);
  if (name == kOpaqueMarker) {
    BULWARK_TRY(CountRecorded(path, parent.size()));
    contents_.opaque_dirs.emplace_back(parent);
    return Ok();
  }
  // Other ".wh..wh." names are aufs bookkeeping (e.g. ".wh..wh.plnk"), not deletions.
  if (name.starts_with(kMetaPrefix)) return Ok();

  std::string_view deleted = name.substr(kWhiteoutPrefix.size());
  if (deleted.empty() || deleted == "." || deleted == "..") {
    return Error(ErrorCode::kCorruptInput,
                 EntryContext(path) + ": whiteout marker names no deletable file");
  }
  BULWARK_TRY(CountRecorded(path, parent.size() + 1 + deleted.size()));
  contents_.whiteouts.push_back(JoinPath(parent, deleted));
  return Ok();
}

Result<Entry> TarWalker::MakeEntry(archive_entry* header, const std::string& path) {
  Entry entry;
  entry.path = path;
  entry.size = archive_entry_size(header) > 0 ? archive_entry_size(header) : 0;
  entry.mode = archive_entry_mode(header) & 07777;
  entry.uid = archive_entry_uid(header);
  entry.gid = archive_entry_gid(header);

  const char* hardlink = archive_entry_hardlink(header);
  if (hardlink == nullptr) hardlink = archive_entry_hardlink_utf8(header);
  const char* symlink = archive_entry_symlink(header);
  if (symlink == nullptr) symlink = archive_entry_symlink_utf8(header);
  if (hardlink != nullptr) {
    entry.type = EntryType::kHardlink;
    if (std::strlen(hardlink) > limits_.max_path_length) {
      return LimitError(path, "hard link target longer than max_path_length",
                        limits_.max_path_length);
    }
    auto target = NormalizeTarPath(hardlink);
    if (!target.ok()) return target.error().Wrap(EntryContext(path) + ": hard link target");
    if (target->empty()) {
      return Error(ErrorCode::kCorruptInput, EntryContext(path) + ": hard link to the image root");
    }
    entry.link_target = std::move(*target);
    return entry;
  }

  switch (archive_entry_filetype(header)) {
    case AE_IFREG:
      entry.type = EntryType::kFile;
      break;
    case AE_IFDIR:
      entry.type = EntryType::kDirectory;
      break;
    case AE_IFLNK:
      entry.type = EntryType::kSymlink;
      break;
    default:
      entry.type = EntryType::kOther;
      break;
  }
  if (entry.type == EntryType::kSymlink) {
    if (symlink == nullptr) {
      return Error(ErrorCode::kCorruptInput, EntryContext(path) + ": symlink without a target");
    }
    if (std::strlen(symlink) > limits_.max_path_length) {
      return LimitError(path, "symlink target longer than max_path_length",
                        limits_.max_path_length);
    }
    entry.link_target = symlink;
  }
  if (entry.type != EntryType::kFile) entry.size = 0;
  return entry;
}

Status TarWalker::KeepBody(const std::string& path, uint64_t size) {
  if (size > limits_.max_kept_file) {
    return LimitError(path,
                      "file of " + std::to_string(size) + " bytes is larger than max_kept_file",
                      limits_.max_kept_file);
  }
  Forget(path);
  if (kept_total_ + size > limits_.max_kept_total) {
    return LimitError(path,
                      "kept files would reach " + std::to_string(kept_total_ + size) +
                          " bytes, more than max_kept_total",
                      limits_.max_kept_total);
  }

  std::string body;
  body.reserve(size);
  char chunk[64 * 1024];
  while (true) {
    la_ssize_t got = archive_read_data(reader_, chunk, sizeof chunk);
    if (got < 0) return ArchiveError(EntryContext(path));
    if (got == 0) break;
    // The header size was checked; this guards against a reader handing out more.
    if (body.size() + got > size) {
      return Error(ErrorCode::kCorruptInput, EntryContext(path) + ": body longer than its header");
    }
    body.append(chunk, static_cast<size_t>(got));
  }
  return Store(path, std::move(body));
}

Status TarWalker::KeepHardlinkBody(const Entry& entry) {
  Forget(entry.path);
  auto target = contents_.files.find(entry.link_target);
  // When the target was not kept (it was not wanted itself), its bytes have
  // already streamed past: the link is recorded without a body, and the
  // scanner's second pass (PhysicalPatterns) asks for the target by name.
  if (target == contents_.files.end()) return Ok();
  if (kept_total_ + target->second.size() > limits_.max_kept_total) {
    return LimitError(entry.path,
                      "kept files would reach " +
                          std::to_string(kept_total_ + target->second.size()) +
                          " bytes, more than max_kept_total",
                      limits_.max_kept_total);
  }
  return Store(entry.path, target->second);
}

Status TarWalker::Store(const std::string& path, std::string body) {
  kept_total_ += body.size();
  contents_.files[path] = std::move(body);
  return Ok();
}

// Drops a body kept earlier in this layer for a path that is now replaced or deleted.
void TarWalker::Forget(const std::string& path) {
  auto kept = contents_.files.find(path);
  if (kept == contents_.files.end()) return;
  kept_total_ -= kept->second.size();
  contents_.files.erase(kept);
}

Status TarWalker::SkipBody(const std::string& path) {
  // archive_read_data_skip pulls the bytes through ReadCallback (no skip
  // callback is registered), so they are still hashed.
  if (archive_read_data_skip(reader_) != ARCHIVE_OK) return ArchiveError(EntryContext(path));
  return Ok();
}

Status WalkTar(UncompressedStream& stream, const ReadOptions& options, const WantedSet& wanted,
               LayerContents& contents) {
  ArchivePtr reader(archive_read_new(), &archive_read_free);
  if (!reader) return Error(ErrorCode::kInternal, "tar reader: out of memory");
  archive_read_support_format_tar(reader.get());
  if (archive_read_open(reader.get(), &stream, nullptr, ReadCallback, nullptr) != ARCHIVE_OK) {
    if (stream.error.has_value()) return *stream.error;
    const char* text = archive_error_string(reader.get());
    return Error(ErrorCode::kCorruptInput,
                 std::string("tar stream: ") + (text ? text : "unreadable"));
  }
  TarWalker walker(reader.get(), stream, options, wanted, contents);
  return walker.Run();
}

}  // namespace

Result<LayerContents> ReadLayer(ByteStream& blob, const ReadOptions& options) {
  BULWARK_ASSIGN_OR_RETURN(WantedSet wanted, BuildWantedSet(options.wanted));
  internal::RawInput input(blob);
  BULWARK_TRY(input.Start());

  std::string_view unsupported = internal::UnsupportedCompression(input.Peek());
  if (!unsupported.empty()) {
    return Error(ErrorCode::kUnsupported,
                 "layer is " + std::string(unsupported) +
                     "-compressed; image layers must be gzip, zstd or plain tar");
  }

  LayerContents contents;
  contents.compression = internal::DetectCompression(input.Peek());
  std::unique_ptr<internal::BlobDecoder> decoder =
      internal::MakeBlobDecoder(contents.compression, input);
  // For a plain tar the uncompressed stream is the blob: one hash serves both.
  bool plain = contents.compression == Compression::kNone;
  UncompressedStream stream(*decoder, options.limits.max_uncompressed, !plain);

  // An empty stream is a tar with no entries (it ends at a block boundary).
  BULWARK_TRY(stream.Prime());
  if (!stream.empty()) BULWARK_TRY(WalkTar(stream, options, wanted, contents));
  BULWARK_TRY(stream.Drain());

  contents.blob_size = input.size();
  contents.uncompressed_size = stream.size();
  contents.blob_digest = input.FinishDigest();
  contents.diff_id = plain ? contents.blob_digest : stream.FinishDigest();
  return contents;
}

Result<Digest> HashBlob(ByteStream& blob, uint64_t* size_out) {
  auto buffer = std::make_unique_for_overwrite<char[]>(internal::kStreamBufferSize);
  Sha256 hasher;
  uint64_t size = 0;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(size_t got, blob.Read(buffer.get(), internal::kStreamBufferSize));
    if (got == 0) break;
    hasher.Update(buffer.get(), got);
    size += got;
  }
  if (size_out != nullptr) *size_out = size;
  return hasher.Finish();
}

}  // namespace bulwark::layer
