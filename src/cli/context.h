// What every command needs: the data directory and the store.
#ifndef BULWARK_CLI_CONTEXT_H_
#define BULWARK_CLI_CONTEXT_H_

#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "lineage/lineage.h"
#include "policy/policy.h"
#include "scan/store_queries.h"
#include "store/store.h"

namespace bulwark::cli {

struct GlobalOptions {
  std::string data_dir;
  std::string database;  // --database or $BULWARK_DATABASE: a PostgreSQL URL, "" = data dir.
  std::string log_level = "warn";
  std::string advisory_db;  // --advisory-db; "" = DATA_DIR/advisories.db.
};

// Where the store is: the PostgreSQL URL of --database, else the SQLite file
// in the data directory. It may hold a password: show it through
// store::DisplayLocation.
std::string StoreLocation(const GlobalOptions& global);

// Checks a --database value: "" or a postgres:// or postgresql:// URL;
// kInvalidArgument otherwise.
Status CheckDatabaseOption(const std::string& database);

// The advisory database's file: --advisory-db (or $BULWARK_ADVISORY_DB), else
// advisories.db in the data directory.
std::string AdvisoryDbLocation(const GlobalOptions& global);

// Said when an image is registered without a name. Approved base images are
// matched by name (a pinned digest too needs the name), so no policy can
// approve such an image; it still counts as a registered ancestor (#2).
inline constexpr char kNamelessRegistration[] =
    " (no name, so no policy can approve it; it still counts in lineage; to approve it, "
    "register it again with --name REF)";

// Opens the store at StoreLocation(); kInvalidArgument for a --database that
// is not a PostgreSQL URL or is malformed, kIo naming the path or the
// database (without its password) when it cannot be opened.
Result<std::unique_ptr<store::Store>> OpenStore(const GlobalOptions& global);

// Shared with the server (scan/store_queries.h).
using scan::FindRegistered;
using scan::LoadPolicies;

// Appends a change made by this command to the store's audit log (issue #5),
// with "local (uid N)" as the actor. The store's error on failure.
Status AuditLocal(store::Store& store, const std::string& action, const std::string& target,
                  const std::string& detail);

// Writes a report to `path`: a regular file (or a symlink to one) is replaced
// atomically through a unique temporary file; a device, pipe or /dev/stdout is
// written in place. Every write error is returned (kIo), naming the path.
Status WriteFileAtomic(const std::string& path, const std::string& data);

// Checks before a scan that a report can be written at `path` (given with
// `flag`): kInvalidArgument when it is a directory or cannot be created.
Status CheckReportPath(const std::string& flag, const std::string& path);

}  // namespace bulwark::cli

#endif  // BULWARK_CLI_CONTEXT_H_
