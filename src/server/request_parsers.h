// Parsers of the small JSON bodies the server reads (untrusted bytes). The
// analysis upload is scan::DecodeAnalysis; a policy upload is the document
// itself (policy::ParsePolicy).
#ifndef BULWARK_SERVER_REQUEST_PARSERS_H_
#define BULWARK_SERVER_REQUEST_PARSERS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/auth.h"

namespace bulwark::server {

// Bodies of the account requests are small; anything larger is refused.
inline constexpr size_t kMaxAccountBodyBytes = 8192;

// POST /api/v1/users: {"name": ..., "role": ..., "password": ...}.
struct UserRequest {
  std::string name;
  Role role = Role::kAuditor;
  std::string password;
};

// POST /api/v1/tokens: {"name": ..., "user": ...}.
struct TokenRequest {
  std::string name;  // A label for people, 1 to 128 printable characters.
  std::string user;
};

// Parse the bodies above. Errors: kLimitExceeded over kMaxAccountBodyBytes,
// kCorruptInput when the body is not a JSON object, kInvalidArgument naming
// the field that is missing, of the wrong type, unknown, or refused
// (CheckUserName, ParseRole, the password length). Thread-safe; never throws.
Result<UserRequest> ParseUserRequest(std::string_view body);
Result<TokenRequest> ParseTokenRequest(std::string_view body);

}  // namespace bulwark::server

#endif  // BULWARK_SERVER_REQUEST_PARSERS_H_
