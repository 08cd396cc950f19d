// The registry resources through a real server: the real Debian
// docker-registry with Basic auth (tests/testing/registry_server.h), the
// fixture images pushed with skopeo, registries added through the API with
// sealed credentials, images the server pulls itself, and `bulwark scan
// --server` judged against a base registered that way.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "registry/base64.h"
#include "server_harness.h"
#include "testing/registry_server.h"
#include "testing/run_command.h"
#include "testing/test_data.h"

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
    "    - registry.example.com/base:1.0\n";

class ServerRegistries : public ::testing::Test {
 protected:
  void SetUp() override {
    fixtures_ = testing::FixturesDir();
    if (fixtures_.empty()) {
      GTEST_SKIP() << "BULWARK_FIXTURES is not set: build the images with "
                      "tests/fixtures/make-images.sh DIR (make test does)";
    }
    std::string missing;
    if (!testing::RegistryToolsAvailable(&missing)) GTEST_SKIP() << missing;
    dir_ = testing::MakeTempDir();
    testing::RegistryServerOptions options;
    options.auth = testing::RegistryAuth::kBasic;
    registry_ = std::make_unique<testing::RegistryServer>(dir_ + "/registry", options);
    std::string error = registry_->Start();
    if (!error.empty()) GTEST_SKIP() << "registry server unavailable: " << error;
    ASSERT_EQ(registry_->Push("oci-archive:" + fixtures_ + "/approved-base.oci.tar", "base:1.0"),
              "");

    server_ = std::make_unique<testing::ServerHarness>(dir_ + "/server");
    admin_ = server_->AddAccount("admin", server::Role::kAdministrator, "admin-password");
    auditor_ = server_->AddAccount("audit", server::Role::kAuditor, "auditor-password");
  }
  void TearDown() override {
    server_.reset();
    registry_.reset();
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  // Sends `method` `path` with `body` as `token` and returns status and JSON body.
  std::pair<int, json> Call(const std::string& method, const std::string& path,
                            const std::string& body = "", const std::string& token = "") {
    httplib::Client client = server_->Client();
    httplib::Headers headers = testing::Bearer(token.empty() ? admin_ : token);
    httplib::Result answer = method == "GET" ? client.Get(path, headers)
                             : method == "DELETE"
                                 ? client.Delete(path, headers)
                                 : client.Post(path, headers, body, "application/json");
    if (!answer) {
      ADD_FAILURE() << method << " " << path << ": no answer";
      return {0, json()};
    }
    last_body_ = answer->body;
    return {answer->status, json::parse(answer->body, nullptr, false)};
  }

  // Adds the test registry as `name` with `password`.
  std::pair<int, json> AddRegistry(const std::string& name, const std::string& host,
                                   const std::string& user, const std::string& password) {
    json body = {{"name", name}, {"url", host}, {"username", user}, {"password", password}};
    return Call("POST", "/api/v1/registries", body.dump());
  }

  CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.end(), {"--server", server_->url(), "--token", admin_});
    return testing::RunCommand(testing::BulwarkBinary(), args, dir_ + "/client");
  }

  // Starts registry_front.py's decoy (a registry that asks for a Bearer
  // token from its own realm and logs every Authorization header).
  std::string StartDecoy() {
    std::string script = std::string(BULWARK_SOURCE_DIR) + "/tests/testing/registry_front.py";
    EXPECT_EQ(decoy_.Start(
                  {"/usr/bin/python3", script, "decoy", dir_ + "/decoy.log", dir_ + "/decoy.port"},
                  dir_ + "/decoy.out"),
              "");
    EXPECT_EQ(decoy_.WaitForFile(dir_ + "/decoy.port"), "");
    std::string ports = testing::ReadFile(dir_ + "/decoy.port");
    return "127.0.0.1:" + ports.substr(0, ports.find(' '));
  }

  std::string fixtures_;
  std::string dir_;
  std::string admin_;
  std::string auditor_;
  std::string last_body_;
  std::unique_ptr<testing::RegistryServer> registry_;
  std::unique_ptr<testing::ServerHarness> server_;
  testing::ChildProcess decoy_;
};

TEST_F(ServerRegistries, PullsTheApprovedBaseOnTheServerAndScansAgainstIt) {
  auto [added, registry] = AddRegistry("private", registry_->host(), "bulwark", "s3cret-pass");
  ASSERT_EQ(added, 201) << last_body_;
  auto [tested, test] = Call("POST", "/api/v1/registries/private/test");
  auto [listed, repositories] = Call("GET", "/api/v1/registries/private/repositories?n=10");
  auto [tagged, tags] = Call("GET", "/api/v1/registries/private/repositories/base/tags");

  auto [pulled, image] = Call(
      "POST", "/api/v1/images/pull",
      json({{"registry", "private"}, {"reference", "base:1.0"}, {"names", {kBaseName}}}).dump());
  auto [applied, policy] = Call("POST", "/api/v1/policies", kPolicy);
  CommandResult on_approved =
      Cli({"scan", "docker-archive:" + fixtures_ + "/app-on-approved.docker.tar"});
  CommandResult on_debian = Cli({"scan", "oci-archive:" + fixtures_ + "/app-on-debian.oci.tar"});

  EXPECT_EQ(registry["hasPassword"], true);
  EXPECT_EQ(tested, 200);
  EXPECT_EQ(test["ok"], true) << test.dump();
  EXPECT_EQ(listed, 200);
  EXPECT_EQ(repositories["repositories"], json({"base"})) << repositories.dump();
  EXPECT_EQ(tagged, 200);
  EXPECT_EQ(tags["tags"], json({"1.0"})) << tags.dump();
  ASSERT_EQ(pulled, 201) << image.dump();
  EXPECT_EQ(image["source"], "registry private base:1.0");
  EXPECT_NE(image["names"].dump().find(kBaseName), std::string::npos) << image.dump();
  EXPECT_GT(image["packages"].get<int>(), 0);
  EXPECT_EQ(applied, 201) << policy.dump();
  EXPECT_EQ(on_approved.exit_code, 0) << on_approved.out << on_approved.err;
  EXPECT_EQ(on_debian.exit_code, 4) << on_debian.out << on_debian.err;
  auto [audited, audit] = Call("GET", "/api/v1/audit");
  std::string log = audit.dump();
  EXPECT_NE(log.find("registry.create"), std::string::npos) << log;
  EXPECT_NE(log.find("image.pull"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cret-pass"), std::string::npos) << log;
}

TEST_F(ServerRegistries, KeepsTheSecretSealedInTheStoreFile) {
  auto [added, registry] = AddRegistry("private", registry_->host(), "bulwark", "s3cret-pass");
  ASSERT_EQ(added, 201) << last_body_;

  auto stored = server_->OpenStore()->GetRegistry("private");
  server_->Stop();
  std::string bytes = testing::ReadFile(server_->data_dir() + "/bulwark.db");
  std::error_code error;
  if (fs::exists(server_->data_dir() + "/bulwark.db-wal", error)) {
    bytes += testing::ReadFile(server_->data_dir() + "/bulwark.db-wal");
  }

  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_FALSE((*stored)->sealed_secret.empty());
  EXPECT_EQ((*stored)->sealed_secret.find("s3cret"), std::string::npos);
  EXPECT_NE(bytes.find((*stored)->sealed_secret), std::string::npos);
  EXPECT_EQ(bytes.find("s3cret-pass"), std::string::npos);
  EXPECT_EQ(bytes.find(registry::EncodeBase64("bulwark:s3cret-pass")), std::string::npos);
  EXPECT_EQ(last_body_.find("s3cret"), std::string::npos) << last_body_;
  auto mode = fs::status(server_->data_dir() + "/server.key").permissions();
  EXPECT_EQ(mode & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  EXPECT_EQ(fs::file_size(server_->data_dir() + "/server.key"), 32u);
}

TEST_F(ServerRegistries, AWrongPasswordGivesAClearTestError) {
  ASSERT_EQ(AddRegistry("private", registry_->host(), "bulwark", "not-the-password").first, 201);

  auto [tested, test] = Call("POST", "/api/v1/registries/private/test");
  auto [pulled, pull] = Call("POST", "/api/v1/images/pull",
                             json({{"registry", "private"}, {"reference", "base:1.0"}}).dump());

  EXPECT_EQ(tested, 200);
  EXPECT_EQ(test["ok"], false);
  EXPECT_EQ(test["error"]["code"], "authentication") << test.dump();
  std::string message = test["error"]["message"].get<std::string>();
  EXPECT_NE(message.find("authentication refused"), std::string::npos) << message;
  EXPECT_NE(message.find("the server's registry \"private\""), std::string::npos) << message;
  EXPECT_EQ(message.find("config.json"), std::string::npos) << message;
  EXPECT_EQ(pulled, 502) << pull.dump();
}

TEST_F(ServerRegistries, NeverSendsOneRegistrysCredentialsToAnother) {
  std::string decoy = StartDecoy();
  ASSERT_EQ(AddRegistry("private", registry_->host(), "bulwark", "s3cret-pass").first, 201);
  ASSERT_EQ(AddRegistry("other", decoy, "other-user", "other-pass").first, 201);

  auto [tested_private, private_test] = Call("POST", "/api/v1/registries/private/test");
  auto [tested_other, other_test] = Call("POST", "/api/v1/registries/other/test");
  auto [pulled, pull] = Call("POST", "/api/v1/images/pull",
                             json({{"registry", "other"}, {"reference", "base:1.0"}}).dump());

  EXPECT_EQ(private_test["ok"], true) << private_test.dump();
  EXPECT_EQ(other_test["ok"], false) << other_test.dump();
  EXPECT_NE(pulled, 201) << pull.dump();
  std::string log = testing::ReadFile(dir_ + "/decoy.log");
  EXPECT_NE(log.find("Basic " + registry::EncodeBase64("other-user:other-pass")), std::string::npos)
      << log;
  EXPECT_EQ(log.find(registry::EncodeBase64("bulwark:s3cret-pass")), std::string::npos) << log;
}

TEST_F(ServerRegistries, AnAuditorSeesRegistriesWithoutSecrets) {
  ASSERT_EQ(AddRegistry("private", registry_->host(), "bulwark", "s3cret-pass").first, 201);

  auto [listed, list] = Call("GET", "/api/v1/registries", "", auditor_);
  std::string list_body = last_body_;
  auto [shown, shown_registry] = Call("GET", "/api/v1/registries/private", "", auditor_);
  auto [added, refusal] = Call("POST", "/api/v1/registries",
                               json({{"name", "x"}, {"url", "127.0.0.1:1"}}).dump(), auditor_);

  EXPECT_EQ(listed, 200);
  ASSERT_EQ(list.size(), 1u) << list.dump();
  EXPECT_EQ(list[0]["name"], "private");
  EXPECT_EQ(list[0]["url"], registry_->host());
  EXPECT_EQ(list[0]["hasPassword"], true);
  EXPECT_FALSE(list[0].contains("password"));
  EXPECT_EQ(list_body.find("s3cret"), std::string::npos) << list_body;
  EXPECT_EQ(shown, 200);
  EXPECT_EQ(shown_registry["username"], "bulwark");
  EXPECT_EQ(added, 403) << refusal.dump();
}

TEST_F(ServerRegistries, RescanPullsAPulledImageAgainAndRefusesAnUploadedOne) {
  ASSERT_EQ(AddRegistry("private", registry_->host(), "bulwark", "s3cret-pass").first, 201);
  auto [pulled, image] = Call("POST", "/api/v1/images/pull",
                              json({{"registry", "private"}, {"reference", "base:1.0"}}).dump());
  ASSERT_EQ(pulled, 201) << image.dump();
  CommandResult uploaded =
      Cli({"image", "register", "oci-archive:" + fixtures_ + "/debian-base.oci.tar", "--name",
           "registry.example.com/debian:12"});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;

  std::string pulled_name = registry_->host() + "/base:1.0";
  auto [rescanned, rescan] = Call("POST", "/api/v1/images/" + pulled_name + "/rescan");
  auto [refused, refusal] = Call("POST", "/api/v1/images/registry.example.com/debian:12/rescan");

  EXPECT_EQ(rescanned, 200) << rescan.dump();
  EXPECT_EQ(rescan["imageId"], image["imageId"]);
  EXPECT_EQ(rescan["changed"], false);
  EXPECT_EQ(refused, 422) << refusal.dump();
  EXPECT_NE(refusal.dump().find("uploaded"), std::string::npos) << refusal.dump();
}

TEST_F(ServerRegistries, TheCliAddsTestsListsAndPullsThroughTheServer) {
  std::vector<std::string> on_server = {"--server", server_->url(), "--token", admin_};
  auto with_server = [&](std::vector<std::string> args) {
    args.insert(args.end(), on_server.begin(), on_server.end());
    return args;
  };

  CommandResult added = testing::RunCommandWithInput(
      testing::BulwarkBinary(),
      with_server({"registry", "add", "private", "--url", registry_->host(), "--username",
                   "bulwark", "--password-stdin"}),
      dir_ + "/client", "s3cret-pass\n");
  CommandResult tested = Cli({"registry", "test", "private"});
  CommandResult listed = Cli({"registry", "list"});
  CommandResult repos = Cli({"registry", "repos", "private"});
  CommandResult tags = Cli({"registry", "tags", "private", "base"});
  CommandResult pulled = Cli({"image", "register", "docker://" + registry_->host() + "/base:1.0",
                              "--pull-on-server", "--registry", "private", "--name", kBaseName});
  CommandResult elsewhere = Cli({"image", "register", "docker://registry.example.com/base:1.0",
                                 "--pull-on-server", "--registry", "private"});
  CommandResult removed = Cli({"registry", "remove", "private"});
  CommandResult untested = Cli({"registry", "test", "private"});

  EXPECT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("sealed with the server key"), std::string::npos) << added.out;
  EXPECT_EQ(tested.exit_code, 0) << tested.err;
  EXPECT_NE(tested.out.find("connected and authenticated"), std::string::npos) << tested.out;
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find(registry_->host()), std::string::npos) << listed.out;
  EXPECT_EQ(listed.out.find("s3cret"), std::string::npos) << listed.out;
  EXPECT_EQ(repos.out, "base\n") << repos.err;
  EXPECT_EQ(tags.out, "1.0\n") << tags.err;
  EXPECT_EQ(pulled.exit_code, 0) << pulled.err;
  EXPECT_NE(pulled.out.find(kBaseName), std::string::npos) << pulled.out;
  EXPECT_EQ(elsewhere.exit_code, 2) << elsewhere.err;
  EXPECT_NE(elsewhere.err.find("not private"), std::string::npos) << elsewhere.err;
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(untested.exit_code, 2) << untested.err;
}

TEST_F(ServerRegistries, RemovesARegistryAndAuditsIt) {
  ASSERT_EQ(AddRegistry("private", registry_->host(), "bulwark", "s3cret-pass").first, 201);

  auto [removed, answer] = Call("DELETE", "/api/v1/registries/private");
  auto [shown, missing] = Call("GET", "/api/v1/registries/private");

  EXPECT_EQ(removed, 200) << answer.dump();
  EXPECT_EQ(shown, 404);
  auto [audited, audit] = Call("GET", "/api/v1/audit");
  EXPECT_NE(audit.dump().find("registry.remove"), std::string::npos) << audit.dump();
}

}  // namespace
}  // namespace bulwark
