// The subcommands. Each returns the process exit code (cli/exit_codes.h).
#ifndef BULWARK_CLI_COMMANDS_H_
#define BULWARK_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include <functional>

#include "cli/context.h"

namespace bulwark::cli {

// Adds a subcommand to `app`; when the user picks it, `*run` is set to its action.
using Action = std::function<int()>;
void AddScanCommand(CLI::App& app, const GlobalOptions& global, Action* run);
void AddImageCommands(CLI::App& app, const GlobalOptions& global, Action* run);
void AddPolicyCommands(CLI::App& app, const GlobalOptions& global, Action* run);
void AddDbCommands(CLI::App& app, const GlobalOptions& global, Action* run);
void AddVersionCommands(CLI::App& app, const GlobalOptions& global, Action* run);
// server, user and token (issue #5).
void AddServerCommands(CLI::App& app, const GlobalOptions& global, Action* run);
// registry add|list|test|remove|repos|tags, through a server (issue #5).
void AddRegistryCommands(CLI::App& app, const GlobalOptions& global, Action* run);

// Prints "bulwark: <message>" to stderr and returns the exit code for it.
int Fail(const Error& error);

}  // namespace bulwark::cli

#endif  // BULWARK_CLI_COMMANDS_H_
