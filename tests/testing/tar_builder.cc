#include "testing/tar_builder.h"

#include <archive.h>
#include <archive_entry.h>
#include <zlib.h>
#include <zstd.h>

#include <stdexcept>

namespace bulwark::testing {

TarBuilder& TarBuilder::File(const std::string& name, const std::string& body, int mode) {
  items_.push_back({'f', name, body, mode});
  return *this;
}

TarBuilder& TarBuilder::Dir(const std::string& name, int mode) {
  items_.push_back({'d', name, "", mode});
  return *this;
}

TarBuilder& TarBuilder::Symlink(const std::string& name, const std::string& target) {
  items_.push_back({'l', name, target, 0777});
  return *this;
}

TarBuilder& TarBuilder::Hardlink(const std::string& name, const std::string& target) {
  items_.push_back({'h', name, target, 0644});
  return *this;
}

std::string TarBuilder::Finish(TarCompression compression, bool end_blocks) const {
  archive* writer = archive_write_new();
  archive_write_set_format_pax_restricted(writer);
  archive_write_set_bytes_in_last_block(writer, 1);
  size_t capacity = 1 << 20;
  for (const Item& item : items_) capacity += item.data.size() + 2048;
  std::string buffer(capacity, '\0');
  size_t used = 0;
  if (archive_write_open_memory(writer, buffer.data(), buffer.size(), &used) != ARCHIVE_OK) {
    throw std::runtime_error(archive_error_string(writer));
  }
  for (const Item& item : items_) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, item.name.c_str());
    archive_entry_set_perm(entry, item.mode);
    archive_entry_set_mtime(entry, 1704067200, 0);
    switch (item.kind) {
      case 'f':
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_size(entry, item.data.size());
        break;
      case 'd':
        archive_entry_set_filetype(entry, AE_IFDIR);
        break;
      case 'l':
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_symlink(entry, item.data.c_str());
        break;
      case 'h':
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_hardlink(entry, item.data.c_str());
        break;
    }
    archive_write_header(writer, entry);
    if (item.kind == 'f' && !item.data.empty()) {
      archive_write_data(writer, item.data.data(), item.data.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(writer);
  archive_write_free(writer);
  buffer.resize(used);
  if (!end_blocks) {
    // Drop the trailing zero blocks, keeping the archive a whole number of blocks.
    while (buffer.size() >= 512 && buffer.find_first_not_of('\0', buffer.size() - 512) ==
                                       std::string::npos) {
      buffer.resize(buffer.size() - 512);
    }
  }
  switch (compression) {
    case TarCompression::kNone: return buffer;
    case TarCompression::kGzip: return Gzip(buffer);
    case TarCompression::kZstd: return Zstd(buffer);
  }
  return buffer;
}

std::string Gzip(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = data.size();
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = out.size();
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

std::string Zstd(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  if (ZSTD_isError(size)) throw std::runtime_error(ZSTD_getErrorName(size));
  out.resize(size);
  return out;
}

}  // namespace bulwark::testing
