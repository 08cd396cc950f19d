// A real PostgreSQL server for tests (issue #5): a fresh cluster made with
// initdb in a temporary directory, listening on a free 127.0.0.1 port and on
// a unix socket inside that directory, stopped and removed at exit.
#ifndef BULWARK_TESTS_TESTING_POSTGRES_SERVER_H_
#define BULWARK_TESTS_TESTING_POSTGRES_SERVER_H_

#include <memory>
#include <string>
#include <vector>

namespace bulwark::testing {

class PostgresServer {
 public:
  // The server of this test process, started on first use. nullptr when the
  // PostgreSQL server binaries are not installed, with `*skip_reason` saying
  // so (tests then GTEST_SKIP with it); also nullptr, after ADD_FAILURE, when
  // they are installed but the server does not start. As root, the cluster
  // runs as the `postgres` user. Not thread-safe: call it from the test
  // thread.
  static PostgresServer* Shared(std::string* skip_reason);

  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Creates an empty database and returns its URL, with the superuser's
  // password in it ("postgresql://bulwark:PASSWORD@127.0.0.1:PORT/NAME").
  // "" after ADD_FAILURE when it cannot be created.
  std::string NewDatabase();

  // The URL of database `name` on this server.
  std::string Url(const std::string& name) const;
  // The superuser's password, for tests that check it is never shown.
  static const char* Password() { return "pg-test-Secret-7731"; }
  int port() const { return port_; }

 private:
  PostgresServer() = default;
  bool Start(const std::string& bin_dir);
  bool RunAsOwner(const std::string& program, const std::vector<std::string>& args);

  std::string dir_;
  std::string bin_dir_;
  int port_ = 0;
  bool running_ = false;
  int databases_ = 0;
};

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_POSTGRES_SERVER_H_
