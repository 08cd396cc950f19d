// The registry resources (issue #5): registries the server pulls from, with
// their secrets sealed by the server key, and images registered or rescanned
// by pulling them on the server. The pull and the analysis are the CLI's
// (image::OpenSource through scan::Scanner); nothing here reads an image.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "image/reference.h"
#include "lineage/lineage.h"
#include "registry/client.h"
#include "scan/scanner.h"
#include "scan/store_queries.h"
#include "server/api_handlers.h"
#include "server/registry_requests.h"

namespace bulwark::server::internal {
namespace {

using nlohmann::json;

constexpr int kDefaultPageNames = 100;
// What the source of an image the server pulled starts with: "registry NAME REF".
constexpr std::string_view kPulledPrefix = "registry ";

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// What the API shows of a registry: never the secret, only whether there is one.
json RegistryJson(const store::StoredRegistry& registry) {
  return {{"name", registry.name},
          {"url", registry.host},
          {"username", registry.username},
          {"hasPassword", !registry.sealed_secret.empty()},
          {"hasCaCertificate", !registry.ca_pem.empty()},
          {"insecure", registry.insecure},
          {"createdAt", registry.created_at},
          {"updatedAt", registry.updated_at}};
}

// The registry's CA bundle in a private temporary file for the client,
// removed when this goes out of scope.
class CaFile {
 public:
  CaFile() = default;
  CaFile(const CaFile&) = delete;
  CaFile& operator=(const CaFile&) = delete;
  ~CaFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  Status Write(const std::string& pem) {
    if (pem.empty()) return Ok();
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/bulwark-ca-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) return Error(ErrorCode::kIo, "registry CA: cannot make a temporary file");
    path_ = pattern;
    bool written = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size());
    ::close(fd);
    if (!written) return Error(ErrorCode::kIo, "registry CA: writing " + path_ + " failed");
    return Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// How the client reaches `registry`: its CA and insecure setting, and its
// own credential, handed out for its own host only. Any other host a pull
// meets gets nothing.
struct RegistryAccess {
  std::string ca_file;
  bool insecure = false;
  registry::CredentialSource credentials;
  std::string credential_origin;
};

// Opens the stored registry's sealed secret and writes its CA bundle to `ca`,
// which must outlive every connection made with the answer.
Result<RegistryAccess> AccessFor(const SecretBox& secrets, const store::StoredRegistry& stored,
                                 CaFile& ca) {
  BULWARK_ASSIGN_OR_RETURN(std::string secret, secrets.Open(stored.sealed_secret));
  BULWARK_TRY(ca.Write(stored.ca_pem));
  std::optional<registry::Credential> credential;
  if (!stored.username.empty()) credential = registry::Credential{stored.username, secret, ""};
  RegistryAccess access;
  access.ca_file = ca.path();
  access.insecure = stored.insecure;
  access.credential_origin = "the server's registry \"" + stored.name + "\"";
  access.credentials = [host = stored.host, credential](
                           std::string_view asked) -> Result<std::optional<registry::Credential>> {
    if (asked != host) return std::optional<registry::Credential>();
    return credential;
  };
  return access;
}

registry::ClientOptions ClientOptionsFor(const RegistryAccess& access) {
  registry::ClientOptions options;
  options.ca_file = access.ca_file;
  options.insecure = access.insecure;
  options.credentials = access.credentials;
  options.credential_origin = access.credential_origin;
  // An administrator waits on the answer: fail sooner than a CI pull would.
  options.attempts = 2;
  return options;
}

// A failure of the registry, not of the request or of this server: 502 with
// the registry's story, so that a refused registry password never reads as a
// refusal of the caller's own credentials (401).
Reply RegistryFailure(const Error& error) {
  bool upstream = error.code() == ErrorCode::kAuthentication || error.code() == ErrorCode::kNetwork;
  int status = upstream ? 502 : HttpStatusFor(error.code());
  return Reply{status, ErrorBody(ErrorCodeName(error.code()), error.message()), "application/json"};
}

// A bounded query parameter; "" when absent.
Result<std::string> QueryText(const httplib::Request& request, const char* key) {
  if (!request.has_param(key)) return std::string();
  std::string value = request.get_param_value(key);
  if (value.size() > 512) {
    return Error(ErrorCode::kLimitExceeded, std::string("query parameter ") + key + ": too long");
  }
  return value;
}

Result<int> PageSize(const httplib::Request& request) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, QueryText(request, "n"));
  if (text.empty()) return kDefaultPageNames;
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || value < 1 || value > registry::kMaxPageNames) {
    return Invalid("n: a number from 1 to " + std::to_string(registry::kMaxPageNames));
  }
  return static_cast<int>(value);
}

json PageJson(const char* field, const registry::NamePage& page) {
  json answer = {{field, page.names}, {"more", page.more}};
  if (page.more && !page.names.empty()) answer["next"] = page.names.back();
  return answer;
}

// A repository path and tag or digest within the registry ("base:1.0",
// "team/app@sha256:..."); the registry's own host may lead it. Anything
// naming another registry is refused, so that a pull never leaves it.
Result<image::Reference> ReferenceIn(const store::StoredRegistry& registry, std::string text) {
  // As Docker reads a reference: a first component holding '.' or ':', or
  // "localhost", names a registry; it must be this one.
  size_t slash = text.find('/');
  std::string first = slash == std::string::npos ? "" : text.substr(0, slash);
  if (first.find_first_of(".:") != std::string::npos || first == "localhost") {
    if (first != registry.host) {
      return Invalid("reference \"" + text.substr(0, 256) + "\": names registry " +
                     first.substr(0, 256) + ", not " + registry.name + " (" + registry.host + ")");
    }
    text.erase(0, slash + 1);
  }
  auto parsed = image::Reference::Parse(registry.host + "/" + text);
  if (!parsed.ok())
    return Invalid("reference \"" + text.substr(0, 256) + "\": " + parsed.error().message());
  if (parsed->registry != registry.host) {
    return Invalid("reference \"" + text.substr(0, 256) + "\": not in registry " + registry.name);
  }
  return parsed;
}

}  // namespace

Result<store::StoredRegistry> Handlers::PathRegistry(const Call& call) {
  std::string name = call.request.matches[1];
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto stored, store_->GetRegistry(name));
  if (!stored) return Error(ErrorCode::kNotFound, "no registry named \"" + name + "\"");
  return *stored;
}

Result<Reply> Handlers::ListRegistries(const Call& call) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto registries, store_->ListRegistries());
  json list = json::array();
  for (const store::StoredRegistry& registry : registries) list.push_back(RegistryJson(registry));
  return JsonReply(list);
}

Result<Reply> Handlers::AddRegistry(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(RegistryRequest request, ParseRegistryRequest(call.request.body));
  store::StoredRegistry& registry = request.registry;
  registry.sealed_secret = secrets_.Seal(request.password);

  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto existing, store_->GetRegistry(registry.name));
  if (existing) registry.created_at = existing->created_at;
  BULWARK_TRY(store_->PutRegistry(registry));
  // The audit entry says whether a secret was given, never what it is.
  BULWARK_TRY(Audit(call, existing ? "registry.update" : "registry.create", registry.name,
                    "url=" + registry.host + " username=" + json(registry.username).dump() +
                        " password=" + (request.password.empty() ? "none" : "set") +
                        " ca=" + (registry.ca_pem.empty() ? "system" : "given") +
                        " insecure=" + (registry.insecure ? "true" : "false")));
  BULWARK_ASSIGN_OR_RETURN(auto saved, store_->GetRegistry(registry.name));
  if (!saved)
    return Error(ErrorCode::kNotFound, "registry " + registry.name + " removed meanwhile");
  return JsonReply(RegistryJson(*saved), existing ? 200 : 201);
}

Result<Reply> Handlers::ShowRegistry(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(store::StoredRegistry registry, PathRegistry(call));
  return JsonReply(RegistryJson(registry));
}

Result<Reply> Handlers::RemoveRegistry(const Call& call) {
  std::string name = call.request.matches[1];
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(bool removed, store_->RemoveRegistry(name));
  if (!removed) return Error(ErrorCode::kNotFound, "no registry named \"" + name + "\"");
  BULWARK_TRY(Audit(call, "registry.remove", name, ""));
  return JsonReply({{"removed", name}});
}

// Connects and authenticates (GET /v2/). The answer is 200 either way: the
// test ran; "ok" says how it went and "error" why not.
Result<Reply> Handlers::TestRegistry(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(store::StoredRegistry stored, PathRegistry(call));
  CaFile ca;
  BULWARK_ASSIGN_OR_RETURN(RegistryAccess access, AccessFor(secrets_, stored, ca));
  registry::RegistryClient client(stored.host, "", ClientOptionsFor(access));
  Status pinged = client.Ping();
  json answer = {{"name", stored.name}, {"url", stored.host}, {"ok", pinged.ok()}};
  if (!pinged.ok()) {
    answer["error"] = {{"code", ErrorCodeName(pinged.error().code())},
                       {"message", pinged.error().message()}};
  }
  return JsonReply(answer);
}

Result<Reply> Handlers::ListRepositories(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(int n, PageSize(call.request));
  BULWARK_ASSIGN_OR_RETURN(std::string last, QueryText(call.request, "last"));
  BULWARK_ASSIGN_OR_RETURN(store::StoredRegistry stored, PathRegistry(call));
  CaFile ca;
  BULWARK_ASSIGN_OR_RETURN(RegistryAccess access, AccessFor(secrets_, stored, ca));
  registry::RegistryClient client(stored.host, "", ClientOptionsFor(access));
  auto page = client.ListRepositories(n, last);
  if (!page.ok()) return RegistryFailure(page.error());
  return JsonReply(PageJson("repositories", *page));
}

Result<Reply> Handlers::ListTags(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(int n, PageSize(call.request));
  BULWARK_ASSIGN_OR_RETURN(std::string last, QueryText(call.request, "last"));
  BULWARK_ASSIGN_OR_RETURN(store::StoredRegistry stored, PathRegistry(call));
  std::string repository = call.request.matches[2];
  auto parsed = image::Reference::Parse(stored.host + "/" + repository + ":latest");
  if (!parsed.ok() || parsed->repository != repository) {
    return Invalid("repository \"" + repository.substr(0, 256) + "\": not a repository name");
  }
  CaFile ca;
  BULWARK_ASSIGN_OR_RETURN(RegistryAccess access, AccessFor(secrets_, stored, ca));
  registry::RegistryClient client(stored.host, repository, ClientOptionsFor(access));
  auto page = client.ListTags(n, last);
  if (!page.ok()) return RegistryFailure(page.error());
  json answer = PageJson("tags", *page);
  answer["repository"] = repository;
  return JsonReply(answer);
}

// LIMITATION(#5): the pull and the analysis hold the store for their whole
// length (the layer cache is read and written as layers stream), so other
// requests wait while the server pulls an image.
Result<Reply> Handlers::PullAndRegister(const Call& call, const store::StoredRegistry& stored,
                                        const std::string& reference,
                                        std::vector<std::string> names, std::string_view action) {
  BULWARK_ASSIGN_OR_RETURN(image::Reference parsed, ReferenceIn(stored, reference));
  std::string relative = parsed.str().substr(stored.host.size() + 1);
  CaFile ca;
  BULWARK_ASSIGN_OR_RETURN(RegistryAccess access, AccessFor(secrets_, stored, ca));
  scan::ScanOptions options;
  options.source = "docker://" + parsed.str();
  options.source_options.registry_ca_file = access.ca_file;
  options.source_options.insecure_registry = access.insecure;
  options.source_options.credentials = access.credentials;
  options.source_options.credential_origin = access.credential_origin;

  std::lock_guard<std::mutex> lock(store_mutex_);
  scan::Scanner scanner(*store_);
  auto analysis = scanner.Analyze(options);
  if (!analysis.ok()) return RegistryFailure(analysis.error());
  analysis->image.source = std::string(kPulledPrefix) + stored.name + " " + relative;
  if (!parsed.tag.empty()) names.insert(names.begin(), parsed.NameAndTag());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  BULWARK_TRY(scanner.Register(*analysis, names));
  std::string id = analysis->image.image_id.str();
  BULWARK_TRY(
      Audit(call, action, id,
            "registry=" + stored.name + " reference=" + relative + " names=" + json(names).dump()));

  BULWARK_ASSIGN_OR_RETURN(auto registered, store_->ListImages());
  json ancestors = json::array();
  lineage::Lineage lineage = lineage::FindAncestors(analysis->image.config.diff_ids, registered);
  for (const lineage::Ancestor& ancestor : lineage.ancestors) {
    if (ancestor.is_self) continue;
    ancestors.push_back({{"imageId", ancestor.image.image_id.str()},
                         {"names", ancestor.image.names},
                         {"ownsLayers", ancestor.prefix_length}});
  }
  const catalog::Inventory& inventory = analysis->inventory;
  return JsonReply(
      {{"imageId", id},
       {"names", names},
       {"source", analysis->image.source},
       {"manifestDigest",
        analysis->image.manifest_digest ? json(analysis->image.manifest_digest->str()) : json()},
       {"layers", analysis->image.config.diff_ids.size()},
       {"packages", inventory.packages.size()},
       {"os", inventory.os.found ? inventory.os.pretty_name : ""},
       {"lineage", {{"ancestors", ancestors}}}},
      201);
}

Result<Reply> Handlers::PullImage(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(PullRequest pull, ParsePullRequest(call.request.body));
  std::vector<std::string> names = std::move(pull.names);
  std::string name = pull.registry;
  std::optional<store::StoredRegistry> stored;
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    BULWARK_ASSIGN_OR_RETURN(stored, store_->GetRegistry(name));
  }
  if (!stored) {
    return Invalid("no registry named \"" + name.substr(0, kMaxNameBytes) +
                   "\"; add it first (POST /api/v1/registries)");
  }
  return PullAndRegister(call, *stored, pull.reference, std::move(names), "image.pull");
}

Result<Reply> Handlers::RescanImage(const Call& call) {
  std::string target = call.request.matches[1];
  std::optional<store::StoredImage> image;
  std::optional<store::StoredRegistry> stored;
  std::string registry_name, reference;
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    BULWARK_ASSIGN_OR_RETURN(auto found, scan::FindRegistered(*store_, target));
    if (found.size() > 1) {
      return Invalid("\"" + target + "\" names " + std::to_string(found.size()) +
                     " images; rescan them one by one by id");
    }
    BULWARK_ASSIGN_OR_RETURN(image, store_->GetImage(found.front().image_id));
    if (!image) return Error(ErrorCode::kNotFound, "image " + target + " was removed meanwhile");
    std::string_view source = image->source;
    if (!source.starts_with(kPulledPrefix)) {
      return Invalid("image " + image->image.image_id.str() +
                     " was registered from an analysis a client uploaded (" +
                     image->source.substr(0, 200) +
                     "), not pulled by the server; only images the server pulled from a "
                     "registry can be rescanned: register it with POST /api/v1/images/pull");
    }
    source.remove_prefix(kPulledPrefix.size());
    size_t space = source.find(' ');
    registry_name = std::string(source.substr(0, space));
    reference = space == std::string_view::npos ? "" : std::string(source.substr(space + 1));
    BULWARK_ASSIGN_OR_RETURN(stored, store_->GetRegistry(registry_name));
  }
  if (!stored) {
    return Invalid("image " + image->image.image_id.str() + " was pulled from registry \"" +
                   registry_name + "\", which is no longer configured; add it again");
  }
  auto reply = PullAndRegister(call, *stored, reference, image->image.names, "image.rescan");
  if (!reply.ok() || reply->status != 201) return reply;
  json answer = json::parse(reply->body);
  answer["previousImageId"] = image->image.image_id.str();
  answer["changed"] = answer["imageId"] != image->image.image_id.str();
  return JsonReply(answer, 200);
}

}  // namespace bulwark::server::internal
