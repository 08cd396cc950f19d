// Base64 (RFC 4648, standard alphabet) for Basic credentials. Internal to registry/.
#ifndef BULWARK_REGISTRY_BASE64_H_
#define BULWARK_REGISTRY_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace bulwark::registry {

// Encodes with padding.
std::string EncodeBase64(std::string_view bytes);

// Decodes padded or unpadded text; nullopt on any other character or a
// length no encoding produces.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_BASE64_H_
