// bulwark: container image assurance for CI pipelines.
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "common/build_info.h"
#include "common/log.h"

namespace {

constexpr char kFooter[] = R"(Exit codes:
  0  compliant, or non-compliant under policies that only audit
  2  usage or configuration error: bad flags, invalid policy, base image not registered
  3  the scan could not be completed: unreadable or unverifiable image, store error,
     no advisory database for a policy that needs one, a failed import, a server that
     cannot be reached or refuses the credentials
  4  non-compliant under at least one enforcing policy

Sources: docker-archive:PATH[:REF]  oci:DIR[:TAG|@DIGEST]  oci-archive:PATH[:TAG]  docker://REF
  or a bare path or image reference (a path that exists wins).
Data directory: --data-dir, else $BULWARK_DATA_DIR, else $XDG_DATA_HOME/bulwark, else
~/.local/share/bulwark. Store: DATA_DIR/bulwark.db, or the PostgreSQL database of --database
or $BULWARK_DATABASE (give the password there or in ~/.pgpass, not on the command line).
Shared server: bulwark server, user, token, registry, and --server on scan,
image and policy commands (docs/server.md). Documentation: docs/ in the source tree.)";

int Run(int argc, char** argv) {
  using namespace bulwark::cli;
  CLI::App app{"Bulwark scans container images and holds them against assurance policies."};
  app.name("bulwark");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("bulwark ") + BULWARK_VERSION);

  // Global options may also follow the command (`bulwark user add admin
  // --database URL`): subcommands made after this pass them up.
  app.fallthrough();

  GlobalOptions global;
  app.add_option("--data-dir", global.data_dir, "Directory of the embedded store")
      ->envname("BULWARK_DATA_DIR");
  app.add_option("--database", global.database,
                 "PostgreSQL URL of a shared store (postgresql://USER@HOST[:PORT]/DATABASE); "
                 "default: the SQLite store in the data directory")
      ->envname("BULWARK_DATABASE");
  app.add_option("--log-level", global.log_level, "error, warn, info, debug or trace")
      ->capture_default_str();
  app.add_option("--advisory-db", global.advisory_db,
                 "Advisory database file (default: DATA_DIR/advisories.db)")
      ->envname("BULWARK_ADVISORY_DB");

  Action run;
  AddScanCommand(app, global, &run);
  AddImageCommands(app, global, &run);
  AddPolicyCommands(app, global, &run);
  AddDbCommands(app, global, &run);
  AddVersionCommands(app, global, &run);
  AddServerCommands(app, global, &run);
  AddRegistryCommands(app, global, &run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  auto logging = bulwark::SetupLogging(global.log_level);
  if (!logging.ok()) return Fail(logging.error());
  if (!run) {
    std::fprintf(stderr, "bulwark: no command given; see bulwark --help\n");
    return kExitUsage;
  }
  return run();
}

}  // namespace

int main(int argc, char** argv) {
  // Stream buffers (1-2 MiB per layer) are then mapped and unmapped whole,
  // instead of fragmenting the heap, so peak memory does not grow with the
  // number or size of layers (glibc raises this threshold on its own otherwise).
  mallopt(M_MMAP_THRESHOLD, 512 * 1024);
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bulwark: internal error: %s\n", e.what());
    return bulwark::cli::kExitScanFailed;
  }
}
