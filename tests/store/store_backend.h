// The store suites run on both databases (issue #5): each test gets a fresh
// SQLite file or a fresh database on the test run's PostgreSQL.
#ifndef BULWARK_TESTS_STORE_STORE_BACKEND_H_
#define BULWARK_TESTS_STORE_STORE_BACKEND_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"
#include "testing/postgres_server.h"
#include "testing/test_data.h"

namespace bulwark::store {

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// A fixture opening store_ at location_ on GetParam()'s database. Tests on
// PostgreSQL skip, saying why, only when its binaries are not installed.
class StoreBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir();
    location_ = NewLocation();
    if (location_.empty()) return;  // Skipped or failed, with the reason given.
    auto opened = OpenStoreAt(location_);
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    store_ = std::move(opened).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Where a new, empty store can be made: "" after GTEST_SKIP or a failure.
  std::string NewLocation() {
    if (GetParam() == Backend::kSqlite) {
      return dir_ + "/store" + std::to_string(++stores_) + ".db";
    }
    std::string reason;
    bulwark::testing::PostgresServer* server = bulwark::testing::PostgresServer::Shared(&reason);
    if (server == nullptr) {
      Skip(reason);
      return "";
    }
    return server->NewDatabase();
  }

  std::string dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
  int stores_ = 0;

 private:
  void Skip(const std::string& reason) { GTEST_SKIP() << reason; }
};

}  // namespace bulwark::store

#endif  // BULWARK_TESTS_STORE_STORE_BACKEND_H_
