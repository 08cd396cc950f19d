#include "registry/client.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "common/log.h"
#include "registry/auth_challenge.h"
#include "registry/base64.h"
#include "registry/http_transfer.h"
#include "registry/json_limits.h"
#include "registry/url.h"

namespace bulwark::registry {
namespace {

constexpr int kMaxRedirects = 5;
constexpr size_t kMaxErrorBody = 16 * 1024;  // Error answers are read this far for messages.

// Splits "host:port" or "[v6]:port" into host and port text.
std::pair<std::string, std::string> SplitHostPort(std::string_view registry) {
  if (registry.starts_with("[")) {
    size_t close = registry.find(']');
    if (close == std::string_view::npos) return {std::string(registry), ""};
    std::string_view rest = registry.substr(close + 1);
    return {std::string(registry.substr(1, close - 1)),
            rest.starts_with(":") ? std::string(rest.substr(1)) : ""};
  }
  size_t colon = registry.rfind(':');
  if (colon == std::string_view::npos) return {std::string(registry), ""};
  return {std::string(registry.substr(0, colon)), std::string(registry.substr(colon + 1))};
}

bool IsRetryableStatus(long status) { return status == 429 || status >= 500; }

bool IsRetryableCurlCode(int code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

// Whether a failed https attempt means the server may speak plain http: the
// TLS handshake broke off (a plain http server answers it with text). A
// certificate that does not verify is never a reason to drop TLS.
bool MayBePlainHttp(int code) { return code == CURLE_SSL_CONNECT_ERROR; }

// The Retry-After delay in milliseconds when given in seconds, else -1.
// LIMITATION(#5): a Retry-After given as an HTTP date is not honoured; the
// backoff applies instead.
long RetryAfterMs(const std::string& value) {
  if (value.empty() || value.size() > 6) return -1;
  for (char c : value) {
    if (c < '0' || c > '9') return -1;
  }
  return std::atol(value.c_str()) * 1000;
}

// The first error of a registry's JSON error answer ("MANIFEST_UNKNOWN:
// manifest unknown"), or "".
std::string RegistryErrorText(HttpTransfer& transfer) {
  auto body = ReadAllLimited(transfer, kMaxErrorBody, "error answer");
  if (!body.ok() || !CheckJsonNesting(*body, 16, "error answer").ok()) return "";
  auto json = nlohmann::json::parse(*body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return "";
  auto errors = json.find("errors");
  if (errors == json.end() || !errors->is_array() || errors->empty()) return "";
  const auto& first = (*errors)[0];
  if (!first.is_object()) return "";
  std::string text;
  for (const char* field : {"code", "message"}) {
    auto value = first.find(field);
    if (value == first.end() || !value->is_string()) continue;
    if (!text.empty()) text += ": ";
    text += value->get<std::string>().substr(0, 200);
  }
  // The text is the registry's: keep it to one printable line.
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text;
}

std::string MediaTypeOf(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

// The request for a token for `scope` at `realm`: a GET with the
// credential as Basic auth (or none), or, for an identity token, the OAuth2
// refresh-token grant that Docker sends.
HttpRequest TokenRequest(const std::string& realm, const std::string& service,
                         const std::string& scope, const std::optional<Credential>& credential) {
  HttpRequest request;
  if (credential && !credential->identity_token.empty()) {
    request.url = realm;
    request.post_body =
        "grant_type=refresh_token&client_id=bulwark&service=" + EscapeQueryValue(service) +
        (scope.empty() ? "" : "&scope=" + EscapeQueryValue(scope)) +
        "&refresh_token=" + EscapeQueryValue(credential->identity_token);
    request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    return request;
  }
  std::string query;
  if (!service.empty()) query += "service=" + EscapeQueryValue(service);
  if (!scope.empty()) query += (query.empty() ? "" : "&") + ("scope=" + EscapeQueryValue(scope));
  request.url = realm;
  if (!query.empty()) request.url += (realm.find('?') == std::string::npos ? "?" : "&") + query;
  if (credential) {
    request.headers.push_back("Authorization: Basic " +
                              EncodeBase64(credential->username + ":" + credential->password));
  }
  return request;
}

}  // namespace

// LIMITATION(#5): registry mirrors and registries.conf are not read; an image
// is pulled from the registry its reference names.
std::string RegistryEndpointHost(std::string_view registry) {
  return registry == "docker.io" ? "registry-1.docker.io" : std::string(registry);
}

bool IsLoopbackRegistry(std::string_view registry) {
  return IsLoopbackHost(SplitHostPort(registry).first);
}

std::string_view ManifestAcceptHeader() {
  return "Accept: application/vnd.oci.image.manifest.v1+json, "
         "application/vnd.oci.image.index.v1+json, "
         "application/vnd.docker.distribution.manifest.v2+json, "
         "application/vnd.docker.distribution.manifest.list.v2+json";
}

// The connection state of one client: the base URL once chosen, and the
// Authorization header earned from the registry's challenge.
class RegistryClient::Session {
 public:
  Session(std::string registry, std::string repository, ClientOptions options)
      : registry_(std::move(registry)),
        repository_(std::move(repository)),
        options_(std::move(options)),
        scope_(repository_.empty() ? "" : "repository:" + repository_ + ":pull") {}

  // The Bearer token scope asked for from now on. A token already earned is
  // kept until the registry refuses it.
  void SetScope(std::string scope) { scope_ = std::move(scope); }

  // Sends GET `path` (under /v2/) to the registry, authenticating, retrying
  // and following redirects as the class comment says. Returns the final
  // answer whatever its status, except 401 which becomes kAuthentication.
  Result<std::unique_ptr<HttpTransfer>> Get(const std::string& path,
                                            const std::vector<std::string>& headers);

  std::string Prefix() const { return "registry " + registry_; }

  // Sleeps before attempt `attempt` + 1: the backoff, or `retry_after_ms`
  // when the server gave one (>= 0), capped; logs why.
  void Wait(int attempt, long retry_after_ms, std::string_view what, std::string_view reason);

  int attempts() const { return std::max(1, options_.attempts); }

  // "/v2/REPOSITORY/KIND/REFERENCE".
  std::string RepositoryPath(std::string_view kind, std::string_view reference) const {
    return "/v2/" + repository_ + "/" + std::string(kind) + "/" + std::string(reference);
  }

 private:
  Status ChooseBaseUrl();
  TlsSettings Tls() const { return TlsSettings{options_.ca_file, !options_.insecure}; }
  Result<std::unique_ptr<HttpTransfer>> StartWithRetries(const HttpRequest& request,
                                                         std::string_view what);
  Status Authenticate(const std::string& header_value);
  Result<std::optional<Credential>> CredentialForRegistry();
  Status FetchToken(const Challenge& challenge, const std::optional<Credential>& credential);
  Error Unauthorized(HttpTransfer& transfer);

  std::string registry_;
  std::string repository_;
  ClientOptions options_;
  std::string base_url_;  // "https://host[:port]" once chosen.
  UrlOrigin base_origin_;
  std::string scope_;            // The Bearer scope: "repository:REPO:pull", or as set.
  std::string auth_header_;      // "Authorization: ..." for base_origin_ only; never logged.
  bool had_credential_ = false;  // Whether config.json had credentials for the registry.
};

Status RegistryClient::Session::ChooseBaseUrl() {
  if (!base_url_.empty()) return Ok();
  std::string host = RegistryEndpointHost(registry_);
  bool plain_allowed = options_.insecure || IsLoopbackRegistry(registry_);
  if (options_.insecure) {
    BULWARK_LOG(warn, "registry", "TLS verification disabled and plain http allowed", "registry={}",
                registry_);
  }

  // Probe /v2/: it answers 200 or 401 on any registry and tells whether TLS
  // is spoken. Plain http is tried only where it is allowed.
  std::string https = "https://" + host;
  int code = 0;
  auto probe = HttpTransfer::Start(HttpRequest{https + "/v2/", {}, {}}, Tls(), &code);
  base_url_ = https;
  if (!probe.ok() && plain_allowed && MayBePlainHttp(code)) {
    std::string http = "http://" + host;
    auto plain = HttpTransfer::Start(HttpRequest{http + "/v2/", {}, {}}, Tls());
    if (plain.ok()) {
      BULWARK_LOG(warn, "registry", "registry reached over plain http", "registry={}", registry_);
      base_url_ = http;
    }
  }
  // A failed https probe is not an error yet: the request that follows
  // reports it, after its retries.
  BULWARK_ASSIGN_OR_RETURN(base_origin_, OriginOf(base_url_));
  return Ok();
}

void RegistryClient::Session::Wait(int attempt, long retry_after_ms, std::string_view what,
                                   std::string_view reason) {
  long delay = options_.retry_delay_ms;
  for (int i = 1; i < attempt && delay < options_.max_retry_delay_ms; ++i) delay *= 2;
  if (retry_after_ms >= 0) delay = retry_after_ms;
  delay = std::min(delay, options_.max_retry_delay_ms);
  BULWARK_LOG(warn, "registry", "request failed, retrying",
              "registry={} request=\"{}\" attempt={} wait_ms={} reason=\"{}\"", registry_, what,
              attempt, delay, reason);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay));
}

Result<std::unique_ptr<HttpTransfer>> RegistryClient::Session::StartWithRetries(
    const HttpRequest& request, std::string_view what) {
  int attempts = std::max(1, options_.attempts);
  for (int attempt = 1;; ++attempt) {
    int code = 0;
    auto transfer = HttpTransfer::Start(request, Tls(), &code);
    bool last = attempt >= attempts;
    if (!transfer.ok()) {
      if (last || !IsRetryableCurlCode(code)) return transfer.error().Wrap(Prefix());
      Wait(attempt, -1, what, transfer.error().message());
      continue;
    }
    long status = (*transfer)->status();
    if (!IsRetryableStatus(status) || last) return transfer;
    Wait(attempt, RetryAfterMs((*transfer)->Header("retry-after")), what,
         "HTTP status " + std::to_string(status));
  }
}

Result<std::optional<Credential>> RegistryClient::Session::CredentialForRegistry() {
  if (!options_.credentials) return std::optional<Credential>();
  auto credential = options_.credentials(registry_);
  if (!credential.ok()) return credential.error().Wrap(Prefix());
  return credential;
}

Status RegistryClient::Session::FetchToken(const Challenge& challenge,
                                           const std::optional<Credential>& credential) {
  std::string realm = challenge.Param("realm");
  if (realm.empty()) {
    return Error(ErrorCode::kCorruptInput, Prefix() + ": Bearer challenge without a realm");
  }
  auto realm_origin = OriginOf(realm);
  if (!realm_origin.ok()) {
    return Error(ErrorCode::kCorruptInput,
                 Prefix() + ": token realm " + realm_origin.error().message());
  }
  bool plain_allowed = options_.insecure || IsLoopbackHost(realm_origin->host);
  if (realm_origin->scheme != "https" && !plain_allowed && credential) {
    return Error(ErrorCode::kAuthentication,
                 Prefix() + ": the token realm " + realm +
                     " is plain http; refusing to send credentials there (use "
                     "--insecure-registry if the registry really is set up so)");
  }

  const std::string& scope = scope_;
  HttpRequest request = TokenRequest(realm, challenge.Param("service"), scope, credential);
  BULWARK_ASSIGN_OR_RETURN(auto answer, StartWithRetries(request, "token " + scope));
  long status = answer->status();
  if (status == 401 || status == 403) {
    return Error(ErrorCode::kAuthentication,
                 Prefix() + ": the token endpoint " + realm_origin->str() + " refused " +
                     (credential ? "the credentials from " + options_.credential_origin
                                 : std::string("anonymous access")) +
                     " for " + scope + " (HTTP " + std::to_string(status) + ")");
  }
  if (status != 200) {
    return Error(ErrorCode::kNetwork, Prefix() + ": the token endpoint " + realm_origin->str() +
                                          " answered HTTP " + std::to_string(status));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string body,
                           ReadAllLimited(*answer, kMaxTokenResponse, "token answer"));
  auto token = ParseTokenResponse(body);
  if (!token.ok()) return token.error().Wrap(Prefix());
  auth_header_ = "Authorization: Bearer " + *token;
  return Ok();
}

Status RegistryClient::Session::Authenticate(const std::string& header_value) {
  if (header_value.empty()) {
    return Error(ErrorCode::kAuthentication,
                 Prefix() + ": answered 401 without a WWW-Authenticate challenge");
  }
  auto challenges = ParseChallenges(header_value);
  if (!challenges.ok()) return challenges.error().Wrap(Prefix());
  BULWARK_ASSIGN_OR_RETURN(std::optional<Credential> credential, CredentialForRegistry());
  had_credential_ = credential.has_value();

  for (const Challenge& challenge : *challenges) {
    if (challenge.scheme == "bearer") return FetchToken(challenge, credential);
  }
  for (const Challenge& challenge : *challenges) {
    if (challenge.scheme != "basic") continue;
    if (!credential || credential->username.empty()) {
      return Error(ErrorCode::kAuthentication,
                   Prefix() + ": authentication required (Basic), and " +
                       options_.credential_origin + " has no user name and password for " +
                       registry_);
    }
    auth_header_ =
        "Authorization: Basic " + EncodeBase64(credential->username + ":" + credential->password);
    return Ok();
  }
  return Error(ErrorCode::kUnsupported,
               Prefix() + ": asks for an authentication scheme Bulwark does not speak (" +
                   (*challenges)[0].scheme + "); Basic and Bearer are supported");
}

Error RegistryClient::Session::Unauthorized(HttpTransfer& transfer) {
  std::string detail = RegistryErrorText(transfer);
  std::string hint = had_credential_ ? "; check the credentials for " + registry_ + " in " +
                                           options_.credential_origin
                                     : "; anonymous access was refused: add credentials for " +
                                           registry_ + " to " + options_.credential_origin;
  return Error(ErrorCode::kAuthentication, Prefix() + ": authentication refused" +
                                               (detail.empty() ? "" : " (" + detail + ")") + hint);
}

Result<std::unique_ptr<HttpTransfer>> RegistryClient::Session::Get(
    const std::string& path, const std::vector<std::string>& headers) {
  BULWARK_TRY(ChooseBaseUrl());
  std::string url = base_url_ + path;
  std::string what = "GET " + path;
  bool authenticated = false;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    BULWARK_ASSIGN_OR_RETURN(UrlOrigin origin, OriginOf(url));
    bool to_registry = origin == base_origin_;
    HttpRequest request{url, headers, {}};
    if (to_registry && !auth_header_.empty()) request.headers.push_back(auth_header_);

    BULWARK_ASSIGN_OR_RETURN(auto answer, StartWithRetries(request, what));
    long status = answer->status();
    BULWARK_LOG(debug, "registry", "answer", "registry={} request=\"{}\" origin={} status={}",
                registry_, what, origin.str(), status);
    if (status == 401 && to_registry) {
      // Answer the challenge once per request: the first request of a
      // session has no credentials yet, and a token may expire during a long
      // scan. A 401 right after answering is a refusal.
      if (authenticated) return Unauthorized(*answer);
      authenticated = true;
      BULWARK_TRY(Authenticate(answer->Header("www-authenticate")));
      --hop;  // The same URL again, now with credentials.
      continue;
    }
    if (status < 300 || status >= 400 || status == 304) return answer;

    std::string location = answer->Header("location");
    if (location.empty()) return answer;
    BULWARK_ASSIGN_OR_RETURN(url, ResolveUrl(url, location));
    BULWARK_ASSIGN_OR_RETURN(UrlOrigin next, OriginOf(url));
    if (next.scheme == "http" && base_origin_.scheme == "https") {
      return Error(ErrorCode::kNetwork, Prefix() + ": " + what + " redirects to plain http (" +
                                            next.str() + "); refused");
    }
    BULWARK_LOG(debug, "registry", "following redirect", "registry={} to={} credentials={}",
                registry_, next.str(), next == base_origin_ ? "yes" : "no");
  }
  return Error(ErrorCode::kNetwork, Prefix() + ": " + what + ": more than " +
                                        std::to_string(kMaxRedirects) + " redirects");
}

RegistryClient::RegistryClient(std::string registry, std::string repository, ClientOptions options)
    : registry_(registry),
      session_(std::make_unique<Session>(std::move(registry), std::move(repository),
                                         std::move(options))) {}

RegistryClient::~RegistryClient() = default;

namespace {

// The error for a non-200 answer to a pull request.
Error PullError(HttpTransfer& answer, const std::string& prefix, const std::string& what) {
  long status = answer.status();
  std::string detail = RegistryErrorText(answer);
  std::string suffix = detail.empty() ? "" : " (" + detail + ")";
  if (status == 404)
    return Error(ErrorCode::kNotFound, prefix + ": " + what + ": not found" + suffix);
  if (status == 403) {
    return Error(ErrorCode::kAuthentication, prefix + ": " + what + ": access denied" + suffix);
  }
  return Error(ErrorCode::kNetwork,
               prefix + ": " + what + ": HTTP status " + std::to_string(status) + suffix);
}

}  // namespace

Result<FetchedManifest> RegistryClient::FetchManifest(std::string_view reference, uint64_t limit) {
  std::string what = "manifest " + std::string(reference);
  std::vector<std::string> headers = {std::string(ManifestAcceptHeader())};
  BULWARK_ASSIGN_OR_RETURN(
      auto answer, session_->Get(session_->RepositoryPath("manifests", reference), headers));
  if (answer->status() != 200) return PullError(*answer, session_->Prefix(), what);
  auto bytes = ReadAllLimited(*answer, limit, what);
  if (!bytes.ok()) return bytes.error().Wrap(session_->Prefix());
  return FetchedManifest{std::move(bytes).value(), MediaTypeOf(answer->Header("content-type"))};
}

Result<std::unique_ptr<HttpTransfer>> RegistryClient::StartBlob(const Digest& digest,
                                                                uint64_t offset) {
  std::string what = "blob " + digest.str();
  std::vector<std::string> headers;
  if (offset > 0) headers.push_back("Range: bytes=" + std::to_string(offset) + "-");
  BULWARK_ASSIGN_OR_RETURN(auto answer,
                           session_->Get(session_->RepositoryPath("blobs", digest.str()), headers));
  long status = answer->status();
  if (offset > 0 && status == 206) {
    std::string range = answer->Header("content-range");
    if (!range.starts_with("bytes " + std::to_string(offset) + "-")) {
      return Error(ErrorCode::kNetwork, session_->Prefix() + ": " + what + ": asked for bytes " +
                                            std::to_string(offset) + "- and got \"" +
                                            range.substr(0, 100) + "\"");
    }
    return answer;
  }
  if (status != 200) return PullError(*answer, session_->Prefix(), what);

  // The whole blob again: skip what was already handed out.
  char discard[16384];
  for (uint64_t skipped = 0; skipped < offset;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof(discard), offset - skipped));
    BULWARK_ASSIGN_OR_RETURN(size_t got, answer->Read(discard, want));
    if (got == 0) {
      return Error(ErrorCode::kNetwork, session_->Prefix() + ": " + what + ": shorter than the " +
                                            std::to_string(offset) + " bytes already read");
    }
    skipped += got;
  }
  return answer;
}

// A blob's bytes that survive a broken transfer: a network error while
// reading reopens the blob where the reader is.
class RegistryClient::BlobStream : public ByteStream {
 public:
  BlobStream(RegistryClient& client, Digest digest, std::unique_ptr<HttpTransfer> transfer)
      : client_(client), digest_(std::move(digest)), transfer_(std::move(transfer)) {}

  Result<size_t> Read(void* buffer, size_t size) override {
    while (true) {
      auto got = transfer_->Read(buffer, size);
      if (got.ok()) {
        offset_ += *got;
        return got;
      }
      if (got.error().code() != ErrorCode::kNetwork || ++resumes_ >= session().attempts()) {
        return got.error().Wrap(session().Prefix() + ": blob " + digest_.str());
      }
      session().Wait(resumes_, -1,
                     "blob " + digest_.str() + " from byte " + std::to_string(offset_),
                     got.error().message());
      BULWARK_ASSIGN_OR_RETURN(transfer_, client_.StartBlob(digest_, offset_));
    }
  }

 private:
  RegistryClient::Session& session() { return *client_.session_; }

  RegistryClient& client_;
  Digest digest_;
  std::unique_ptr<HttpTransfer> transfer_;
  uint64_t offset_ = 0;
  int resumes_ = 0;
};

Result<std::string> RegistryClient::FetchBlob(const Digest& digest, uint64_t limit) {
  BULWARK_ASSIGN_OR_RETURN(auto answer, StartBlob(digest));
  auto bytes = ReadAllLimited(*answer, limit, "blob " + digest.str());
  if (!bytes.ok()) return bytes.error().Wrap(session_->Prefix());
  return bytes;
}

Status RegistryClient::Ping() {
  BULWARK_ASSIGN_OR_RETURN(auto answer, session_->Get("/v2/", {}));
  if (answer->status() != 200) return PullError(*answer, session_->Prefix(), "/v2/");
  return Ok();
}

Result<NamePage> RegistryClient::ListNames(const std::string& path, std::string_view field, int n,
                                           std::string_view last) {
  n = std::clamp(n, 1, kMaxPageNames);
  std::string query = path + "?n=" + std::to_string(n);
  if (!last.empty()) query += "&last=" + EscapeQueryValue(last);
  BULWARK_ASSIGN_OR_RETURN(auto answer, session_->Get(query, {"Accept: application/json"}));
  if (answer->status() == 404 && path == "/v2/_catalog") {
    return Error(ErrorCode::kUnsupported,
                 session_->Prefix() + ": does not offer the catalog (/v2/_catalog answered 404)");
  }
  if (answer->status() != 200) return PullError(*answer, session_->Prefix(), path);
  auto body = ReadAllLimited(*answer, kMaxListingBytes, path);
  if (!body.ok()) return body.error().Wrap(session_->Prefix());
  BULWARK_TRY(CheckJsonNesting(*body, 16, path));

  Error malformed(ErrorCode::kCorruptInput, session_->Prefix() + ": " + path +
                                                ": not an object with a \"" + std::string(field) +
                                                "\" list of names");
  auto json = nlohmann::json::parse(*body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return malformed;
  NamePage page;
  auto names = json.find(field);
  // A repository without tags may answer "tags": null.
  if (names != json.end() && !names->is_null()) {
    if (!names->is_array()) return malformed;
    for (const auto& name : *names) {
      if (!name.is_string()) return malformed;
      page.names.push_back(name.get<std::string>());
    }
  }
  if (page.names.size() > static_cast<size_t>(n)) page.names.resize(n);
  page.more = answer->Header("link").find("rel=\"next\"") != std::string::npos;
  return page;
}

Result<NamePage> RegistryClient::ListRepositories(int n, std::string_view last) {
  session_->SetScope("registry:catalog:*");
  return ListNames("/v2/_catalog", "repositories", n, last);
}

Result<NamePage> RegistryClient::ListTags(int n, std::string_view last) {
  return ListNames(session_->RepositoryPath("tags", "list"), "tags", n, last);
}

Result<std::unique_ptr<ByteStream>> RegistryClient::OpenBlob(const Digest& digest) {
  BULWARK_ASSIGN_OR_RETURN(auto answer, StartBlob(digest));
  return std::unique_ptr<ByteStream>(
      std::make_unique<BlobStream>(*this, digest, std::move(answer)));
}

}  // namespace bulwark::registry
