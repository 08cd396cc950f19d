#include "testing/run_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace bulwark::testing {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string BulwarkBinary() {
  const char* override_path = std::getenv("BULWARK_BINARY");
  if (override_path != nullptr && *override_path != '\0') return override_path;
  return std::string(BULWARK_BINARY_DIR) + "/bulwark";
}

CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& data_dir) {
  return RunCommandWithInput(program, args, data_dir, "");
}

CommandResult RunCommandWithInput(const std::string& program, const std::vector<std::string>& args,
                                  const std::string& data_dir, const std::string& input) {
  char in_path[] = "/tmp/bulwark-in-XXXXXX";
  int in_fd = ::mkstemp(in_path);
  if (in_fd >= 0) {
    (void)!::write(in_fd, input.data(), input.size());
    ::close(in_fd);
  }
  char out_path[] = "/tmp/bulwark-out-XXXXXX";
  char err_path[] = "/tmp/bulwark-err-XXXXXX";
  int out_fd = ::mkstemp(out_path);
  int err_fd = ::mkstemp(err_path);

  std::vector<std::string> env_strings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (std::string(*entry).rfind("BULWARK_DATA_DIR=", 0) != 0) env_strings.push_back(*entry);
  }
  env_strings.push_back("BULWARK_DATA_DIR=" + data_dir);
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_strings) argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_fd >= 0 ? in_path : "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  pid_t pid = 0;
  CommandResult result;
  int spawned = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned == 0) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } else {
    result.err = "spawn failed for " + program;
  }
  ::close(out_fd);
  ::close(err_fd);
  result.out = ReadFile(out_path);
  result.err += ReadFile(err_path);
  ::unlink(out_path);
  if (in_fd >= 0) ::unlink(in_path);
  ::unlink(err_path);
  return result;
}

}  // namespace bulwark::testing
