#include "layer/layer_contents.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bulwark::layer {
namespace {

LayerContents SampleContents() {
  LayerContents contents;
  contents.blob_digest = Sha256Of("blob");
  contents.diff_id = Sha256Of("tar");
  contents.compression = Compression::kZstd;
  contents.blob_size = 4;
  contents.uncompressed_size = 1ull << 40;
  contents.entries = {
      {"etc", EntryType::kDirectory, "", 0, 0755, 0, 0},
      {"etc/passwd", EntryType::kFile, "", 12, 0644, 0, 42},
      {"bin/sh", EntryType::kSymlink, "/bin/busybox", 0, 0777, 1000, 1000},
      {"bin/ls", EntryType::kHardlink, "bin/busybox", 0, 0755, -1, -2},
      {"dev/null", EntryType::kOther, "", 0, 0666, 0, 0},
  };
  contents.whiteouts = {"tmp/old"};
  contents.opaque_dirs = {"var/cache", ""};
  contents.files = {
      {"etc/passwd", "root:x:0:0\n"},
      {"bin/blob", std::string("\x00\xff\xfe\x80 binary \x00", 13)},
      {"empty", ""},
      {std::string("odd\xff\xfe-name", 10), "non-UTF-8 path"},
  };
  return contents;
}

void ExpectSameEntries(const std::vector<Entry>& actual, const std::vector<Entry>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE(expected[i].path);
    EXPECT_EQ(actual[i].path, expected[i].path);
    EXPECT_EQ(actual[i].type, expected[i].type);
    EXPECT_EQ(actual[i].link_target, expected[i].link_target);
    EXPECT_EQ(actual[i].size, expected[i].size);
    EXPECT_EQ(actual[i].mode, expected[i].mode);
    EXPECT_EQ(actual[i].uid, expected[i].uid);
    EXPECT_EQ(actual[i].gid, expected[i].gid);
  }
}

TEST(LayerContents, RoundTripsEveryFieldAndBinaryBodies) {
  const LayerContents original = SampleContents();

  auto restored = DeserializeLayerContents(SerializeLayerContents(original));

  ASSERT_TRUE(restored.ok()) << restored.error().message();
  EXPECT_EQ(restored->blob_digest, original.blob_digest);
  EXPECT_EQ(restored->diff_id, original.diff_id);
  EXPECT_EQ(restored->compression, original.compression);
  EXPECT_EQ(restored->blob_size, original.blob_size);
  EXPECT_EQ(restored->uncompressed_size, original.uncompressed_size);
  ExpectSameEntries(restored->entries, original.entries);
  EXPECT_EQ(restored->whiteouts, original.whiteouts);
  EXPECT_EQ(restored->opaque_dirs, original.opaque_dirs);
  EXPECT_EQ(restored->files, original.files);
}

TEST(LayerContents, RoundTripsEmptyContents) {
  const LayerContents empty;

  auto restored = DeserializeLayerContents(SerializeLayerContents(empty));

  ASSERT_TRUE(restored.ok()) << restored.error().message();
  EXPECT_TRUE(restored->blob_digest.empty());
  EXPECT_TRUE(restored->entries.empty());
  EXPECT_TRUE(restored->files.empty());
}

TEST(LayerContents, RefusesAnUnknownFormatVersion) {
  const std::string bytes = SerializeLayerContents(SampleContents());
  nlohmann::json value = nlohmann::json::from_cbor(bytes);
  value["v"] = 2;
  const std::vector<uint8_t> newer = nlohmann::json::to_cbor(value);

  auto restored = DeserializeLayerContents(std::string(newer.begin(), newer.end()));

  ASSERT_FALSE(restored.ok());
  EXPECT_EQ(restored.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(restored.error().message().find("version 2"), std::string::npos)
      << restored.error().message();
}

TEST(LayerContents, RefusesBytesThatAreNotACacheValue) {
  const std::string valid = SerializeLayerContents(SampleContents());
  nlohmann::json wrong_types = nlohmann::json::from_cbor(valid);
  wrong_types["entries"][0][1] = "directory";
  const std::vector<uint8_t> wrong_bytes = nlohmann::json::to_cbor(wrong_types);
  nlohmann::json bad_type = nlohmann::json::from_cbor(valid);
  bad_type["entries"][0][1] = 9;
  const std::vector<uint8_t> bad_type_bytes = nlohmann::json::to_cbor(bad_type);
  struct Case {
    const char* name;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"empty", ""},
      {"text", "not cbor at all"},
      {"truncated", valid.substr(0, valid.size() / 2)},
      {"trailing bytes", valid + "x"},
      {"array instead of map", std::string("\x80", 1)},
      {"deep nesting", std::string(100000, '\x81') + std::string("\x00", 1)},
      {"entry type as text", std::string(wrong_bytes.begin(), wrong_bytes.end())},
      {"entry type out of range", std::string(bad_type_bytes.begin(), bad_type_bytes.end())},
  };

  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);

    auto restored = DeserializeLayerContents(c.bytes);

    ASSERT_FALSE(restored.ok());
    EXPECT_EQ(restored.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(restored.error().message().find("layer cache entry"), std::string::npos);
  }
}

}  // namespace
}  // namespace bulwark::layer
