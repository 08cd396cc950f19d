#include "cli/registry_flags.h"

namespace bulwark::cli {

void AddRegistryFlags(CLI::App* command, image::SourceOptions* options) {
  command->add_option("--registry-ca-file", options->registry_ca_file,
                      "PEM CA bundle to trust for registries (docker://REF sources)");
  command->add_flag("--insecure-registry", options->insecure_registry,
                    "Skip TLS verification and allow plain http for registries (logged as a "
                    "warning); loopback registries may use plain http without it");
  command->add_option("--registry-config", options->docker_config,
                      "Docker config.json with registry credentials (default: "
                      "$DOCKER_CONFIG/config.json, else ~/.docker/config.json)");
}

}  // namespace bulwark::cli
