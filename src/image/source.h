// Image sources: docker-archive, oci layout, oci-archive and registries.
#ifndef BULWARK_IMAGE_SOURCE_H_
#define BULWARK_IMAGE_SOURCE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_stream.h"
#include "common/result.h"
#include "image/model.h"
#include "registry/client.h"

namespace bulwark::image {

struct ResolveOptions {
  // The platform to pick from a multi-platform index. Default linux/amd64.
  Platform platform{"linux", "amd64", ""};
  // Whether the user chose the platform (changes only the wording of errors).
  bool platform_given = false;
};

// How registries are reached; the file transports ignore it.
struct SourceOptions {
  // A PEM bundle of certificate authorities to trust for registries, instead
  // of the system's.
  std::string registry_ca_file;
  // Skip TLS verification and allow plain http for every registry (logged as
  // a warning). Loopback registries may use plain http without it.
  bool insecure_registry = false;
  // Docker's config.json for registry credentials; "" means
  // $DOCKER_CONFIG/config.json, else ~/.docker/config.json (absent: anonymous).
  // A file named here must exist (kNotFound when a registry asks for
  // credentials otherwise).
  std::string docker_config;
  // When set, registry credentials come from here instead of config.json
  // (the server's stored registries), and messages name `credential_origin`.
  registry::CredentialSource credentials;
  std::string credential_origin;
};

// Called once per requested layer with a stream of its blob's raw bytes.
// `index` is the position in ResolvedImage::layers.
using LayerVisitor = std::function<Status(size_t index, ByteStream& blob)>;

// A place an image is read from. Sources verify every small document they read
// (manifests, indexes, configs) against its digest; layer blobs are handed out
// raw, and the caller verifies them while reading. Not thread-safe.
class ImageSource {
 public:
  virtual ~ImageSource() = default;

  // Resolves the one image this source names. Errors: kNotFound (no such tag,
  // platform or image; the message lists what is there), kInvalidArgument (the
  // source holds several images and none was named, or a name matches several;
  // the message lists them), kCorruptInput (malformed document, digest or size
  // mismatch, diff_id count unlike the layer count), kUnsupported (an OCI
  // artifact that is not an image, schema 1), kLimitExceeded (see docs/sources.md).
  virtual Result<ResolvedImage> Resolve(const ResolveOptions& options) = 0;

  // Streams the blobs of the layers at `indices` (of the last resolved image)
  // to `visit`, in whatever order is cheapest for the source (archive order for
  // a tar). May be called more than once. Stops at the first error.
  virtual Status StreamLayers(const std::vector<size_t>& indices, const LayerVisitor& visit) = 0;

  // Whether, after Resolve, StreamLayers may run on two threads at once, for
  // any layers, the same ones included (nothing else may be called meanwhile).
  // Local files and layouts allow it; a registry source does not.
  virtual bool ConcurrentStreams() const { return false; }
};

// Opens a SOURCE in the containers-transports syntax:
//   docker-archive:PATH[:REF]   oci:DIR[:TAG|@DIGEST]   oci-archive:PATH[:TAG]
//   docker://REF
// or a bare path, detected by content (a directory with oci-layout; a tar with
// manifest.json or index.json, possibly gzip/zstd-compressed), or else a bare
// image reference read from its registry. Nothing is sent to a registry
// before Resolve. Errors name the source and say what was expected.
Result<std::unique_ptr<ImageSource>> OpenSource(std::string_view spec,
                                                const SourceOptions& options = {});

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_SOURCE_H_
