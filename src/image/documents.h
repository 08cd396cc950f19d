// Parsers for the small JSON documents of an image: OCI/Docker manifests and
// indexes, image configs and the manifest.json of `docker save`.
#ifndef BULWARK_IMAGE_DOCUMENTS_H_
#define BULWARK_IMAGE_DOCUMENTS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/digest.h"
#include "common/result.h"
#include "image/model.h"

namespace bulwark::image {

// Limits on what one image may make Bulwark read. Exceeding one is kLimitExceeded.
inline constexpr uint64_t kMaxManifestBytes = 4ull << 20;  // Also docker-archive manifest.json.
inline constexpr uint64_t kMaxIndexBytes = 4ull << 20;     // Also index.json.
inline constexpr uint64_t kMaxConfigBytes = 8ull << 20;
inline constexpr int kMaxIndexDepth = 8;          // index -> index -> ... -> manifest.
inline constexpr size_t kMaxIndexEntries = 1000;  // Per index, and documents read per Resolve.
inline constexpr size_t kMaxLayers = 1000;        // Layers of one image.
inline constexpr int kMaxJsonNesting = 64;        // Arrays and objects inside one another.

namespace media_type {
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
}  // namespace media_type

// Annotation keys read from descriptors.
inline constexpr std::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";
inline constexpr std::string_view kContainerdNameAnnotation = "io.containerd.image.name";
inline constexpr std::string_view kDockerReferenceType = "vnd.docker.reference.type";

// An OCI content descriptor (also Docker's, which has the same shape).
struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = -1;  // -1 when absent (only tolerated in docker-archive LayerSources).
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;

  // The org.opencontainers.image.ref.name annotation, or "".
  std::string RefName() const;
  // True for build attestations (platform unknown/unknown, or the Docker
  // reference-type annotation "attestation-manifest"): never an image to scan.
  bool IsAttestation() const;
};

enum class DocumentKind { kManifest, kIndex, kUnknown };

// What a media type says a document is; kUnknown for anything else.
DocumentKind KindOfMediaType(std::string_view media_type);

// An image manifest (OCI or Docker schema 2).
struct Manifest {
  std::string media_type;  // As stated in the document; may be empty.
  Descriptor config;
  std::vector<Descriptor> layers;
};

// An image index (OCI) or manifest list (Docker). A null "manifests" is empty.
struct Index {
  std::string media_type;
  std::vector<Descriptor> manifests;
};

// One entry of a `docker save` manifest.json.
struct DockerArchiveEntry {
  std::string config;                  // Member name of the config.
  std::vector<std::string> repo_tags;  // Empty when RepoTags is null or absent.
  std::vector<std::string> layers;     // Member names, bottom layer first.
  // LayerSources, keyed by diff_id (Docker 25+ and foreign layers).
  std::map<Digest, Descriptor> layer_sources;
};

// Each parser names the document in every error as `name` (e.g. "manifest
// sha256:ab12..."), fails with kCorruptInput on malformed JSON or a field of
// the wrong type, kLimitExceeded on oversized input or nesting, and
// kUnsupported on a recognised but unsupported schema. None throws.

// Parses an image manifest; refuses Docker schema 1 and indexes.
Result<Manifest> ParseManifest(std::string_view json, std::string_view name);

// Parses an image index or Docker manifest list of at most kMaxIndexEntries entries.
Result<Index> ParseIndex(std::string_view json, std::string_view name);

// Parses an OCI or Docker image config into the fields of ImageConfig.
Result<ImageConfig> ParseImageConfig(std::string_view json, std::string_view name);

// Parses the manifest.json of a docker-archive. A JSON null is kCorruptInput.
Result<std::vector<DockerArchiveEntry>> ParseDockerArchiveManifest(std::string_view json,
                                                                   std::string_view name);

// Says whether a document is a manifest or an index, from its mediaType field
// or, when that is absent, from its fields ("manifests" vs "config"/"layers").
Result<DocumentKind> SniffDocumentKind(std::string_view json, std::string_view name);

// Checks `bytes` against a descriptor: size (when stated), then sha256.
// kCorruptInput names `what` and both digests (or both sizes).
Status VerifyBlob(std::string_view bytes, const Descriptor& descriptor, std::string_view what);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_DOCUMENTS_H_
