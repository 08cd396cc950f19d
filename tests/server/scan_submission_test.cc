// POST /api/v1/scans on analyses made in the test (no image needed): what the
// server refuses, and how; over the SQLite store and over PostgreSQL.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scan/analysis_codec.h"
#include "server_harness.h"
#include "synthetic_analysis.h"
#include "testing/postgres_server.h"

namespace bulwark {
namespace {

using nlohmann::json;

// The store under the server: true for a database on the test run's PostgreSQL.
class ServerScanSubmission : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string database;
    if (GetParam()) {
      std::string reason;
      testing::PostgresServer* postgres = testing::PostgresServer::Shared(&reason);
      if (postgres == nullptr) GTEST_SKIP() << reason;
      database = postgres->NewDatabase();
      ASSERT_FALSE(database.empty());
    }
    server_ = std::make_unique<testing::ServerHarness>("", "", "", database);
    ASSERT_GT(server_->port(), 0);
    admin_ = server_->AddAccount("admin", server::Role::kAdministrator, "admin-password");
    scanner_ = server_->AddAccount("ci", server::Role::kScanner, "scanner-password");
  }
  httplib::Result Apply(const std::string& document) {
    httplib::Client client = server_->Client();
    return client.Post("/api/v1/policies", testing::Bearer(admin_), document, "application/yaml");
  }
  httplib::Result Submit(const std::string& body, const std::string& query = "") {
    httplib::Client client = server_->Client();
    return client.Post("/api/v1/scans" + query, testing::Bearer(scanner_), body,
                       "application/json");
  }

  std::unique_ptr<testing::ServerHarness> server_;
  std::string admin_, scanner_;
};

TEST_P(ServerScanSubmission, VerdictComesFromTheServersPolicy) {
  ASSERT_EQ(Apply("name: default\ncontrols:\n  requiredPackages:\n    - name: tzdata\n")->status,
            201);
  std::string analysis = scan::EncodeAnalysis(testing::SyntheticAnalysis("a"));

  auto passed = Submit(analysis, "?report=sarif&report=junit");
  ASSERT_EQ(Apply("name: default\ncontrols:\n  requiredPackages:\n    - name: curl\n")->status,
            200);
  auto failed = Submit(analysis);

  ASSERT_TRUE(passed && failed);
  json pass = json::parse(passed->body);
  json fail = json::parse(failed->body);
  EXPECT_EQ(pass["exitCode"], 0);
  EXPECT_TRUE(pass["reports"].contains("sarif"));
  EXPECT_TRUE(pass["reports"].contains("junit"));
  EXPECT_EQ(fail["exitCode"], 4);
  EXPECT_NE(fail["text"].get<std::string>().find("requiredPackages"), std::string::npos);
}

TEST_P(ServerScanSubmission, PolicyNeedingAdvisoriesWithoutADatabaseFailsTheScan) {
  ASSERT_EQ(Apply("name: vulns\ncontrols:\n  vulnerabilities:\n    failAtOrAbove: high\n")->status,
            201);

  auto answer = Submit(scan::EncodeAnalysis(testing::SyntheticAnalysis("a")));

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 500);
  json body = json::parse(answer->body);
  EXPECT_EQ(body["error"]["code"], "io");  // The CLI maps it to exit 3.
  EXPECT_NE(body["error"]["message"].get<std::string>().find("advisory database"),
            std::string::npos);
}

TEST_P(ServerScanSubmission, TamperedAnalysisIsRefusedAsCorrupt) {
  ASSERT_EQ(Apply("name: default\ncontrols:\n  superuser: deny\n")->status, 201);
  json document = json::parse(scan::EncodeAnalysis(testing::SyntheticAnalysis("a")));
  document["imageId"] = Sha256Of("another config").str();

  auto tampered = Submit(document.dump());
  auto not_json = Submit("{\"schemaVersion\": ");

  ASSERT_TRUE(tampered && not_json);
  EXPECT_EQ(tampered->status, 400);
  EXPECT_EQ(json::parse(tampered->body)["error"]["code"], "corrupt_input");
  EXPECT_EQ(not_json->status, 400);
}

TEST_P(ServerScanSubmission, BodyOverTheLimitIsRefusedWith413) {
  std::string body(scan::kMaxAnalysisBytes + 1, ' ');

  auto answer = Submit(body);

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_EQ(json::parse(answer->body)["error"]["code"], "limit_exceeded");
}

TEST_P(ServerScanSubmission, ScannerMayNotRegisterWhatItScans) {
  ASSERT_EQ(Apply("name: default\ncontrols:\n  requiredPackages:\n    - name: tzdata\n")->status,
            201);

  auto answer = Submit(scan::EncodeAnalysis(testing::SyntheticAnalysis("a")),
                       "?register=true&name=registry.example.com/base:1.0");
  auto images = server_->OpenStore()->ListImages();

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 403);
  EXPECT_EQ(json::parse(answer->body)["error"]["code"], "forbidden");
  ASSERT_TRUE(images.ok());
  EXPECT_TRUE(images->empty());
}

TEST_P(ServerScanSubmission, UnknownReportFormatIsRefusedBeforeRecording) {
  ASSERT_EQ(Apply("name: default\ncontrols:\n  superuser: deny\n")->status, 201);

  auto answer = Submit(scan::EncodeAnalysis(testing::SyntheticAnalysis("a")), "?report=pdf");
  auto history = server_->OpenStore()->ListScans(std::nullopt, 10);

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 422);
  ASSERT_TRUE(history.ok());
  EXPECT_TRUE(history->empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, ServerScanSubmission, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return std::string(info.param ? "Postgres" : "Sqlite");
                         });

}  // namespace
}  // namespace bulwark
