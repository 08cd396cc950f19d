// Fuzzes what the server reads from a request before anything else: the
// Authorization header (login) and the account bodies (POST /api/v1/users,
// /api/v1/tokens). The first input byte picks the parser. None may crash,
// hang or throw; errors carry the documented codes, and an error about the
// Authorization header is a fixed text that cannot quote the credentials.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/auth.h"
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

  switch (data[0] % 3) {
    case 0:
      CheckAuthorization(input);
      break;
    case 1: {
      auto user = bulwark::server::ParseUserRequest(input);
      if (!user.ok()) Require(IsBodyError(user.error().code()));
      if (user.ok()) Require(bulwark::server::CheckUserName(user->name).ok());
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
