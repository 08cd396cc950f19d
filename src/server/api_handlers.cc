#include "server/api_handlers.h"

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "image/reference.h"
#include "lineage/lineage.h"
#include "policy/policy.h"
#include "report/cyclonedx_report.h"
#include "report/html_report.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/sarif_report.h"
#include "report/text_report.h"
#include "scan/analysis_codec.h"
#include "scan/scanner.h"
#include "scan/store_queries.h"
#include "server/openapi.h"
#include "server/request_parsers.h"

namespace bulwark::server::internal {
namespace {

using nlohmann::json;

constexpr int kDefaultListLimit = 100;
constexpr int kMaxListLimit = 1000;
constexpr size_t kMaxQueryValueBytes = 512;

Error Invalid(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}

// A query parameter, bounded; "" when absent.
Result<std::string> Query(const httplib::Request& request, const char* key, size_t index = 0) {
  if (request.get_param_value_count(key) <= index) return std::string();
  std::string value = request.get_param_value(key, index);
  if (value.size() > kMaxQueryValueBytes) {
    return Error(ErrorCode::kLimitExceeded, std::string("query parameter ") + key + ": too long");
  }
  return value;
}

Result<int> LimitParam(const httplib::Request& request) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, Query(request, "limit"));
  if (text.empty()) return kDefaultListLimit;
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || value < 1 || value > kMaxListLimit) {
    return Invalid("limit: a number from 1 to " + std::to_string(kMaxListLimit));
  }
  return static_cast<int>(value);
}

Result<int64_t> IdParam(const Call& call, const char* what) {
  std::string text = call.request.matches[1];
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 1) {
    return Error(ErrorCode::kNotFound, std::string("no ") + what + " with id \"" + text + "\"");
  }
  return static_cast<int64_t>(value);
}

// Normalised names from the repeated "name" query parameter; a digest is
// refused as `image register --name` refuses it.
Result<std::vector<std::string>> NamesParam(const httplib::Request& request) {
  std::vector<std::string> names;
  for (size_t i = 0; i < request.get_param_value_count("name"); ++i) {
    BULWARK_ASSIGN_OR_RETURN(std::string text, Query(request, "name", i));
    BULWARK_ASSIGN_OR_RETURN(image::Reference reference, image::Reference::Parse(text));
    if (reference.digest) {
      return Invalid("--name " + text +
                     ": register under a name and tag, not a digest; the "
                     "digest is recorded from the image itself");
    }
    names.push_back(reference.NameAndTag());
  }
  return names;
}

// The analysis in a request body. Anything malformed is the client's bytes,
// not a configuration choice: kCorruptInput (400), not kInvalidArgument.
Result<scan::Analysis> BodyAnalysis(const httplib::Request& request) {
  auto analysis = scan::DecodeAnalysis(request.body);
  if (!analysis.ok() && analysis.error().code() == ErrorCode::kInvalidArgument) {
    return Error(ErrorCode::kCorruptInput, analysis.error().message());
  }
  return analysis;
}

json ChainJson(const std::vector<Digest>& chain) {
  json list = json::array();
  for (const Digest& digest : chain) list.push_back(digest.str());
  return list;
}

json ImageSummaryJson(const lineage::RegisteredImage& image) {
  return {{"imageId", image.image_id.str()},
          {"names", image.names},
          {"layers", ChainJson(image.chain)},
          {"registeredAt", image.registered_at}};
}

json ScanSummaryJson(const store::StoredScan& scan) {
  return {{"id", scan.id},
          {"imageId", scan.image_id.str()},
          {"source", scan.source},
          {"submittedBy", scan.submitted_by},
          {"scannedAt", scan.scanned_at},
          {"exitCode", scan.exit_code},
          {"compliant", scan.compliant},
          {"requestId", scan.request_id}};
}

// The reports a scan request asks for ("report" query parameter, repeated).
Result<json> RenderReports(const httplib::Request& request, const scan::ScanResult& result) {
  json reports = json::object();
  for (size_t i = 0; i < request.get_param_value_count("report"); ++i) {
    const std::string format = request.get_param_value("report", i);
    if (format == "json") {
      BULWARK_ASSIGN_OR_RETURN(reports["json"], report::RenderJson(result));
    } else if (format == "html") {
      BULWARK_ASSIGN_OR_RETURN(reports["html"], report::RenderHtml(result));
    } else if (format == "sarif") {
      BULWARK_ASSIGN_OR_RETURN(reports["sarif"], report::RenderSarif(result));
    } else if (format == "junit") {
      reports["junit"] = report::RenderJunit(result);
    } else if (format == "cyclonedx") {
      BULWARK_ASSIGN_OR_RETURN(reports["cyclonedx"], report::RenderCycloneDx(result));
    } else {
      return Invalid("report " + format.substr(0, 32) +
                     ": use json, html, sarif, junit or cyclonedx");
    }
  }
  return reports;
}

}  // namespace

Reply JsonReply(const nlohmann::json& body, int status) {
  return Reply{status, body.dump(2, ' ', false, json::error_handler_t::replace) + "\n",
               "application/json"};
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kCorruptInput:
      return 400;
    case ErrorCode::kUnsupported:
      return 501;
    case ErrorCode::kLimitExceeded:
      return 413;
    case ErrorCode::kAuthentication:
      return 401;
    case ErrorCode::kNetwork:
      return 502;
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorBody(std::string_view code, std::string_view message) {
  json body = {{"error", {{"code", code}, {"message", message}}}};
  return body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Handlers::Handlers(std::unique_ptr<store::Store> store,
                   std::unique_ptr<vulndb::AdvisoryDatabase> advisories, std::string advisory_path,
                   SecretBox secrets)
    : store_(std::move(store)),
      advisories_(std::move(advisories)),
      advisory_path_(std::move(advisory_path)),
      secrets_(std::move(secrets)) {
  auto dummy = HashPassword("not a password of anyone");
  if (dummy.ok()) dummy_hash_ = *dummy;
}

bool Handlers::CheckPassword(std::string_view password, const std::string& hash) {
  hashing_.acquire();
  bool matches = VerifyPassword(password, hash);
  hashing_.release();
  return matches;
}

Result<Principal> Handlers::Authenticate(const Credentials& credentials) {
  const Error refused(ErrorCode::kAuthentication, "user name or password refused");
  switch (credentials.kind) {
    case Credentials::Kind::kNone:
      return Error(ErrorCode::kAuthentication,
                   "authentication required: send a user and password (HTTP Basic) or an API "
                   "token (Authorization: Bearer TOKEN)");
    case Credentials::Kind::kBearer: {
      std::lock_guard<std::mutex> lock(store_mutex_);
      BULWARK_ASSIGN_OR_RETURN(auto token, store_->FindToken(TokenDigest(credentials.token)));
      if (!token || !token->revoked_at.empty()) {
        return Error(ErrorCode::kAuthentication, "API token unknown or revoked");
      }
      BULWARK_ASSIGN_OR_RETURN(auto user, store_->GetUser(token->user));
      if (!user) return Error(ErrorCode::kAuthentication, "API token unknown or revoked");
      BULWARK_ASSIGN_OR_RETURN(Role role, ParseRole(user->role));
      return Principal{user->name, role, "token " + std::to_string(token->id)};
    }
    case Credentials::Kind::kBasic: {
      std::optional<store::User> user;
      {
        std::lock_guard<std::mutex> lock(store_mutex_);
        BULWARK_ASSIGN_OR_RETURN(user, store_->GetUser(credentials.user));
      }
      // An unknown user costs one hash too, so timing does not tell who exists.
      bool matches = CheckPassword(credentials.password, user ? user->password_hash : dummy_hash_);
      if (!user || !matches) return refused;
      BULWARK_ASSIGN_OR_RETURN(Role role, ParseRole(user->role));
      return Principal{user->name, role, "password"};
    }
  }
  return refused;
}

Status Handlers::Audit(const Call& call, std::string_view action, std::string_view target,
                       std::string_view detail) {
  store::AuditEntry entry;
  entry.actor = call.principal.user + " (" + call.principal.via + ")";
  entry.action = std::string(action);
  entry.target = std::string(target);
  entry.detail =
      std::string(detail) + (detail.empty() ? "" : " ") + "request_id=" + call.request_id;
  return store_->AppendAudit(entry);
}

Result<Reply> Handlers::Dispatch(RouteId id, const Call& call) {
  switch (id) {
    case RouteId::kHealth:
      return JsonReply({{"status", "ok"}});
    case RouteId::kOpenApi:
      return Reply{200, std::string(OpenApiDocument()), "application/json"};
    case RouteId::kWhoAmI:
      return WhoAmI(call);
    case RouteId::kListImages:
      return ListImages(call);
    case RouteId::kRegisterImage:
      return RegisterImage(call);
    case RouteId::kShowImage:
      return ShowImage(call);
    case RouteId::kRemoveImage:
      return RemoveImage(call);
    case RouteId::kListPolicies:
      return ListPolicies(call);
    case RouteId::kPutPolicy:
      return PutPolicy(call);
    case RouteId::kShowPolicy:
      return ShowPolicy(call);
    case RouteId::kRemovePolicy:
      return RemovePolicy(call);
    case RouteId::kSubmitScan:
      return SubmitScan(call);
    case RouteId::kListScans:
      return ListScans(call);
    case RouteId::kShowScan:
      return ShowScan(call, false);
    case RouteId::kScanReport:
      return ShowScan(call, true);
    case RouteId::kListUsers:
      return ListUsers(call);
    case RouteId::kAddUser:
      return AddUser(call);
    case RouteId::kRemoveUser:
      return RemoveUser(call);
    case RouteId::kListTokens:
      return ListTokens(call);
    case RouteId::kCreateToken:
      return CreateToken(call);
    case RouteId::kRevokeToken:
      return RevokeToken(call);
    case RouteId::kListAudit:
      return ListAudit(call);
    case RouteId::kListRegistries:
      return ListRegistries(call);
    case RouteId::kAddRegistry:
      return AddRegistry(call);
    case RouteId::kShowRegistry:
      return ShowRegistry(call);
    case RouteId::kRemoveRegistry:
      return RemoveRegistry(call);
    case RouteId::kTestRegistry:
      return TestRegistry(call);
    case RouteId::kListRepositories:
      return ListRepositories(call);
    case RouteId::kListTags:
      return ListTags(call);
    case RouteId::kPullImage:
      return PullImage(call);
    case RouteId::kRescanImage:
      return RescanImage(call);
  }
  return Error(ErrorCode::kInternal, "route without a handler");
}

Result<Reply> Handlers::WhoAmI(const Call& call) {
  return JsonReply({{"user", call.principal.user},
                    {"role", RoleName(call.principal.role)},
                    {"via", call.principal.via}});
}

Result<Reply> Handlers::ListImages(const Call& call) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto images, store_->ListImages());
  json list = json::array();
  for (const auto& image : images) list.push_back(ImageSummaryJson(image));
  return JsonReply(list);
}

Result<Reply> Handlers::RegisterImage(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> names, NamesParam(call.request));
  BULWARK_ASSIGN_OR_RETURN(scan::Analysis analysis, BodyAnalysis(call.request));
  analysis.image.source = "uploaded by " + call.principal.user + ": " + analysis.image.source;

  std::lock_guard<std::mutex> lock(store_mutex_);
  scan::Scanner scanner(*store_);
  BULWARK_TRY(scanner.Register(analysis, names));
  std::string id = analysis.image.image_id.str();
  BULWARK_TRY(Audit(call, "image.register", id, "names=" + json(names).dump()));
  return JsonReply({{"imageId", id},
                    {"names", names},
                    {"layers", analysis.layers.size()},
                    {"packages", analysis.inventory.packages.size()},
                    {"os", analysis.inventory.os.found ? analysis.inventory.os.pretty_name : ""}},
                   201);
}

Result<Reply> Handlers::ShowImage(const Call& call) {
  std::string target = call.request.matches[1];
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto found, scan::FindRegistered(*store_, target));
  BULWARK_ASSIGN_OR_RETURN(auto registered, store_->ListImages());
  json list = json::array();
  for (const auto& match : found) {
    BULWARK_ASSIGN_OR_RETURN(auto stored, store_->GetImage(match.image_id));
    if (!stored) continue;  // Removed since it was listed.
    const lineage::RegisteredImage& image = stored->image;
    json ancestors = json::array();
    lineage::Lineage lineage = lineage::FindAncestors(image.chain, registered);
    for (const lineage::Ancestor& ancestor : lineage.ancestors) {
      if (ancestor.is_self) continue;
      ancestors.push_back({{"imageId", ancestor.image.image_id.str()},
                           {"names", ancestor.image.names},
                           {"ownsLayers", ancestor.prefix_length}});
    }
    json entry = ImageSummaryJson(image);
    entry["manifestDigests"] = ChainJson(image.manifest_digests);
    entry["source"] = stored->source;
    entry["lineage"] = {{"ancestors", ancestors}};
    entry["inventory"] = json::parse(stored->inventory_json, nullptr, false);
    list.push_back(std::move(entry));
  }
  return JsonReply(list);
}

Result<Reply> Handlers::RemoveImage(const Call& call) {
  std::string target = call.request.matches[1];
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto found, scan::FindRegistered(*store_, target));
  if (found.size() > 1) {
    return Invalid("\"" + target + "\" names " + std::to_string(found.size()) +
                   " images; remove them one by one by id");
  }
  std::string id = found.front().image_id.str();
  BULWARK_ASSIGN_OR_RETURN(bool removed, store_->RemoveImage(found.front().image_id));
  if (!removed) return Error(ErrorCode::kNotFound, "image " + id + " was removed meanwhile");
  BULWARK_TRY(Audit(call, "image.remove", id, ""));
  return JsonReply({{"removed", id}});
}

Result<Reply> Handlers::ListPolicies(const Call& call) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto policies, store_->ListPolicies());
  json list = json::array();
  for (const store::StoredPolicy& stored : policies) {
    auto parsed = policy::ParsePolicy(stored.document, "store:" + stored.name);
    std::string mode = !parsed.ok() ? "invalid" : parsed->enforce ? "enforce" : "audit";
    list.push_back({{"name", stored.name},
                    {"mode", mode},
                    {"sha256", stored.document_sha256.str()},
                    {"updatedAt", stored.updated_at}});
  }
  return JsonReply(list);
}

Result<Reply> Handlers::PutPolicy(const Call& call) {
  // The origin names the client's file, so messages read as the CLI's do.
  BULWARK_ASSIGN_OR_RETURN(std::string origin, Query(call.request, "origin"));
  if (origin.empty()) origin = "request body";
  auto parsed = policy::ParsePolicy(call.request.body, origin);
  if (!parsed.ok()) return Invalid(parsed.error().message());

  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto registered, store_->ListImages());
  BULWARK_TRY(policy::CheckApprovedImagesRegistered(*parsed, registered));
  BULWARK_ASSIGN_OR_RETURN(auto existing, store_->ListPolicies());
  bool replaced = std::any_of(existing.begin(), existing.end(),
                              [&](const auto& stored) { return stored.name == parsed->name; });
  BULWARK_TRY(store_->PutPolicy({parsed->name, parsed->document, parsed->document_sha256, ""}));
  BULWARK_TRY(Audit(call, replaced ? "policy.replace" : "policy.create", parsed->name,
                    "sha256=" + parsed->document_sha256.str()));
  return JsonReply({{"name", parsed->name},
                    {"mode", parsed->enforce ? "enforce" : "audit"},
                    {"sha256", parsed->document_sha256.str()},
                    {"replaced", replaced}},
                   replaced ? 200 : 201);
}

Result<Reply> Handlers::ShowPolicy(const Call& call) {
  std::string name = call.request.matches[1];
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto policies, store_->ListPolicies());
  for (const store::StoredPolicy& stored : policies) {
    if (stored.name != name) continue;
    return JsonReply({{"name", stored.name},
                      {"document", stored.document},
                      {"sha256", stored.document_sha256.str()},
                      {"updatedAt", stored.updated_at}});
  }
  return Error(ErrorCode::kNotFound, "no policy named \"" + name + "\"");
}

Result<Reply> Handlers::RemovePolicy(const Call& call) {
  std::string name = call.request.matches[1];
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(bool removed, store_->RemovePolicy(name));
  if (!removed) return Error(ErrorCode::kNotFound, "no policy named \"" + name + "\"");
  BULWARK_TRY(Audit(call, "policy.remove", name, ""));
  return JsonReply({{"removed", name}});
}

// Decodes the analysis, evaluates it under the stored policies exactly as
// `bulwark scan` does (scan::EvaluateAnalysis), records the scan, registers
// the image when asked and it passed, and answers with the verdict and the
// reports asked for. The store is held only to read and to write, not while
// the advisories are matched.
Result<Reply> Handlers::SubmitScan(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(std::string register_text, Query(call.request, "register"));
  bool register_image = register_text == "true";
  // A registered image can become an approved base by its name, so only
  // administrators may register, here as through POST /api/v1/images.
  if (register_image && call.principal.role != Role::kAdministrator) {
    return Reply{403,
                 ErrorBody("forbidden", "role " + std::string(RoleName(call.principal.role)) +
                                            " may not register images (register=true); use an "
                                            "administrator's credentials, or drop --register"),
                 "application/json"};
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> names, NamesParam(call.request));
  BULWARK_ASSIGN_OR_RETURN(scan::Analysis analysis, BodyAnalysis(call.request));

  std::vector<lineage::RegisteredImage> registered;
  std::vector<policy::Policy> policies;
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    BULWARK_ASSIGN_OR_RETURN(registered, store_->ListImages());
    BULWARK_ASSIGN_OR_RETURN(policies, scan::LoadPolicies(*store_, {}));
  }
  // As in standalone mode, a scan that judges nothing is refused.
  if (policies.empty()) {
    return Invalid(
        "no policy to evaluate: the server has none; apply one with `bulwark policy "
        "apply FILE --server URL`");
  }
  bool needs_advisories = std::any_of(policies.begin(), policies.end(),
                                      [](const auto& p) { return p.NeedsAdvisories(); });
  if (needs_advisories && !advisories_) {
    return Error(ErrorCode::kIo, "the server has no advisory database at " + advisory_path_ +
                                     " and a policy checks vulnerabilities: build one on the "
                                     "server with `bulwark db update`");
  }

  std::optional<scan::ScanResult> evaluated;
  {
    // The advisory database is used from one thread at a time.
    std::unique_lock<std::mutex> lock(advisory_mutex_, std::defer_lock);
    if (advisories_) lock.lock();
    BULWARK_ASSIGN_OR_RETURN(
        evaluated, scan::EvaluateAnalysis(analysis, registered, policies, advisories_.get()));
  }
  scan::ScanResult& result = *evaluated;
  BULWARK_ASSIGN_OR_RETURN(std::string report_json, report::RenderJson(result));
  BULWARK_ASSIGN_OR_RETURN(json reports, RenderReports(call.request, result));

  store::StoredScan stored;
  stored.image_id = result.image_id;
  stored.source = result.source;
  stored.submitted_by = call.principal.user;
  stored.scanned_at = result.scanned_at;
  stored.exit_code = result.exit_code;
  stored.compliant = result.verdict.compliant();
  stored.request_id = call.request_id;
  stored.report_json = report_json;
  bool blocked = result.verdict.blocking();
  bool registered_now = false;
  int64_t scan_id = 0;
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    BULWARK_ASSIGN_OR_RETURN(scan_id, store_->AddScan(stored));
    BULWARK_TRY(Audit(
        call, "scan.submit", result.image_id.str(),
        "scan=" + std::to_string(scan_id) + " exit_code=" + std::to_string(result.exit_code)));
    if (register_image && !blocked) {
      scan::Scanner scanner(*store_);
      BULWARK_TRY(scanner.Register(analysis, names));
      BULWARK_TRY(Audit(call, "image.register", result.image_id.str(),
                        "names=" + json(names).dump() + " scan=" + std::to_string(scan_id)));
      registered_now = true;
    }
  }
  return JsonReply({{"scanId", scan_id},
                    {"imageId", result.image_id.str()},
                    {"exitCode", result.exit_code},
                    {"compliant", stored.compliant},
                    {"blocking", blocked},
                    {"registered", registered_now},
                    {"text", report::RenderText(result)},
                    {"reports", reports}},
                   201);
}

Result<Reply> Handlers::ListScans(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(int limit, LimitParam(call.request));
  BULWARK_ASSIGN_OR_RETURN(std::string image_text, Query(call.request, "image"));
  std::optional<Digest> image_id;
  if (!image_text.empty()) {
    auto parsed = Digest::Parse(image_text);
    if (!parsed.ok()) return Invalid("image: " + parsed.error().message());
    image_id = *parsed;
  }
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto scans, store_->ListScans(image_id, limit));
  json list = json::array();
  for (const store::StoredScan& scan : scans) list.push_back(ScanSummaryJson(scan));
  return JsonReply(list);
}

Result<Reply> Handlers::ShowScan(const Call& call, bool report_only) {
  BULWARK_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "scan"));
  std::optional<store::StoredScan> scan;
  {
    std::lock_guard<std::mutex> lock(store_mutex_);
    BULWARK_ASSIGN_OR_RETURN(scan, store_->GetScan(id));
  }
  if (!scan) return Error(ErrorCode::kNotFound, "no scan with id " + std::to_string(id));
  if (report_only) return Reply{200, scan->report_json, "application/json"};
  json summary = ScanSummaryJson(*scan);
  json report = json::parse(scan->report_json, nullptr, false);
  summary["verdict"] = report.is_object() ? report.value("verdict", json()) : json();
  return JsonReply(summary);
}

Result<Reply> Handlers::ListUsers(const Call& call) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto users, store_->ListUsers());
  json list = json::array();
  for (const store::User& user : users) {
    list.push_back({{"name", user.name}, {"role", user.role}, {"createdAt", user.created_at}});
  }
  return JsonReply(list);
}

Result<Reply> Handlers::AddUser(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(UserRequest request, ParseUserRequest(call.request.body));
  hashing_.acquire();
  auto hash = HashPassword(request.password);
  hashing_.release();
  if (!hash.ok()) return hash.error();

  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto existing, store_->GetUser(request.name));
  store::User user{request.name, std::string(RoleName(request.role)), *hash, ""};
  BULWARK_TRY(store_->PutUser(user));
  BULWARK_TRY(
      Audit(call, existing ? "user.update" : "user.create", request.name, "role=" + user.role));
  return JsonReply({{"name", user.name}, {"role", user.role}}, existing ? 200 : 201);
}

Result<Reply> Handlers::RemoveUser(const Call& call) {
  std::string name = call.request.matches[1];
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(bool removed, store_->RemoveUser(name));
  if (!removed) return Error(ErrorCode::kNotFound, "no user named \"" + name + "\"");
  BULWARK_TRY(Audit(call, "user.remove", name, "its tokens revoked"));
  return JsonReply({{"removed", name}});
}

Result<Reply> Handlers::ListTokens(const Call& call) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto tokens, store_->ListTokens());
  json list = json::array();
  for (const store::ApiToken& token : tokens) {
    list.push_back({{"id", token.id},
                    {"name", token.name},
                    {"user", token.user},
                    {"createdAt", token.created_at},
                    {"revokedAt", token.revoked_at.empty() ? json() : json(token.revoked_at)}});
  }
  return JsonReply(list);
}

Result<Reply> Handlers::CreateToken(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(TokenRequest request, ParseTokenRequest(call.request.body));
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto user, store_->GetUser(request.user));
  if (!user) return Invalid("no user named \"" + request.user + "\"; add it first");
  std::string token = NewToken();
  store::ApiToken stored;
  stored.name = request.name;
  stored.user = request.user;
  stored.token_sha256 = TokenDigest(token);
  BULWARK_ASSIGN_OR_RETURN(int64_t id, store_->AddToken(stored));
  BULWARK_TRY(Audit(call, "token.create", std::to_string(id),
                    "name=" + json(request.name).dump() + " user=" + request.user));
  return JsonReply({{"id", id}, {"name", request.name}, {"user", request.user}, {"token", token}},
                   201);
}

Result<Reply> Handlers::RevokeToken(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(int64_t id, IdParam(call, "token"));
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(bool revoked, store_->RevokeToken(id));
  if (!revoked) {
    return Error(ErrorCode::kNotFound, "no valid token with id " + std::to_string(id));
  }
  BULWARK_TRY(Audit(call, "token.revoke", std::to_string(id), ""));
  return JsonReply({{"revoked", id}});
}

Result<Reply> Handlers::ListAudit(const Call& call) {
  BULWARK_ASSIGN_OR_RETURN(int limit, LimitParam(call.request));
  std::lock_guard<std::mutex> lock(store_mutex_);
  BULWARK_ASSIGN_OR_RETURN(auto entries, store_->ListAudit(limit));
  json list = json::array();
  for (const store::AuditEntry& entry : entries) {
    list.push_back({{"id", entry.id},
                    {"at", entry.at},
                    {"actor", entry.actor},
                    {"action", entry.action},
                    {"target", entry.target},
                    {"detail", entry.detail}});
  }
  return JsonReply(list);
}

}  // namespace bulwark::server::internal
