#include "catalog/rpm_header.h"

#include <array>
#include <cstring>
#include <vector>

namespace bulwark::catalog {
namespace {

// Header layout facts, as rpm's lib/header.c and lib/header_internal.h define
// them: https://rpm-software-management.github.io/rpm/manual/format_header.html
constexpr size_t kPreambleBytes = 8;  // Entry count, data size.
constexpr size_t kEntryBytes = 16;    // Tag, type, offset, count.
constexpr uint32_t kRegionTrailerBytes = 16;

// Region tags: HEADERIMAGE, HEADERSIGNATURES, HEADERIMMUTABLE.
constexpr uint32_t kTagHeaderImage = 61;
constexpr uint32_t kTagHeaderImmutable = 63;

constexpr uint32_t kTagName = 1000;
constexpr uint32_t kTagVersion = 1001;
constexpr uint32_t kTagRelease = 1002;
constexpr uint32_t kTagEpoch = 1003;
constexpr uint32_t kTagLicense = 1014;
constexpr uint32_t kTagArch = 1022;
constexpr uint32_t kTagSourceRpm = 1044;
constexpr uint32_t kTagModularityLabel = 5096;

enum Type : uint32_t {
  kNull = 0,
  kChar = 1,
  kInt8 = 2,
  kInt16 = 3,
  kInt32 = 4,
  kInt64 = 5,
  kString = 6,
  kBin = 7,
  kStringArray = 8,
  kI18nString = 9,
};

struct Entry {
  uint32_t tag = 0;
  uint32_t type = 0;
  int32_t offset = 0;
  uint32_t count = 0;
};

// The tags read, in the order of `Found::entries`.
constexpr std::array<uint32_t, 8> kReadTags = {kTagName,      kTagVersion,        kTagRelease,
                                               kTagEpoch,     kTagLicense,        kTagArch,
                                               kTagSourceRpm, kTagModularityLabel};

struct Found {
  std::array<const Entry*, kReadTags.size()> entries{};
};

uint32_t ReadBe32(const char* p) {
  auto byte = [p](int i) { return static_cast<uint32_t>(static_cast<unsigned char>(p[i])); };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

Entry ReadEntry(const char* p) {
  return Entry{ReadBe32(p), ReadBe32(p + 4), static_cast<int32_t>(ReadBe32(p + 8)),
               ReadBe32(p + 12)};
}

Error Corrupt(std::string_view where, const std::string& what) {
  return Error(ErrorCode::kCorruptInput, std::string(where) + ": " + what);
}

std::string TagName(uint32_t tag) { return "tag " + std::to_string(tag); }

bool IsRegionTag(uint32_t tag) { return tag >= kTagHeaderImage && tag <= kTagHeaderImmutable; }

// Bytes per element of fixed-size types, 0 for the string types.
size_t ElementBytes(uint32_t type) {
  switch (type) {
    case kNull:
      return 0;
    case kChar:
    case kInt8:
    case kBin:
      return 1;
    case kInt16:
      return 2;
    case kInt32:
      return 4;
    case kInt64:
      return 8;
    default:
      return 0;
  }
}

// Checks that an entry's type is known and its data lies in the data store.
// Strings are only checked for a terminator when they are read (a header may
// point many entries at one large area; scanning each would be quadratic).
Status CheckEntry(const Entry& entry, uint32_t data_size, std::string_view where) {
  std::string tag = TagName(entry.tag);
  if (entry.type > kI18nString) {
    return Corrupt(where, tag + " has unknown type " + std::to_string(entry.type));
  }
  if (entry.offset < 0 || static_cast<uint32_t>(entry.offset) > data_size) {
    return Corrupt(where, tag + " has offset " + std::to_string(entry.offset) +
                              " outside the data store of " + std::to_string(data_size) + " bytes");
  }
  if (entry.type == kNull) return Ok();

  uint64_t offset = static_cast<uint32_t>(entry.offset);
  uint64_t room = data_size - offset;
  if (entry.count == 0) return Corrupt(where, tag + " has a count of 0");
  size_t element = ElementBytes(entry.type);
  if (element == 0) {
    // Each string takes at least its terminator.
    if (entry.count > room) return Corrupt(where, tag + " has more strings than data");
    if (entry.type == kString && entry.count != 1) {
      return Corrupt(where, tag + " is a string with a count of " + std::to_string(entry.count));
    }
    return Ok();
  }
  if (offset % element != 0) {
    return Corrupt(where, tag + " is not aligned to " + std::to_string(element) + " bytes");
  }
  if (static_cast<uint64_t>(entry.count) * element > room) {
    return Corrupt(where, tag + " runs past the end of the data store");
  }
  return Ok();
}

// Checks the region of entry 0 and returns how many entries it covers (the
// entry itself included), or 0 when the header has no region.
Result<uint32_t> CheckRegion(const Entry& first, const char* data, uint32_t data_size,
                             uint32_t entry_count, std::string_view where) {
  if (!IsRegionTag(first.tag)) return 0u;
  std::string tag = "region " + TagName(first.tag);
  if (first.type != kBin || first.count != kRegionTrailerBytes) {
    return Corrupt(where, tag + " is not a 16-byte binary entry");
  }
  uint32_t offset = static_cast<uint32_t>(first.offset);
  if (offset > data_size || data_size - offset < kRegionTrailerBytes) {
    return Corrupt(where, tag + " trailer lies outside the data store");
  }

  Entry trailer = ReadEntry(data + offset);
  // Headers written by old rpm versions name HEADERIMAGE in the trailer of
  // an immutable region; rpm accepts that, so this does too.
  if (!IsRegionTag(trailer.tag) || trailer.type != kBin || trailer.count != kRegionTrailerBytes) {
    return Corrupt(where, tag + " has a malformed trailer");
  }
  int64_t covered_bytes = -static_cast<int64_t>(trailer.offset);
  if (covered_bytes <= 0 || covered_bytes % kEntryBytes != 0 ||
      covered_bytes / kEntryBytes > entry_count) {
    return Corrupt(where, tag + " trailer covers " + std::to_string(covered_bytes) +
                              " bytes of index, not a whole number of the " +
                              std::to_string(entry_count) + " entries");
  }
  return static_cast<uint32_t>(covered_bytes / kEntryBytes);
}

// Picks the entries of the read tags. Within the region a tag may appear once;
// an entry after the region replaces one inside it, as rpm loads them.
Result<Found> FindReadTags(const std::vector<Entry>& entries, uint32_t region_entries,
                           std::string_view where) {
  Found found;
  for (size_t i = 0; i < entries.size(); ++i) {
    bool in_region = i < region_entries;
    for (size_t slot = 0; slot < kReadTags.size(); ++slot) {
      if (entries[i].tag != kReadTags[slot]) continue;
      if (found.entries[slot] != nullptr && in_region) {
        return Corrupt(where, TagName(entries[i].tag) + " appears twice in the region");
      }
      found.entries[slot] = &entries[i];
    }
  }
  return found;
}

Status CheckNoControlBytes(std::string_view value, std::string_view field, std::string_view where) {
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte == '\t' || (byte >= 0x20 && byte != 0x7f)) continue;
    static constexpr char kHex[] = "0123456789abcdef";
    std::string shown = {'0', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
    return Corrupt(where, std::string(field) + " holds control byte " + shown);
  }
  return Ok();
}

// Reads the first string of a STRING, STRING_ARRAY or I18NSTRING entry
// (I18NSTRING's first string is the untranslated "C" one).
Result<std::string> ReadString(const Entry* entry, const char* data, uint32_t data_size,
                               std::string_view field, std::string_view where) {
  if (entry == nullptr) return std::string();
  if (entry->type != kString && entry->type != kStringArray && entry->type != kI18nString) {
    return Corrupt(where, std::string(field) + " is of type " + std::to_string(entry->type) +
                              ", not a string");
  }
  uint32_t offset = static_cast<uint32_t>(entry->offset);
  const void* end = std::memchr(data + offset, '\0', data_size - offset);
  if (end == nullptr) return Corrupt(where, std::string(field) + " runs past the data store");
  std::string value(data + offset, static_cast<const char*>(end));
  BULWARK_TRY(CheckNoControlBytes(value, field, where));
  return value;
}

Result<std::optional<uint32_t>> ReadEpoch(const Entry* entry, const char* data,
                                          std::string_view where) {
  if (entry == nullptr) return std::optional<uint32_t>();
  if (entry->type != kInt32) {
    return Corrupt(where, "EPOCH is of type " + std::to_string(entry->type) + ", not INT32");
  }
  return std::optional<uint32_t>(ReadBe32(data + entry->offset));
}

Status RequireNonEmpty(const std::string& value, std::string_view field, std::string_view where) {
  if (!value.empty()) return Ok();
  return Corrupt(where, "header has no " + std::string(field));
}

}  // namespace

Result<RpmHeaderFields> ParseRpmHeader(std::string_view blob, std::string_view where) {
  if (blob.size() < kPreambleBytes) {
    return Corrupt(where, "header of " + std::to_string(blob.size()) +
                              " bytes is shorter than its 8-byte preamble");
  }
  uint32_t entry_count = ReadBe32(blob.data());
  uint32_t data_size = ReadBe32(blob.data() + 4);
  if (entry_count > kRpmMaxHeaderEntries || data_size > kRpmMaxHeaderData) {
    return Error(ErrorCode::kLimitExceeded,
                 std::string(where) + ": header claims " + std::to_string(entry_count) +
                     " entries and " + std::to_string(data_size) + " bytes of data, over rpm's " +
                     "limits of " + std::to_string(kRpmMaxHeaderEntries) + " and " +
                     std::to_string(kRpmMaxHeaderData));
  }
  uint64_t expected = kPreambleBytes + uint64_t{entry_count} * kEntryBytes + data_size;
  if (blob.size() != expected) {
    return Corrupt(where, "header of " + std::to_string(blob.size()) + " bytes, but its " +
                              std::to_string(entry_count) + " entries and " +
                              std::to_string(data_size) + " bytes of data need " +
                              std::to_string(expected));
  }
  if (entry_count == 0) return Corrupt(where, "header has no entries");

  const char* index = blob.data() + kPreambleBytes;
  const char* data = index + size_t{entry_count} * kEntryBytes;
  std::vector<Entry> entries;
  entries.reserve(entry_count);
  for (uint32_t i = 0; i < entry_count; ++i) {
    entries.push_back(ReadEntry(index + size_t{i} * kEntryBytes));
    BULWARK_TRY(CheckEntry(entries.back(), data_size, where));
  }
  BULWARK_ASSIGN_OR_RETURN(uint32_t region_entries,
                           CheckRegion(entries[0], data, data_size, entry_count, where));
  BULWARK_ASSIGN_OR_RETURN(Found found, FindReadTags(entries, region_entries, where));

  RpmHeaderFields fields;
  auto string_of = [&](size_t slot, std::string_view field, std::string& out) -> Status {
    BULWARK_ASSIGN_OR_RETURN(out, ReadString(found.entries[slot], data, data_size, field, where));
    return Ok();
  };
  BULWARK_TRY(string_of(0, "NAME", fields.name));
  BULWARK_TRY(string_of(1, "VERSION", fields.version));
  BULWARK_TRY(string_of(2, "RELEASE", fields.release));
  BULWARK_ASSIGN_OR_RETURN(fields.epoch, ReadEpoch(found.entries[3], data, where));
  BULWARK_TRY(string_of(4, "LICENSE", fields.license));
  BULWARK_TRY(string_of(5, "ARCH", fields.arch));
  BULWARK_TRY(string_of(6, "SOURCERPM", fields.source_rpm));
  BULWARK_TRY(string_of(7, "MODULARITYLABEL", fields.modularity_label));

  BULWARK_TRY(RequireNonEmpty(fields.name, "NAME", where));
  BULWARK_TRY(RequireNonEmpty(fields.version, "VERSION", where));
  BULWARK_TRY(RequireNonEmpty(fields.release, "RELEASE", where));
  return fields;
}

}  // namespace bulwark::catalog
