// The Debian security tracker importer: the JSON document the tracker
// publishes at https://security-tracker.debian.org/tracker/data/json,
//   {source package: {CVE or TEMP id: {description, scope, debianbug,
//     releases: {codename: {status, repositories, fixed_version, urgency,
//                           nodsa, nodsa_reason}}}}}
// read as a stream (nlohmann-json's SAX interface), so memory stays bounded
// by one entry whatever the document's size. Internal to vulndb/: other
// modules call ImportFeed (importer.h). docs/advisory-feeds.md describes the
// mapping.
#ifndef BULWARK_VULNDB_DEBIAN_TRACKER_IMPORTER_H_
#define BULWARK_VULNDB_DEBIAN_TRACKER_IMPORTER_H_

#include <string>
#include <string_view>

#include "common/byte_stream.h"
#include "common/result.h"
#include "vulndb/importer.h"

namespace bulwark::vulndb::internal {

// Reads a tracker document from `stream`, named `name` in errors and skipped
// records. Each (source package, id) entry becomes one Advisory whose
// affected packages are its releases with a known codename; the same id under
// several source packages gives several advisories with that id. Entries and
// releases that cannot be used are skipped with a reason. Errors:
// kCorruptInput for bytes that are not JSON or not shaped like the tracker's
// document (naming the package, the id and the field), kLimitExceeded when
// one entry exceeds max_record_bytes or the stream max_file_bytes, stream and
// sink errors as is.
Status ImportDebianTracker(ByteStream& stream, std::string_view name, AdvisorySink& sink,
                           const FeedLimits& limits);

// ImportDebianTracker on the file at `path`, named by that path.
Status ImportDebianTrackerFile(const std::string& path, AdvisorySink& sink,
                               const FeedLimits& limits);

}  // namespace bulwark::vulndb::internal

#endif  // BULWARK_VULNDB_DEBIAN_TRACKER_IMPORTER_H_
