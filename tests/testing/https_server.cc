#include "testing/https_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int Shell(const std::string& command) { return std::system(command.c_str()); }

}  // namespace

bool MakeTestTls(const std::string& dir, const std::string& ca_name) {
  std::string make_certs =
      "cd '" + dir +
      "' && "
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=" +
      ca_name +
      "' "
      "-keyout ca.key -out ca.pem >/dev/null 2>&1 && "
      "openssl req -newkey rsa:2048 -nodes -subj '/CN=127.0.0.1' -keyout server.key "
      "-out server.csr >/dev/null 2>&1 && "
      "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile san.ext -out server.pem >/dev/null 2>&1";
  return Shell(make_certs) == 0;
}

bool HttpsServerAvailable() {
  return fs::exists("/usr/bin/python3") && Shell("command -v openssl >/dev/null 2>&1") == 0;
}

std::string HttpsServer::Start() {
  if (!HttpsServerAvailable()) return "python3 or openssl is not installed";
  std::string tls = root_ + "/tls";
  fs::create_directories(tls);
  if (!MakeTestTls(tls, "bulwark test CA")) return "generating the test CA and certificate failed";

  std::string script = std::string(BULWARK_SOURCE_DIR) + "/tests/testing/https_server.py";
  std::string port_file = tls + "/port";
  pid_ = fork();
  if (pid_ == 0) {
    execl("/usr/bin/python3", "python3", script.c_str(), (tls + "/server.pem").c_str(),
          (tls + "/server.key").c_str(), root_.c_str(), port_file.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  if (pid_ < 0) return "fork failed";
  for (int i = 0; i < 200; ++i) {
    if (fs::exists(port_file)) {
      port_ = std::atoi(Slurp(port_file).c_str());
      return port_ > 0 ? "" : "the server wrote no port";
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "the server exited before listening";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "the server did not start within 10 s";
}

HttpsServer::~HttpsServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

std::string HttpsServer::base_url() const {
  return "https://127.0.0.1:" + std::to_string(port_);
}

std::string HttpsServer::RequestLog() const { return Slurp(root_ + "/requests.log"); }

}  // namespace bulwark::testing
