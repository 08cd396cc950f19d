#include "catalog/rpm_cataloger.h"

#include <optional>
#include <set>
#include <string>

#include "catalog/rpm_bdb.h"
#include "catalog/rpm_ndb.h"
#include "catalog/rpm_sqlite.h"

namespace bulwark::catalog {
namespace {

// Where rpm keeps its database: its historical place, and the one Fedora 36+
// and SUSE configure (%_dbpath), usually with var/lib/rpm linked to it.
constexpr std::string_view kDatabaseDirs[] = {"var/lib/rpm", "usr/lib/sysimage/rpm"};

struct FormatFile {
  RpmDbFormat format;
  std::string_view name;
};
// In order of preference.
constexpr FormatFile kFormatFiles[] = {{RpmDbFormat::kSqlite, "rpmdb.sqlite"},
                                       {RpmDbFormat::kNdb, "Packages.db"},
                                       {RpmDbFormat::kBerkeleyDb, "Packages"}};
constexpr std::string_view kWalSuffix = "-wal";
constexpr std::string_view kKeyPackage = "gpg-pubkey";

struct SourceRpm {
  std::string name;
  std::string version;  // "V-R".
};

// Splits "name-version-release.src.rpm": the release and version are the
// last two hyphen-separated parts, as neither may hold a hyphen.
std::optional<SourceRpm> ParseSourceRpm(std::string_view file) {
  for (std::string_view suffix : {std::string_view(".src.rpm"), std::string_view(".nosrc.rpm")}) {
    if (!file.ends_with(suffix)) continue;
    std::string_view stem = file.substr(0, file.size() - suffix.size());
    size_t release_dash = stem.rfind('-');
    if (release_dash == std::string_view::npos || release_dash == 0) return std::nullopt;
    size_t version_dash = stem.rfind('-', release_dash - 1);
    if (version_dash == std::string_view::npos || version_dash == 0 ||
        version_dash + 1 == release_dash || release_dash + 1 == stem.size()) {
      return std::nullopt;
    }
    return SourceRpm{std::string(stem.substr(0, version_dash)),
                     std::string(stem.substr(version_dash + 1))};
  }
  return std::nullopt;
}

// LIMITATION(#4): MODULARITYLABEL is read from the header but Package has no
// field for it, so modular packages (RHEL 8 AppStream) are not told apart.
Package ToPackage(const RpmHeaderFields& fields, std::string_view db_path) {
  Package package;
  package.ecosystem = "rpm";
  package.name = fields.name;
  package.epoch = fields.epoch ? std::to_string(*fields.epoch) : "";
  std::string epoch_prefix = fields.epoch ? package.epoch + ":" : "";
  package.version = epoch_prefix + fields.version + "-" + fields.release;
  package.architecture = fields.arch;
  package.license = fields.license;
  package.source_rpm = fields.source_rpm;
  package.db_path = std::string(db_path);
  package.source_name = package.name;
  package.source_version = package.version;
  if (std::optional<SourceRpm> source = ParseSourceRpm(fields.source_rpm)) {
    package.source_name = source->name;
    package.source_version = epoch_prefix + source->version;
  }
  return package;
}

struct Candidate {
  RpmDbFormat format;
  std::string path;
};

// Every database file present, in order of preference, each physical file once.
// A database path that is a symlink whose target the image lacks goes to
// `gaps`: it is unread, not absent (#2).
Result<std::vector<Candidate>> FindDatabases(const layer::MergedFs& fs,
                                             std::vector<CoverageGap>& gaps) {
  std::vector<Candidate> found;
  std::set<std::string> physical_seen;
  for (const FormatFile& file : kFormatFiles) {
    for (std::string_view dir : kDatabaseDirs) {
      std::string path = std::string(dir) + "/" + std::string(file.name);
      auto node = fs.Lookup(path);
      auto link = fs.Lookup(path, /*follow_last=*/false);
      if (!node.ok() && node.error().code() == ErrorCode::kNotFound && link.ok()) {
        gaps.push_back(CoverageGap{path, "symlink to " + (*link)->entry.link_target +
                                             ", which does not lead to a file in the image"});
        continue;
      }
      if (!node.ok() && node.error().code() == ErrorCode::kNotFound) continue;
      if (!node.ok()) return node.error();
      BULWARK_ASSIGN_OR_RETURN(std::string physical, fs.PhysicalPath(path));
      if (!physical_seen.insert(physical).second) continue;
      found.push_back(Candidate{file.format, std::move(path)});
    }
  }
  return found;
}

// The write-ahead log beside an SQLite database, "" when there is none.
Result<std::string> ReadWal(const layer::MergedFs& fs, const std::string& wal_path) {
  Result<std::string> wal = fs.ReadFile(wal_path);
  if (!wal.ok() && wal.error().code() == ErrorCode::kNotFound) return std::string();
  return wal;
}

}  // namespace

Result<RpmPackages> PackagesFromRpmHeaders(const std::vector<RpmHeaderBlob>& blobs,
                                           std::string_view db_path) {
  RpmPackages result;
  for (const RpmHeaderBlob& blob : blobs) {
    std::string where = std::string(db_path) + " header " + std::to_string(blob.number);
    BULWARK_ASSIGN_OR_RETURN(RpmHeaderFields fields, ParseRpmHeader(blob.bytes, where));
    if (fields.name == kKeyPackage) continue;

    if (!fields.source_rpm.empty() && !ParseSourceRpm(fields.source_rpm)) {
      result.gaps.push_back(CoverageGap{
          std::string(db_path), "package " + fields.name + ": SOURCERPM \"" + fields.source_rpm +
                                    "\" is not name-version-release.src.rpm; the package "
                                    "stands in as its own source"});
    }
    result.packages.push_back(ToPackage(fields, db_path));
  }
  return result;
}

Result<RpmPackages> ParseRpmDatabase(RpmDbFormat format, std::string_view bytes,
                                     std::string_view wal, std::string_view path,
                                     std::string_view wal_path) {
  Result<std::vector<RpmHeaderBlob>> blobs = Error(ErrorCode::kInternal, "unread");
  switch (format) {
    case RpmDbFormat::kSqlite:
      blobs = ReadRpmSqlite(bytes, wal, path, wal_path);
      break;
    case RpmDbFormat::kNdb:
      blobs = ReadRpmNdb(bytes, path);
      break;
    case RpmDbFormat::kBerkeleyDb:
      blobs = ReadRpmBerkeleyDb(bytes, path);
      break;
  }
  if (!blobs.ok()) return blobs.error();
  return PackagesFromRpmHeaders(*blobs, path);
}

std::vector<layer::PathPattern> RpmCataloger::WantedPaths() const {
  std::vector<layer::PathPattern> wanted;
  for (std::string_view dir : kDatabaseDirs) {
    for (const FormatFile& file : kFormatFiles) {
      std::string path = std::string(dir) + "/" + std::string(file.name);
      wanted.push_back({path, false});
      if (file.format == RpmDbFormat::kSqlite) wanted.push_back({path + std::string(kWalSuffix)});
    }
  }
  return wanted;
}

Status RpmCataloger::Catalog(const layer::MergedFs& fs, Inventory& inventory) const {
  BULWARK_ASSIGN_OR_RETURN(std::vector<Candidate> found, FindDatabases(fs, inventory.gaps));
  if (found.empty()) return Ok();

  // LIMITATION(#4): rpm's configured backend (%_db_backend in the image's rpm
  // macros) is not read; every database but the preferred one is a gap.
  const Candidate& chosen = found.front();
  for (size_t i = 1; i < found.size(); ++i) {
    inventory.gaps.push_back(CoverageGap{
        found[i].path, "a second rpm database beside " + chosen.path +
                           "; not read (Bulwark reads one: SQLite, then ndb, then Berkeley DB; "
                           "which one rpm uses depends on its configuration)"});
  }

  // LIMITATION(#4): a database (or log) over 64 MiB is refused by the layer
  // reader (max_kept_file), so the scan fails with limit_exceeded.
  BULWARK_ASSIGN_OR_RETURN(std::string bytes, fs.ReadFile(chosen.path));
  std::string wal_path = chosen.path + std::string(kWalSuffix);
  std::string wal;
  if (chosen.format == RpmDbFormat::kSqlite) {
    BULWARK_ASSIGN_OR_RETURN(wal, ReadWal(fs, wal_path));
  }
  BULWARK_ASSIGN_OR_RETURN(RpmPackages read,
                           ParseRpmDatabase(chosen.format, bytes, wal, chosen.path, wal_path));
  for (Package& package : read.packages) inventory.packages.push_back(std::move(package));
  for (CoverageGap& gap : read.gaps) inventory.gaps.push_back(std::move(gap));
  return Ok();
}

}  // namespace bulwark::catalog
