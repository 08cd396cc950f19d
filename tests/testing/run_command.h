// Runs the bulwark binary from tests, capturing its output and exit code.
#ifndef BULWARK_TESTS_TESTING_RUN_COMMAND_H_
#define BULWARK_TESTS_TESTING_RUN_COMMAND_H_

#include <string>
#include <vector>

namespace bulwark::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when the process died from a signal.
  std::string out;
  std::string err;
};

// Runs `program` with `args`, with BULWARK_DATA_DIR set to `data_dir`, stdin
// from /dev/null. Blocks until the program exits.
CommandResult RunCommand(const std::string& program, const std::vector<std::string>& args,
                         const std::string& data_dir);

// As RunCommand, with `input` on stdin.
CommandResult RunCommandWithInput(const std::string& program, const std::vector<std::string>& args,
                                  const std::string& data_dir, const std::string& input);

// The bulwark binary of this build tree.
std::string BulwarkBinary();

// Reads a whole file ("" when it cannot be read).
std::string ReadFile(const std::string& path);

}  // namespace bulwark::testing

#endif  // BULWARK_TESTS_TESTING_RUN_COMMAND_H_
