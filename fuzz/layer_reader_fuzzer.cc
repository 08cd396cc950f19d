// Feeds arbitrary bytes to the layer reader, the merged view built from its
// result, and the layer cache decoder.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/byte_stream.h"
#include "layer/layer_contents.h"
#include "layer/layer_reader.h"
#include "layer/merged_fs.h"

namespace {

using bulwark::MemoryStream;
using bulwark::layer::LayerContents;
using bulwark::layer::MergedFs;

bulwark::layer::ReadOptions FuzzOptions() {
  bulwark::layer::ReadOptions options;
  options.wanted = {{"etc/os-release"}, {"usr/lib/os-release"}, {"var/lib/dpkg/status.d", true}};
  options.limits.max_kept_file = 64 << 10;
  options.limits.max_kept_total = 256 << 10;
  options.limits.max_uncompressed = 16 << 20;
  options.limits.max_entries = 4096;
  options.limits.max_path_length = 1024;
  return options;
}

// Walks the merged view the way catalogers do.
void Explore(const MergedFs& fs, const LayerContents& contents) {
  for (const char* path : {"etc/os-release", "/usr/lib/os-release", "lib/../etc/./os-release"}) {
    (void)fs.ReadFile(path);
  }
  (void)fs.ListDir("var/lib/dpkg/status.d");
  (void)fs.ListDir("/");
  for (const auto& entry : contents.entries) {
    (void)fs.Lookup(entry.path, /*follow_last=*/false);
    (void)fs.ReadFile(entry.path);
    if (entry.type == bulwark::layer::EntryType::kDirectory) (void)fs.ListDir(entry.path);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  MemoryStream stream(bytes);
  auto contents = bulwark::layer::ReadLayer(stream, FuzzOptions());
  if (contents.ok()) {
    // The same layer twice exercises replacement across layers.
    auto fs = MergedFs::Build({&*contents, &*contents});
    if (fs.ok()) Explore(*fs, *contents);
    auto restored =
        bulwark::layer::DeserializeLayerContents(bulwark::layer::SerializeLayerContents(*contents));
    if (!restored.ok()) __builtin_trap();  // A round trip must always succeed.
  }

  auto cached = bulwark::layer::DeserializeLayerContents(bytes);
  if (cached.ok()) {
    auto fs = MergedFs::Build({&*cached});
    if (fs.ok()) Explore(*fs, *cached);
  }
  return 0;
}
