// Which layer introduced each package: the fact that lets a policy tell the
// base image's findings from the image's own.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "scan/scanner.h"
#include "testing/image_builder.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::scan {
namespace {

namespace fs = std::filesystem;
using testing::ImageBuilder;
using testing::TarBuilder;
using testing::TestImage;

// A dpkg status file listing `packages` (name -> version), all installed.
std::string Status(const std::map<std::string, std::string>& packages) {
  std::string text;
  for (const auto& [name, version] : packages) {
    text += "Package: " + name + "\nStatus: install ok installed\nArchitecture: amd64\nVersion: " +
            version + "\n\n";
  }
  return text;
}

std::string StatusLayer(const std::map<std::string, std::string>& packages) {
  return TarBuilder()
      .File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
      .File("var/lib/dpkg/status", Status(packages))
      .Finish();
}

class LayerAttributionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = bulwark::testing::MakeTempDir();
    auto store = store::OpenSqliteStore(dir_ + "/store.db");
    ASSERT_TRUE(store.ok()) << store.error().message();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // Scans an OCI layout of `layers` and returns package name -> layer index.
  std::map<std::string, int> LayersOf(const std::vector<std::string>& layers,
                                      const std::string& name) {
    ImageBuilder builder;
    TestImage image;
    image.layers = layers;
    builder.AddImage(image);
    builder.WriteOciLayout(dir_ + "/" + name);
    Scanner scanner(*store_);
    ScanOptions options;
    options.source = "oci:" + dir_ + "/" + name;
    auto analysis = scanner.Analyze(options);
    EXPECT_TRUE(analysis.ok()) << analysis.error().message();
    std::map<std::string, int> found;
    if (!analysis.ok()) return found;
    for (const catalog::Package& package : analysis->inventory.packages) {
      found[package.name] = package.layer_index;
    }
    return found;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(LayerAttributionTest, UpgradedAndAddedPackagesBelongToTheLayerThatChangedThem) {
  std::vector<std::string> layers = {
      StatusLayer({{"libc6", "2.36-9"}, {"openssl", "3.0.11-1"}}),
      TarBuilder().File("usr/local/bin/app", "#!/bin/sh\n").Finish(),
      StatusLayer({{"libc6", "2.36-9"}, {"openssl", "3.0.13-1"}, {"curl", "7.88.1-10"}}),
  };

  std::map<std::string, int> found = LayersOf(layers, "upgrade");

  EXPECT_EQ(found["libc6"], 0);
  EXPECT_EQ(found["openssl"], 2);
  EXPECT_EQ(found["curl"], 2);
}

TEST_F(LayerAttributionTest, PackageRemovedAndInstalledAgainBelongsToTheLayerThatAddedItBack) {
  std::vector<std::string> layers = {
      StatusLayer({{"libc6", "2.36-9"}, {"telnet", "0.17-44"}}),
      StatusLayer({{"libc6", "2.36-9"}}),
      StatusLayer({{"libc6", "2.36-9"}, {"telnet", "0.17-44"}}),
  };

  std::map<std::string, int> found = LayersOf(layers, "readd");

  EXPECT_EQ(found["libc6"], 0);
  EXPECT_EQ(found["telnet"], 2);
}

TEST_F(LayerAttributionTest, AttributionSurvivesTheLayerCache) {
  std::vector<std::string> layers = {
      StatusLayer({{"libc6", "2.36-9"}}),
      StatusLayer({{"libc6", "2.36-9"}, {"zlib1g", "1:1.2.13.dfsg-1"}}),
  };
  std::map<std::string, int> cold = LayersOf(layers, "cold");

  std::map<std::string, int> warm = LayersOf(layers, "warm");

  EXPECT_EQ(cold, warm);
  EXPECT_EQ(warm["libc6"], 0);
  EXPECT_EQ(warm["zlib1g"], 1);
}

TEST_F(LayerAttributionTest, DatabaseWhitedOutAndRewrittenCountsFromTheRewrite) {
  std::vector<std::string> layers = {
      StatusLayer({{"libc6", "2.36-9"}}),
      TarBuilder().File("var/lib/dpkg/.wh.status", "").Finish(),
      StatusLayer({{"libc6", "2.36-9"}}),
  };

  std::map<std::string, int> found = LayersOf(layers, "whiteout");

  EXPECT_EQ(found["libc6"], 2);
}

}  // namespace
}  // namespace bulwark::scan
