// ParseRpmHeader on real header blobs (written by Debian's rpm and by CentOS's)
// and on those blobs with one field broken at a time.
#include "catalog/rpm_header.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "catalog/rpm_fixtures.h"
#include "testing/run_command.h"

namespace bulwark::catalog {
namespace {

using testing::ReadRpmOracle;
using testing::RpmOracleRow;

constexpr uint32_t kTagName = 1000;
constexpr uint32_t kTagEpoch = 1003;

uint32_t Be32(const std::string& bytes, size_t at) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])); };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

void PutBe32(std::string& bytes, size_t at, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>(value >> (24 - 8 * i));
}

// Where the index entry of `tag` starts in `blob`, or 0 when it has none.
size_t EntryOf(const std::string& blob, uint32_t tag) {
  uint32_t count = Be32(blob, 0);
  for (uint32_t i = 0; i < count; ++i) {
    if (Be32(blob, 8 + 16 * i) == tag) return 8 + 16 * i;
  }
  return 0;
}

size_t DataStart(const std::string& blob) { return 8 + 16 * size_t{Be32(blob, 0)}; }

// The header blobs make-rpmdb.sh extracted from the SQLite database rpm wrote.
std::map<std::string, std::string> SqliteHeaderSeeds(const std::string& dir) {
  std::map<std::string, std::string> blobs;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/seeds/header")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("sqlite-", 0) == 0) blobs[name] = testing::ReadFile(entry.path().string());
  }
  return blobs;
}

// A real header with an epoch (bulwark-fixture), for the corruption cases.
std::string FixtureHeaderWithEpoch(const std::string& dir) {
  for (const auto& [name, blob] : SqliteHeaderSeeds(dir)) {
    auto fields = ParseRpmHeader(blob, name);
    if (fields.ok() && fields->name == "bulwark-fixture") return blob;
  }
  ADD_FAILURE() << "no bulwark-fixture header among the seeds";
  return "";
}

std::string OracleEpoch(const std::optional<uint32_t>& epoch) {
  return epoch ? std::to_string(*epoch) : "(none)";
}

std::string OracleText(const std::string& value) { return value.empty() ? "(none)" : value; }

TEST(RpmHeader, ReadsEveryFieldOfRealHeadersAsRpmDoes) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::map<std::string, RpmOracleRow> oracle;
  for (const RpmOracleRow& row : ReadRpmOracle(fixtures.dir + "/sqlite.tsv")) {
    oracle[row.name] = row;
  }
  auto blobs = SqliteHeaderSeeds(fixtures.dir);
  ASSERT_EQ(blobs.size(), oracle.size());

  for (const auto& [name, blob] : blobs) {
    SCOPED_TRACE(name);

    auto fields = ParseRpmHeader(blob, name);

    ASSERT_TRUE(fields.ok()) << fields.error().message();
    ASSERT_EQ(oracle.count(fields->name), 1u) << fields->name;
    const RpmOracleRow& expected = oracle[fields->name];
    EXPECT_EQ(OracleEpoch(fields->epoch), expected.epoch);
    EXPECT_EQ(fields->version, expected.version);
    EXPECT_EQ(fields->release, expected.release);
    EXPECT_EQ(OracleText(fields->arch), expected.arch);
    EXPECT_EQ(OracleText(fields->source_rpm), expected.source_rpm);
    EXPECT_EQ(OracleText(fields->license), expected.license);
    EXPECT_EQ(OracleText(fields->modularity_label), expected.modularity_label);
  }
}

TEST(RpmHeader, ReadsCentosHeadersWrittenByOlderRpm) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(fixtures.dir + "/seeds/header")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("centos7-", 0) == 0) names.push_back(entry.path().string());
  }
  if (names.empty()) GTEST_SKIP() << "no CentOS headers (go-rpmdb test data absent)";
  std::map<std::string, RpmOracleRow> oracle;
  for (const RpmOracleRow& row : ReadRpmOracle(fixtures.dir + "/centos7-plain.tsv")) {
    oracle[row.name + "-" + row.version + "-" + row.release] = row;
  }

  for (const std::string& path : names) {
    SCOPED_TRACE(path);

    auto fields = ParseRpmHeader(testing::ReadFile(path), path);

    ASSERT_TRUE(fields.ok()) << fields.error().message();
    std::string nvr = fields->name + "-" + fields->version + "-" + fields->release;
    ASSERT_EQ(oracle.count(nvr), 1u) << nvr;
    EXPECT_EQ(OracleText(fields->arch), oracle[nvr].arch);
    EXPECT_EQ(OracleText(fields->source_rpm), oracle[nvr].source_rpm);
  }
}

TEST(RpmHeader, HasNoEpochWhenTheTagIsAbsent) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  bool saw_solo = false;

  for (const auto& [name, blob] : SqliteHeaderSeeds(fixtures.dir)) {
    auto fields = ParseRpmHeader(blob, name);
    ASSERT_TRUE(fields.ok()) << fields.error().message();
    if (fields->name != "bulwark-solo") continue;
    saw_solo = true;

    EXPECT_EQ(EntryOf(blob, kTagEpoch), 0u);
    EXPECT_FALSE(fields->epoch.has_value());
  }

  EXPECT_TRUE(saw_solo);
}

TEST(RpmHeader, RejectsEveryTruncation) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string blob = FixtureHeaderWithEpoch(fixtures.dir);
  ASSERT_FALSE(blob.empty());

  for (size_t size = 0; size < blob.size(); size += 7) {
    SCOPED_TRACE(size);

    auto fields = ParseRpmHeader(blob.substr(0, size), "hdr");

    ASSERT_FALSE(fields.ok());
    EXPECT_EQ(fields.error().code(), ErrorCode::kCorruptInput);
    EXPECT_EQ(fields.error().message().rfind("hdr: header of ", 0), 0u) << fields.error().message();
  }
}

// One broken field of a real header, and the words its error must hold.
struct Damage {
  const char* name;
  std::function<void(std::string&)> apply;
  ErrorCode code;
  const char* message;
};

TEST(RpmHeader, RejectsDamagedFieldsNamingWhatIsWrong) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string blob = FixtureHeaderWithEpoch(fixtures.dir);
  ASSERT_FALSE(blob.empty());
  size_t name_entry = EntryOf(blob, kTagName);
  size_t epoch_entry = EntryOf(blob, kTagEpoch);
  ASSERT_NE(name_entry, 0u);
  ASSERT_NE(epoch_entry, 0u);
  uint32_t data_size = Be32(blob, 4);
  uint32_t name_offset = Be32(blob, name_entry + 8);
  const std::vector<Damage> cases = {
      {"entry count over rpm's limit", [](std::string& b) { PutBe32(b, 0, 0x10000); },
       ErrorCode::kLimitExceeded, "over rpm's limits"},
      {"data size over rpm's limit", [](std::string& b) { PutBe32(b, 4, 0x10000000); },
       ErrorCode::kLimitExceeded, "over rpm's limits"},
      {"trailing bytes", [](std::string& b) { b += "xxxx"; }, ErrorCode::kCorruptInput,
       "bytes of data need"},
      {"NAME offset past the data store",
       [&](std::string& b) { PutBe32(b, name_entry + 8, data_size + 1); }, ErrorCode::kCorruptInput,
       "tag 1000 has offset"},
      {"NAME of an unknown type", [&](std::string& b) { PutBe32(b, name_entry + 4, 17); },
       ErrorCode::kCorruptInput, "tag 1000 has unknown type 17"},
      {"NAME as bytes", [&](std::string& b) { PutBe32(b, name_entry + 4, 2); },
       ErrorCode::kCorruptInput, "NAME is of type 2, not a string"},
      {"NAME as a string of two", [&](std::string& b) { PutBe32(b, name_entry + 12, 2); },
       ErrorCode::kCorruptInput, "tag 1000 is a string with a count of 2"},
      {"NAME without a terminator",
       [&](std::string& b) {
         PutBe32(b, name_entry + 8, data_size - 1);
         b.back() = 'x';
       },
       ErrorCode::kCorruptInput, "NAME runs past the data store"},
      {"NAME with a control byte",
       [&](std::string& b) { b[DataStart(b) + name_offset + 1] = '\n'; }, ErrorCode::kCorruptInput,
       "NAME holds control byte 0x0a"},
      {"no NAME", [&](std::string& b) { PutBe32(b, name_entry, 999999); }, ErrorCode::kCorruptInput,
       "header has no NAME"},
      {"EPOCH not aligned",
       [&](std::string& b) { PutBe32(b, epoch_entry + 8, Be32(b, epoch_entry + 8) + 1); },
       ErrorCode::kCorruptInput, "tag 1003 is not aligned to 4 bytes"},
      {"EPOCH with no elements", [&](std::string& b) { PutBe32(b, epoch_entry + 12, 0); },
       ErrorCode::kCorruptInput, "tag 1003 has a count of 0"},
      {"EPOCH running past the end",
       [&](std::string& b) { PutBe32(b, epoch_entry + 12, data_size); }, ErrorCode::kCorruptInput,
       "tag 1003 runs past the end"},
      {"region entry not 16 bytes", [](std::string& b) { PutBe32(b, 8 + 12, 15); },
       ErrorCode::kCorruptInput, "is not a 16-byte binary entry"},
      {"region trailer outside the data", [&](std::string& b) { PutBe32(b, 8 + 8, data_size - 8); },
       ErrorCode::kCorruptInput, "tag 63 runs past the end of the data store"},
      {"region covering more entries than exist",
       [&](std::string& b) {
         size_t trailer = DataStart(b) + Be32(b, 8 + 8);
         PutBe32(b, trailer + 8, static_cast<uint32_t>(-16 * int64_t{Be32(b, 0) + 1}));
       },
       ErrorCode::kCorruptInput, "not a whole number of the"},
  };
  ASSERT_TRUE(ParseRpmHeader(blob, "hdr").ok());

  for (const Damage& damage : cases) {
    SCOPED_TRACE(damage.name);
    std::string broken = blob;
    damage.apply(broken);

    auto fields = ParseRpmHeader(broken, "var/lib/rpm/Packages header 7");

    ASSERT_FALSE(fields.ok());
    EXPECT_EQ(fields.error().code(), damage.code);
    EXPECT_EQ(fields.error().message().rfind("var/lib/rpm/Packages header 7: ", 0), 0u);
    EXPECT_NE(fields.error().message().find(damage.message), std::string::npos)
        << fields.error().message();
  }
}

TEST(RpmHeader, EntryAfterTheRegionReplacesTheOneInside) {
  BULWARK_REQUIRE_RPM_FIXTURES(fixtures);
  std::string blob = FixtureHeaderWithEpoch(fixtures.dir);
  ASSERT_FALSE(blob.empty());
  uint32_t count = Be32(blob, 0);
  size_t trailer = DataStart(blob) + Be32(blob, 8 + 8);
  uint32_t region_entries =
      static_cast<uint32_t>(-static_cast<int32_t>(Be32(blob, trailer + 8))) / 16;
  ASSERT_LT(region_entries, count) << "the header has no entries added at install time";
  ASSERT_LT(EntryOf(blob, kTagName), 8 + 16 * size_t{region_entries});
  // Turn the last entry (outside the region) into a NAME pointing at the
  // region's ARCH string, as a header rewritten after install could.
  size_t last = 8 + 16 * size_t{count - 1};
  size_t arch = EntryOf(blob, 1022);
  ASSERT_NE(arch, 0u);
  std::string rewritten = blob;
  PutBe32(rewritten, last, kTagName);
  PutBe32(rewritten, last + 4, 6);
  PutBe32(rewritten, last + 8, Be32(blob, arch + 8));
  PutBe32(rewritten, last + 12, 1);

  auto original = ParseRpmHeader(blob, "hdr");
  auto fields = ParseRpmHeader(rewritten, "hdr");

  ASSERT_TRUE(original.ok()) << original.error().message();
  ASSERT_TRUE(fields.ok()) << fields.error().message();
  EXPECT_EQ(original->name, "bulwark-fixture");
  EXPECT_EQ(fields->name, original->arch);
}

}  // namespace
}  // namespace bulwark::catalog
