#include "server/routes.h"

namespace bulwark::server {
namespace {

constexpr unsigned kEveryone = kAdministratorBit | kScannerBit | kAuditorBit;
constexpr unsigned kReaders = kAdministratorBit | kAuditorBit;
constexpr unsigned kScanReaders = kEveryone;
constexpr unsigned kAdmin = kAdministratorBit;

unsigned BitOf(Role role) {
  switch (role) {
    case Role::kAdministrator:
      return kAdministratorBit;
    case Role::kScanner:
      return kScannerBit;
    case Role::kAuditor:
      return kAuditorBit;
  }
  return 0;
}

}  // namespace

const std::vector<Route>& Routes() {
  static const std::vector<Route> kRoutes = {
      {RouteId::kHealth, "GET", "/api/v1/health", 0, "Liveness: the server answers"},
      {RouteId::kOpenApi, "GET", "/api/v1/openapi.json", 0, "This API as an OpenAPI 3 document"},
      {RouteId::kWhoAmI, "GET", "/api/v1/whoami", kEveryone, "The caller's account and role"},
      {RouteId::kListImages, "GET", "/api/v1/images", kReaders, "List registered images"},
      {RouteId::kRegisterImage, "POST", "/api/v1/images", kAdmin,
       "Register an image from an analysis the client made"},
      {RouteId::kShowImage, "GET", "/api/v1/images/{image}", kReaders,
       "Show a registered image with its lineage and packages"},
      {RouteId::kRemoveImage, "DELETE", "/api/v1/images/{image}", kAdmin,
       "Remove a registered image"},
      {RouteId::kPullImage, "POST", "/api/v1/images/pull", kAdmin,
       "Register an image the server pulls from a configured registry"},
      {RouteId::kRescanImage, "POST", "/api/v1/images/{image}/rescan", kAdmin,
       "Pull a registered image again from its registry and re-analyse it"},
      {RouteId::kListPolicies, "GET", "/api/v1/policies", kReaders, "List stored policies"},
      {RouteId::kPutPolicy, "POST", "/api/v1/policies", kAdmin,
       "Create or replace a policy from its document"},
      {RouteId::kShowPolicy, "GET", "/api/v1/policies/{name}", kReaders,
       "A stored policy document"},
      {RouteId::kRemovePolicy, "DELETE", "/api/v1/policies/{name}", kAdmin, "Remove a policy"},
      {RouteId::kSubmitScan, "POST", "/api/v1/scans", kAdministratorBit | kScannerBit,
       "Evaluate an analysis under the server's policies and record the scan"},
      {RouteId::kListScans, "GET", "/api/v1/scans", kScanReaders,
       "Scan history, newest first, optionally of one image"},
      {RouteId::kShowScan, "GET", "/api/v1/scans/{id}", kScanReaders, "One scan's verdict"},
      {RouteId::kScanReport, "GET", "/api/v1/scans/{id}/report", kScanReaders,
       "One scan's JSON report"},
      {RouteId::kListUsers, "GET", "/api/v1/users", kAdmin, "List accounts"},
      {RouteId::kAddUser, "POST", "/api/v1/users", kAdmin, "Create or update an account"},
      {RouteId::kRemoveUser, "DELETE", "/api/v1/users/{name}", kAdmin,
       "Remove an account and revoke its tokens"},
      {RouteId::kListTokens, "GET", "/api/v1/tokens", kAdmin, "List API tokens (never the tokens)"},
      {RouteId::kCreateToken, "POST", "/api/v1/tokens", kAdmin,
       "Create an API token; the answer is the only place it is shown"},
      {RouteId::kRevokeToken, "DELETE", "/api/v1/tokens/{id}", kAdmin, "Revoke an API token"},
      {RouteId::kListAudit, "GET", "/api/v1/audit", kReaders, "The audit log, newest first"},
      {RouteId::kListRegistries, "GET", "/api/v1/registries", kReaders,
       "List configured registries (never their secrets)"},
      {RouteId::kAddRegistry, "POST", "/api/v1/registries", kAdmin,
       "Add or update a registry; its password is sealed with the server key"},
      {RouteId::kShowRegistry, "GET", "/api/v1/registries/{name}", kReaders,
       "One registry (never its secret)"},
      {RouteId::kRemoveRegistry, "DELETE", "/api/v1/registries/{name}", kAdmin,
       "Remove a registry"},
      {RouteId::kTestRegistry, "POST", "/api/v1/registries/{name}/test", kAdmin,
       "Connect to a registry and authenticate with its credentials"},
      {RouteId::kListRepositories, "GET", "/api/v1/registries/{name}/repositories", kReaders,
       "One page of a registry's repositories (its catalog)"},
      {RouteId::kListTags, "GET", "/api/v1/registries/{name}/repositories/{repo}/tags", kReaders,
       "One page of a repository's tags"},
  };
  return kRoutes;
}

bool Allows(const Route& route, Role role) {
  return route.roles == 0 || (route.roles & BitOf(role)) != 0;
}

std::string HttplibPattern(const Route& route) {
  std::string pattern;
  for (const char* p = route.path; *p != '\0'; ++p) {
    if (*p != '{') {
      pattern += *p == '.' ? std::string("\\.") : std::string(1, *p);
      continue;
    }
    std::string name;
    for (++p; *p != '\0' && *p != '}'; ++p) name += *p;
    if (*p == '\0') break;
    pattern += name == "image" || name == "repo" ? "(.+)" : "([^/]+)";
  }
  return pattern;
}

}  // namespace bulwark::server
