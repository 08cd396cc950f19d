#include "server/auth.h"

#include <sodium.h>

#include <cctype>
#include <cstdlib>

namespace bulwark::server {
namespace {

constexpr char kTokenPrefix[] = "bwt_";

// libsodium must be initialised once before use; the call is thread-safe and
// idempotent. It fails only when the system has no random source.
void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) std::abort();
    return true;
  }();
  (void)ready;
}

Error AuthError(const std::string& what) {
  return Error(ErrorCode::kAuthentication, "authorization header: " + what);
}

// Decodes standard base64 (RFC 4648 section 4, padding optional).
std::optional<std::string> DecodeBase64(std::string_view text) {
  EnsureSodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0) {
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0) {
      return std::nullopt;
    }
  }
  out.resize(length);
  return out;
}

bool StartsWithScheme(std::string_view header, std::string_view scheme) {
  if (header.size() <= scheme.size() || header[scheme.size()] != ' ') return false;
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdministrator:
      return "administrator";
    case Role::kScanner:
      return "scanner";
    case Role::kAuditor:
      return "auditor";
  }
  return "auditor";
}

Result<Role> ParseRole(std::string_view text) {
  for (Role role : {Role::kAdministrator, Role::kScanner, Role::kAuditor}) {
    if (text == RoleName(role)) return role;
  }
  return Error(ErrorCode::kInvalidArgument,
               "role \"" + std::string(text) + "\": use administrator, scanner or auditor");
}

Status CheckUserName(std::string_view name) {
  if (name.empty() || name.size() > kMaxUserNameBytes) {
    return Error(ErrorCode::kInvalidArgument,
                 "user name: 1 to " + std::to_string(kMaxUserNameBytes) + " characters");
  }
  for (char c : name) {
    bool allowed =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-';
    if (!allowed) {
      return Error(ErrorCode::kInvalidArgument,
                   "user name \"" + std::string(name) + "\": use letters, digits and . _ @ - only");
    }
  }
  return Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureSodium();
  if (password.size() < kMinPasswordBytes || password.size() > kMaxPasswordBytes) {
    return Error(ErrorCode::kInvalidArgument, "password: " + std::to_string(kMinPasswordBytes) +
                                                  " to " + std::to_string(kMaxPasswordBytes) +
                                                  " bytes");
  }
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(hash, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error(ErrorCode::kInternal, "hashing a password: out of memory");
  }
  return std::string(hash);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  EnsureSodium();
  if (password.size() > kMaxPasswordBytes || hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  if (hash.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string NewToken() {
  EnsureSodium();
  unsigned char random[32];
  randombytes_buf(random, sizeof random);
  char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, random, sizeof random,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(random, sizeof random);
  return kTokenPrefix + std::string(text);
}

Digest TokenDigest(std::string_view token) { return Sha256Of(token); }

Result<Credentials> ParseAuthorization(std::string_view header) {
  Credentials credentials;
  if (header.empty()) return credentials;
  if (header.size() > kMaxAuthorizationBytes) return AuthError("too long");

  if (StartsWithScheme(header, "bearer")) {
    std::string_view token = header.substr(7);
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string_view::npos) {
      return AuthError("malformed bearer token");
    }
    credentials.kind = Credentials::Kind::kBearer;
    credentials.token = std::string(token);
    return credentials;
  }
  if (!StartsWithScheme(header, "basic")) {
    return AuthError("use Basic (user and password) or Bearer (API token)");
  }
  std::optional<std::string> decoded = DecodeBase64(header.substr(6));
  if (!decoded) return AuthError("Basic credentials are not base64");
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return AuthError("Basic credentials have no user:password");
  credentials.user = decoded->substr(0, colon);
  credentials.password = decoded->substr(colon + 1);
  sodium_memzero(decoded->data(), decoded->size());
  if (!CheckUserName(credentials.user).ok()) return AuthError("malformed user name");
  if (credentials.password.size() > kMaxPasswordBytes) return AuthError("password too long");
  credentials.kind = Credentials::Kind::kBasic;
  return credentials;
}

}  // namespace bulwark::server
