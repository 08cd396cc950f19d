// Logging setup: spdlog to stderr, fixed messages plus key=value fields.
#ifndef BULWARK_COMMON_LOG_H_
#define BULWARK_COMMON_LOG_H_

#include <spdlog/spdlog.h>

#include <string_view>

#include "common/result.h"

namespace bulwark {

// Configures the default logger to write to stderr at `level`
// ("error", "warn", "info", "debug", "trace"). Fails on an unknown level.
Status SetupLogging(std::string_view level);

}  // namespace bulwark

// Usage: BULWARK_LOG(info, "scan", "layer read", "layer={} elapsed_ms={}", d, ms);
// Renders as: "scan: layer read layer=sha256:... elapsed_ms=12".
#define BULWARK_LOG(level, component, message, ...) \
  spdlog::level(component ": " message " " __VA_ARGS__)

#endif  // BULWARK_COMMON_LOG_H_
