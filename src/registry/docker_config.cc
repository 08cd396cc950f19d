#include "registry/docker_config.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/byte_stream.h"
#include "registry/base64.h"
#include "registry/json_limits.h"

namespace bulwark::registry {
namespace {

using Json = nlohmann::json;

Error Corrupt(std::string_view origin, std::string_view what) {
  return Error(ErrorCode::kCorruptInput, std::string(origin) + ": " + std::string(what));
}

// An optional string field of `object`; "" when absent or null.
Result<std::string> OptionalString(const Json& object, const char* key, std::string_view origin,
                                   const std::string& entry) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::string();
  if (!found->is_string()) {
    return Corrupt(origin, "auths \"" + entry + "\": \"" + key + "\" is not a string");
  }
  return found->get<std::string>();
}

Result<Credential> ParseAuthEntry(const Json& value, std::string_view origin,
                                  const std::string& key) {
  if (!value.is_object()) return Corrupt(origin, "auths \"" + key + "\": not an object");
  Credential credential;
  BULWARK_ASSIGN_OR_RETURN(std::string auth, OptionalString(value, "auth", origin, key));
  BULWARK_ASSIGN_OR_RETURN(credential.username, OptionalString(value, "username", origin, key));
  BULWARK_ASSIGN_OR_RETURN(credential.password, OptionalString(value, "password", origin, key));
  BULWARK_ASSIGN_OR_RETURN(credential.identity_token,
                           OptionalString(value, "identitytoken", origin, key));
  if (auth.empty()) return credential;

  auto decoded = DecodeBase64(auth);
  if (!decoded) return Corrupt(origin, "auths \"" + key + "\": \"auth\" is not valid base64");
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) {
    return Corrupt(origin, "auths \"" + key + "\": \"auth\" does not hold user:password");
  }
  credential.username = decoded->substr(0, colon);
  credential.password = decoded->substr(colon + 1);
  return credential;
}

Result<std::map<std::string, std::string>> ParseHelpers(const Json& value,
                                                        std::string_view origin) {
  std::map<std::string, std::string> helpers;
  if (value.is_null()) return helpers;
  if (!value.is_object()) return Corrupt(origin, "\"credHelpers\" is not an object");
  for (const auto& [registry, helper] : value.items()) {
    if (!helper.is_string()) {
      return Corrupt(origin, "credHelpers \"" + registry + "\": not a string");
    }
    helpers[registry] = helper.get<std::string>();
  }
  return helpers;
}

bool IsDockerHub(std::string_view host) {
  return host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io" ||
         host == "registry.hub.docker.com";
}

// The keys of `keyed` naming `registry`: the exact key first, then the others
// in key order.
template <typename Map>
std::vector<typename Map::const_iterator> MatchingEntries(const Map& keyed,
                                                          std::string_view registry) {
  std::vector<typename Map::const_iterator> exact;
  std::vector<typename Map::const_iterator> others;
  std::string wanted = NormaliseRegistryKey(registry);
  for (auto it = keyed.begin(); it != keyed.end(); ++it) {
    if (it->first == registry) {
      exact.push_back(it);
    } else if (NormaliseRegistryKey(it->first) == wanted) {
      others.push_back(it);
    }
  }
  exact.insert(exact.end(), others.begin(), others.end());
  return exact;
}

bool IsEmpty(const Credential& credential) {
  return credential.username.empty() && credential.password.empty() &&
         credential.identity_token.empty();
}

Error HelperNotRun(std::string_view registry, const std::string& helper) {
  return Error(ErrorCode::kUnsupported,
               "credentials for " + std::string(registry) +
                   " are kept by the credential helper docker-credential-" + helper +
                   ", which this lookup does not run");
}

}  // namespace

Result<DockerConfig> ParseDockerConfig(std::string_view json, std::string_view origin) {
  if (json.size() > kMaxDockerConfigBytes) {
    return Error(ErrorCode::kLimitExceeded, std::string(origin) + ": larger than " +
                                                std::to_string(kMaxDockerConfigBytes) + " bytes");
  }
  BULWARK_TRY(CheckJsonNesting(json, 32, origin));
  Json document = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Corrupt(origin, "not a JSON object");
  }

  DockerConfig config;
  auto auths = document.find("auths");
  if (auths != document.end() && !auths->is_null()) {
    if (!auths->is_object()) return Corrupt(origin, "\"auths\" is not an object");
    for (const auto& [key, value] : auths->items()) {
      BULWARK_ASSIGN_OR_RETURN(config.auths[key], ParseAuthEntry(value, origin, key));
    }
  }
  auto store = document.find("credsStore");
  if (store != document.end() && !store->is_null()) {
    if (!store->is_string()) return Corrupt(origin, "\"credsStore\" is not a string");
    config.creds_store = store->get<std::string>();
  }
  auto helpers = document.find("credHelpers");
  if (helpers != document.end()) {
    BULWARK_ASSIGN_OR_RETURN(config.cred_helpers, ParseHelpers(*helpers, origin));
  }
  return config;
}

std::string NormaliseRegistryKey(std::string_view key) {
  std::string_view rest = key;
  for (std::string_view scheme : {"https://", "http://"}) {
    if (rest.starts_with(scheme)) rest.remove_prefix(scheme.size());
  }
  rest = rest.substr(0, rest.find('/'));
  std::string host(rest);
  for (char& c : host) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return IsDockerHub(host) ? "docker.io" : host;
}

std::optional<std::string> HelperFor(const DockerConfig& config, std::string_view registry) {
  auto helpers = MatchingEntries(config.cred_helpers, registry);
  if (!helpers.empty()) return helpers.front()->second;
  for (auto entry : MatchingEntries(config.auths, registry)) {
    if (!IsEmpty(entry->second)) return std::nullopt;
  }
  if (!config.creds_store.empty()) return config.creds_store;
  return std::nullopt;
}

Result<std::optional<Credential>> FindCredential(const DockerConfig& config,
                                                 std::string_view registry) {
  if (std::optional<std::string> helper = HelperFor(config, registry)) {
    return HelperNotRun(registry, *helper);
  }
  for (auto entry : MatchingEntries(config.auths, registry)) {
    if (!IsEmpty(entry->second)) return std::optional<Credential>(entry->second);
  }
  return std::optional<Credential>();
}

std::string DefaultDockerConfigPath() {
  const char* dir = std::getenv("DOCKER_CONFIG");
  if (dir != nullptr && *dir != '\0') return std::string(dir) + "/config.json";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home != '\0') return std::string(home) + "/.docker/config.json";
  return "";
}

Result<DockerConfig> LoadDockerConfig(const std::string& path) {
  std::error_code error;
  if (path.empty() || !std::filesystem::exists(path, error)) return DockerConfig();
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadFileLimited(path, kMaxDockerConfigBytes));
  return ParseDockerConfig(text, path);
}

}  // namespace bulwark::registry
