// Accounts, roles and credentials of the server (issue #5): Argon2id password
// hashes, API tokens kept only as hashes, and the Authorization header.
#ifndef BULWARK_SERVER_AUTH_H_
#define BULWARK_SERVER_AUTH_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/digest.h"
#include "common/result.h"

namespace bulwark::server {

// What an account may do (docs/server.md): administrators everything,
// scanners submit scans and read them, auditors read everything but accounts.
enum class Role { kAdministrator, kScanner, kAuditor };

// "administrator", "scanner", "auditor".
std::string_view RoleName(Role role);
// Parses a role name; kInvalidArgument listing the three names otherwise.
Result<Role> ParseRole(std::string_view text);

// Limits on credentials, checked before any hashing.
inline constexpr size_t kMaxUserNameBytes = 64;
inline constexpr size_t kMaxPasswordBytes = 1024;
inline constexpr size_t kMaxAuthorizationBytes = 4096;
inline constexpr size_t kMinPasswordBytes = 8;

// Refuses (kInvalidArgument) a user name that is empty, longer than
// kMaxUserNameBytes or has characters other than [A-Za-z0-9._@-].
Status CheckUserName(std::string_view name);

// An Argon2id hash string ("$argon2id$v=19$m=...") of `password`, made by
// libsodium with its interactive limits (64 MiB, 2 passes). kInvalidArgument
// for a password shorter than kMinPasswordBytes or longer than
// kMaxPasswordBytes; kInternal when libsodium fails (out of memory).
// Thread-safe; slow on purpose (about 0.1 s).
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches `hash` (a string HashPassword made). False for
// any malformed hash. Thread-safe; as slow as HashPassword.
bool VerifyPassword(std::string_view password, const std::string& hash);

// A new API token: "bwt_" and 43 base64url characters (256 random bits from
// libsodium). Thread-safe.
std::string NewToken();

// What the store keeps of a token: its sha256. Tokens are random, so a fast
// hash does not make them guessable.
Digest TokenDigest(std::string_view token);

// The credentials of one request, as sent.
struct Credentials {
  enum class Kind { kNone, kBasic, kBearer } kind = Kind::kNone;
  std::string user;      // kBasic.
  std::string password;  // kBasic.
  std::string token;     // kBearer.
};

// Parses an Authorization header value (untrusted bytes): "Basic
// base64(user:password)" or "Bearer TOKEN"; an empty value is kNone. Errors
// (kAuthentication, never naming the secret): another scheme, bad base64, no
// colon, a value over kMaxAuthorizationBytes, a user name CheckUserName
// refuses, a password over kMaxPasswordBytes. Thread-safe; never throws.
Result<Credentials> ParseAuthorization(std::string_view header);

}  // namespace bulwark::server

#endif  // BULWARK_SERVER_AUTH_H_
