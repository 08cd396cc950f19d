// The resource handlers behind the routes (server/routes.h). Internal to
// server/: the HTTP plumbing (api_server.cc) authenticates, authorises, logs
// and maps errors; these read requests and answer them.
#ifndef BULWARK_SERVER_API_HANDLERS_H_
#define BULWARK_SERVER_API_HANDLERS_H_

#include <httplib.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <semaphore>
#include <string>

#include "common/result.h"
#include "server/auth.h"
#include "server/routes.h"
#include "server/secret_box.h"
#include "store/store.h"
#include "vulndb/advisory_db.h"

namespace bulwark::server::internal {

// Who is calling, once authenticated.
struct Principal {
  std::string user;
  Role role = Role::kAuditor;
  std::string via;  // "password" or "token N".
};

// One authorised request.
struct Call {
  const httplib::Request& request;
  const Principal& principal;
  const std::string& request_id;
};

struct Reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

// `body` as indented JSON with a newline.
Reply JsonReply(const nlohmann::json& body, int status = 200);

// The HTTP status for an error code (docs/server.md).
int HttpStatusFor(ErrorCode code);

// {"error": {"code": CODE, "message": MESSAGE}} and a newline.
std::string ErrorBody(std::string_view code, std::string_view message);

// Owns the store, the advisory database and the server key. LIMITATION(#5): one store
// connection serves every request, so store reads and writes are serialised;
// the evaluation itself runs in parallel. Thread-safe: the store (used
// from one thread at a time) and the advisory database are each behind a
// mutex, and at most two password hashes are checked at once, since each
// takes 64 MiB.
class Handlers {
 public:
  Handlers(std::unique_ptr<store::Store> store,
           std::unique_ptr<vulndb::AdvisoryDatabase> advisories, std::string advisory_path,
           SecretBox secrets);

  // kAuthentication with a message that names no secret when the
  // credentials are missing, unknown, revoked or wrong.
  Result<Principal> Authenticate(const Credentials& credentials);

  Result<Reply> Dispatch(RouteId id, const Call& call);

 private:
  Result<Reply> WhoAmI(const Call& call);
  Result<Reply> ListImages(const Call& call);
  Result<Reply> RegisterImage(const Call& call);
  Result<Reply> ShowImage(const Call& call);
  Result<Reply> RemoveImage(const Call& call);
  Result<Reply> ListPolicies(const Call& call);
  Result<Reply> PutPolicy(const Call& call);
  Result<Reply> ShowPolicy(const Call& call);
  Result<Reply> RemovePolicy(const Call& call);
  Result<Reply> SubmitScan(const Call& call);
  Result<Reply> ListScans(const Call& call);
  Result<Reply> ShowScan(const Call& call, bool report_only);
  Result<Reply> ListUsers(const Call& call);
  Result<Reply> AddUser(const Call& call);
  Result<Reply> RemoveUser(const Call& call);
  Result<Reply> ListTokens(const Call& call);
  Result<Reply> CreateToken(const Call& call);
  Result<Reply> RevokeToken(const Call& call);
  Result<Reply> ListAudit(const Call& call);
  // Registries and pulls (registry_handlers.cc).
  Result<Reply> ListRegistries(const Call& call);
  Result<Reply> AddRegistry(const Call& call);
  Result<Reply> ShowRegistry(const Call& call);
  Result<Reply> RemoveRegistry(const Call& call);
  Result<Reply> TestRegistry(const Call& call);
  Result<Reply> ListRepositories(const Call& call);
  Result<Reply> ListTags(const Call& call);
  Result<Reply> PullImage(const Call& call);
  Result<Reply> RescanImage(const Call& call);
  // The stored registry named in the request path; kNotFound otherwise.
  Result<store::StoredRegistry> PathRegistry(const Call& call);
  // Pulls `reference` (REPO:TAG or REPO@DIGEST) from `registry`, analyses
  // it against the store's layer cache, and registers it under its own name
  // and `names`, recording the registry as its source. Holds store_mutex_.
  Result<Reply> PullAndRegister(const Call& call, const store::StoredRegistry& registry,
                                const std::string& reference, std::vector<std::string> names,
                                std::string_view action);

  // Writes one audit entry; the caller holds store_mutex_.
  Status Audit(const Call& call, std::string_view action, std::string_view target,
               std::string_view detail);
  bool CheckPassword(std::string_view password, const std::string& hash);

  std::mutex store_mutex_;
  std::unique_ptr<store::Store> store_;
  std::mutex advisory_mutex_;
  std::unique_ptr<vulndb::AdvisoryDatabase> advisories_;
  std::string advisory_path_;
  SecretBox secrets_;
  std::counting_semaphore<2> hashing_{2};
  std::string dummy_hash_;  // Checked against when a user is unknown, to take as long.
};

}  // namespace bulwark::server::internal

#endif  // BULWARK_SERVER_API_HANDLERS_H_
