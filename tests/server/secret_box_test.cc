// The server key and the sealing of registry secrets (issue #5).
#include "server/secret_box.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "testing/test_data.h"

namespace bulwark::server {
namespace {

namespace fs = std::filesystem;

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = testing::MakeTempDir();
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  std::string dir_;
};

TEST_F(SecretBoxTest, MakesAPrivateKeyFileAndReadsItBack) {
  std::string path = dir_ + "/data/server.key";

  auto first = SecretBox::LoadOrCreate(path);
  ASSERT_TRUE(first.ok()) << first.error().message();
  std::string sealed = first->Seal("s3cret-pass");
  auto second = SecretBox::LoadOrCreate(path);
  ASSERT_TRUE(second.ok()) << second.error().message();
  auto opened = second->Open(sealed);

  ASSERT_TRUE(opened.ok()) << opened.error().message();
  EXPECT_EQ(*opened, "s3cret-pass");
  EXPECT_EQ(fs::file_size(path), 32u);
  EXPECT_EQ(fs::status(path).permissions() & (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);
}

TEST_F(SecretBoxTest, SealsEachValueWithAFreshNonce) {
  auto box = SecretBox::LoadOrCreate(dir_ + "/server.key");
  ASSERT_TRUE(box.ok());

  std::string once = box->Seal("same secret");
  std::string twice = box->Seal("same secret");

  EXPECT_NE(once, twice);
  EXPECT_EQ(once.find("same secret"), std::string::npos);
  EXPECT_EQ(box->Seal(""), "");
  EXPECT_EQ(*box->Open(""), "");
}

TEST_F(SecretBoxTest, RefusesASecretSealedWithAnotherKeyOrTamperedWith) {
  auto ours = SecretBox::LoadOrCreate(dir_ + "/ours.key");
  auto theirs = SecretBox::LoadOrCreate(dir_ + "/theirs.key");
  ASSERT_TRUE(ours.ok() && theirs.ok());
  std::string sealed = theirs->Seal("s3cret-pass");
  std::string tampered = ours->Seal("s3cret-pass");
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';

  auto foreign = ours->Open(sealed);
  auto changed = ours->Open(tampered);
  auto garbage = ours->Open("not base64 !!");

  for (const auto* result : {&foreign, &changed, &garbage}) {
    ASSERT_FALSE(result->ok());
    EXPECT_EQ(result->error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(result->error().message().find("ours.key"), std::string::npos);
    EXPECT_EQ(result->error().message().find("s3cret"), std::string::npos);
  }
}

TEST_F(SecretBoxTest, RefusesAKeyFileOthersMayReadOrOfTheWrongSize) {
  std::string open_path = dir_ + "/open.key";
  std::string short_path = dir_ + "/short.key";
  std::ofstream(open_path) << std::string(32, 'k');
  ::chmod(open_path.c_str(), 0644);
  std::ofstream(short_path) << "too short";
  ::chmod(short_path.c_str(), 0600);

  auto open = SecretBox::LoadOrCreate(open_path);
  auto short_key = SecretBox::LoadOrCreate(short_path);

  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(open.error().message().find("chmod 600"), std::string::npos);
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.error().message().find("not 32 bytes"), std::string::npos);
}

}  // namespace
}  // namespace bulwark::server
