#include "testing/registry_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "testing/https_server.h"
#include "testing/run_command.h"

namespace bulwark::testing {
namespace {

namespace fs = std::filesystem;

void Spit(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

int Shell(const std::string& command) { return std::system(command.c_str()); }

bool Installed(const std::string& tool) {
  return Shell("command -v " + tool + " >/dev/null 2>&1") == 0;
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return ok;
}

std::string Base64(const std::string& text) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < text.size(); i += 3) {
    unsigned chunk = static_cast<unsigned char>(text[i]) << 16;
    size_t count = std::min<size_t>(3, text.size() - i);
    if (count > 1) chunk |= static_cast<unsigned char>(text[i + 1]) << 8;
    if (count > 2) chunk |= static_cast<unsigned char>(text[i + 2]);
    for (size_t j = 0; j < 4; ++j)
      out += j <= count ? kAlphabet[(chunk >> (18 - 6 * j)) & 63] : '=';
  }
  return out;
}

}  // namespace

bool RegistryToolsAvailable(std::string* missing) {
  for (const char* tool : {"/usr/bin/docker-registry", "/usr/bin/python3"}) {
    if (!fs::exists(tool)) {
      *missing = std::string(tool) + " is not installed (scripts/install-deps.sh)";
      return false;
    }
  }
  for (const char* tool : {"skopeo", "htpasswd", "openssl"}) {
    if (!Installed(tool)) {
      *missing = std::string(tool) + " is not installed (scripts/install-deps.sh)";
      return false;
    }
  }
  return true;
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  close(fd);
  return ntohs(address.sin_port);
}

std::string WriteDockerConfig(const std::string& dir, const std::string& registry,
                              const std::string& user, const std::string& password) {
  fs::create_directories(dir);
  std::string path = dir + "/config.json";
  Spit(path, "{\"auths\": {\"" + registry + "\": {\"auth\": \"" + Base64(user + ":" + password) +
                 "\"}}}\n");
  return path;
}

ChildProcess::~ChildProcess() { Stop(); }

std::string ChildProcess::Start(const std::vector<std::string>& argv, const std::string& log) {
  pid_ = fork();
  if (pid_ < 0) return "fork failed";
  if (pid_ == 0) {
    int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return "";
}

std::string ChildProcess::WaitForFile(const std::string& path) {
  for (int i = 0; i < 200; ++i) {
    if (fs::exists(path)) return "";
    int status = 0;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return "the helper exited before listening";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "the helper did not start within 10 s";
}

void ChildProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string RegistryServer::WriteConfig() {
  std::string config =
      "version: 0.1\n"
      "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
      "storage:\n  filesystem:\n    rootdirectory: " +
      root_ +
      "/data\n"
      "  delete:\n    enabled: true\n"
      "http:\n  addr: 127.0.0.1:" +
      std::to_string(port_) + "\n  secret: bulwark-test\n";
  if (options_.tls) {
    config += "  tls:\n    certificate: " + root_ + "/tls/server.pem\n    key: " + root_ +
              "/tls/server.key\n";
  }
  if (options_.auth == RegistryAuth::kBasic) {
    config += "auth:\n  htpasswd:\n    realm: bulwark-test\n    path: " + root_ + "/htpasswd\n";
  }
  if (options_.auth == RegistryAuth::kToken) {
    config += "auth:\n  token:\n    realm: http://127.0.0.1:" + std::to_string(token_port_) +
              "/token\n    service: bulwark-test-registry\n    issuer: bulwark-test-issuer\n"
              "    rootcertbundle: " +
              root_ + "/token/signer.pem\n";
  }
  Spit(root_ + "/config.yml", config);
  return "";
}

std::string RegistryServer::Start() {
  std::string missing;
  if (!RegistryToolsAvailable(&missing)) return missing;
  fs::create_directories(root_ + "/data");

  if (options_.tls) {
    std::string tls = root_ + "/tls";
    fs::create_directories(tls);
    if (!MakeTestTls(tls, "bulwark registry test CA")) {
      return "generating the registry's CA and certificate failed";
    }
  }
  if (options_.auth == RegistryAuth::kBasic) {
    std::string command = "htpasswd -Bbn '" + options_.user + "' '" + options_.password + "' > '" +
                          root_ + "/htpasswd' 2>/dev/null";
    if (Shell(command) != 0) return "htpasswd failed";
  }
  if (options_.auth == RegistryAuth::kToken) {
    std::string dir = root_ + "/token";
    fs::create_directories(dir);
    std::string make_signer = "cd '" + dir +
                              "' && openssl req -x509 -newkey rsa:2048 -nodes "
                              "-days 2 -subj '/CN=bulwark token signer' -keyout signer.key "
                              "-out signer.pem >/dev/null 2>&1";
    if (Shell(make_signer) != 0) return "generating the token signing key failed";
    std::string script = std::string(BULWARK_SOURCE_DIR) + "/tests/testing/registry_front.py";
    std::string error = token_server_.Start(
        {"/usr/bin/python3", script, "token", dir + "/signer.pem", dir + "/signer.key",
         "bulwark-test-issuer", "bulwark-test-registry", options_.user, options_.password,
         dir + "/requests.log", dir + "/port"},
        dir + "/server.log");
    if (error.empty()) error = token_server_.WaitForFile(dir + "/port");
    if (!error.empty()) return "token endpoint: " + error;
    token_port_ = std::atoi(ReadFile(dir + "/port").c_str());
  }

  port_ = FreeLoopbackPort();
  WriteConfig();
  std::string error = registry_.Start({"/usr/bin/docker-registry", "serve", root_ + "/config.yml"},
                                      root_ + "/registry.log");
  if (!error.empty()) return error;
  for (int i = 0; i < 200; ++i) {
    if (Accepts(port_)) return "";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return "the registry did not listen within 10 s: " + ReadFile(root_ + "/registry.log");
}

std::string RegistryServer::TokenLog() const { return ReadFile(root_ + "/token/requests.log"); }

std::string RegistryServer::Push(const std::string& source, const std::string& repo_tag, bool all) {
  std::string command = "skopeo copy -q --dest-tls-verify=false";
  if (all) command += " --all";
  if (options_.auth != RegistryAuth::kNone) {
    command += " --dest-creds '" + options_.user + ":" + options_.password + "'";
  }
  // skopeo must not read the user's own registry configuration or credentials.
  command += " '" + source + "' 'docker://" + host() + "/" + repo_tag + "' > '" + root_ +
             "/push.log' 2>&1";
  std::string env = "REGISTRY_AUTH_FILE='" + root_ + "/no-auth.json' ";
  if (Shell(env + command) != 0) return "skopeo copy failed: " + ReadFile(root_ + "/push.log");
  return "";
}

}  // namespace bulwark::testing
