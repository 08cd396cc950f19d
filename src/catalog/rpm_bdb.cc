#include "catalog/rpm_bdb.h"

#include <cstdint>
#include <string>

#include "catalog/text_lines.h"

namespace bulwark::catalog {
namespace {

// Berkeley DB on-disk facts (db_page.h of Berkeley DB 4.x and 5.x): the
// generic metadata page, the hash metadata that follows it, the page header
// shared by hash and overflow pages, and the item kinds on hash pages.
constexpr uint32_t kHashMagic = 0x061561;
constexpr uint32_t kBtreeMagic = 0x053162;
constexpr uint32_t kQueueMagic = 0x042253;
constexpr uint32_t kHeapMagic = 0x074582;

constexpr size_t kMetaMagic = 12;
constexpr size_t kMetaVersion = 16;
constexpr size_t kMetaPageSize = 20;
constexpr size_t kMetaEncryptAlg = 24;
constexpr size_t kMetaType = 25;
constexpr size_t kMetaFlags = 26;
constexpr size_t kMetaMaxBucket = 72;
constexpr size_t kMetaSpares = 96;
constexpr size_t kMetaBytes = kMetaSpares + 32 * 4;
// The spares are read without a bounds check: the smallest page size accepted
// holds the whole meta record.
static_assert(kMetaBytes <= 512);
constexpr uint8_t kMetaChecksumFlag = 0x01;

constexpr size_t kPageNumber = 8;
constexpr size_t kPageNext = 16;
constexpr size_t kPageEntries = 20;
constexpr size_t kPageHfOffset = 22;  // On overflow pages: the bytes of data held.
constexpr size_t kPageType = 25;
constexpr size_t kPageHeaderBytes = 26;

constexpr uint8_t kPageInvalid = 0;
constexpr uint8_t kPageHashUnsorted = 2;
constexpr uint8_t kPageOverflow = 7;
constexpr uint8_t kPageHashMeta = 8;
constexpr uint8_t kPageHash = 13;

constexpr uint8_t kItemKeyData = 1;
constexpr uint8_t kItemDuplicate = 2;
constexpr uint8_t kItemOffPage = 3;
constexpr uint8_t kItemOffDuplicate = 4;
constexpr size_t kOffPageBytes = 12;  // Kind, 3 unused, page number, total length.

class Reader {
 public:
  Reader(std::string_view bytes, std::string_view path) : bytes_(bytes), path_(path) {}

  Result<std::vector<RpmHeaderBlob>> Read();

 private:
  Status ReadMeta();
  Status ReadBucket(uint32_t bucket, std::vector<RpmHeaderBlob>& blobs);
  Status ReadPairs(uint32_t page, std::vector<RpmHeaderBlob>& blobs);
  // The bytes of item `index` on hash page `page` (its kind byte first).
  Result<std::string_view> Item(uint32_t page, uint16_t entries, uint16_t index);
  Result<std::string> Value(uint32_t page, std::string_view item);
  Result<std::string> Overflow(uint32_t item_page, uint32_t first_page, uint32_t total_length);
  // Marks a page as read; a page reached twice means a loop or shared data.
  Status Visit(uint32_t page);

  uint32_t U32(size_t offset) const;
  uint16_t U16(size_t offset) const;
  uint8_t U8(size_t offset) const { return static_cast<uint8_t>(bytes_[offset]); }
  size_t PageStart(uint32_t page) const { return size_t{page} * page_size_; }
  Error Corrupt(const std::string& what) const {
    return Error(ErrorCode::kCorruptInput, path_ + ": " + what);
  }
  Error PageCorrupt(uint32_t page, const std::string& what) const {
    return Corrupt("page " + std::to_string(page) + ": " + what);
  }

  std::string_view bytes_;
  std::string path_;
  bool big_endian_ = false;
  uint32_t page_size_ = 0;
  uint32_t page_count_ = 0;
  uint32_t max_bucket_ = 0;
  uint32_t spares_[32] = {};
  std::vector<bool> visited_;
  size_t blob_bytes_ = 0;  // Of every value read so far: never more than the file.
};

uint32_t Reader::U32(size_t offset) const {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(U8(offset + i)); };
  if (big_endian_) return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  return byte(3) << 24 | byte(2) << 16 | byte(1) << 8 | byte(0);
}

uint16_t Reader::U16(size_t offset) const {
  auto byte = [&](size_t i) { return static_cast<uint16_t>(U8(offset + i)); };
  if (big_endian_) return static_cast<uint16_t>(byte(0) << 8 | byte(1));
  return static_cast<uint16_t>(byte(1) << 8 | byte(0));
}

// The smallest n with 2^n >= value: which doubling of the table a bucket
// belongs to, the index into the spares array.
uint32_t CeilLog2(uint64_t value) {
  uint32_t n = 0;
  while ((uint64_t{1} << n) < value) ++n;
  return n;
}

Status Reader::ReadMeta() {
  if (bytes_.size() < 512) {
    return Corrupt("file of " + std::to_string(bytes_.size()) +
                   " bytes is too short for a Berkeley DB metadata page");
  }
  big_endian_ = false;
  uint32_t magic = U32(kMetaMagic);
  if (magic != kHashMagic && magic != kBtreeMagic && magic != kQueueMagic && magic != kHeapMagic) {
    big_endian_ = true;
    magic = U32(kMetaMagic);
  }
  if (magic == kBtreeMagic || magic == kQueueMagic || magic == kHeapMagic) {
    return Error(ErrorCode::kUnsupported,
                 path_ +
                     ": a Berkeley DB btree, queue or heap database; rpm keeps its "
                     "headers in a hash database");
  }
  if (magic != kHashMagic) return Corrupt("not a Berkeley DB database (no hash magic)");

  uint32_t version = U32(kMetaVersion);
  if (version != 8 && version != 9) {
    return Error(ErrorCode::kUnsupported,
                 path_ + ": Berkeley DB hash version " + std::to_string(version) +
                     "; versions 8 and 9 (Berkeley DB 4.x and 5.x) are read");
  }
  page_size_ = U32(kMetaPageSize);
  if (page_size_ < 512 || page_size_ > 65536 || (page_size_ & (page_size_ - 1)) != 0) {
    return Corrupt("page size " + std::to_string(page_size_) + " is not a power of two " +
                   "from 512 to 65536");
  }
  if (U8(kMetaType) != kPageHashMeta) return Corrupt("page 0 is not a hash metadata page");
  // LIMITATION(#4): encrypted databases and page checksums are refused
  // (kUnsupported, the scan fails); rpm never turns either on.
  if (U8(kMetaEncryptAlg) != 0) {
    return Error(ErrorCode::kUnsupported, path_ + ": an encrypted Berkeley DB database");
  }
  if ((U8(kMetaFlags) & kMetaChecksumFlag) != 0) {
    return Error(ErrorCode::kUnsupported, path_ + ": a Berkeley DB database with page checksums");
  }

  page_count_ = static_cast<uint32_t>(bytes_.size() / page_size_);
  max_bucket_ = U32(kMetaMaxBucket);
  if (max_bucket_ >= page_count_) {
    return Corrupt("hash table of " + std::to_string(uint64_t{max_bucket_} + 1) +
                   " buckets in a file of " + std::to_string(page_count_) + " pages");
  }
  for (size_t i = 0; i < 32; ++i) spares_[i] = U32(kMetaSpares + 4 * i);
  visited_.assign(page_count_, false);
  visited_[0] = true;
  return Ok();
}

Status Reader::Visit(uint32_t page) {
  if (page == 0 || page >= page_count_) {
    return Corrupt("reference to page " + std::to_string(page) + ", outside the " +
                   std::to_string(page_count_) + " pages of the file");
  }
  if (visited_[page]) return PageCorrupt(page, "reached twice (a loop or shared pages)");
  visited_[page] = true;
  return Ok();
}

Result<std::string_view> Reader::Item(uint32_t page, uint16_t entries, uint16_t index) {
  size_t start = PageStart(page);
  size_t index_end = kPageHeaderBytes + size_t{entries} * 2;
  size_t offset = U16(start + kPageHeaderBytes + size_t{index} * 2);
  // Items fill the page from its end down, in index order: item 0 ends at the
  // page's end, every later item where the one before it starts.
  size_t end = index == 0 ? page_size_ : U16(start + kPageHeaderBytes + (size_t{index} - 1) * 2);
  if (offset < index_end || offset >= end || end > page_size_) {
    return PageCorrupt(page, "item " + std::to_string(index) + " at " + std::to_string(offset) +
                                 ".." + std::to_string(end) + " lies outside its page");
  }
  return bytes_.substr(start + offset, end - offset);
}

Result<std::string> Reader::Overflow(uint32_t item_page, uint32_t first_page,
                                     uint32_t total_length) {
  if (total_length > bytes_.size() - blob_bytes_) {
    return PageCorrupt(item_page, "a value of " + std::to_string(total_length) +
                                      " bytes, more than the file holds beside the others");
  }
  blob_bytes_ += total_length;
  std::string value;
  value.reserve(total_length);
  uint32_t page = first_page;
  while (page != 0) {
    BULWARK_TRY(Visit(page));
    size_t start = PageStart(page);
    if (U8(start + kPageType) != kPageOverflow) {
      return PageCorrupt(page, "is not an overflow page");
    }
    size_t length = U16(start + kPageHfOffset);
    if (length > page_size_ - kPageHeaderBytes || length > total_length - value.size()) {
      return PageCorrupt(page, "overflow page claims " + std::to_string(length) + " bytes");
    }
    value.append(bytes_.substr(start + kPageHeaderBytes, length));
    page = U32(start + kPageNext);
  }
  if (value.size() != total_length) {
    return PageCorrupt(first_page, "overflow chain holds " + std::to_string(value.size()) +
                                       " of its " + std::to_string(total_length) + " bytes");
  }
  return value;
}

Result<std::string> Reader::Value(uint32_t page, std::string_view item) {
  uint8_t kind = static_cast<uint8_t>(item[0]);
  if (kind == kItemKeyData) {
    blob_bytes_ += item.size() - 1;
    return std::string(item.substr(1));
  }
  if (kind == kItemDuplicate || kind == kItemOffDuplicate) {
    return Error(ErrorCode::kUnsupported, path_ + ": page " + std::to_string(page) +
                                              ": duplicate keys, which rpm never writes");
  }
  if (kind != kItemOffPage || item.size() < kOffPageBytes) {
    return PageCorrupt(page, "item of unknown kind " + std::to_string(kind));
  }
  size_t at = static_cast<size_t>(item.data() - bytes_.data());
  return Overflow(page, U32(at + 4), U32(at + 8));
}

Status Reader::ReadPairs(uint32_t page, std::vector<RpmHeaderBlob>& blobs) {
  size_t start = PageStart(page);
  uint16_t entries = U16(start + kPageEntries);
  if (entries % 2 != 0 || kPageHeaderBytes + size_t{entries} * 2 > page_size_) {
    return PageCorrupt(page, std::to_string(entries) + " items do not make key/value pairs");
  }
  for (uint16_t i = 0; i < entries; i += 2) {
    BULWARK_ASSIGN_OR_RETURN(std::string_view key, Item(page, entries, i));
    BULWARK_ASSIGN_OR_RETURN(std::string_view data, Item(page, entries, i + 1));
    if (static_cast<uint8_t>(key[0]) != kItemKeyData || key.size() != 5) {
      return PageCorrupt(page, "key " + std::to_string(i / 2) + " is not a 4-byte header number");
    }
    uint32_t number = U32(static_cast<size_t>(key.data() + 1 - bytes_.data()));
    BULWARK_ASSIGN_OR_RETURN(std::string value, Value(page, data));
    // rpm keeps its next header number under key 0; it is no package.
    if (number == 0) continue;
    blobs.push_back(RpmHeaderBlob{number, std::move(value)});
  }
  return Ok();
}

Status Reader::ReadBucket(uint32_t bucket, std::vector<RpmHeaderBlob>& blobs) {
  uint64_t first = uint64_t{bucket} + spares_[CeilLog2(uint64_t{bucket} + 1)];
  if (first >= page_count_) {
    return Corrupt("bucket " + std::to_string(bucket) + " maps to page " + std::to_string(first) +
                   ", outside the file");
  }
  uint32_t page = static_cast<uint32_t>(first);
  while (page != 0) {
    BULWARK_TRY(Visit(page));
    size_t start = PageStart(page);
    uint8_t type = U8(start + kPageType);
    // Berkeley DB allocates bucket pages lazily; one never written reads as
    // zeros and holds an empty bucket.
    if (type == kPageInvalid && page == first && U32(start + kPageNumber) == 0) return Ok();
    if (type != kPageHash && type != kPageHashUnsorted) {
      return PageCorrupt(page, "of type " + std::to_string(type) + " in the chain of bucket " +
                                   std::to_string(bucket) + " is not a hash page");
    }
    if (U32(start + kPageNumber) != page) {
      return PageCorrupt(page, "says it is page " + std::to_string(U32(start + kPageNumber)));
    }
    BULWARK_TRY(ReadPairs(page, blobs));
    page = U32(start + kPageNext);
  }
  return Ok();
}

Result<std::vector<RpmHeaderBlob>> Reader::Read() {
  BULWARK_TRY(internal::CheckFileSize(bytes_, path_, internal::kMaxDatabaseBytes));
  BULWARK_TRY(ReadMeta());
  std::vector<RpmHeaderBlob> blobs;
  // max_bucket_ is below the page count, itself bounded by the file size
  // limit, so every bucket's doubling indexes the 32 spares.
  for (uint64_t bucket = 0; bucket <= max_bucket_; ++bucket) {
    BULWARK_TRY(ReadBucket(static_cast<uint32_t>(bucket), blobs));
  }
  return blobs;
}

}  // namespace

Result<std::vector<RpmHeaderBlob>> ReadRpmBerkeleyDb(std::string_view bytes,
                                                     std::string_view path) {
  Reader reader(bytes, path);
  return reader.Read();
}

}  // namespace bulwark::catalog
