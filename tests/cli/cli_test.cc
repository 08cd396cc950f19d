// End-to-end tests of the bulwark binary on the real Debian fixture images
// (tests/fixtures/make-images.sh; $BULWARK_FIXTURES). One test at least per exit code.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "common/digest.h"
#include "testing/run_command.h"
#include "testing/test_data.h"

namespace bulwark {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CommandResult;

constexpr char kBaseName[] = "registry.example.com/base:1.0";

class BulwarkCli : public ::testing::Test {
 protected:
  void SetUp() override {
    fixtures_ = testing::FixturesDir();
    if (fixtures_.empty()) {
      GTEST_SKIP() << "BULWARK_FIXTURES is not set: build the images with "
                      "tests/fixtures/make-images.sh DIR (make test does)";
    }
    dir_ = testing::MakeTempDir();
    data_dir_ = dir_ + "/store";
  }
  void TearDown() override {
    if (!dir_.empty() && !HasFailure()) fs::remove_all(dir_);
  }

  CommandResult Run(const std::vector<std::string>& args) {
    return testing::RunCommand(testing::BulwarkBinary(), args, data_dir_);
  }
  std::string Fixture(const std::string& name) const { return fixtures_ + "/" + name; }
  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  // Registers approved-base as kBaseName and writes the demo policy; returns its path.
  std::string RegisterBaseAndWritePolicy(bool enforce = true) {
    CommandResult registered = Run({"image", "register",
                                    "oci-archive:" + Fixture("approved-base.oci.tar"), "--name",
                                    kBaseName});
    EXPECT_EQ(registered.exit_code, 0) << registered.err;
    return WriteFile("policy.yaml", std::string("name: default\nenforce: ") +
                                        (enforce ? "true" : "false") +
                                        "\ncontrols:\n"
                                        "  approvedBaseImages:\n"
                                        "    - registry.example.com/base:1.0\n"
                                        "  blockedPackages:\n"
                                        "    - name: telnet\n"
                                        "  superuser: deny\n");
  }
  static json ReadJson(const std::string& path) {
    return json::parse(testing::ReadFile(path), nullptr, /*allow_exceptions=*/false);
  }

  std::string fixtures_;
  std::string dir_;
  std::string data_dir_;
};

TEST_F(BulwarkCli, AppOnApprovedBaseIsCompliant) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan = Run({"scan", "docker-archive:" + Fixture("app-on-approved.docker.tar"),
                            "--policy", policy, "--html", dir_ + "/r.html", "--json",
                            dir_ + "/r.json"});

  EXPECT_EQ(scan.exit_code, 0) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("COMPLIANT"), std::string::npos) << scan.out;
  EXPECT_TRUE(fs::exists(dir_ + "/r.html"));
  json report = ReadJson(dir_ + "/r.json");
  ASSERT_FALSE(report.is_discarded());
  // The template library escapes '/' as &#x2F; (harmless in HTML).
  EXPECT_NE(testing::ReadFile(dir_ + "/r.html").find("registry.example.com&#x2F;base:1.0"),
            std::string::npos);
}

TEST_F(BulwarkCli, AppOnPlainDebianFailsWithExitFour) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan = Run({"scan", "oci:" + Fixture("oci/app-on-debian") + ":latest",
                            "--policy", policy, "--html", dir_ + "/r.html", "--json",
                            dir_ + "/r.json"});

  EXPECT_EQ(scan.exit_code, 4) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("approvedBaseImages"), std::string::npos) << scan.out;
  EXPECT_NE(scan.out.find(kBaseName), std::string::npos) << scan.out;
  std::string html = testing::ReadFile(dir_ + "/r.html");
  EXPECT_NE(html.find("NON-COMPLIANT"), std::string::npos);
  EXPECT_NE(html.find("approvedBaseImages"), std::string::npos);
  std::string json_text = testing::ReadFile(dir_ + "/r.json");
  EXPECT_NE(json_text.find("approvedBaseImages"), std::string::npos);
}

TEST_F(BulwarkCli, ApprovedBaseScannedAsItselfComplies) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan =
      Run({"scan", "oci:" + Fixture("oci/approved-base"), "--policy", policy});

  EXPECT_EQ(scan.exit_code, 0) << scan.out << scan.err;
}

TEST_F(BulwarkCli, RootUserFailsSuperuserControl) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan = Run({"scan", Fixture("app-root.oci.tar"), "--policy", policy});

  EXPECT_EQ(scan.exit_code, 4) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("superuser"), std::string::npos) << scan.out;
}

TEST_F(BulwarkCli, AuditOnlyPolicyReportsButExitsZero) {
  std::string policy = RegisterBaseAndWritePolicy(/*enforce=*/false);

  CommandResult scan = Run({"scan", "oci-archive:" + Fixture("app-on-debian.oci.tar"),
                            "--policy", policy, "--json", dir_ + "/r.json"});

  EXPECT_EQ(scan.exit_code, 0) << scan.out << scan.err;
  EXPECT_NE(scan.out.find("NON-COMPLIANT"), std::string::npos) << scan.out;
}

TEST_F(BulwarkCli, PolicyApprovingUnregisteredBaseIsRefusedWithExitTwo) {
  std::string policy = WriteFile("p.yaml",
                                 "name: p\ncontrols:\n  approvedBaseImages:\n"
                                 "    - registry.example.com/base:2.0\n");

  CommandResult apply = Run({"policy", "apply", policy});
  CommandResult scan = Run({"scan", Fixture("app-on-approved.oci.tar"), "--policy", policy});

  EXPECT_EQ(apply.exit_code, 2);
  EXPECT_NE(apply.err.find("registry.example.com/base:2.0"), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find("bulwark image register"), std::string::npos) << apply.err;
  EXPECT_EQ(scan.exit_code, 2) << scan.err;
}

TEST_F(BulwarkCli, InvalidPolicyNamesFileAndLine) {
  std::string policy = WriteFile("bad.yaml", "name: bad\ncontrols:\n  superuser: maybe\n");

  CommandResult apply = Run({"policy", "apply", policy});

  EXPECT_EQ(apply.exit_code, 2);
  EXPECT_NE(apply.err.find("bad.yaml"), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find("line 3"), std::string::npos) << apply.err;
}

TEST_F(BulwarkCli, UnknownFlagExitsTwo) {
  CommandResult result = Run({"scan", "--no-such-flag", "x"});

  EXPECT_EQ(result.exit_code, 2);
}

TEST_F(BulwarkCli, MissingSourceExitsThree) {
  CommandResult result = Run({"scan", dir_ + "/does-not-exist.tar", "--inventory-only"});

  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("does-not-exist.tar"), std::string::npos) << result.err;
}

// Copies an OCI layout so a test can damage it.
std::string CopyLayout(const std::string& from, const std::string& to) {
  fs::copy(from, to, fs::copy_options::recursive);
  return to;
}

// The blob file of the image's top layer in an OCI layout with one image.
std::string TopLayerBlob(const std::string& layout) {
  json index = json::parse(testing::ReadFile(layout + "/index.json"));
  std::string manifest_digest = index["manifests"][0]["digest"];
  json manifest =
      json::parse(testing::ReadFile(layout + "/blobs/sha256/" + manifest_digest.substr(7)));
  std::string layer = manifest["layers"].back()["digest"];
  return layout + "/blobs/sha256/" + layer.substr(7);
}

TEST_F(BulwarkCli, CorruptLayerExitsThreeAndReportSaysSo) {
  std::string layout = CopyLayout(Fixture("oci/app-on-approved"), dir_ + "/corrupt");
  std::string blob = TopLayerBlob(layout);
  std::string bytes = testing::ReadFile(blob);
  bytes[bytes.size() / 2] ^= 0x55;
  fs::permissions(blob, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(blob, std::ios::binary | std::ios::trunc) << bytes;

  CommandResult scan = Run({"scan", "oci:" + layout, "--inventory-only", "--json", dir_ + "/r.json"});

  EXPECT_EQ(scan.exit_code, 3) << scan.out << scan.err;
  EXPECT_NE(scan.err.find("layer 3"), std::string::npos) << scan.err;
  json report = ReadJson(dir_ + "/r.json");
  ASSERT_TRUE(report.is_object());
  ASSERT_TRUE(report["elapsedMs"].is_number()) << report.dump();
  EXPECT_GT(report["elapsedMs"].get<double>(), 0.0) << "a failed scan ran for some time too";
}

TEST_F(BulwarkCli, ReportsSayHowLongTheScanTook) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan = Run({"scan", "oci-archive:" + Fixture("app-on-approved.oci.tar"),
                            "--policy", policy, "--json", dir_ + "/r.json", "--junit",
                            dir_ + "/r.xml"});

  ASSERT_EQ(scan.exit_code, 0) << scan.out << scan.err;
  json report = ReadJson(dir_ + "/r.json");
  ASSERT_TRUE(report["elapsedMs"].is_number()) << report.dump();
  double elapsed = report["elapsedMs"].get<double>();
  // Reading and hashing a 49 MB image takes some milliseconds and far less than a minute.
  EXPECT_GT(elapsed, 1.0);
  EXPECT_LT(elapsed, 60000.0);
  std::string junit = testing::ReadFile(dir_ + "/r.xml");
  size_t suites = junit.find("<testsuites");
  ASSERT_NE(suites, std::string::npos) << junit.substr(0, 300);
  std::string suites_tag = junit.substr(suites, junit.find('>', suites) - suites);
  EXPECT_NE(suites_tag.find(" time=\""), std::string::npos) << suites_tag;
  EXPECT_EQ(suites_tag.find(" time=\"0.000\""), std::string::npos) << suites_tag;
}

// Rewrites an OCI layout's config (and so its manifest and index) with `edit`.
void ForgeConfig(const std::string& layout, const std::function<void(json&)>& edit) {
  auto write_blob = [&](const std::string& text) {
    Digest digest = Sha256Of(text);
    std::ofstream(layout + "/blobs/sha256/" + digest.hex(), std::ios::binary) << text;
    return std::make_pair(digest.str(), text.size());
  };
  json index = json::parse(testing::ReadFile(layout + "/index.json"));
  std::string manifest_digest = index["manifests"][0]["digest"];
  json manifest =
      json::parse(testing::ReadFile(layout + "/blobs/sha256/" + manifest_digest.substr(7)));
  std::string config_digest = manifest["config"]["digest"];
  json config = json::parse(testing::ReadFile(layout + "/blobs/sha256/" + config_digest.substr(7)));
  edit(config);
  auto [new_config, config_size] = write_blob(config.dump());
  manifest["config"]["digest"] = new_config;
  manifest["config"]["size"] = config_size;
  auto [new_manifest, manifest_size] = write_blob(manifest.dump());
  index["manifests"][0]["digest"] = new_manifest;
  index["manifests"][0]["size"] = manifest_size;
  std::ofstream(layout + "/index.json") << index.dump();
}

TEST_F(BulwarkCli, ForgedConfigClaimingApprovedChainIsCaught) {
  std::string policy = RegisterBaseAndWritePolicy();
  // app-on-debian has two layers (debian, app); the forgery claims the approved base's
  // two diff_ids over those same bytes, so by the config alone it descends from the base.
  CommandResult inspect = Run({"image", "show", kBaseName, "--json"});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  json base = json::parse(inspect.out);
  ASSERT_EQ(base["layers"].size(), 2u);
  std::string layout = CopyLayout(Fixture("oci/app-on-debian"), dir_ + "/forged");
  ForgeConfig(layout, [&](json& config) { config["rootfs"]["diff_ids"] = base["layers"]; });

  CommandResult scan = Run({"scan", "oci:" + layout, "--policy", policy});

  EXPECT_EQ(scan.exit_code, 3) << scan.out << scan.err;
  EXPECT_NE(scan.err.find("diff_id"), std::string::npos) << scan.err;
  EXPECT_EQ(scan.out.find("COMPLIANT\n"), std::string::npos);
}

TEST_F(BulwarkCli, WarmScanReadsLayersFromCache) {
  std::string source = "oci-archive:" + Fixture("app-on-approved.oci.tar");
  CommandResult cold = Run({"scan", source, "--inventory-only", "--json", dir_ + "/cold.json"});

  CommandResult warm = Run({"scan", source, "--inventory-only", "--json", dir_ + "/warm.json"});

  ASSERT_EQ(cold.exit_code, 0) << cold.err;
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  std::string cold_text = testing::ReadFile(dir_ + "/cold.json");
  std::string warm_text = testing::ReadFile(dir_ + "/warm.json");
  EXPECT_EQ(cold_text.find("\"fromCache\": true"), std::string::npos);
  EXPECT_NE(warm_text.find("\"fromCache\": true"), std::string::npos);
}

TEST_F(BulwarkCli, RegisterListShowRemove) {
  CommandResult registered = Run({"image", "register", Fixture("debian-base.docker.tar"),
                                  "--name", "registry.example.com/debian:12"});

  CommandResult list = Run({"image", "list"});
  CommandResult show = Run({"image", "show", "registry.example.com/debian:12"});
  CommandResult removed = Run({"image", "remove", "registry.example.com/debian:12"});
  CommandResult show_after = Run({"image", "show", "registry.example.com/debian:12"});

  EXPECT_EQ(registered.exit_code, 0) << registered.err;
  EXPECT_NE(list.out.find("registry.example.com/debian:12"), std::string::npos) << list.out;
  EXPECT_NE(show.out.find("Debian GNU/Linux 12"), std::string::npos) << show.out;
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(show_after.exit_code, 2);
}

TEST_F(BulwarkCli, ScanRegisterMakesAnImageABase) {
  CommandResult registered = Run({"scan", Fixture("approved-base.docker.tar"), "--inventory-only",
                                  "--register", "--name", kBaseName});
  std::string policy = WriteFile(
      "p.yaml", "name: p\ncontrols:\n  approvedBaseImages:\n    - registry.example.com/base:1.0\n");

  CommandResult scan = Run({"scan", Fixture("oci/app-on-approved"), "--policy", policy});

  EXPECT_EQ(registered.exit_code, 0) << registered.err;
  EXPECT_EQ(scan.exit_code, 0) << scan.out << scan.err;
}

TEST_F(BulwarkCli, PinnedDigestApprovesOnlyThatImage) {
  RegisterBaseAndWritePolicy();
  std::string manifest_digest = testing::ReadFixtureDigests(fixtures_, "approved-base").manifest;
  ASSERT_FALSE(manifest_digest.empty());
  std::string pinned = WriteFile("pinned.yaml",
                                 "name: pinned\ncontrols:\n  approvedBaseImages:\n    - " +
                                     std::string("registry.example.com/base@") + manifest_digest +
                                     "\n");

  CommandResult on_approved = Run({"scan", Fixture("oci/app-on-approved"), "--policy", pinned});
  CommandResult on_debian = Run({"scan", Fixture("oci/app-on-debian"), "--policy", pinned});

  EXPECT_EQ(on_approved.exit_code, 0) << on_approved.out << on_approved.err;
  EXPECT_EQ(on_debian.exit_code, 4) << on_debian.out << on_debian.err;
}

TEST_F(BulwarkCli, ScanWithoutAnyPolicyIsRefusedUnlessInventoryOnly) {
  std::string source = Fixture("app-on-debian.docker.tar");

  CommandResult refused = Run({"scan", source});
  CommandResult inventory = Run({"scan", source, "--inventory-only", "--json", dir_ + "/i.json"});

  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("no policy"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out.find("COMPLIANT"), std::string::npos) << refused.out;
  EXPECT_EQ(inventory.exit_code, 0) << inventory.err;
  EXPECT_NE(inventory.out.find("INVENTORY ONLY"), std::string::npos) << inventory.out;
  EXPECT_EQ(inventory.out.find("COMPLIANT"), std::string::npos) << inventory.out;
  std::string json_text = testing::ReadFile(dir_ + "/i.json");
  EXPECT_NE(json_text.find("\"inventory_only\""), std::string::npos);
  EXPECT_NE(json_text.find("\"packages\""), std::string::npos);
}

TEST_F(BulwarkCli, TwoPoliciesWithOneNameAreRefused) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan =
      Run({"scan", Fixture("app-root.oci.tar"), "--policy", policy, "--policy", policy});

  EXPECT_EQ(scan.exit_code, 2) << scan.out << scan.err;
  EXPECT_NE(scan.err.find("both named"), std::string::npos) << scan.err;
}

TEST_F(BulwarkCli, ReportToADeviceOrSymlinkKeepsIt) {
  std::string policy = RegisterBaseAndWritePolicy();
  std::string target = dir_ + "/real.json";
  std::ofstream(target) << "old";
  fs::create_symlink(target, dir_ + "/link.json");

  CommandResult to_null = Run({"scan", Fixture("app-on-approved.oci.tar"), "--policy", policy,
                               "--json", "/dev/null"});
  CommandResult to_link = Run({"scan", Fixture("app-on-approved.oci.tar"), "--policy", policy,
                               "--json", dir_ + "/link.json"});

  EXPECT_EQ(to_null.exit_code, 0) << to_null.err;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  EXPECT_EQ(to_link.exit_code, 0) << to_link.err;
  EXPECT_TRUE(fs::is_symlink(dir_ + "/link.json"));
  EXPECT_NE(testing::ReadFile(target).find("schemaVersion"), std::string::npos);
}

TEST_F(BulwarkCli, ReportWriteFailureIsExitThree) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "/dev/full is absent on this machine";
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan = Run({"scan", Fixture("app-on-approved.oci.tar"), "--policy", policy,
                            "--json", "/dev/full"});

  EXPECT_EQ(scan.exit_code, 3) << scan.out << scan.err;
  EXPECT_TRUE(fs::is_character_file("/dev/full"));
}

TEST_F(BulwarkCli, UnwritableReportPathIsRefusedBeforeScanning) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan = Run({"scan", Fixture("app-on-approved.oci.tar"), "--policy", policy,
                            "--html", dir_ + "/no/such/dir/r.html"});

  EXPECT_EQ(scan.exit_code, 2) << scan.out << scan.err;
  EXPECT_NE(scan.err.find("--html"), std::string::npos) << scan.err;
}

TEST_F(BulwarkCli, Issue2TwoReportsToOneFileSpeltTwoWaysAreRefused) {
  std::string policy = RegisterBaseAndWritePolicy();
  fs::create_symlink(dir_ + "/r.json", dir_ + "/link.json");

  CommandResult dotted = Run({"scan", Fixture("app-on-approved.oci.tar"), "--policy", policy,
                              "--json", dir_ + "/./r.json", "--sarif", dir_ + "/r.json"});
  CommandResult linked = Run({"scan", Fixture("app-on-approved.oci.tar"), "--policy", policy,
                              "--html", dir_ + "/link.json", "--junit", dir_ + "/r.json"});

  EXPECT_EQ(dotted.exit_code, 2) << dotted.out << dotted.err;
  EXPECT_NE(dotted.err.find("the same file as --json"), std::string::npos) << dotted.err;
  EXPECT_EQ(linked.exit_code, 2) << linked.out << linked.err;
  EXPECT_NE(linked.err.find("the same file as --html"), std::string::npos) << linked.err;
  EXPECT_FALSE(fs::exists(dir_ + "/r.json"));
}

TEST_F(BulwarkCli, Issue2ReportThatWouldOverwriteAnInputIsRefused) {
  std::string policy = RegisterBaseAndWritePolicy();
  std::string image = dir_ + "/app.tar";
  fs::copy_file(Fixture("app-on-approved.docker.tar"), image);
  auto image_size = fs::file_size(image);
  std::string layout = dir_ + "/layout";
  fs::copy(Fixture("oci/app-on-approved"), layout, fs::copy_options::recursive);

  CommandResult over_image = Run({"scan", "docker-archive:" + image + ":latest", "--policy",
                                  policy, "--json", image});
  CommandResult over_policy = Run({"scan", image, "--policy", policy, "--html", policy});
  CommandResult over_index = Run({"scan", "oci:" + layout, "--policy", policy, "--sarif",
                                  layout + "/index.json"});
  CommandResult beside = Run({"scan", "oci:" + layout, "--policy", policy, "--json",
                              layout + "/report.json"});

  EXPECT_EQ(over_image.exit_code, 2) << over_image.out << over_image.err;
  EXPECT_NE(over_image.err.find("would overwrite the image"), std::string::npos)
      << over_image.err;
  EXPECT_EQ(fs::file_size(image), image_size);
  EXPECT_EQ(over_policy.exit_code, 2) << over_policy.err;
  EXPECT_NE(over_policy.err.find("would overwrite the policy file"), std::string::npos)
      << over_policy.err;
  EXPECT_EQ(over_index.exit_code, 2) << over_index.err;
  EXPECT_EQ(beside.exit_code, 0) << beside.out << beside.err;
}

TEST_F(BulwarkCli, Issue2NamelessRegistrationDoesNotPromiseApprovalByDigest) {
  CommandResult registered = Run({"image", "register", Fixture("oci/approved-base")});
  std::string manifest_digest = testing::ReadFixtureDigests(fixtures_, "approved-base").manifest;
  ASSERT_FALSE(manifest_digest.empty());
  std::string policy = WriteFile(
      "pinned.yaml", std::string("name: pinned\ncontrols:\n  approvedBaseImages:\n") +
                         "    - registry.example.com/base@" + manifest_digest + "\n");

  CommandResult scan = Run({"scan", Fixture("oci/app-on-approved"), "--policy", policy});

  EXPECT_EQ(registered.exit_code, 0) << registered.err;
  EXPECT_NE(registered.out.find("no policy can approve it"), std::string::npos)
      << registered.out;
  EXPECT_EQ(registered.out.find("approve it by digest"), std::string::npos) << registered.out;
  EXPECT_EQ(scan.exit_code, 2) << "a pinned entry needs the name too\n" << scan.err;
}

TEST_F(BulwarkCli, NonCompliantImageIsNotRegistered) {
  std::string policy = RegisterBaseAndWritePolicy();

  CommandResult scan = Run({"scan", Fixture("app-on-debian.oci.tar"), "--policy", policy,
                            "--register", "--name", "registry.example.com/app:1"});
  CommandResult show = Run({"image", "show", "registry.example.com/app:1"});

  EXPECT_EQ(scan.exit_code, 4);
  EXPECT_NE(scan.err.find("not registered"), std::string::npos) << scan.err;
  EXPECT_EQ(show.exit_code, 2) << show.err;
}

TEST_F(BulwarkCli, UnknownNamesInManagementCommandsAreUsageErrors) {
  CommandResult image = Run({"image", "show", "registry.example.com/nope:1"});
  CommandResult policy = Run({"policy", "show", "nope"});
  CommandResult platform = Run({"scan", Fixture("app-on-approved.oci.tar"), "--inventory-only",
                                "--platform", ""});

  EXPECT_EQ(image.exit_code, 2) << image.err;
  EXPECT_EQ(policy.exit_code, 2) << policy.err;
  EXPECT_EQ(platform.exit_code, 2) << platform.err;
}

TEST_F(BulwarkCli, PackageSetMatchesDpkgInEveryTransport) {
  std::set<std::string> oracle;
  std::ifstream listing(Fixture("debian-base.packages"));
  for (std::string line; std::getline(listing, line);) oracle.insert(line);
  ASSERT_GT(oracle.size(), 50u);
  const std::string sources[] = {"docker-archive:" + Fixture("debian-base.docker.tar"),
                                 "oci:" + Fixture("oci/debian-base"),
                                 "oci-archive:" + Fixture("debian-base.oci.tar")};
  for (const std::string& source : sources) {
    SCOPED_TRACE(source);
    data_dir_ = dir_ + "/store-" + std::to_string(std::hash<std::string>{}(source));

    CommandResult registered = Run({"image", "register", source, "--name", "x.example/d:1"});
    CommandResult shown = Run({"image", "show", "x.example/d:1", "--json"});

    ASSERT_EQ(registered.exit_code, 0) << registered.err;
    ASSERT_EQ(shown.exit_code, 0) << shown.err;
    json image = json::parse(shown.out);
    std::set<std::string> found;
    for (const json& p : image["inventory"]["packages"]) {
      found.insert(p["name"].get<std::string>() + " " + p["version"].get<std::string>() + " " +
                   p["architecture"].get<std::string>());
    }
    EXPECT_EQ(found, oracle);
    EXPECT_EQ(image["inventory"]["os"]["id"], "debian");
    EXPECT_EQ(image["inventory"]["os"]["versionId"], "12");
  }
}

}  // namespace
}  // namespace bulwark
