#include "catalog/passwd_cataloger.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "layer/merged_fs.h"

namespace bulwark::catalog {
namespace {

using namespace std::string_literals;

// A layer holding regular files (kept) and symlinks, built by hand.
layer::LayerContents MakeLayer(const std::map<std::string, std::string>& files,
                               const std::map<std::string, std::string>& symlinks = {}) {
  layer::LayerContents contents;
  for (const auto& [path, body] : files) {
    contents.entries.push_back({path, layer::EntryType::kFile, "", body.size(), 0644, 0, 0});
    contents.files[path] = body;
  }
  for (const auto& [path, target] : symlinks) {
    contents.entries.push_back({path, layer::EntryType::kSymlink, target, 0, 0777, 0, 0});
  }
  return contents;
}

// The start of Debian 12's /etc/passwd (from base-passwd) plus a user added
// by useradd, as in the approved-base fixture image.
constexpr char kDebianPasswd[] =
    "root:x:0:0:root:/root:/bin/bash\n"
    "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "bin:x:2:2:bin:/bin:/usr/sbin/nologin\n"
    "_apt:x:42:65534::/nonexistent:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
    "appuser:x:1000:1000::/home/appuser:/bin/bash\n";

TEST(PasswdCataloger, ParsesAccountsInFileOrder) {
  auto users = ParsePasswd(kDebianPasswd, "etc/passwd");

  ASSERT_TRUE(users.ok()) << users.error().message();
  ASSERT_EQ(users->size(), 6u);
  EXPECT_EQ(users->front(), (UserAccount{"root", 0, 0}));
  EXPECT_EQ((*users)[3], (UserAccount{"_apt", 42, 65534}));
  EXPECT_EQ(users->back(), (UserAccount{"appuser", 1000, 1000}));
}

TEST(PasswdCataloger, SkipsBlankCommentAndNisLines) {
  const std::string text =
      "# local accounts\n"
      "\n"
      "  \t\n"
      "toor:x:0:0::/root:/bin/sh\r\n"
      "+nisuser::::::\n"
      "-hidden::::::\n"
      "+\n";

  auto users = ParsePasswd(text, "etc/passwd");

  ASSERT_TRUE(users.ok()) << users.error().message();
  EXPECT_EQ(*users, (std::vector<UserAccount>{{"toor", 0, 0}}));
}

TEST(PasswdCataloger, KeepsEveryEntryOfANameListedTwice) {
  const std::string text = "app:x:1000:1000::/home/app:/bin/sh\napp:x:0:0::/root:/bin/sh\n";

  auto users = ParsePasswd(text, "etc/passwd");

  ASSERT_TRUE(users.ok()) << users.error().message();
  EXPECT_EQ(*users, (std::vector<UserAccount>{{"app", 1000, 1000}, {"app", 0, 0}}));
}

TEST(PasswdCataloger, ReadsZeroInAnySpellingAndTheLargestId) {
  const std::string text = "toor:x:000:0::/:/bin/sh\nmax:x:4294967295:4294967295::/:/bin/sh\n";

  auto users = ParsePasswd(text, "etc/passwd");

  ASSERT_TRUE(users.ok()) << users.error().message();
  EXPECT_EQ(*users, (std::vector<UserAccount>{{"toor", 0, 0}, {"max", 4294967295, 4294967295}}));
}

TEST(PasswdCataloger, RejectsMalformedLinesNamingFileAndLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"root:x:0:0:root:/root\n", "etc/passwd line 1: 6 fields, expected 7"},
      {"root:x:0:0:root:/root:/bin/sh:extra\n", "etc/passwd line 1: 8 fields, expected 7"},
      {"# c\nnocolons\n", "etc/passwd line 2: 1 fields, expected 7"},
      {":x:0:0::/:/bin/sh\n", "etc/passwd line 1: empty user name"},
      {"a:x::0::/:/bin/sh\n", "etc/passwd line 1: uid is not a number"},
      {"a:x:-1:0::/:/bin/sh\n", "etc/passwd line 1: uid is not a number"},
      {"a:x: 0:0::/:/bin/sh\n", "etc/passwd line 1: uid is not a number"},
      {"a:x:4294967296:0::/:/bin/sh\n", "etc/passwd line 1: uid is not a number"},
      {"a:x:0:zero::/:/bin/sh\n", "etc/passwd line 1: gid is not a number"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);

    auto users = ParsePasswd(text, "etc/passwd");

    ASSERT_FALSE(users.ok());
    EXPECT_EQ(users.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(users.error().message().find(message), std::string::npos) << users.error().message();
  }
}

TEST(PasswdCataloger, RefusesControlBytesNamingFileAndLine) {
  const std::string cases[] = {
      "root:x:0:0:root:/root:/bin/sh\napp\0:x:0:0::/:/bin/sh\n"s,
      "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:\x7f:/:/bin/sh\n",
  };
  for (const std::string& text : cases) {
    SCOPED_TRACE(text);

    auto users = ParsePasswd(text, "etc/passwd");

    ASSERT_FALSE(users.ok());
    EXPECT_EQ(users.error().code(), ErrorCode::kCorruptInput);
    EXPECT_NE(users.error().message().find("etc/passwd line 2: "), std::string::npos)
        << users.error().message();
    EXPECT_NE(users.error().message().find("control byte"), std::string::npos);
  }
}

TEST(PasswdCataloger, RefusesOversizedFileAndLine) {
  std::string huge_file(64u << 20, '\n');
  huge_file += "x";
  std::string huge_line = "root:x:0:0:root:/root:/bin/sh\n# " + std::string(1u << 20, 'x') + "\n";

  auto file = ParsePasswd(huge_file, "etc/passwd");
  auto line = ParsePasswd(huge_line, "etc/passwd");

  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kLimitExceeded);
  ASSERT_FALSE(line.ok());
  EXPECT_EQ(line.error().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(line.error().message().find("etc/passwd line 2"), std::string::npos);
}

TEST(PasswdCataloger, ReadsEtcPasswdFromTheMergedFilesystem) {
  layer::LayerContents base = MakeLayer({{"etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"}});
  layer::LayerContents upper =
      MakeLayer({{"etc/passwd", "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\n"}});
  auto fs = layer::MergedFs::Build({&base, &upper});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = PasswdCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_TRUE(inventory.passwd_found);
  EXPECT_EQ(inventory.users, (std::vector<UserAccount>{{"root", 0, 0}, {"toor", 0, 0}}));
}

TEST(PasswdCataloger, FollowsSymlinkedEtcPasswd) {
  layer::LayerContents base = MakeLayer({{"etc/passwd.real", "app:x:1000:1000::/:/bin/sh\n"}},
                                        {{"etc/passwd", "/etc/passwd.real"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = PasswdCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_TRUE(inventory.passwd_found);
  EXPECT_EQ(inventory.users, (std::vector<UserAccount>{{"app", 1000, 1000}}));
}

TEST(PasswdCataloger, FindsNothingWithoutEtcPasswd) {
  layer::LayerContents base = MakeLayer({{"etc/os-release", "ID=debian\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = PasswdCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_FALSE(inventory.passwd_found);
  EXPECT_TRUE(inventory.users.empty());
}

TEST(PasswdCataloger, SeesEtcPasswdDeletedByUpperLayer) {
  layer::LayerContents base = MakeLayer({{"etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"}});
  layer::LayerContents upper;
  upper.whiteouts.push_back("etc/passwd");
  auto fs = layer::MergedFs::Build({&base, &upper});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = PasswdCataloger().Catalog(*fs, inventory);

  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_FALSE(inventory.passwd_found);
}

TEST(PasswdCataloger, ReturnsParseErrorsWithoutSettingFound) {
  layer::LayerContents base = MakeLayer({{"etc/passwd", "root:x:0:0\n"}});
  auto fs = layer::MergedFs::Build({&base});
  ASSERT_TRUE(fs.ok()) << fs.error().message();
  Inventory inventory;

  Status status = PasswdCataloger().Catalog(*fs, inventory);

  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(status.error().message().find("etc/passwd line 1"), std::string::npos);
  EXPECT_FALSE(inventory.passwd_found);
}

TEST(PasswdCataloger, AsksForEtcPasswdOnly) {
  auto wanted = PasswdCataloger().WantedPaths();

  ASSERT_EQ(wanted.size(), 1u);
  EXPECT_EQ(wanted[0].path, "etc/passwd");
  EXPECT_FALSE(wanted[0].children);
}

}  // namespace
}  // namespace bulwark::catalog
