#include "layer/layer_contents.h"

#include <exception>
#include <nlohmann/json.hpp>
#include <string>

namespace bulwark::layer {
namespace {

using Json = nlohmann::json;

// Version 1 layout (a CBOR map):
//   v: 1
//   blob, diff: 64 hex digits ("" when unset)
//   compression: 0 none, 1 gzip, 2 zstd
//   blob_size, uncompressed_size: byte counts
//   entries: [[path, type, link_target, size, mode, uid, gid], ...]
//   whiteouts, opaque: [path, ...]
//   files: [[path, body as a CBOR byte string], ...]
constexpr int kFormatVersion = 1;

// Nesting deeper than this cannot be a layer cache value; refusing it early
// keeps the recursive CBOR parser's stack use small on hostile bytes.
constexpr int kMaxDepth = 8;

Error Corrupt(std::string_view what) {
  return Error(ErrorCode::kCorruptInput, "layer cache entry: " + std::string(what));
}

// Counts nesting while nlohmann's parser walks the bytes; stops it past kMaxDepth.
class DepthGuard : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return ++depth_ <= kMaxDepth; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return --depth_ >= 0; }
  bool start_array(std::size_t) override { return ++depth_ <= kMaxDepth; }
  bool end_array() override { return --depth_ >= 0; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

 private:
  int depth_ = 0;
};

Json EntryToJson(const Entry& entry) {
  return Json::array({entry.path, static_cast<int>(entry.type), entry.link_target, entry.size,
                      entry.mode, entry.uid, entry.gid});
}

Result<Entry> EntryFromJson(const Json& value) {
  if (!value.is_array() || value.size() != 7) return Corrupt("entry is not a 7-element array");
  int type = value[1].get<int>();
  if (type < 0 || type > static_cast<int>(EntryType::kOther)) {
    return Corrupt("entry type " + std::to_string(type) + " is unknown");
  }
  Entry entry;
  entry.path = value[0].get<std::string>();
  entry.type = static_cast<EntryType>(type);
  entry.link_target = value[2].get<std::string>();
  entry.size = value[3].get<uint64_t>();
  entry.mode = value[4].get<uint32_t>();
  entry.uid = value[5].get<int64_t>();
  entry.gid = value[6].get<int64_t>();
  return entry;
}

Result<Digest> DigestFromJson(const Json& value) {
  std::string hex = value.get<std::string>();
  if (hex.empty()) return Digest();
  auto digest = Digest::FromHex(hex);
  if (!digest.ok()) return Corrupt(digest.error().message());
  return digest;
}

// Builds the contents from a parsed value; nlohmann type errors propagate as
// exceptions and are turned into kCorruptInput by the caller.
Result<LayerContents> ContentsFromJson(const Json& root) {
  if (!root.is_object()) return Corrupt("not a map");
  int version = root.at("v").get<int>();
  if (version != kFormatVersion) {
    return Corrupt("format version " + std::to_string(version) + " is not supported (expected " +
                   std::to_string(kFormatVersion) + ")");
  }

  LayerContents contents;
  BULWARK_ASSIGN_OR_RETURN(contents.blob_digest, DigestFromJson(root.at("blob")));
  BULWARK_ASSIGN_OR_RETURN(contents.diff_id, DigestFromJson(root.at("diff")));
  int compression = root.at("compression").get<int>();
  if (compression < 0 || compression > static_cast<int>(Compression::kZstd)) {
    return Corrupt("compression " + std::to_string(compression) + " is unknown");
  }
  contents.compression = static_cast<Compression>(compression);
  contents.blob_size = root.at("blob_size").get<uint64_t>();
  contents.uncompressed_size = root.at("uncompressed_size").get<uint64_t>();

  const Json& entries = root.at("entries");
  if (!entries.is_array()) return Corrupt("entries is not an array");
  contents.entries.reserve(entries.size());
  for (const Json& value : entries) {
    BULWARK_ASSIGN_OR_RETURN(Entry entry, EntryFromJson(value));
    contents.entries.push_back(std::move(entry));
  }
  contents.whiteouts = root.at("whiteouts").get<std::vector<std::string>>();
  contents.opaque_dirs = root.at("opaque").get<std::vector<std::string>>();

  const Json& files = root.at("files");
  if (!files.is_array()) return Corrupt("files is not an array");
  for (const Json& file : files) {
    if (!file.is_array() || file.size() != 2 || !file[1].is_binary()) {
      return Corrupt("file is not a [path, bytes] pair");
    }
    const Json::binary_t& body = file[1].get_binary();
    contents.files[file[0].get<std::string>()] = std::string(body.begin(), body.end());
  }
  return contents;
}

}  // namespace

std::string SerializeLayerContents(const LayerContents& contents) {
  Json entries = Json::array();
  for (const Entry& entry : contents.entries) entries.push_back(EntryToJson(entry));
  Json files = Json::array();
  for (const auto& [path, body] : contents.files) {
    files.push_back(Json::array(
        {path, Json::binary(Json::binary_t::container_type(body.begin(), body.end()))}));
  }

  Json root = {
      {"v", kFormatVersion},
      {"blob", contents.blob_digest.hex()},
      {"diff", contents.diff_id.hex()},
      {"compression", static_cast<int>(contents.compression)},
      {"blob_size", contents.blob_size},
      {"uncompressed_size", contents.uncompressed_size},
      {"entries", std::move(entries)},
      {"whiteouts", contents.whiteouts},
      {"opaque", contents.opaque_dirs},
      {"files", std::move(files)},
  };
  std::vector<uint8_t> bytes = Json::to_cbor(root);
  return std::string(bytes.begin(), bytes.end());
}

Result<LayerContents> DeserializeLayerContents(std::string_view bytes) {
  try {
    DepthGuard guard;
    if (!Json::sax_parse(bytes.begin(), bytes.end(), &guard, Json::input_format_t::cbor)) {
      return Corrupt("not a well-formed CBOR value");
    }
    Json root = Json::from_cbor(bytes.begin(), bytes.end());
    return ContentsFromJson(root);
  } catch (const std::exception& error) {
    return Corrupt(error.what());
  }
}

}  // namespace bulwark::layer
