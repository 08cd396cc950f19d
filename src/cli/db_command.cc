// bulwark db import | update | status: the advisory database.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "common/log.h"
#include "policy/terminal_text.h"
#include "vulndb/advisory_db.h"
#include "vulndb/fetch.h"
#include "vulndb/importer.h"

namespace bulwark::cli {
namespace {

struct DbFlags {
  std::vector<std::string> sources;
  std::string kind;
  std::string sources_file;
  std::string ca_file;
  bool fresh = false;
  bool json = false;
  size_t skipped = 0;
};

std::string Printable(std::string_view text) { return policy::EscapeForTerminal(text); }

// The kind of a local feed: given, a directory (OSV records), or detected
// from the first 64 KiB of the file.
Result<vulndb::FeedKind> KindOf(const std::string& name, const std::string& path,
                                const std::string& given) {
  if (!given.empty()) {
    auto kind = vulndb::ParseFeedKind(given);
    if (!kind.ok()) {
      return Error(ErrorCode::kInvalidArgument,
                   "--kind " + given + ": expected osv, debian-tracker or alpine-secdb");
    }
    return kind;
  }
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return vulndb::FeedKind::kOsv;
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "feed " + name + ": cannot be opened");
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return vulndb::DetectFeed(head, name);
}

void PrintSummary(const vulndb::ImportSummary& summary) {
  std::printf("Imported %lld %s from %s (%s)", static_cast<long long>(summary.records),
              summary.records == 1 ? "advisory" : "advisories",
              Printable(summary.source).c_str(),
              std::string(vulndb::FeedKindName(summary.kind)).c_str());
  if (summary.skipped == 0) {
    std::printf("\n");
    return;
  }
  std::printf("; skipped %lld records:\n", static_cast<long long>(summary.skipped));
  for (const vulndb::SkippedRecord& skipped : summary.first_skipped) {
    std::printf("  - %s: %s\n", Printable(skipped.record).c_str(),
                Printable(skipped.reason).c_str());
  }
  if (summary.skipped > static_cast<int64_t>(summary.first_skipped.size())) {
    std::printf("  (all of them: bulwark db status --skipped 1000)\n");
  }
}

// Imports every source in one transaction: all of them land, or none does.
int RunImport(const GlobalOptions& global, const std::vector<vulndb::FeedSource>& sources,
              const DbFlags& flags) {
  std::string path = AdvisoryDbLocation(global);
  auto database = vulndb::CreateAdvisoryDatabase(path);
  if (!database.ok()) return Fail(database.error());
  auto import = (*database)->StartImport(flags.fresh);
  if (!import.ok()) return Fail(import.error());

  vulndb::FetchOptions fetch;
  fetch.ca_file = flags.ca_file;
  std::string work_dir = std::filesystem::path(path).parent_path().string();
  if (work_dir.empty()) work_dir = ".";
  for (const vulndb::FeedSource& source : sources) {
    auto fetched = vulndb::FetchFeed(source.url, work_dir, fetch);
    if (!fetched.ok()) return Fail(fetched.error().Wrap("import not applied"));
    std::unique_ptr<vulndb::FetchedFeed, void (*)(vulndb::FetchedFeed*)> cleanup(
        &*fetched, [](vulndb::FetchedFeed* feed) { vulndb::RemoveFetched(*feed); });
    auto kind = KindOf(source.url, fetched->path, source.kind);
    if (!kind.ok()) return Fail(kind.error().Wrap("import not applied"));
    BULWARK_LOG(info, "db", "importing feed", "source={} kind={}", source.url,
                vulndb::FeedKindName(*kind));
    auto begun = (*import)->BeginSource(source.url, *kind);
    if (!begun.ok()) return Fail(begun.error());
    vulndb::FeedKind detected = *kind;
    auto read = vulndb::ImportFeed(fetched->path, &detected, **import);
    if (!read.ok()) {
      // A record the database refuses (over its size bounds, an empty id) is
      // a fault of the feed, not of the command line: exit 3, not 2 (#4).
      Error error = read.error();
      if (error.code() == ErrorCode::kInvalidArgument) {
        error = Error(ErrorCode::kCorruptInput, error.message());
      }
      return Fail(error.Wrap("import not applied (the database is unchanged)"));
    }
    auto summary = (*import)->EndSource();
    if (!summary.ok()) return Fail(summary.error());
    PrintSummary(*summary);
  }
  auto committed = (*import)->Commit();
  if (!committed.ok()) return Fail(committed.error());
  std::printf("Advisory database: %s\n", Printable(path).c_str());
  return kExitCompliant;
}

int RunImportCommand(const GlobalOptions& global, const DbFlags& flags) {
  // A local source is named by its absolute path, so importing it again from
  // another directory replaces its records instead of adding a second copy.
  std::vector<vulndb::FeedSource> sources;
  for (const std::string& source : flags.sources) {
    std::error_code error;
    bool is_url = source.find("://") != std::string::npos;
    std::string name = source;
    if (!is_url) {
      name = std::filesystem::absolute(source, error).lexically_normal().string();
      if (name.size() > 1 && name.back() == '/') name.pop_back();
    }
    sources.push_back({error ? source : name, flags.kind});
  }
  return RunImport(global, sources, flags);
}

// The text of a --sources file: a list of a few URLs, so at most 1 MiB. A
// directory, a device such as /dev/zero or a larger file is refused (exit 2)
// instead of escaping as an exception or being read without end (#4).
Result<std::string> ReadSourcesFile(const std::string& path) {
  constexpr size_t kMaxSourcesBytes = 1 << 20;
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return Error(ErrorCode::kInvalidArgument,
                 "--sources " + path + ": is a directory; give the path of a sources file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error(ErrorCode::kInvalidArgument, "--sources " + path + ": cannot be opened");
  std::string text(kMaxSourcesBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Error(ErrorCode::kIo, "--sources " + path + ": read error");
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxSourcesBytes) {
    return Error(ErrorCode::kInvalidArgument, "--sources " + path + ": more than " +
                                                  std::to_string(kMaxSourcesBytes) + " bytes");
  }
  return text;
}

int RunUpdate(const GlobalOptions& global, const DbFlags& flags) {
  std::vector<vulndb::FeedSource> sources = vulndb::DefaultFeedSources();
  if (!flags.sources_file.empty()) {
    auto text = ReadSourcesFile(flags.sources_file);
    if (!text.ok()) return Fail(text.error());
    auto parsed = vulndb::ParseFeedSources(*text, flags.sources_file);
    if (!parsed.ok()) return Fail(parsed.error());
    sources = std::move(parsed).value();
  }
  return RunImport(global, sources, flags);
}

// Seconds since an RFC 3339 UTC time ("2026-12-04T05:00:00Z"); -1 when unparsable.
long long AgeSeconds(const std::string& when) {
  std::tm parts{};
  if (strptime(when.c_str(), "%Y-%m-%dT%H:%M:%S", &parts) == nullptr) return -1;
  time_t then = timegm(&parts);
  return static_cast<long long>(std::time(nullptr) - then);
}

std::string Age(const std::string& when) {
  long long seconds = AgeSeconds(when);
  if (seconds < 0) return "unknown age";
  if (seconds < 3600) return std::to_string(seconds / 60) + " min ago";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + " h ago";
  return std::to_string(seconds / 86400) + " days ago";
}

std::string Join(const std::vector<std::string>& items) {
  std::string joined;
  for (const std::string& item : items) joined += (joined.empty() ? "" : ", ") + item;
  return joined.empty() ? "(none)" : joined;
}

int PrintStatusJson(const vulndb::DatabaseStatus& status, vulndb::AdvisoryDatabase& database,
                    size_t skipped_limit) {
  nlohmann::json sources = nlohmann::json::array();
  for (const vulndb::SourceStatus& source : status.sources) {
    nlohmann::json entry = {{"name", source.name},       {"kind", source.kind},
                            {"importedAt", source.imported_at}, {"records", source.records},
                            {"skipped", source.skipped}, {"distros", source.distros}};
    if (skipped_limit > 0) {
      auto skipped = database.ListSkipped(source.name, skipped_limit);
      if (!skipped.ok()) return Fail(skipped.error());
      nlohmann::json list = nlohmann::json::array();
      for (const auto& record : *skipped) {
        list.push_back({{"record", record.record}, {"reason", record.reason}});
      }
      entry["skippedRecords"] = list;
    }
    sources.push_back(entry);
  }
  nlohmann::json document = {{"path", status.path},       {"schemaVersion", status.schema_version},
                             {"builtAt", status.built_at}, {"distros", status.distros},
                             {"sources", sources}};
  std::printf("%s\n",
              document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  return kExitCompliant;
}

int RunStatus(const GlobalOptions& global, const DbFlags& flags) {
  auto database = vulndb::OpenAdvisoryDatabase(AdvisoryDbLocation(global));
  if (!database.ok()) return Fail(database.error());
  auto status = (*database)->GetStatus();
  if (!status.ok()) return Fail(status.error());
  if (flags.json) return PrintStatusJson(*status, **database, flags.skipped);

  std::printf("Advisory database: %s (schema %d)\n", Printable(status->path).c_str(),
              status->schema_version);
  std::printf("Built: %s (%s)\n", status->built_at.empty() ? "never" : status->built_at.c_str(),
              Age(status->built_at).c_str());
  for (const vulndb::SourceStatus& source : status->sources) {
    std::printf("\n%s\n  kind: %s\n  imported: %s (%s)\n  records: %lld, skipped: %lld\n"
                "  releases: %s\n",
                Printable(source.name).c_str(), source.kind.c_str(),
                source.imported_at.c_str(), Age(source.imported_at).c_str(),
                static_cast<long long>(source.records), static_cast<long long>(source.skipped),
                Printable(Join(source.distros)).c_str());
    if (flags.skipped == 0 || source.skipped == 0) continue;
    auto skipped = (*database)->ListSkipped(source.name, flags.skipped);
    if (!skipped.ok()) return Fail(skipped.error());
    for (const auto& record : *skipped) {
      std::printf("  skipped %s: %s\n", Printable(record.record).c_str(),
                  Printable(record.reason).c_str());
    }
  }
  std::printf("\nDistribution releases with data: %s\n", Printable(Join(status->distros)).c_str());
  return kExitCompliant;
}

}  // namespace

void AddDbCommands(CLI::App& app, const GlobalOptions& global, Action* run) {
  auto flags = std::make_shared<DbFlags>();
  CLI::App* db = app.add_subcommand("db", "Build and inspect the advisory database");
  db->require_subcommand(1);
  db->footer("The database is DATA_DIR/advisories.db unless --advisory-db or "
             "$BULWARK_ADVISORY_DB names another file. See docs/advisory-database.md.");

  CLI::App* import = db->add_subcommand(
      "import", "Import advisory feeds (files, directories, file:// or https:// URLs); all "
                "sources land in one transaction, or none does");
  import->add_option("source", flags->sources,
                     "OSV record, array, directory or zip export; Debian security tracker "
                     "JSON; Alpine secdb JSON or YAML")
      ->required();
  import->add_option("--kind", flags->kind,
                     "osv, debian-tracker or alpine-secdb (default: detected from content)");
  import->add_flag("--fresh", flags->fresh, "Keep only what this import adds");
  import->add_option("--ca-file", flags->ca_file, "PEM CA bundle for https:// sources")
      ->envname("BULWARK_CA_FILE");
  import->callback([&global, flags, run] {
    *run = [&global, flags] { return RunImportCommand(global, *flags); };
  });

  CLI::App* update = db->add_subcommand(
      "update", "Fetch and import the configured feeds (default: the Debian security tracker "
                "and osv.dev's Ubuntu, Alpine, AlmaLinux, Rocky Linux, Red Hat, SUSE and "
                "openSUSE exports)");
  update->add_option("--sources", flags->sources_file,
                     "YAML file: sources: [{url: https://... | file://..., kind: ...}]");
  update->add_flag("--fresh", flags->fresh, "Keep only what this update adds");
  update->add_option("--ca-file", flags->ca_file, "PEM CA bundle for https:// sources")
      ->envname("BULWARK_CA_FILE");
  update->callback([&global, flags, run] {
    *run = [&global, flags] { return RunUpdate(global, *flags); };
  });

  CLI::App* status = db->add_subcommand(
      "status", "Show the database's build time, each source with its record count and age");
  status->add_flag("--json", flags->json, "Print the status as JSON");
  // CLI11 reads "-1" into a size_t as a huge count; a range on int refuses it.
  status
      ->add_option("--skipped", flags->skipped, "Also list up to N skipped records per source")
      ->check(CLI::Range(0, 1'000'000'000));
  status->callback([&global, flags, run] {
    *run = [&global, flags] { return RunStatus(global, *flags); };
  });
}

}  // namespace bulwark::cli
