// Builds tar archives in memory for tests (through libarchive's writer).
#ifndef BULWARK_TESTS_TESTING_TAR_BUILDER_H_
#define BULWARK_TESTS_TESTING_TAR_BUILDER_H_

#include <string>
#include <vector>

namespace bulwark::testing {

enum class TarCompression { kNone, kGzip, kZstd };

// Appends entries in order, then Finish() returns the archive bytes.
// Entry names are written exactly as given ("./etc/x", "etc/.wh.y").
class TarBuilder {
 public:
  TarBuilder& File(const std::string& name, const std::string& body, int mode = 0644);
  TarBuilder& Dir(const std::string& name, int mode = 0755);
  TarBuilder& Symlink(const std::string& name, const std::string& target);
  TarBuilder& Hardlink(const std::string& name, const std::string& target);

  // The archive, pax format, optionally compressed. With `end_blocks` false,
  // the two zero end-of-archive blocks are cut off (as some tools write).
  std::string Finish(TarCompression compression = TarCompression::kNone,
                     bool end_blocks = true) const;

 private:
  struct Item {
    char kind;  // 'f', 'd', 'l' (symlink), 'h' (hard link)
    std::string name;
    std::string data;  // Body or link target.
    int mode;
  };
  std::vector<Item> items_;
};

// Compresses bytes (gzip via zlib, zstd via libzstd) for tests.
std::string Gzip(const std::string& data);
std::string Zstd(const std::string& data);

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_TAR_BUILDER_H_
