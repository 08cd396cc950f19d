// Feeds arbitrary bytes to every image document parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "image/documents.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  (void)bulwark::image::ParseManifest(json, "manifest");
  (void)bulwark::image::ParseIndex(json, "index");
  (void)bulwark::image::ParseImageConfig(json, "config");
  (void)bulwark::image::ParseDockerArchiveManifest(json, "manifest.json");
  (void)bulwark::image::SniffDocumentKind(json, "document");
  return 0;
}
