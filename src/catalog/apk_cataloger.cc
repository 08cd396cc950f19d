#include "catalog/apk_cataloger.h"

#include <optional>
#include <string>

#include "catalog/text_lines.h"

namespace bulwark::catalog {
namespace {

// Where apk keeps its database; the second is its place on systems with a
// merged /usr, where lib is a symlink to usr/lib (or apk was built that way).
// Both are asked for, so a usr-merged image (Debian 12 has lib -> usr/lib)
// never needs a second read of its layers to look behind the symlink.
constexpr std::string_view kInstalledPaths[] = {"lib/apk/db/installed",
                                                "usr/lib/apk/db/installed"};

// One record as it is read; `seen` guards against repeated keys.
struct Record {
  size_t first_line = 0;
  std::string seen;
  Package package;
  bool has_name = false;
  bool has_version = false;
};

Error Corrupt(std::string_view path, size_t line, std::string_view what) {
  return Error(ErrorCode::kCorruptInput,
               std::string(path) + " line " + std::to_string(line) + ": " + std::string(what));
}

bool IsKeyChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Stores one of the keys this cataloger reads. Keys such as F (directory),
// R (file) and Z (checksum) repeat within a record and are not stored.
Status Apply(char key, std::string_view value, std::string_view path, size_t line, Record& record) {
  if (std::string_view("PVAoL").find(key) == std::string_view::npos) return Ok();
  if (record.seen.find(key) != std::string::npos) {
    return Corrupt(path, line, std::string("repeated key ") + key);
  }
  record.seen.push_back(key);
  BULWARK_TRY(internal::CheckNoControlBytes(value, std::string(1, key) + ":", path, line));

  std::string text(value);
  switch (key) {
    case 'P':
      record.package.name = std::move(text);
      record.has_name = true;
      break;
    case 'V':
      record.package.version = std::move(text);
      record.has_version = true;
      break;
    case 'A':
      record.package.architecture = std::move(text);
      break;
    case 'o':
      record.package.source_name = std::move(text);
      break;
    case 'L':
      record.package.license = std::move(text);
      break;
  }
  return Ok();
}

Result<Package> Finish(Record record, std::string_view path) {
  if (!record.has_name || record.package.name.empty()) {
    return Corrupt(path, record.first_line, "package record without a P: name");
  }
  if (!record.has_version || record.package.version.empty()) {
    return Corrupt(path, record.first_line,
                   "package " + record.package.name + " has no V: version");
  }
  Package package = std::move(record.package);
  package.ecosystem = "apk";
  if (package.source_name.empty()) package.source_name = package.name;
  package.source_version = package.version;
  package.db_path = std::string(path);
  return package;
}

}  // namespace

Result<std::vector<Package>> ParseApkInstalled(std::string_view text, std::string_view path) {
  BULWARK_TRY(internal::CheckFileSize(text, path, internal::kMaxDatabaseBytes));

  std::vector<Package> packages;
  std::optional<Record> record;
  internal::LineReader lines(text, path);
  std::string_view line;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(bool more, lines.Next(line));
    if (!more || line.empty()) {
      if (record) {
        BULWARK_ASSIGN_OR_RETURN(Package package, Finish(std::move(*record), path));
        packages.push_back(std::move(package));
      }
      record.reset();
      if (!more) break;
      continue;
    }

    if (line.size() < 2 || !IsKeyChar(line[0]) || line[1] != ':') {
      return Corrupt(path, lines.line_number(), "not a \"X:value\" line");
    }
    if (!record) record = Record{lines.line_number(), "", {}, false, false};
    BULWARK_TRY(Apply(line[0], line.substr(2), path, lines.line_number(), *record));
  }
  return packages;
}

std::vector<layer::PathPattern> ApkCataloger::WantedPaths() const {
  std::vector<layer::PathPattern> wanted;
  for (std::string_view path : kInstalledPaths) wanted.push_back({std::string(path), false});
  return wanted;
}

Status ApkCataloger::Catalog(const layer::MergedFs& fs, Inventory& inventory) const {
  // The first database that exists is apk's (through symlinks, both names
  // may lead to the same file).
  for (std::string_view path : kInstalledPaths) {
    Result<std::string> text = fs.ReadFile(path);
    bool absent = !text.ok() && text.error().code() == ErrorCode::kNotFound;
    if (auto link = fs.Lookup(path, /*follow_last=*/false); absent && link.ok()) {
      // A symlink whose target the image lacks: unread, not absent (#2).
      inventory.gaps.push_back(CoverageGap{std::string(path),
                                           "symlink to " + (*link)->entry.link_target +
                                               ", which does not lead to a file in the image"});
      return Ok();
    }
    if (absent) continue;
    if (!text.ok()) return text.error().Wrap("apk");

    BULWARK_ASSIGN_OR_RETURN(std::vector<Package> packages, ParseApkInstalled(*text, path));
    for (Package& package : packages) inventory.packages.push_back(std::move(package));
    return Ok();
  }
  return Ok();
}

}  // namespace bulwark::catalog
