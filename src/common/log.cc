#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace bulwark {

Status SetupLogging(std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return Error(ErrorCode::kInvalidArgument,
                 "log level \"" + std::string(level) +
                     "\": expected error, warn, info, debug or trace");
  }
  auto logger = spdlog::stderr_color_mt("bulwark");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  logger->set_level(parsed);
  spdlog::set_default_logger(logger);
  return Ok();
}

}  // namespace bulwark
