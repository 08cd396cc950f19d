// The shared server (issue #5): the JSON HTTP API under /api/v1 over the same
// store, policies and evaluation as the CLI (scan::EvaluateAnalysis).
#ifndef BULWARK_SERVER_API_SERVER_H_
#define BULWARK_SERVER_API_SERVER_H_

#include <memory>
#include <string>

#include "common/result.h"

namespace bulwark::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;          // 0: any free port (see ApiServer::port()).
  std::string tls_cert;  // PEM files; both or neither. Neither: plain HTTP.
  std::string tls_key;
  std::string store_location;  // A SQLite file (DATA_DIR/bulwark.db) or a PostgreSQL
                               // URL (store::OpenStoreAt), shared by replicas.
  std::string advisory_db;     // Opened when the file exists; scans whose policies
                               // need advisories fail (500) without it.
  int threads = 8;             // Requests served at once.
  std::string key_file;        // The server key sealing registry secrets
                               // (server/secret_box.h); made when absent.
};

// Parses "ADDR:PORT" ("127.0.0.1:8443", "[::1]:8443", ":8443" for every
// address); kInvalidArgument naming the text otherwise.
Status ParseListen(const std::string& text, ServerOptions* options);

class ApiServer {
 public:
  // Opens the store, the advisory database and the server key (making it
  // when absent) and binds the port. Errors: the store's (kIo), the key's
  // (kIo, kInvalidArgument; kInvalidArgument when key_file is empty), kInvalidArgument for half a
  // TLS pair or an unreadable certificate or key, kNetwork when the address cannot be bound.
  static Result<std::unique_ptr<ApiServer>> Create(const ServerOptions& options);
  virtual ~ApiServer() = default;

  // The bound port.
  virtual int port() const = 0;
  // Serves requests on the calling thread until Stop() is called; kNetwork
  // when listening fails.
  virtual Status Run() = 0;
  // Makes Run() return once the requests in progress are answered. Thread-safe.
  virtual void Stop() = 0;
};

}  // namespace bulwark::server

#endif  // BULWARK_SERVER_API_SERVER_H_
