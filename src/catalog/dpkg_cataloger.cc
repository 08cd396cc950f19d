#include "catalog/dpkg_cataloger.h"

#include <map>
#include <optional>
#include <string>

#include "catalog/text_lines.h"

namespace bulwark::catalog {
namespace {

constexpr std::string_view kStatusPath = "var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "var/lib/dpkg/status.d";

// The fields this cataloger reads; the others are skipped while parsing.
constexpr std::string_view kKeptFields[] = {"package", "version", "architecture",
                                            "status",  "source",  "type"};

struct Field {
  std::string value;
  size_t line = 0;
};

struct Stanza {
  size_t first_line = 0;
  std::map<std::string, Field> fields;  // By lower-case name.

  const Field* Find(std::string_view name) const {
    auto it = fields.find(std::string(name));
    return it == fields.end() ? nullptr : &it->second;
  }
};

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

bool IsKept(std::string_view name) {
  for (std::string_view kept : kKeptFields) {
    if (kept == name) return true;
  }
  return false;
}

Error Corrupt(std::string_view path, size_t line, std::string_view what) {
  return Error(ErrorCode::kCorruptInput,
               std::string(path) + " line " + std::to_string(line) + ": " + std::string(what));
}

// Splits the text into stanzas, keeping only the fields in kKeptFields.
// Lines starting with '#' are comments, as deb822(5) allows.
Result<std::vector<Stanza>> ReadStanzas(std::string_view text, std::string_view path) {
  std::vector<Stanza> stanzas;
  std::optional<Stanza> current;
  std::string last_field;  // Lower-case name of the last field, for continuations.
  internal::LineReader lines(text, path);
  std::string_view line;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(bool more, lines.Next(line));
    if (!more) break;

    if (Trim(line).empty()) {
      if (current) stanzas.push_back(std::move(*current));
      current.reset();
      continue;
    }
    if (line.front() == '#') continue;
    if (IsBlank(line.front())) {
      if (!current) return Corrupt(path, lines.line_number(), "continuation line outside a field");
      if (IsKept(last_field)) {
        return Corrupt(path, lines.line_number(), "field " + last_field + " spans several lines");
      }
      continue;
    }

    size_t colon = line.find(':');
    std::string_view name = colon == std::string_view::npos ? "" : Trim(line.substr(0, colon));
    if (name.empty()) return Corrupt(path, lines.line_number(), "not a \"Field: value\" line");
    if (!current) current = Stanza{lines.line_number(), {}};
    last_field = Lower(name);
    if (!IsKept(last_field)) continue;
    auto [it, inserted] = current->fields.try_emplace(last_field);
    if (!inserted) {
      return Corrupt(path, lines.line_number(), "duplicate field " + std::string(name));
    }
    std::string_view value = Trim(line.substr(colon + 1));
    BULWARK_TRY(internal::CheckNoControlBytes(value, name, path, lines.line_number()));
    it->second = Field{std::string(value), lines.line_number()};
  }
  if (current) stanzas.push_back(std::move(*current));
  return stanzas;
}

// vcpkg writes "x64-windows"-style triplets: a CPU, a hyphen, a platform.
// Debian architectures never start with these CPU names.
bool IsVcpkgTriplet(std::string_view architecture) {
  static constexpr std::string_view kCpus[] = {"x86",     "x64",         "arm",         "arm64",
                                               "arm64ec", "wasm32",      "ppc64le",     "riscv32",
                                               "riscv64", "loongarch32", "loongarch64", "mips64"};
  size_t hyphen = architecture.find('-');
  if (hyphen == std::string_view::npos || hyphen + 1 == architecture.size()) return false;
  std::string_view cpu = architecture.substr(0, hyphen);
  for (std::string_view known : kCpus) {
    if (cpu == known) return true;
  }
  return false;
}

// What in a stanza shows vcpkg's hand ("Architecture x64-linux on line 3"),
// or nullopt for a stanza that could be Debian's.
std::optional<std::string> VcpkgEvidence(const Stanza& stanza) {
  const Field* architecture = stanza.Find("architecture");
  if (architecture != nullptr && IsVcpkgTriplet(architecture->value)) {
    return "Architecture " + architecture->value + " on line " + std::to_string(architecture->line);
  }
  const Field* type = stanza.Find("type");
  if (type != nullptr && type->value == "Port") {
    return "Type Port on line " + std::to_string(type->line);
  }
  return std::nullopt;
}

// The evidence when every stanza looks like vcpkg's; nullopt when none does.
// A file that mixes both is refused: taking it for vcpkg would hide its
// Debian packages, and taking it for Debian would list vcpkg ports as debs.
Result<std::optional<std::string>> FindVcpkgEvidence(const std::vector<Stanza>& stanzas,
                                                     std::string_view path) {
  if (stanzas.empty()) return std::optional<std::string>();
  std::optional<std::string> first = VcpkgEvidence(stanzas.front());
  for (const Stanza& stanza : stanzas) {
    std::optional<std::string> evidence = VcpkgEvidence(stanza);
    if (evidence.has_value() == first.has_value()) continue;
    std::string what = first
                           ? "a stanza without vcpkg fields in a vcpkg status file (" + *first + ")"
                           : "a vcpkg stanza (" + *evidence + ") in a Debian package database";
    return Corrupt(path, stanza.first_line, what + "; refusing a mixed status file");
  }
  return first;
}

// Whether the package's files are on disk, from the third word of Status
// ("want flag status", see dpkg-query(1)).
Result<bool> FilesOnDisk(const Stanza& stanza, std::string_view path) {
  const Field* status = stanza.Find("status");
  if (status == nullptr) return true;

  std::vector<std::string_view> words;
  std::string_view rest = status->value;
  while (!(rest = Trim(rest)).empty()) {
    size_t end = rest.find_first_of(" \t");
    words.push_back(rest.substr(0, end));
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  if (words.size() != 3) return Corrupt(path, status->line, "Status is not three words");

  std::string_view state = words[2];
  // half-installed: an install or removal stopped part way, so some of the
  // package's files may be on disk; it counts as present (fail closed).
  if (state == "installed" || state == "unpacked" || state == "half-configured" ||
      state == "half-installed" || state == "triggers-awaited" || state == "triggers-pending") {
    return true;
  }
  if (state == "not-installed" || state == "config-files") return false;
  return Corrupt(path, status->line, "unknown package state \"" + std::string(state) + "\"");
}

// Fills source_name/source_version from "Source: name" or "name (version)".
Status ApplySource(const Stanza& stanza, std::string_view path, Package& package) {
  package.source_name = package.name;
  package.source_version = package.version;
  const Field* source = stanza.Find("source");
  if (source == nullptr) return Ok();

  std::string_view value = source->value;
  size_t space = value.find_first_of(" \t");
  std::string_view name = value.substr(0, space);
  std::string_view rest = space == std::string_view::npos ? "" : Trim(value.substr(space));
  if (name.empty()) return Corrupt(path, source->line, "empty Source");
  package.source_name = Lower(name);
  if (rest.empty()) return Ok();

  if (rest.size() < 3 || rest.front() != '(' || rest.back() != ')') {
    return Corrupt(path, source->line, "Source is not \"name (version)\"");
  }
  std::string_view version = Trim(rest.substr(1, rest.size() - 2));
  if (version.empty()) return Corrupt(path, source->line, "empty version in Source");
  package.source_version = std::string(version);
  return Ok();
}

// Builds the package of a stanza, or nullopt when its files are not on disk.
Result<std::optional<Package>> ToPackage(const Stanza& stanza, std::string_view path) {
  const Field* name = stanza.Find("package");
  if (name == nullptr || name->value.empty()) {
    return Corrupt(path, stanza.first_line, "stanza without a Package field");
  }
  BULWARK_ASSIGN_OR_RETURN(bool on_disk, FilesOnDisk(stanza, path));
  if (!on_disk) return std::optional<Package>();

  const Field* version = stanza.Find("version");
  if (version == nullptr || version->value.empty()) {
    return Corrupt(path, stanza.first_line, "package " + name->value + " has no Version field");
  }
  Package package;
  package.ecosystem = "deb";
  // dpkg folds package names to lower case when it reads them (a status
  // file's "Package: Telnet" is telnet to dpkg-query), and so do we.
  package.name = Lower(name->value);
  package.version = version->value;
  const Field* architecture = stanza.Find("architecture");
  if (architecture != nullptr) package.architecture = architecture->value;
  package.db_path = std::string(path);
  BULWARK_TRY(ApplySource(stanza, path, package));
  return std::optional<Package>(std::move(package));
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Parses one database file into `inventory`; vcpkg files become gaps.
Status CatalogFile(const std::string& text, const std::string& path, Inventory& inventory) {
  Result<std::vector<Package>> packages = ParseDpkgStatus(text, path);
  if (!packages.ok() && packages.error().code() == ErrorCode::kUnsupported) {
    inventory.gaps.push_back(CoverageGap{path, packages.error().message()});
    return Ok();
  }
  if (!packages.ok()) return packages.error();
  for (Package& package : *packages) inventory.packages.push_back(std::move(package));
  return Ok();
}

}  // namespace

Result<std::vector<Package>> ParseDpkgStatus(std::string_view text, std::string_view path) {
  BULWARK_TRY(internal::CheckFileSize(text, path, internal::kMaxDatabaseBytes));
  BULWARK_ASSIGN_OR_RETURN(std::vector<Stanza> stanzas, ReadStanzas(text, path));

  // vcpkg is checked first: its feature stanzas have no Version at all.
  // LIMITATION(#2): a vcpkg status file is not read; it becomes a coverage
  // gap, so the package controls fail closed.
  BULWARK_ASSIGN_OR_RETURN(std::optional<std::string> evidence, FindVcpkgEvidence(stanzas, path));
  if (evidence) {
    return Error(ErrorCode::kUnsupported, std::string(path) + ": a vcpkg status file (" +
                                              *evidence + "), not a Debian package database");
  }

  std::vector<Package> packages;
  for (const Stanza& stanza : stanzas) {
    BULWARK_ASSIGN_OR_RETURN(std::optional<Package> package, ToPackage(stanza, path));
    if (package) packages.push_back(std::move(*package));
  }
  return packages;
}

std::vector<layer::PathPattern> DpkgCataloger::WantedPaths() const {
  return {{std::string(kStatusPath), false}, {std::string(kStatusDir), true}};
}

Status DpkgCataloger::Catalog(const layer::MergedFs& fs, Inventory& inventory) const {
  Result<std::string> status = fs.ReadFile(kStatusPath);
  if (status.ok()) {
    BULWARK_TRY(CatalogFile(*status, std::string(kStatusPath), inventory));
  } else if (status.error().code() != ErrorCode::kNotFound) {
    return status.error().Wrap("dpkg");
  } else if (auto link = fs.Lookup(kStatusPath, /*follow_last=*/false); link.ok()) {
    // The database is there as a symlink whose target the image lacks (such
    // as /dev/zero): unread, like a dangling link in status.d, not absent (#2).
    std::string reason = "symlink to " + (*link)->entry.link_target +
                         ", which does not lead to a file in the image";
    inventory.gaps.push_back(CoverageGap{std::string(kStatusPath), reason});
  }

  Result<std::vector<std::string>> names = fs.ListDir(kStatusDir);
  if (!names.ok() && names.error().code() == ErrorCode::kNotFound) return Ok();
  if (!names.ok()) return names.error().Wrap("dpkg");
  for (const std::string& name : *names) {
    if (EndsWith(name, ".md5sums")) continue;
    std::string path = std::string(kStatusDir) + "/" + name;
    Result<std::string> text = fs.ReadFile(path);
    if (!text.ok() && text.error().code() == ErrorCode::kCorruptInput) {
      return text.error().Wrap("dpkg");
    }
    if (!text.ok()) {
      // A directory, a dangling link or an unread entry in status.d holds no
      // stanzas we can read; it is reported rather than failing the scan.
      inventory.gaps.push_back(CoverageGap{path, text.error().message()});
      continue;
    }
    BULWARK_TRY(CatalogFile(*text, path, inventory));
  }
  return Ok();
}

}  // namespace bulwark::catalog
