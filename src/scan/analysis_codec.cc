#include "scan/analysis_codec.h"

#include <nlohmann/json.hpp>

#include "image/documents.h"
#include "scan/inventory_codec.h"

namespace bulwark::scan {
namespace {

using nlohmann::json;

constexpr int kAnalysisSchemaVersion = 1;

Error Invalid(const std::string& what) {
  return Error(ErrorCode::kInvalidArgument, "analysis: " + what);
}

// Parses `text`, refusing nesting deeper than kMaxAnalysisNesting before any
// deep value is built. Returns a discarded value on malformed JSON.
Result<json> ParseBounded(std::string_view text) {
  bool too_deep = false;
  auto callback = [&](int depth, json::parse_event_t event, json&) {
    bool opens =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (opens && depth >= kMaxAnalysisNesting) too_deep = true;
    return !too_deep;
  };
  json document = json::parse(text, callback, /*allow_exceptions=*/false);
  if (too_deep) {
    return Error(ErrorCode::kLimitExceeded, "analysis: JSON nested deeper than " +
                                                std::to_string(kMaxAnalysisNesting) + " levels");
  }
  if (document.is_discarded() || !document.is_object()) return Invalid("not a JSON object");
  return document;
}

Result<Digest> DigestField(const json& object, const char* key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) {
    return Invalid(std::string(key) + ": missing or not a string");
  }
  auto digest = Digest::Parse(found->get<std::string>());
  if (!digest.ok()) return Invalid(std::string(key) + ": " + digest.error().message());
  return digest;
}

Result<std::vector<LayerSummary>> DecodeLayers(const json& layers) {
  if (!layers.is_array()) return Invalid("layers: not an array");
  if (layers.size() > image::kMaxLayers) {
    return Error(ErrorCode::kLimitExceeded,
                 "analysis: more than " + std::to_string(image::kMaxLayers) + " layers");
  }
  std::vector<LayerSummary> summaries;
  for (const json& layer : layers) {
    if (!layer.is_object()) return Invalid("layers: an entry is not an object");
    LayerSummary summary;
    BULWARK_ASSIGN_OR_RETURN(summary.diff_id, DigestField(layer, "diffId"));
    BULWARK_ASSIGN_OR_RETURN(summary.blob_digest, DigestField(layer, "blobDigest"));
    summary.blob_size = layer.value("blobSize", uint64_t{0});
    summary.uncompressed_size = layer.value("uncompressedSize", uint64_t{0});
    summary.compression = layer.value("compression", std::string("none"));
    summary.from_cache = layer.value("fromCache", false);
    summary.created_by = layer.value("createdBy", std::string());
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

// The body of DecodeAnalysis; nlohmann's typed getters throw on wrong types.
Result<Analysis> DecodeDocument(const json& document) {
  if (document.value("schemaVersion", 0) != kAnalysisSchemaVersion) {
    return Invalid("schemaVersion: this server reads version " +
                   std::to_string(kAnalysisSchemaVersion) + "; use a matching bulwark client");
  }
  Analysis analysis;
  image::ResolvedImage& image = analysis.image;
  image.source = document.value("source", std::string());
  BULWARK_ASSIGN_OR_RETURN(image.image_id, DigestField(document, "imageId"));
  if (document.contains("manifestDigest") && !document["manifestDigest"].is_null()) {
    BULWARK_ASSIGN_OR_RETURN(image.manifest_digest, DigestField(document, "manifestDigest"));
  }
  const json& names = document.value("names", json::array());
  if (!names.is_array() || names.size() > kMaxAnalysisNames) {
    return Invalid("names: not an array of at most " + std::to_string(kMaxAnalysisNames));
  }
  for (const json& name : names) image.names.push_back(name.get<std::string>());

  // The config is the one document whose digest the server can check itself.
  if (!document.contains("config") || !document["config"].is_string()) {
    return Invalid("config: missing or not a string");
  }
  image.config_json = document["config"].get<std::string>();
  if (image.config_json.size() > image::kMaxConfigBytes) {
    return Error(ErrorCode::kLimitExceeded, "analysis: config over the size limit");
  }
  if (Sha256Of(image.config_json) != image.image_id) {
    return Invalid("config: hashes to " + Sha256Of(image.config_json).str() + ", not imageId " +
                   image.image_id.str());
  }
  auto config = image::ParseImageConfig(image.config_json, "analysis config");
  if (!config.ok()) return Invalid(config.error().message());
  image.config = std::move(config).value();

  BULWARK_ASSIGN_OR_RETURN(analysis.layers, DecodeLayers(document.value("layers", json())));
  if (analysis.layers.size() != image.config.diff_ids.size()) {
    return Invalid("layers: " + std::to_string(analysis.layers.size()) +
                   " summaries for a config of " + std::to_string(image.config.diff_ids.size()) +
                   " diff_ids");
  }
  for (size_t i = 0; i < analysis.layers.size(); ++i) {
    if (analysis.layers[i].diff_id != image.config.diff_ids[i]) {
      return Invalid("layers[" + std::to_string(i) + "]: diffId differs from the config's");
    }
    image::LayerLocation location;
    location.diff_id = analysis.layers[i].diff_id;
    location.blob_digest = analysis.layers[i].blob_digest;
    image.layers.push_back(std::move(location));
  }

  if (!document.contains("inventory") || !document["inventory"].is_object()) {
    return Invalid("inventory: missing or not an object");
  }
  const json& packages = document["inventory"].value("packages", json::array());
  if (packages.size() > kMaxAnalysisPackages) {
    return Error(ErrorCode::kLimitExceeded,
                 "analysis: more than " + std::to_string(kMaxAnalysisPackages) + " packages");
  }
  auto inventory = DecodeInventory(document["inventory"].dump());
  if (!inventory.ok()) return Invalid(inventory.error().message());
  analysis.inventory = std::move(inventory).value();
  analysis.read_passes = document.value("readPasses", 1);
  // The client's own timing, shown in reports as how long the scan took; a
  // value that is no plausible duration is left out rather than refused.
  const json& elapsed = document.value("elapsedMs", json());
  if (elapsed.is_number() && elapsed.get<double>() >= 0 && elapsed.get<double>() < 1e9) {
    analysis.elapsed_ms = elapsed.get<double>();
  }
  return analysis;
}

}  // namespace

std::string EncodeAnalysis(const Analysis& analysis) {
  const image::ResolvedImage& image = analysis.image;
  json layers = json::array();
  for (const LayerSummary& layer : analysis.layers) {
    layers.push_back({{"diffId", layer.diff_id.str()},
                      {"blobDigest", layer.blob_digest.str()},
                      {"blobSize", layer.blob_size},
                      {"uncompressedSize", layer.uncompressed_size},
                      {"compression", layer.compression},
                      {"fromCache", layer.from_cache},
                      {"createdBy", layer.created_by}});
  }
  json document = {
      {"schemaVersion", kAnalysisSchemaVersion},
      {"source", image.source},
      {"imageId", image.image_id.str()},
      {"manifestDigest", image.manifest_digest ? json(image.manifest_digest->str()) : json()},
      {"names", image.names},
      {"config", image.config_json},
      {"layers", layers},
      {"inventory", json::parse(EncodeInventory(analysis.inventory))},
      {"readPasses", analysis.read_passes},
      {"elapsedMs", analysis.elapsed_ms}};
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Analysis> DecodeAnalysis(std::string_view text) {
  if (text.size() > kMaxAnalysisBytes) {
    return Error(ErrorCode::kLimitExceeded,
                 "analysis: over " + std::to_string(kMaxAnalysisBytes >> 20) + " MiB");
  }
  BULWARK_ASSIGN_OR_RETURN(json document, ParseBounded(text));
  try {
    return DecodeDocument(document);
  } catch (const json::exception& e) {
    return Invalid(std::string("a field has the wrong type: ") + e.what());
  }
}

}  // namespace bulwark::scan
