#include "image/docker_archive.h"

#include <set>
#include <utility>
#include <vector>

#include "image/documents.h"
#include "image/oci_layout.h"
#include "image/reference.h"

namespace bulwark::image::internal {
namespace {

bool IsLowerHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !text.empty();
}

std::string BaseName(const std::string& name) {
  size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

// The digest a member name carries: "blobs/sha256/<hex>" (Docker 25+) or, for
// a legacy config, "<hex>.json" (docker save) or "sha256:<hex>" (written by
// some other tools). nullopt for any other name.
std::optional<Digest> DigestFromMemberName(const std::string& name) {
  auto normal = NormaliseName(name);
  if (!normal) return std::nullopt;
  std::string hex;
  if (normal->starts_with("blobs/sha256/") && normal->find('/', 13) == std::string::npos) {
    hex = normal->substr(13);
  } else if (normal->find('/') == std::string::npos && normal->ends_with(".json")) {
    hex = normal->substr(0, normal->size() - 5);
  } else if (normal->starts_with("sha256:") && normal->find('/') == std::string::npos) {
    hex = normal->substr(7);
  }
  auto digest = Digest::FromHex(hex);
  if (!digest.ok()) return std::nullopt;
  return *digest;
}

std::string DescribeEntry(const DockerArchiveEntry& entry, size_t position) {
  std::string text;
  for (const std::string& tag : entry.repo_tags) text += (text.empty() ? "" : " ") + tag;
  auto id = DigestFromMemberName(entry.config);
  std::string id_text = id ? id->Short() : BaseName(entry.config);
  if (text.empty()) return "@" + std::to_string(position) + " (untagged, id " + id_text + ")";
  return text + " (@" + std::to_string(position) + ", id " + id_text + ")";
}

std::string DescribeAll(const std::vector<DockerArchiveEntry>& entries) {
  std::string text;
  for (size_t i = 0; i < entries.size() && i < 20; ++i) {
    text += (i > 0 ? "; " : "") + DescribeEntry(entries[i], i);
  }
  if (entries.size() > 20) text += "; and " + std::to_string(entries.size() - 20) + " more";
  return text;
}

bool TagMatches(const std::string& repo_tag, const Reference& wanted) {
  auto have = Reference::Parse(repo_tag);
  return have.ok() && have->NameAndTag() == wanted.NameAndTag();
}

// Picks the manifest.json entry `ref` names; see ResolveDockerArchive.
Result<size_t> SelectEntry(const std::vector<DockerArchiveEntry>& entries, const std::string& ref,
                           const std::string& where) {
  if (ref.empty()) {
    if (entries.size() == 1) return size_t{0};
    return Error(ErrorCode::kInvalidArgument,
                 where + ": holds " + std::to_string(entries.size()) +
                     " images; name one by tag, image id or @N: " + DescribeAll(entries));
  }
  if (ref.size() > 1 && ref[0] == '@' && ref.find_first_not_of("0123456789", 1) == ref.npos &&
      ref.size() < 8) {
    size_t position = std::stoul(ref.substr(1));
    if (position < entries.size()) return position;
  }

  std::set<size_t> matches;
  auto wanted = Reference::Parse(ref);
  std::string id_prefix = ref.starts_with("sha256:") ? ref.substr(7) : ref;
  bool maybe_id = IsLowerHex(id_prefix) && id_prefix.size() <= 64;
  for (size_t i = 0; i < entries.size(); ++i) {
    for (const std::string& tag : entries[i].repo_tags) {
      if (wanted.ok() && TagMatches(tag, *wanted)) matches.insert(i);
    }
    auto id = DigestFromMemberName(entries[i].config);
    if (maybe_id && id && id->hex().starts_with(id_prefix)) matches.insert(i);
  }

  if (matches.size() == 1) return *matches.begin();
  if (matches.empty()) {
    return Error(ErrorCode::kNotFound,
                 where + ": no image \"" + ref + "\"; images present: " + DescribeAll(entries));
  }
  return Error(ErrorCode::kInvalidArgument,
               where + ": \"" + ref + "\" matches " + std::to_string(matches.size()) +
                   " images; use a longer id or @N: " + DescribeAll(entries));
}

Error ReportMissingManifest(TarArchive& archive) {
  const std::string& path = archive.path();
  if (archive.Contains("index.json")) {
    return Error(ErrorCode::kCorruptInput,
                 path +
                     ": no manifest.json but an index.json; this is an OCI archive, open it "
                     "as oci-archive:" +
                     path);
  }
  if (archive.Contains("repositories")) {
    // LIMITATION(#2): archives from Docker before 1.10 (only `repositories`
    // and per-layer `json` files, no manifest.json) are refused with this error.
    return Error(ErrorCode::kUnsupported,
                 path +
                     ": a docker-archive without manifest.json (Docker before 1.10); "
                     "save the image again with a current Docker");
  }
  return Error(ErrorCode::kCorruptInput, path + ": no manifest.json; not a docker-archive");
}

Result<LayerLocation> LocateLayer(TarArchive& archive, const DockerArchiveEntry& entry,
                                  size_t position, const Digest& diff_id) {
  const std::string& member = entry.layers[position];
  std::string label = archive.path() + ": layer " + std::to_string(position + 1) + " (" + member + ")";
  auto resolved = archive.Resolve(member);
  if (!resolved.ok()) return resolved.error().Wrap(label);
  BULWARK_ASSIGN_OR_RETURN(int64_t size, archive.FileSize(*resolved));

  LayerLocation layer;
  layer.locator = *resolved;
  layer.diff_id = diff_id;
  layer.size = size;
  // Only a blobs/sha256/<hex> name states the blob's digest. LayerSources is
  // used only where it agrees with that name: in legacy archives it may
  // describe a distribution blob other than the bytes stored here.
  if (resolved->starts_with("blobs/sha256/")) layer.blob_digest = DigestFromMemberName(*resolved);
  auto source = entry.layer_sources.find(diff_id);
  if (layer.blob_digest && source != entry.layer_sources.end() &&
      source->second.digest == *layer.blob_digest) {
    if (source->second.size >= 0 && source->second.size != size) {
      return Error(ErrorCode::kCorruptInput,
                   label + ": blob " + layer.blob_digest->str() + " is " + std::to_string(size) +
                       " bytes, LayerSources says " + std::to_string(source->second.size));
    }
    layer.media_type = source->second.media_type;
  }
  return layer;
}

}  // namespace

Result<ResolvedImage> ResolveDockerArchive(TarArchive& archive, const std::string& ref,
                                           const ResolveOptions& options) {
  if (!archive.Contains("manifest.json")) return ReportMissingManifest(archive);
  std::string manifest_label = archive.path() + "/manifest.json";
  BULWARK_ASSIGN_OR_RETURN(std::string manifest_json,
                           archive.ReadFile("manifest.json", kMaxManifestBytes));
  BULWARK_ASSIGN_OR_RETURN(auto entries, ParseDockerArchiveManifest(manifest_json, manifest_label));
  if (entries.empty()) return Error(ErrorCode::kNotFound, manifest_label + ": lists no images");
  BULWARK_ASSIGN_OR_RETURN(size_t position, SelectEntry(entries, ref, archive.path()));
  const DockerArchiveEntry& entry = entries[position];

  // The config is named by its digest; nothing else vouches for it.
  auto config_digest = DigestFromMemberName(entry.config);
  if (!config_digest) {
    return Error(ErrorCode::kCorruptInput,
                 manifest_label + ": config name \"" + entry.config +
                     "\" carries no sha256 digest, so the config cannot be verified");
  }
  ResolvedImage image;
  image.image_id = *config_digest;
  std::string config_label = "config " + config_digest->str() + " (" + entry.config + ")";
  auto config_json = archive.ReadFile(entry.config, kMaxConfigBytes);
  if (!config_json.ok()) return config_json.error().Wrap(config_label);
  image.config_json = std::move(config_json).value();
  Descriptor config_descriptor;
  config_descriptor.digest = *config_digest;
  BULWARK_TRY(VerifyBlob(image.config_json, config_descriptor, "config"));
  BULWARK_ASSIGN_OR_RETURN(image.config, ParseImageConfig(image.config_json, config_label));

  if (image.config.diff_ids.size() != entry.layers.size()) {
    return Error(ErrorCode::kCorruptInput,
                 manifest_label + ": image @" + std::to_string(position) + " lists " +
                     std::to_string(entry.layers.size()) + " layers, but " + config_label +
                     " has " + std::to_string(image.config.diff_ids.size()) + " diff_ids");
  }
  bool all_blobs_named = true;
  std::vector<Digest> blob_digests;
  for (size_t i = 0; i < entry.layers.size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(LayerLocation layer,
                             LocateLayer(archive, entry, i, image.config.diff_ids[i]));
    if (layer.blob_digest) blob_digests.push_back(*layer.blob_digest);
    all_blobs_named = all_blobs_named && layer.blob_digest.has_value();
    image.layers.push_back(std::move(layer));
  }

  if (options.platform_given && !PlatformMatches(image.config.platform, options.platform)) {
    return Error(ErrorCode::kNotFound, archive.path() + ": the image is for " +
                                           image.config.platform.str() + ", not " +
                                           options.platform.str());
  }
  if (all_blobs_named && archive.Contains("index.json")) {
    image.manifest_digest = FindManifestDigest(archive, *config_digest, blob_digests);
  }
  image.names = entry.repo_tags;
  return image;
}

}  // namespace bulwark::image::internal
