#include "testing/postgres_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "testing/run_command.h"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;

// $BULWARK_PG_BIN, else Debian's PostgreSQL 15, else the newest installed.
std::string FindBinDir() {
  if (const char* dir = std::getenv("BULWARK_PG_BIN"); dir && *dir) return dir;
  std::error_code error;
  if (fs::exists("/usr/lib/postgresql/15/bin/initdb", error)) return "/usr/lib/postgresql/15/bin";
  std::string best;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    std::string bin = entry.path().string() + "/bin";
    if (fs::exists(bin + "/initdb", error) && bin > best) best = bin;
  }
  return best;
}

// A port the kernel just gave out on 127.0.0.1 (another process may take it
// before the server binds; Start then tries another).
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  ::close(fd);
  return port;
}

std::unique_ptr<PostgresServer>& SharedSlot() {
  static std::unique_ptr<PostgresServer> server;
  return server;
}

}  // namespace

PostgresServer* PostgresServer::Shared(std::string* skip_reason) {
  static bool tried = false;
  std::unique_ptr<PostgresServer>& slot = SharedSlot();
  if (tried) {
    if (!slot) *skip_reason = "PostgreSQL did not start (see the first test's failure)";
    return slot.get();
  }
  tried = true;
  std::string bin_dir = FindBinDir();
  if (bin_dir.empty()) {
    *skip_reason =
        "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin or $BULWARK_PG_BIN); "
        "scripts/install-deps.sh installs Debian's postgresql";
    return nullptr;
  }
  std::unique_ptr<PostgresServer> server(new PostgresServer());
  if (!server->Start(bin_dir)) {
    *skip_reason = "PostgreSQL did not start";
    return nullptr;
  }
  slot = std::move(server);
  return slot.get();
}

bool PostgresServer::RunAsOwner(const std::string& program, const std::vector<std::string>& args) {
  // initdb and postgres refuse to run as root: as root, run them as `postgres`.
  std::vector<std::string> argv = args;
  std::string command = program;
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"-u", "postgres", "--", program});
    command = "/usr/sbin/runuser";
  }
  CommandResult result = RunCommand(command, argv, dir_);
  if (result.exit_code != 0) {
    ADD_FAILURE() << program << " exited " << result.exit_code << ": " << result.err << result.out
                  << ReadFile(dir_ + "/server.log");
    return false;
  }
  return true;
}

bool PostgresServer::Start(const std::string& bin_dir) {
  bin_dir_ = bin_dir;
  // As root, the cluster's owner must reach the directory: /tmp is open to
  // everyone where $TMPDIR may not be.
  fs::path parent = ::geteuid() == 0 ? fs::path("/tmp") : fs::temp_directory_path();
  std::string pattern = (parent / "bulwark-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << pattern;
    return false;
  }
  dir_ = pattern;
  fs::create_directories(dir_ + "/socket");
  std::ofstream(dir_ + "/password") << Password() << "\n";
  if (::geteuid() == 0) {
    passwd* owner = ::getpwnam("postgres");
    if (owner == nullptr) {
      ADD_FAILURE() << "running as root, and there is no postgres user to run PostgreSQL as";
      return false;
    }
    for (const std::string& path : {dir_, dir_ + "/socket", dir_ + "/password"}) {
      if (::chown(path.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
        ADD_FAILURE() << "chown " << path << " failed";
        return false;
      }
    }
  }

  // Local (socket) connections are trusted; TCP ones need the password, as a
  // real deployment's would.
  if (!RunAsOwner(bin_dir_ + "/initdb",
                  {"-D", dir_ + "/data", "-U", "bulwark", "--pwfile=" + dir_ + "/password",
                   "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C",
                   "--no-sync"})) {
    return false;
  }
  for (int attempt = 0; attempt < 3 && !running_; ++attempt) {
    port_ = FreePort();
    std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " +
                          dir_ + "/socket -c fsync=off -c synchronous_commit=off" +
                          " -c full_page_writes=off -c max_connections=100 -c shared_buffers=16MB";
    running_ = RunAsOwner(bin_dir_ + "/pg_ctl", {"-D", dir_ + "/data", "-l", dir_ + "/server.log",
                                                 "-w", "-t", "30", "-o", options, "start"});
  }
  return running_;
}

PostgresServer::~PostgresServer() {
  if (running_) {
    // Immediate: the databases are thrown away, so nothing needs flushing.
    (void)RunAsOwner(bin_dir_ + "/pg_ctl", {"-D", dir_ + "/data", "-m", "immediate", "stop"});
  }
  std::error_code error;
  if (!dir_.empty()) fs::remove_all(dir_, error);
}

std::string PostgresServer::Url(const std::string& name) const {
  return "postgresql://bulwark:" + std::string(Password()) + "@127.0.0.1:" + std::to_string(port_) +
         "/" + name;
}

std::string PostgresServer::NewDatabase() {
  std::string name =
      "bulwark_test_" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  PGconn* admin = PQconnectdb(Url("postgres").c_str());
  bool made = false;
  if (PQstatus(admin) == CONNECTION_OK) {
    PGresult* result = PQexec(admin, ("CREATE DATABASE " + name).c_str());
    made = PQresultStatus(result) == PGRES_COMMAND_OK;
    if (!made) ADD_FAILURE() << "CREATE DATABASE " << name << ": " << PQerrorMessage(admin);
    PQclear(result);
  } else {
    ADD_FAILURE() << "connecting to the test PostgreSQL: " << PQerrorMessage(admin);
  }
  PQfinish(admin);
  return made ? Url(name) : "";
}

}  // namespace bulwark::testing
