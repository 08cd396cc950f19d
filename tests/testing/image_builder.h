// Writes container images for tests: OCI layouts, oci-archives and
// docker-archives (legacy and Docker 25+), built from layer tars made with
// TarBuilder, with options to set config fields and to tamper.
//
//   ImageBuilder builder;
//   TestImage image;
//   image.layers = {TarBuilder().File("etc/os-release", "ID=debian\n").Finish()};
//   image.user = "app";
//   WrittenImage written = builder.AddImage(image);
//   builder.WriteOciLayout(dir);                       // oci:DIR
//   WriteFile(path, builder.DockerArchive(DockerLayout::kLegacy));  // docker-archive:PATH
#ifndef BULWARK_TESTS_TESTING_IMAGE_BUILDER_H_
#define BULWARK_TESTS_TESTING_IMAGE_BUILDER_H_

#include <map>
#include <string>
#include <vector>

#include "testing/tar_builder.h"

namespace bulwark::testing {

// One image: its layers and the config fields tests care about.
struct TestImage {
  std::vector<std::string> layers;  // Uncompressed layer tars, bottom first.
  TarCompression layer_compression = TarCompression::kNone;  // How blobs are stored.
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;
  std::string user;
  std::string working_dir;
  std::map<std::string, std::string> labels;
  std::vector<std::string> env;
  std::vector<std::string> cmd;
  std::vector<std::string> entrypoint;
  // OCI: ref.name of its top-level entry (AddImage only). Docker: its RepoTag.
  std::string tag;

  // Tampering (the image is written as if honest, then changed):
  bool wrong_config_digest = false;          // Config named and stored under a digest it lacks.
  bool wrong_manifest_digest = false;        // Manifest named and stored under a digest it lacks.
  std::vector<std::string> forged_diff_ids;  // "sha256:..": replaces the config's diff_ids.
  int corrupt_layer = -1;                    // Flips one byte of this layer's stored blob.
};

// The digests an image was written under ("sha256:<hex>"), as the image names
// them: after tampering, a forged diff_id or a wrong config digest shows here.
struct WrittenImage {
  std::string manifest_digest;
  std::string config_digest;
  std::vector<std::string> blob_digests;  // Of the honest blobs, bottom first.
  std::vector<std::string> diff_ids;      // As the config states them.
};

enum class Attestation {
  kNone,
  kByPlatform,    // An attestation manifest with platform unknown/unknown.
  kByAnnotation,  // One with the image's own platform, marked only by annotation.
};

struct IndexOptions {
  std::string tag;      // ref.name of the top-level entry.
  bool nested = false;  // Wrap the index in a second one: index -> index -> manifests.
  // Adds a well-formed, image-like attestation manifest as the index's first entry.
  Attestation attestation = Attestation::kNone;
};

enum class DockerLayout {
  kLegacy,  // <hex>.json configs, <id>/layer.tar, manifest.json, repositories.
  kV25,     // Docker 25+: an OCI layout plus manifest.json naming blobs/sha256/<hex>.
};

struct ArchiveOptions {
  TarCompression compression = TarCompression::kNone;  // Of the whole archive.
  bool dot_slash = false;                              // Member names start with "./".
};

// Collects images, then writes them in any of the formats. Not thread-safe.
class ImageBuilder {
 public:
  ImageBuilder();
  ~ImageBuilder();

  // Adds `image` as a top-level entry of its own.
  WrittenImage AddImage(const TestImage& image);

  // Adds one top-level entry: an index of `images` (one per platform; their
  // `tag` is used only by docker-archives). Returns them in order.
  std::vector<WrittenImage> AddIndex(const std::vector<TestImage>& images,
                                     const IndexOptions& options);

  // An OCI image layout written into `dir` (created when missing).
  void WriteOciLayout(const std::string& dir) const;
  // The same layout as a tar.
  std::string OciArchive(const ArchiveOptions& options = {}) const;
  // `docker save` output holding every image added (indexes flattened).
  std::string DockerArchive(DockerLayout layout, const ArchiveOptions& options = {}) const;

 private:
  struct State;
  State* state_;
};

// Writes `bytes` to `path`; fails the running test on error.
void WriteFile(const std::string& path, const std::string& bytes);

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_IMAGE_BUILDER_H_
