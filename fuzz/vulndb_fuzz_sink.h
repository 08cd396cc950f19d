// A sink for the vulndb fuzzers: it checks what importers promise about every
// advisory and skipped record, and traps when a promise is broken.
#ifndef BULWARK_FUZZ_VULNDB_FUZZ_SINK_H_
#define BULWARK_FUZZ_VULNDB_FUZZ_SINK_H_

#include <string_view>

#include "vulndb/importer.h"

namespace bulwark::vulndb::fuzzing {

inline void Require(bool condition) {
  if (!condition) __builtin_trap();
}

// True when `text` has no byte below 0x20 and no white space: ids, names and
// versions are plain tokens.
inline bool IsPlain(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return !text.empty();
}

class CheckingSink : public AdvisorySink {
 public:
  Status Add(Advisory advisory) override {
    Require(IsPlain(advisory.id) && advisory.id.size() <= 128);
    Require(advisory.summary.size() <= 1024);
    Require(advisory.references.size() <= 16);
    Require(advisory.cvss_score == -1 || (advisory.cvss_score >= 0 && advisory.cvss_score <= 10));
    Require(!advisory.affected.empty());
    for (const std::string& alias : advisory.aliases)
      Require(IsPlain(alias) && alias != advisory.id);
    for (const AffectedPackage& affected : advisory.affected) {
      Require(!affected.distro.empty() && IsPlain(affected.package));
      if (affected.state == FixState::kFixed) {
        Require(IsPlain(affected.fixed_version) && !affected.ranges.empty());
      }
      if (affected.state == FixState::kNotAffected) Require(affected.ranges.empty());
      for (const std::string& version : affected.versions) Require(IsPlain(version));
    }
    ++added;
    return Ok();
  }

  void Skip(SkippedRecord skipped) override {
    Require(!skipped.record.empty() && !skipped.reason.empty());
    ++skips;
  }

  size_t added = 0;
  size_t skips = 0;
};

// Small limits, so the fuzzer reaches them with inputs of its own size.
inline FeedLimits FuzzLimits() {
  FeedLimits limits;
  limits.max_file_bytes = 1 << 20;
  limits.max_record_bytes = 256 << 10;
  limits.max_zip_entries = 64;
  limits.max_total_bytes = 1 << 20;
  return limits;
}

// Every error names the input it is about, and is one of the codes the
// importers document.
inline void RequireNamedError(const Error& error, std::string_view name) {
  Require(error.message().starts_with(name));
  Require(error.code() == ErrorCode::kCorruptInput || error.code() == ErrorCode::kLimitExceeded ||
          error.code() == ErrorCode::kNotFound);
}

}  // namespace bulwark::vulndb::fuzzing

#endif  // BULWARK_FUZZ_VULNDB_FUZZ_SINK_H_
