#include "vulndb/fetch.h"

#include <curl/curl.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common/build_info.h"
#include "common/log.h"
#include "dynload/dynload.h"
#include "vulndb/importer.h"

namespace bulwark::vulndb {
namespace {

constexpr long kMaxRetryDelayMs = 60'000;

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The path of a file:// URL (RFC 8089: file:///abs/path or
// file://localhost/abs/path), percent-decoded.
Result<std::string> FileUrlPath(std::string_view url) {
  std::string_view rest = url.substr(std::string_view("file://").size());
  if (StartsWith(rest, "localhost/")) rest.remove_prefix(std::string_view("localhost").size());
  if (!StartsWith(rest, "/")) {
    return Error(ErrorCode::kInvalidArgument,
                 "feed " + std::string(url) + ": a file URL names an absolute path on this "
                 "machine (file:///path)");
  }
  std::string path;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%') {
      int high = i + 1 < rest.size() ? HexValue(rest[i + 1]) : -1;
      int low = i + 2 < rest.size() ? HexValue(rest[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Error(ErrorCode::kInvalidArgument,
                     "feed " + std::string(url) + ": bad percent escape");
      }
      path += static_cast<char>(high * 16 + low);
      i += 2;
      continue;
    }
    path += rest[i];
  }
  if (path.find('\0') != std::string::npos) {
    return Error(ErrorCode::kInvalidArgument, "feed " + std::string(url) + ": NUL in path");
  }
  return path;
}

Result<FetchedFeed> LocalFeed(std::string_view source, std::string path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    return Error(ErrorCode::kNotFound, "feed " + std::string(source) + ": no such file or "
                                       "directory");
  }
  return FetchedFeed{std::move(path), false};
}

// What one download attempt wrote and how it ended.
struct Transfer {
  FILE* file = nullptr;
  uint64_t written = 0;
  uint64_t limit = 0;
  bool over_limit = false;
};

size_t WriteBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  size_t bytes = size * count;
  if (transfer->written + bytes > transfer->limit) {
    transfer->over_limit = true;
    return 0;  // Makes curl stop with CURLE_WRITE_ERROR.
  }
  if (std::fwrite(data, 1, bytes, transfer->file) != bytes) return 0;
  transfer->written += bytes;
  return bytes;
}

bool IsTransient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_COULDNT_RESOLVE_HOST:
      return true;
    default:
      return false;
  }
}

// One attempt. Sets `retry` when another attempt may succeed and
// `retry_after_ms` when the server asked for a delay.
Status Attempt(std::string_view url, const FetchOptions& options, Transfer& transfer,
               bool& retry, long& retry_after_ms) {
  retry = false;
  retry_after_ms = -1;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error(ErrorCode::kInternal, "curl_easy_init failed");
  std::string url_text(url);
  std::string agent = std::string("bulwark/") + BULWARK_VERSION;
  char error_text[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url_text.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip transfer encoding when offered.
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  if (!options.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_off_t retry_after = -1;
  curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &retry_after);
  curl_easy_cleanup(curl);

  std::string prefix = "feed " + url_text + ": ";
  if (transfer.over_limit) {
    return Error(ErrorCode::kLimitExceeded,
                 prefix + "larger than the limit of " + std::to_string(options.max_bytes) +
                     " bytes");
  }
  if (code != CURLE_OK) {
    retry = IsTransient(code);
    std::string detail = error_text[0] ? error_text : curl_easy_strerror(code);
    return Error(ErrorCode::kNetwork, prefix + detail);
  }
  if (status == 429 || status >= 500) {
    retry = true;
    if (retry_after > 0) retry_after_ms = static_cast<long>(retry_after) * 1000;
  }
  if (status != 200) {
    return Error(ErrorCode::kNetwork, prefix + "HTTP status " + std::to_string(status));
  }
  return Ok();
}

Result<FetchedFeed> Download(std::string_view url, const std::string& work_dir,
                             const FetchOptions& options) {
  BULWARK_TRY(dynload::RequireCurl());
  std::error_code fs_error;
  std::filesystem::create_directories(work_dir, fs_error);
  std::string pattern = work_dir + "/feed-download-XXXXXX";
  int fd = mkstemp(pattern.data());
  if (fd < 0) {
    return Error(ErrorCode::kIo, "feed " + std::string(url) + ": creating a file in " + work_dir);
  }
  FetchedFeed feed{pattern, true};
  FILE* file = fdopen(fd, "wb");
  if (file == nullptr) {
    close(fd);
    RemoveFetched(feed);
    return Error(ErrorCode::kIo, "feed " + std::string(url) + ": opening " + pattern);
  }

  long delay_ms = options.retry_delay_ms;
  Status last = Ok();
  for (int attempt = 1; attempt <= std::max(1, options.attempts); ++attempt) {
    std::rewind(file);
    if (ftruncate(fileno(file), 0) != 0) break;
    Transfer transfer{file, 0, options.max_bytes, false};
    bool retry = false;
    long retry_after_ms = -1;
    last = Attempt(url, options, transfer, retry, retry_after_ms);
    if (last.ok() || !retry || attempt == options.attempts) break;
    long wait_ms = std::min(retry_after_ms > 0 ? retry_after_ms : delay_ms, kMaxRetryDelayMs);
    BULWARK_LOG(warn, "vulndb", "feed download failed, retrying", "url={} attempt={} wait_ms={} "
                "reason=\"{}\"", url, attempt, wait_ms, last.error().message());
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    delay_ms *= 2;
  }
  bool closed = std::fclose(file) == 0;
  if (!last.ok()) {
    RemoveFetched(feed);
    return last.error();
  }
  if (!closed) {
    RemoveFetched(feed);
    return Error(ErrorCode::kIo, "feed " + std::string(url) + ": writing " + pattern);
  }
  return feed;
}

YAML::Mark MarkOf(const YAML::Node& node) { return node.Mark(); }

Error SourcesError(std::string_view origin, const YAML::Node& node, std::string_view reason) {
  int line = node.IsDefined() ? MarkOf(node).line + 1 : 0;
  return Error(ErrorCode::kInvalidArgument, std::string(origin) + " line " +
                                                std::to_string(line) + ": " +
                                                std::string(reason));
}

Result<std::vector<FeedSource>> ParseSourcesNode(const YAML::Node& root, std::string_view origin) {
  if (!root.IsMap()) return SourcesError(origin, root, "expected a mapping with `sources`");
  for (const auto& entry : root) {
    std::string key = entry.first.Scalar();
    if (key != "sources") return SourcesError(origin, entry.first, "unknown key `" + key + "`");
  }
  YAML::Node list = root["sources"];
  if (!list.IsDefined() || !list.IsSequence() || list.size() == 0) {
    return SourcesError(origin, list.IsDefined() ? list : root,
                        "`sources` must be a non-empty list of {url, kind}");
  }
  std::vector<FeedSource> sources;
  for (const YAML::Node& item : list) {
    if (!item.IsMap()) return SourcesError(origin, item, "a source is a mapping {url, kind}");
    FeedSource source;
    for (const auto& field : item) {
      std::string key = field.first.Scalar();
      if (!field.second.IsScalar()) return SourcesError(origin, field.second, key + ": text");
      if (key == "url") {
        source.url = field.second.Scalar();
      } else if (key == "kind") {
        source.kind = field.second.Scalar();
        if (!ParseFeedKind(source.kind).ok()) {
          return SourcesError(origin, field.second,
                              "kind `" + source.kind +
                                  "`: expected osv, debian-tracker or alpine-secdb");
        }
      } else {
        return SourcesError(origin, field.first, "unknown key `" + key + "`");
      }
    }
    if (!StartsWith(source.url, "https://") && !StartsWith(source.url, "file://")) {
      return SourcesError(origin, item,
                          "url `" + source.url + "`: expected an https:// or file:// URL");
    }
    sources.push_back(std::move(source));
  }
  return sources;
}

}  // namespace

Result<FetchedFeed> FetchFeed(std::string_view source, const std::string& work_dir,
                              const FetchOptions& options) {
  if (StartsWith(source, "https://")) return Download(source, work_dir, options);
  if (StartsWith(source, "file://")) {
    BULWARK_ASSIGN_OR_RETURN(std::string path, FileUrlPath(source));
    return LocalFeed(source, std::move(path));
  }
  size_t colon = source.find("://");
  if (colon != std::string_view::npos) {
    return Error(ErrorCode::kInvalidArgument,
                 "feed " + std::string(source) + ": only https:// and file:// URLs (or local "
                 "paths) are read; advisory data decides verdicts, so it is not taken over a "
                 "channel that can be altered in transit");
  }
  return LocalFeed(source, std::string(source));
}

void RemoveFetched(const FetchedFeed& feed) {
  if (!feed.temporary) return;
  std::error_code error;
  std::filesystem::remove(feed.path, error);  // Best effort: a leftover temp file is harmless.
}

std::vector<FeedSource> DefaultFeedSources() {
  const std::string osv = "https://osv-vulnerabilities.storage.googleapis.com/";
  return {
      {"https://security-tracker.debian.org/tracker/data/json", "debian-tracker"},
      {osv + "Ubuntu/all.zip", "osv"},
      {osv + "Alpine/all.zip", "osv"},
      {osv + "AlmaLinux/all.zip", "osv"},
      {osv + "Rocky%20Linux/all.zip", "osv"},
      {osv + "Red%20Hat/all.zip", "osv"},
      {osv + "SUSE/all.zip", "osv"},
      {osv + "openSUSE/all.zip", "osv"},
  };
}

Result<std::vector<FeedSource>> ParseFeedSources(std::string_view text, std::string_view origin) {
  if (text.size() > (1u << 20)) {
    return Error(ErrorCode::kInvalidArgument, std::string(origin) + ": larger than 1 MiB");
  }
  try {
    // YAML::Load, not LoadAll: LoadAll can loop forever on some malformed
    // input in yaml-cpp 0.7 (see policy/policy.cc). A sources file is one document.
    return ParseSourcesNode(YAML::Load(std::string(text)), origin);
  } catch (const YAML::Exception& e) {
    return Error(ErrorCode::kInvalidArgument, std::string(origin) + " line " +
                                                  std::to_string(e.mark.line + 1) + ": " +
                                                  e.msg);
  }
}

}  // namespace bulwark::vulndb
