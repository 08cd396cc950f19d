#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/store.h"
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

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir();
    auto opened = OpenSqliteStore(dir_ + "/store.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    store_ = std::move(opened).value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, RegistersAndMergesNames) {
  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1'), D('2')}, {"x/base:1"})).ok());

  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1'), D('2')}, {"x/base:latest"})).ok());
  auto images = store_->ListImages();

  ASSERT_TRUE(images.ok());
  ASSERT_EQ(images->size(), 1u);
  EXPECT_EQ((*images)[0].names, (std::vector<std::string>{"x/base:1", "x/base:latest"}));
  EXPECT_EQ((*images)[0].chain, (std::vector<Digest>{D('1'), D('2')}));
}

TEST_F(SqliteStoreTest, RemovesImageAndItsNames) {
  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1')}, {"x/base:1"})).ok());

  auto removed = store_->RemoveImage(D('a'));
  auto removed_again = store_->RemoveImage(D('a'));
  auto images = store_->ListImages();

  ASSERT_TRUE(removed.ok());
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(*removed_again);
  EXPECT_TRUE(images->empty());
}

TEST_F(SqliteStoreTest, CachesLayersByBlobAndVersionKey) {
  std::string value("\0binary\xff", 8);

  ASSERT_TRUE(store_->PutLayer(D('b'), "dpkg:1", value).ok());
  auto hit = store_->GetLayer(D('b'), "dpkg:1");
  auto other_version = store_->GetLayer(D('b'), "dpkg:2");

  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ(**hit, value);
  EXPECT_FALSE(other_version->has_value());
}

TEST_F(SqliteStoreTest, ReplacesPolicyByName) {
  ASSERT_TRUE(store_->PutPolicy({"default", "a: 1", Sha256Of("a: 1"), ""}).ok());

  ASSERT_TRUE(store_->PutPolicy({"default", "b: 2", Sha256Of("b: 2"), ""}).ok());
  auto policies = store_->ListPolicies();

  ASSERT_TRUE(policies.ok());
  ASSERT_EQ(policies->size(), 1u);
  EXPECT_EQ((*policies)[0].document, "b: 2");
}

TEST_F(SqliteStoreTest, ReopensExistingDatabase) {
  ASSERT_TRUE(store_->RegisterImage(MakeImage('a', {D('1')}, {"x/base:1"})).ok());
  store_.reset();

  auto reopened = OpenSqliteStore(dir_ + "/store.db");

  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->ListImages()->size(), 1u);
}

TEST(SqliteStore, ParallelOpensOfANewStoreAllSucceed) {
  std::string dir = bulwark::testing::MakeTempDir();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};

  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto opened = OpenSqliteStore(dir + "/store.db");
      if (!opened.ok() || !(*opened)->ListImages().ok()) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  std::filesystem::remove_all(dir);
}

TEST(SqliteStore, RefusesUnwritableLocation) {
  auto opened = OpenSqliteStore("/proc/bulwark-cannot-exist/store.db");

  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kIo);
  EXPECT_NE(opened.error().message().find("/proc/bulwark-cannot-exist"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::store
