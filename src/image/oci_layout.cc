#include "image/oci_layout.h"

#include <deque>
#include <set>
#include <utility>

#include "image/documents.h"
#include "image/reference.h"

namespace bulwark::image::internal {
namespace {

// Lists at most this many items in an error message.
constexpr size_t kMaxListed = 20;

std::string JoinList(const std::vector<std::string>& items) {
  std::string joined;
  for (size_t i = 0; i < items.size() && i < kMaxListed; ++i) {
    if (i > 0) joined += ", ";
    joined += items[i];
  }
  if (items.size() > kMaxListed) {
    joined += " and " + std::to_string(items.size() - kMaxListed) + " more";
  }
  return joined;
}

std::string DescribePlatform(const Descriptor& descriptor) {
  return descriptor.platform ? descriptor.platform->str() : "(no platform)";
}

std::string KindLabel(const Descriptor& descriptor) {
  switch (KindOfMediaType(descriptor.media_type)) {
    case DocumentKind::kManifest:
      return "manifest " + descriptor.digest.str();
    case DocumentKind::kIndex:
      return "index " + descriptor.digest.str();
    case DocumentKind::kUnknown:
      break;
  }
  return "document " + descriptor.digest.str();
}

// The names a top-level entry gives its image: the tag and containerd's full name.
std::vector<std::string> EntryNames(const Descriptor& descriptor) {
  std::vector<std::string> names;
  if (!descriptor.RefName().empty()) names.push_back(descriptor.RefName());
  auto full = descriptor.annotations.find(std::string(kContainerdNameAnnotation));
  if (full != descriptor.annotations.end() && full->second != descriptor.RefName()) {
    names.push_back(full->second);
  }
  return names;
}

// Whether a top-level entry carries `tag`, as its ref name or, normalised,
// as its containerd image name (Docker 25+ writes both).
bool EntryHasTag(const Descriptor& descriptor, const std::string& tag) {
  if (descriptor.RefName() == tag) return true;
  auto full = descriptor.annotations.find(std::string(kContainerdNameAnnotation));
  if (full == descriptor.annotations.end()) return false;
  auto wanted = Reference::Parse(tag);
  auto have = Reference::Parse(full->second);
  return wanted.ok() && have.ok() && wanted->NameAndTag() == have->NameAndTag();
}

struct Chosen {
  Descriptor descriptor;
  std::string bytes;  // Verified against descriptor.
};

}  // namespace

// Chooses an image below a descriptor and loads it, reading documents from a
// DocumentStore: the part shared by layouts and registries.
class ImageResolver {
 public:
  ImageResolver(DocumentStore& store, const ResolveOptions& options)
      : store_(store), options_(options) {}

  Result<std::string> ReadDocument(const Descriptor& descriptor, uint64_t limit,
                                   const std::string& label, bool config = false);
  Result<DocumentKind> KindOf(const Descriptor& descriptor, const std::string& bytes);
  Result<Chosen> Choose(const std::vector<Descriptor>& candidates, int depth,
                        const std::string& where);
  Result<ResolvedImage> LoadImage(const Chosen& chosen);

 private:
  Result<Descriptor> PickPlatform(const std::vector<Descriptor>& images, const std::string& where);

  DocumentStore& store_;
  const ResolveOptions& options_;
  size_t documents_read_ = 0;
};

namespace {

// The blobs of a layout as a DocumentStore.
class TreeDocumentStore : public DocumentStore {
 public:
  explicit TreeDocumentStore(FileTree& tree) : tree_(tree) {}

  std::string where() const override { return tree_.path(); }

  Result<std::string> ReadDocument(const Descriptor& descriptor, bool config, uint64_t limit,
                                   const std::string& label) override {
    auto bytes = tree_.ReadFile(BlobPath(descriptor.digest), limit);
    if (bytes.ok()) return bytes;
    if (bytes.error().code() != ErrorCode::kNotFound) return bytes.error().Wrap(label);
    return Error(ErrorCode::kNotFound, label + ": blob missing from " + tree_.path() + " (" +
                                           BlobPath(descriptor.digest) + ")");
  }

  Result<std::string> LocateLayer(const Descriptor& layer, const std::string& label) override {
    auto size = tree_.FileSize(BlobPath(layer.digest));
    if (!size.ok() && size.error().code() != ErrorCode::kNotFound) {
      return size.error().Wrap(label);
    }
    if (!size.ok()) {
      const bool foreign = layer.media_type.find("nondistributable") != std::string::npos ||
                           layer.media_type.find("foreign") != std::string::npos;
      return Error(size.error().code(),
                   label + ": blob missing from " + tree_.path() + " (" +
                       BlobPath(layer.digest) + ")" +
                       (foreign ? "; its media type marks it non-distributable, and such layers "
                                  "are often left out of a layout"
                                : ""));
    }
    if (layer.size >= 0 && *size != layer.size) {
      return Error(ErrorCode::kCorruptInput, label + ": blob is " + std::to_string(*size) +
                                                 " bytes, the manifest says " +
                                                 std::to_string(layer.size));
    }
    return BlobPath(layer.digest);
  }

 private:
  FileTree& tree_;
};

class LayoutResolver {
 public:
  LayoutResolver(FileTree& tree, const ResolveOptions& options)
      : tree_(tree), store_(tree), resolver_(store_, options) {}

  Result<ResolvedImage> Resolve(const OciSelector& selector);

 private:
  Result<Index> ReadTopIndex();
  Result<std::pair<Descriptor, int>> FindByDigest(const Index& top, const Digest& digest);
  Result<Chosen> SelectUnnamed(const Index& top, std::vector<std::string>& names);

  FileTree& tree_;
  TreeDocumentStore store_;
  ImageResolver resolver_;
};

Result<Index> LayoutResolver::ReadTopIndex() {
  std::string label = tree_.path() + "/index.json";
  auto bytes = tree_.ReadFile("index.json", kMaxIndexBytes);
  if (!bytes.ok()) {
    if (bytes.error().code() != ErrorCode::kNotFound) return bytes.error();
    return Error(ErrorCode::kNotFound, tree_.path() + ": no index.json; not an OCI image layout");
  }
  // index.json is the root of trust of a layout: nothing names its digest.
  return ParseIndex(*bytes, label);
}

}  // namespace

Result<std::string> ImageResolver::ReadDocument(const Descriptor& descriptor, uint64_t limit,
                                                const std::string& label, bool config) {
  if (++documents_read_ > kMaxIndexEntries) {
    return Error(ErrorCode::kLimitExceeded, store_.where() + ": more than " +
                                                std::to_string(kMaxIndexEntries) +
                                                " manifests and indexes read for one image");
  }
  if (descriptor.size > 0 && static_cast<uint64_t>(descriptor.size) > limit) {
    return Error(ErrorCode::kLimitExceeded,
                 label + ": the descriptor says " + std::to_string(descriptor.size) +
                     " bytes, more than the limit of " + std::to_string(limit));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string bytes,
                           store_.ReadDocument(descriptor, config, limit, label));
  BULWARK_TRY(VerifyBlob(bytes, descriptor, label.substr(0, label.find(' '))));
  return bytes;
}

Result<DocumentKind> ImageResolver::KindOf(const Descriptor& descriptor, const std::string& bytes) {
  DocumentKind kind = KindOfMediaType(descriptor.media_type);
  if (kind != DocumentKind::kUnknown) return kind;
  // Some tools write a generic media type on the descriptor; the document's
  // own fields then decide.
  return SniffDocumentKind(bytes, KindLabel(descriptor));
}

Result<Chosen> ImageResolver::Choose(const std::vector<Descriptor>& candidates, int depth,
                                     const std::string& where) {
  if (depth > kMaxIndexDepth) {
    return Error(ErrorCode::kLimitExceeded, where + ": indexes nested deeper than " +
                                                std::to_string(kMaxIndexDepth) + " levels");
  }
  std::vector<Descriptor> images;
  for (const Descriptor& candidate : candidates) {
    if (!candidate.IsAttestation()) images.push_back(candidate);
  }
  if (images.empty()) {
    std::string what =
        candidates.empty() ? "lists no images" : "lists only attestation manifests, no image";
    return Error(ErrorCode::kNotFound, where + ": " + what);
  }

  BULWARK_ASSIGN_OR_RETURN(Descriptor pick, PickPlatform(images, where));
  std::string label = KindLabel(pick);
  BULWARK_ASSIGN_OR_RETURN(std::string bytes, ReadDocument(pick, kMaxIndexBytes, label));
  BULWARK_ASSIGN_OR_RETURN(DocumentKind kind, KindOf(pick, bytes));
  if (kind == DocumentKind::kManifest) return Chosen{std::move(pick), std::move(bytes)};

  std::string index_label = "index " + pick.digest.str();
  BULWARK_ASSIGN_OR_RETURN(Index index, ParseIndex(bytes, index_label));
  return Choose(index.manifests, depth + 1, index_label);
}

Result<Descriptor> ImageResolver::PickPlatform(const std::vector<Descriptor>& images,
                                               const std::string& where) {
  const Platform& want = options_.platform;
  // One image and no platform asked for: take it whatever it runs on.
  if (images.size() == 1 && (!options_.platform_given || !images[0].platform)) return images[0];

  const Descriptor* first_match = nullptr;
  for (const Descriptor& image : images) {
    if (!image.platform || !PlatformMatches(*image.platform, want)) continue;
    if (image.platform->variant == want.variant) return image;
    if (first_match == nullptr) first_match = &image;
  }
  if (first_match != nullptr) return *first_match;

  std::vector<std::string> present;
  bool all_without_platform = true;
  for (const Descriptor& image : images) {
    present.push_back(DescribePlatform(image));
    all_without_platform = all_without_platform && !image.platform;
  }
  if (all_without_platform) {
    std::vector<std::string> digests;
    for (const Descriptor& image : images) digests.push_back(image.digest.str());
    return Error(ErrorCode::kInvalidArgument,
                 where + ": " + std::to_string(images.size()) +
                     " images without platforms; name one by digest: " + JoinList(digests));
  }
  std::string hint = options_.platform_given ? "" : " (choose one with the platform option)";
  return Error(ErrorCode::kNotFound, where + ": no image for platform " + want.str() +
                                         "; platforms present: " + JoinList(present) + hint);
}

namespace {

Result<std::pair<Descriptor, int>> LayoutResolver::FindByDigest(const Index& top,
                                                                const Digest& digest) {
  std::deque<std::pair<Descriptor, int>> queue;
  for (const Descriptor& entry : top.manifests) queue.emplace_back(entry, 1);
  while (!queue.empty()) {
    auto [descriptor, depth] = std::move(queue.front());
    queue.pop_front();
    if (descriptor.digest == digest) return std::make_pair(descriptor, depth);
    if (KindOfMediaType(descriptor.media_type) == DocumentKind::kManifest ||
        depth >= kMaxIndexDepth) {
      continue;
    }
    std::string label = KindLabel(descriptor);
    BULWARK_ASSIGN_OR_RETURN(std::string bytes,
                             resolver_.ReadDocument(descriptor, kMaxIndexBytes, label));
    BULWARK_ASSIGN_OR_RETURN(DocumentKind kind, resolver_.KindOf(descriptor, bytes));
    if (kind != DocumentKind::kIndex) continue;
    BULWARK_ASSIGN_OR_RETURN(Index index, ParseIndex(bytes, "index " + descriptor.digest.str()));
    for (const Descriptor& child : index.manifests) queue.emplace_back(child, depth + 1);
  }
  return Error(ErrorCode::kNotFound,
               tree_.path() + ": no manifest or index " + digest.str() + " in the layout");
}

// No tag or digest given: the layout must hold one image, or one set of
// platform variants under a single name.
Result<Chosen> LayoutResolver::SelectUnnamed(const Index& top, std::vector<std::string>& names) {
  std::vector<Descriptor> images;
  std::set<std::string> tags;
  for (const Descriptor& entry : top.manifests) {
    if (entry.IsAttestation()) continue;
    images.push_back(entry);
    tags.insert(entry.RefName().empty() ? "(untagged " + entry.digest.Short() + ")"
                                        : entry.RefName());
  }
  if (tags.size() > 1) {
    return Error(ErrorCode::kInvalidArgument,
                 tree_.path() + ": holds " + std::to_string(tags.size()) +
                     " images; name one by tag: " +
                     JoinList(std::vector<std::string>(tags.begin(), tags.end())));
  }
  if (!images.empty()) names = EntryNames(images.front());
  return resolver_.Choose(images, 1, tree_.path() + "/index.json");
}

Result<ResolvedImage> LayoutResolver::Resolve(const OciSelector& selector) {
  BULWARK_ASSIGN_OR_RETURN(Index top, ReadTopIndex());

  std::vector<std::string> names;
  Result<Chosen> chosen = Error(ErrorCode::kInternal, "no selection made");
  if (selector.digest) {
    BULWARK_ASSIGN_OR_RETURN(auto found, FindByDigest(top, *selector.digest));
    chosen =
        resolver_.Choose({found.first}, found.second, tree_.path() + " " + selector.digest->str());
  } else if (!selector.tag.empty()) {
    std::vector<Descriptor> tagged;
    std::set<std::string> present;
    for (const Descriptor& entry : top.manifests) {
      if (EntryHasTag(entry, selector.tag)) tagged.push_back(entry);
      if (!entry.RefName().empty()) present.insert(entry.RefName());
    }
    if (tagged.empty()) {
      std::string listed = present.empty()
                               ? "it has no tagged images"
                               : "tags present: " + JoinList({present.begin(), present.end()});
      return Error(ErrorCode::kNotFound,
                   tree_.path() + ": no image tagged \"" + selector.tag + "\"; " + listed);
    }
    names = EntryNames(tagged.front());
    chosen = resolver_.Choose(tagged, 1, tree_.path() + " tag \"" + selector.tag + "\"");
  } else {
    chosen = SelectUnnamed(top, names);
  }
  if (!chosen.ok()) return chosen.error();

  BULWARK_ASSIGN_OR_RETURN(ResolvedImage image, resolver_.LoadImage(*chosen));
  image.names = std::move(names);
  return image;
}

}  // namespace

Result<ResolvedImage> ImageResolver::LoadImage(const Chosen& chosen) {
  std::string label = "manifest " + chosen.descriptor.digest.str();
  BULWARK_ASSIGN_OR_RETURN(Manifest manifest, ParseManifest(chosen.bytes, label));
  const std::string& config_type = manifest.config.media_type;
  if (config_type != media_type::kOciConfig && config_type != media_type::kDockerConfig) {
    return Error(ErrorCode::kUnsupported,
                 label + ": config media type \"" + config_type +
                     "\" is not a container image config (an OCI artifact, not an image)");
  }

  ResolvedImage image;
  image.image_id = manifest.config.digest;
  image.manifest_digest = chosen.descriptor.digest;
  std::string config_label = "config " + manifest.config.digest.str();
  BULWARK_ASSIGN_OR_RETURN(image.config_json,
                           ReadDocument(manifest.config, kMaxConfigBytes, config_label, true));
  BULWARK_ASSIGN_OR_RETURN(image.config, ParseImageConfig(image.config_json, config_label));
  if (image.config.diff_ids.size() != manifest.layers.size()) {
    return Error(ErrorCode::kCorruptInput,
                 label + ": lists " + std::to_string(manifest.layers.size()) + " layers, but " +
                     config_label + " has " + std::to_string(image.config.diff_ids.size()) +
                     " diff_ids");
  }

  for (size_t i = 0; i < manifest.layers.size(); ++i) {
    const Descriptor& layer = manifest.layers[i];
    std::string layer_label = label + ": layer " + std::to_string(i + 1) + " " + layer.digest.str();
    if (!IsSupportedLayerMediaType(layer.media_type)) {
      return Error(ErrorCode::kUnsupported,
                   layer_label + ": media type \"" + layer.media_type + "\" is not supported");
    }
    BULWARK_ASSIGN_OR_RETURN(std::string locator, store_.LocateLayer(layer, layer_label));
    image.layers.push_back(LayerLocation{std::move(locator), layer.digest, image.config.diff_ids[i],
                                         layer.size, layer.media_type});
  }

  if (options_.platform_given && !PlatformMatches(image.config.platform, options_.platform)) {
    return Error(ErrorCode::kNotFound, label + ": the image is for " + image.config.platform.str() +
                                           ", not " + options_.platform.str());
  }
  return image;
}

std::string BlobPath(const Digest& digest) { return "blobs/sha256/" + digest.hex(); }

bool PlatformMatches(const Platform& have, const Platform& want) {
  if (have.os != want.os || have.architecture != want.architecture) return false;
  if (want.variant.empty() || have.variant == want.variant) return true;
  bool arm64 = have.architecture == "arm64";
  auto normal = [&](const std::string& variant) {
    return arm64 && variant.empty() ? std::string("v8") : variant;
  };
  return normal(have.variant) == normal(want.variant);
}

bool IsSupportedLayerMediaType(std::string_view media_type) {
  static const std::set<std::string_view> kSupported = {
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.oci.image.layer.v1.tar+zstd",
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.diff.tar.zstd",
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  };
  return kSupported.count(media_type) != 0;
}

Result<ResolvedImage> ResolveBelow(DocumentStore& store, const Descriptor& top,
                                   const std::string& where, const ResolveOptions& options) {
  ImageResolver resolver(store, options);
  BULWARK_ASSIGN_OR_RETURN(Chosen chosen, resolver.Choose({top}, 1, where));
  return resolver.LoadImage(chosen);
}

Result<ResolvedImage> ResolveOciLayout(FileTree& tree, const OciSelector& selector,
                                       const ResolveOptions& options) {
  LayoutResolver resolver(tree, options);
  return resolver.Resolve(selector);
}

std::optional<Digest> FindManifestDigest(FileTree& tree, const Digest& config_digest,
                                         const std::vector<Digest>& layer_digests) {
  auto top_bytes = tree.ReadFile("index.json", kMaxIndexBytes);
  if (!top_bytes.ok()) return std::nullopt;
  auto top = ParseIndex(*top_bytes, "index.json");
  if (!top.ok()) return std::nullopt;

  // The top level and, for multi-platform entries, one level below.
  std::vector<Descriptor> candidates = top->manifests;
  std::set<Digest> found;
  for (size_t i = 0; i < candidates.size() && i < kMaxIndexEntries; ++i) {
    const Descriptor descriptor = candidates[i];
    DocumentKind kind = KindOfMediaType(descriptor.media_type);
    if (kind == DocumentKind::kUnknown || descriptor.IsAttestation()) continue;
    auto bytes = tree.ReadFile(BlobPath(descriptor.digest), kMaxIndexBytes);
    if (!bytes.ok() || !VerifyBlob(*bytes, descriptor, "document").ok()) continue;
    if (kind == DocumentKind::kIndex) {
      auto index = ParseIndex(*bytes, "index");
      bool top_level = i < top->manifests.size();
      if (index.ok() && top_level) {
        candidates.insert(candidates.end(), index->manifests.begin(), index->manifests.end());
      }
      continue;
    }
    auto manifest = ParseManifest(*bytes, "manifest");
    if (!manifest.ok() || manifest->config.digest != config_digest) continue;
    std::vector<Digest> layers;
    for (const Descriptor& layer : manifest->layers) layers.push_back(layer.digest);
    if (layers == layer_digests) found.insert(descriptor.digest);
  }
  if (found.size() != 1) return std::nullopt;
  return *found.begin();
}

}  // namespace bulwark::image::internal
