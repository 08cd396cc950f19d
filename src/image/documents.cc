#include "image/documents.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

namespace bulwark::image {
namespace {

using Json = nlohmann::json;

Error Corrupt(std::string_view name, std::string_view what) {
  return Error(ErrorCode::kCorruptInput, std::string(name) + ": " + std::string(what));
}

// Go's encoding/json, which Docker and containerd decode image documents
// with, matches object keys to struct fields ignoring case, and the last of
// two matching keys wins. Keys are folded here the way it folds them for
// ASCII field names: ASCII letters to lower case, and the two non-ASCII
// letters whose Unicode case folding reaches ASCII, the Kelvin sign
// (U+212A, folds to 'k') and the long s (U+017F, folds to 's').
// See https://pkg.go.dev/encoding/json#Unmarshal.
std::string FoldKey(std::string_view key) {
  static constexpr std::string_view kKelvinSign = "\xE2\x84\xAA";
  static constexpr std::string_view kLongS = "\xC5\xBF";
  std::string folded;
  folded.reserve(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (key.substr(i, kKelvinSign.size()) == kKelvinSign) {
      folded.push_back('k');
      i += kKelvinSign.size() - 1;
    } else if (key.substr(i, kLongS.size()) == kLongS) {
      folded.push_back('s');
      i += kLongS.size() - 1;
    } else {
      folded.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  return folded;
}

// Fields that Go decodes as map[string]...: their keys are compared exactly,
// so "Foo" and "foo" are two labels, not one field spelled twice. Given folded.
bool IsMapField(std::string_view folded_key) {
  static constexpr std::string_view kMapFields[] = {"labels", "annotations", "exposedports",
                                                    "volumes", "layersources"};
  for (std::string_view field : kMapFields) {
    if (field == folded_key) return true;
  }
  return false;
}

// One open array or object while parsing, for the key checks of ParseJson.
struct JsonFrame {
  enum class Kind { kArray, kStruct, kMap } kind;
  std::map<std::string, std::string> keys;  // Compared form (folded for kStruct) -> as written.
  std::string last_key;                     // Folded, to classify an object value.
};

// Checks one key of the innermost object; returns a problem, or "" when the
// key is new. Objects Go decodes as structs refuse keys equal after folding.
std::string CheckKey(JsonFrame& frame, const std::string& key) {
  std::string folded = FoldKey(key);
  frame.last_key = folded;
  bool exact = frame.kind == JsonFrame::Kind::kMap;
  auto [it, inserted] = frame.keys.try_emplace(exact ? key : folded, key);
  if (inserted) return "";
  if (it->second == key) return "duplicate key " + (key.empty() ? std::string("\"\"") : key);
  return "keys \"" + it->second + "\" and \"" + key +
         "\" differ only in case, and Docker and containerd read them as one field";
}

// Whether an object opening inside `parent` is decoded by Go as a map.
bool OpensMap(const std::vector<JsonFrame>& frames) {
  if (frames.empty()) return false;
  const JsonFrame& parent = frames.back();
  return parent.kind == JsonFrame::Kind::kStruct && IsMapField(parent.last_key);
}

// Parses JSON, refusing duplicate keys (two readers could disagree on which
// one counts), keys that Go would take for the same struct field (see
// FoldKey), and nesting deeper than kMaxJsonNesting. Every object is taken
// for a struct except the values of the fields in IsMapField; the values
// inside such a map are structs again. The parser of nlohmann-json is
// iterative; discarding deep values keeps the tree shallow too.
Result<Json> ParseJson(std::string_view text, std::string_view name) {
  bool too_deep = false;
  std::string key_problem;
  std::vector<JsonFrame> frames;
  auto callback = [&](int depth, Json::parse_event_t event, Json& parsed) -> bool {
    if (too_deep || !key_problem.empty()) return false;
    switch (event) {
      case Json::parse_event_t::object_start:
      case Json::parse_event_t::array_start: {
        if (depth >= kMaxJsonNesting) {
          too_deep = true;
          return false;
        }
        JsonFrame::Kind kind = JsonFrame::Kind::kArray;
        if (event == Json::parse_event_t::object_start) {
          kind = OpensMap(frames) ? JsonFrame::Kind::kMap : JsonFrame::Kind::kStruct;
        }
        frames.push_back(JsonFrame{kind, {}, ""});
        return true;
      }
      case Json::parse_event_t::key:
        if (frames.empty()) return false;
        key_problem = CheckKey(frames.back(), parsed.get<std::string>());
        return key_problem.empty();
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!frames.empty()) frames.pop_back();
        return true;
      default:
        return true;
    }
  };

  Json document;
  try {
    document = Json::parse(text.begin(), text.end(), callback, /*allow_exceptions=*/true);
  } catch (const Json::exception& error) {
    return Corrupt(name, std::string("malformed JSON: ") + error.what());
  }

  if (too_deep) {
    return Error(ErrorCode::kLimitExceeded, std::string(name) + ": JSON nested deeper than " +
                                                std::to_string(kMaxJsonNesting) + " levels");
  }
  if (!key_problem.empty()) return Corrupt(name, key_problem);
  if (document.is_discarded()) return Corrupt(name, "malformed JSON");
  return document;
}

// Finds a struct field as Go does: any spelling that folds to `key`. ParseJson
// has made sure at most one member of a struct object matches.
Json::const_iterator FindField(const Json& object, std::string_view key) {
  auto exact = object.find(std::string(key));
  if (exact != object.end()) return exact;
  std::string folded = FoldKey(key);
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (FoldKey(it.key()) == folded) return it;
  }
  return object.end();
}

bool HasField(const Json& object, std::string_view key) {
  return FindField(object, key) != object.end();
}

// Typed accessors: absent or null yields the default; a wrong type is an error.
Result<std::string> GetString(const Json& object, const char* key, std::string_view name) {
  auto it = FindField(object, key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Corrupt(name, std::string("field ") + key + " is not a string");
  return it->get<std::string>();
}

Result<std::vector<std::string>> GetStrings(const Json& object, const char* key,
                                            std::string_view name) {
  std::vector<std::string> values;
  auto it = FindField(object, key);
  if (it == object.end() || it->is_null()) return values;
  if (!it->is_array()) return Corrupt(name, std::string("field ") + key + " is not an array");
  for (const Json& item : *it) {
    if (!item.is_string()) {
      return Corrupt(name, std::string("field ") + key + " holds a value that is not a string");
    }
    values.push_back(item.get<std::string>());
  }
  return values;
}

Result<std::map<std::string, std::string>> GetStringMap(const Json& object, const char* key,
                                                        std::string_view name) {
  std::map<std::string, std::string> values;
  auto it = FindField(object, key);
  if (it == object.end() || it->is_null()) return values;
  if (!it->is_object()) return Corrupt(name, std::string("field ") + key + " is not an object");
  for (auto& [entry_key, entry_value] : it->items()) {
    if (!entry_value.is_string()) {
      return Corrupt(name, std::string("field ") + key + "." + entry_key + " is not a string");
    }
    values[entry_key] = entry_value.get<std::string>();
  }
  return values;
}

Result<const Json*> GetObject(const Json& object, const char* key, std::string_view name,
                              bool required) {
  auto it = FindField(object, key);
  if (it == object.end() || it->is_null()) {
    if (required) return Corrupt(name, std::string("no ") + key + " object");
    return static_cast<const Json*>(nullptr);
  }
  if (!it->is_object()) return Corrupt(name, std::string("field ") + key + " is not an object");
  return &*it;
}

Result<Digest> ParseDigestField(const Json& value, std::string_view name, std::string_view field) {
  if (!value.is_string()) return Corrupt(name, std::string(field) + " is not a string");
  auto digest = Digest::Parse(value.get<std::string>());
  if (!digest.ok()) {
    ErrorCode code = digest.error().code() == ErrorCode::kUnsupported ? ErrorCode::kUnsupported
                                                                      : ErrorCode::kCorruptInput;
    return Error(code,
                 std::string(name) + ": " + std::string(field) + ": " + digest.error().message());
  }
  return *digest;
}

Result<Platform> ParsePlatform(const Json& value, std::string_view name) {
  if (!value.is_object()) return Corrupt(name, "platform is not an object");
  Platform platform;
  BULWARK_ASSIGN_OR_RETURN(platform.os, GetString(value, "os", name));
  BULWARK_ASSIGN_OR_RETURN(platform.architecture, GetString(value, "architecture", name));
  BULWARK_ASSIGN_OR_RETURN(platform.variant, GetString(value, "variant", name));
  return platform;
}

Result<Descriptor> ParseDescriptor(const Json& value, std::string_view name, bool size_required) {
  if (!value.is_object()) return Corrupt(name, "descriptor is not an object");
  Descriptor descriptor;
  BULWARK_ASSIGN_OR_RETURN(descriptor.media_type, GetString(value, "mediaType", name));

  auto digest = FindField(value, "digest");
  if (digest == value.end()) return Corrupt(name, "descriptor without a digest");
  BULWARK_ASSIGN_OR_RETURN(descriptor.digest, ParseDigestField(*digest, name, "digest"));

  auto size = FindField(value, "size");
  if (size != value.end() && !size->is_null()) {
    bool fits = size->is_number_unsigned()
                    ? size->get<uint64_t>() <= uint64_t{std::numeric_limits<int64_t>::max()}
                    : size->is_number_integer() && size->get<int64_t>() >= 0;
    if (!fits) return Corrupt(name, "descriptor " + descriptor.digest.str() + ": bad size");
    descriptor.size = size->get<int64_t>();
  } else if (size_required) {
    return Corrupt(name, "descriptor " + descriptor.digest.str() + " has no size");
  }

  auto platform = FindField(value, "platform");
  if (platform != value.end() && !platform->is_null()) {
    BULWARK_ASSIGN_OR_RETURN(descriptor.platform, ParsePlatform(*platform, name));
  }
  BULWARK_ASSIGN_OR_RETURN(descriptor.annotations, GetStringMap(value, "annotations", name));
  return descriptor;
}

Status CheckSchemaVersion(const Json& document, std::string_view name) {
  auto version = FindField(document, "schemaVersion");
  if (version == document.end()) return Corrupt(name, "no schemaVersion");
  if (!version->is_number_integer() || version->get<int64_t>() != 2) {
    return Error(ErrorCode::kUnsupported,
                 std::string(name) + ": schemaVersion " + version->dump() +
                     " is not supported (Docker schema 1 images must be converted first)");
  }
  return Ok();
}

Result<Json> ParseObjectDocument(std::string_view json, std::string_view name, uint64_t limit) {
  if (json.size() > limit) {
    return Error(ErrorCode::kLimitExceeded, std::string(name) + ": " + std::to_string(json.size()) +
                                                " bytes, more than the limit of " +
                                                std::to_string(limit));
  }
  BULWARK_ASSIGN_OR_RETURN(Json document, ParseJson(json, name));
  if (!document.is_object()) return Corrupt(name, "not a JSON object");
  return document;
}

Result<std::vector<HistoryEntry>> ParseHistory(const Json& config, std::string_view name) {
  std::vector<HistoryEntry> history;
  auto it = FindField(config, "history");
  if (it == config.end() || it->is_null()) return history;
  if (!it->is_array()) return Corrupt(name, "history is not an array");
  for (const Json& item : *it) {
    if (!item.is_object()) return Corrupt(name, "history entry is not an object");
    HistoryEntry entry;
    BULWARK_ASSIGN_OR_RETURN(entry.created, GetString(item, "created", name));
    BULWARK_ASSIGN_OR_RETURN(entry.created_by, GetString(item, "created_by", name));
    BULWARK_ASSIGN_OR_RETURN(entry.comment, GetString(item, "comment", name));
    auto empty = FindField(item, "empty_layer");
    if (empty != item.end() && !empty->is_null()) {
      if (!empty->is_boolean()) return Corrupt(name, "history empty_layer is not a boolean");
      entry.empty_layer = empty->get<bool>();
    }
    history.push_back(std::move(entry));
  }
  return history;
}

Result<std::vector<Digest>> ParseDiffIds(const Json& config, std::string_view name) {
  BULWARK_ASSIGN_OR_RETURN(const Json* rootfs, GetObject(config, "rootfs", name, true));
  BULWARK_ASSIGN_OR_RETURN(std::string type, GetString(*rootfs, "type", name));
  if (type != "layers") return Corrupt(name, "rootfs.type is \"" + type + "\", not \"layers\"");

  std::vector<Digest> diff_ids;
  auto it = FindField(*rootfs, "diff_ids");
  if (it == rootfs->end() || it->is_null()) return diff_ids;
  if (!it->is_array()) return Corrupt(name, "rootfs.diff_ids is not an array");
  if (it->size() > kMaxLayers) {
    return Error(ErrorCode::kLimitExceeded,
                 std::string(name) + ": more than " + std::to_string(kMaxLayers) + " diff_ids");
  }
  for (const Json& item : *it) {
    BULWARK_ASSIGN_OR_RETURN(Digest diff_id, ParseDigestField(item, name, "rootfs.diff_ids"));
    diff_ids.push_back(std::move(diff_id));
  }
  return diff_ids;
}

Status ParseRunConfig(const Json& document, std::string_view name, ImageConfig& config) {
  BULWARK_ASSIGN_OR_RETURN(const Json* run, GetObject(document, "config", name, false));
  if (run == nullptr) return Ok();
  BULWARK_ASSIGN_OR_RETURN(config.user, GetString(*run, "User", name));
  BULWARK_ASSIGN_OR_RETURN(config.working_dir, GetString(*run, "WorkingDir", name));
  BULWARK_ASSIGN_OR_RETURN(config.env, GetStrings(*run, "Env", name));
  BULWARK_ASSIGN_OR_RETURN(config.entrypoint, GetStrings(*run, "Entrypoint", name));
  BULWARK_ASSIGN_OR_RETURN(config.cmd, GetStrings(*run, "Cmd", name));
  BULWARK_ASSIGN_OR_RETURN(config.labels, GetStringMap(*run, "Labels", name));
  return Ok();
}

// The body of each public parser, which may throw only through a bug in the
// accessors above; the public wrappers turn any exception into an Error.
template <typename Fn>
auto Guard(std::string_view name, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& error) {
    return Corrupt(name, std::string("unexpected document shape: ") + error.what());
  }
}

}  // namespace

std::string Descriptor::RefName() const {
  auto it = annotations.find(std::string(kRefNameAnnotation));
  return it == annotations.end() ? "" : it->second;
}

bool Descriptor::IsAttestation() const {
  auto type = annotations.find(std::string(kDockerReferenceType));
  if (type != annotations.end() && type->second == "attestation-manifest") return true;
  return platform.has_value() && platform->os == "unknown" && platform->architecture == "unknown";
}

DocumentKind KindOfMediaType(std::string_view media_type) {
  if (media_type == media_type::kOciManifest || media_type == media_type::kDockerManifest) {
    return DocumentKind::kManifest;
  }
  if (media_type == media_type::kOciIndex || media_type == media_type::kDockerManifestList) {
    return DocumentKind::kIndex;
  }
  return DocumentKind::kUnknown;
}

Result<Manifest> ParseManifest(std::string_view json, std::string_view name) {
  return Guard(name, [&]() -> Result<Manifest> {
    BULWARK_ASSIGN_OR_RETURN(Json document, ParseObjectDocument(json, name, kMaxManifestBytes));
    BULWARK_TRY(CheckSchemaVersion(document, name));

    Manifest manifest;
    BULWARK_ASSIGN_OR_RETURN(manifest.media_type, GetString(document, "mediaType", name));
    if (!manifest.media_type.empty() &&
        KindOfMediaType(manifest.media_type) != DocumentKind::kManifest) {
      return Corrupt(name, "media type " + manifest.media_type + " is not an image manifest");
    }
    if (HasField(document, "manifests")) return Corrupt(name, "an index, not an image manifest");

    BULWARK_ASSIGN_OR_RETURN(const Json* config, GetObject(document, "config", name, true));
    BULWARK_ASSIGN_OR_RETURN(manifest.config, ParseDescriptor(*config, name, true));

    auto layers = FindField(document, "layers");
    if (layers == document.end() || !layers->is_array()) {
      return Corrupt(name, "no layers array");
    }
    if (layers->size() > kMaxLayers) {
      return Error(ErrorCode::kLimitExceeded,
                   std::string(name) + ": more than " + std::to_string(kMaxLayers) + " layers");
    }
    for (const Json& layer : *layers) {
      BULWARK_ASSIGN_OR_RETURN(Descriptor descriptor, ParseDescriptor(layer, name, true));
      manifest.layers.push_back(std::move(descriptor));
    }
    return manifest;
  });
}

Result<Index> ParseIndex(std::string_view json, std::string_view name) {
  return Guard(name, [&]() -> Result<Index> {
    BULWARK_ASSIGN_OR_RETURN(Json document, ParseObjectDocument(json, name, kMaxIndexBytes));
    BULWARK_TRY(CheckSchemaVersion(document, name));

    Index index;
    BULWARK_ASSIGN_OR_RETURN(index.media_type, GetString(document, "mediaType", name));
    if (!index.media_type.empty() && KindOfMediaType(index.media_type) != DocumentKind::kIndex) {
      return Corrupt(name, "media type " + index.media_type + " is not an image index");
    }

    auto manifests = FindField(document, "manifests");
    if (manifests == document.end()) return Corrupt(name, "no manifests array");
    if (manifests->is_null()) return index;  // Docker 25+ writes null for an empty list.
    if (!manifests->is_array()) return Corrupt(name, "manifests is not an array");
    if (manifests->size() > kMaxIndexEntries) {
      return Error(ErrorCode::kLimitExceeded, std::string(name) + ": more than " +
                                                  std::to_string(kMaxIndexEntries) + " entries");
    }
    for (const Json& entry : *manifests) {
      BULWARK_ASSIGN_OR_RETURN(Descriptor descriptor, ParseDescriptor(entry, name, true));
      index.manifests.push_back(std::move(descriptor));
    }
    return index;
  });
}

Result<ImageConfig> ParseImageConfig(std::string_view json, std::string_view name) {
  return Guard(name, [&]() -> Result<ImageConfig> {
    BULWARK_ASSIGN_OR_RETURN(Json document, ParseObjectDocument(json, name, kMaxConfigBytes));

    ImageConfig config;
    BULWARK_ASSIGN_OR_RETURN(config.platform.os, GetString(document, "os", name));
    BULWARK_ASSIGN_OR_RETURN(config.platform.architecture,
                             GetString(document, "architecture", name));
    BULWARK_ASSIGN_OR_RETURN(config.platform.variant, GetString(document, "variant", name));
    BULWARK_ASSIGN_OR_RETURN(config.created, GetString(document, "created", name));
    BULWARK_TRY(ParseRunConfig(document, name, config));
    BULWARK_ASSIGN_OR_RETURN(config.diff_ids, ParseDiffIds(document, name));
    BULWARK_ASSIGN_OR_RETURN(config.history, ParseHistory(document, name));
    return config;
  });
}

Result<std::vector<DockerArchiveEntry>> ParseDockerArchiveManifest(std::string_view json,
                                                                   std::string_view name) {
  return Guard(name, [&]() -> Result<std::vector<DockerArchiveEntry>> {
    if (json.size() > kMaxManifestBytes) {
      return Error(ErrorCode::kLimitExceeded,
                   std::string(name) + ": larger than " + std::to_string(kMaxManifestBytes));
    }
    BULWARK_ASSIGN_OR_RETURN(Json document, ParseJson(json, name));
    if (document.is_null()) return Corrupt(name, "null, not a list of images");
    if (!document.is_array()) return Corrupt(name, "not a JSON array of images");
    if (document.size() > kMaxIndexEntries) {
      return Error(ErrorCode::kLimitExceeded, std::string(name) + ": more than " +
                                                  std::to_string(kMaxIndexEntries) + " images");
    }

    std::vector<DockerArchiveEntry> entries;
    for (const Json& item : document) {
      if (!item.is_object()) return Corrupt(name, "an image entry is not an object");
      DockerArchiveEntry entry;
      BULWARK_ASSIGN_OR_RETURN(entry.config, GetString(item, "Config", name));
      if (entry.config.empty()) return Corrupt(name, "an image entry has no Config");
      BULWARK_ASSIGN_OR_RETURN(entry.repo_tags, GetStrings(item, "RepoTags", name));
      BULWARK_ASSIGN_OR_RETURN(entry.layers, GetStrings(item, "Layers", name));
      if (entry.layers.size() > kMaxLayers) {
        return Error(ErrorCode::kLimitExceeded,
                     std::string(name) + ": more than " + std::to_string(kMaxLayers) + " layers");
      }
      BULWARK_ASSIGN_OR_RETURN(const Json* sources, GetObject(item, "LayerSources", name, false));
      if (sources != nullptr) {
        for (auto& [diff_id_text, source] : sources->items()) {
          BULWARK_ASSIGN_OR_RETURN(Digest diff_id,
                                   ParseDigestField(Json(diff_id_text), name, "LayerSources key"));
          BULWARK_ASSIGN_OR_RETURN(entry.layer_sources[diff_id],
                                   ParseDescriptor(source, name, false));
        }
      }
      entries.push_back(std::move(entry));
    }
    return entries;
  });
}

Result<DocumentKind> SniffDocumentKind(std::string_view json, std::string_view name) {
  return Guard(name, [&]() -> Result<DocumentKind> {
    BULWARK_ASSIGN_OR_RETURN(Json document, ParseObjectDocument(json, name, kMaxIndexBytes));
    BULWARK_ASSIGN_OR_RETURN(std::string media_type, GetString(document, "mediaType", name));
    DocumentKind kind = KindOfMediaType(media_type);
    if (kind != DocumentKind::kUnknown) return kind;
    if (!media_type.empty()) {
      return Error(ErrorCode::kUnsupported,
                   std::string(name) + ": media type " + media_type + " is not an image");
    }
    if (HasField(document, "manifests")) return DocumentKind::kIndex;
    if (HasField(document, "config") || HasField(document, "layers")) {
      return DocumentKind::kManifest;
    }
    return Corrupt(name, "neither an image manifest nor an index");
  });
}

Status VerifyBlob(std::string_view bytes, const Descriptor& descriptor, std::string_view what) {
  std::string label = std::string(what) + " " + descriptor.digest.str();
  if (descriptor.size >= 0 && static_cast<uint64_t>(descriptor.size) != bytes.size()) {
    return Corrupt(label, "size is " + std::to_string(bytes.size()) +
                              " bytes, the descriptor says " + std::to_string(descriptor.size));
  }
  Digest actual = Sha256Of(bytes);
  if (actual != descriptor.digest) {
    return Corrupt(label,
                   "content hashes to " + actual.str() + ", expected " + descriptor.digest.str());
  }
  return Ok();
}

}  // namespace bulwark::image
