// Parsers for what a registry says about authentication: the WWW-Authenticate
// challenge of a 401 answer and the JSON answer of a token endpoint. Both read
// untrusted bytes; both are bounded and never throw.
#ifndef BULWARK_REGISTRY_AUTH_CHALLENGE_H_
#define BULWARK_REGISTRY_AUTH_CHALLENGE_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bulwark::registry {

// Limits on what the parsers accept (kLimitExceeded beyond).
inline constexpr size_t kMaxChallengeHeader = 8 * 1024;
inline constexpr size_t kMaxChallenges = 8;
inline constexpr size_t kMaxChallengeParams = 16;
inline constexpr size_t kMaxTokenResponse = 64 * 1024;
inline constexpr size_t kMaxToken = 16 * 1024;

// One challenge: the scheme, lower-cased ("bearer", "basic"), and its
// parameters with lower-cased names ("realm", "service", "scope").
struct Challenge {
  std::string scheme;
  std::map<std::string, std::string> params;

  // The parameter `name` (lower case), or "" when absent.
  std::string Param(std::string_view name) const;
};

// Parses a WWW-Authenticate value (RFC 9110 section 11.6.1): one or more
// challenges separated by commas, each a scheme token followed by
// comma-separated `name=value` parameters, a value being a token or a quoted
// string with backslash escapes. A token68 form ("Basic abc==") and control
// characters are refused. Errors: kCorruptInput naming the position and what
// was expected (an unterminated quote, a missing '=', a repeated parameter),
// kLimitExceeded past the limits above.
Result<std::vector<Challenge>> ParseChallenges(std::string_view header);

// Parses a token endpoint's answer (Docker token authentication, or the
// OAuth2 form): a JSON object with "token" or "access_token" (a string of
// visible ASCII without spaces, at most kMaxToken). When both are present
// "token" is used, as Docker does. Errors: kCorruptInput (not a JSON object,
// no token, a token of the wrong type or with forbidden characters),
// kLimitExceeded for answers past kMaxTokenResponse or nested deeper than 16.
Result<std::string> ParseTokenResponse(std::string_view body);

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_AUTH_CHALLENGE_H_
