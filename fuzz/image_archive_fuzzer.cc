// Feeds arbitrary bytes as an image archive: OpenSource, Resolve, StreamLayers.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "common/byte_stream.h"
#include "image/source.h"

namespace {

// One temporary file per process, rewritten for every input.
const std::string& TempPath() {
  static const std::string path = [] {
    char pattern[] = "/tmp/bulwark-archive-fuzz-XXXXXX";
    int fd = ::mkstemp(pattern);
    if (fd >= 0) ::close(fd);
    return std::string(pattern);
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string& path = TempPath();
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);

  for (const std::string& spec : {path, "docker-archive:" + path, "oci-archive:" + path}) {
    auto source = bulwark::image::OpenSource(spec);
    if (!source.ok()) continue;
    auto image = (*source)->Resolve({});
    if (!image.ok()) continue;
    std::vector<size_t> indices;
    for (size_t i = 0; i < image->layers.size(); ++i) indices.push_back(i);
    (void)(*source)->StreamLayers(indices, [](size_t, bulwark::ByteStream& blob) {
      return bulwark::ReadAllLimited(blob, 1 << 20, "layer").ok()
                 ? bulwark::Ok()
                 : bulwark::Status(bulwark::Error(bulwark::ErrorCode::kCorruptInput, "x"));
    });
  }
  return 0;
}
