// Fuzzes what the server reads from a request before anything else: the
// Authorization header (login), the account bodies (POST /api/v1/users,
// /api/v1/tokens) and the registry bodies (POST /api/v1/registries,
// /api/v1/images/pull). The first input byte picks the parser. None may crash,
// hang or throw; errors carry the documented codes, and an error about the
// Authorization header is a fixed text that cannot quote the credentials.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/auth.h"
#include "server/registry_requests.h"
#include "server/request_parsers.h"

namespace {

using bulwark::ErrorCode;

void Require(bool condition) {
  if (!condition) __builtin_trap();
}

// Every error about the header is one of these fixed texts, so none can
// quote the credentials it was given.
bool IsFixedMessage(const std::string& message) {
  static const char* const kMessages[] = {"too long",
                                          "malformed bearer token",
                                          "use Basic (user and password) or Bearer (API token)",
                                          "Basic credentials are not base64",
                                          "Basic credentials have no user:password",
                                          "malformed user name",
                                          "password too long"};
  for (const char* text : kMessages) {
    if (message == std::string("authorization header: ") + text) return true;
  }
  return false;
}

void CheckAuthorization(std::string_view header) {
  auto credentials = bulwark::server::ParseAuthorization(header);
  if (!credentials.ok()) {
    Require(credentials.error().code() == ErrorCode::kAuthentication);
    Require(IsFixedMessage(credentials.error().message()));
    return;
  }
  using Kind = bulwark::server::Credentials::Kind;
  Require(credentials->kind != Kind::kNone || header.empty());
  if (credentials->kind == Kind::kBasic) {
    Require(bulwark::server::CheckUserName(credentials->user).ok());
    Require(credentials->password.size() <= bulwark::server::kMaxPasswordBytes);
  }
  if (credentials->kind == Kind::kBearer) Require(!credentials->token.empty());
}

bool IsBodyError(ErrorCode code) {
  return code == ErrorCode::kInvalidArgument || code == ErrorCode::kCorruptInput ||
         code == ErrorCode::kLimitExceeded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  switch (data[0] % 5) {
    case 0:
      CheckAuthorization(input);
      break;
    case 1: {
      auto user = bulwark::server::ParseUserRequest(input);
      if (!user.ok()) Require(IsBodyError(user.error().code()));
      if (user.ok()) Require(bulwark::server::CheckUserName(user->name).ok());
      break;
    }
    case 3: {
      namespace internal = bulwark::server::internal;
      auto registry = internal::ParseRegistryRequest(input);
      if (!registry.ok()) Require(IsBodyError(registry.error().code()));
      if (registry.ok()) {
        Require(internal::CheckRegistryName(registry->registry.name).ok());
        Require(!registry->registry.host.empty());
        Require(registry->password.empty() || !registry->registry.username.empty());
      }
      break;
    }
    case 4: {
      namespace internal = bulwark::server::internal;
      auto pull = internal::ParsePullRequest(input);
      if (!pull.ok()) Require(IsBodyError(pull.error().code()));
      if (pull.ok()) Require(pull->names.size() <= internal::kMaxNames);
      break;
    }
    default: {
      auto token = bulwark::server::ParseTokenRequest(input);
      if (!token.ok()) Require(IsBodyError(token.error().code()));
      if (token.ok()) Require(!token->name.empty() && token->name.size() <= 128);
      break;
    }
  }
  return 0;
}
