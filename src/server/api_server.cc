#include "server/api_server.h"

#include <httplib.h>
#include <sodium.h>
#include <sys/socket.h>

#include <chrono>
#include <filesystem>

#include "common/log.h"
#include "scan/analysis_codec.h"
#include "server/api_handlers.h"
#include "server/routes.h"
#include "server/secret_box.h"
#include "store/store.h"
#include "vulndb/advisory_db.h"

namespace bulwark::server {
namespace {

using internal::Call;
using internal::Handlers;
using internal::Principal;
using internal::Reply;

// What the per-request log line needs from the handler, which runs on the
// same thread as cpp-httplib's logger callback right after it.
struct RequestNote {
  std::string request_id;
  std::string user;
  std::chrono::steady_clock::time_point started;
};
thread_local RequestNote current_note;

std::string NewRequestId() {
  unsigned char random[8];
  randombytes_buf(random, sizeof random);
  char hex[sizeof random * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, random, sizeof random);
  return hex;
}

// A request cpp-httplib refuses before routing (a malformed one) gets its
// note here, so that its answer and its log line still carry a fresh id.
void EnsureNote() {
  if (!current_note.request_id.empty()) return;
  current_note = RequestNote{NewRequestId(), "-", std::chrono::steady_clock::now()};
}

void SetError(httplib::Response& response, int status, std::string_view code,
              std::string_view message) {
  response.status = status;
  response.set_content(internal::ErrorBody(code, message), "application/json");
  if (status == 401) response.set_header("WWW-Authenticate", "Basic realm=\"bulwark\"");
}

class HttpApiServer : public ApiServer {
 public:
  HttpApiServer(std::unique_ptr<httplib::Server> http, std::unique_ptr<Handlers> handlers)
      : http_(std::move(http)), handlers_(std::move(handlers)) {}

  Status Bind(const ServerOptions& options);
  int port() const override { return port_; }
  Status Run() override;
  void Stop() override { http_->stop(); }

 private:
  void Serve(const Route& route, const httplib::Request& request, httplib::Response& response);
  Result<Principal> Authorise(const Route& route, const httplib::Request& request);

  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<Handlers> handlers_;
  int port_ = 0;
  int listen_fd_ = -1;
};

// cpp-httplib as Debian builds it listens with a backlog of 5, so a burst of
// CI jobs connecting at once would wait for SYN retries (a second each).
constexpr int kListenBacklog = 256;

Result<Principal> HttpApiServer::Authorise(const Route& route, const httplib::Request& request) {
  if (route.roles == 0) return Principal{"anonymous", Role::kAuditor, "none"};
  BULWARK_ASSIGN_OR_RETURN(Credentials credentials,
                           ParseAuthorization(request.get_header_value("Authorization")));
  return handlers_->Authenticate(credentials);
}

// The last catch for one request: authentication, the role check, the
// handler, and the error body. Exceptions from libraries end here as 500.
void HttpApiServer::Serve(const Route& route, const httplib::Request& request,
                          httplib::Response& response) {
  response.set_header("X-Request-Id", current_note.request_id);
  try {
    auto principal = Authorise(route, request);
    if (!principal.ok()) {
      const Error& error = principal.error();
      int status = error.code() == ErrorCode::kAuthentication ? 401 : 500;
      SetError(response, status, ErrorCodeName(error.code()), error.message());
      return;
    }
    current_note.user = principal->user;
    if (!Allows(route, principal->role)) {
      SetError(response, 403, "forbidden",
               "role " + std::string(RoleName(principal->role)) + " may not " + route.method + " " +
                   route.path);
      return;
    }
    Call call{request, *principal, current_note.request_id};
    auto reply = handlers_->Dispatch(route.id, call);
    if (!reply.ok()) {
      const Error& error = reply.error();
      SetError(response, internal::HttpStatusFor(error.code()), ErrorCodeName(error.code()),
               error.message());
      return;
    }
    response.status = reply->status;
    response.set_content(std::move(reply->body), reply->content_type);
  } catch (const std::exception& e) {
    SetError(response, 500, "internal", std::string("internal error: ") + e.what());
  }
}

Status HttpApiServer::Bind(const ServerOptions& options) {
  http_->new_task_queue = [threads = options.threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  http_->set_payload_max_length(scan::kMaxAnalysisBytes);
  http_->set_read_timeout(30);
  http_->set_write_timeout(30);
  http_->set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    current_note = RequestNote{NewRequestId(), "-", std::chrono::steady_clock::now()};
    return httplib::Server::HandlerResponse::Unhandled;
  });
  for (const Route& route : Routes()) {
    auto handler = [this, &route](const httplib::Request& request, httplib::Response& response) {
      Serve(route, request, response);
    };
    std::string pattern = HttplibPattern(route);
    std::string method = route.method;
    if (method == "GET") http_->Get(pattern, handler);
    if (method == "POST") http_->Post(pattern, handler);
    if (method == "DELETE") http_->Delete(pattern, handler);
  }
  // Unrouted paths, bodies over the limit, malformed requests: a JSON error too.
  http_->set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    EnsureNote();
    response.set_header("X-Request-Id", current_note.request_id);
    // The codes are ErrorCodeName()s, so a client reads them as it reads the rest.
    if (response.status == 404) {
      SetError(response, 404, "not_found", "no such route: " + request.path);
    } else if (response.status == 413) {
      SetError(response, 413, "limit_exceeded", "request body over the size limit");
    } else {
      SetError(response, response.status, "corrupt_input", "malformed HTTP request");
    }
  });
  // The one log line per request. Never the Authorization header, the query
  // (it carries no secret, but is the caller's text) or the body.
  http_->set_logger([](const httplib::Request& request, const httplib::Response& response) {
    EnsureNote();
    auto elapsed = std::chrono::steady_clock::now() - current_note.started;
    long long elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    BULWARK_LOG(info, "server", "request",
                "request_id={} method={} path=\"{}\" status={} user={} remote={} elapsed_ms={}",
                current_note.request_id, request.method, request.path, response.status,
                current_note.user, request.remote_addr, elapsed_ms);
    current_note = RequestNote{};  // The thread's next connection starts afresh.
  });

  // Replaces cpp-httplib's default socket options (SO_REUSEADDR alone) and
  // keeps the socket, so its backlog can be raised once it listens.
  http_->set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd_ = sock;
  });
  if (options.port == 0) {
    port_ = http_->bind_to_any_port(options.host);
    if (port_ < 0) port_ = 0;
  } else if (http_->bind_to_port(options.host, options.port)) {
    port_ = options.port;
  }
  if (port_ == 0) {
    return Error(ErrorCode::kNetwork, "listening on " + options.host + ":" +
                                          std::to_string(options.port) +
                                          ": cannot bind (in use, or not an address here)");
  }
  // Calling listen() again on a listening socket only changes its backlog.
  if (listen_fd_ >= 0) ::listen(listen_fd_, kListenBacklog);
  return Ok();
}

Status HttpApiServer::Run() {
  if (!http_->listen_after_bind()) {
    return Error(ErrorCode::kNetwork, "serving on port " + std::to_string(port_) + " failed");
  }
  return Ok();
}

Result<std::unique_ptr<httplib::Server>> MakeHttpServer(const ServerOptions& options) {
  if (options.tls_cert.empty() != options.tls_key.empty()) {
    return Error(ErrorCode::kInvalidArgument, "--tls-cert and --tls-key go together");
  }
  if (options.tls_cert.empty()) return std::make_unique<httplib::Server>();
  for (const std::string& file : {options.tls_cert, options.tls_key}) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) {
      return Error(ErrorCode::kInvalidArgument, "TLS file " + file + ": not a readable file");
    }
  }
  auto tls =
      std::make_unique<httplib::SSLServer>(options.tls_cert.c_str(), options.tls_key.c_str());
  if (!tls->is_valid()) {
    return Error(ErrorCode::kInvalidArgument, "TLS certificate " + options.tls_cert + " or key " +
                                                  options.tls_key +
                                                  ": not a PEM certificate and its private key");
  }
  return std::unique_ptr<httplib::Server>(std::move(tls));
}

}  // namespace

Status ParseListen(const std::string& text, ServerOptions* options) {
  size_t colon = text.rfind(':');
  Error bad(ErrorCode::kInvalidArgument,
            "--listen " + text + ": use ADDR:PORT, e.g. 127.0.0.1:8443 or [::1]:8443");
  if (colon == std::string::npos) return bad;
  std::string host = text.substr(0, colon);
  std::string port = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return bad;
  }
  int number = std::stoi(port);
  if (number > 65535) return bad;
  options->host = host;
  options->port = number;
  return Ok();
}

Result<std::unique_ptr<ApiServer>> ApiServer::Create(const ServerOptions& options) {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium: no random source");
  BULWARK_ASSIGN_OR_RETURN(auto http, MakeHttpServer(options));
  BULWARK_ASSIGN_OR_RETURN(auto store, store::OpenStoreAt(options.store_location));
  std::unique_ptr<vulndb::AdvisoryDatabase> advisories;
  std::error_code error;
  if (!options.advisory_db.empty() && std::filesystem::exists(options.advisory_db, error)) {
    BULWARK_ASSIGN_OR_RETURN(advisories, vulndb::OpenAdvisoryDatabase(options.advisory_db));
  }
  if (options.key_file.empty()) {
    return Error(ErrorCode::kInvalidArgument, "no server key file given (--key-file)");
  }
  BULWARK_ASSIGN_OR_RETURN(SecretBox secrets, SecretBox::LoadOrCreate(options.key_file));
  auto handlers = std::make_unique<Handlers>(std::move(store), std::move(advisories),
                                             options.advisory_db, std::move(secrets));
  auto server = std::make_unique<HttpApiServer>(std::move(http), std::move(handlers));
  BULWARK_TRY(server->Bind(options));
  return std::unique_ptr<ApiServer>(std::move(server));
}

}  // namespace bulwark::server
