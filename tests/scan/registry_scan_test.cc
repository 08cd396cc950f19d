// The scanner on registry sources: what a registry sends is held to the same
// digests as any other source (blob digest and diff_id checked while reading).
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "scan/scanner.h"
#include "testing/image_builder.h"
#include "testing/registry_server.h"
#include "testing/run_command.h"
#include "testing/tar_builder.h"
#include "testing/test_data.h"

namespace bulwark::scan {
namespace {

namespace fs = std::filesystem;
using testing::ImageBuilder;
using testing::TarBuilder;
using testing::TestImage;

TestImage Image(const std::string& marker) {
  TestImage image;
  image.layer_compression = testing::TarCompression::kGzip;
  image.layers = {TarBuilder()
                      .File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                      .File("opt/" + marker, testing::IncompressibleBytes(256 * 1024))
                      .Finish()};
  return image;
}

class RegistryScan : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeTempDir();
    registry_ = std::make_unique<testing::RegistryServer>(dir_ + "/registry",
                                                          testing::RegistryServerOptions{});
    std::string error = registry_->Start();
    if (!error.empty()) GTEST_SKIP() << "registry server unavailable: " << error;
    auto store = store::OpenSqliteStore(dir_ + "/store.db");
    ASSERT_TRUE(store.ok()) << store.error().message();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    store_.reset();
    registry_.reset();
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  void Push(const TestImage& image, const std::string& name) {
    ImageBuilder builder;
    TestImage tagged = image;
    tagged.tag = "v1";
    builder.AddImage(tagged);
    builder.WriteOciLayout(dir_ + "/" + name);
    ASSERT_EQ(registry_->Push("oci:" + dir_ + "/" + name + ":v1", name + ":1"), "");
  }

  Result<Analysis> Analyze(const std::string& source) {
    Scanner scanner(*store_);
    ScanOptions options;
    options.source = source;
    return scanner.Analyze(options);
  }

  std::string dir_;
  std::unique_ptr<testing::RegistryServer> registry_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(RegistryScan, RefusesAnImageWhoseConfigClaimsAnotherLayersDiffId) {
  ImageBuilder honest;
  testing::WrittenImage base = honest.AddImage(Image("approved"));
  TestImage forged = Image("rogue");
  forged.forged_diff_ids = base.diff_ids;
  Push(forged, "forged");

  auto analysis = Analyze("docker://" + registry_->host() + "/forged:1");

  ASSERT_FALSE(analysis.ok());
  EXPECT_EQ(analysis.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(analysis.error().message().find("the image config says " + base.diff_ids[0]),
            std::string::npos)
      << analysis.error().message();
}

TEST_F(RegistryScan, RefusesALayerBlobAlteredInTransit) {
  Push(Image("app"), "app");
  testing::ChildProcess front;
  std::string script = std::string(BULWARK_SOURCE_DIR) + "/tests/testing/registry_front.py";
  ASSERT_EQ(front.Start({"/usr/bin/python3", script, "tamper", "http://" + registry_->host(),
                         dir_ + "/tamper.log", dir_ + "/tamper.port"},
                        dir_ + "/tamper.out"),
            "");
  ASSERT_EQ(front.WaitForFile(dir_ + "/tamper.port"), "");
  std::string tampering = "127.0.0.1:" + testing::ReadFile(dir_ + "/tamper.port");

  // Altered first, read in full: the gzip stream breaks. Then, with the honest
  // layer's analysis cached under its blob digest, only the blob's hash can
  // tell the altered bytes apart, and it does.
  auto altered = Analyze("docker://" + tampering + "/app:1");
  auto direct = Analyze("docker://" + registry_->host() + "/app:1");
  auto altered_cached = Analyze("docker://" + tampering + "/app:1");

  ASSERT_FALSE(altered.ok());
  EXPECT_EQ(altered.error().code(), ErrorCode::kCorruptInput) << altered.error().message();
  ASSERT_TRUE(direct.ok()) << direct.error().message();
  EXPECT_EQ(direct->inventory.os.id, "debian");
  ASSERT_FALSE(altered_cached.ok());
  EXPECT_EQ(altered_cached.error().code(), ErrorCode::kCorruptInput);
  EXPECT_NE(altered_cached.error().message().find("blob hashes to"), std::string::npos)
      << altered_cached.error().message();
}

}  // namespace
}  // namespace bulwark::scan
