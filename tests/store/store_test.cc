// The store on both databases (TEST_P over SQLite and PostgreSQL), and what
// is particular to each.
#include "store/store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "store_backend.h"
#include "testing/postgres_server.h"
#include "testing/test_data.h"

namespace bulwark::store {
namespace {

Digest D(char c) { return *Digest::FromHex(std::string(64, c)); }

StoredImage MakeImage(char id, std::vector<Digest> chain, std::vector<std::string> names) {
  StoredImage stored;
  stored.image.image_id = D(id);
  stored.image.chain = std::move(chain);
  stored.image.names = std::move(names);
  stored.source = "oci:/tmp/x";
  stored.config_json = "{}";
  stored.inventory_json = "{}";
  return stored;
}

class StoreTest : public StoreBackendTest {};

TEST_P(StoreTest, RegistersAndMergesNames) {
  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1'), D('2')}, {"x/base:1"})).ok());

  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1'), D('2')}, {"x/base:latest"})).ok());
  auto images = store_->ListImages();

  ASSERT_TRUE(images.ok()) << images.error().message();
  ASSERT_EQ(images->size(), 1u);
  EXPECT_EQ((*images)[0].names, (std::vector<std::string>{"x/base:1", "x/base:latest"}));
  EXPECT_EQ((*images)[0].chain, (std::vector<Digest>{D('1'), D('2')}));
}

TEST_P(StoreTest, RemovesImageAndItsNames) {
  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1')}, {"x/base:1"})).ok());

  auto removed = store_->RemoveImage(D('a'));
  auto removed_again = store_->RemoveImage(D('a'));
  auto images = store_->ListImages();

  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(*removed_again);
  EXPECT_TRUE(images->empty());
}

TEST_P(StoreTest, CachesLayersByBlobAndVersionKey) {
  std::string value("\0binary\xff", 8);

  ASSERT_TRUE(store_->PutLayer(D('b'), "dpkg:1", value).ok());
  auto hit = store_->GetLayer(D('b'), "dpkg:1");
  auto other_version = store_->GetLayer(D('b'), "dpkg:2");

  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ(**hit, value);
  EXPECT_FALSE(other_version->has_value());
}

TEST_P(StoreTest, ReplacesPolicyByName) {
  ASSERT_TRUE(store_->PutPolicy({"default", "a: 1", Sha256Of("a: 1"), ""}).ok());

  ASSERT_TRUE(store_->PutPolicy({"default", "b: 2", Sha256Of("b: 2"), ""}).ok());
  auto policies = store_->ListPolicies();

  ASSERT_TRUE(policies.ok());
  ASSERT_EQ(policies->size(), 1u);
  EXPECT_EQ((*policies)[0].document, "b: 2");
}

TEST_P(StoreTest, ReopensExistingDatabase) {
  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1')}, {"x/base:1"})).ok());
  store_.reset();

  auto reopened = OpenStoreAt(location_);

  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->ListImages()->size(), 1u);
}

// Several processes (CI jobs, server replicas) opening one new store at once:
// each migration is applied once and every open succeeds.
TEST_P(StoreTest, ParallelOpensOfANewStoreAllSucceed) {
  std::string location = NewLocation();
  ASSERT_FALSE(location.empty());
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};

  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto opened = OpenStoreAt(location);
      if (!opened.ok() || !(*opened)->ListImages().ok()) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
}

// Two connections adding scans, tokens and audit entries at once, as two
// server replicas do: every id is distinct and every row is kept.
TEST_P(StoreTest, ConcurrentWritersGetDistinctIds) {
  auto second = OpenStoreAt(location_);
  ASSERT_TRUE(second.ok()) << second.error().message();
  ASSERT_TRUE(store_->PutUser({"ci", "scanner", "$argon2id$x", ""}).ok());
  std::vector<int64_t> ids[2];
  std::atomic<int> failures{0};

  auto write = [&](Store* store, int writer) {
    for (int i = 0; i < 20; ++i) {
      StoredScan scan;
      scan.image_id = D('a');
      scan.request_id = std::to_string(writer) + "-" + std::to_string(i);
      auto id = store->AddScan(scan);
      ApiToken token;
      token.name = scan.request_id;
      token.user = "ci";
      token.token_sha256 = Sha256Of("token " + scan.request_id);
      auto token_id = store->AddToken(token);
      auto audited = store->AppendAudit({0, "", "ci", "scan.submit", scan.request_id, ""});
      if (!id.ok() || !token_id.ok() || !audited.ok()) ++failures;
      if (id.ok()) ids[writer].push_back(*id);
    }
  };
  std::thread first_writer(write, store_.get(), 0);
  std::thread second_writer(write, second->get(), 1);
  first_writer.join();
  second_writer.join();

  EXPECT_EQ(failures.load(), 0);
  std::set<int64_t> distinct(ids[0].begin(), ids[0].end());
  distinct.insert(ids[1].begin(), ids[1].end());
  EXPECT_EQ(distinct.size(), 40u);
  EXPECT_EQ(store_->ListScans(std::nullopt, 100)->size(), 40u);
  EXPECT_EQ(store_->ListTokens()->size(), 40u);
  EXPECT_EQ(store_->ListAudit(100)->size(), 40u);
}

// The same image registered through two connections at once, under other
// names: one image holding every name.
TEST_P(StoreTest, ConcurrentRegistrationsMergeNames) {
  auto second = OpenStoreAt(location_);
  ASSERT_TRUE(second.ok()) << second.error().message();
  std::atomic<int> failures{0};

  auto register_names = [&](Store* store, std::string prefix) {
    for (int i = 0; i < 10; ++i) {
      auto image = MakeImage('a', {D('1')}, {prefix + std::to_string(i)});
      if (!store->RegisterImage(image).ok()) ++failures;
    }
  };
  std::thread first_writer(register_names, store_.get(), "x/one:");
  std::thread second_writer(register_names, second->get(), "x/two:");
  first_writer.join();
  second_writer.join();
  auto images = store_->ListImages();

  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(images.ok()) << images.error().message();
  ASSERT_EQ(images->size(), 1u);
  EXPECT_EQ((*images)[0].names.size(), 20u);
}

TEST_P(StoreTest, RefusesATokenForAnUnknownUser) {
  ApiToken token;
  token.name = "pipeline";
  token.user = "nobody";
  token.token_sha256 = Sha256Of("bwt_x");

  auto added = store_->AddToken(token);

  ASSERT_FALSE(added.ok());
  EXPECT_EQ(added.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store_->ListTokens()->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

TEST(PostgresStore, RefusesAMalformedUrlWithoutShowingItsPassword) {
  auto opened = OpenPostgresStore("postgresql://ci:Hunter-Pass@db.example:notaport/bulwark");

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(opened.error().message().find("Hunter-Pass"), std::string::npos)
      << opened.error().message();
}

TEST(PostgresStore, UnreachableDatabaseIsAStoreErrorNamingItWithoutThePassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  auto opened = OpenPostgresStore("postgres://ci:Hunter-Pass@127.0.0.1:1/bulwark_main");

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kIo);
  const std::string& message = opened.error().message();
  EXPECT_NE(message.find("postgresql://ci@127.0.0.1:1/bulwark_main"), std::string::npos) << message;
  EXPECT_EQ(message.find("Hunter-Pass"), std::string::npos) << message;
}

TEST(PostgresStore, WrongPasswordIsAStoreErrorWithoutEitherPassword) {
  std::string reason;
  auto* server = bulwark::testing::PostgresServer::Shared(&reason);
  if (server == nullptr) GTEST_SKIP() << reason;
  std::string url =
      "postgresql://bulwark:Not-The-Pass@127.0.0.1:" + std::to_string(server->port()) + "/postgres";

  auto opened = OpenPostgresStore(url);

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kIo);
  EXPECT_EQ(opened.error().message().find("Not-The-Pass"), std::string::npos);
  EXPECT_EQ(opened.error().message().find(server->Password()), std::string::npos);
}

// A database migrated by a newer Bulwark is refused, not written to.
TEST(PostgresStore, RefusesASchemaNewerThanItKnows) {
  std::string reason;
  auto* server = bulwark::testing::PostgresServer::Shared(&reason);
  if (server == nullptr) GTEST_SKIP() << reason;
  std::string url = server->NewDatabase();
  ASSERT_TRUE(OpenPostgresStore(url).ok());
  PGconn* connection = PQconnectdb(url.c_str());
  PGresult* bumped = PQexec(connection, "INSERT INTO schema_version VALUES (999)");
  ASSERT_EQ(PQresultStatus(bumped), PGRES_COMMAND_OK) << PQerrorMessage(connection);
  PQclear(bumped);
  PQfinish(connection);

  auto opened = OpenPostgresStore(url);

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kUnsupported);
  EXPECT_NE(opened.error().message().find("schema version 999"), std::string::npos)
      << opened.error().message();
}

// A replica outlives its database connection (a restart, a failover, an
// idle timeout): the request that finds it gone fails, the next reconnects.
TEST(PostgresStore, ReconnectsAfterTheConnectionIsLost) {
  std::string reason;
  auto* server = bulwark::testing::PostgresServer::Shared(&reason);
  if (server == nullptr) GTEST_SKIP() << reason;
  std::string url = server->NewDatabase();
  auto store = OpenPostgresStore(url);
  ASSERT_TRUE(store.ok()) << store.error().message();
  PGconn* admin = PQconnectdb(server->Url("postgres").c_str());
  std::string database = url.substr(url.rfind('/') + 1);
  std::string kill =
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'";
  PGresult* killed = PQexec(admin, kill.c_str());
  ASSERT_EQ(PQresultStatus(killed), PGRES_TUPLES_OK) << PQerrorMessage(admin);
  PQclear(killed);
  PQfinish(admin);

  auto first = (*store)->ListPolicies();
  auto second = (*store)->ListPolicies();

  if (!first.ok()) {
    EXPECT_EQ(first.error().code(), ErrorCode::kIo);
  }
  EXPECT_TRUE(second.ok()) << second.error().message();
}

TEST(PostgresStore, DisplayLocationDropsThePasswordAndParameters) {
  EXPECT_EQ(DisplayLocation("postgres://ci:Hunter-Pass@db.example:5433/bulwark?sslmode=require"),
            "postgresql://ci@db.example:5433/bulwark");
  EXPECT_EQ(DisplayLocation("/var/lib/bulwark/bulwark.db"), "/var/lib/bulwark/bulwark.db");
}

TEST(SqliteStore, RefusesUnwritableLocation) {
  auto opened = OpenSqliteStore("/proc/bulwark-cannot-exist/store.db");

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kIo);
  EXPECT_NE(opened.error().message().find("/proc/bulwark-cannot-exist"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::store
