// The real registry server (Debian's docker-registry, the CNCF distribution
// registry) for tests, started on 127.0.0.1 on a free port with a config made
// for the test, plus the small loopback helpers of registry_front.py.
#ifndef BULWARK_TESTS_TESTING_REGISTRY_SERVER_H_
#define BULWARK_TESTS_TESTING_REGISTRY_SERVER_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace bulwark::testing {

// True when /usr/bin/docker-registry, skopeo, htpasswd, openssl and
// /usr/bin/python3 are installed; otherwise `missing` says which is not.
bool RegistryToolsAvailable(std::string* missing);

// A child process started for a test and killed (SIGTERM, then waited for)
// by the destructor.
class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts `argv` with stdout and stderr appended to `log`. "" or an error.
  std::string Start(const std::vector<std::string>& argv, const std::string& log);
  // Waits up to 10 s for `path` to exist (a helper writes its ports there).
  std::string WaitForFile(const std::string& path);
  void Stop();

 private:
  pid_t pid_ = -1;
};

enum class RegistryAuth { kNone, kBasic, kToken };

struct RegistryServerOptions {
  RegistryAuth auth = RegistryAuth::kNone;
  bool tls = false;  // A certificate for 127.0.0.1 from a CA generated for the test.
  std::string user = "bulwark";
  std::string password = "s3cret-pass";
};

// One registry server with its own storage under `root`. Not thread-safe.
class RegistryServer {
 public:
  RegistryServer(std::string root, RegistryServerOptions options)
      : root_(std::move(root)), options_(std::move(options)) {}

  // Generates the config (and CA, htpasswd, token key as needed), starts the
  // server (and the token endpoint), and waits until it accepts
  // connections. Returns "" or what went wrong.
  std::string Start();

  // "127.0.0.1:PORT".
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  // The CA that signed the server's certificate (tls only).
  std::string ca_file() const { return root_ + "/tls/ca.pem"; }
  // Requests the token endpoint served, one "front METHOD PATH AUTHORIZATION" per line.
  std::string TokenLog() const;

  // Copies `source` (a skopeo transport, "oci:DIR:TAG") to REPO:TAG in this
  // registry with skopeo, with `all` copying every image of an index.
  // Returns "" or skopeo's output.
  std::string Push(const std::string& source, const std::string& repo_tag, bool all = false);

 private:
  std::string WriteConfig();

  std::string root_;
  RegistryServerOptions options_;
  int port_ = 0;
  int token_port_ = 0;
  ChildProcess token_server_;
  ChildProcess registry_;
};

// A free TCP port on 127.0.0.1 (bound, read and released; racy in theory).
int FreeLoopbackPort();

// Writes a Docker config.json under `dir` with `auths` for `registry`, and
// returns its path.
std::string WriteDockerConfig(const std::string& dir, const std::string& registry,
                              const std::string& user, const std::string& password);

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_REGISTRY_SERVER_H_
