// The OSV importer: records in the OSV schema (https://ossf.github.io/osv-schema/)
// from single files, arrays, directories and the zip exports osv.dev
// publishes per ecosystem. Internal to vulndb/: other modules call
// ImportFeed (importer.h). docs/advisory-feeds.md describes the mapping.
#ifndef BULWARK_VULNDB_OSV_IMPORTER_H_
#define BULWARK_VULNDB_OSV_IMPORTER_H_

#include <string>
#include <string_view>

#include "common/result.h"
#include "vulndb/importer.h"

namespace bulwark::vulndb::internal {

// Converts one OSV document held in memory: a record (a JSON object) or an
// array of records. `where` names it in skipped records and errors
// ("all.zip:DSA-3029-1.json"). Each record with at least one affected
// package of a distribution release Bulwark keys (vulndb/distro.h) goes to
// `sink`; the rest, and every part left out of a kept record, is recorded
// with sink.Skip. Errors: kCorruptInput for bytes that are not JSON or not
// shaped like OSV (a field of the wrong type, no id), naming `where`, the
// record and the field; kLimitExceeded for a record over max_record_bytes;
// the sink's own errors as is.
Status ImportOsvJson(std::string_view bytes, std::string_view where, AdvisorySink& sink,
                     const FeedLimits& limits);

// Reads the OSV JSON file at `path` (a record, or an array of records read
// element by element so its size is bounded only by max_file_bytes). `where`
// names it. As ImportOsvJson, plus kNotFound or kIo for the file.
Status ImportOsvFile(const std::string& path, std::string_view where, AdvisorySink& sink,
                     const FeedLimits& limits);

// Reads every "*.json" file below the directory `path`, recursively, in byte
// order of their paths relative to it (symbolic links to directories are
// not followed); other files are ignored. Files are named by that relative
// path. The files' bytes together count against max_total_bytes.
Status ImportOsvDirectory(const std::string& path, AdvisorySink& sink, const FeedLimits& limits);

// Reads the zip archive at `path` member by member, as stored: every member
// is one OSV JSON document under max_record_bytes, at most max_zip_entries
// members, at most max_total_bytes uncompressed. Members are named
// "ZIP:MEMBER" with ZIP the archive's file name; members that are not regular
// "*.json" files are skipped with a reason. kCorruptInput for an archive
// libarchive cannot read (truncated, damaged, encrypted), naming the member.
Status ImportOsvZip(const std::string& path, AdvisorySink& sink, const FeedLimits& limits);

// ImportOsvZip on an archive held in memory, named `name`; for the fuzzer.
Status ImportOsvZipBytes(std::string_view bytes, std::string_view name, AdvisorySink& sink,
                         const FeedLimits& limits);

}  // namespace bulwark::vulndb::internal

#endif  // BULWARK_VULNDB_OSV_IMPORTER_H_
