// A nesting check run before handing untrusted JSON to nlohmann-json, whose
// recursion would otherwise follow the input's depth. Internal to registry/.
#ifndef BULWARK_REGISTRY_JSON_LIMITS_H_
#define BULWARK_REGISTRY_JSON_LIMITS_H_

#include <string_view>

#include "common/result.h"

namespace bulwark::registry {

// kLimitExceeded naming `what` when arrays and objects in `text` nest deeper
// than `max_depth` (brackets inside strings do not count). Says nothing about
// whether `text` is valid JSON.
Status CheckJsonNesting(std::string_view text, int max_depth, std::string_view what);

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_JSON_LIMITS_H_
