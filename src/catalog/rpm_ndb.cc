#include "catalog/rpm_ndb.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_set>

#include "catalog/text_lines.h"

// LIMITATION(#4): no database written by rpm's own ndb backend is among the
// test fixtures (Debian's rpm is built without it); the reader is checked
// against the layout of rpmpkg.c, with real header blobs, and fails closed on
// anything else.

namespace bulwark::catalog {
namespace {

// ndb layout facts, from rpm's lib/backend/ndb/rpmpkg.c: everything is
// little-endian, offsets and counts are in 16-byte blocks, and the slot
// area spans whole 4096-byte pages (the file header takes the first two
// slots of page 0).
constexpr uint32_t Magic(char a, char b, char c, char d) {
  return static_cast<uint32_t>(a) | static_cast<uint32_t>(b) << 8 | static_cast<uint32_t>(c) << 16 |
         static_cast<uint32_t>(d) << 24;
}
constexpr uint32_t kFileMagic = Magic('R', 'p', 'm', 'P');
constexpr uint32_t kSlotMagic = Magic('S', 'l', 'o', 't');
constexpr uint32_t kBlobHeadMagic = Magic('B', 'l', 'b', 'S');
constexpr uint32_t kBlobTailMagic = Magic('B', 'l', 'b', 'E');

constexpr size_t kFileHeaderBytes = 32;
constexpr size_t kSlotBytes = 16;
constexpr size_t kBlockBytes = 16;
constexpr size_t kSlotPageBytes = 4096;
constexpr size_t kBlobHeadBytes = 16;  // Magic, package index, timestamp, length.
constexpr size_t kBlobTailBytes = 12;  // Adler-32, length, magic.

struct Slot {
  uint32_t number = 0;  // 0-based position in the slot area, for errors.
  uint32_t package = 0;
  uint32_t block_offset = 0;
  uint32_t block_count = 0;
};

uint32_t ReadLe32(std::string_view bytes, size_t offset) {
  auto byte = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[offset + i]));
  };
  return byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24;
}

Error Corrupt(std::string_view path, const std::string& what) {
  return Error(ErrorCode::kCorruptInput, std::string(path) + ": " + what);
}

std::string SlotName(const Slot& slot) {
  return "slot " + std::to_string(slot.number) + " (package " + std::to_string(slot.package) + ")";
}

// Reads the used slots of the slot pages, sorted by where their blobs lie.
Result<std::vector<Slot>> ReadSlots(std::string_view bytes, uint32_t slot_pages,
                                    std::string_view path) {
  uint64_t file_blocks = bytes.size() / kBlockBytes;
  uint64_t first_data_block = uint64_t{slot_pages} * (kSlotPageBytes / kBlockBytes);
  std::vector<Slot> slots;
  size_t area_end = size_t{slot_pages} * kSlotPageBytes;
  for (size_t at = kFileHeaderBytes; at < area_end; at += kSlotBytes) {
    Slot slot{static_cast<uint32_t>(at / kSlotBytes), ReadLe32(bytes, at + 4),
              ReadLe32(bytes, at + 8), ReadLe32(bytes, at + 12)};
    if (ReadLe32(bytes, at) != kSlotMagic) {
      return Corrupt(path, "slot " + std::to_string(slot.number) + " has no slot magic");
    }
    if (slot.block_offset == 0) continue;  // A free slot.
    if (slot.package == 0 || slot.block_count == 0) {
      return Corrupt(path, SlotName(slot) + " is used but names no package or no blocks");
    }
    if (slot.block_offset < first_data_block ||
        uint64_t{slot.block_offset} + slot.block_count > file_blocks) {
      return Corrupt(
          path, SlotName(slot) + " points at blocks " + std::to_string(slot.block_offset) + "+" +
                    std::to_string(slot.block_count) + ", outside the blob area of " +
                    std::to_string(first_data_block) + ".." + std::to_string(file_blocks));
    }
    slots.push_back(slot);
  }

  std::sort(slots.begin(), slots.end(),
            [](const Slot& a, const Slot& b) { return a.block_offset < b.block_offset; });
  for (size_t i = 1; i < slots.size(); ++i) {
    const Slot& before = slots[i - 1];
    if (uint64_t{before.block_offset} + before.block_count > slots[i].block_offset) {
      return Corrupt(path, SlotName(before) + " and " + SlotName(slots[i]) + " overlap");
    }
  }
  std::unordered_set<uint32_t> packages;
  for (const Slot& slot : slots) {
    if (!packages.insert(slot.package).second) {
      return Corrupt(path, "package " + std::to_string(slot.package) + " has two slots");
    }
  }
  return slots;
}

Result<RpmHeaderBlob> ReadBlob(std::string_view bytes, const Slot& slot, std::string_view path) {
  size_t start = size_t{slot.block_offset} * kBlockBytes;
  size_t span = size_t{slot.block_count} * kBlockBytes;
  if (span < kBlobHeadBytes + kBlobTailBytes) {
    return Corrupt(path, SlotName(slot) + " is too small to hold a blob");
  }
  if (ReadLe32(bytes, start) != kBlobHeadMagic || ReadLe32(bytes, start + 4) != slot.package) {
    return Corrupt(path, SlotName(slot) + ": no blob head for this package");
  }
  uint64_t length = ReadLe32(bytes, start + 12);
  uint64_t needed_blocks =
      (kBlobHeadBytes + length + kBlobTailBytes + kBlockBytes - 1) / kBlockBytes;
  if (needed_blocks != slot.block_count) {
    return Corrupt(path, SlotName(slot) + ": a blob of " + std::to_string(length) +
                             " bytes does not fill " + std::to_string(slot.block_count) +
                             " blocks");
  }

  size_t tail = start + span - kBlobTailBytes;
  uLong adler = adler32(0L, Z_NULL, 0);
  adler = adler32(adler, reinterpret_cast<const Bytef*>(bytes.data() + start),
                  static_cast<uInt>(tail - start));
  if (ReadLe32(bytes, tail) != static_cast<uint32_t>(adler)) {
    return Corrupt(path, SlotName(slot) + ": blob checksum mismatch");
  }
  if (ReadLe32(bytes, tail + 4) != length || ReadLe32(bytes, tail + 8) != kBlobTailMagic) {
    return Corrupt(path, SlotName(slot) + ": blob tail does not match its head");
  }
  return RpmHeaderBlob{slot.package, std::string(bytes.substr(start + kBlobHeadBytes, length))};
}

}  // namespace

Result<std::vector<RpmHeaderBlob>> ReadRpmNdb(std::string_view bytes, std::string_view path) {
  BULWARK_TRY(internal::CheckFileSize(bytes, path, internal::kMaxDatabaseBytes));
  if (bytes.size() < kSlotPageBytes || bytes.size() % kBlockBytes != 0) {
    return Corrupt(path, "file of " + std::to_string(bytes.size()) +
                             " bytes is not an ndb database (one 4096-byte slot page at least, "
                             "in 16-byte blocks)");
  }
  if (ReadLe32(bytes, 0) != kFileMagic) return Corrupt(path, "not an ndb database (no RpmP magic)");
  uint32_t version = ReadLe32(bytes, 4);
  if (version != 0) {
    return Error(ErrorCode::kUnsupported,
                 std::string(path) + ": ndb version " + std::to_string(version) + "; 0 is read");
  }
  uint32_t slot_pages = ReadLe32(bytes, 12);
  if (slot_pages == 0 || uint64_t{slot_pages} * kSlotPageBytes > bytes.size()) {
    return Corrupt(path, std::to_string(slot_pages) + " slot pages in a file of " +
                             std::to_string(bytes.size()) + " bytes");
  }

  BULWARK_ASSIGN_OR_RETURN(std::vector<Slot> slots, ReadSlots(bytes, slot_pages, path));
  std::vector<RpmHeaderBlob> blobs;
  blobs.reserve(slots.size());
  for (const Slot& slot : slots) {
    BULWARK_ASSIGN_OR_RETURN(RpmHeaderBlob blob, ReadBlob(bytes, slot, path));
    blobs.push_back(std::move(blob));
  }
  return blobs;
}

}  // namespace bulwark::catalog
