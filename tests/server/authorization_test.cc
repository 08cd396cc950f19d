// Who may call what: every route of the routes table, with no credentials,
// with each role, with a revoked token; and how credentials are kept.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "server/openapi.h"
#include "server/routes.h"
#include "server_harness.h"
#include "testing/run_command.h"

namespace bulwark {
namespace {

using nlohmann::json;
using server::Role;
using server::Route;

// The route's path with each {parameter} filled with a value that names nothing.
std::string ConcretePath(const Route& route) {
  std::string path = route.path;
  path = std::regex_replace(path, std::regex("\\{image\\}"), "registry.example.com/none:1");
  path = std::regex_replace(path, std::regex("\\{id\\}"), "999999");
  path = std::regex_replace(path, std::regex("\\{name\\}"), "nobody");
  path = std::regex_replace(path, std::regex("\\{repo\\}"), "team/none");
  return path;
}

httplib::Result Send(httplib::Client& client, const Route& route, const httplib::Headers& headers) {
  std::string method = route.method;
  std::string path = ConcretePath(route);
  if (method == "GET") return client.Get(path, headers);
  if (method == "POST") return client.Post(path, headers, "", "application/json");
  return client.Delete(path, headers);
}

class ServerAuthorization : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.AddAccount("admin", Role::kAdministrator, "admin-password");
    scanner_ = server_.AddAccount("ci", Role::kScanner, "scanner-password");
    auditor_ = server_.AddAccount("audit", Role::kAuditor, "auditor-password");
  }

  testing::ServerHarness server_;
  std::string admin_, scanner_, auditor_;
};

TEST_F(ServerAuthorization, EveryRouteButPublicOnesRefusesAnonymousCallers) {
  httplib::Client client = server_.Client();

  for (const Route& route : server::Routes()) {
    SCOPED_TRACE(std::string(route.method) + " " + route.path);
    auto answer = Send(client, route, {});

    ASSERT_TRUE(answer);
    if (route.roles == 0) {
      EXPECT_EQ(answer->status, 200);
    } else {
      EXPECT_EQ(answer->status, 401);
      json body = json::parse(answer->body, nullptr, false);
      EXPECT_EQ(body["error"]["code"], "authentication") << answer->body;
      EXPECT_TRUE(answer->has_header("WWW-Authenticate"));
    }
    EXPECT_EQ(answer->get_header_value("X-Request-Id").size(), 16u);
  }
}

TEST_F(ServerAuthorization, EachRoleGetsExactlyTheRoutesTheTableGivesIt) {
  httplib::Client client = server_.Client();
  const std::pair<Role, std::string> callers[] = {
      {Role::kAdministrator, admin_}, {Role::kScanner, scanner_}, {Role::kAuditor, auditor_}};

  for (const auto& [role, token] : callers) {
    for (const Route& route : server::Routes()) {
      SCOPED_TRACE(std::string(server::RoleName(role)) + " " + route.method + " " + route.path);
      auto answer = Send(client, route, testing::Bearer(token));

      ASSERT_TRUE(answer);
      if (server::Allows(route, role)) {
        EXPECT_NE(answer->status, 401) << answer->body;
        EXPECT_NE(answer->status, 403) << answer->body;
      } else {
        EXPECT_EQ(answer->status, 403) << answer->body;
        EXPECT_EQ(json::parse(answer->body)["error"]["code"], "forbidden");
      }
    }
  }
}

TEST_F(ServerAuthorization, DocumentedRolesMatchTheTable) {
  // The roles of docs/server.md, written out once more so a change to the
  // table is a deliberate one.
  std::map<std::string, std::string> expected = {
      {"GET /api/v1/images", "administrator auditor"},
      {"POST /api/v1/images", "administrator"},
      {"POST /api/v1/scans", "administrator scanner"},
      {"GET /api/v1/scans", "administrator scanner auditor"},
      {"POST /api/v1/policies", "administrator"},
      {"GET /api/v1/audit", "administrator auditor"},
      {"POST /api/v1/users", "administrator"},
      {"POST /api/v1/tokens", "administrator"},
  };

  for (const Route& route : server::Routes()) {
    std::string key = std::string(route.method) + " " + route.path;
    if (!expected.count(key)) continue;
    std::string roles;
    for (Role role : {Role::kAdministrator, Role::kScanner, Role::kAuditor}) {
      if (server::Allows(route, role))
        roles += (roles.empty() ? "" : " ") + std::string(server::RoleName(role));
    }

    EXPECT_EQ(roles, expected[key]) << key;
  }
}

TEST_F(ServerAuthorization, RevokedTokenIsRefused) {
  httplib::Client client = server_.Client();
  auto before = client.Get("/api/v1/whoami", testing::Bearer(scanner_));
  int64_t id = server_.TokenId(scanner_);

  auto revoked = client.Delete("/api/v1/tokens/" + std::to_string(id), testing::Bearer(admin_));
  auto after = client.Get("/api/v1/whoami", testing::Bearer(scanner_));

  ASSERT_TRUE(before && revoked && after);
  EXPECT_EQ(before->status, 200);
  EXPECT_EQ(revoked->status, 200) << revoked->body;
  EXPECT_EQ(after->status, 401);
  EXPECT_NE(after->body.find("revoked"), std::string::npos) << after->body;
}

TEST_F(ServerAuthorization, BasicAuthAcceptsThePasswordAndRefusesOthers) {
  httplib::Client client = server_.Client();

  client.set_basic_auth("audit", "auditor-password");
  auto right = client.Get("/api/v1/whoami");
  client.set_basic_auth("audit", "wrong-password");
  auto wrong = client.Get("/api/v1/whoami");
  client.set_basic_auth("nobody", "auditor-password");
  auto unknown = client.Get("/api/v1/whoami");

  ASSERT_TRUE(right && wrong && unknown);
  EXPECT_EQ(right->status, 200);
  EXPECT_EQ(json::parse(right->body)["role"], "auditor");
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(wrong->body, unknown->body);  // Nothing tells which of the two was wrong.
}

TEST_F(ServerAuthorization, PasswordsAreStoredAsArgon2idHashes) {
  auto store = server_.OpenStore();

  auto users = store->ListUsers();

  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 3u);
  for (const store::User& user : *users) {
    EXPECT_EQ(user.password_hash.rfind("$argon2id$", 0), 0u) << user.name;
    EXPECT_EQ(user.password_hash.find("password"), std::string::npos);
  }
}

TEST_F(ServerAuthorization, TokenTableNeverHoldsThePlainToken) {
  httplib::Client client = server_.Client();
  auto created = client.Post("/api/v1/tokens", testing::Bearer(admin_),
                             R"({"name": "pipeline", "user": "ci"})", "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;
  std::string token = json::parse(created->body)["token"];

  server_.Stop();  // So the write-ahead log is folded into the database file.
  std::string database = testing::ReadFile(server_.data_dir() + "/bulwark.db") +
                         testing::ReadFile(server_.data_dir() + "/bulwark.db-wal");
  auto store = server_.OpenStore();
  auto tokens = store->ListTokens();

  EXPECT_EQ(token.rfind("bwt_", 0), 0u);
  EXPECT_EQ(database.find(token), std::string::npos);
  EXPECT_EQ(database.find(token.substr(4)), std::string::npos);
  ASSERT_TRUE(tokens.ok());
  bool found = false;
  for (const store::ApiToken& stored : *tokens) {
    found = found || stored.token_sha256 == server::TokenDigest(token);
  }
  EXPECT_TRUE(found);
}

TEST_F(ServerAuthorization, ChangesAreWrittenToTheAuditLog) {
  httplib::Client client = server_.Client();
  client.Post("/api/v1/users", testing::Bearer(admin_),
              R"({"name": "new-user", "role": "auditor", "password": "a-long-password"})",
              "application/json");

  auto audit = client.Get("/api/v1/audit?limit=5", testing::Bearer(auditor_));

  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->status, 200);
  json entries = json::parse(audit->body);
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries[0]["action"], "user.create");
  EXPECT_EQ(entries[0]["target"], "new-user");
  EXPECT_NE(entries[0]["actor"].get<std::string>().find("admin"), std::string::npos);
  EXPECT_FALSE(entries[0]["at"].get<std::string>().empty());
  EXPECT_EQ(entries[0]["detail"].get<std::string>().find("a-long-password"), std::string::npos);
}

TEST_F(ServerAuthorization, UnknownRouteAnswersAJsonError) {
  httplib::Client client = server_.Client();

  auto answer = client.Get("/api/v1/no-such-thing", testing::Bearer(admin_));

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 404);
  EXPECT_EQ(json::parse(answer->body)["error"]["code"], "not_found");
}

// The OpenAPI document and the routes table describe the same operations
// with the same roles, in both directions.
TEST(ServerOpenApi, DocumentAndRoutesTableAgree) {
  json document = json::parse(server::OpenApiDocument());
  std::set<std::string> from_document;
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string key = method + " " + path;
      std::transform(key.begin(), key.begin() + method.size(), key.begin(), ::toupper);
      from_document.insert(key);
    }
  }

  std::set<std::string> from_table;
  for (const Route& route : server::Routes()) {
    std::string key = std::string(route.method) + " " + route.path;
    from_table.insert(key);
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    SCOPED_TRACE(key);
    ASSERT_TRUE(document["paths"].contains(route.path));
    ASSERT_TRUE(document["paths"][route.path].contains(method));
    const json& operation = document["paths"][route.path][method];
    std::vector<std::string> roles;
    for (Role role : {Role::kAdministrator, Role::kScanner, Role::kAuditor}) {
      if (route.roles != 0 && server::Allows(route, role))
        roles.emplace_back(server::RoleName(role));
    }
    EXPECT_EQ(operation["x-bulwark-roles"].get<std::vector<std::string>>(), roles);
    EXPECT_EQ(operation["summary"], route.summary);
  }

  EXPECT_EQ(from_document, from_table);
  EXPECT_EQ(document["openapi"].get<std::string>().rfind("3.", 0), 0u);
}

TEST(ServerOpenApi, IsServedWithoutCredentials) {
  testing::ServerHarness server;
  httplib::Client client = server.Client();

  auto answer = client.Get("/api/v1/openapi.json");

  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, server::OpenApiDocument());
}

}  // namespace
}  // namespace bulwark
