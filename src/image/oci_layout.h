// Resolving an image inside an OCI image layout (a directory, an oci-archive,
// or the OCI half of a Docker 25+ docker-archive). Internal to image/.
#ifndef BULWARK_IMAGE_OCI_LAYOUT_H_
#define BULWARK_IMAGE_OCI_LAYOUT_H_

#include <optional>
#include <string>
#include <vector>

#include "common/digest.h"
#include "common/result.h"
#include "image/documents.h"
#include "image/file_tree.h"
#include "image/model.h"
#include "image/source.h"

namespace bulwark::image::internal {

// Which image of a layout the user named: a tag (ref.name annotation of a
// top-level entry), a digest (of any manifest or index in the layout), or
// neither (the layout must then hold exactly one image).
struct OciSelector {
  std::string tag;
  std::optional<Digest> digest;
};

// Where the documents and layers of an image are read from: the blobs of a
// layout, or a registry. Not thread-safe.
class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // Names the store in messages (a layout's path, "registry HOST").
  virtual std::string where() const = 0;

  // The bytes of the manifest, index or (when `config`) config that
  // `descriptor` names, at most `limit` (kLimitExceeded beyond); kNotFound
  // when absent. `label` ("manifest sha256:...") opens every error. The
  // caller checks the bytes against the descriptor.
  virtual Result<std::string> ReadDocument(const Descriptor& descriptor, bool config,
                                           uint64_t limit, const std::string& label) = 0;

  // The locator (LayerLocation::locator) of a layer's blob, after whatever
  // check is cheap for the store (a layout compares the blob's size with the
  // manifest's). Errors open with `label`.
  virtual Result<std::string> LocateLayer(const Descriptor& layer, const std::string& label) = 0;
};

// Chooses an image below `top` (a manifest, or an index to choose from by
// platform, nested up to kMaxIndexDepth) and loads it: the walk shared by
// layouts and registries. Attestation manifests are never taken. Every
// document read is checked against its descriptor; `where` names `top` in
// errors. Errors as in ImageSource::Resolve.
Result<ResolvedImage> ResolveBelow(DocumentStore& store, const Descriptor& top,
                                   const std::string& where, const ResolveOptions& options);

// Resolves the image `selector` names in the layout `tree`, choosing among
// platforms by `options`. Every index, manifest and config read is checked
// against its descriptor. Errors as in ImageSource::Resolve.
Result<ResolvedImage> ResolveOciLayout(FileTree& tree, const OciSelector& selector,
                                       const ResolveOptions& options);

// The digest of the one manifest listed in the layout's index.json (top level
// only) whose config is `config_digest` and whose layers are `layer_digests`;
// nullopt when there is none, several, or index.json is unreadable. Used to
// name Docker 25+ archives by their manifest; never an error.
std::optional<Digest> FindManifestDigest(FileTree& tree, const Digest& config_digest,
                                         const std::vector<Digest>& layer_digests);

// Whether `have` satisfies `want`: same os and architecture, and the same
// variant when `want` names one (arm64 treats no variant as v8).
bool PlatformMatches(const Platform& have, const Platform& want);

// "blobs/sha256/<hex>".
std::string BlobPath(const Digest& digest);

// Whether `media_type` is a layer type Bulwark reads (tar, gzip or zstd tar;
// OCI, OCI non-distributable or Docker).
bool IsSupportedLayerMediaType(std::string_view media_type);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_OCI_LAYOUT_H_
