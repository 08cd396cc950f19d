// The OpenAPI 3 document of the API (src/server/openapi.json, built into the
// binary), served at /api/v1/openapi.json.
#ifndef BULWARK_SERVER_OPENAPI_H_
#define BULWARK_SERVER_OPENAPI_H_

#include <string_view>

namespace bulwark::server {

// The document's text. Each operation carries "x-bulwark-roles", the roles
// allowed to call it ([] for public ones); tests check that the document and
// Routes() agree. Thread-safe.
std::string_view OpenApiDocument();

}  // namespace bulwark::server

#endif  // BULWARK_SERVER_OPENAPI_H_
