// The flags that say how registries are reached, shared by `scan` and `image register`.
#ifndef BULWARK_CLI_REGISTRY_FLAGS_H_
#define BULWARK_CLI_REGISTRY_FLAGS_H_

#include <CLI/CLI.hpp>

#include "image/source.h"

namespace bulwark::cli {

// Adds --registry-ca-file, --insecure-registry and --registry-config to
// `command`, filling `options`, which must outlive the parse.
void AddRegistryFlags(CLI::App* command, image::SourceOptions* options);

// The footer line that lists the SOURCE forms.
inline constexpr char kSourcesHelp[] =
    "Sources: docker-archive:PATH[:REF]  oci:DIR[:TAG|@DIGEST]  oci-archive:PATH[:TAG]  "
    "docker://REF  or a bare path or image reference (a path that exists wins).";

}  // namespace bulwark::cli

#endif  // BULWARK_CLI_REGISTRY_FLAGS_H_
