#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "policy/control.h"

namespace bulwark::policy::internal {
namespace {

// Largest uid a runtime can set: uid_t is 32 bits on Linux. A larger number
// could be truncated on its way to setuid(2), possibly to 0.
constexpr uint64_t kMaxUid = 4294967295;

enum class RootState { kRoot, kNotRoot, kUnknown };

// Whether the user runs as root, with the fact that decides it. `evidence`
// is empty when the config user line already says everything.
struct UserResolution {
  RootState state = RootState::kUnknown;
  std::string evidence;
};

bool IsAllDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A numeric user is a uid as written, whatever /etc/passwd says: runtimes
// never look a number up as a name. Zero in any spelling ("0", "00") is root.
UserResolution ResolveUid(std::string_view digits) {
  uint64_t uid = 0;
  for (char digit : digits) {
    uid = uid * 10 + static_cast<uint64_t>(digit - '0');
    if (uid > kMaxUid) {
      std::string over = "uid " + QuoteForEvidence(digits) + " is over " + std::to_string(kMaxUid) +
                         ", so the uid it runs as is unknown";
      return {RootState::kUnknown, over};
    }
  }
  return {uid == 0 ? RootState::kRoot : RootState::kNotRoot, ""};
}

// A user name is looked up in the image's /etc/passwd. Runtimes take the
// first entry of a name; any entry with uid 0 counts as root here, so that a
// duplicate name can never make a root user pass.
UserResolution ResolveName(std::string_view name, const catalog::Inventory& inventory) {
  const catalog::UserAccount* first = nullptr;
  for (const catalog::UserAccount& account : inventory.users) {
    if (account.name != name) continue;
    if (account.uid == 0) {
      return {RootState::kRoot, "user " + QuoteForEvidence(name) + " has uid 0 in /etc/passwd"};
    }
    if (first == nullptr) first = &account;
  }

  // "root" stays root without an entry, or with a non-zero one: such an image
  // is broken or misleading, and only a fail is safe. The config user line is
  // evidence enough.
  if (name == "root") return {RootState::kRoot, ""};
  std::string quoted = QuoteForEvidence(name);
  if (first != nullptr) {
    std::string uid = std::to_string(first->uid);
    return {RootState::kNotRoot, "user " + quoted + " has uid " + uid + " in /etc/passwd"};
  }
  std::string unknown =
      "user " + quoted + " is not in the image's /etc/passwd, so its uid cannot be checked";
  return {RootState::kUnknown, unknown};
}

// Whether Config.User makes the container's first process run as root. Only
// the user part (before ':') decides: "0:1000" still runs as uid 0, while
// "1000:0" runs as an unprivileged user in the root group. An empty user part
// means the runtime default, root.
UserResolution Resolve(std::string_view config_user, const catalog::Inventory& inventory) {
  std::string_view user = config_user.substr(0, config_user.find(':'));
  if (user.empty()) return {RootState::kRoot, ""};
  if (IsAllDigits(user)) return ResolveUid(user);
  return ResolveName(user, inventory);
}

std::string_view DenySummary(RootState state) {
  switch (state) {
    case RootState::kRoot:
      return "The image runs as root (superuser: deny).";
    case RootState::kNotRoot:
      return "The image runs as a non-root user.";
    case RootState::kUnknown:
      break;
  }
  return "The image's user cannot be resolved to a uid, so it may run as root "
         "(superuser: deny).";
}

class Superuser final : public Control {
 public:
  std::string_view name() const override { return "superuser"; }

  bool IsSet(const Policy& policy) const override {
    return policy.superuser != SuperuserRule::kUnset;
  }

  ControlResult Check(const Policy& policy, const Facts& facts) const override {
    ControlResult result;
    result.control = std::string(name());
    UserResolution resolution = Resolve(facts.user, facts.inventory);
    std::string user_evidence = facts.user.empty()
                                    ? "config user is empty: the image runs as root by default"
                                    : "config user is " + QuoteForEvidence(facts.user);
    result.evidence.push_back(user_evidence);
    if (!resolution.evidence.empty()) result.evidence.push_back(resolution.evidence);

    if (policy.superuser == SuperuserRule::kAllow) {
      result.outcome = Outcome::kPass;
      result.summary = "The policy allows running as root.";
      return result;
    }
    // Fail closed: only a user known not to be root passes.
    result.outcome = resolution.state == RootState::kNotRoot ? Outcome::kPass : Outcome::kFail;
    result.summary = std::string(DenySummary(resolution.state));
    return result;
  }
};

}  // namespace

std::unique_ptr<Control> MakeSuperuserControl() { return std::make_unique<Superuser>(); }

}  // namespace bulwark::policy::internal
