#include "vulndb/alpine_secdb_importer.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "common/byte_stream.h"
#include "vulndb/distro.h"
#include "vulndb/importer_internal.h"
#include "vulndb/json_scan.h"

namespace bulwark::vulndb::internal {
namespace {

using Json = nlohmann::json;

// One "version: [ids]" entry of a package's secfixes.
struct Secfix {
  std::string version;
  std::vector<std::string> entries;
};

struct SecdbPackage {
  std::string name;
  std::vector<Secfix> secfixes;
};

// A secdb document, read from JSON or YAML into the same shape.
struct SecdbDocument {
  std::string distroversion;
  std::string reponame;
  std::vector<SecdbPackage> packages;
};

Error Corrupt(std::string_view name, std::string_view what) {
  return Error(ErrorCode::kCorruptInput, std::string(name) + ": " + std::string(what));
}

std::string PackageAt(size_t index) { return "packages[" + std::to_string(index) + "]"; }

// --- JSON -----------------------------------------------------------------

Result<std::string> JsonString(const Json& object, std::string_view key, std::string_view name,
                               std::string_view context) {
  auto found = object.find(key);
  if (found == object.end() || found->is_null()) return std::string();
  if (!found->is_string()) {
    return Corrupt(name, std::string(context) + std::string(key) + " is not a string");
  }
  return found->get_ref<const std::string&>();
}

Result<SecdbPackage> JsonPackage(const Json& item, size_t index, std::string_view name) {
  const std::string at = PackageAt(index);
  auto pkg = item.is_object() ? item.find("pkg") : item.end();
  if (!item.is_object() || pkg == item.end() || !pkg->is_object()) {
    return Corrupt(name, at + " has no pkg object");
  }
  SecdbPackage package;
  BULWARK_ASSIGN_OR_RETURN(package.name, JsonString(*pkg, "name", name, at + ".pkg."));

  auto secfixes = pkg->find("secfixes");
  if (secfixes == pkg->end() || secfixes->is_null()) return package;
  if (!secfixes->is_object()) return Corrupt(name, at + ".pkg.secfixes is not an object");
  for (const auto& [version, ids] : secfixes->items()) {
    Secfix secfix{version, {}};
    if (!ids.is_null() && !ids.is_array()) {
      return Corrupt(name, at + ".pkg.secfixes \"" + Printable(version) + "\" is not an array");
    }
    for (const Json& id : ids.is_array() ? ids : Json::array()) {
      if (!id.is_string()) {
        return Corrupt(name, at + ".pkg.secfixes \"" + Printable(version) +
                                 "\" holds something other than strings");
      }
      secfix.entries.push_back(id.get_ref<const std::string&>());
    }
    package.secfixes.push_back(std::move(secfix));
  }
  return package;
}

Result<SecdbDocument> ReadJsonDocument(std::string_view bytes, std::string_view name) {
  BULWARK_TRY(CheckJsonDepth(bytes, name));
  Json root;
  try {
    root = Json::parse(bytes.begin(), bytes.end());
  } catch (const std::exception& e) {
    std::string_view message = e.what();
    size_t bracket = message.find("] ");
    if (bracket != std::string_view::npos) message.remove_prefix(bracket + 2);
    return Corrupt(name, "invalid JSON: " + Printable(message));
  }
  if (!root.is_object()) return Corrupt(name, "not a secdb document: the root is not an object");

  SecdbDocument document;
  BULWARK_ASSIGN_OR_RETURN(document.distroversion, JsonString(root, "distroversion", name, ""));
  BULWARK_ASSIGN_OR_RETURN(document.reponame, JsonString(root, "reponame", name, ""));
  auto packages = root.find("packages");
  if (packages == root.end() || !packages->is_array()) {
    return Corrupt(name, "not a secdb document: no packages array");
  }
  for (size_t i = 0; i < packages->size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(SecdbPackage package, JsonPackage((*packages)[i], i, name));
    document.packages.push_back(std::move(package));
  }
  return document;
}

// --- YAML -----------------------------------------------------------------

// Counts documents and aliases before the document is loaded. secdb files
// use neither anchors nor aliases; refusing aliases keeps a small file from
// naming one subtree many times over (the "billion laughs" shape), which the
// walk below would otherwise visit once per name.
class YamlCensus : public YAML::EventHandler {
 public:
  int aliases = 0;

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++aliases; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

std::string YamlLine(const YAML::Mark& mark) {
  return mark.is_null() ? "" : " line " + std::to_string(mark.line + 1);
}

// yaml-cpp reports errors by throwing; the caller catches.
Result<YAML::Node> LoadYaml(std::string_view bytes, std::string_view name) {
  // Two documents at most are parsed: yaml-cpp 0.7's LoadAll can loop on
  // some malformed input, while HandleNextDocument stops.
  std::istringstream stream{std::string(bytes)};
  YAML::Parser parser(stream);
  YamlCensus census;
  int documents = 0;
  while (documents < 2 && parser.HandleNextDocument(census)) ++documents;
  if (documents != 1) {
    return Corrupt(name, documents == 0 ? "an empty YAML document" : "more than one YAML document");
  }
  if (census.aliases > 0) return Corrupt(name, "YAML aliases, which secdb files never use");
  return YAML::Load(std::string(bytes));
}

Result<std::string> YamlScalar(const YAML::Node& node, std::string_view name,
                               std::string_view what) {
  if (!node.IsDefined() || node.IsNull()) return std::string();
  if (!node.IsScalar()) {
    return Corrupt(name, std::string(what) + YamlLine(node.Mark()) + " is not a scalar");
  }
  return node.Scalar();
}

Result<SecdbPackage> YamlPackage(const YAML::Node& item, size_t index, std::string_view name) {
  const std::string at = PackageAt(index);
  if (!item.IsMap() || !item["pkg"].IsMap()) {
    return Corrupt(name, at + YamlLine(item.Mark()) + " has no pkg mapping");
  }
  const YAML::Node pkg = item["pkg"];
  SecdbPackage package;
  BULWARK_ASSIGN_OR_RETURN(package.name, YamlScalar(pkg["name"], name, at + ".pkg.name"));

  const YAML::Node secfixes = pkg["secfixes"];
  if (!secfixes.IsDefined() || secfixes.IsNull()) return package;
  if (!secfixes.IsMap()) {
    return Corrupt(name, at + ".pkg.secfixes" + YamlLine(secfixes.Mark()) + " is not a mapping");
  }
  for (auto it = secfixes.begin(); it != secfixes.end(); ++it) {
    BULWARK_ASSIGN_OR_RETURN(std::string version,
                             YamlScalar(it->first, name, at + ".pkg.secfixes key"));
    Secfix secfix{version, {}};
    const YAML::Node ids = it->second;
    if (ids.IsDefined() && !ids.IsNull() && !ids.IsSequence()) {
      return Corrupt(name, at + ".pkg.secfixes \"" + Printable(version) + "\"" +
                               YamlLine(ids.Mark()) + " is not a list");
    }
    for (size_t i = 0; ids.IsSequence() && i < ids.size(); ++i) {
      BULWARK_ASSIGN_OR_RETURN(std::string id, YamlScalar(ids[i], name, at + ".pkg.secfixes id"));
      secfix.entries.push_back(std::move(id));
    }
    package.secfixes.push_back(std::move(secfix));
  }
  return package;
}

Result<SecdbDocument> ReadYamlDocument(std::string_view bytes, std::string_view name) {
  try {
    BULWARK_ASSIGN_OR_RETURN(YAML::Node root, LoadYaml(bytes, name));
    if (!root.IsMap()) return Corrupt(name, "not a secdb document: the root is not a mapping");

    SecdbDocument document;
    BULWARK_ASSIGN_OR_RETURN(document.distroversion,
                             YamlScalar(root["distroversion"], name, "distroversion"));
    BULWARK_ASSIGN_OR_RETURN(document.reponame, YamlScalar(root["reponame"], name, "reponame"));
    const YAML::Node packages = root["packages"];
    // An empty repository is written as "packages:" with nothing after it.
    if (packages.IsDefined() && packages.IsNull()) return document;
    if (!packages.IsSequence()) return Corrupt(name, "not a secdb document: no packages list");
    for (size_t i = 0; i < packages.size(); ++i) {
      BULWARK_ASSIGN_OR_RETURN(SecdbPackage package, YamlPackage(packages[i], i, name));
      document.packages.push_back(std::move(package));
    }
    return document;
  } catch (const YAML::Exception& e) {
    return Corrupt(name, "YAML" + YamlLine(e.mark) + ": " + Printable(e.msg));
  } catch (const std::exception& e) {
    return Corrupt(name, "YAML: " + Printable(e.what()));
  }
}

// --- Conversion -----------------------------------------------------------

bool LooksLikeId(std::string_view token) {
  if (token.empty() || !std::isalpha(static_cast<unsigned char>(token.front()))) return false;
  // Longer than an id may be: a note that happens to hold digits and dashes.
  if (token.size() > kMaxIdBytes) return false;
  bool digit = false;
  bool dash = false;
  char previous = 0;
  for (char c : token) {
    bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (!alnum && c != '-') return false;
    if (c == '-' && (previous == '-' || previous == 0)) return false;
    digit = digit || std::isdigit(static_cast<unsigned char>(c));
    dash = dash || c == '-';
    previous = c;
  }
  return digit && dash && previous != '-';
}

bool IsYearAndNumber(std::string_view token) {
  return token.size() >= 9 && token[4] == '-' && IsCveId("CVE-" + std::string(token));
}

// Spelling slips of real entries that still name one CVE id unambiguously.
std::string NormalizeToken(std::string token) {
  while (!token.empty() && (token.back() == ',' || token.back() == ';')) token.pop_back();
  if (token.ends_with(".patch")) token.resize(token.size() - 6);
  if (token.size() > 4 && (token.starts_with("CVE_") || token.starts_with("cve-"))) {
    token = "CVE-" + token.substr(4);
  }
  // "CVE-2017-17434-1" and "-2": parts of one fix for CVE-2017-17434.
  size_t last_dash = token.rfind('-');
  if (!IsCveId(token) && last_dash != std::string::npos && last_dash > 9 &&
      IsCveId(token.substr(0, last_dash))) {
    bool part = last_dash + 1 < token.size();
    for (size_t i = last_dash + 1; i < token.size(); ++i) {
      part = part && std::isdigit(static_cast<unsigned char>(token[i]));
    }
    if (part) token.resize(last_dash);
  }
  return token;
}

void AddUnique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

struct Merger {
  std::vector<Advisory> advisories;
  std::unordered_map<std::string, size_t> index;

  Advisory& Get(const std::string& id) {
    auto [found, inserted] = index.emplace(id, advisories.size());
    if (inserted) {
      Advisory advisory;
      advisory.id = id;
      if (IsCveId(id)) advisory.references.push_back("https://security.alpinelinux.org/vuln/" + id);
      advisories.push_back(std::move(advisory));
    }
    return advisories[found->second];
  }

  // One package's statement about one id. When a package lists the same id
  // under several versions (a fix, then a fix of the fix), the highest fixed
  // version is kept: every version below it may still be affected. A fixed
  // version wins over "0" (not affected) for the same reason.
  void Add(const std::string& id, const std::vector<std::string>& aliases,
           const AffectedPackage& affected) {
    Advisory& advisory = Get(id);
    for (const std::string& alias : aliases) {
      if (alias != id) AddUnique(advisory.aliases, alias);
    }
    for (AffectedPackage& existing : advisory.affected) {
      if (existing.package != affected.package) continue;
      if (affected.state == FixState::kNotAffected) return;
      if (existing.state == FixState::kFixed) {
        Result<int> order = version::Compare(version::Ecosystem::kApk, affected.fixed_version,
                                             existing.fixed_version);
        if (!order.ok() || *order <= 0) return;
      }
      existing = affected;
      return;
    }
    advisory.affected.push_back(affected);
  }
};

AffectedPackage Statement(const std::string& distro, const std::string& package,
                          const std::string& version) {
  AffectedPackage affected;
  affected.distro = distro;
  affected.package = package;
  affected.ecosystem = version::Ecosystem::kApk;
  if (version == "0") {
    affected.state = FixState::kNotAffected;
  } else {
    affected.state = FixState::kFixed;
    affected.fixed_version = version;
    affected.ranges.push_back(VersionRange{"", version, ""});
  }
  return affected;
}

void ConvertSecfix(const Secfix& secfix, const SecdbPackage& package, const std::string& distro,
                   const std::string& context, AdvisorySink& sink, Merger& merger) {
  const std::string label = context + ": " + package.name + " " + Printable(secfix.version);
  if (secfix.entries.empty()) {
    sink.Skip({label, "no ids listed"});
    return;
  }
  if (secfix.version != "0") {
    std::string problem = VersionProblem(version::Ecosystem::kApk, secfix.version);
    if (!problem.empty()) {
      std::string ids;
      for (const std::string& entry : secfix.entries) ids += " " + Printable(entry);
      sink.Skip({label, problem + "; not imported:" + ids});
      return;
    }
  }

  const AffectedPackage affected = Statement(distro, package.name, secfix.version);
  for (const std::string& entry : secfix.entries) {
    SecfixIds ids = ParseSecfixEntry(entry);
    if (ids.ids.empty()) {
      sink.Skip({label + " \"" + Printable(entry) + "\"", "names no advisory id"});
      continue;
    }
    for (const std::string& id : ids.ids) merger.Add(id, ids.aliases, affected);
  }
}

Status Convert(const SecdbDocument& document, std::string_view name, AdvisorySink& sink) {
  if (document.distroversion.empty()) return Corrupt(name, "no distroversion");
  const std::string distro = DistroKeyForOsvEcosystem("Alpine:" + document.distroversion);
  if (distro.empty()) {
    sink.Skip({std::string(name), "distroversion \"" + Printable(document.distroversion) +
                                      "\" is not an Alpine release (v3.20, edge)"});
    return Ok();
  }
  const std::string context = document.distroversion +
                              (document.reponame.empty() ? "" : "/" + Printable(document.reponame));

  Merger merger;
  for (size_t i = 0; i < document.packages.size(); ++i) {
    const SecdbPackage& package = document.packages[i];
    if (!IsPlainToken(package.name, kMaxNameBytes)) {
      sink.Skip({context + ": " + PackageAt(i),
                 "package name is empty, longer than 256 bytes or holds white space"});
      continue;
    }
    for (const Secfix& secfix : package.secfixes) {
      ConvertSecfix(secfix, package, distro, context, sink, merger);
    }
  }
  for (Advisory& advisory : merger.advisories) BULWARK_TRY(sink.Add(std::move(advisory)));
  return Ok();
}

}  // namespace

SecfixIds ParseSecfixEntry(std::string_view entry) {
  std::string_view text = entry.substr(0, entry.find('('));
  std::vector<std::string> tokens;
  std::istringstream words{std::string(text)};
  for (std::string word; words >> word;) tokens.push_back(word);

  SecfixIds result;
  std::vector<std::string> others;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string token = tokens[i];
    // "CVE 2018-16859": the dash was typed as a space.
    if ((token == "CVE" || token == "cve") && i + 1 < tokens.size() &&
        IsYearAndNumber(tokens[i + 1])) {
      token = "CVE-" + tokens[++i];
    }
    token = NormalizeToken(std::move(token));
    if (IsCveId(token)) {
      AddUnique(result.ids, std::move(token));
    } else if (LooksLikeId(token)) {
      AddUnique(others, std::move(token));
    }
  }

  if (result.ids.empty() && !others.empty()) {
    result.ids.push_back(others.front());
    others.erase(others.begin());
  }
  result.aliases = std::move(others);
  return result;
}

Status ImportAlpineSecdb(std::string_view bytes, std::string_view name, AdvisorySink& sink,
                         const FeedLimits& limits) {
  if (bytes.size() > limits.max_record_bytes) {
    return Error(ErrorCode::kLimitExceeded,
                 std::string(name) + ": secdb document larger than max_record_bytes (" +
                     std::to_string(limits.max_record_bytes) + " bytes)");
  }
  const bool json = SkipJsonSpace(bytes).starts_with("{");
  Result<SecdbDocument> document =
      json ? ReadJsonDocument(bytes, name) : ReadYamlDocument(bytes, name);
  if (!document.ok()) return document.error();
  return Convert(*document, name, sink);
}

Status ImportAlpineSecdbFile(const std::string& path, AdvisorySink& sink,
                             const FeedLimits& limits) {
  BULWARK_ASSIGN_OR_RETURN(
      std::string bytes,
      ReadFileLimited(path, std::min(limits.max_record_bytes, limits.max_file_bytes)));
  return ImportAlpineSecdb(bytes, path, sink, limits);
}

}  // namespace bulwark::vulndb::internal
