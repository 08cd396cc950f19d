#include "scan/scanner.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <future>
#include <map>
#include <set>
#include <tuple>

#include "catalog/cataloger.h"
#include "common/build_info.h"
#include "common/log.h"
#include "layer/layer_reader.h"
#include "layer/merged_fs.h"
#include "lineage/lineage.h"
#include "scan/inventory_codec.h"
#include "vulndb/distro.h"

namespace bulwark::scan {
namespace {

// Bumped when the layer reader's output for the same bytes changes.
constexpr char kLayerReaderVersion[] = "layer:2";

std::string CompressionName(layer::Compression compression) {
  switch (compression) {
    case layer::Compression::kNone: return "none";
    case layer::Compression::kGzip: return "gzip";
    case layer::Compression::kZstd: return "zstd";
  }
  return "none";
}

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm parts;
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

double MillisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

std::string LayerName(size_t index, const image::LayerLocation& location) {
  return "layer " + std::to_string(index + 1) + " (diff_id " + location.diff_id.Short() + ")";
}

// A layer's blob whose bytes do not hash to the digest its manifest gives.
Error BlobMismatch(const std::string& name, const Digest& hashed, const Digest& expected) {
  return Error(ErrorCode::kCorruptInput,
               name + ": blob hashes to " + hashed.str() + ", the manifest says " + expected.str());
}

// The history entries that made layers (empty_layer ones made none), in order.
std::vector<std::string> LayerCreators(const image::ImageConfig& config) {
  std::vector<std::string> creators;
  for (const image::HistoryEntry& entry : config.history) {
    if (!entry.empty_layer) creators.push_back(entry.created_by);
  }
  if (creators.size() != config.diff_ids.size()) return {};
  return creators;
}

// How one layer is to be read in this scan.
struct LayerPlan {
  std::optional<layer::LayerContents> contents;  // From the cache; bytes still to be hashed.
  std::optional<Digest> cache_key_digest;        // Blob digest the cache entry was found under.
  bool verified = false;
};

// The analysis of every layer of one image, bottom first.
struct LayerSet {
  std::vector<layer::LayerContents> contents;
  std::vector<bool> from_cache;
  // The hashing of cached layers' blobs, running on a worker thread while the
  // scan merges and catalogues (see StartVerification). Nothing from those
  // layers may reach a verdict, a cache entry or a registration before
  // FinishVerification returned Ok. Invalid when no such work runs.
  std::future<Status> verification;
};

// Waits for the worker's hashing of cached blobs; its error, if any, is the
// scan's. Every path out of Analyze that uses the layers calls it.
Status FinishVerification(LayerSet& layers) {
  if (!layers.verification.valid()) return Ok();
  return layers.verification.get();
}

// `error`, unless the cached layers it came from fail to verify: then that
// mismatch, which is the real cause (cached contents of a forged blob).
Error PreferVerificationError(LayerSet& layers, Error error) {
  Status verified = FinishVerification(layers);
  return verified.ok() ? std::move(error) : std::move(verified).error();
}

// Starts hashing the blobs of the cached layers at `indices` on a worker
// thread, each against the digest its manifest gives. The source must allow
// concurrent streams; it, and so the caller's LayerSet, must outlive the
// returned future (a std::async future waits for its thread when destroyed).
std::future<Status> StartVerification(image::ImageSource& source, const image::ResolvedImage& image,
                                      std::vector<size_t> indices) {
  std::vector<Digest> expected;
  std::vector<std::string> names;
  for (size_t index : indices) {
    expected.push_back(*image.layers[index].blob_digest);
    names.push_back(LayerName(index, image.layers[index]));
  }
  return std::async(
      std::launch::async,
      [&source, indices = std::move(indices), expected = std::move(expected),
       names = std::move(names)]() -> Status {
        std::vector<bool> seen(indices.size(), false);
        auto verify = [&](size_t index, ByteStream& blob) -> Status {
          size_t at = std::find(indices.begin(), indices.end(), index) - indices.begin();
          if (at == indices.size()) {
            return Error(ErrorCode::kInternal,
                         "layer " + std::to_string(index) + ": not asked for");
          }
          auto hashed = layer::HashBlob(blob);
          if (!hashed.ok()) return hashed.error().Wrap(names[at]);
          if (*hashed != expected[at]) return BlobMismatch(names[at], *hashed, expected[at]);
          seen[at] = true;
          return Ok();
        };
        BULWARK_TRY(source.StreamLayers(indices, verify));
        for (size_t at = 0; at < indices.size(); ++at) {
          if (!seen[at]) return Error(ErrorCode::kInternal, names[at] + ": never read");
        }
        return Ok();
      });
}

Result<layer::MergedFs> Merge(const LayerSet& layers) {
  std::vector<const layer::LayerContents*> stack;
  for (const auto& contents : layers.contents) stack.push_back(&contents);
  return layer::MergedFs::Build(stack);
}

// Reads (or takes from the layer cache) every layer of `image`, verifying
// each blob against its digest and each uncompressed stream against its
// diff_id. Cached analyses are used only after the blob's bytes hash to the
// digest they were cached under.
Result<LayerSet> ReadLayers(image::ImageSource& source, const image::ResolvedImage& image,
                            const layer::ReadOptions& read_options, const std::string& version_key,
                            bool use_cache, store::Store& store) {
  // Look every layer up in the cache first. A legacy docker-archive states no
  // blob digest; its layer.tar is usually uncompressed, so its diff_id is the
  // candidate blob digest, confirmed (or refuted) by hashing the bytes.
  size_t count = image.layers.size();
  std::vector<std::optional<std::string>> entries(count);
  if (use_cache) {
    for (size_t i = 0; i < count; ++i) {
      const image::LayerLocation& location = image.layers[i];
      Digest key = location.blob_digest.value_or(location.diff_id);
      BULWARK_ASSIGN_OR_RETURN(entries[i], store.GetLayer(key, version_key));
    }
  }

  // A cached layer with a blob digest in its manifest is hashed on a worker
  // thread, beside the decoding of its cache entry, the reading of the other
  // layers and the rest of the scan: on a warm scan that hash is most of the
  // work. (A legacy layer without a blob digest may turn out to need a full
  // read, so it stays on this thread.)
  LayerSet layers;
  std::vector<size_t> deferred;
  for (size_t i = 0; i < count; ++i) {
    if (entries[i] && image.layers[i].blob_digest && source.ConcurrentStreams()) {
      deferred.push_back(i);
    }
  }
  if (!deferred.empty()) layers.verification = StartVerification(source, image, deferred);

  std::vector<LayerPlan> plans(count);
  for (size_t i = 0; i < count; ++i) {
    if (!entries[i]) continue;
    const image::LayerLocation& location = image.layers[i];
    Digest key = location.blob_digest.value_or(location.diff_id);
    auto contents = layer::DeserializeLayerContents(*entries[i]);
    if (!contents.ok()) {
      BULWARK_LOG(warn, "scan", "layer cache entry unreadable, reading the layer again",
                  "layer={} reason=\"{}\"", key.str(), contents.error().message());
      continue;
    }
    if (contents->diff_id != location.diff_id) continue;
    plans[i].contents = std::move(contents).value();
    plans[i].cache_key_digest = key;
  }

  // A deferred layer whose entry decoded is taken from the cache now, and
  // trusted once the worker's hash agrees (FinishVerification). One whose
  // entry did not decode is read in full below as well; the worker's hash of
  // it is then a second check of the same bytes.
  layers.contents.resize(count);
  layers.from_cache.assign(count, false);
  std::vector<size_t> inline_layers;
  for (size_t i = 0; i < count; ++i) {
    bool is_deferred = std::find(deferred.begin(), deferred.end(), i) != deferred.end();
    if (!is_deferred || !plans[i].contents) {
      inline_layers.push_back(i);
      continue;
    }
    layers.contents[i] = std::move(*plans[i].contents);
    layers.from_cache[i] = true;
    plans[i].verified = true;
  }

  auto visit = [&](size_t index, ByteStream& blob) -> Status {
    const image::LayerLocation& location = image.layers[index];
    LayerPlan& plan = plans[index];
    std::string name = LayerName(index, location);
    if (plan.contents) {
      uint64_t size = 0;
      auto hashed = layer::HashBlob(blob, &size);
      if (!hashed.ok()) return hashed.error().Wrap(name);
      if (*hashed == *plan.cache_key_digest) {
        layers.contents[index] = std::move(*plan.contents);
        layers.from_cache[index] = true;
        plan.verified = true;
        return Ok();
      }
      if (location.blob_digest) return BlobMismatch(name, *hashed, *location.blob_digest);
      plan.contents.reset();  // A compressed legacy layer: read it in full below.
      return Ok();
    }
    auto contents = layer::ReadLayer(blob, read_options);
    if (!contents.ok()) return contents.error().Wrap(name);
    if (location.blob_digest && contents->blob_digest != *location.blob_digest) {
      return BlobMismatch(name, contents->blob_digest, *location.blob_digest);
    }
    if (contents->diff_id != location.diff_id) {
      return Error(ErrorCode::kCorruptInput,
                   name + ": uncompressed content hashes to " + contents->diff_id.str() +
                       ", the image config says " + location.diff_id.str());
    }
    if (use_cache) {
      BULWARK_TRY(store.PutLayer(contents->blob_digest, version_key,
                                 layer::SerializeLayerContents(*contents)));
    }
    layers.contents[index] = std::move(contents).value();
    plan.verified = true;
    return Ok();
  };

  if (!inline_layers.empty()) BULWARK_TRY(source.StreamLayers(inline_layers, visit));
  std::vector<size_t> again;
  for (size_t i = 0; i < count; ++i) {
    if (!plans[i].verified) again.push_back(i);
  }
  if (!again.empty()) BULWARK_TRY(source.StreamLayers(again, visit));
  for (size_t i = 0; i < count; ++i) {
    if (!plans[i].verified) {
      return Error(ErrorCode::kInternal, LayerName(i, image.layers[i]) + ": never read");
    }
  }
  return layers;
}

// Whether layer `contents` can have changed what the catalogers read: it kept
// a wanted file's body, or deleted something (a whiteout or an opaque marker
// may hide a database of a lower layer).
bool TouchesCatalogedFiles(const layer::LayerContents& contents) {
  return !contents.files.empty() || !contents.whiteouts.empty() || !contents.opaque_dirs.empty();
}

using PackageKey = std::tuple<std::string, std::string, std::string, std::string>;

PackageKey KeyOf(const catalog::Package& package) {
  return {package.ecosystem, package.name, package.architecture, package.version};
}

// Sets each package's layer_index: the lowest layer from which on the image,
// cut after every later layer, still lists the package at this version. So a
// package upgraded by a later layer belongs to that layer. The state after a
// layer is catalogued only when the layer touched a catalogued file; other
// layers leave the databases as they were. A state that cannot be catalogued
// counts as listing nothing, which can only move a package to a later layer
// (towards the image's own layers), never hide it in a base.
void AttributeLayers(const std::vector<std::unique_ptr<catalog::Cataloger>>& catalogers,
                     const LayerSet& layers, catalog::Inventory& inventory) {
  std::map<PackageKey, int> since;  // Package -> first layer of its current unbroken run.
  size_t count = layers.contents.size();
  for (size_t k = 0; k < count; ++k) {
    if (!TouchesCatalogedFiles(layers.contents[k])) continue;
    std::set<PackageKey> present;
    if (k + 1 == count) {
      for (const catalog::Package& package : inventory.packages) present.insert(KeyOf(package));
    } else {
      std::vector<const layer::LayerContents*> stack;
      for (size_t i = 0; i <= k; ++i) stack.push_back(&layers.contents[i]);
      auto fs = layer::MergedFs::Build(stack);
      if (fs.ok()) {
        catalog::Inventory state;
        // Errors of a partial state are deliberately ignored: see above.
        (void)catalog::RunCatalogersInto(catalogers, *fs, state);
        for (const catalog::Package& package : state.packages) present.insert(KeyOf(package));
      }
    }
    for (auto it = since.begin(); it != since.end();) {
      it = present.count(it->first) ? std::next(it) : since.erase(it);
    }
    for (const PackageKey& key : present) since.emplace(key, static_cast<int>(k));
  }
  for (catalog::Package& package : inventory.packages) {
    auto found = since.find(KeyOf(package));
    package.layer_index = found == since.end() ? -1 : found->second;
  }
}

}  // namespace

Result<Analysis> Scanner::Analyze(const ScanOptions& options) {
  auto started = std::chrono::steady_clock::now();
  BULWARK_ASSIGN_OR_RETURN(auto source, image::OpenSource(options.source, options.source_options));
  BULWARK_ASSIGN_OR_RETURN(image::ResolvedImage resolved, source->Resolve(options.resolve));
  BULWARK_LOG(info, "scan", "image resolved", "source={} image={} layers={}", options.source,
              resolved.image_id.str(), resolved.layers.size());

  auto catalogers = catalog::DefaultCatalogers();
  std::string version_key =
      std::string(kLayerReaderVersion) + ";" + catalog::CatalogersVersionKey(catalogers);
  layer::ReadOptions read_options;
  read_options.keep_all_entries = false;  // Memory follows directories and links, not files.
  for (const auto& cataloger : catalogers) {
    for (auto& pattern : cataloger->WantedPaths()) read_options.wanted.push_back(pattern);
  }
  BULWARK_ASSIGN_OR_RETURN(LayerSet layers, ReadLayers(*source, resolved, read_options, version_key,
                                                       options.use_cache, store_));
  // From here until FinishVerification, cached layers may still be hashing
  // on the worker thread: what is built from them is provisional.
  Result<layer::MergedFs> fs = Merge(layers);
  if (!fs.ok()) return PreferVerificationError(layers, fs.error());

  // A wanted path that leads through a symlink (lib -> usr/lib) or is a hard
  // link lives elsewhere in the layers; read them once more, keeping those
  // places too. Symlinks are always recorded, so one more pass is enough.
  auto physical = layer::PhysicalPatterns(*fs, read_options.wanted);
  if (!physical.ok()) return PreferVerificationError(layers, physical.error());
  std::vector<layer::PathPattern> extra = std::move(physical).value();
  if (!extra.empty()) {
    BULWARK_TRY(FinishVerification(layers));
    std::string also;
    for (const layer::PathPattern& pattern : extra) {
      read_options.wanted.push_back(pattern);
      also += ";" + pattern.path + (pattern.children ? "/*" : "");
    }
    BULWARK_LOG(info, "scan", "reading layers again for paths behind links", "paths=\"{}\"",
                also.substr(1));
    BULWARK_ASSIGN_OR_RETURN(
        layers, ReadLayers(*source, resolved, read_options, version_key + ";also" + also,
                           options.use_cache, store_));
    fs = Merge(layers);
    if (!fs.ok()) return PreferVerificationError(layers, fs.error());
  }
  auto catalogued = catalog::RunCatalogers(catalogers, *fs);
  if (!catalogued.ok()) return PreferVerificationError(layers, catalogued.error());
  catalog::Inventory inventory = std::move(catalogued).value();
  AttributeLayers(catalogers, layers, inventory);
  BULWARK_TRY(FinishVerification(layers));

  Analysis analysis;
  analysis.read_passes = extra.empty() ? 1 : 2;
  std::vector<std::string> creators = LayerCreators(resolved.config);
  for (size_t i = 0; i < layers.contents.size(); ++i) {
    LayerSummary summary;
    const layer::LayerContents& contents = layers.contents[i];
    summary.diff_id = contents.diff_id;
    summary.blob_digest = contents.blob_digest;
    summary.blob_size = contents.blob_size;
    summary.uncompressed_size = contents.uncompressed_size;
    summary.compression = CompressionName(contents.compression);
    summary.from_cache = layers.from_cache[i];
    if (!creators.empty()) summary.created_by = creators[i];
    analysis.layers.push_back(std::move(summary));
  }
  analysis.image = std::move(resolved);
  analysis.inventory = std::move(inventory);
  analysis.elapsed_ms = MillisecondsSince(started);
  return analysis;
}

Result<ScanResult> Scanner::Evaluate(const Analysis& analysis,
                                     const std::vector<policy::Policy>& policies,
                                     vulndb::AdvisoryDatabase* advisories) {
  BULWARK_ASSIGN_OR_RETURN(auto registered, store_.ListImages());
  return EvaluateAnalysis(analysis, registered, policies, advisories);
}

Result<ScanResult> EvaluateAnalysis(const Analysis& analysis,
                                    const std::vector<lineage::RegisteredImage>& registered,
                                    const std::vector<policy::Policy>& policies,
                                    vulndb::AdvisoryDatabase* advisories) {
  auto started = std::chrono::steady_clock::now();
  const image::ResolvedImage& image = analysis.image;

  ScanResult result;
  result.tool_version = BULWARK_VERSION;
  result.scanned_at = NowUtc();
  result.source = image.source;
  result.platform = image.config.platform.str();
  result.image_id = image.image_id;
  result.manifest_digest = image.manifest_digest;
  result.names = image.names;
  result.user = image.config.user;
  result.labels = image.config.labels;
  result.layers = analysis.layers;
  result.inventory = analysis.inventory;
  result.lineage = lineage::FindAncestors(image.config.diff_ids, registered);
  if (advisories != nullptr) {
    std::string distro = vulndb::DistroKeyForOs(analysis.inventory.os);
    auto match = advisories->Match(distro, analysis.inventory.packages);
    if (!match.ok()) return match.error().Wrap("matching advisories");
    BULWARK_LOG(info, "scan", "advisories matched", "distro={} findings={} unmatched={}",
                distro.empty() ? "unknown" : distro, match->findings.size(),
                match->unmatched.size());
    result.vulnerabilities = std::move(match).value();
  }

  policy::Facts facts;
  facts.image_id = image.image_id;
  facts.manifest_digest = image.manifest_digest;
  facts.names = image.names;
  facts.user = image.config.user;
  facts.labels = image.config.labels;
  facts.inventory = analysis.inventory;
  facts.lineage = result.lineage;
  facts.scanned_at = result.scanned_at;
  facts.vulnerabilities = result.vulnerabilities;
  result.verdict = policy::Evaluate(policies, facts);
  result.exit_code = result.verdict.blocking() ? 4 : 0;
  result.elapsed_ms = analysis.elapsed_ms + MillisecondsSince(started);
  return result;
}

Status Scanner::Register(const Analysis& analysis, const std::vector<std::string>& names) {
  store::StoredImage stored;
  stored.image.image_id = analysis.image.image_id;
  if (analysis.image.manifest_digest) {
    stored.image.manifest_digests.push_back(*analysis.image.manifest_digest);
  }
  stored.image.names = names;
  stored.image.chain = analysis.image.config.diff_ids;
  stored.source = analysis.image.source;
  stored.config_json = analysis.image.config_json;
  stored.inventory_json = EncodeInventory(analysis.inventory);
  return store_.RegisterImage(stored);
}

}  // namespace bulwark::scan
