// A real HTTPS server on 127.0.0.1 for tests (Python's http.server with TLS),
// with a certificate from a CA generated for the test by the openssl tool.
#ifndef BULWARK_TESTS_TESTING_HTTPS_SERVER_H_
#define BULWARK_TESTS_TESTING_HTTPS_SERVER_H_

#include <sys/types.h>

#include <string>

namespace bulwark::testing {

// Serves the files of `root` (see https_server.py for the paths that fail on
// purpose). Start() generates a CA and a server certificate for 127.0.0.1
// under `root`/tls, starts the server and waits until it listens. The
// destructor stops it. Not thread-safe.
class HttpsServer {
 public:
  explicit HttpsServer(std::string root) : root_(std::move(root)) {}
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  // Returns "" on success, else what went wrong (for GTEST_SKIP or a failure).
  std::string Start();

  // "https://127.0.0.1:PORT" (no trailing slash).
  std::string base_url() const;
  // The CA certificate (PEM) that signed the server's certificate.
  std::string ca_file() const { return root_ + "/tls/ca.pem"; }
  // The requests served so far, one "GET /path" per line.
  std::string RequestLog() const;

 private:
  std::string root_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Generates with the openssl tool, in the existing directory `dir`, a CA
// (ca.pem, ca.key) named `ca_name` and a certificate for 127.0.0.1 and
// localhost that it signed (server.pem, server.key). False when openssl fails.
bool MakeTestTls(const std::string& dir, const std::string& ca_name);

// True when /usr/bin/python3 and openssl are present.
bool HttpsServerAvailable();

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_HTTPS_SERVER_H_
