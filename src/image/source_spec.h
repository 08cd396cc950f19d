// Parsing of SOURCE strings in the containers-transports syntax. Internal to image/.
#ifndef BULWARK_IMAGE_SOURCE_SPEC_H_
#define BULWARK_IMAGE_SOURCE_SPEC_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/digest.h"
#include "common/result.h"

namespace bulwark::image::internal {

enum class Transport { kDockerArchive, kOci, kOciArchive, kDetect };

struct SourceSpec {
  Transport transport = Transport::kDetect;
  std::string path;              // File or directory.
  std::string ref;               // docker-archive REF, or OCI tag; may be empty.
  std::optional<Digest> digest;  // oci:DIR@DIGEST.
};

// Splits `spec` into transport, path and reference. Because references may
// hold ':' ("docker-archive:/x/a.tar:localhost:5000/app:1"), the path is the
// whole rest when that exists, else the shortest prefix ending before a ':'
// that exists (a file for archives, a directory for oci:); for oci:, a suffix
// "@sha256:..." after an existing directory is a digest. A string without a
// known transport prefix is a bare path, detected by content later.
// Errors: kNotFound when no such path exists (with a reminder of the syntax
// when the text holds ':' or '@'), kUnsupported for a known transport not read
// yet (docker://, containers-storage:, ...), kInvalidArgument for an empty
// SOURCE or an unknown transport ("xyz://a", or "foo:bar" when no "foo" exists).
Result<SourceSpec> ParseSourceSpec(std::string_view spec);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_SOURCE_SPEC_H_
