#include "report/html_report.h"

#include <mstch/mstch.hpp>

#include "report/report_view.h"

namespace bulwark::report {
namespace {

// The page. Every value is inserted with {{ }} so mstch HTML-escapes it; the
// triple-brace form is never used. Self-contained: inline CSS only.
constexpr char kTemplate[] = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bulwark: {{headline}} {{source}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 75em; padding: 0 1em;
       color: #1b1b1b; }
h1 { padding: .5em .7em; border-radius: 4px; color: #fff; }
.status-compliant { background: #1a7f37; }
.status-non_compliant_enforced { background: #b42318; }
.status-non_compliant_audit { background: #9a6700; }
.status-scan_failed { background: #57606a; }
.status-inventory_only { background: #57606a; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1.5em; font-size: .9em; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
code, .mono { font-family: ui-monospace, monospace; font-size: .9em; word-break: break-all; }
.fail { color: #b42318; font-weight: bold; }
.pass { color: #1a7f37; font-weight: bold; }
.box { border: 1px solid #d0d7de; border-radius: 4px; padding: .5em 1em; margin: 1em 0; }
.muted { color: #57606a; }
</style>
</head>
<body>
<h1 class="status-{{status_name}}">{{headline}}</h1>
<p>Image <code>{{source}}</code>{{#image_id}} (<code>{{image_id}}</code>){{/image_id}}.
Exit code <strong>{{exit_code}}</strong>.</p>
{{#scan_failed}}
<div class="box">
<p class="fail">The scan did not complete ({{error_code}}): {{error_message}}</p>
<p>Nothing was evaluated. No policy verdict is given for this image.</p>
<p>The image was not read to the end, so this report shows none of its lineage, layers,
packages or vulnerabilities: an absent section means not read, not absent from the image.</p>
</div>
{{/scan_failed}}
{{^scan_failed}}
<div class="box">
<h2>Why</h2>
{{#has_failed_controls}}
<ul>
{{#failed_controls}}
<li><span class="fail">{{control}}</span> failed in policy <strong>{{policy}}</strong>
({{mode}}): {{summary}}
<ul>{{#evidence}}<li>{{text}}</li>{{/evidence}}</ul></li>
{{/failed_controls}}
</ul>
{{/has_failed_controls}}
{{^has_failed_controls}}<p>Every control of every policy passed.</p>{{/has_failed_controls}}
<p>Vulnerabilities: {{vulnerabilities_line}}</p>
<p>Nearest registered base: {{nearest_base}}</p>
{{#has_approved}}<p>The policies approve: {{#approved}}<code>{{text}}</code> {{/approved}}</p>
{{/has_approved}}
</div>
{{/scan_failed}}

{{^scan_failed}}
<h2>Image</h2>
<table>
<tr><th>Image id</th><td class="mono">{{image_id}}</td></tr>
<tr><th>Manifest digest</th><td class="mono">{{manifest_digest}}</td></tr>
<tr><th>Names</th><td>{{#names}}<code>{{text}}</code> {{/names}}</td></tr>
<tr><th>Platform</th><td>{{platform}}</td></tr>
<tr><th>User</th><td><code>{{user}}</code></td></tr>
<tr><th>Labels</th><td>{{#labels}}<code>{{key}}</code> = <code>{{value}}</code><br>
{{/labels}}</td></tr>
</table>

<h2>Lineage</h2>
{{^ancestors}}<p>No registered image is a prefix of this image's layers.</p>{{/ancestors}}
{{#has_ancestors}}
<table>
<tr><th>Role</th><th>Names</th><th>Image id</th><th>Layers owned</th><th>Registered</th></tr>
{{#ancestors}}
<tr><td>{{role}}</td><td>{{names}}</td><td class="mono">{{image_id}}</td>
<td>{{prefix_length}} of {{chain_length}}</td><td>{{registered_at}}</td></tr>
{{/ancestors}}
</table>
{{/has_ancestors}}

<h2>Layers</h2>
<table>
<tr><th>#</th><th>diff_id</th><th>Owner</th><th>Blob</th><th>Size</th><th>Created by</th></tr>
{{#layers}}
<tr><td>{{index}}</td><td class="mono">{{diff_id}}</td><td>{{owner}}</td>
<td class="mono">{{blob_digest}}<br>
<span class="muted">{{compression}}{{#from_cache}}, from cache{{/from_cache}}</span></td>
<td>{{blob_size}} / {{uncompressed_size}}</td><td><code>{{created_by}}</code></td></tr>
{{/layers}}
</table>

<h2>Packages ({{package_count}})</h2>
<p>Operating system: {{os}}</p>
<table>
<tr><th>Name</th><th>Version</th><th>Ecosystem</th><th>Architecture</th><th>Source</th></tr>
{{#packages}}
<tr><td>{{name}}</td><td>{{version}}</td><td>{{ecosystem}}</td><td>{{architecture}}</td>
<td>{{source}}</td></tr>
{{/packages}}
</table>

<h2>Coverage gaps</h2>
{{^gaps}}<p>None: every package database found was read.</p>{{/gaps}}
{{#has_gaps}}
<table>
<tr><th>Path</th><th>What was not read</th></tr>
{{#gaps}}<tr><td><code>{{path}}</code></td><td>{{reason}}</td></tr>{{/gaps}}
</table>
{{/has_gaps}}

<h2>Vulnerabilities</h2>
{{^vulnerabilities}}<p>Not checked: no advisory database was consulted for this scan.</p>
{{/vulnerabilities}}
{{#vulnerabilities}}
<p>Release <code>{{release}}</code>{{^distro_has_data}}
<span class="fail">(the advisory database has no data for it)</span>{{/distro_has_data}};
advisory database <code>{{db_path}}</code> (schema {{db_schema}}), built {{built_at}}.</p>
<table>
<tr><th>Source</th><th>Kind</th><th>Imported</th><th>Records</th><th>Skipped</th><th>Releases</th>
</tr>
{{#sources}}
<tr><td><code>{{name}}</code></td><td>{{kind}}</td><td>{{imported_at}}</td><td>{{records}}</td>
<td>{{skipped}}</td><td>{{distros}}</td></tr>
{{/sources}}
</table>
<table>
<tr><th>Severity</th>{{#by_severity}}<th>{{label}}</th>{{/by_severity}}<th>total</th></tr>
<tr><td>Findings</td>{{#by_severity}}<td>{{count}}</td>{{/by_severity}}<td>{{total}}</td></tr>
</table>
<table>
<tr><th>Fix state</th>{{#by_fix_state}}<th>{{label}}</th>{{/by_fix_state}}</tr>
<tr><td>Findings</td>{{#by_fix_state}}<td>{{count}}</td>{{/by_fix_state}}</tr>
</table>
{{^findings}}<p>No findings.</p>{{/findings}}
{{#has_findings}}
<table>
<tr><th>Id</th><th>Package</th><th>Version</th><th>Severity</th><th>CVSS</th><th>Fix state</th>
<th>Fixed version</th><th>Layer</th></tr>
{{#findings}}
<tr><td><code>{{id}}</code>{{#aliases}}<br><span class="muted">{{text}}</span>{{/aliases}}
{{#exceptions}}<br><span class="muted">excepted: {{text}}</span>{{/exceptions}}</td>
<td>{{package}}<br><span class="muted">source {{source}}</span></td><td>{{version}}</td>
<td>{{severity}}{{#severity_source}}<br><span class="muted">from {{severity_source}}</span>
{{/severity_source}}</td>
<td>{{cvss}}{{#cvss_vector}}<br><span class="mono muted">{{cvss_vector}}</span>{{/cvss_vector}}
</td><td>{{state}}</td><td>{{fixed_version}}</td><td>{{layer}}</td></tr>
{{/findings}}
</table>
{{/has_findings}}
{{#has_unmatched}}
<p>Packages that could not be matched (not checked for vulnerabilities):</p>
<ul>{{#unmatched}}<li>{{text}}</li>{{/unmatched}}</ul>
{{/has_unmatched}}
{{/vulnerabilities}}
{{/scan_failed}}

<h2>Policies</h2>
{{^policies}}<p>No policy was evaluated.</p>{{/policies}}
{{#policies}}
<div class="box">
<h3>{{name}} <span class="{{outcome_class}}">{{outcome}}</span></h3>
<p>{{mode}}; from <code>{{origin}}</code>, sha256 <code>{{sha256}}</code></p>
<table>
<tr><th>Control</th><th>Outcome</th><th>Summary</th><th>Evidence</th></tr>
{{#controls}}
<tr><td>{{control}}</td><td class="{{outcome}}">{{outcome}}</td><td>{{summary}}</td>
<td>{{#evidence}}{{text}}<br>{{/evidence}}</td></tr>
{{/controls}}
</table>
{{#has_applied}}
<h4>Applied exceptions</h4>
<table>
<tr><th>Line</th><th>Finding</th><th>Package</th><th>Until</th><th>Reason</th></tr>
{{#applied}}
<tr><td>{{line}}</td><td><code>{{finding_id}}</code></td><td>{{package}}</td><td>{{expires}}</td>
<td>{{reason}}</td></tr>
{{/applied}}
</table>
{{/has_applied}}
{{#has_expired}}
<h4>Expired exceptions (no longer applied)</h4>
<table>
<tr><th>Line</th><th>Expired</th><th>Reason</th></tr>
{{#expired}}<tr><td>{{line}}</td><td>{{expires}}</td><td>{{reason}}</td></tr>{{/expired}}
</table>
{{/has_expired}}
</div>
{{/policies}}

<p class="muted">Bulwark {{tool_version}}, scanned at {{scanned_at}}.</p>
</body>
</html>
)HTML";

mstch::array TextList(const std::vector<std::string>& lines) {
  mstch::array list;
  for (const std::string& line : lines) list.push_back(mstch::map{{"text", line}});
  return list;
}

std::string OptionalDigest(const std::optional<Digest>& digest) {
  return digest.has_value() ? digest->str() : "";
}

std::string ModeOf(const policy::PolicyResult& policy) {
  return policy.enforce ? "enforced" : "audit only";
}

mstch::array FailedControlsView(const policy::Verdict& verdict) {
  mstch::array list;
  for (const internal::FailedControl& failed : internal::FailedControls(verdict)) {
    list.push_back(mstch::map{{"control", failed.control->control},
                              {"policy", failed.policy->policy_name},
                              {"mode", ModeOf(*failed.policy)},
                              {"summary", failed.control->summary},
                              {"evidence", TextList(failed.control->evidence)}});
  }
  return list;
}

mstch::array AncestorsView(const lineage::Lineage& lineage) {
  const lineage::Ancestor* nearest = lineage.NearestBase();
  mstch::array list;
  for (const lineage::Ancestor& ancestor : lineage.ancestors) {
    std::string role = ancestor.is_self         ? "the image itself"
                       : (&ancestor == nearest) ? "nearest base"
                                                : "ancestor";
    list.push_back(mstch::map{{"role", role},
                              {"names", internal::JoinNames(ancestor.image.names)},
                              {"image_id", ancestor.image.image_id.str()},
                              {"prefix_length", std::to_string(ancestor.prefix_length)},
                              {"chain_length", std::to_string(lineage.chain.size())},
                              {"registered_at", ancestor.image.registered_at}});
  }
  return list;
}

mstch::array LayersView(const scan::ScanResult& result) {
  std::vector<const lineage::Ancestor*> owners =
      internal::LayerOwners(result.lineage, result.layers.size());
  mstch::array list;
  for (size_t i = 0; i < result.layers.size(); ++i) {
    const scan::LayerSummary& layer = result.layers[i];
    std::string owner = owners[i] ? internal::JoinNames(owners[i]->image.names)
                                  : "this image (no registered base owns it)";
    // Counted from 1, as the findings table and policy evidence count layers.
    list.push_back(mstch::map{{"index", std::to_string(i + 1)},
                              {"diff_id", layer.diff_id.str()},
                              {"owner", owner},
                              {"blob_digest", layer.blob_digest.str()},
                              {"compression", layer.compression},
                              {"from_cache", layer.from_cache},
                              {"blob_size", internal::FormatBytes(layer.blob_size)},
                              {"uncompressed_size", internal::FormatBytes(layer.uncompressed_size)},
                              {"created_by", layer.created_by}});
  }
  return list;
}

mstch::array PackagesView(const catalog::Inventory& inventory) {
  mstch::array list;
  for (const catalog::Package& package : inventory.packages) {
    std::string source = package.source_name;
    if (!package.source_version.empty() && package.source_version != package.version) {
      source += " " + package.source_version;
    }
    list.push_back(mstch::map{{"name", package.name},
                              {"version", package.version},
                              {"ecosystem", package.ecosystem},
                              {"architecture", package.architecture},
                              {"source", source}});
  }
  return list;
}

mstch::array GapsView(const catalog::Inventory& inventory) {
  mstch::array list;
  for (const catalog::CoverageGap& gap : inventory.gaps) {
    list.push_back(mstch::map{{"path", gap.path}, {"reason", gap.reason}});
  }
  return list;
}

mstch::array PoliciesView(const policy::Verdict& verdict) {
  mstch::array list;
  for (const policy::PolicyResult& policy : verdict.policies) {
    mstch::array controls;
    for (const policy::ControlResult& control : policy.controls) {
      controls.push_back(mstch::map{{"control", control.control},
                                    {"outcome", std::string(policy::OutcomeName(control.outcome))},
                                    {"summary", control.summary},
                                    {"evidence", TextList(control.evidence)}});
    }
    mstch::array applied;
    for (const policy::AppliedException& exception : policy.applied_exceptions) {
      applied.push_back(mstch::map{{"line", std::to_string(exception.line)},
                                   {"finding_id", exception.finding_id},
                                   {"package", exception.package},
                                   {"expires", exception.expires},
                                   {"reason", exception.reason}});
    }
    mstch::array expired;
    for (const policy::ExpiredException& exception : policy.expired_exceptions) {
      expired.push_back(mstch::map{{"line", std::to_string(exception.line)},
                                   {"expires", exception.expires},
                                   {"reason", exception.reason}});
    }
    list.push_back(
        mstch::map{{"name", policy.policy_name},
                   {"outcome", std::string(policy.compliant ? "compliant" : "non-compliant")},
                   {"outcome_class", std::string(policy.compliant ? "pass" : "fail")},
                   {"mode", ModeOf(policy)},
                   {"origin", policy.origin},
                   {"sha256", policy.document_sha256.hex()},
                   {"controls", controls},
                   {"has_applied", !applied.empty()},
                   {"applied", applied},
                   {"has_expired", !expired.empty()},
                   {"expired", expired}});
  }
  return list;
}

mstch::array CountsView(const std::vector<internal::Count>& counts) {
  mstch::array list;
  for (const internal::Count& count : counts) {
    list.push_back(
        mstch::map{{"label", std::string(count.label)}, {"count", std::to_string(count.count)}});
  }
  return list;
}

mstch::map FindingView(const scan::ScanResult& result, const vulndb::Finding& finding) {
  std::vector<std::string> exceptions;
  for (const internal::AppliedExceptionRef& applied :
       internal::ExceptionsFor(result.verdict, finding)) {
    exceptions.push_back("policy " + applied.policy->policy_name + " line " +
                         std::to_string(applied.exception->line) + ", until " +
                         applied.exception->expires);
  }
  std::string source = finding.source_package;
  if (!finding.source_version.empty() && finding.source_version != finding.version) {
    source += " " + finding.source_version;
  }
  std::string severity_source =
      finding.severity_source == "cvss" ? "CVSS" : finding.severity_source;
  return mstch::map{{"id", finding.id},
                    {"aliases", TextList(finding.aliases)},
                    {"exceptions", TextList(exceptions)},
                    {"package", finding.package},
                    {"source", source},
                    {"version", finding.version},
                    {"severity", std::string(vulndb::SeverityName(finding.severity))},
                    {"severity_source", severity_source},
                    {"cvss", internal::FormatCvss(finding.cvss_score)},
                    {"cvss_vector", finding.cvss_vector},
                    {"state", std::string(internal::FixStateLabel(finding.state))},
                    {"fixed_version", finding.fixed_version},
                    {"layer", internal::LayerLine(result, finding.layer_index)}};
}

// The vulnerabilities section; an empty map renders nothing under the
// "{{#vulnerabilities}}" section, which then says the check did not run.
mstch::node VulnerabilitiesView(const scan::ScanResult& result) {
  if (!result.vulnerabilities.has_value()) return false;
  const vulndb::MatchReport& match = *result.vulnerabilities;
  mstch::array sources;
  for (const vulndb::SourceStatus& source : match.database.sources) {
    sources.push_back(mstch::map{{"name", source.name},
                                 {"kind", source.kind},
                                 {"imported_at", source.imported_at},
                                 {"records", std::to_string(source.records)},
                                 {"skipped", std::to_string(source.skipped)},
                                 {"distros", internal::JoinWithCommas(source.distros)}});
  }
  mstch::array findings;
  for (const vulndb::Finding& finding : match.findings) {
    findings.push_back(FindingView(result, finding));
  }
  internal::VulnerabilityCounts counts = internal::CountFindings(match.findings);
  return mstch::map{{"release", internal::ReleaseLine(match, result.inventory.os)},
                    {"distro_has_data", match.distro_has_data},
                    {"db_path", match.database.path},
                    {"db_schema", std::to_string(match.database.schema_version)},
                    {"built_at", match.database.built_at},
                    {"sources", sources},
                    {"by_severity", CountsView(counts.by_severity)},
                    {"by_fix_state", CountsView(counts.by_fix_state)},
                    {"total", std::to_string(counts.total)},
                    {"has_findings", !findings.empty()},
                    {"findings", findings},
                    {"has_unmatched", !match.unmatched.empty()},
                    {"unmatched", TextList(match.unmatched)}};
}

std::string VulnerabilitiesLine(const scan::ScanResult& result) {
  if (!result.vulnerabilities.has_value()) return "not checked (no advisory database)";
  return internal::CountsSentence(internal::CountFindings(result.vulnerabilities->findings));
}

std::string OsLine(const catalog::OsInfo& os) {
  if (!os.found) return "not identified (no os-release file)";
  std::string line = os.pretty_name.empty() ? os.id + " " + os.version_id : os.pretty_name;
  return line + " (from " + os.source_path + ")";
}

mstch::map PageView(const scan::ScanResult& result) {
  internal::Status status = internal::StatusOf(result);
  mstch::array failed_controls = FailedControlsView(result.verdict);
  mstch::array ancestors = AncestorsView(result.lineage);
  mstch::array gaps = GapsView(result.inventory);
  mstch::array approved = TextList(internal::ApprovedBaseImages(result.verdict));
  mstch::array labels;
  for (const auto& [key, value] : result.labels) {
    labels.push_back(mstch::map{{"key", key}, {"value", value}});
  }

  mstch::map page{{"status_name", std::string(internal::StatusName(status))},
                  {"headline", std::string(internal::StatusHeadline(status))},
                  {"exit_code", std::to_string(result.exit_code)},
                  {"source", result.source},
                  {"image_id", result.image_id.empty() ? std::string() : result.image_id.str()},
                  {"manifest_digest", OptionalDigest(result.manifest_digest)},
                  {"names", TextList(result.names)},
                  {"platform", result.platform},
                  {"user", result.user},
                  {"labels", labels},
                  {"scan_failed", status == internal::Status::kScanFailed},
                  {"has_failed_controls", !failed_controls.empty()},
                  {"failed_controls", failed_controls},
                  {"nearest_base", internal::NearestBaseLine(result.lineage)},
                  {"has_approved", !approved.empty()},
                  {"approved", approved},
                  {"has_ancestors", !ancestors.empty()},
                  {"ancestors", ancestors},
                  {"layers", LayersView(result)},
                  {"os", OsLine(result.inventory.os)},
                  {"package_count", std::to_string(result.inventory.packages.size())},
                  {"packages", PackagesView(result.inventory)},
                  {"has_gaps", !gaps.empty()},
                  {"gaps", gaps},
                  {"vulnerabilities_line", VulnerabilitiesLine(result)},
                  {"vulnerabilities", VulnerabilitiesView(result)},
                  {"policies", PoliciesView(result.verdict)},
                  {"tool_version", result.tool_version},
                  {"scanned_at", result.scanned_at}};
  if (result.error.has_value()) {
    page["error_code"] = std::string(ErrorCodeName(result.error->code()));
    page["error_message"] = result.error->message();
  }
  return page;
}

}  // namespace

Result<std::string> RenderHtml(const scan::ScanResult& result) {
  try {
    return mstch::render(kTemplate, PageView(result));
  } catch (const std::exception& e) {
    return Error(ErrorCode::kInternal, std::string("HTML report: ") + e.what());
  }
}

}  // namespace bulwark::report
