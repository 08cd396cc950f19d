#include "server/openapi.h"

namespace bulwark::server {
namespace {

// Generated at configure time from src/server/openapi.json (CMakeLists.txt).
constexpr char kDocument[] =
#include "server/openapi_json.inc"
    ;

}  // namespace

std::string_view OpenApiDocument() { return std::string_view(kDocument, sizeof kDocument - 1); }

}  // namespace bulwark::server
