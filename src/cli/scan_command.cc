#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/server_client.h"
#include "cli/registry_flags.h"
#include "common/build_info.h"
#include "image/reference.h"
#include "policy/terminal_text.h"
#include "report/cyclonedx_report.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/sarif_report.h"
#include "report/text_report.h"
#include "scan/analysis_codec.h"
#include "scan/scanner.h"

namespace bulwark::cli {
namespace {

struct ScanFlags {
  std::string source;
  std::vector<std::string> policy_files;
  std::string json_path;
  std::string html_path;
  std::string sarif_path;
  std::string junit_path;
  std::string cyclonedx_path;
  std::string platform;
  bool register_image = false;
  std::vector<std::string> names;
  bool no_cache = false;
  bool inventory_only = false;
  bool platform_given = false;
  ServerFlags server;
  image::SourceOptions source_options;
};

// Writes the requested report files; a failure to write one is a scan failure (exit 3).
Status WriteReports(const ScanFlags& flags, const scan::ScanResult& result) {
  if (!flags.json_path.empty()) {
    BULWARK_ASSIGN_OR_RETURN(std::string json, report::RenderJson(result));
    BULWARK_TRY(WriteFileAtomic(flags.json_path, json));
  }
  if (!flags.html_path.empty()) {
    BULWARK_ASSIGN_OR_RETURN(std::string html, report::RenderHtml(result));
    BULWARK_TRY(WriteFileAtomic(flags.html_path, html));
  }
  if (!flags.sarif_path.empty()) {
    BULWARK_ASSIGN_OR_RETURN(std::string sarif, report::RenderSarif(result));
    BULWARK_TRY(WriteFileAtomic(flags.sarif_path, sarif));
  }
  if (!flags.junit_path.empty()) {
    BULWARK_TRY(WriteFileAtomic(flags.junit_path, report::RenderJunit(result)));
  }
  if (!flags.cyclonedx_path.empty()) {
    BULWARK_ASSIGN_OR_RETURN(std::string bom, report::RenderCycloneDx(result));
    BULWARK_TRY(WriteFileAtomic(flags.cyclonedx_path, bom));
  }
  return Ok();
}

void PrintReportPaths(const ScanFlags& flags) {
  if (!flags.json_path.empty()) std::printf("JSON report: %s\n", flags.json_path.c_str());
  if (!flags.html_path.empty()) std::printf("HTML report: %s\n", flags.html_path.c_str());
  if (!flags.sarif_path.empty()) std::printf("SARIF report: %s\n", flags.sarif_path.c_str());
  if (!flags.junit_path.empty()) std::printf("JUnit report: %s\n", flags.junit_path.c_str());
  if (!flags.cyclonedx_path.empty()) {
    std::printf("CycloneDX SBOM: %s\n", flags.cyclonedx_path.c_str());
  }
}

// A scan that could not complete still gets reports that say so (exit 3).
// Now, RFC 3339 UTC, as the scanner stamps a completed scan.
std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm parts;
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// When this process started to run the command, near enough: a failed scan's
// reports say how long it ran before it stopped.
const auto kCommandStarted = std::chrono::steady_clock::now();

int FailScan(const ScanFlags& flags, const Error& error) {
  scan::ScanResult result;
  auto ran = std::chrono::steady_clock::now() - kCommandStarted;
  result.elapsed_ms = std::chrono::duration<double, std::milli>(ran).count();
  result.tool_version = BULWARK_VERSION;
  result.scanned_at = NowUtc();
  result.source = flags.source;
  result.error = error;
  result.exit_code = ExitCodeFor(error);
  auto written = WriteReports(flags, result);
  std::fputs(report::RenderText(result).c_str(), stdout);
  if (written.ok()) PrintReportPaths(flags);
  Fail(error);
  return result.exit_code;
}

Result<std::vector<std::string>> NormaliseNames(const std::vector<std::string>& names) {
  std::vector<std::string> normalised;
  for (const std::string& name : names) {
    BULWARK_ASSIGN_OR_RETURN(image::Reference reference, image::Reference::Parse(name));
    normalised.push_back(reference.NameAndTag());
  }
  return normalised;
}

// The advisory database for a scan: opened when it exists and an import into it
// has completed; when not, a scan whose policies need advisories cannot be
// completed (exit 3), and any other scan goes on without vulnerability findings.
Result<std::unique_ptr<vulndb::AdvisoryDatabase>> OpenAdvisories(
    const GlobalOptions& global, const std::vector<policy::Policy>& policies) {
  std::string path = AdvisoryDbLocation(global);
  std::error_code error;
  std::string missing = "there is no advisory database at " + path;
  if (std::filesystem::exists(path, error)) {
    auto opened = vulndb::OpenAdvisoryDatabase(path);
    // A file no import has completed into is as good as none (#4).
    if (opened.ok() || opened.error().code() != ErrorCode::kNotFound) return opened;
    missing = "no import into the advisory database at " + path + " has completed";
  }
  for (const policy::Policy& policy : policies) {
    if (!policy.NeedsAdvisories()) continue;
    return Error(ErrorCode::kNotFound,
                 "policy \"" + policy.name + "\" (" + policy.origin +
                     ") checks vulnerabilities, and " + missing +
                     ": build one with `bulwark db update` or `bulwark db import SOURCE...`, "
                     "or name it with --advisory-db");
  }
  return std::unique_ptr<vulndb::AdvisoryDatabase>();
}

// The file a report path writes to, so that spellings such as ./r.json and
// DIR/r.json, or a symlink (even one whose target does not exist yet), compare
// equal. The path itself when it cannot be resolved.
std::string ReportFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path file = fs::absolute(path, error);
  for (int links = 0; links < 40 && !error; ++links) {
    // A path that does not exist yet sets `status_error`; it is no symlink.
    std::error_code status_error;
    if (!fs::is_symlink(fs::symlink_status(file, status_error))) break;
    fs::path target = fs::read_symlink(file, error);
    file = target.is_absolute() ? target : file.parent_path() / target;
  }
  fs::path resolved = error ? fs::path(path) : fs::weakly_canonical(file, error);
  return error ? path : resolved.string();
}

// The inputs of a scan that a report must not overwrite, by the file each
// names: the policy files, the store, the advisory database, and the image
// source. A source's REF suffix is not known here, so the text before each ':'
// counts as a possible path too; a directory source (an OCI layout) covers its
// layout files, index.json, oci-layout and blobs/.
std::vector<std::pair<std::string, std::string>> ScanInputs(const GlobalOptions& global,
                                                             const ScanFlags& flags) {
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const std::string& policy : flags.policy_files) {
    inputs.emplace_back(ReportFile(policy), "the policy file " + policy);
  }
  std::string store = StoreLocation(global);
  inputs.emplace_back(ReportFile(store), "the store " + store);
  std::string advisories = AdvisoryDbLocation(global);
  inputs.emplace_back(ReportFile(advisories), "the advisory database " + advisories);

  std::string_view source = flags.source;
  for (std::string_view transport : {"docker-archive:", "oci-archive:", "oci:"}) {
    if (source.starts_with(transport)) source.remove_prefix(transport.size());
  }
  for (size_t end = 0; end != std::string_view::npos; end = source.find(':', end + 1)) {
    std::string_view candidate = end == 0 ? source : source.substr(0, end);
    if (candidate.empty()) continue;
    inputs.emplace_back(ReportFile(std::string(candidate)), "the image " + flags.source);
  }
  return inputs;
}

// Why writing a report to `file` (as ReportFile gives it) would destroy an
// input of the scan, or "" when it would not.
std::string OverwrittenInput(const std::string& file,
                             const std::vector<std::pair<std::string, std::string>>& inputs) {
  for (const auto& [input, what] : inputs) {
    if (file == input) return what;
    std::error_code error;
    bool inside = std::filesystem::is_directory(input, error) && file.size() > input.size() &&
                  file.compare(0, input.size(), input) == 0 && file[input.size()] == '/';
    if (!inside) continue;
    std::string_view relative = std::string_view(file).substr(input.size() + 1);
    if (relative == "index.json" || relative == "oci-layout" || relative.starts_with("blobs/")) {
      return what;
    }
  }
  return "";
}

// One report a scan can write: its format name (as the server names it), its
// flag, and the path given (empty when the report was not asked for).
struct ReportTarget {
  std::string format;
  std::string flag;
  const std::string& path;
};

std::vector<ReportTarget> ReportTargets(const ScanFlags& flags) {
  return {{"json", "--json", flags.json_path},
          {"html", "--html", flags.html_path},
          {"sarif", "--sarif", flags.sarif_path},
          {"junit", "--junit", flags.junit_path},
          {"cyclonedx", "--cyclonedx", flags.cyclonedx_path}};
}

// Writes the reports the server rendered, each to the file its flag named.
Status WriteServerReports(const ScanFlags& flags, const nlohmann::json& reports) {
  for (const ReportTarget& target : ReportTargets(flags)) {
    const std::string& format = target.format;
    if (target.path.empty()) continue;
    if (!reports.contains(format) || !reports[format].is_string()) {
      return Error(ErrorCode::kNetwork, "server reply: no " + format + " report");
    }
    BULWARK_TRY(WriteFileAtomic(target.path, reports[format].get<std::string>()));
  }
  return Ok();
}

// The query of POST /api/v1/scans: the reports to render and registration.
std::string ScanQuery(const ScanFlags& flags, const std::vector<std::string>& names) {
  std::string query;
  for (const ReportTarget& target : ReportTargets(flags)) {
    if (!target.path.empty()) query += "&report=" + target.format;
  }
  if (flags.register_image) query += "&register=true";
  for (const std::string& name : names) query += "&name=" + QueryEscape(name);
  return query.empty() ? "" : "?" + query.substr(1);
}

// The CI flow through a server (issue #5): the image is analysed here, the
// server judges the analysis under its own policies and registered images
// (scan::EvaluateAnalysis, as a local scan does), records the scan and
// renders the reports. An unreachable server or refused credentials exit 3.
int RunServerScan(const GlobalOptions& global, const ScanFlags& flags,
                  const scan::ScanOptions& options, const std::vector<std::string>& names) {
  if (!flags.policy_files.empty() || flags.inventory_only) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "--server: the server evaluates its own policies; drop --policy and "
                      "--inventory-only (or drop --server)"));
  }
  // The local store is only the layer cache here; policies and images are the server's.
  auto store = OpenStore(global);
  if (!store.ok()) return FailScan(flags, store.error());
  scan::Scanner scanner(**store);
  auto analysis = scanner.Analyze(options);
  if (!analysis.ok()) return FailScan(flags, analysis.error());

  auto reply = CallServer(flags.server, "POST", "/api/v1/scans" + ScanQuery(flags, names),
                          scan::EncodeAnalysis(*analysis), "application/json");
  if (!reply.ok()) {
    if (reply.error().code() == ErrorCode::kInvalidArgument) return Fail(reply.error());
    return FailScan(flags, reply.error());
  }
  nlohmann::json outcome = nlohmann::json::parse(reply->body, nullptr, false);
  if (!outcome.is_object() || !outcome.contains("exitCode") || !outcome["exitCode"].is_number()) {
    return FailScan(flags, Error(ErrorCode::kNetwork, "server " + flags.server.url +
                                                          ": the reply holds no verdict"));
  }
  auto written = WriteServerReports(flags, outcome.value("reports", nlohmann::json::object()));
  if (!written.ok()) return FailScan(flags, written.error());
  std::fputs(outcome.value("text", std::string()).c_str(), stdout);
  PrintReportPaths(flags);
  std::printf("Scan %lld recorded on %s\n", outcome.value("scanId", 0LL),
              flags.server.url.c_str());
  if (flags.register_image && outcome.value("blocking", true)) {
    std::fprintf(stderr,
                 "bulwark: not registered: the image is non-compliant under an enforcing "
                 "policy, so it must not become an approved base\n");
  } else if (outcome.value("registered", false)) {
    std::printf("Registered %s on the server\n", analysis->image.image_id.str().c_str());
  }
  int exit_code = outcome["exitCode"].get<int>();
  // Only the two verdict codes are believed; anything else is not a pass.
  return exit_code == kExitCompliant || exit_code == kExitNonCompliant ? exit_code
                                                                       : kExitScanFailed;
}

int RunScan(const GlobalOptions& global, const ScanFlags& flags) {
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
  auto names = NormaliseNames(flags.names);
  if (!names.ok()) return Fail(names.error());
  std::map<std::string, std::string> flag_by_path;
  auto inputs = ScanInputs(global, flags);
  for (const ReportTarget& target : ReportTargets(flags)) {
    const std::string& flag = target.flag;
    const std::string& path = target.path;
    auto writable = CheckReportPath(flag, path);
    if (!writable.ok()) return Fail(writable.error());
    // A report written over an input (a typo such as --json app.tar) would
    // destroy the image, a policy or a database (#2).
    std::string file = ReportFile(path);
    std::string overwritten = path.empty() ? "" : OverwrittenInput(file, inputs);
    if (!overwritten.empty()) {
      return Fail(Error(ErrorCode::kInvalidArgument,
                        flag + " " + path + ": would overwrite " + overwritten +
                            "; write the report to another file"));
    }
    // Two reports written to one file would leave only the last one there.
    auto [earlier, added] = flag_by_path.try_emplace(file, flag);
    if (!path.empty() && !added) {
      std::string clash = flag + " " + path + ": the same file as " + earlier->second;
      return Fail(Error(ErrorCode::kInvalidArgument, clash + "; give each report its own file"));
    }
  }
  if (flags.server.given()) return RunServerScan(global, flags, options, *names);
  auto store = OpenStore(global);
  if (!store.ok()) return FailScan(flags, store.error());
  auto policies = LoadPolicies(**store, flags.policy_files);
  if (!policies.ok()) return Fail(policies.error());
  // A scan that judges nothing must not look like a pass (a mistyped data
  // directory has no policies): it is refused unless asked for explicitly.
  if (policies->empty() && !flags.inventory_only) {
    std::string store_shown = store::DisplayLocation(StoreLocation(global));
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "no policy to evaluate: give --policy FILE, apply one with `bulwark "
                      "policy apply FILE` (store: " + store_shown +
                          "), or pass --inventory-only to list the image's contents without a "
                          "verdict"));
  }
  if (!policies->empty() && flags.inventory_only) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "--inventory-only evaluates no policy; drop it, or drop --policy"));
  }

  auto advisories = OpenAdvisories(global, *policies);
  if (!advisories.ok()) return FailScan(flags, advisories.error());

  scan::Scanner scanner(**store);
  auto analysis = scanner.Analyze(options);
  if (!analysis.ok()) return FailScan(flags, analysis.error());
  auto result = scanner.Evaluate(*analysis, *policies, advisories->get());
  if (!result.ok()) return FailScan(flags, result.error());

  auto written = WriteReports(flags, *result);
  if (!written.ok()) return FailScan(flags, written.error());
  std::fputs(report::RenderText(*result).c_str(), stdout);
  PrintReportPaths(flags);

  if (flags.register_image && result->verdict.blocking()) {
    std::fprintf(stderr,
                 "bulwark: not registered: the image is non-compliant under an enforcing "
                 "policy, so it must not become an approved base\n");
  } else if (flags.register_image) {
    auto registered = scanner.Register(*analysis, *names);
    if (!registered.ok()) return Fail(registered.error());
    auto audited = AuditLocal(**store, "image.register", analysis->image.image_id.str(),
                              "from a compliant scan");
    if (!audited.ok()) return Fail(audited.error());
    std::printf("Registered %s%s\n", analysis->image.image_id.str().c_str(),
                names->empty() ? kNamelessRegistration : "");
  }
  return result->exit_code;
}

}  // namespace

void AddScanCommand(CLI::App& app, const GlobalOptions& global, Action* run) {
  auto flags = std::make_shared<ScanFlags>();
  CLI::App* scan = app.add_subcommand(
      "scan", "Scan an image and evaluate policies (exit 4 when an enforcing policy fails)");
  scan->add_option("source", flags->source, "Image SOURCE (see below)")->required();
  scan->add_option("--policy", flags->policy_files,
                   "Policy document (repeatable); default: the policies applied to the store");
  scan->add_option("--json", flags->json_path, "Write the JSON report here");
  scan->add_option("--html", flags->html_path, "Write the HTML report here");
  scan->add_option("--sarif", flags->sarif_path,
                   "Write a SARIF 2.1.0 report here (findings and failed controls as results)");
  scan->add_option("--junit", flags->junit_path,
                   "Write a JUnit XML report here (one test case per control)");
  scan->add_option("--cyclonedx", flags->cyclonedx_path,
                   "Write a CycloneDX 1.5 JSON SBOM here (packages and vulnerabilities)");
  CLI::Option* platform =
      scan->add_option("--platform", flags->platform, "os/arch[/variant] to pick from an index")
          ->default_str("linux/amd64");
  scan->add_flag("--register", flags->register_image,
                 "Register the scanned image as a possible base (skipped when an enforcing "
                 "policy fails)");
  scan->add_option("--name", flags->names, "Name to register it under (with --register)")
      ->needs(scan->get_option("--register"));
  scan->add_flag("--no-cache", flags->no_cache, "Read every layer even if its analysis is cached");
  scan->add_flag("--inventory-only", flags->inventory_only,
                 "Inventory the image without any policy (no verdict; exit 0 when read)");
  AddServerOptions(scan, &flags->server);
  AddRegistryFlags(scan, &flags->source_options);
  scan->footer(std::string(kSourcesHelp) +
               "\nWith --server, the image is analysed here and judged by the server's "
               "policies; an unreachable server or refused credentials exit 3.\nExit codes: 0 "
               "compliant (or audit only), 2 usage/configuration, 3 scan failed or server "
               "unreachable, 4 non-compliant.");
  scan->callback([&global, flags, run, platform] {
    flags->platform_given = platform->count() > 0;
    *run = [&global, flags] { return RunScan(global, *flags); };
  });
}

int Fail(const Error& error) {
  // Messages quote image contents (paths, names): keep terminal controls out.
  std::fprintf(stderr, "bulwark: %s\n", policy::EscapeForTerminal(error.message()).c_str());
  return ExitCodeFor(error);
}

}  // namespace bulwark::cli
