// `bulwark registry ...`: the registries a server pulls from (issue #5). Every
// subcommand acts through the server; there is no standalone form, since only
// the server holds the key that seals the passwords.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/server_client.h"

namespace bulwark::cli {
namespace {

using nlohmann::json;

struct RegistryFlags {
  std::string name;
  std::string url;
  std::string username;
  bool password_stdin = false;
  std::string ca_file;
  bool insecure = false;
  std::string repository;
  int page_size = 100;
  std::string last;
  bool json_output = false;
  ServerFlags server;
};

Status RequireServer(const RegistryFlags& flags) {
  if (flags.server.given()) return Ok();
  return Error(ErrorCode::kInvalidArgument,
               "registries live on a server: give --server URL (or $BULWARK_SERVER)");
}

Result<json> CallJson(const RegistryFlags& flags, const std::string& method,
                      const std::string& path, const std::string& body = "") {
  BULWARK_TRY(RequireServer(flags));
  BULWARK_ASSIGN_OR_RETURN(ServerReply reply,
                           CallServer(flags.server, method, path, body, "application/json"));
  json parsed = json::parse(reply.body, nullptr, false);
  if (parsed.is_discarded()) {
    return Error(ErrorCode::kNetwork, "server " + flags.server.url + ": answer is not JSON");
  }
  return parsed;
}

Result<std::string> ReadPasswordLine() {
  std::string password;
  if (!std::getline(std::cin, password) || password.empty()) {
    return Error(ErrorCode::kInvalidArgument, "--password-stdin: no password on standard input");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

Result<std::string> ReadCaFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Error(ErrorCode::kInvalidArgument, "--registry-ca-file " + path + ": cannot read it");
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

void PrintRegistry(const json& entry) {
  std::printf("%-16s  %-32s  %-16s  %-8s  %-6s  %s\n", entry.value("name", "").c_str(),
              entry.value("url", "").c_str(), entry.value("username", "").c_str(),
              entry.value("hasPassword", false) ? "yes" : "no",
              entry.value("hasCaCertificate", false) ? "own" : "system",
              entry.value("insecure", false) ? "insecure" : "");
}

int RunAdd(const RegistryFlags& flags) {
  json body = {{"name", flags.name}, {"url", flags.url}, {"insecure", flags.insecure}};
  if (!flags.username.empty()) body["username"] = flags.username;
  if (flags.password_stdin) {
    auto password = ReadPasswordLine();
    if (!password.ok()) return Fail(password.error());
    body["password"] = *password;
  }
  if (!flags.ca_file.empty()) {
    auto pem = ReadCaFile(flags.ca_file);
    if (!pem.ok()) return Fail(pem.error());
    body["caPem"] = *pem;
  }
  auto added = CallJson(flags, "POST", "/api/v1/registries", body.dump());
  if (!added.ok()) return Fail(added.error());
  std::printf("Saved registry \"%s\" (%s) on %s; password %s\n", flags.name.c_str(),
              added->value("url", "").c_str(), flags.server.url.c_str(),
              added->value("hasPassword", false) ? "sealed with the server key" : "none");
  return kExitCompliant;
}

int RunList(const RegistryFlags& flags) {
  auto list = CallJson(flags, "GET", "/api/v1/registries");
  if (!list.ok()) return Fail(list.error());
  if (flags.json_output) {
    std::printf("%s\n", list->dump(2).c_str());
    return kExitCompliant;
  }
  if (list->empty()) {
    std::printf(
        "No registries on the server. Add one with: bulwark registry add NAME --url "
        "HOST[:PORT] --server URL\n");
    return kExitCompliant;
  }
  std::printf("%-16s  %-32s  %-16s  %-8s  %-6s  %s\n", "NAME", "URL", "USERNAME", "PASSWORD", "CA",
              "");
  for (const json& entry : *list) PrintRegistry(entry);
  return kExitCompliant;
}

// Exit 0 when the registry took the credentials; 3 (it could not be used) otherwise.
int RunTest(const RegistryFlags& flags) {
  auto answer = CallJson(flags, "POST", "/api/v1/registries/" + QueryEscape(flags.name) + "/test");
  if (!answer.ok()) return Fail(NamedNothing(answer.error()));
  if (answer->value("ok", false)) {
    std::printf("Registry \"%s\" (%s): connected and authenticated\n", flags.name.c_str(),
                answer->value("url", "").c_str());
    return kExitCompliant;
  }
  std::string message = (*answer)["error"].value("message", "unknown error");
  std::fprintf(stderr, "bulwark: registry \"%s\": %s\n", flags.name.c_str(), message.c_str());
  return kExitScanFailed;
}

int RunRemove(const RegistryFlags& flags) {
  auto answer = CallJson(flags, "DELETE", "/api/v1/registries/" + QueryEscape(flags.name));
  if (!answer.ok()) return Fail(NamedNothing(answer.error()));
  std::printf("Removed registry \"%s\" from %s\n", flags.name.c_str(), flags.server.url.c_str());
  return kExitCompliant;
}

// One page of names; says how to ask for the next when there is one.
int RunListing(const RegistryFlags& flags, const std::string& path, const char* field) {
  std::string query = "?n=" + std::to_string(flags.page_size);
  if (!flags.last.empty()) query += "&last=" + QueryEscape(flags.last);
  auto answer = CallJson(flags, "GET", path + query);
  if (!answer.ok()) return Fail(NamedNothing(answer.error()));
  if (flags.json_output) {
    std::printf("%s\n", answer->dump(2).c_str());
    return kExitCompliant;
  }
  for (const json& name : (*answer)[field]) std::printf("%s\n", name.get<std::string>().c_str());
  if (answer->value("more", false)) {
    std::fprintf(stderr, "More: add --last %s for the next page\n",
                 answer->value("next", "").c_str());
  }
  return kExitCompliant;
}

void AddListingOptions(CLI::App* command, RegistryFlags* flags) {
  command->add_option("-n,--page-size", flags->page_size, "Names per page (1 to 1000)")
      ->capture_default_str();
  command->add_option("--last", flags->last, "Start after this name (the previous page's last)");
  command->add_flag("--json", flags->json_output, "Print the server's JSON answer");
}

}  // namespace

void AddRegistryCommands(CLI::App& app, const GlobalOptions& global, Action* run) {
  auto flags = std::make_shared<RegistryFlags>();
  CLI::App* registry = app.add_subcommand(
      "registry", "Manage the registries a Bulwark server pulls base images from (--server)");
  registry->require_subcommand(1);

  CLI::App* add = registry->add_subcommand(
      "add", "Add or update a registry on the server; its password is sealed with the server key");
  add->add_option("name", flags->name, "A name for the registry ([A-Za-z0-9._-])")->required();
  add->add_option("--url", flags->url, "The registry as image references name it: HOST[:PORT]")
      ->required();
  add->add_option("--username", flags->username, "User name at the registry");
  add->add_flag("--password-stdin", flags->password_stdin,
                "Read the registry password (or token) from the first line of stdin");
  add->add_option("--registry-ca-file", flags->ca_file,
                  "CA certificates (PEM) to trust for this registry instead of the system's");
  add->add_flag("--insecure", flags->insecure,
                "Skip TLS verification and allow plain http for this registry");
  AddServerOptions(add, &flags->server);
  add->callback([flags, run] { *run = [flags] { return RunAdd(*flags); }; });

  CLI::App* list = registry->add_subcommand("list", "List the server's registries (no secrets)");
  list->add_flag("--json", flags->json_output, "Print JSON");
  AddServerOptions(list, &flags->server);
  list->callback([flags, run] { *run = [flags] { return RunList(*flags); }; });

  CLI::App* test = registry->add_subcommand(
      "test", "Have the server connect to a registry and log in (exit 3 when it cannot)");
  test->add_option("name", flags->name, "Registry name")->required();
  AddServerOptions(test, &flags->server);
  test->callback([flags, run] { *run = [flags] { return RunTest(*flags); }; });

  CLI::App* remove = registry->add_subcommand("remove", "Remove a registry from the server");
  remove->add_option("name", flags->name, "Registry name")->required();
  AddServerOptions(remove, &flags->server);
  remove->callback([flags, run] { *run = [flags] { return RunRemove(*flags); }; });

  CLI::App* repos = registry->add_subcommand("repos", "List a registry's repositories (a page)");
  repos->add_option("name", flags->name, "Registry name")->required();
  AddListingOptions(repos, flags.get());
  AddServerOptions(repos, &flags->server);
  repos->callback([flags, run] {
    *run = [flags] {
      return RunListing(*flags, "/api/v1/registries/" + QueryEscape(flags->name) + "/repositories",
                        "repositories");
    };
  });

  CLI::App* tags = registry->add_subcommand("tags", "List a repository's tags (a page)");
  tags->add_option("name", flags->name, "Registry name")->required();
  tags->add_option("repository", flags->repository, "Repository path (team/app)")->required();
  AddListingOptions(tags, flags.get());
  AddServerOptions(tags, &flags->server);
  tags->callback([flags, run] {
    *run = [flags] {
      return RunListing(*flags,
                        "/api/v1/registries/" + QueryEscape(flags->name) + "/repositories/" +
                            PathEscape(flags->repository) + "/tags",
                        "tags");
    };
  });
  (void)global;  // Registries are the server's: no local store is opened.
}

}  // namespace bulwark::cli
