// The server's tables (schema 2, issue #5) on SQLite and PostgreSQL: accounts,
// tokens, the audit log and scan history; and the upgrade of a schema 1
// SQLite store.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/store.h"
#include "store_backend.h"
#include "testing/test_data.h"

namespace bulwark::store {
namespace {

class ServerTables : public StoreBackendTest {};

TEST_P(ServerTables, RemovingAUserRevokesItsTokens) {
  ASSERT_TRUE(store_->PutUser({"ci", "scanner", "$argon2id$x", ""}).ok());
  ApiToken token;
  token.name = "pipeline";
  token.user = "ci";
  token.token_sha256 = Sha256Of("bwt_secret");
  auto id = store_->AddToken(token);
  ASSERT_TRUE(id.ok());

  auto removed = store_->RemoveUser("ci");
  auto found = store_->FindToken(Sha256Of("bwt_secret"));

  ASSERT_TRUE(removed.ok() && found.ok());
  EXPECT_TRUE(*removed);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, *id);
  EXPECT_FALSE((*found)->revoked_at.empty());
  EXPECT_FALSE(*store_->RevokeToken(*id));  // Already revoked.
}

TEST_P(ServerTables, ScanHistoryIsPerImageNewestFirstWithReportsOnRequest) {
  Digest image_a = Sha256Of("a"), image_b = Sha256Of("b");
  for (const Digest& image : {image_a, image_b, image_a}) {
    StoredScan scan;
    scan.image_id = image;
    scan.submitted_by = "ci";
    scan.exit_code = 4;
    scan.report_json = "{\"report\": true}";
    ASSERT_TRUE(store_->AddScan(scan).ok());
  }

  auto of_a = store_->ListScans(image_a, 10);
  auto all = store_->ListScans(std::nullopt, 2);
  auto one = store_->GetScan(3);

  ASSERT_TRUE(of_a.ok() && all.ok() && one.ok());
  ASSERT_EQ(of_a->size(), 2u);
  EXPECT_EQ((*of_a)[0].id, 3);
  EXPECT_EQ((*of_a)[1].id, 1);
  EXPECT_TRUE((*of_a)[0].report_json.empty());
  EXPECT_EQ(all->size(), 2u);
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->report_json, "{\"report\": true}");
  EXPECT_EQ((*one)->exit_code, 4);
}

TEST_P(ServerTables, AuditLogListsNewestFirstAndStampsTheTime) {
  ASSERT_TRUE(store_->AppendAudit({0, "", "admin", "policy.create", "default", ""}).ok());
  ASSERT_TRUE(store_->AppendAudit({0, "", "admin", "policy.remove", "default", ""}).ok());

  auto entries = store_->ListAudit(10);

  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].action, "policy.remove");
  EXPECT_FALSE((*entries)[0].at.empty());
}

// A token created while its account is being removed, through another
// connection (another replica), is never left valid.
TEST_P(ServerTables, TokensAddedDuringAUserRemovalAreNotLeftValid) {
  auto second = OpenStoreAt(location_);
  ASSERT_TRUE(second.ok()) << second.error().message();
  std::atomic<int> errors{0};

  for (int round = 0; round < 10; ++round) {
    std::string user = "ci" + std::to_string(round);
    ASSERT_TRUE(store_->PutUser({user, "scanner", "$argon2id$x", ""}).ok());
    std::thread adder([&] {
      for (int i = 0; i < 5; ++i) {
        ApiToken token;
        token.name = "t";
        token.user = user;
        token.token_sha256 = Sha256Of(user + std::to_string(i));
        auto added = (*second)->AddToken(token);
        if (!added.ok() && added.error().code() != ErrorCode::kInvalidArgument) ++errors;
      }
    });
    auto removed = store_->RemoveUser(user);
    adder.join();
    ASSERT_TRUE(removed.ok() && *removed);
  }
  auto tokens = store_->ListTokens();

  EXPECT_EQ(errors.load(), 0);
  ASSERT_TRUE(tokens.ok());
  for (const ApiToken& token : *tokens) {
    EXPECT_FALSE(token.revoked_at.empty()) << "token " << token.id << " of " << token.user;
  }
}

TEST_P(ServerTables, RegistriesAreReplacedByNameKeepingTheirCreationTime) {
  StoredRegistry registry{"private", "registry.internal:5000", "reader", "c2VhbGVk", "",
                          false,     "2026-01-01T00:00:00Z",   ""};
  ASSERT_TRUE(store_->PutRegistry(registry).ok());
  registry.host = "registry.internal:5001";
  registry.insecure = true;
  registry.created_at = "2026-01-01T00:00:00Z";
  ASSERT_TRUE(store_->PutRegistry(registry).ok());
  ASSERT_TRUE(store_->PutRegistry({"another", "a.example.com", "", "", "PEM", false, "", ""}).ok());

  auto found = store_->GetRegistry("private");
  auto listed = store_->ListRegistries();
  auto removed = store_->RemoveRegistry("another");
  auto removed_again = store_->RemoveRegistry("another");
  auto missing = store_->GetRegistry("another");

  ASSERT_TRUE(found.ok() && listed.ok() && removed.ok() && removed_again.ok() && missing.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->host, "registry.internal:5001");
  EXPECT_EQ((*found)->username, "reader");
  EXPECT_EQ((*found)->sealed_secret, "c2VhbGVk");
  EXPECT_TRUE((*found)->insecure);
  EXPECT_EQ((*found)->created_at, "2026-01-01T00:00:00Z");
  EXPECT_FALSE((*found)->updated_at.empty());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].name, "another");
  EXPECT_EQ((*listed)[0].ca_pem, "PEM");
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(*removed_again);
  EXPECT_FALSE(missing->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTables,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

// A data directory written before the server existed (schema 1) opens, keeps
// its images and gains the new tables.
TEST(ServerTablesMigration, SchemaOneStoreIsUpgradedInPlace) {
  std::string dir = bulwark::testing::MakeTempDir();
  std::string path = dir + "/bulwark.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* schema_one = R"sql(
    CREATE TABLE schema_version (version INTEGER NOT NULL);
    INSERT INTO schema_version VALUES (1);
    CREATE TABLE images (image_id TEXT PRIMARY KEY, chain TEXT NOT NULL, source TEXT NOT NULL,
      config_json TEXT NOT NULL, inventory_json TEXT NOT NULL, registered_at TEXT NOT NULL);
    CREATE TABLE image_names (name TEXT NOT NULL, image_id TEXT NOT NULL
      REFERENCES images(image_id) ON DELETE CASCADE, PRIMARY KEY (name, image_id));
    CREATE TABLE image_manifests (manifest_digest TEXT NOT NULL, image_id TEXT NOT NULL
      REFERENCES images(image_id) ON DELETE CASCADE, PRIMARY KEY (manifest_digest, image_id));
    CREATE TABLE layer_cache (blob_digest TEXT NOT NULL, version_key TEXT NOT NULL,
      value BLOB NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (blob_digest, version_key));
    CREATE TABLE policies (name TEXT PRIMARY KEY, document TEXT NOT NULL,
      document_sha256 TEXT NOT NULL, updated_at TEXT NOT NULL);
  )sql";
  ASSERT_EQ(sqlite3_exec(db, schema_one, nullptr, nullptr, nullptr), SQLITE_OK);
  std::string id = Sha256Of("config").str();
  std::string insert = "INSERT INTO images VALUES ('" + id + "', '" + Sha256Of("l").str() +
                       "', 'oci:/x', '{}', '{}', '2026-01-01T00:00:00Z');"
                       "INSERT INTO image_names VALUES ('registry.example.com/base:1.0', '" +
                       id + "');";
  ASSERT_EQ(sqlite3_exec(db, insert.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  auto store = OpenSqliteStore(path);

  ASSERT_TRUE(store.ok()) << store.error().message();
  auto images = (*store)->ListImages();
  ASSERT_TRUE(images.ok());
  ASSERT_EQ(images->size(), 1u);
  EXPECT_EQ((*images)[0].names, std::vector<std::string>{"registry.example.com/base:1.0"});
  EXPECT_TRUE((*store)->PutUser({"admin", "administrator", "$argon2id$x", ""}).ok());
  auto users = (*store)->ListUsers();
  ASSERT_TRUE(users.ok());
  EXPECT_EQ(users->size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bulwark::store
