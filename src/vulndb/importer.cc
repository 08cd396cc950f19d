#include "vulndb/importer.h"

#include <chrono>
#include <filesystem>
#include <set>

#include "common/byte_stream.h"
#include "common/log.h"
#include "vulndb/alpine_secdb_importer.h"
#include "vulndb/debian_tracker_importer.h"
#include "vulndb/importer_internal.h"
#include "vulndb/json_scan.h"
#include "vulndb/osv_importer.h"

namespace bulwark::vulndb {
namespace {

constexpr size_t kDetectBytes = 64 * 1024;

bool IsZip(std::string_view bytes) {
  // A local file header, or the end record of an empty archive.
  return bytes.starts_with(std::string_view("PK\x03\x04", 4)) ||
         bytes.starts_with(std::string_view("PK\x05\x06", 4));
}

bool IsTrackerId(std::string_view key) {
  return internal::IsCveId(key) || (key.starts_with("TEMP-") && key.size() > 5);
}

bool IsOsvField(std::string_view key) {
  static constexpr std::string_view kFields[] = {
      "affected", "aliases",   "credits",    "database_specific", "details",
      "modified", "published", "references", "related",           "schema_version",
      "severity", "summary",   "upstream",   "withdrawn"};
  for (std::string_view field : kFields) {
    if (key == field) return true;
  }
  return false;
}

// Secdb YAML: "distroversion:" and "packages:" at the start of lines.
bool LooksLikeSecdbYaml(std::string_view text) {
  bool distroversion = false;
  bool packages = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
    distroversion = distroversion || line.starts_with("distroversion:");
    packages = packages || line.starts_with("packages:");
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return distroversion && packages;
}

// Counts what passes to the sink, for the log line of an import.
class CountingSink : public AdvisorySink {
 public:
  explicit CountingSink(AdvisorySink& inner) : inner_(inner) {}
  Status Add(Advisory advisory) override {
    ++added;
    return inner_.Add(std::move(advisory));
  }
  void Skip(SkippedRecord skipped) override {
    ++skipped_count;
    inner_.Skip(std::move(skipped));
  }
  int64_t added = 0;
  int64_t skipped_count = 0;

 private:
  AdvisorySink& inner_;
};

Result<std::string> ReadHead(const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(auto file, FileStream::Open(path));
  std::string head(kDetectBytes, '\0');
  size_t filled = 0;
  while (filled < head.size()) {
    BULWARK_ASSIGN_OR_RETURN(size_t got, file->Read(head.data() + filled, head.size() - filled));
    if (got == 0) break;
    filled += got;
  }
  head.resize(filled);
  return head;
}

Status ImportFile(const std::string& path, FeedKind kind, std::string_view head, AdvisorySink& sink,
                  const FeedLimits& limits) {
  switch (kind) {
    case FeedKind::kOsv:
      if (IsZip(head)) return internal::ImportOsvZip(path, sink, limits);
      return internal::ImportOsvFile(path, internal::BaseName(path), sink, limits);
    case FeedKind::kDebianTracker:
      return internal::ImportDebianTrackerFile(path, sink, limits);
    case FeedKind::kAlpineSecdb:
      return internal::ImportAlpineSecdbFile(path, sink, limits);
  }
  return Error(ErrorCode::kInternal, path + ": unknown feed kind");
}

}  // namespace

std::string_view FeedKindName(FeedKind kind) {
  switch (kind) {
    case FeedKind::kOsv:
      return "osv";
    case FeedKind::kDebianTracker:
      return "debian-tracker";
    case FeedKind::kAlpineSecdb:
      return "alpine-secdb";
  }
  return "osv";
}

Result<FeedKind> ParseFeedKind(std::string_view name) {
  for (FeedKind kind : {FeedKind::kOsv, FeedKind::kDebianTracker, FeedKind::kAlpineSecdb}) {
    if (name == FeedKindName(kind)) return kind;
  }
  return Error(ErrorCode::kInvalidArgument, "feed kind \"" + internal::Printable(name) +
                                                "\": expected osv, debian-tracker or alpine-secdb");
}

Result<FeedKind> DetectFeed(std::string_view bytes, std::string_view name) {
  if (IsZip(bytes)) return FeedKind::kOsv;
  const std::string_view text = internal::SkipJsonSpace(bytes);
  if (text.starts_with("[")) return FeedKind::kOsv;

  if (text.starts_with("{")) {
    internal::JsonPeek peek = internal::PeekJson(text);
    std::set<std::string> keys(peek.keys.begin(), peek.keys.end());
    if (keys.count("distroversion") ||
        (keys.count("packages") && (keys.count("reponame") || keys.count("apkurl")))) {
      return FeedKind::kAlpineSecdb;
    }
    // An OSV record whose members are sorted may not reach "id" within the
    // bytes read (SUSE's start with "affected"); its first key still names
    // an OSV field, which no Debian source package is called.
    if (keys.count("id") || (!peek.keys.empty() && IsOsvField(peek.keys.front()))) {
      return FeedKind::kOsv;
    }
    if (IsTrackerId(peek.first_nested_key)) return FeedKind::kDebianTracker;
  } else if (LooksLikeSecdbYaml(text)) {
    return FeedKind::kAlpineSecdb;
  }

  return Error(ErrorCode::kInvalidArgument,
               std::string(name) + ": not a known advisory feed (" +
                   (text.empty() ? "it is empty; " : "") +
                   "expected an OSV record, an array of them or an osv.dev zip export, the "
                   "Debian security tracker's JSON, or an Alpine secdb JSON or YAML document)");
}

Result<FeedKind> ImportFeed(const std::string& path, const FeedKind* kind, AdvisorySink& sink,
                            const FeedLimits& limits) {
  namespace fs = std::filesystem;
  const auto started = std::chrono::steady_clock::now();
  std::error_code error;
  fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) {
    return Error(ErrorCode::kNotFound, path + ": no such file or directory");
  }

  CountingSink counting(sink);
  FeedKind read = FeedKind::kOsv;
  if (fs::is_directory(status)) {
    if (kind != nullptr && *kind != FeedKind::kOsv) {
      return Error(ErrorCode::kInvalidArgument,
                   path + ": a directory; only OSV records are read from directories");
    }
    BULWARK_TRY(internal::ImportOsvDirectory(path, counting, limits));
  } else {
    if (!fs::is_regular_file(status)) {
      return Error(ErrorCode::kInvalidArgument, path + ": not a regular file or directory");
    }
    BULWARK_ASSIGN_OR_RETURN(std::string head, ReadHead(path));
    if (kind != nullptr) {
      read = *kind;
    } else {
      BULWARK_ASSIGN_OR_RETURN(read, DetectFeed(head, path));
    }
    BULWARK_TRY(ImportFile(path, read, head, counting, limits));
  }

  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  BULWARK_LOG(info, "vulndb", "feed read", "path={} kind={} records={} skipped={} elapsed_ms={}",
              path, FeedKindName(read), counting.added, counting.skipped_count, elapsed.count());
  return read;
}

}  // namespace bulwark::vulndb
