// Where feeds come from: local paths, file:// URLs and https:// downloads.
#ifndef BULWARK_VULNDB_FETCH_H_
#define BULWARK_VULNDB_FETCH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bulwark::vulndb {

struct FetchOptions {
  // A PEM bundle of certificate authorities to trust instead of the system's
  // (for a mirror behind a private CA). "" uses the system store.
  std::string ca_file;
  uint64_t max_bytes = 1ull << 30;  // Largest download; kLimitExceeded beyond.
  int attempts = 4;                 // Tries on 429, 5xx and transient network errors.
  long connect_timeout_seconds = 30;
  // A transfer slower than 1 KiB/s for this long is abandoned (kNetwork).
  long stall_timeout_seconds = 60;
  // First retry delay; doubled each time, or the server's Retry-After when
  // it gives one (at most 60 s).
  long retry_delay_ms = 1000;
};

// A feed ready to be read from disk.
struct FetchedFeed {
  std::string path;        // A file or, for a local source, possibly a directory.
  bool temporary = false;  // A download: the caller removes it (RemoveFetched).
};

// Resolves `source`: a local path or a file:// URL gives that path (kNotFound
// when it does not exist); an https:// URL is downloaded into a new file
// under `work_dir`, following redirects to https only, with TLS verified,
// retried as FetchOptions says, and refused (kNetwork naming the URL and the
// HTTP status or the transfer error) when it fails. Other schemes, http://
// included, are kInvalidArgument: advisory data decides verdicts, so it is
// only taken over channels that cannot be altered in transit. Thread-safe.
Result<FetchedFeed> FetchFeed(std::string_view source, const std::string& work_dir,
                              const FetchOptions& options = {});

// Removes a temporary download; a local source is left alone.
void RemoveFetched(const FetchedFeed& feed);

// A feed `db update` imports: its URL, and its kind when it is not to be
// detected from its content ("" = detect).
struct FeedSource {
  std::string url;
  std::string kind;
};

// The feeds `bulwark db update` fetches when no sources file is given: the
// Debian security tracker, and osv.dev's exports for Ubuntu, Alpine,
// AlmaLinux, Rocky Linux, Red Hat, SUSE and openSUSE.
std::vector<FeedSource> DefaultFeedSources();

// Parses a sources file: YAML `sources:` a list of {url, kind?}. Unknown keys,
// an empty list, a URL with another scheme than https:// or file:// (or a
// plain path), and an unknown kind are kInvalidArgument "ORIGIN line N: reason".
Result<std::vector<FeedSource>> ParseFeedSources(std::string_view text, std::string_view origin);

}  // namespace bulwark::vulndb

#endif  // BULWARK_VULNDB_FETCH_H_
