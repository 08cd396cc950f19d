// Images pulled from a registry (docker://REF, or a bare reference). Internal to image/.
#ifndef BULWARK_IMAGE_REGISTRY_SOURCE_H_
#define BULWARK_IMAGE_REGISTRY_SOURCE_H_

#include <memory>
#include <string>

#include "image/reference.h"
#include "image/source.h"

namespace bulwark::image::internal {

// A source reading `reference` from its registry. Nothing is sent before
// Resolve. `spec` is the SOURCE as given. When `bare_text` is set, the SOURCE
// was a bare text naming no file; every error then says both readings (no
// such file, and what the registry answered), so that a mistyped file name
// never reads as a registry problem alone.
std::unique_ptr<ImageSource> MakeRegistrySource(std::string spec, Reference reference,
                                                bool bare_text, const SourceOptions& options);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_REGISTRY_SOURCE_H_
