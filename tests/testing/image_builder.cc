#include "testing/image_builder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "common/digest.h"

namespace bulwark::testing {
namespace {

using Json = nlohmann::json;

constexpr char kOciManifest[] = "application/vnd.oci.image.manifest.v1+json";
constexpr char kOciIndex[] = "application/vnd.oci.image.index.v1+json";
constexpr char kOciConfig[] = "application/vnd.oci.image.config.v1+json";

std::string Hex(const std::string& digest) { return digest.substr(7); }

std::string LayerMediaType(TarCompression compression) {
  switch (compression) {
    case TarCompression::kNone:
      return "application/vnd.oci.image.layer.v1.tar";
    case TarCompression::kGzip:
      return "application/vnd.oci.image.layer.v1.tar+gzip";
    case TarCompression::kZstd:
      return "application/vnd.oci.image.layer.v1.tar+zstd";
  }
  return "";
}

std::string Compress(const std::string& tar, TarCompression compression) {
  switch (compression) {
    case TarCompression::kNone:
      return tar;
    case TarCompression::kGzip:
      return Gzip(tar);
    case TarCompression::kZstd:
      return Zstd(tar);
  }
  return tar;
}

// A digest no honest content has: the hash of the content plus a marker.
std::string WrongDigest(const std::string& bytes) { return Sha256Of(bytes + "\ntampered").str(); }

Json Descriptor(const std::string& media_type, const std::string& digest, size_t size) {
  return Json{{"mediaType", media_type}, {"digest", digest}, {"size", size}};
}

std::string ConfigJson(const TestImage& image, const std::vector<std::string>& diff_ids) {
  Json run = Json::object();
  if (!image.user.empty()) run["User"] = image.user;
  if (!image.working_dir.empty()) run["WorkingDir"] = image.working_dir;
  if (!image.env.empty()) run["Env"] = image.env;
  if (!image.cmd.empty()) run["Cmd"] = image.cmd;
  if (!image.entrypoint.empty()) run["Entrypoint"] = image.entrypoint;
  if (!image.labels.empty()) run["Labels"] = image.labels;
  Json history = Json::array();
  for (size_t i = 0; i < image.layers.size(); ++i) {
    history.push_back(
        {{"created", "2024-01-01T00:00:00Z"}, {"created_by", "test layer " + std::to_string(i)}});
  }
  Json config = {{"architecture", image.architecture},
                 {"os", image.os},
                 {"created", "2024-01-01T00:00:00Z"},
                 {"config", run},
                 {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
                 {"history", history}};
  if (!image.variant.empty()) config["variant"] = image.variant;
  return config.dump();
}

struct DockerEntry {
  std::string config_hex;
  std::vector<std::string> layer_hexes;  // Blob hexes.
  std::vector<std::string> diff_ids;
  std::string tag;
};

}  // namespace

struct ImageBuilder::State {
  std::map<std::string, std::string> blobs;  // hex -> bytes.
  std::vector<Json> top;                     // index.json entries.
  std::vector<DockerEntry> docker;

  std::string Store(const std::string& bytes) {
    std::string digest = Sha256Of(bytes).str();
    blobs[Hex(digest)] = bytes;
    return digest;
  }

  // Writes the blobs and manifest of one image; returns its manifest descriptor.
  Json WriteImage(const TestImage& image, WrittenImage& written) {
    Json layers = Json::array();
    std::vector<std::string> honest_diff_ids;
    std::vector<std::string> layer_hexes;
    for (size_t i = 0; i < image.layers.size(); ++i) {
      honest_diff_ids.push_back(Sha256Of(image.layers[i]).str());
      std::string blob = Compress(image.layers[i], image.layer_compression);
      std::string digest = Store(blob);
      if (static_cast<int>(i) == image.corrupt_layer) {
        std::string& stored = blobs[Hex(digest)];
        stored[stored.size() / 2] ^= 0x5a;
      }
      written.blob_digests.push_back(digest);
      layer_hexes.push_back(Hex(digest));
      layers.push_back(Descriptor(LayerMediaType(image.layer_compression), digest, blob.size()));
    }
    written.diff_ids = image.forged_diff_ids.empty() ? honest_diff_ids : image.forged_diff_ids;

    std::string config = ConfigJson(image, written.diff_ids);
    written.config_digest = Sha256Of(config).str();
    if (image.wrong_config_digest) written.config_digest = WrongDigest(config);
    blobs[Hex(written.config_digest)] = config;

    Json manifest = {{"schemaVersion", 2},
                     {"mediaType", kOciManifest},
                     {"config", Descriptor(kOciConfig, written.config_digest, config.size())},
                     {"layers", layers}};
    std::string manifest_bytes = manifest.dump();
    written.manifest_digest = Sha256Of(manifest_bytes).str();
    if (image.wrong_manifest_digest) written.manifest_digest = WrongDigest(manifest_bytes);
    blobs[Hex(written.manifest_digest)] = manifest_bytes;

    docker.push_back({Hex(written.config_digest), layer_hexes, written.diff_ids, image.tag});
    return Descriptor(kOciManifest, written.manifest_digest, manifest_bytes.size());
  }

  // An image-shaped attestation: if a reader took it for the image, the test sees.
  Json WriteAttestation(const TestImage& image, Attestation kind, const std::string& subject) {
    TestImage fake;
    fake.layers = {TarBuilder().File("attestation.json", "{}").Finish()};
    fake.labels = {{"attestation", "true"}};
    fake.os = image.os;
    fake.architecture = image.architecture;
    WrittenImage ignored;
    Json descriptor = WriteImage(fake, ignored);
    docker.pop_back();  // Attestations never appear in manifest.json.
    descriptor["annotations"] = {{"vnd.docker.reference.digest", subject}};
    if (kind == Attestation::kByPlatform) {
      descriptor["platform"] = {{"os", "unknown"}, {"architecture", "unknown"}};
    } else {
      descriptor["platform"] = {{"os", image.os}, {"architecture", image.architecture}};
      descriptor["annotations"]["vnd.docker.reference.type"] = "attestation-manifest";
    }
    return descriptor;
  }

  Json StoreIndex(const Json& manifests) {
    std::string bytes =
        Json{{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", manifests}}.dump();
    return Descriptor(kOciIndex, Store(bytes), bytes.size());
  }

  std::string IndexJson() const {
    return Json{{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", top}}.dump();
  }

  // Adds the layout files (oci-layout, index.json, blobs) to `tar`.
  void AddLayout(TarBuilder& tar, const std::string& prefix) const {
    tar.File(prefix + "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
    tar.File(prefix + "index.json", IndexJson());
    tar.Dir(prefix + "blobs/");
    tar.Dir(prefix + "blobs/sha256/");
    for (const auto& [hex, bytes] : blobs) tar.File(prefix + "blobs/sha256/" + hex, bytes);
  }
};

ImageBuilder::ImageBuilder() : state_(new State) {}
ImageBuilder::~ImageBuilder() { delete state_; }

WrittenImage ImageBuilder::AddImage(const TestImage& image) {
  WrittenImage written;
  Json descriptor = state_->WriteImage(image, written);
  if (!image.tag.empty()) {
    descriptor["annotations"] = {{"org.opencontainers.image.ref.name", image.tag}};
  }
  state_->top.push_back(descriptor);
  return written;
}

std::vector<WrittenImage> ImageBuilder::AddIndex(const std::vector<TestImage>& images,
                                                 const IndexOptions& options) {
  std::vector<WrittenImage> written(images.size());
  Json manifests = Json::array();
  for (size_t i = 0; i < images.size(); ++i) {
    Json descriptor = state_->WriteImage(images[i], written[i]);
    descriptor["platform"] = {{"os", images[i].os}, {"architecture", images[i].architecture}};
    if (!images[i].variant.empty()) descriptor["platform"]["variant"] = images[i].variant;
    if (options.attestation != Attestation::kNone) {
      manifests.push_back(
          state_->WriteAttestation(images[i], options.attestation, written[i].manifest_digest));
    }
    manifests.push_back(descriptor);
  }

  Json entry = state_->StoreIndex(manifests);
  if (options.nested) entry = state_->StoreIndex(Json::array({entry}));
  if (!options.tag.empty()) {
    entry["annotations"] = {{"org.opencontainers.image.ref.name", options.tag}};
  }
  state_->top.push_back(entry);
  return written;
}

void ImageBuilder::WriteOciLayout(const std::string& dir) const {
  std::filesystem::create_directories(dir + "/blobs/sha256");
  WriteFile(dir + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  WriteFile(dir + "/index.json", state_->IndexJson());
  for (const auto& [hex, bytes] : state_->blobs) WriteFile(dir + "/blobs/sha256/" + hex, bytes);
}

std::string ImageBuilder::OciArchive(const ArchiveOptions& options) const {
  TarBuilder tar;
  state_->AddLayout(tar, options.dot_slash ? "./" : "");
  return tar.Finish(options.compression);
}

std::string ImageBuilder::DockerArchive(DockerLayout layout, const ArchiveOptions& options) const {
  std::string prefix = options.dot_slash ? "./" : "";
  TarBuilder tar;
  Json manifest = Json::array();
  Json repositories = Json::object();
  std::set<std::string> written_layers;
  if (layout == DockerLayout::kV25) state_->AddLayout(tar, prefix);

  for (const DockerEntry& entry : state_->docker) {
    Json item;
    if (layout == DockerLayout::kV25) {
      item["Config"] = "blobs/sha256/" + entry.config_hex;
    } else {
      item["Config"] = entry.config_hex + ".json";
      tar.File(prefix + entry.config_hex + ".json", state_->blobs.at(entry.config_hex));
    }
    item["RepoTags"] = entry.tag.empty() ? Json(nullptr) : Json::array({entry.tag});
    item["Layers"] = Json::array();
    for (const std::string& hex : entry.layer_hexes) {
      if (layout == DockerLayout::kV25) {
        item["Layers"].push_back("blobs/sha256/" + hex);
        continue;
      }
      item["Layers"].push_back(hex + "/layer.tar");
      if (written_layers.insert(hex).second) {
        tar.Dir(prefix + hex + "/");
        tar.File(prefix + hex + "/VERSION", "1.0");
        tar.File(prefix + hex + "/layer.tar", state_->blobs.at(hex));
      }
    }
    manifest.push_back(item);
    size_t colon = entry.tag.rfind(':');
    if (!entry.tag.empty() && colon != std::string::npos) {
      repositories[entry.tag.substr(0, colon)][entry.tag.substr(colon + 1)] =
          entry.layer_hexes.empty() ? "" : entry.layer_hexes.back();
    }
  }

  tar.File(prefix + "manifest.json", manifest.dump());
  if (layout == DockerLayout::kLegacy) tar.File(prefix + "repositories", repositories.dump());
  return tar.Finish(options.compression);
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

}  // namespace bulwark::testing
