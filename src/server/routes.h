// The routes of the HTTP API (/api/v1), each with the roles allowed to call it.
// This table is the one list: the server registers handlers from it, the
// OpenAPI document (server/openapi.json) must describe exactly these routes,
// and the authorization tests walk it.
#ifndef BULWARK_SERVER_ROUTES_H_
#define BULWARK_SERVER_ROUTES_H_

#include <string>
#include <vector>

#include "server/auth.h"

namespace bulwark::server {

enum class RouteId {
  kHealth,
  kOpenApi,
  kWhoAmI,
  kListImages,
  kRegisterImage,
  kShowImage,
  kRemoveImage,
  kListPolicies,
  kPutPolicy,
  kShowPolicy,
  kRemovePolicy,
  kSubmitScan,
  kListScans,
  kShowScan,
  kScanReport,
  kListUsers,
  kAddUser,
  kRemoveUser,
  kListTokens,
  kCreateToken,
  kRevokeToken,
  kListAudit,
  kListRegistries,
  kAddRegistry,
  kShowRegistry,
  kRemoveRegistry,
  kTestRegistry,
  kListRepositories,
  kListTags,
  kPullImage,
  kRescanImage,
};

// Bits of Route::roles.
inline constexpr unsigned kAdministratorBit = 1u << 0;
inline constexpr unsigned kScannerBit = 1u << 1;
inline constexpr unsigned kAuditorBit = 1u << 2;

struct Route {
  RouteId id;
  const char* method;   // "GET", "POST", "DELETE".
  const char* path;     // OpenAPI template, e.g. "/api/v1/images/{image}".
  unsigned roles;       // Role bits allowed; 0 means public (no credentials needed).
  const char* summary;  // One line, as in the OpenAPI document.
};

// Every route, in the order of the OpenAPI document. Thread-safe.
const std::vector<Route>& Routes();

// Whether `role` may call `route` (always true for a public route).
bool Allows(const Route& route, Role role);

// The route's path as a cpp-httplib pattern: each {parameter} becomes a
// capture of one path segment, except {image} and {repo}, which take one or
// more segments since image and repository names hold slashes (the rest of
// the path, or up to the literal segments that follow them).
std::string HttplibPattern(const Route& route);

}  // namespace bulwark::server

#endif  // BULWARK_SERVER_ROUTES_H_
