#include "image/registry_source.h"

#include <filesystem>
#include <map>
#include <utility>

#include "image/documents.h"
#include "image/oci_layout.h"
#include "registry/client.h"
#include "registry/credential_helper.h"
#include "registry/docker_config.h"

namespace bulwark::image::internal {
namespace {

// LIMITATION(#5): Docker schema 1 manifests (deprecated, unsigned layers
// without diff_ids) are refused as kUnsupported.
bool IsSchema1(std::string_view media_type) {
  return media_type == "application/vnd.docker.distribution.manifest.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.v1+prettyjws";
}

// Credentials from Docker's config.json (and the credential helpers it
// names), read once, at the first challenge.
registry::CredentialSource ConfigCredentials(std::string path) {
  auto loaded = std::make_shared<std::optional<Result<registry::DockerConfig>>>();
  return [path = std::move(path),
          loaded](std::string_view name) -> Result<std::optional<registry::Credential>> {
    if (!loaded->has_value()) {
      std::error_code error;
      if (!path.empty() && !std::filesystem::exists(path, error)) {
        // A file named on purpose that is not there: going anonymous would
        // hide the mistake behind an authentication error.
        *loaded = Result<registry::DockerConfig>(
            Error(ErrorCode::kNotFound, "registry config " + path + ": no such file"));
      } else {
        std::string file = path.empty() ? registry::DefaultDockerConfigPath() : path;
        *loaded = registry::LoadDockerConfig(file);
      }
    }
    const Result<registry::DockerConfig>& config = **loaded;
    if (!config.ok()) return config.error();
    return registry::FindCredentialWithHelpers(*config, name);
  };
}

// The manifests and blobs of one repository as a DocumentStore. The manifest
// first fetched by tag is kept, so that the walk reads it only once.
class RegistryDocumentStore : public DocumentStore {
 public:
  explicit RegistryDocumentStore(registry::RegistryClient& client) : client_(client) {}

  std::string where() const override { return "registry " + client_.registry(); }

  void Remember(const Digest& digest, std::string bytes) { fetched_[digest] = std::move(bytes); }

  Result<std::string> ReadDocument(const Descriptor& descriptor, bool config, uint64_t limit,
                                   const std::string& label) override {
    if (config) {
      auto bytes = client_.FetchBlob(descriptor.digest, limit);
      if (!bytes.ok()) return bytes.error().Wrap(label);
      return bytes;
    }
    auto kept = fetched_.find(descriptor.digest);
    if (kept != fetched_.end()) return kept->second;
    auto manifest = client_.FetchManifest(descriptor.digest.str(), limit);
    if (!manifest.ok()) return manifest.error().Wrap(label);
    if (IsSchema1(manifest->media_type)) {
      return Error(ErrorCode::kUnsupported, label + ": a Docker schema 1 manifest; " +
                                                "Bulwark reads schema 2 and OCI images only");
    }
    return std::move(manifest->bytes);
  }

  // The blob's size is not asked for here: the scanner hashes every blob as
  // it streams, and a blob of another size cannot hash to its digest.
  Result<std::string> LocateLayer(const Descriptor& layer, const std::string& label) override {
    return layer.digest.str();
  }

 private:
  registry::RegistryClient& client_;
  std::map<Digest, std::string> fetched_;
};

// LIMITATION(#3): one registry client serves every blob of the source and is
// not thread-safe, so ConcurrentStreams() stays false: the blobs of cached
// layers are hashed on the scan's thread before the scan goes on, where a
// local source hashes them beside the rest of the scan. A second client for
// the worker would authenticate again, and a token round trip can cost more
// than the analysis it would overlap; sharing the first client's token would
// make it pay.
class RegistrySource : public ImageSource {
 public:
  RegistrySource(std::string spec, Reference reference, bool bare_text,
                 const SourceOptions& options)
      : spec_(std::move(spec)), reference_(std::move(reference)), bare_text_(bare_text) {
    registry::ClientOptions client_options;
    client_options.ca_file = options.registry_ca_file;
    client_options.insecure = options.insecure_registry;
    if (options.credentials) {
      client_options.credentials = options.credentials;
      client_options.credential_origin = options.credential_origin;
    } else {
      client_options.credentials = ConfigCredentials(options.docker_config);
    }
    client_ = std::make_unique<registry::RegistryClient>(reference_.registry, reference_.repository,
                                                         client_options);
  }

  Result<ResolvedImage> Resolve(const ResolveOptions& options) override {
    auto image = ResolveImage(options);
    if (!image.ok()) return Explain(image.error());
    layer_digests_.clear();
    for (const LayerLocation& layer : image->layers) layer_digests_.push_back(*layer.blob_digest);
    return image;
  }

  Status StreamLayers(const std::vector<size_t>& indices, const LayerVisitor& visit) override {
    for (size_t index : indices) {
      if (index >= layer_digests_.size()) {
        return Error(ErrorCode::kInvalidArgument,
                     spec_ + ": no layer " + std::to_string(index) + " (resolved " +
                         std::to_string(layer_digests_.size()) + " layers)");
      }
      auto blob = client_->OpenBlob(layer_digests_[index]);
      if (!blob.ok()) return Explain(blob.error().Wrap("layer " + layer_digests_[index].str()));
      BULWARK_TRY(visit(index, **blob));
    }
    return Ok();
  }

 private:
  Result<ResolvedImage> ResolveImage(const ResolveOptions& options) {
    std::string wanted = reference_.digest ? reference_.digest->str() : reference_.tag;
    std::string label = "manifest " + wanted;
    auto fetched = client_->FetchManifest(wanted, kMaxIndexBytes);
    if (!fetched.ok()) return fetched.error();
    if (IsSchema1(fetched->media_type)) {
      return Error(ErrorCode::kUnsupported, label + ": a Docker schema 1 manifest; Bulwark " +
                                                "reads schema 2 and OCI images only");
    }

    // The digest is that of the bytes received; a Docker-Content-Digest
    // header would only be the registry's word for it.
    Digest digest = Sha256Of(fetched->bytes);
    if (reference_.digest && digest != *reference_.digest) {
      return Error(ErrorCode::kCorruptInput,
                   label + ": the registry sent a manifest that " + "hashes to " + digest.str());
    }
    Descriptor top;
    top.media_type = fetched->media_type;
    top.digest = digest;
    top.size = static_cast<int64_t>(fetched->bytes.size());
    RegistryDocumentStore store(*client_);
    store.Remember(digest, std::move(fetched->bytes));

    BULWARK_ASSIGN_OR_RETURN(ResolvedImage image,
                             ResolveBelow(store, top, reference_.str(), options));
    image.source = spec_;
    if (!reference_.tag.empty()) image.names = {reference_.NameAndTag()};
    return image;
  }

  // Opens an error with the reference, and with the file reading too when
  // the SOURCE was a bare text.
  Error Explain(const Error& error) const {
    std::string prefix = bare_text_ ? spec_ + ": no such file or directory; read as the image " +
                                          "reference " + reference_.str()
                                    : spec_;
    return error.Wrap(prefix);
  }

  std::string spec_;
  Reference reference_;
  bool bare_text_;
  std::unique_ptr<registry::RegistryClient> client_;
  std::vector<Digest> layer_digests_;
};

}  // namespace

std::unique_ptr<ImageSource> MakeRegistrySource(std::string spec, Reference reference,
                                                bool bare_text, const SourceOptions& options) {
  return std::make_unique<RegistrySource>(std::move(spec), std::move(reference), bare_text,
                                          options);
}

}  // namespace bulwark::image::internal
