#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/server_client.h"
#include "cli/registry_flags.h"
#include "image/reference.h"
#include "scan/analysis_codec.h"
#include "scan/inventory_codec.h"
#include "scan/scanner.h"

namespace bulwark::cli {
namespace {

struct ImageFlags {
  std::string source;
  std::vector<std::string> names;
  std::string platform;
  bool platform_given = false;
  std::string target;  // REF or ID for show/remove.
  bool json = false;
  bool no_cache = false;
  bool pull_on_server = false;
  std::string registry;  // With pull_on_server: the server's registry to pull from.
  ServerFlags server;
  image::SourceOptions source_options;
};

std::string JoinNames(const std::vector<std::string>& names) {
  if (names.empty()) return "(no name)";
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

// image register --pull-on-server: the server pulls the image from one of its
// registries with that registry's credentials and analyses it itself; nothing
// is read here.
int RunPullOnServer(const ImageFlags& flags, const std::vector<std::string>& names) {
  if (!flags.server.given() || flags.registry.empty()) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "--pull-on-server needs --server URL and --registry NAME (see `bulwark "
                      "registry list`)"));
  }
  std::string reference = flags.source;
  if (reference.starts_with("docker://")) reference.erase(0, 9);
  // LIMITATION(#5): the server pulls the default platform (linux/amd64)
  // from an index; --platform is refused rather than ignored.
  if (flags.platform_given) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "--platform with --pull-on-server: the server pulls linux/amd64 only"));
  }
  nlohmann::json body = {{"registry", flags.registry}, {"reference", reference}, {"names", names}};
  auto reply =
      CallServer(flags.server, "POST", "/api/v1/images/pull", body.dump(), "application/json");
  if (!reply.ok()) return Fail(reply.error());
  nlohmann::json outcome = nlohmann::json::parse(reply->body, nullptr, false);
  if (!outcome.is_object()) {
    return Fail(Error(ErrorCode::kNetwork, "server " + flags.server.url + ": answer is not JSON"));
  }
  std::vector<std::string> registered = outcome.value("names", std::vector<std::string>());
  std::printf("Registered %s as %s (pulled by the server from registry \"%s\")\n",
              outcome.value("imageId", "").c_str(), JoinNames(registered).c_str(),
              flags.registry.c_str());
  std::printf("  %d layers, %s, %d packages\n", outcome.value("layers", 0),
              outcome.value("os", "unknown OS").c_str(), outcome.value("packages", 0));
  return kExitCompliant;
}

int RunRegister(const GlobalOptions& global, const ImageFlags& flags) {
  scan::ScanOptions options;
  options.source = flags.source;
  options.source_options = flags.source_options;
  options.use_cache = !flags.no_cache;
  if (flags.platform_given) {
    auto platform = image::Platform::Parse(flags.platform);
    if (!platform.ok()) return Fail(platform.error());
    options.resolve.platform = *platform;
    options.resolve.platform_given = true;
  }
  std::vector<std::string> names;
  for (const std::string& name : flags.names) {
    auto reference = image::Reference::Parse(name);
    if (!reference.ok()) return Fail(reference.error());
    if (reference->digest) {
      return Fail(Error(ErrorCode::kInvalidArgument,
                        "--name " + name + ": register under a name and tag, not a digest; the "
                        "digest is recorded from the image itself"));
    }
    names.push_back(reference->NameAndTag());
  }
  if (flags.pull_on_server) return RunPullOnServer(flags, names);
  if (!flags.registry.empty()) {
    return Fail(Error(ErrorCode::kInvalidArgument, "--registry goes with --pull-on-server"));
  }
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());

  scan::Scanner scanner(**store);
  auto analysis = scanner.Analyze(options);
  if (!analysis.ok()) return Fail(analysis.error());
  if (flags.server.given()) {
    // The server registers the analysis made here (issue #5).
    std::string query;
    for (const std::string& name : names) {
      query += (query.empty() ? "?name=" : "&name=") + QueryEscape(name);
    }
    auto reply = CallServer(flags.server, "POST", "/api/v1/images" + query,
                            scan::EncodeAnalysis(*analysis), "application/json");
    if (!reply.ok()) return Fail(reply.error());
  } else {
    auto registered = scanner.Register(*analysis, names);
    if (!registered.ok()) return Fail(registered.error());
    auto audited = AuditLocal(**store, "image.register", analysis->image.image_id.str(),
                              "names=" + JoinNames(names));
    if (!audited.ok()) return Fail(audited.error());
  }

  const catalog::OsInfo& os = analysis->inventory.os;
  std::printf("Registered %s as %s\n", analysis->image.image_id.str().c_str(),
              JoinNames(names).c_str());
  std::printf("  %zu layers, %s, %zu packages\n", analysis->image.layers.size(),
              os.found ? os.pretty_name.c_str() : "unknown OS",
              analysis->inventory.packages.size());
  if (names.empty()) std::printf("%s\n", kNamelessRegistration + 1);
  return kExitCompliant;
}

// The server's registered images (GET /api/v1/images), in the store's model.
Result<std::vector<lineage::RegisteredImage>> ListServerImages(const ServerFlags& server) {
  BULWARK_ASSIGN_OR_RETURN(ServerReply reply,
                           CallServer(server, "GET", "/api/v1/images", "", "application/json"));
  nlohmann::json list = nlohmann::json::parse(reply.body, nullptr, false);
  if (!list.is_array()) {
    return Error(ErrorCode::kNetwork, "server " + server.url + ": the image list is not JSON");
  }
  std::vector<lineage::RegisteredImage> images;
  try {
    for (const nlohmann::json& entry : list) {
      lineage::RegisteredImage image;
      std::string id = entry.at("imageId").get<std::string>();
      BULWARK_ASSIGN_OR_RETURN(image.image_id, Digest::Parse(id));
      image.names = entry.at("names").get<std::vector<std::string>>();
      for (const nlohmann::json& layer : entry.at("layers")) {
        BULWARK_ASSIGN_OR_RETURN(Digest digest, Digest::Parse(layer.get<std::string>()));
        image.chain.push_back(digest);
      }
      image.registered_at = entry.at("registeredAt").get<std::string>();
      images.push_back(std::move(image));
    }
  } catch (const nlohmann::json::exception& e) {
    return Error(ErrorCode::kNetwork, "server " + server.url + ": image list: " + e.what());
  }
  return images;
}

Result<std::vector<lineage::RegisteredImage>> ListImages(const GlobalOptions& global,
                                                         const ImageFlags& flags) {
  if (flags.server.given()) return ListServerImages(flags.server);
  BULWARK_ASSIGN_OR_RETURN(auto store, OpenStore(global));
  return store->ListImages();
}

int RunList(const GlobalOptions& global, const ImageFlags& flags) {
  auto images = ListImages(global, flags);
  if (!images.ok()) return Fail(images.error());

  if (flags.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& image : *images) {
      nlohmann::json chain = nlohmann::json::array();
      for (const Digest& d : image.chain) chain.push_back(d.str());
      list.push_back({{"imageId", image.image_id.str()},
                      {"names", image.names},
                      {"layers", chain},
                      {"registeredAt", image.registered_at}});
    }
    std::printf("%s\n", list.dump(2).c_str());
    return kExitCompliant;
  }
  if (images->empty()) {
    std::printf("No registered images. Register one with: bulwark image register SOURCE --name REF\n");
    return kExitCompliant;
  }
  std::printf("%-19s  %6s  %-20s  %s\n", "IMAGE ID", "LAYERS", "REGISTERED", "NAMES");
  for (const auto& image : *images) {
    std::printf("%-19s  %6zu  %-20s  %s\n", image.image_id.Short().c_str(), image.chain.size(),
                image.registered_at.c_str(), JoinNames(image.names).c_str());
  }
  return kExitCompliant;
}

// image show --server: the server's record, with its lineage among the
// server's registered images.
int RunServerShow(const ImageFlags& flags) {
  auto reply = CallServer(flags.server, "GET", "/api/v1/images/" + PathEscape(flags.target), "",
                          "application/json");
  if (!reply.ok()) return Fail(NamedNothing(reply.error()));
  nlohmann::json list = nlohmann::json::parse(reply->body, nullptr, false);
  if (!list.is_array()) {
    return Fail(Error(ErrorCode::kNetwork, "server " + flags.server.url + ": not an image list"));
  }
  if (flags.json) {
    std::printf("%s\n", list.dump(2).c_str());
    return kExitCompliant;
  }
  for (const nlohmann::json& image : list) {
    auto names = image.value("names", std::vector<std::string>());
    const nlohmann::json& inventory = image.value("inventory", nlohmann::json::object());
    const nlohmann::json& os = inventory.value("os", nlohmann::json::object());
    std::printf("Image %s\n", image.value("imageId", std::string()).c_str());
    std::printf("  Names:       %s\n", JoinNames(names).c_str());
    std::printf("  Registered:  %s from %s\n", image.value("registeredAt", std::string()).c_str(),
                image.value("source", std::string()).c_str());
    nlohmann::json lineage = image.value("lineage", nlohmann::json::object());
    for (const nlohmann::json& ancestor : lineage.value("ancestors", nlohmann::json::array())) {
      auto base_names = ancestor.value("names", std::vector<std::string>());
      std::printf("  Built on:    %s (%s, owns %d layers)\n", JoinNames(base_names).c_str(),
                  ancestor.value("imageId", std::string()).substr(0, 19).c_str(),
                  ancestor.value("ownsLayers", 0));
    }
    std::printf("  OS:          %s\n", os.value("prettyName", std::string("unknown")).c_str());
    std::printf("  Packages:    %zu\n", inventory.value("packages", nlohmann::json()).size());
  }
  return kExitCompliant;
}

int RunShow(const GlobalOptions& global, const ImageFlags& flags) {
  if (flags.server.given()) return RunServerShow(flags);
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto found = FindRegistered(**store, flags.target);
  if (!found.ok()) return Fail(found.error());

  for (const auto& match : *found) {
    auto stored = (*store)->GetImage(match.image_id);
    if (!stored.ok()) return Fail(stored.error());
    if (!*stored) continue;  // Removed since it was listed.
    auto inventory = scan::DecodeInventory((*stored)->inventory_json);
    if (!inventory.ok()) return Fail(inventory.error());
    const lineage::RegisteredImage& image = (*stored)->image;
    if (flags.json) {
      nlohmann::json chain = nlohmann::json::array();
      for (const Digest& d : image.chain) chain.push_back(d.str());
      nlohmann::json manifests = nlohmann::json::array();
      for (const Digest& d : image.manifest_digests) manifests.push_back(d.str());
      nlohmann::json out = {{"imageId", image.image_id.str()},
                            {"names", image.names},
                            {"manifestDigests", manifests},
                            {"layers", chain},
                            {"registeredAt", image.registered_at},
                            {"source", (*stored)->source},
                            {"inventory", nlohmann::json::parse((*stored)->inventory_json)}};
      std::printf("%s\n", out.dump(2).c_str());
      continue;
    }
    std::printf("Image %s\n", image.image_id.str().c_str());
    std::printf("  Names:       %s\n", JoinNames(image.names).c_str());
    for (const Digest& d : image.manifest_digests) {
      std::printf("  Manifest:    %s\n", d.str().c_str());
    }
    std::printf("  Registered:  %s from %s\n", image.registered_at.c_str(),
                (*stored)->source.c_str());
    std::printf("  OS:          %s\n",
                inventory->os.found ? inventory->os.pretty_name.c_str() : "unknown");
    std::printf("  Packages:    %zu\n", inventory->packages.size());
    std::printf("  Layers (diff_id chain, bottom first):\n");
    for (size_t i = 0; i < image.chain.size(); ++i) {
      std::printf("    %2zu  %s\n", i + 1, image.chain[i].str().c_str());
    }
  }
  return kExitCompliant;
}

int RunServerRemove(const ImageFlags& flags) {
  auto reply = CallServer(flags.server, "DELETE", "/api/v1/images/" + PathEscape(flags.target),
                          "", "application/json");
  if (!reply.ok()) return Fail(NamedNothing(reply.error()));
  nlohmann::json outcome = nlohmann::json::parse(reply->body, nullptr, false);
  std::string id = outcome.is_object() ? outcome.value("removed", std::string()) : "";
  std::printf("Removed %s from %s\n", id.c_str(), flags.server.url.c_str());
  return kExitCompliant;
}

int RunRemove(const GlobalOptions& global, const ImageFlags& flags) {
  if (flags.server.given()) return RunServerRemove(flags);
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto found = FindRegistered(**store, flags.target);
  if (!found.ok()) return Fail(found.error());
  if (found->size() > 1) {
    std::string ids;
    for (const auto& image : *found) ids += "\n  " + image.image_id.str();
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "\"" + flags.target + "\" names " + std::to_string(found->size()) +
                          " images; remove them one by one by id:" + ids));
  }
  const lineage::RegisteredImage& image = found->front();
  auto removed = (*store)->RemoveImage(image.image_id);
  if (!removed.ok()) return Fail(removed.error());
  auto audited = AuditLocal(**store, "image.remove", image.image_id.str(), "");
  if (!audited.ok()) return Fail(audited.error());
  std::printf("Removed %s (%s)\n", image.image_id.str().c_str(), JoinNames(image.names).c_str());
  return kExitCompliant;
}

}  // namespace

void AddImageCommands(CLI::App& app, const GlobalOptions& global, Action* run) {
  auto flags = std::make_shared<ImageFlags>();
  CLI::App* image = app.add_subcommand("image", "Manage registered (base) images");
  image->require_subcommand(1);

  CLI::App* reg = image->add_subcommand(
      "register", "Analyse an image and register it, so policies can approve it as a base");
  reg->add_option("source", flags->source, "Image SOURCE")->required();
  reg->add_option("--name", flags->names,
                  "Name to register it under (repeatable); without one, policies can approve "
                  "it only by digest");
  CLI::Option* platform =
      reg->add_option("--platform", flags->platform, "os/arch[/variant] to pick from an index")
          ->default_str("linux/amd64");
  reg->add_flag("--no-cache", flags->no_cache, "Read every layer even if cached");
  AddServerOptions(reg, &flags->server);
  reg->add_flag("--pull-on-server", flags->pull_on_server,
                "Have the server pull SOURCE (docker://HOST/REPO:TAG) from its registry "
                "--registry NAME with that registry's stored credentials, and analyse it there");
  reg->add_option("--registry", flags->registry,
                  "The server's registry to pull from (with --pull-on-server)");
  AddRegistryFlags(reg, &flags->source_options);
  reg->footer(kSourcesHelp);
  reg->callback([&global, flags, run, platform] {
    flags->platform_given = platform->count() > 0;
    *run = [&global, flags] { return RunRegister(global, *flags); };
  });

  CLI::App* list = image->add_subcommand("list", "List registered images");
  list->add_flag("--json", flags->json, "Print JSON");
  AddServerOptions(list, &flags->server);
  list->callback([&global, flags, run] { *run = [&global, flags] { return RunList(global, *flags); }; });

  CLI::App* show = image->add_subcommand("show", "Show a registered image by name or id");
  show->add_option("image", flags->target, "Name (registry/repo:tag) or image id prefix")
      ->required();
  show->add_flag("--json", flags->json, "Print JSON");
  AddServerOptions(show, &flags->server);
  show->callback([&global, flags, run] { *run = [&global, flags] { return RunShow(global, *flags); }; });

  CLI::App* remove = image->add_subcommand("remove", "Remove a registered image");
  remove->add_option("image", flags->target, "Name (registry/repo:tag) or image id prefix")
      ->required();
  AddServerOptions(remove, &flags->server);
  remove->callback([&global, flags, run] { *run = [&global, flags] { return RunRemove(global, *flags); }; });
}

}  // namespace bulwark::cli
