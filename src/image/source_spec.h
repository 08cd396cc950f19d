// Parsing of SOURCE strings in the containers-transports syntax. Internal to image/.
#ifndef BULWARK_IMAGE_SOURCE_SPEC_H_
#define BULWARK_IMAGE_SOURCE_SPEC_H_

#include <optional>
#include <string>
#include <string_view>

#include "common/digest.h"
#include "common/result.h"

namespace bulwark::image::internal {

enum class Transport { kDockerArchive, kOci, kOciArchive, kDetect, kRegistry };

struct SourceSpec {
  Transport transport = Transport::kDetect;
  std::string path;              // File or directory.
  std::string ref;               // docker-archive REF, or OCI tag; may be empty.
  std::optional<Digest> digest;  // oci:DIR@DIGEST.
  // kRegistry: `ref` is the image reference as given; `bare_text` says it
  // came without docker:// (a bare SOURCE naming no file).
  bool bare_text = false;
};

// Splits `spec` into transport, path and reference. Because references may
// hold ':' ("docker-archive:/x/a.tar:localhost:5000/app:1"), the path is the
// whole rest when that exists, else the shortest prefix ending before a ':'
// that exists (a file for archives, a directory for oci:); for oci:, a suffix
// "@sha256:..." after an existing directory is a digest. A string without a
// known transport prefix is a bare path, detected by content later, when it
// exists; otherwise, when it parses as an image reference ("ubuntu",
// "ubuntu:22.04", "localhost:5000/app:1", and also "foo:bar" or a mistyped
// "app.tar"), it is a registry reference with bare_text set. "docker://REF" is
// a registry reference. Errors: kNotFound when no such path exists and the
// text is no reference (with a reminder of the syntax when the text holds ':'
// or '@'), kUnsupported for a known transport not read yet
// (containers-storage:, docker-daemon:, ...), kInvalidArgument for an empty
// SOURCE, a docker:// text that is no reference, or an unknown transport
// ("xyz://a").
Result<SourceSpec> ParseSourceSpec(std::string_view spec);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_SOURCE_SPEC_H_
