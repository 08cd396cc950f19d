// `bulwark scan` and `image register` on docker://REF sources, against the real
// registry server on loopback with the real Debian fixture images pushed by skopeo.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "testing/registry_server.h"
#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;
using testing::RegistryAuth;
using testing::RegistryServer;
using testing::RegistryServerOptions;

class RegistryCli : public ::testing::Test {
 protected:
  void SetUp() override {
    fixtures_ = testing::FixturesDir();
    if (fixtures_.empty()) {
      GTEST_SKIP() << "BULWARK_FIXTURES is not set: build the images with "
                      "tests/fixtures/make-images.sh DIR (make test does)";
    }
    dir_ = testing::MakeTempDir();
  }
  void TearDown() override {
    registry_.reset();
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  void StartRegistry(const RegistryServerOptions& options) {
    registry_ = std::make_unique<RegistryServer>(dir_ + "/registry", options);
    std::string error = registry_->Start();
    if (!error.empty()) GTEST_SKIP() << "registry server unavailable: " << error;
    options_ = options;
  }

  void PushFixture(const std::string& image, const std::string& repo_tag) {
    std::string error = registry_->Push("oci:" + fixtures_ + "/oci/" + image + ":latest", repo_tag);
    ASSERT_EQ(error, "");
  }

  std::string Config(const std::string& password) {
    return testing::WriteDockerConfig(dir_ + "/docker-" + password, registry_->host(),
                                      options_.user, password);
  }

  CommandResult Run(const std::vector<std::string>& args, const std::string& store = "store") {
    return testing::RunCommand(testing::BulwarkBinary(), args, dir_ + "/" + store);
  }

  json ReadJson(const std::string& path) { return json::parse(testing::ReadFile(path)); }

  std::string fixtures_;
  std::string dir_;
  RegistryServerOptions options_;
  std::unique_ptr<RegistryServer> registry_;
};

TEST_F(RegistryCli, ScansARegistryImageAsItScansTheSameLayout) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kBasic;
  StartRegistry(options);
  PushFixture("app-on-approved", "team/app:1");
  std::string source = "docker://" + registry_->host() + "/team/app:1";

  CommandResult local = Run({"scan", "oci:" + fixtures_ + "/oci/app-on-approved:latest",
                             "--inventory-only", "--json", dir_ + "/local.json"},
                            "store-local");
  CommandResult pulled = Run({"scan", source, "--inventory-only", "--json", dir_ + "/pulled.json",
                              "--registry-config", Config(options.password)},
                             "store-pulled");

  ASSERT_EQ(local.exit_code, 0) << local.err;
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  json a = ReadJson(dir_ + "/local.json");
  json b = ReadJson(dir_ + "/pulled.json");
  EXPECT_EQ(b["source"], source);
  EXPECT_EQ(b["image"]["id"], a["image"]["id"]);
  EXPECT_EQ(b["image"]["manifestDigest"], a["image"]["manifestDigest"]);
  EXPECT_EQ(b["lineage"]["chain"], a["lineage"]["chain"]);
  EXPECT_EQ(b["inventory"]["packages"], a["inventory"]["packages"]);
  EXPECT_GT(b["inventory"]["packages"].size(), 50u);
  for (const json& layer : b["layers"]) {
    EXPECT_EQ(layer["fromCache"], false);
    EXPECT_TRUE(layer["blobDigest"].is_string());
  }
}

TEST_F(RegistryCli, RegistersAnImageFromARegistry) {
  StartRegistry({});
  PushFixture("approved-base", "base:1.0");

  CommandResult registered =
      Run({"image", "register", "docker://" + registry_->host() + "/base:1.0", "--name",
           "registry.example.com/base:1.0"});
  CommandResult listed = Run({"image", "list", "--json"});

  ASSERT_EQ(registered.exit_code, 0) << registered.err;
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("registry.example.com/base:1.0"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(testing::ReadFixtureDigests(fixtures_, "approved-base").config),
            std::string::npos)
      << listed.out;
}

TEST_F(RegistryCli, ExitsThreeNamingTheReferenceAndRegistryWhenAuthenticationFails) {
  RegistryServerOptions options;
  options.auth = RegistryAuth::kBasic;
  StartRegistry(options);
  PushFixture("approved-base", "base:1.0");
  std::string source = "docker://" + registry_->host() + "/base:1.0";

  CommandResult refused =
      Run({"scan", source, "--inventory-only", "--registry-config", Config("wrong-password")});

  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_NE(refused.err.find(source), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("registry " + registry_->host()), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("authentication refused"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.err.find("wrong-password"), std::string::npos) << refused.err;
}

TEST_F(RegistryCli, TrustsTheGivenCaAndWarnsWhenVerificationIsOff) {
  RegistryServerOptions options;
  options.tls = true;
  StartRegistry(options);
  PushFixture("approved-base", "base:1.0");
  std::string source = "docker://" + registry_->host() + "/base:1.0";

  CommandResult untrusted = Run({"scan", source, "--inventory-only"});
  CommandResult trusted =
      Run({"scan", source, "--inventory-only", "--registry-ca-file", registry_->ca_file()});
  CommandResult insecure = Run({"scan", source, "--inventory-only", "--insecure-registry"});

  EXPECT_EQ(untrusted.exit_code, 3);
  EXPECT_NE(untrusted.err.find("certificate"), std::string::npos) << untrusted.err;
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_EQ(trusted.err.find("TLS verification disabled"), std::string::npos) << trusted.err;
  EXPECT_EQ(insecure.exit_code, 0) << insecure.err;
  EXPECT_NE(insecure.err.find("TLS verification disabled"), std::string::npos) << insecure.err;
}

TEST_F(RegistryCli, ABareTextThatIsNeitherAFileNorAReachableImageSaysBoth) {
  std::string text = "127.0.0.1:" + std::to_string(testing::FreeLoopbackPort()) + "/app.tar";

  CommandResult result = Run({"scan", text, "--inventory-only"});

  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find(text + ": no such file or directory; read as the image reference"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Couldn't connect"), std::string::npos) << result.err;
}

TEST_F(RegistryCli, HelpListsTheRegistryFlagsAndSources) {
  CommandResult scan_help = Run({"scan", "--help"});
  CommandResult register_help = Run({"image", "register", "--help"});

  for (const CommandResult* help : {&scan_help, &register_help}) {
    EXPECT_EQ(help->exit_code, 0);
    for (const char* text :
         {"--registry-ca-file", "--insecure-registry", "--registry-config", "docker://REF"}) {
      EXPECT_NE(help->out.find(text), std::string::npos) << text << "\n" << help->out;
    }
  }
}

}  // namespace
}  // namespace bulwark
