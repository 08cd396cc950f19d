// URL helpers over libcurl's URL parser. Internal to registry/.
#ifndef BULWARK_REGISTRY_URL_H_
#define BULWARK_REGISTRY_URL_H_

#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::registry {

// The parts of an absolute http(s) URL that decide where bytes go.
struct UrlOrigin {
  std::string scheme;  // "http" or "https".
  std::string host;    // Lower case; IPv6 without brackets.
  int port = 0;        // The default port of the scheme when none is written.

  // "scheme://host:port".
  std::string str() const;
  friend bool operator==(const UrlOrigin&, const UrlOrigin&) = default;
};

// The origin of `url`. kInvalidArgument for anything but an absolute http or
// https URL.
Result<UrlOrigin> OriginOf(std::string_view url);

// `location` (absolute, or relative as a Location header may be) resolved
// against `base`. kInvalidArgument when it cannot be parsed.
Result<std::string> ResolveUrl(std::string_view base, std::string_view location);

// Percent-encodes `text` for a query parameter value.
std::string EscapeQueryValue(std::string_view text);

// Whether `host` (no port, IPv6 without brackets) is this machine: localhost,
// 127.0.0.0/8 or ::1.
bool IsLoopbackHost(std::string_view host);

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_URL_H_
