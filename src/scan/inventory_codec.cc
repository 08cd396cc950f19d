#include "scan/inventory_codec.h"

#include <nlohmann/json.hpp>

namespace bulwark::scan {

using nlohmann::json;

std::string EncodeInventory(const catalog::Inventory& inventory) {
  json os = {{"found", inventory.os.found},
             {"sourcePath", inventory.os.source_path},
             {"id", inventory.os.id},
             {"idLike", inventory.os.id_like},
             {"versionId", inventory.os.version_id},
             {"versionCodename", inventory.os.version_codename},
             {"prettyName", inventory.os.pretty_name}};
  json packages = json::array();
  for (const catalog::Package& p : inventory.packages) {
    packages.push_back({{"ecosystem", p.ecosystem},
                        {"name", p.name},
                        {"version", p.version},
                        {"architecture", p.architecture},
                        {"sourceName", p.source_name},
                        {"sourceVersion", p.source_version},
                        {"dbPath", p.db_path},
                        {"license", p.license},
                        {"epoch", p.epoch},
                        {"sourceRpm", p.source_rpm},
                        {"layerIndex", p.layer_index}});
  }
  json gaps = json::array();
  for (const catalog::CoverageGap& gap : inventory.gaps) {
    gaps.push_back({{"path", gap.path}, {"reason", gap.reason}});
  }
  json users = json::array();
  for (const catalog::UserAccount& user : inventory.users) {
    users.push_back({{"name", user.name}, {"uid", user.uid}, {"gid", user.gid}});
  }
  json document = {{"os", os},
                   {"packages", packages},
                   {"coverageGaps", gaps},
                   {"users", users},
                   {"passwdFound", inventory.passwd_found}};
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<catalog::Inventory> DecodeInventory(std::string_view text) {
  try {
    json document = json::parse(text);
    catalog::Inventory inventory;
    const json& os = document.at("os");
    inventory.os.found = os.at("found").get<bool>();
    inventory.os.source_path = os.at("sourcePath").get<std::string>();
    inventory.os.id = os.at("id").get<std::string>();
    inventory.os.id_like = os.at("idLike").get<std::string>();
    inventory.os.version_id = os.at("versionId").get<std::string>();
    inventory.os.version_codename = os.at("versionCodename").get<std::string>();
    inventory.os.pretty_name = os.at("prettyName").get<std::string>();
    for (const json& p : document.at("packages")) {
      catalog::Package package;
      package.ecosystem = p.at("ecosystem").get<std::string>();
      package.name = p.at("name").get<std::string>();
      package.version = p.at("version").get<std::string>();
      package.architecture = p.at("architecture").get<std::string>();
      package.source_name = p.at("sourceName").get<std::string>();
      package.source_version = p.at("sourceVersion").get<std::string>();
      package.db_path = p.at("dbPath").get<std::string>();
      package.license = p.at("license").get<std::string>();
      // Inventories stored before rpm databases and layer attribution were
      // catalogued lack these keys: no epoch, no source rpm, layer unknown.
      package.epoch = p.value("epoch", std::string());
      package.source_rpm = p.value("sourceRpm", std::string());
      package.layer_index = p.value("layerIndex", -1);
      inventory.packages.push_back(std::move(package));
    }
    for (const json& g : document.at("coverageGaps")) {
      inventory.gaps.push_back(
          {g.at("path").get<std::string>(), g.at("reason").get<std::string>()});
    }
    // Inventories stored before the passwd cataloger existed lack both keys.
    // They decode as "no /etc/passwd seen": the answer under which no named
    // user can pass the superuser control.
    for (const json& u : document.value("users", json::array())) {
      inventory.users.push_back({u.at("name").get<std::string>(), u.at("uid").get<int64_t>(),
                                 u.at("gid").get<int64_t>()});
    }
    inventory.passwd_found = document.value("passwdFound", false);
    return inventory;
  } catch (const json::exception& e) {
    return Error(ErrorCode::kCorruptInput, std::string("stored inventory: ") + e.what());
  }
}

}  // namespace bulwark::scan
