#include "common/digest.h"

#include <gtest/gtest.h>

namespace bulwark {
namespace {

TEST(Digest, HashesKnownVector) {
  Digest digest = Sha256Of("abc");

  EXPECT_EQ(digest.str(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, ParsesAndRefusesMalformed) {
  auto good = Digest::Parse(
      "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto short_hex = Digest::Parse("sha256:abc");
  auto upper = Digest::Parse(
      "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD");
  auto other = Digest::Parse("sha512:abcd");

  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->hex().size(), 64u);
  EXPECT_EQ(short_hex.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(upper.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(other.error().code(), ErrorCode::kUnsupported);
}

TEST(Digest, IncrementalEqualsOneShot) {
  Sha256 hasher;
  hasher.Update("a");
  hasher.Update("bc");

  EXPECT_EQ(hasher.Finish(), Sha256Of("abc"));
}

}  // namespace
}  // namespace bulwark
