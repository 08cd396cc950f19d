#include "registry/credential_helper.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "registry/json_limits.h"

namespace bulwark::registry {
namespace {

bool IsHelperName(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-';
    if (!allowed) return false;
  }
  return true;
}

// The first line of a helper's output, trimmed and made printable, for messages.
std::string FirstLine(const std::string& output) {
  std::string line = output.substr(0, output.find('\n')).substr(0, 200);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return line;
}

struct HelperRun {
  std::string output;
  int exit_code = -1;  // -1: killed or did not exit normally.
  bool timed_out = false;
  bool too_long = false;
};

// Writes `input` to the child's stdin and reads its stdout until it closes,
// the limit, or the deadline.
void Exchange(int in_fd, int out_fd, const std::string& input, HelperRun& run) {
  // The input is one short line: it fits in the pipe buffer.
  ssize_t written = write(in_fd, input.data(), input.size());
  (void)written;  // A helper that does not read its input fails on its own.
  close(in_fd);

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kHelperTimeoutSeconds);
  char buffer[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      run.timed_out = true;
      return;
    }
    pollfd poller{out_fd, POLLIN, 0};
    if (poll(&poller, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t got = read(out_fd, buffer, sizeof(buffer));
    if (got <= 0) return;
    run.output.append(buffer, static_cast<size_t>(got));
    if (run.output.size() > kMaxHelperOutput) {
      run.too_long = true;
      return;
    }
  }
}

Result<HelperRun> Spawn(const std::string& program, const std::string& input) {
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Error(ErrorCode::kIo, program + ": pipe failed");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Error(ErrorCode::kIo, program + ": pipe failed");
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    int null_fd = open("/dev/null", O_WRONLY);
    if (null_fd >= 0) dup2(null_fd, 2);
    execlp(program.c_str(), program.c_str(), "get", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (pid < 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    return Error(ErrorCode::kIo, program + ": fork failed");
  }

  HelperRun run;
  signal(SIGPIPE, SIG_IGN);  // A helper that exits early must not kill Bulwark.
  Exchange(in_pipe[1], out_pipe[0], input, run);
  close(out_pipe[0]);
  if (run.timed_out || run.too_long) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  return run;
}

}  // namespace

Result<std::optional<std::string>> RunCredentialHelper(const std::string& helper,
                                                       const std::string& server) {
  if (!IsHelperName(helper)) {
    return Error(ErrorCode::kInvalidArgument, "config.json: credential helper name \"" +
                                                  helper.substr(0, 100) +
                                                  "\" is not a plain program name");
  }
  std::string program = "docker-credential-" + helper;
  BULWARK_ASSIGN_OR_RETURN(HelperRun run, Spawn(program, server + "\n"));
  if (run.timed_out) {
    return Error(ErrorCode::kAuthentication, program + " get: no answer within " +
                                                 std::to_string(kHelperTimeoutSeconds) + " s");
  }
  if (run.too_long) {
    return Error(ErrorCode::kLimitExceeded,
                 program + " get: more than " + std::to_string(kMaxHelperOutput) + " bytes");
  }
  if (run.exit_code == 127 && run.output.empty()) {
    return Error(ErrorCode::kNotFound, program +
                                           " (named in config.json) is not installed or "
                                           "not on PATH");
  }
  if (run.exit_code != 0) {
    if (run.output.find("credentials not found") != std::string::npos) {
      return std::optional<std::string>();
    }
    return Error(ErrorCode::kAuthentication, program + " get failed (exit " +
                                                 std::to_string(run.exit_code) +
                                                 "): " + FirstLine(run.output));
  }
  return std::optional<std::string>(std::move(run.output));
}

Result<Credential> ParseHelperOutput(std::string_view json, std::string_view helper) {
  std::string origin = "docker-credential-" + std::string(helper) + " answer";
  if (json.size() > kMaxHelperOutput) {
    return Error(ErrorCode::kLimitExceeded,
                 origin + ": larger than " + std::to_string(kMaxHelperOutput) + " bytes");
  }
  BULWARK_TRY(CheckJsonNesting(json, 16, origin));
  auto document = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return Error(ErrorCode::kCorruptInput, origin + ": not a JSON object");
  }
  std::string fields[2];
  const char* names[2] = {"Username", "Secret"};
  for (int i = 0; i < 2; ++i) {
    auto found = document.find(names[i]);
    if (found == document.end() || !found->is_string()) {
      return Error(ErrorCode::kCorruptInput,
                   origin + ": no string \"" + std::string(names[i]) + "\"");
    }
    fields[i] = found->get<std::string>();
  }
  Credential credential;
  if (fields[0] == "<token>") {
    credential.identity_token = fields[1];
  } else {
    credential.username = fields[0];
    credential.password = fields[1];
  }
  return credential;
}

std::string HelperServerName(std::string_view registry) {
  return NormaliseRegistryKey(registry) == "docker.io" ? "https://index.docker.io/v1/"
                                                       : std::string(registry);
}

Result<std::optional<Credential>> FindCredentialWithHelpers(const DockerConfig& config,
                                                            std::string_view registry,
                                                            const HelperRunner& run) {
  auto found = FindCredential(config, registry);
  if (found.ok() || found.error().code() != ErrorCode::kUnsupported) return found;

  std::optional<std::string> helper = HelperFor(config, registry);
  if (!helper) return found.error();
  BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> output,
                           run(*helper, HelperServerName(registry)));
  if (!output) return std::optional<Credential>();
  BULWARK_ASSIGN_OR_RETURN(Credential credential, ParseHelperOutput(*output, *helper));
  return std::optional<Credential>(std::move(credential));
}

}  // namespace bulwark::registry
