// Docker credential helpers: `docker-credential-NAME get`, as named by
// "credsStore" and "credHelpers" in config.json.
#ifndef BULWARK_REGISTRY_CREDENTIAL_HELPER_H_
#define BULWARK_REGISTRY_CREDENTIAL_HELPER_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "registry/docker_config.h"

namespace bulwark::registry {

inline constexpr size_t kMaxHelperOutput = 64 * 1024;
inline constexpr int kHelperTimeoutSeconds = 60;

// Runs one helper's `get` for a server; returns what it printed, or nullopt
// when it says it holds no credentials for the server.
using HelperRunner = std::function<Result<std::optional<std::string>>(const std::string& helper,
                                                                      const std::string& server)>;

// Runs `docker-credential-HELPER get` (found on PATH) with `server` on its
// standard input and returns its standard output (at most kMaxHelperOutput,
// within kHelperTimeoutSeconds; stderr is discarded). A helper that exits
// non-zero saying "credentials not found" gives nullopt. Errors:
// kInvalidArgument for a helper name other than [A-Za-z0-9._-]+, kNotFound
// when the program is not on PATH, kAuthentication when it fails otherwise
// (its first output line quoted), kLimitExceeded past the limits.
Result<std::optional<std::string>> RunCredentialHelper(const std::string& helper,
                                                       const std::string& server);

// Parses a helper's answer: {"ServerURL": ..., "Username": ..., "Secret": ...}.
// A Username of "<token>" makes Secret an identity token, as Docker reads it.
// kCorruptInput naming the helper when it is not such an object.
Result<Credential> ParseHelperOutput(std::string_view json, std::string_view helper);

// The server name a helper is asked about for a registry: Docker Hub's
// "https://index.docker.io/v1/", else the registry name ("host[:port]").
std::string HelperServerName(std::string_view registry);

// The credential for `registry` from `config`, as FindCredential says, except
// that a configured helper is run through `run` instead of refused.
Result<std::optional<Credential>> FindCredentialWithHelpers(
    const DockerConfig& config, std::string_view registry,
    const HelperRunner& run = RunCredentialHelper);

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_CREDENTIAL_HELPER_H_
