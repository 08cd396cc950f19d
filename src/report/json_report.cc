#include "report/json_report.h"

#include <nlohmann/json.hpp>

#include "report/report_view.h"

namespace bulwark::report {
namespace {

using Json = nlohmann::ordered_json;

Json DigestOrNull(const std::optional<Digest>& digest) {
  return digest.has_value() ? Json(digest->str()) : Json(nullptr);
}

// Legacy archives do not state blob digests; an unknown digest is null, not "sha256:".
Json DigestOrNull(const Digest& digest) {
  return digest.empty() ? Json(nullptr) : Json(digest.str());
}

Json DigestList(const std::vector<Digest>& digests) {
  Json list = Json::array();
  for (const Digest& digest : digests) list.push_back(digest.str());
  return list;
}

// A reference to a registered image, as used for layer owners and the nearest base.
Json AncestorRef(const lineage::Ancestor& ancestor) {
  return Json{{"imageId", ancestor.image.image_id.str()},
              {"names", ancestor.image.names},
              {"prefixLength", ancestor.prefix_length}};
}

Json ImageJson(const scan::ScanResult& result) {
  Json labels = Json::object();
  for (const auto& [key, value] : result.labels) labels[key] = value;
  return Json{{"id", DigestOrNull(result.image_id)},
              {"manifestDigest", DigestOrNull(result.manifest_digest)},
              {"names", result.names},
              {"platform", result.platform},
              {"user", result.user},
              {"labels", labels}};
}

Json LayersJson(const scan::ScanResult& result) {
  std::vector<const lineage::Ancestor*> owners =
      internal::LayerOwners(result.lineage, result.layers.size());
  Json layers = Json::array();
  for (size_t i = 0; i < result.layers.size(); ++i) {
    const scan::LayerSummary& layer = result.layers[i];
    layers.push_back(Json{{"index", i},
                          {"diffId", layer.diff_id.str()},
                          {"blobDigest", DigestOrNull(layer.blob_digest)},
                          {"blobSize", layer.blob_size},
                          {"uncompressedSize", layer.uncompressed_size},
                          {"compression", layer.compression},
                          {"fromCache", layer.from_cache},
                          {"createdBy", layer.created_by},
                          {"owner", owners[i] ? AncestorRef(*owners[i]) : Json(nullptr)}});
  }
  return layers;
}

Json LineageJson(const lineage::Lineage& lineage) {
  const lineage::Ancestor* nearest = lineage.NearestBase();
  Json ancestors = Json::array();
  for (const lineage::Ancestor& ancestor : lineage.ancestors) {
    ancestors.push_back(Json{{"imageId", ancestor.image.image_id.str()},
                             {"manifestDigests", DigestList(ancestor.image.manifest_digests)},
                             {"names", ancestor.image.names},
                             {"registeredAt", ancestor.image.registered_at},
                             {"prefixLength", ancestor.prefix_length},
                             {"isSelf", ancestor.is_self},
                             {"isNearestBase", &ancestor == nearest}});
  }
  return Json{{"chain", DigestList(lineage.chain)},
              {"ancestors", ancestors},
              {"nearestBase", nearest ? AncestorRef(*nearest) : Json(nullptr)}};
}

// Layer indexes are -1 when unknown; the report says null instead.
Json LayerIndexOrNull(int layer_index) {
  return layer_index < 0 ? Json(nullptr) : Json(layer_index);
}

Json InventoryJson(const catalog::Inventory& inventory) {
  const catalog::OsInfo& os = inventory.os;
  Json os_json = Json{{"found", os.found},
                      {"sourcePath", os.source_path},
                      {"id", os.id},
                      {"idLike", os.id_like},
                      {"versionId", os.version_id},
                      {"versionCodename", os.version_codename},
                      {"prettyName", os.pretty_name}};
  Json packages = Json::array();
  for (const catalog::Package& package : inventory.packages) {
    packages.push_back(Json{{"ecosystem", package.ecosystem},
                            {"name", package.name},
                            {"version", package.version},
                            {"architecture", package.architecture},
                            {"sourceName", package.source_name},
                            {"sourceVersion", package.source_version},
                            {"dbPath", package.db_path},
                            {"license", package.license},
                            {"epoch", package.epoch},
                            {"sourceRpm", package.source_rpm},
                            {"layerIndex", LayerIndexOrNull(package.layer_index)}});
  }
  Json gaps = Json::array();
  for (const catalog::CoverageGap& gap : inventory.gaps) {
    gaps.push_back(Json{{"path", gap.path}, {"reason", gap.reason}});
  }
  return Json{{"os", os_json}, {"packages", packages}, {"coverageGaps", gaps}};
}

Json DatabaseJson(const vulndb::DatabaseStatus& database) {
  Json sources = Json::array();
  for (const vulndb::SourceStatus& source : database.sources) {
    sources.push_back(Json{{"name", source.name},
                           {"kind", source.kind},
                           {"importedAt", source.imported_at},
                           {"records", source.records},
                           {"skipped", source.skipped},
                           {"distros", source.distros}});
  }
  return Json{{"path", database.path},
              {"schemaVersion", database.schema_version},
              {"builtAt", database.built_at},
              {"sources", sources},
              {"distros", database.distros}};
}

Json CountsJson(const internal::VulnerabilityCounts& counts) {
  Json by_severity = Json::object();
  for (const internal::Count& count : counts.by_severity) {
    by_severity[std::string(count.name)] = count.count;
  }
  Json by_fix_state = Json::object();
  for (const internal::Count& count : counts.by_fix_state) {
    by_fix_state[std::string(count.name)] = count.count;
  }
  return Json{{"total", counts.total}, {"bySeverity", by_severity}, {"byFixState", by_fix_state}};
}

Json FindingJson(const vulndb::Finding& finding) {
  return Json{{"id", finding.id},
              {"aliases", finding.aliases},
              {"ecosystem", finding.ecosystem},
              {"package", finding.package},
              {"version", finding.version},
              {"architecture", finding.architecture},
              {"sourcePackage", finding.source_package},
              {"sourceVersion", finding.source_version},
              {"dbPath", finding.db_path},
              {"layerIndex", LayerIndexOrNull(finding.layer_index)},
              {"state", vulndb::FixStateName(finding.state)},
              {"fixedVersion", finding.fixed_version},
              {"severity", vulndb::SeverityName(finding.severity)},
              {"severitySource", finding.severity_source},
              {"cvssScore", finding.cvss_score < 0 ? Json(nullptr) : Json(finding.cvss_score)},
              {"cvssVector", finding.cvss_vector},
              {"published", finding.published},
              {"summary", finding.summary},
              {"references", finding.references},
              {"sources", finding.sources}};
}

// Null when no advisory database was consulted, so "not checked" never reads
// as "no findings".
Json VulnerabilitiesJson(const std::optional<vulndb::MatchReport>& match) {
  if (!match.has_value()) return nullptr;
  Json findings = Json::array();
  for (const vulndb::Finding& finding : match->findings) findings.push_back(FindingJson(finding));
  return Json{{"database", DatabaseJson(match->database)},
              {"distro", match->distro},
              {"distroHasData", match->distro_has_data},
              {"counts", CountsJson(internal::CountFindings(match->findings))},
              {"findings", findings},
              {"unmatched", match->unmatched}};
}

Json ControlJson(const policy::ControlResult& control) {
  return Json{{"control", control.control},
              {"outcome", policy::OutcomeName(control.outcome)},
              {"summary", control.summary},
              {"evidence", control.evidence}};
}

Json PoliciesJson(const policy::Verdict& verdict) {
  Json policies = Json::array();
  for (const policy::PolicyResult& result : verdict.policies) {
    Json controls = Json::array();
    for (const policy::ControlResult& control : result.controls) {
      controls.push_back(ControlJson(control));
    }
    Json applied = Json::array();
    for (const policy::AppliedException& exception : result.applied_exceptions) {
      applied.push_back(Json{{"line", exception.line},
                             {"reason", exception.reason},
                             {"expires", exception.expires},
                             {"findingId", exception.finding_id},
                             {"package", exception.package}});
    }
    Json expired = Json::array();
    for (const policy::ExpiredException& exception : result.expired_exceptions) {
      expired.push_back(Json{
          {"line", exception.line}, {"reason", exception.reason}, {"expires", exception.expires}});
    }
    policies.push_back(Json{{"name", result.policy_name},
                            {"origin", result.origin},
                            {"documentSha256", result.document_sha256.str()},
                            {"enforce", result.enforce},
                            {"compliant", result.compliant},
                            {"approvedBaseImages", result.approved_base_images},
                            {"controls", controls},
                            {"appliedExceptions", applied},
                            {"expiredExceptions", expired}});
  }
  return policies;
}

// The decision and everything that made the exit code non-zero, in one place.
Json VerdictJson(const scan::ScanResult& result) {
  internal::Status status = internal::StatusOf(result);
  bool failed = status == internal::Status::kScanFailed;
  Json failed_controls = Json::array();
  for (const internal::FailedControl& failed_control : internal::FailedControls(result.verdict)) {
    Json entry = ControlJson(*failed_control.control);
    entry.erase("outcome");
    Json item = Json{{"policy", failed_control.policy->policy_name},
                     {"enforce", failed_control.policy->enforce}};
    item.update(entry);
    failed_controls.push_back(item);
  }
  return Json{{"status", internal::StatusName(status)},
              {"compliant", failed ? Json(nullptr) : Json(result.verdict.compliant())},
              {"blocking", failed ? Json(nullptr) : Json(result.verdict.blocking())},
              {"exitCode", result.exit_code},
              {"failedControls", failed_controls}};
}

Json ErrorJson(const std::optional<Error>& error) {
  if (!error.has_value()) return nullptr;
  return Json{{"code", ErrorCodeName(error->code())}, {"message", error->message()}};
}

}  // namespace

Result<std::string> RenderJson(const scan::ScanResult& result) {
  try {
    Json report = Json{{"schemaVersion", kJsonSchemaVersion},
                       {"tool", Json{{"name", "bulwark"}, {"version", result.tool_version}}},
                       {"scannedAt", result.scanned_at},
                       {"elapsedMs", result.elapsed_ms},
                       {"source", result.source},
                       {"verdict", VerdictJson(result)},
                       {"error", ErrorJson(result.error)},
                       {"image", ImageJson(result)},
                       {"layers", LayersJson(result)},
                       {"lineage", LineageJson(result.lineage)},
                       {"inventory", InventoryJson(result.inventory)},
                       {"vulnerabilities", VulnerabilitiesJson(result.vulnerabilities)},
                       {"policies", PoliciesJson(result.verdict)}};
    // Labels, history and package fields come from the image and may hold
    // bytes that are not UTF-8; replacing them keeps the report valid JSON.
    return report.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, std::string("JSON report: ") + e.what());
  }
}

}  // namespace bulwark::report
