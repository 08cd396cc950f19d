// Registry credentials from Docker's client configuration (config.json).
#ifndef BULWARK_REGISTRY_DOCKER_CONFIG_H_
#define BULWARK_REGISTRY_DOCKER_CONFIG_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bulwark::registry {

inline constexpr size_t kMaxDockerConfigBytes = 1 << 20;

// What a user gave to log in to one registry. Either a user name and password,
// or an identity token (an OAuth2 refresh token the registry's token endpoint
// exchanges). Never logged.
struct Credential {
  std::string username;
  std::string password;
  std::string identity_token;
};

// The parts of config.json Bulwark reads.
struct DockerConfig {
  // "auths", keyed as written ("host", "host:port", "https://host/v1/").
  std::map<std::string, Credential> auths;
  std::string creds_store;                          // "credsStore": a helper for every registry.
  std::map<std::string, std::string> cred_helpers;  // "credHelpers": registry -> helper.
};

// Parses config.json. Each "auths" entry may hold "auth" (base64 of
// "user:password"), "username" and "password", and "identitytoken"; "auth"
// wins over the separate fields when both are present, as in Docker. Other
// keys are ignored. Errors: kCorruptInput naming `origin` and the entry (not
// JSON, a field of the wrong type, bad base64, "auth" without a ':'),
// kLimitExceeded past kMaxDockerConfigBytes or 32 levels of nesting.
Result<DockerConfig> ParseDockerConfig(std::string_view json, std::string_view origin);

// The registry a config key names, the way Docker compares them: scheme and
// path dropped, lower case, and Docker Hub's names ("index.docker.io",
// "registry-1.docker.io", "https://index.docker.io/v1/") as "docker.io".
std::string NormaliseRegistryKey(std::string_view key);

// The credential for `registry` (as in a Reference: "docker.io",
// "localhost:5000", "registry.example.com"), or nullopt when config.json has
// none. A key naming the registry exactly wins over the other forms of the
// same name. Errors: kUnsupported when a credential helper is configured for
// the registry ("credHelpers", or "credsStore" without a usable "auths" entry),
// naming the helper: this function runs no program (see
// FindCredentialWithHelpers, which does), and going anonymous instead would
// hide the cause of the failure that follows.
Result<std::optional<Credential>> FindCredential(const DockerConfig& config,
                                                 std::string_view registry);

// The credential helper config.json names for `registry` ("credHelpers" for
// it, else "credsStore" when "auths" has no usable entry), or nullopt.
std::optional<std::string> HelperFor(const DockerConfig& config, std::string_view registry);

// The path of config.json: $DOCKER_CONFIG/config.json, else
// $HOME/.docker/config.json; "" when neither variable is set.
std::string DefaultDockerConfigPath();

// Reads and parses the file at `path`; an absent file is an empty config.
// Errors: kIo for an unreadable file, and those of ParseDockerConfig.
Result<DockerConfig> LoadDockerConfig(const std::string& path);

}  // namespace bulwark::registry

#endif  // BULWARK_REGISTRY_DOCKER_CONFIG_H_
