#include "server/registry_requests.h"

#include <cctype>
#include <utility>

#include "image/reference.h"

namespace bulwark::server::internal {
namespace {

using nlohmann::json;

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

}  // namespace

// Registry names go into paths and audit entries: a short, plain word.
Status CheckRegistryName(const std::string& name) {
  bool plain = !name.empty() && name.size() <= kMaxNameBytes && name[0] != '.' && name[0] != '-';
  for (char c : name) {
    plain =
        plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-');
  }
  if (plain) return Ok();
  return Invalid("registry name \"" + name.substr(0, kMaxNameBytes) +
                 "\": use 1 to 64 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
}

// "HOST[:PORT]" from what an administrator wrote: that, or an https:// (or,
// for insecure registries, http://) URL without a path. The host is the one
// image references name, so it must parse as a reference's registry.
Result<std::string> RegistryHost(std::string url) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (url.starts_with(scheme)) url.erase(0, scheme.size());
  }
  while (url.ends_with("/")) url.pop_back();
  Error bad = Invalid("url \"" + url.substr(0, 256) +
                      "\": give the registry as HOST[:PORT] (registry.example.com, "
                      "127.0.0.1:5000), as image references name it");
  if (url.empty() || url.find('/') != std::string::npos) return bad;
  auto parsed = image::Reference::Parse(url + "/probe:1");
  if (!parsed.ok() || parsed->registry != url) return bad;
  return url;
}

// {"name", "url", "username"?, "password"?, "caPem"?, "insecure"?}.
Result<RegistryRequest> ParseRegistryRequest(std::string_view body) {
  if (body.size() > kMaxRegistryBodyBytes) {
    return Error(ErrorCode::kLimitExceeded,
                 "registry request: over " + std::to_string(kMaxRegistryBodyBytes) + " bytes");
  }
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Error(ErrorCode::kCorruptInput, "registry request: not a JSON object");
  }
  RegistryRequest request;
  for (const auto& [key, value] : parsed.items()) {
    bool text = value.is_string();
    if (key == "insecure") {
      if (!value.is_boolean()) return Invalid("registry request: insecure: true or false");
      request.registry.insecure = value.get<bool>();
      continue;
    }
    if (!text) return Invalid("registry request: " + key.substr(0, 32) + ": not a string");
    const std::string& field = value.get_ref<const std::string&>();
    if (key == "name") {
      request.registry.name = field;
    } else if (key == "url") {
      BULWARK_ASSIGN_OR_RETURN(request.registry.host, RegistryHost(field));
    } else if (key == "username") {
      request.registry.username = field;
    } else if (key == "password") {
      request.password = field;
    } else if (key == "caPem") {
      request.registry.ca_pem = field;
    } else {
      return Invalid("registry request: unknown field " + key.substr(0, 32) +
                     " (name, url, username, password, caPem, insecure)");
    }
  }
  BULWARK_TRY(CheckRegistryName(request.registry.name));
  if (request.registry.host.empty()) return Invalid("registry request: url is required");
  if (!request.password.empty() && request.registry.username.empty()) {
    return Invalid("registry request: a password needs a username");
  }
  if (!request.registry.ca_pem.empty() &&
      request.registry.ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Invalid("registry request: caPem: not a PEM certificate bundle");
  }
  return request;
}

// The names an image is registered under besides its own: references
// without digests, normalised.
Result<std::vector<std::string>> NamesFrom(const json& list) {
  std::vector<std::string> names;
  if (list.is_null()) return names;
  if (!list.is_array()) return Invalid("names: a list of image names");
  if (list.size() > kMaxNames) {
    return Error(ErrorCode::kLimitExceeded,
                 "names: more than " + std::to_string(kMaxNames) + " names");
  }
  for (const json& entry : list) {
    if (!entry.is_string()) return Invalid("names: a list of image names");
    BULWARK_ASSIGN_OR_RETURN(image::Reference reference,
                             image::Reference::Parse(entry.get<std::string>()));
    if (reference.digest) {
      return Invalid("names: " + reference.str() + ": register under a name and tag, not a digest");
    }
    names.push_back(reference.NameAndTag());
  }
  return names;
}

Result<PullRequest> ParsePullRequest(std::string_view body) {
  if (body.size() > kMaxRegistryBodyBytes) {
    return Error(ErrorCode::kLimitExceeded, "pull request: too large");
  }
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Error(ErrorCode::kCorruptInput,
                 "pull request: not a JSON object {\"registry\", \"reference\", \"names\"}");
  }
  for (const auto& [key, value] : parsed.items()) {
    if (key != "registry" && key != "reference" && key != "names") {
      return Invalid("pull request: unknown field " + key.substr(0, 32) +
                     " (registry, reference, names)");
    }
  }
  if (!parsed.value("registry", json()).is_string() ||
      !parsed.value("reference", json()).is_string()) {
    return Invalid("pull request: registry and reference are required strings");
  }
  PullRequest pull;
  BULWARK_ASSIGN_OR_RETURN(pull.names, NamesFrom(parsed.value("names", json())));
  pull.registry = parsed["registry"].get<std::string>();
  pull.reference = parsed["reference"].get<std::string>();
  return pull;
}

}  // namespace bulwark::server::internal
