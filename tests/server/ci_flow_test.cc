// The CI flow through a real server: `bulwark scan --server` on the real
// Debian fixture images ($BULWARK_FIXTURES), with accounts made by `bulwark
// user add` and `bulwark token create`, and the server binary itself.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "server_harness.h"
#include "testing/run_command.h"
#include "testing/test_data.h"

extern char** environ;

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;

constexpr char kBaseName[] = "registry.example.com/base:1.0";
constexpr char kPolicy[] =
    "name: default\n"
    "controls:\n"
    "  approvedBaseImages:\n"
    "    - registry.example.com/base:1.0\n"
    "  blockedPackages:\n"
    "    - name: telnet\n";

class ServerCiFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    fixtures_ = testing::FixturesDir();
    if (fixtures_.empty()) {
      GTEST_SKIP() << "BULWARK_FIXTURES is not set: build the images with "
                      "tests/fixtures/make-images.sh DIR (make test does)";
    }
    dir_ = testing::MakeTempDir();
    server_ = std::make_unique<testing::ServerHarness>(dir_ + "/server");
    client_data_ = dir_ + "/client";

    // The first administrator is made on the server's store, as an operator would.
    CommandResult added = testing::RunCommandWithInput(
        testing::BulwarkBinary(),
        {"user", "add", "admin", "--role", "administrator", "--password-stdin"},
        server_->data_dir(), "admin-password\n");
    ASSERT_EQ(added.exit_code, 0) << added.err;
    CommandResult token =
        testing::RunCommand(testing::BulwarkBinary(), {"token", "create", "ci", "--user", "admin"},
                            server_->data_dir());
    ASSERT_EQ(token.exit_code, 0) << token.err;
    token_ = token.out.substr(0, token.out.find('\n'));
  }
  void TearDown() override {
    server_.reset();
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  // Runs the CLI on the client side (its own data directory: the layer cache).
  CommandResult Client(std::vector<std::string> args) {
    return testing::RunCommand(testing::BulwarkBinary(), args, client_data_);
  }
  std::vector<std::string> WithToken(std::vector<std::string> args) {
    args.insert(args.end(), {"--server", server_->url(), "--token", token_});
    return args;
  }
  std::string Fixture(const std::string& name) const { return fixtures_ + "/" + name; }
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  // Registers approved-base on the server and applies the policy there.
  void RegisterBaseAndApplyPolicy() {
    CommandResult registered =
        Client(WithToken({"image", "register", "oci-archive:" + Fixture("approved-base.oci.tar"),
                          "--name", kBaseName}));
    ASSERT_EQ(registered.exit_code, 0) << registered.err;
    CommandResult applied =
        Client({"policy", "apply", WriteFile("policy.yaml", kPolicy), "--server", server_->url(),
                "--user", "admin", "--password", "admin-password"});
    ASSERT_EQ(applied.exit_code, 0) << applied.err;
  }

  std::string fixtures_;
  std::string dir_;
  std::string client_data_;
  std::string token_;
  std::unique_ptr<testing::ServerHarness> server_;
};

TEST_F(ServerCiFlow, AppOnApprovedBaseIsCompliantUnderTheServersPolicy) {
  RegisterBaseAndApplyPolicy();

  CommandResult scan =
      Client(WithToken({"scan", "docker-archive:" + Fixture("app-on-approved.docker.tar"), "--html",
                        dir_ + "/r.html", "--json", dir_ + "/r.json"}));

  EXPECT_EQ(scan.exit_code, 0) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("COMPLIANT"), std::string::npos) << scan.out;
  EXPECT_NE(testing::ReadFile(dir_ + "/r.html").find("registry.example.com&#x2F;base:1.0"),
            std::string::npos);
  json report = json::parse(testing::ReadFile(dir_ + "/r.json"), nullptr, false);
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["verdict"]["exitCode"], 0);
  auto history = server_->OpenStore()->ListScans(std::nullopt, 10);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(history->front().exit_code, 0);
  EXPECT_EQ(history->front().submitted_by, "admin");
}

TEST_F(ServerCiFlow, AppOnPlainDebianFailsWithExitFour) {
  RegisterBaseAndApplyPolicy();

  CommandResult scan = Client(WithToken(
      {"scan", "oci-archive:" + Fixture("app-on-debian.oci.tar"), "--json", dir_ + "/r.json"}));

  EXPECT_EQ(scan.exit_code, 4) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("approvedBaseImages"), std::string::npos) << scan.out;
  EXPECT_NE(scan.out.find(kBaseName), std::string::npos) << scan.out;
  EXPECT_NE(testing::ReadFile(dir_ + "/r.json").find("approvedBaseImages"), std::string::npos);
}

TEST_F(ServerCiFlow, VerdictAndReportAreKeptOnTheServer) {
  RegisterBaseAndApplyPolicy();
  Client(WithToken({"scan", "oci-archive:" + Fixture("app-on-debian.oci.tar")}));
  httplib::Client http = server_->Client();

  auto list = http.Get("/api/v1/scans", testing::Bearer(token_));
  ASSERT_TRUE(list);
  json scans = json::parse(list->body);
  ASSERT_EQ(scans.size(), 1u);
  std::string id = std::to_string(scans[0]["id"].get<int64_t>());
  auto verdict = http.Get("/api/v1/scans/" + id, testing::Bearer(token_));
  auto report = http.Get("/api/v1/scans/" + id + "/report", testing::Bearer(token_));

  ASSERT_TRUE(verdict && report);
  EXPECT_EQ(json::parse(verdict->body)["exitCode"], 4);
  EXPECT_TRUE(json::parse(verdict->body)["verdict"].is_object()) << verdict->body;
  EXPECT_EQ(json::parse(report->body)["verdict"]["exitCode"], 4);
}

TEST_F(ServerCiFlow, UnreachableServerIsExitThreeNeverAPass) {
  RegisterBaseAndApplyPolicy();
  std::string url = server_->url();
  server_->Stop();

  CommandResult scan = Client({"scan", "oci-archive:" + Fixture("app-on-approved.oci.tar"),
                               "--server", url, "--token", token_, "--json", dir_ + "/r.json"});

  EXPECT_EQ(scan.exit_code, 3) << scan.out << scan.err;
  EXPECT_EQ(scan.out.find("COMPLIANT"), std::string::npos) << scan.out;
  EXPECT_NE(testing::ReadFile(dir_ + "/r.json").find("\"error\""), std::string::npos);
}

TEST_F(ServerCiFlow, WrongPasswordIsExitThree) {
  RegisterBaseAndApplyPolicy();

  CommandResult scan =
      Client({"scan", "oci-archive:" + Fixture("app-on-approved.oci.tar"), "--server",
              server_->url(), "--user", "admin", "--password", "not-the-password"});

  EXPECT_EQ(scan.exit_code, 3) << scan.out << scan.err;
  EXPECT_NE(scan.err.find("refused"), std::string::npos) << scan.err;
  EXPECT_EQ(scan.err.find("not-the-password"), std::string::npos);
}

TEST_F(ServerCiFlow, PolicyApprovingUnregisteredBaseIsRefusedWith422AndTheCliMessage) {
  std::string policy = WriteFile("p.yaml",
                                 "name: p\ncontrols:\n  approvedBaseImages:\n"
                                 "    - registry.example.com/base:2.0\n");
  CommandResult local = testing::RunCommand(testing::BulwarkBinary(), {"policy", "apply", policy},
                                            dir_ + "/standalone");
  httplib::Client http = server_->Client();

  auto answer = http.Post("/api/v1/policies?origin=" + policy, testing::Bearer(token_),
                          testing::ReadFile(policy), "application/yaml");
  CommandResult remote = Client(WithToken({"policy", "apply", policy}));

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 422);
  json body = json::parse(answer->body);
  EXPECT_EQ(body["error"]["code"], "invalid_argument");
  EXPECT_EQ(local.exit_code, 2);
  EXPECT_EQ("bulwark: " + body["error"]["message"].get<std::string>() + "\n", local.err);
  EXPECT_EQ(remote.exit_code, 2);
  EXPECT_EQ(remote.err, local.err);
}

TEST_F(ServerCiFlow, ScanRegisterOnlyRegistersACompliantImage) {
  RegisterBaseAndApplyPolicy();

  CommandResult good = Client(WithToken({"scan", Fixture("app-on-approved.oci.tar"), "--register",
                                         "--name", "registry.example.com/app:1"}));
  CommandResult bad = Client(WithToken({"scan", Fixture("app-on-debian.oci.tar"), "--register",
                                        "--name", "registry.example.com/bad:1"}));
  CommandResult list = Client(WithToken({"image", "list"}));

  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(bad.exit_code, 4) << bad.err;
  EXPECT_NE(bad.err.find("not registered"), std::string::npos) << bad.err;
  EXPECT_NE(list.out.find("registry.example.com/app:1"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("registry.example.com/bad:1"), std::string::npos) << list.out;
}

TEST_F(ServerCiFlow, ScanWithNoPolicyOnTheServerIsRefusedWithExitTwo) {
  CommandResult scan = Client(WithToken({"scan", Fixture("app-on-approved.oci.tar")}));

  EXPECT_EQ(scan.exit_code, 2) << scan.out << scan.err;
  EXPECT_NE(scan.err.find("no policy to evaluate"), std::string::npos) << scan.err;
  EXPECT_EQ(scan.out.find("COMPLIANT"), std::string::npos) << scan.out;
}

TEST_F(ServerCiFlow, ImageShowGivesLineageAndPackages) {
  RegisterBaseAndApplyPolicy();
  Client(WithToken({"scan", Fixture("app-on-approved.oci.tar"), "--register", "--name",
                    "registry.example.com/app:1"}));
  httplib::Client http = server_->Client();

  auto answer = http.Get("/api/v1/images/registry.example.com/app:1", testing::Bearer(token_));

  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->status, 200) << answer->body;
  json image = json::parse(answer->body)[0];
  ASSERT_EQ(image["lineage"]["ancestors"].size(), 1u);
  EXPECT_EQ(image["lineage"]["ancestors"][0]["names"][0], kBaseName);
  EXPECT_GT(image["inventory"]["packages"].size(), 50u);
}

TEST_F(ServerCiFlow, ShowAndRemoveThroughTheServerActOnItsStore) {
  RegisterBaseAndApplyPolicy();
  Client(WithToken({"scan", Fixture("app-on-approved.oci.tar"), "--register", "--name",
                    "registry.example.com/app:1"}));

  CommandResult shown = Client(WithToken({"image", "show", "registry.example.com/app:1"}));
  CommandResult policy = Client(WithToken({"policy", "show", "default"}));
  CommandResult removed = Client(WithToken({"image", "remove", "registry.example.com/app:1"}));
  CommandResult gone = Client(WithToken({"image", "show", "registry.example.com/app:1"}));
  CommandResult dropped = Client(WithToken({"policy", "remove", "default"}));
  CommandResult unknown = Client(WithToken({"policy", "show", "default"}));

  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("Built on:    registry.example.com/base:1.0"), std::string::npos)
      << shown.out;
  EXPECT_EQ(policy.out, kPolicy);
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(gone.exit_code, 2) << gone.err;
  EXPECT_EQ(dropped.exit_code, 0) << dropped.err;
  EXPECT_EQ(unknown.exit_code, 2) << unknown.err;
}

// The server binary itself: `bulwark server` on a free loopback port.
class ServerBinary : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::MakeTempDir(); }
  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // Starts `bulwark server --listen 127.0.0.1:0`; returns its port, or 0.
  int Start() {
    std::string out = dir_ + "/server.out";
    std::string data = "BULWARK_DATA_DIR=" + dir_ + "/store";
    std::vector<std::string> args = {testing::BulwarkBinary(), "server", "--listen", "127.0.0.1:0"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<char*> envp = {data.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, (dir_ + "/server.err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int spawned = posix_spawn(&pid_, args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return 0;
    for (int i = 0; i < 500; ++i) {  // At most 5 s.
      std::string text = testing::ReadFile(out);
      size_t colon = text.find("127.0.0.1:");
      if (colon != std::string::npos && text.find(' ', colon) != std::string::npos) {
        return std::atoi(text.c_str() + colon + 10);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  }

  std::string dir_;
  pid_t pid_ = -1;
};

TEST_F(ServerBinary, ServesLogsOneLinePerRequestAndStopsOnSigterm) {
  int port = Start();
  ASSERT_GT(port, 0) << testing::ReadFile(dir_ + "/server.err");
  httplib::Client client("127.0.0.1", port);

  auto answer = client.Get("/api/v1/images", {{"Authorization", "Basic YWRtaW46c2VjcmV0LXB3"}});
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 401);
  std::string id = answer->get_header_value("X-Request-Id");
  std::string log = testing::ReadFile(dir_ + "/server.err");
  EXPECT_NE(log.find("request_id=" + id), std::string::npos) << log;
  EXPECT_NE(log.find("status=401"), std::string::npos) << log;
  EXPECT_EQ(log.find("YWRtaW46"), std::string::npos) << log;   // The credentials,
  EXPECT_EQ(log.find("secret-pw"), std::string::npos) << log;  // in no form.
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(ServerBinary, DatabaseThatIsNotAPostgresUrlIsAUsageError) {
  CommandResult result = testing::RunCommand(
      testing::BulwarkBinary(),
      {"server", "--listen", "127.0.0.1:0", "--database", "mysql://db.example/bulwark"},
      dir_ + "/store");

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("not a PostgreSQL URL"), std::string::npos) << result.err;
}

TEST_F(ServerBinary, UnreachableDatabaseExitsThreeNamingItWithoutThePassword) {
  // Nothing listens on port 1 of loopback: the connection is refused at once.
  CommandResult result =
      testing::RunCommand(testing::BulwarkBinary(),
                          {"server", "--listen", "127.0.0.1:0", "--database",
                           "postgresql://bulwark:Hunter-Pass@127.0.0.1:1/bulwark_main"},
                          dir_ + "/store");

  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("postgresql://bulwark@127.0.0.1:1/bulwark_main"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("Hunter-Pass"), std::string::npos) << result.err;
}

TEST_F(ServerBinary, UserAddRefusesAPasswordNotOnStdin) {
  CommandResult result =
      testing::RunCommand(testing::BulwarkBinary(),
                          {"user", "add", "admin", "--role", "administrator"}, dir_ + "/store");

  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--password-stdin"), std::string::npos) << result.err;
}

TEST_F(ServerBinary, ChangesMadeOnTheStoreDirectlyAreAuditedToo) {
  std::string policy = dir_ + "/p.yaml";
  std::ofstream(policy) << "name: p\ncontrols:\n  superuser: deny\n";

  CommandResult applied =
      testing::RunCommand(testing::BulwarkBinary(), {"policy", "apply", policy}, dir_ + "/store");
  CommandResult removed =
      testing::RunCommand(testing::BulwarkBinary(), {"policy", "remove", "p"}, dir_ + "/store");

  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  auto store = store::OpenSqliteStore(dir_ + "/store/bulwark.db");
  ASSERT_TRUE(store.ok());
  auto entries = (*store)->ListAudit(10);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].action, "policy.remove");
  EXPECT_EQ((*entries)[1].action, "policy.put");
  EXPECT_EQ((*entries)[1].actor.rfind("local (uid ", 0), 0u);
}

}  // namespace
}  // namespace bulwark
