// Two `bulwark server` processes on one PostgreSQL database (issue #5): what
// one records the other serves, and scans submitted to both at once are each
// recorded once. The first accounts are made with the CLI on the shared
// database before either server starts, as an operator would.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "scan/analysis_codec.h"
#include "synthetic_analysis.h"
#include "testing/postgres_server.h"
#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;

httplib::Headers Bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

class ServerReplicas : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason;
    testing::PostgresServer* postgres = testing::PostgresServer::Shared(&reason);
    if (postgres == nullptr) GTEST_SKIP() << reason;
    url_ = postgres->NewDatabase();
    ASSERT_FALSE(url_.empty());
    dir_ = testing::MakeTempDir();

    admin_ = MakeAccount("admin", "administrator");
    scanner_ = MakeAccount("ci", "scanner");
    ASSERT_FALSE(admin_.empty());
    ASSERT_FALSE(scanner_.empty());
    for (int replica = 0; replica < 2; ++replica) {
      ports_[replica] = Start(replica);
      ASSERT_GT(ports_[replica], 0) << testing::ReadFile(Log(replica, "err"));
    }
  }
  void TearDown() override {
    for (pid_t& pid : pids_) {
      if (pid <= 0) continue;
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
      pid = -1;
    }
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  // `bulwark user add` and `token create` with --database after the command;
  // returns the new token, or "" after a failure.
  std::string MakeAccount(const std::string& name, const std::string& role) {
    CommandResult added = testing::RunCommandWithInput(
        testing::BulwarkBinary(),
        {"user", "add", name, "--role", role, "--password-stdin", "--database", url_},
        dir_ + "/cli", "a-long-password\n");
    EXPECT_EQ(added.exit_code, 0) << added.err;
    CommandResult token = testing::RunCommand(
        testing::BulwarkBinary(),
        {"token", "create", name + "-token", "--user", name, "--database", url_}, dir_ + "/cli");
    EXPECT_EQ(token.exit_code, 0) << token.err;
    std::string text = token.out;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return token.exit_code == 0 ? text : "";
  }

  std::string Log(int replica, const std::string& stream) const {
    return dir_ + "/replica" + std::to_string(replica) + "." + stream;
  }

  // Starts replica `replica` with the URL in $BULWARK_DATABASE (not on its
  // command line, where `ps` would show the password) and its own data
  // directory; returns its port, or 0.
  int Start(int replica) {
    std::string database = "BULWARK_DATABASE=" + url_;
    std::string data = "BULWARK_DATA_DIR=" + dir_ + "/data" + std::to_string(replica);
    std::vector<std::string> args = {testing::BulwarkBinary(), "server", "--listen", "127.0.0.1:0"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<char*> envp = {database.data(), data.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, Log(replica, "out").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, Log(replica, "err").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int spawned =
        posix_spawn(&pids_[replica], args[0].c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return 0;
    for (int i = 0; i < 1000; ++i) {  // At most 10 s: migrations wait for each other.
      std::string text = testing::ReadFile(Log(replica, "out"));
      size_t colon = text.find("127.0.0.1:");
      if (colon != std::string::npos && text.find(' ', colon) != std::string::npos) {
        return std::atoi(text.c_str() + colon + 10);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return 0;
  }

  httplib::Client Client(int replica) const {
    httplib::Client client("127.0.0.1", ports_[replica]);
    client.set_read_timeout(60);
    return client;
  }

  std::string url_, dir_, admin_, scanner_;
  int ports_[2] = {0, 0};
  pid_t pids_[2] = {-1, -1};
};

TEST_F(ServerReplicas, WhatOneRecordsTheOtherServes) {
  std::string analysis = scan::EncodeAnalysis(testing::SyntheticAnalysis("base"));
  auto applied =
      Client(0).Post("/api/v1/policies", Bearer(admin_),
                     "name: default\ncontrols:\n  superuser: deny\n", "application/yaml");
  auto registered = Client(0).Post("/api/v1/images?name=registry.example.com/base:1.0",
                                   Bearer(admin_), analysis, "application/json");
  auto tokens = Client(0).Get("/api/v1/tokens", Bearer(admin_));
  ASSERT_TRUE(applied && registered && tokens);
  ASSERT_EQ(applied->status, 201) << applied->body;
  ASSERT_EQ(registered->status, 201) << registered->body;
  int64_t scanner_token_id = 0;
  for (const json& token : json::parse(tokens->body)) {
    if (token["user"] == "ci") scanner_token_id = token["id"];
  }

  auto policies = Client(1).Get("/api/v1/policies", Bearer(admin_));
  auto images = Client(1).Get("/api/v1/images", Bearer(admin_));
  auto accepted = Client(1).Get("/api/v1/whoami", Bearer(scanner_));
  auto revoked =
      Client(0).Delete("/api/v1/tokens/" + std::to_string(scanner_token_id), Bearer(admin_));
  auto refused = Client(1).Get("/api/v1/whoami", Bearer(scanner_));
  auto audit = Client(1).Get("/api/v1/audit", Bearer(admin_));

  ASSERT_TRUE(policies && images && accepted && revoked && refused && audit);
  EXPECT_EQ(accepted->status, 200) << accepted->body;
  ASSERT_EQ(policies->status, 200) << policies->body;
  EXPECT_EQ(json::parse(policies->body)[0]["name"], "default");
  ASSERT_EQ(images->status, 200) << images->body;
  EXPECT_EQ(json::parse(images->body)[0]["names"][0], "registry.example.com/base:1.0");
  EXPECT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(refused->status, 401);
  std::set<std::string> actions;
  for (const json& entry : json::parse(audit->body)) actions.insert(entry["action"]);
  EXPECT_TRUE(actions.count("user.create") && actions.count("token.create") &&
              actions.count("policy.create") && actions.count("image.register") &&
              actions.count("token.revoke"))
      << audit->body;
}

TEST_F(ServerReplicas, ScansSubmittedToBothAtOnceAreEachRecordedOnce) {
  auto applied =
      Client(0).Post("/api/v1/policies", Bearer(admin_),
                     "name: default\ncontrols:\n  superuser: deny\n", "application/yaml");
  ASSERT_TRUE(applied);
  ASSERT_EQ(applied->status, 201) << applied->body;
  constexpr int kScansPerReplica = 8;
  std::vector<int64_t> ids[2];
  std::vector<int> statuses[2];

  auto submit = [&](int replica) {
    for (int i = 0; i < kScansPerReplica; ++i) {
      std::string salt = std::to_string(replica) + "-" + std::to_string(i);
      std::string body = scan::EncodeAnalysis(testing::SyntheticAnalysis(salt));
      auto answer =
          Client(replica).Post("/api/v1/scans", Bearer(scanner_), body, "application/json");
      statuses[replica].push_back(answer ? answer->status : -1);
      if (answer && answer->status == 201) {
        ids[replica].push_back(json::parse(answer->body)["scanId"].get<int64_t>());
      }
    }
  };
  std::thread first(submit, 0);
  std::thread second(submit, 1);
  first.join();
  second.join();
  auto history = Client(1).Get("/api/v1/scans?limit=100", Bearer(admin_));

  for (int replica = 0; replica < 2; ++replica) {
    EXPECT_EQ(statuses[replica], std::vector<int>(kScansPerReplica, 201)) << "replica " << replica;
  }
  std::set<int64_t> answered(ids[0].begin(), ids[0].end());
  answered.insert(ids[1].begin(), ids[1].end());
  EXPECT_EQ(answered.size(), 2u * kScansPerReplica);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->status, 200) << history->body;
  std::set<int64_t> recorded;
  for (const json& scan : json::parse(history->body)) recorded.insert(scan["id"].get<int64_t>());
  EXPECT_EQ(recorded, answered);
}

// The standalone commands work on the shared database as on a data
// directory: what they change, every replica serves, and the audit log says so.
TEST_F(ServerReplicas, PolicyAppliedWithTheCliIsServedByEveryReplica) {
  std::string policy = dir_ + "/cli-policy.yaml";
  std::ofstream(policy) << "name: from-cli\ncontrols:\n  superuser: deny\n";

  CommandResult applied = testing::RunCommand(
      testing::BulwarkBinary(), {"policy", "apply", policy, "--database", url_}, dir_ + "/cli");
  CommandResult listed = testing::RunCommand(testing::BulwarkBinary(),
                                             {"--database", url_, "policy", "list"}, dir_ + "/cli");
  auto first = Client(0).Get("/api/v1/policies/from-cli", Bearer(admin_));
  auto second = Client(1).Get("/api/v1/policies/from-cli", Bearer(admin_));

  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("from-cli"), std::string::npos) << listed.out;
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->status, 200) << first->body;
  EXPECT_EQ(second->status, 200) << second->body;
  EXPECT_EQ(first->body, second->body);
}

TEST_F(ServerReplicas, NamesTheDatabaseWithoutItsPassword) {
  std::string out = testing::ReadFile(Log(0, "out"));
  std::string err = testing::ReadFile(Log(0, "err"));

  EXPECT_NE(out.find("(store postgresql://bulwark@127.0.0.1:"), std::string::npos) << out;
  EXPECT_EQ(out.find(testing::PostgresServer::Password()), std::string::npos) << out;
  EXPECT_EQ(err.find(testing::PostgresServer::Password()), std::string::npos) << err;
}

}  // namespace
}  // namespace bulwark
