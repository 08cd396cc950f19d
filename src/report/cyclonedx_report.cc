#include "report/cyclonedx_report.h"

#include <map>
#include <nlohmann/json.hpp>

#include "image/reference.h"
#include "report/report_view.h"

namespace bulwark::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr char kImageRef[] = "image";

// Package URL parts keep ':' unencoded (the purl spec never needs it encoded)
// and encode everything else outside the unreserved set, '+' included.
constexpr char kPurlKeep[] = ":";
// Qualifier values also keep '/', as in the spec's repository_url examples.
constexpr char kPurlQualifierKeep[] = ":/";

Json Property(const std::string& name, const std::string& value) {
  return Json{{"name", name}, {"value", value}};
}

// "distro" qualifier value: "debian-12", "alpine-3.20.3"; "" when unknown.
std::string DistroQualifier(const catalog::OsInfo& os) {
  std::string release = os.version_id.empty() ? os.version_codename : os.version_id;
  if (os.id.empty() || release.empty()) return "";
  return os.id + "-" + release;
}

// pkg:deb/debian/NAME@VERSION?arch=amd64&distro=debian-12 and the apk and rpm
// equivalents, qualifiers sorted by key as the purl spec wants. "" when the
// ecosystem has no purl type here or the OS is unknown: the namespace is the
// distribution, and a guessed one would point at another vendor's package.
std::string PackageUrl(const catalog::Package& package, const catalog::OsInfo& os) {
  bool known_type =
      package.ecosystem == "deb" || package.ecosystem == "apk" || package.ecosystem == "rpm";
  if (!known_type || !os.found || os.id.empty()) return "";
  std::string purl = "pkg:" + package.ecosystem + "/" + internal::PercentEncode(os.id, "") + "/" +
                     internal::PercentEncode(package.name, kPurlKeep) + "@" +
                     internal::PercentEncode(package.version, kPurlKeep);
  std::vector<std::pair<std::string, std::string>> qualifiers;
  if (!package.architecture.empty()) qualifiers.emplace_back("arch", package.architecture);
  std::string distro = DistroQualifier(os);
  if (!distro.empty()) qualifiers.emplace_back("distro", distro);
  if (package.ecosystem == "rpm" && !package.epoch.empty()) {
    qualifiers.emplace_back("epoch", package.epoch);
  }
  char separator = '?';
  for (const auto& [key, value] : qualifiers) {
    purl += separator + key + "=" + internal::PercentEncode(value, kPurlQualifierKeep);
    separator = '&';
  }
  return purl;
}

// A key that identifies one catalogued package, to point findings at it.
std::string PackageKey(std::string_view ecosystem, std::string_view name, std::string_view version,
                       std::string_view architecture, std::string_view db_path) {
  return std::string(ecosystem) + '\n' + std::string(name) + '\n' + std::string(version) + '\n' +
         std::string(architecture) + '\n' + std::string(db_path);
}

struct Components {
  Json list = Json::array();
  std::map<std::string, std::string> ref_by_key;  // PackageKey -> bom-ref.
};

Json PackageProperties(const scan::ScanResult& result, const catalog::Package& package) {
  Json properties = Json::array({Property("bulwark:package:ecosystem", package.ecosystem),
                                 Property("bulwark:package:architecture", package.architecture),
                                 Property("bulwark:package:sourceName", package.source_name),
                                 Property("bulwark:package:sourceVersion", package.source_version),
                                 Property("bulwark:package:dbPath", package.db_path)});
  if (!package.epoch.empty())
    properties.push_back(Property("bulwark:package:epoch", package.epoch));
  if (!package.source_rpm.empty()) {
    properties.push_back(Property("bulwark:package:sourceRpm", package.source_rpm));
  }
  if (package.layer_index >= 0) {
    properties.push_back(
        Property("bulwark:package:layerIndex", std::to_string(package.layer_index)));
    properties.push_back(
        Property("bulwark:package:layer", internal::LayerLine(result, package.layer_index)));
  }
  return properties;
}

Components PackageComponents(const scan::ScanResult& result) {
  Components components;
  std::map<std::string, int> uses;  // bom-refs must be unique within the BOM.
  for (const catalog::Package& package : result.inventory.packages) {
    std::string purl = PackageUrl(package, result.inventory.os);
    std::string ref = !purl.empty() ? purl
                                    : package.ecosystem + ":" + package.name + "@" +
                                          package.version + ":" + package.architecture;
    int use = ++uses[ref];
    if (use > 1) ref += "#" + std::to_string(use);

    Json component{{"type", "library"}, {"bom-ref", ref}, {"name", package.name}};
    component["version"] = package.version;
    // LIMITATION(#4): licences are written as free-text names, never as SPDX
    // ids or expressions, since the catalogue does not check them against the
    // SPDX list; tools that want ids see names.
    if (!package.license.empty()) {
      component["licenses"] = Json::array({Json{{"license", Json{{"name", package.license}}}}});
    }
    if (!purl.empty()) component["purl"] = purl;
    component["properties"] = PackageProperties(result, package);
    components.list.push_back(component);

    std::string key = PackageKey(package.ecosystem, package.name, package.version,
                                 package.architecture, package.db_path);
    components.ref_by_key.try_emplace(key, ref);
  }
  return components;
}

// The image as the BOM's subject: named by its repository, versioned and
// hashed by its manifest digest (its identity in a registry), else its id.
Json ImageComponent(const scan::ScanResult& result) {
  std::string name = result.source.empty() ? "unknown image" : result.source;
  std::optional<image::Reference> reference;
  if (!result.names.empty()) {
    auto parsed = image::Reference::Parse(result.names.front());
    // A name that does not parse is still shown, as written.
    name = parsed.ok() ? parsed->Name() : result.names.front();
    if (parsed.ok()) reference = *parsed;
  }
  Json component{{"type", "container"}, {"bom-ref", kImageRef}, {"name", name}};
  const Digest* identity = result.manifest_digest.has_value() ? &*result.manifest_digest
                           : result.image_id.empty()          ? nullptr
                                                              : &result.image_id;
  if (identity != nullptr) {
    component["version"] = identity->str();
    component["hashes"] = Json::array({Json{{"alg", "SHA-256"}, {"content", identity->hex()}}});
  }
  if (reference.has_value() && result.manifest_digest.has_value()) {
    std::string repository = reference->repository.substr(reference->repository.rfind('/') + 1);
    std::string purl = "pkg:oci/" + internal::PercentEncode(repository, "") + "@" +
                       internal::PercentEncode(result.manifest_digest->str(), kPurlKeep);
    std::string arch = result.platform.substr(result.platform.find('/') + 1);
    arch = arch.substr(0, arch.find('/'));
    char separator = '?';
    for (const auto& [key, value] : std::vector<std::pair<std::string, std::string>>{
             {"arch", arch}, {"repository_url", reference->Name()}, {"tag", reference->tag}}) {
      if (value.empty()) continue;
      purl += separator + key + "=" + internal::PercentEncode(value, kPurlQualifierKeep);
      separator = '&';
    }
    component["purl"] = purl;
  }
  Json properties = Json::array();
  if (!result.image_id.empty())
    properties.push_back(Property("bulwark:image:id", result.image_id.str()));
  for (const std::string& image_name : result.names) {
    properties.push_back(Property("bulwark:image:name", image_name));
  }
  if (!result.platform.empty())
    properties.push_back(Property("bulwark:image:platform", result.platform));
  if (!properties.empty()) component["properties"] = properties;
  return component;
}

// Everything that decided the exit code and what the SBOM leaves out, so the
// BOM alone tells whether the image passed and why.
Json MetadataProperties(const scan::ScanResult& result) {
  Json properties = Json::array();
  internal::Status status = internal::StatusOf(result);
  properties.push_back(
      Property("bulwark:verdict:status", std::string(internal::StatusName(status))));
  properties.push_back(Property("bulwark:verdict:exitCode", std::to_string(result.exit_code)));
  if (result.error.has_value()) {
    properties.push_back(Property(
        "bulwark:scan:error",
        std::string(ErrorCodeName(result.error->code())) + ": " + result.error->message()));
    return properties;
  }
  for (const internal::FailedControl& failed : internal::FailedControls(result.verdict)) {
    std::string text = "policy \"" + failed.policy->policy_name + "\" (" +
                       (failed.policy->enforce ? "enforced" : "audit only") + ") " +
                       failed.control->control + ": " + failed.control->summary;
    for (const std::string& line : failed.control->evidence) text += "\n- " + line;
    properties.push_back(Property("bulwark:verdict:failedControl", text));
  }
  for (const internal::AppliedExceptionRef& applied : internal::AppliedExceptions(result.verdict)) {
    properties.push_back(
        Property("bulwark:policy:appliedException", internal::DescribeApplied(applied)));
  }
  for (const policy::PolicyResult& policy : result.verdict.policies) {
    properties.push_back(Property("bulwark:policy:documentSha256",
                                  policy.policy_name + " " + policy.document_sha256.str()));
    for (const policy::ExpiredException& expired : policy.expired_exceptions) {
      properties.push_back(
          Property("bulwark:policy:expiredException", internal::DescribeExpired(policy, expired)));
    }
  }
  for (const catalog::CoverageGap& gap : result.inventory.gaps) {
    properties.push_back(Property("bulwark:inventory:coverageGap", gap.path + ": " + gap.reason));
  }
  if (!result.vulnerabilities.has_value()) {
    properties.push_back(
        Property("bulwark:vulnerabilities", "not checked (no advisory database was consulted)"));
    return properties;
  }
  const vulndb::MatchReport& match = *result.vulnerabilities;
  properties.push_back(Property("bulwark:vulnerabilities",
                                internal::CountsSentence(internal::CountFindings(match.findings))));
  properties.push_back(Property("bulwark:vulnerabilities:release",
                                internal::ReleaseLine(match, result.inventory.os)));
  properties.push_back(
      Property("bulwark:vulnerabilities:releaseHasData", match.distro_has_data ? "true" : "false"));
  properties.push_back(Property("bulwark:advisoryDatabase:path", match.database.path));
  properties.push_back(Property("bulwark:advisoryDatabase:builtAt", match.database.built_at));
  for (const std::string& unmatched : match.unmatched) {
    properties.push_back(Property("bulwark:vulnerabilities:unmatched", unmatched));
  }
  return properties;
}

Json Metadata(const scan::ScanResult& result) {
  Json tool{{"type", "application"}, {"name", "bulwark"}};
  if (!result.tool_version.empty()) tool["version"] = result.tool_version;
  Json metadata = Json::object();
  if (!result.scanned_at.empty()) metadata["timestamp"] = result.scanned_at;
  metadata["tools"] = Json{{"components", Json::array({tool})}};
  metadata["component"] = ImageComponent(result);
  metadata["properties"] = MetadataProperties(result);
  return metadata;
}

std::string_view CycloneDxSeverity(vulndb::Severity severity) {
  switch (severity) {
    case vulndb::Severity::kCritical:
      return "critical";
    case vulndb::Severity::kHigh:
      return "high";
    case vulndb::Severity::kMedium:
      return "medium";
    case vulndb::Severity::kLow:
      return "low";
    case vulndb::Severity::kNegligible:
      // CycloneDX has no "negligible"; "info" is its rating below low.
      return "info";
    case vulndb::Severity::kUnknown:
      return "unknown";
  }
  return "unknown";
}

// The scoring method named by a CVSS vector's prefix; v2 vectors have none.
std::string_view CvssMethod(const std::string& vector) {
  if (vector.starts_with("CVSS:3.1/")) return "CVSSv31";
  if (vector.starts_with("CVSS:3.0/")) return "CVSSv3";
  if (vector.starts_with("CVSS:4.0/")) return "CVSSv4";
  if (vector.starts_with("AV:")) return "CVSSv2";
  return "other";
}

Json Ratings(const vulndb::Finding& finding, const catalog::OsInfo& os) {
  Json ratings = Json::array();
  if (finding.severity_source == "distribution") {
    std::string distribution = os.id.empty() ? "distribution" : os.id;
    ratings.push_back(Json{{"source", Json{{"name", distribution}}},
                           {"severity", CycloneDxSeverity(finding.severity)},
                           {"method", "other"}});
  }
  if (finding.cvss_score >= 0) {
    Json rating{{"score", finding.cvss_score}};
    // The CVSS rating carries a severity only when the finding's severity was
    // taken from this score; otherwise the score speaks for itself.
    if (finding.severity_source == "cvss") rating["severity"] = CycloneDxSeverity(finding.severity);
    rating["method"] = CvssMethod(finding.cvss_vector);
    if (!finding.cvss_vector.empty()) rating["vector"] = finding.cvss_vector;
    ratings.push_back(rating);
  }
  if (ratings.empty()) {
    ratings.push_back(Json{{"severity", CycloneDxSeverity(finding.severity)}, {"method", "other"}});
  }
  return ratings;
}

// The source that documented the finding: the kind of the first database
// source whose records produced it ("osv", "debian-tracker"), with its URL
// when it was fetched from one.
Json VulnerabilitySource(const vulndb::Finding& finding, const vulndb::DatabaseStatus& database) {
  if (finding.sources.empty()) return Json{{"name", "bulwark advisory database"}};
  const std::string& name = finding.sources.front();
  Json source = Json{{"name", name}};
  for (const vulndb::SourceStatus& status : database.sources) {
    if (status.name == name) source["name"] = status.kind;
  }
  if (name.starts_with("https://") || name.starts_with("http://")) source["url"] = name;
  return source;
}

Json VulnerabilityProperties(const scan::ScanResult& result, const vulndb::Finding& finding) {
  Json properties =
      Json::array({Property("bulwark:fixState", std::string(vulndb::FixStateName(finding.state)))});
  if (!finding.severity_source.empty()) {
    properties.push_back(Property("bulwark:severitySource", finding.severity_source));
  }
  if (finding.layer_index >= 0) {
    properties.push_back(Property("bulwark:layerIndex", std::to_string(finding.layer_index)));
    properties.push_back(
        Property("bulwark:layer", internal::LayerLine(result, finding.layer_index)));
  }
  for (const std::string& alias : finding.aliases)
    properties.push_back(Property("bulwark:alias", alias));
  for (const std::string& source : finding.sources) {
    properties.push_back(Property("bulwark:databaseSource", source));
  }
  for (const internal::AppliedExceptionRef& applied :
       internal::ExceptionsFor(result.verdict, finding)) {
    properties.push_back(Property("bulwark:appliedException", internal::DescribeApplied(applied)));
  }
  return properties;
}

Json Vulnerability(const scan::ScanResult& result, const vulndb::Finding& finding,
                   const std::map<std::string, std::string>& ref_by_key) {
  auto component = ref_by_key.find(PackageKey(finding.ecosystem, finding.package, finding.version,
                                              finding.architecture, finding.db_path));
  // A finding on a package missing from the inventory cannot happen with one
  // scan's data; should it, the image itself is named as affected.
  std::string ref = component != ref_by_key.end() ? component->second : kImageRef;
  const vulndb::DatabaseStatus& database = result.vulnerabilities->database;

  Json vulnerability{{"id", finding.id},
                     {"source", VulnerabilitySource(finding, database)},
                     {"ratings", Ratings(finding, result.inventory.os)}};
  if (!finding.summary.empty()) vulnerability["description"] = finding.summary;
  if (finding.state == vulndb::FixState::kFixed) {
    vulnerability["recommendation"] =
        "Upgrade " + finding.package + " to " + finding.fixed_version + " or later.";
  }
  Json advisories = Json::array();
  for (const std::string& url : finding.references) advisories.push_back(Json{{"url", url}});
  if (!advisories.empty()) vulnerability["advisories"] = advisories;
  if (!finding.published.empty()) vulnerability["published"] = finding.published;
  if (finding.state == vulndb::FixState::kWontFix) {
    vulnerability["analysis"] = Json{
        {"response", Json::array({"will_not_fix"})},
        {"detail", "The distribution has said it will not fix this in " +
                       internal::ReleaseLine(*result.vulnerabilities, result.inventory.os) + "."}};
  }
  Json version{{"version", finding.version}, {"status", "affected"}};
  vulnerability["affects"] =
      Json::array({Json{{"ref", ref}, {"versions", Json::array({version})}}});
  vulnerability["properties"] = VulnerabilityProperties(result, finding);
  return vulnerability;
}

Json Bom(const scan::ScanResult& result) {
  Json bom{{"$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json"},
           {"bomFormat", "CycloneDX"},
           {"specVersion", "1.5"}};
  if (!result.image_id.empty() && !result.scanned_at.empty()) {
    auto uuid = internal::NameBasedUuid("urn:bulwark:scan:" + result.image_id.str() + ":" +
                                        result.scanned_at);
    // Without SHA-1 the serial number, which is optional, is left out rather
    // than made up; everything else in the BOM stands.
    if (uuid.ok()) bom["serialNumber"] = "urn:uuid:" + *uuid;
  }
  bom["version"] = 1;
  bom["metadata"] = Metadata(result);

  Components components;
  if (!result.error.has_value()) components = PackageComponents(result);
  bom["components"] = components.list;
  Json depends_on = Json::array();
  for (const Json& component : components.list) depends_on.push_back(component["bom-ref"]);
  bom["dependencies"] = Json::array({Json{{"ref", kImageRef}, {"dependsOn", depends_on}}});

  // LIMITATION(#4): a completed scan is never "complete": only OS package
  // databases are read, not language packages or binaries. A failed scan
  // knows nothing about the image, which "unknown" says.
  std::string_view aggregate = result.error.has_value() ? "unknown" : "incomplete";
  bom["compositions"] =
      Json::array({Json{{"aggregate", aggregate}, {"assemblies", Json::array({kImageRef})}}});

  if (result.vulnerabilities.has_value() && !result.error.has_value()) {
    Json vulnerabilities = Json::array();
    for (const vulndb::Finding& finding : result.vulnerabilities->findings) {
      vulnerabilities.push_back(Vulnerability(result, finding, components.ref_by_key));
    }
    bom["vulnerabilities"] = vulnerabilities;
  }
  return bom;
}

}  // namespace

Result<std::string> RenderCycloneDx(const scan::ScanResult& result) {
  try {
    return Bom(result).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, std::string("CycloneDX report: ") + e.what());
  }
}

}  // namespace bulwark::report
