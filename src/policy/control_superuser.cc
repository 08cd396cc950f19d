#include <algorithm>

#include "policy/control.h"

namespace bulwark::policy::internal {
namespace {

// Whether Config.User makes the container's first process run as root. Only
// the user part (before ':') decides: "0:1000" still runs as uid 0, while
// "1000:0" runs as an unprivileged user in the root group. An empty user part
// means the runtime default, root. A numeric user is root when it is zero in
// any spelling ("0", "00").
// LIMITATION(#2): a user name other than "root" that /etc/passwd maps to uid 0
// is not detected, since policy/ sees facts, not files; such an image passes.
bool RunsAsRoot(std::string_view config_user) {
  std::string_view user = config_user.substr(0, config_user.find(':'));
  if (user.empty() || user == "root") return true;
  bool numeric = std::all_of(user.begin(), user.end(), [](char c) { return c >= '0' && c <= '9'; });
  return numeric && user.find_first_not_of('0') == std::string_view::npos;
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
    bool root = RunsAsRoot(facts.user);
    std::string user_evidence = facts.user.empty()
                                    ? "config user is empty: the image runs as root by default"
                                    : "config user is " + QuoteForEvidence(facts.user);
    result.evidence.push_back(user_evidence);

    if (policy.superuser == SuperuserRule::kAllow) {
      result.outcome = Outcome::kPass;
      result.summary = "The policy allows running as root.";
      return result;
    }
    result.outcome = root ? Outcome::kFail : Outcome::kPass;
    result.summary =
        root ? "The image runs as root (superuser: deny)." : "The image runs as a non-root user.";
    return result;
  }
};

}  // namespace

std::unique_ptr<Control> MakeSuperuserControl() { return std::make_unique<Superuser>(); }

}  // namespace bulwark::policy::internal
