#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/server_client.h"

namespace bulwark::cli {
namespace {

struct PolicyFlags {
  std::string file;
  std::string name;
  ServerFlags server;
};

// policy apply --server: the document is checked here first (same messages),
// then the server checks it against its own registered images and stores it.
int RunServerApply(const PolicyFlags& flags, const policy::Policy& policy) {
  std::string query = "?origin=" + QueryEscape(flags.file);
  auto reply = CallServer(flags.server, "POST", "/api/v1/policies" + query, policy.document,
                          "application/yaml");
  if (!reply.ok()) return Fail(reply.error());
  nlohmann::json outcome = nlohmann::json::parse(reply->body, nullptr, false);
  bool replaced = outcome.is_object() && outcome.value("replaced", false);
  if (replaced) std::printf("Replacing policy \"%s\" on the server\n", policy.name.c_str());
  std::printf("Applied policy \"%s\" (%s, %s) on %s\n", policy.name.c_str(),
              policy.enforce ? "enforcing" : "audit only",
              policy.document_sha256.Short().c_str(), flags.server.url.c_str());
  return kExitCompliant;
}

int RunServerList(const PolicyFlags& flags) {
  auto reply = CallServer(flags.server, "GET", "/api/v1/policies", "", "application/json");
  if (!reply.ok()) return Fail(reply.error());
  nlohmann::json list = nlohmann::json::parse(reply->body, nullptr, false);
  if (!list.is_array()) {
    return Fail(Error(ErrorCode::kNetwork, "server " + flags.server.url + ": not a policy list"));
  }
  if (list.empty()) {
    std::printf(
        "No policies on the server. Apply one with: bulwark policy apply FILE --server URL\n");
    return kExitCompliant;
  }
  std::printf("%-24s  %-10s  %-19s  %s\n", "NAME", "MODE", "SHA256", "UPDATED");
  for (const nlohmann::json& entry : list) {
    std::string sha = entry.value("sha256", std::string());
    std::printf("%-24s  %-10s  %-19s  %s\n", entry.value("name", std::string()).c_str(),
                entry.value("mode", std::string()).c_str(), sha.substr(0, 19).c_str(),
                entry.value("updatedAt", std::string()).c_str());
  }
  return kExitCompliant;
}

// Loads a policy file; any failure to read or parse it is a configuration error.
Result<policy::Policy> LoadForApply(const std::string& file) {
  auto policy = policy::LoadPolicyFile(file);
  if (!policy.ok()) return Error(ErrorCode::kInvalidArgument, policy.error().message());
  return policy;
}

int RunApply(const GlobalOptions& global, const PolicyFlags& flags, bool check_only) {
  auto policy = LoadForApply(flags.file);
  if (!policy.ok()) return Fail(policy.error());
  if (flags.server.given() && !check_only) return RunServerApply(flags, *policy);
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto registered = (*store)->ListImages();
  if (!registered.ok()) return Fail(registered.error());
  auto approved = policy::CheckApprovedImagesRegistered(*policy, *registered);
  if (!approved.ok()) return Fail(approved.error());
  if (check_only) {
    std::printf("Policy \"%s\" in %s is valid\n", policy->name.c_str(), flags.file.c_str());
    return kExitCompliant;
  }

  auto existing = (*store)->ListPolicies();
  if (!existing.ok()) return Fail(existing.error());
  for (const store::StoredPolicy& stored : *existing) {
    if (stored.name != policy->name) continue;
    auto previous = policy::ParsePolicy(stored.document, "store:" + stored.name);
    bool was_enforcing = !previous.ok() || previous->enforce;
    std::printf("Replacing stored policy \"%s\" (%s)%s\n", stored.name.c_str(),
                stored.document_sha256.Short().c_str(),
                was_enforcing && !policy->enforce
                    ? "; note: it enforced before and now only audits (enforce: false)"
                    : "");
  }
  auto saved = (*store)->PutPolicy({policy->name, policy->document, policy->document_sha256, ""});
  if (!saved.ok()) return Fail(saved.error());
  auto audited = AuditLocal(**store, "policy.put", policy->name,
                            "sha256=" + policy->document_sha256.str());
  if (!audited.ok()) return Fail(audited.error());
  std::printf("Applied policy \"%s\" (%s, %s)\n", policy->name.c_str(),
              policy->enforce ? "enforcing" : "audit only",
              policy->document_sha256.Short().c_str());
  return kExitCompliant;
}

int RunList(const GlobalOptions& global, const PolicyFlags& flags) {
  if (flags.server.given()) return RunServerList(flags);
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto policies = (*store)->ListPolicies();
  if (!policies.ok()) return Fail(policies.error());
  if (policies->empty()) {
    std::printf("No policies applied. Apply one with: bulwark policy apply FILE\n");
    return kExitCompliant;
  }
  std::printf("%-24s  %-10s  %-19s  %s\n", "NAME", "MODE", "SHA256", "UPDATED");
  for (const store::StoredPolicy& stored : *policies) {
    auto parsed = policy::ParsePolicy(stored.document, "store:" + stored.name);
    std::string mode = !parsed.ok() ? "invalid" : parsed->enforce ? "enforce" : "audit";
    std::printf("%-24s  %-10s  %-19s  %s\n", stored.name.c_str(), mode.c_str(),
                stored.document_sha256.Short().c_str(), stored.updated_at.c_str());
  }
  return kExitCompliant;
}

int RunServerShowOrRemove(const PolicyFlags& flags, bool remove) {
  std::string path = "/api/v1/policies/" + QueryEscape(flags.name);
  auto reply = CallServer(flags.server, remove ? "DELETE" : "GET", path, "", "application/json");
  if (!reply.ok()) return Fail(NamedNothing(reply.error()));
  if (remove) {
    std::printf("Removed policy \"%s\" from %s\n", flags.name.c_str(), flags.server.url.c_str());
    return kExitCompliant;
  }
  nlohmann::json policy = nlohmann::json::parse(reply->body, nullptr, false);
  if (!policy.is_object() || !policy.contains("document")) {
    return Fail(Error(ErrorCode::kNetwork, "server " + flags.server.url + ": not a policy"));
  }
  std::fputs(policy["document"].get<std::string>().c_str(), stdout);
  return kExitCompliant;
}

int RunShow(const GlobalOptions& global, const PolicyFlags& flags) {
  if (flags.server.given()) return RunServerShowOrRemove(flags, false);
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto policies = (*store)->ListPolicies();
  if (!policies.ok()) return Fail(policies.error());
  for (const store::StoredPolicy& stored : *policies) {
    if (stored.name != flags.name) continue;
    std::fputs(stored.document.c_str(), stdout);
    return kExitCompliant;
  }
  return Fail(Error(ErrorCode::kInvalidArgument,
                    "no policy named \"" + flags.name + "\"; see: bulwark policy list"));
}

int RunRemove(const GlobalOptions& global, const PolicyFlags& flags) {
  if (flags.server.given()) return RunServerShowOrRemove(flags, true);
  auto store = OpenStore(global);
  if (!store.ok()) return Fail(store.error());
  auto removed = (*store)->RemovePolicy(flags.name);
  if (!removed.ok()) return Fail(removed.error());
  if (*removed) {
    auto audited = AuditLocal(**store, "policy.remove", flags.name, "");
    if (!audited.ok()) return Fail(audited.error());
  }
  if (!*removed) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      "no policy named \"" + flags.name + "\"; see: bulwark policy list"));
  }
  std::printf("Removed policy \"%s\"\n", flags.name.c_str());
  return kExitCompliant;
}

}  // namespace

void AddPolicyCommands(CLI::App& app, const GlobalOptions& global, Action* run) {
  auto flags = std::make_shared<PolicyFlags>();
  CLI::App* policy = app.add_subcommand("policy", "Manage the policies kept in the store");
  policy->require_subcommand(1);

  CLI::App* apply = policy->add_subcommand(
      "apply", "Validate a policy document and store it (replacing one of the same name)");
  apply->add_option("file", flags->file, "Policy document (YAML or JSON)")->required();
  AddServerOptions(apply, &flags->server);
  apply->callback([&global, flags, run] {
    *run = [&global, flags] { return RunApply(global, *flags, false); };
  });

  CLI::App* check = policy->add_subcommand("check", "Validate a policy document only");
  check->add_option("file", flags->file, "Policy document (YAML or JSON)")->required();
  check->callback([&global, flags, run] {
    *run = [&global, flags] { return RunApply(global, *flags, true); };
  });

  CLI::App* list = policy->add_subcommand("list", "List stored policies");
  AddServerOptions(list, &flags->server);
  list->callback([&global, flags, run] {
    *run = [&global, flags] { return RunList(global, *flags); };
  });

  CLI::App* show = policy->add_subcommand("show", "Print a stored policy document");
  show->add_option("name", flags->name, "Policy name")->required();
  AddServerOptions(show, &flags->server);
  show->callback([&global, flags, run] { *run = [&global, flags] { return RunShow(global, *flags); }; });

  CLI::App* remove = policy->add_subcommand("remove", "Remove a stored policy");
  remove->add_option("name", flags->name, "Policy name")->required();
  AddServerOptions(remove, &flags->server);
  remove->callback([&global, flags, run] { *run = [&global, flags] { return RunRemove(global, *flags); }; });
}

}  // namespace bulwark::cli
