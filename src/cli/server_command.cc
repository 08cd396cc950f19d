// bulwark server, and the account commands that work on the server's store
// directly (so the first administrator exists before the server starts).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "common/log.h"
#include "server/api_server.h"
#include "server/auth.h"

namespace bulwark::cli {
namespace {

struct ServerCommandFlags {
  std::string listen = "127.0.0.1:8443";
  std::string tls_cert;
  std::string tls_key;
  std::string database;
  std::string key_file;
  int threads = 8;
};

struct AccountFlags {
  std::string name;
  std::string role;
  bool password_stdin = false;
  std::string user;
  int64_t token_id = 0;
};

int RunServer(const GlobalOptions& global, const ServerCommandFlags& flags) {
  // One log line per request is the server's record: info unless asked otherwise.
  if (global.log_level == "warn") spdlog::default_logger()->set_level(spdlog::level::info);
  // `server --database` and the global --database (or $BULWARK_DATABASE)
  // name the same thing; the server's own flag wins.
  GlobalOptions store_options = global;
  if (!flags.database.empty()) store_options.database = flags.database;
  auto database = CheckDatabaseOption(store_options.database);
  if (!database.ok()) return Fail(database.error());
  server::ServerOptions options;
  auto listen = server::ParseListen(flags.listen, &options);
  if (!listen.ok()) return Fail(listen.error());
  options.tls_cert = flags.tls_cert;
  options.tls_key = flags.tls_key;
  options.store_location = StoreLocation(store_options);
  std::string store_shown = store::DisplayLocation(options.store_location);
  // LIMITATION(#5): with PostgreSQL, the advisory database is still a file
  // per replica (DATA_DIR/advisories.db or --advisory-db), not shared state in
  // the database: replicas whose files differ in age can differ in verdicts
  // under advisory-based policies until each runs `bulwark db update`.
  options.advisory_db = AdvisoryDbLocation(global);
  options.threads = flags.threads < 1 ? 1 : flags.threads;
  // Replicas sharing a PostgreSQL database must share this file too: a
  // registry secret sealed by one opens only with the same key.
  std::string data_dir = global.data_dir.empty() ? store::DefaultDataDir() : global.data_dir;
  options.key_file = flags.key_file.empty() ? data_dir + "/server.key" : flags.key_file;

  // SIGINT and SIGTERM stop the server cleanly; they are blocked before any
  // thread starts, so only the waiting thread below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto server = server::ApiServer::Create(options);
  if (!server.ok()) return Fail(server.error());
  std::string scheme = options.tls_cert.empty() ? "http" : "https";
  std::printf("Listening on %s://%s:%d (store %s)\n", scheme.c_str(), options.host.c_str(),
              (*server)->port(), store_shown.c_str());
  std::fflush(stdout);
  BULWARK_LOG(info, "server", "listening", "address={}:{} tls={} store={}", options.host,
              (*server)->port(), scheme == "https", store_shown);

  bool loopback =
      options.host == "127.0.0.1" || options.host == "::1" || options.host == "localhost";
  if (scheme == "http" && !loopback) {
    BULWARK_LOG(warn, "server", "plain HTTP on a non-loopback address",
                "address={} hint=\"passwords and tokens cross the network in clear; give "
                "--tls-cert and --tls-key, or put a TLS proxy in front\"",
                options.host);
  }

  server::ApiServer* running = server->get();
  std::thread stopper([running, stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    BULWARK_LOG(info, "server", "stopping", "signal={}", received);
    running->Stop();
  });
  stopper.detach();
  auto served = (*server)->Run();
  if (!served.ok()) return Fail(served.error());
  return kExitCompliant;
}

int RunUserAdd(const GlobalOptions& global, const AccountFlags& flags) {
  auto name = server::CheckUserName(flags.name);
  if (!name.ok()) return Fail(name.error());
  auto role = server::ParseRole(flags.role);
  if (!role.ok()) return Fail(role.error());
  if (!flags.password_stdin) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "give the password on stdin with --password-stdin (never as an argument)"));
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto hash = server::HashPassword(password);
  if (!hash.ok()) return Fail(hash.error());

  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto existing = (*store)->GetUser(flags.name);
  if (!existing.ok()) return Fail(existing.error());
  std::string role_name(server::RoleName(*role));
  auto saved = (*store)->PutUser({flags.name, role_name, *hash, ""});
  if (!saved.ok()) return Fail(saved.error());
  auto audited = AuditLocal(**store, *existing ? "user.update" : "user.create", flags.name,
                            "role=" + role_name);
  if (!audited.ok()) return Fail(audited.error());
  std::printf("%s user \"%s\" (%s)\n", *existing ? "Updated" : "Added", flags.name.c_str(),
              role_name.c_str());
  return kExitCompliant;
}

int RunUserList(const GlobalOptions& global) {
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto users = (*store)->ListUsers();
  if (!users.ok()) return Fail(users.error());
  std::printf("%-24s  %-14s  %s\n", "NAME", "ROLE", "CREATED");
  for (const store::User& user : *users) {
    std::printf("%-24s  %-14s  %s\n", user.name.c_str(), user.role.c_str(),
                user.created_at.c_str());
  }
  return kExitCompliant;
}

int RunTokenCreate(const GlobalOptions& global, const AccountFlags& flags) {
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto user = (*store)->GetUser(flags.user);
  if (!user.ok()) return Fail(user.error());
  if (!*user) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "no user named \"" + flags.user + "\"; add it with `bulwark user add`"));
  }
  std::string token = server::NewToken();
  store::ApiToken stored;
  stored.name = flags.name;
  stored.user = flags.user;
  stored.token_sha256 = server::TokenDigest(token);
  auto id = (*store)->AddToken(stored);
  if (!id.ok()) return Fail(id.error());
  auto audited = AuditLocal(**store, "token.create", std::to_string(*id),
                            "name=\"" + flags.name + "\" user=" + flags.user);
  if (!audited.ok()) return Fail(audited.error());
  std::fprintf(stderr, "Token %lld \"%s\" for %s. It is shown only now; keep it secret.\n",
               static_cast<long long>(*id), flags.name.c_str(), flags.user.c_str());
  std::printf("%s\n", token.c_str());
  return kExitCompliant;
}

int RunTokenList(const GlobalOptions& global) {
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto tokens = (*store)->ListTokens();
  if (!tokens.ok()) return Fail(tokens.error());
  std::printf("%-5s  %-24s  %-16s  %-20s  %s\n", "ID", "NAME", "USER", "CREATED", "REVOKED");
  for (const store::ApiToken& token : *tokens) {
    std::printf("%-5lld  %-24s  %-16s  %-20s  %s\n", static_cast<long long>(token.id),
                token.name.c_str(), token.user.c_str(), token.created_at.c_str(),
                token.revoked_at.empty() ? "-" : token.revoked_at.c_str());
  }
  return kExitCompliant;
}

int RunTokenRevoke(const GlobalOptions& global, const AccountFlags& flags) {
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto revoked = (*store)->RevokeToken(flags.token_id);
  if (!revoked.ok()) return Fail(revoked.error());
  if (!*revoked) {
    return Fail(Error(
        ErrorCode::kInvalidArgument,
        "no valid token with id " + std::to_string(flags.token_id) + "; see: bulwark token list"));
  }
  auto audited = AuditLocal(**store, "token.revoke", std::to_string(flags.token_id), "");
  if (!audited.ok()) return Fail(audited.error());
  std::printf("Revoked token %lld\n", static_cast<long long>(flags.token_id));
  return kExitCompliant;
}

}  // namespace

void AddServerCommands(CLI::App& app, const GlobalOptions& global, Action* run) {
  auto flags = std::make_shared<ServerCommandFlags>();
  CLI::App* server = app.add_subcommand(
      "server",
      "Serve the HTTP API (/api/v1) over the data directory's store or a shared PostgreSQL "
      "database (docs/server.md)");
  server->add_option("--listen", flags->listen, "ADDR:PORT to listen on")->capture_default_str();
  server->add_option("--tls-cert", flags->tls_cert, "TLS certificate (PEM); with --tls-key");
  server->add_option("--tls-key", flags->tls_key, "TLS private key (PEM); with --tls-cert");
  server->add_option("--database", flags->database,
                     "PostgreSQL URL shared by every replica (postgres[ql]://USER@HOST[:PORT]/DB;"
                     " the password in $BULWARK_DATABASE or ~/.pgpass); default: the global "
                     "--database, else the SQLite store in the data directory");
  server->add_option("--threads", flags->threads, "Requests served at once")->capture_default_str();
  server->add_option("--key-file", flags->key_file,
                     "The server key (32 bytes) sealing registry passwords; made with mode 0600 "
                     "when absent; replicas sharing a database must share it (default: "
                     "DATA_DIR/server.key)");
  server->callback(
      [&global, flags, run] { *run = [&global, flags] { return RunServer(global, *flags); }; });

  auto account = std::make_shared<AccountFlags>();
  CLI::App* user = app.add_subcommand("user", "Manage server accounts in the store directly");
  user->require_subcommand(1);
  CLI::App* add = user->add_subcommand("add", "Add (or update) an account");
  add->add_option("name", account->name, "User name")->required();
  add->add_option("--role", account->role, "administrator, scanner or auditor")->required();
  add->add_flag("--password-stdin", account->password_stdin,
                "Read the password (8 to 1024 bytes) from the first line of stdin");
  add->callback([&global, account, run] {
    *run = [&global, account] { return RunUserAdd(global, *account); };
  });
  CLI::App* list = user->add_subcommand("list", "List accounts");
  list->callback([&global, run] { *run = [&global] { return RunUserList(global); }; });

  CLI::App* token = app.add_subcommand("token", "Manage server API tokens in the store directly");
  token->require_subcommand(1);
  CLI::App* create =
      token->add_subcommand("create", "Create an API token for a user; prints it once, on stdout");
  create->add_option("name", account->name, "A label for the token, e.g. ci-main")->required();
  create->add_option("--user", account->user, "The account the token acts as")->required();
  create->callback([&global, account, run] {
    *run = [&global, account] { return RunTokenCreate(global, *account); };
  });
  CLI::App* tokens = token->add_subcommand("list", "List tokens (never the tokens themselves)");
  tokens->callback([&global, run] { *run = [&global] { return RunTokenList(global); }; });
  CLI::App* revoke = token->add_subcommand("revoke", "Revoke a token by id");
  revoke->add_option("id", account->token_id, "Token id (see token list)")->required();
  revoke->callback([&global, account, run] {
    *run = [&global, account] { return RunTokenRevoke(global, *account); };
  });
}

}  // namespace bulwark::cli
