#include "scan/inventory_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bulwark::scan {
namespace {

TEST(InventoryCodec, RoundTripsUsersAndPasswdFound) {
  catalog::Inventory inventory;
  inventory.os.found = true;
  inventory.os.id = "debian";
  inventory.users = {{"root", 0, 0}, {"appuser", 1000, 1000}, {"max", 4294967295, 65534}};
  inventory.passwd_found = true;

  auto decoded = DecodeInventory(EncodeInventory(inventory));

  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(decoded->os.id, "debian");
  EXPECT_EQ(decoded->users, inventory.users);
  EXPECT_TRUE(decoded->passwd_found);
}

TEST(InventoryCodec, DecodesInventoryStoredBeforeUsersWereCatalogued) {
  const std::string stored =
      R"({"os":{"found":true,"sourcePath":"etc/os-release","id":"debian","idLike":"",)"
      R"("versionId":"12","versionCodename":"bookworm","prettyName":"Debian 12"},)"
      R"("packages":[],"coverageGaps":[]})";

  auto decoded = DecodeInventory(stored);

  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(decoded->os.version_id, "12");
  EXPECT_TRUE(decoded->users.empty());
  EXPECT_FALSE(decoded->passwd_found);
}

TEST(InventoryCodec, RejectsMalformedUsers) {
  const std::string stored =
      R"({"os":{"found":false,"sourcePath":"","id":"","idLike":"","versionId":"",)"
      R"("versionCodename":"","prettyName":""},"packages":[],"coverageGaps":[],)"
      R"("users":[{"name":"root","uid":"zero","gid":0}],"passwdFound":true})";

  auto decoded = DecodeInventory(stored);

  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kCorruptInput);
}

}  // namespace
}  // namespace bulwark::scan
