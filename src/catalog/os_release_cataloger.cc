#include "catalog/os_release_cataloger.h"

#include <map>
#include <string>

#include "catalog/text_lines.h"

namespace bulwark::catalog {
namespace {

constexpr std::string_view kPaths[] = {"etc/os-release", "usr/lib/os-release"};

bool IsKeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool Fail(std::string& problem, const char* what) {
  problem = what;
  return false;
}

// Decodes a shell-style value: quoted and unquoted pieces may follow each
// other ("a"'b'c), as a shell would join them. Whitespace outside quotes ends
// the value; what follows must be a comment or nothing. Returns false with
// `problem` set when the value is malformed.
bool DecodeValue(std::string_view raw, std::string& value, std::string& problem) {
  size_t i = 0;
  while (i < raw.size() && !IsBlank(raw[i])) {
    char c = raw[i++];
    if (c == '\'') {
      size_t close = raw.find('\'', i);
      if (close == std::string_view::npos) return Fail(problem, "unterminated single quote");
      value.append(raw.substr(i, close - i));
      i = close + 1;
    } else if (c == '"') {
      bool closed = false;
      while (i < raw.size()) {
        char d = raw[i++];
        if (d == '"') {
          closed = true;
          break;
        }
        // Inside double quotes a backslash only escapes $ ` " and itself.
        if (d == '\\' && i < raw.size() &&
            std::string_view("$`\"\\").find(raw[i]) != std::string_view::npos) {
          d = raw[i++];
        }
        value.push_back(d);
      }
      if (!closed) return Fail(problem, "unterminated double quote");
    } else if (c == '\\') {
      if (i == raw.size()) return Fail(problem, "backslash at the end of the line");
      value.push_back(raw[i++]);
    } else {
      value.push_back(c);
    }
  }
  while (i < raw.size() && IsBlank(raw[i])) ++i;
  if (i < raw.size() && raw[i] != '#') return Fail(problem, "unquoted space in value");
  return true;
}

// The codename as old Debian os-release files give it: "8 (jessie)".
// LIMITATION(#2): Ubuntu 12.04-15.10 write VERSION="14.04.6 LTS, Trusty Tahr"
// with no codename field; their version_codename stays empty (version_id is
// still set), so anything keyed on the codename must fall back to version_id.
std::string CodenameFromVersion(std::string_view version) {
  size_t open = version.rfind('(');
  if (open == std::string_view::npos || version.empty() || version.back() != ')') return "";
  std::string_view word = version.substr(open + 1, version.size() - open - 2);
  if (word.empty()) return "";
  for (char c : word) {
    if (c < 'a' || c > 'z') return "";
  }
  return std::string(word);
}

OsInfo ToOsInfo(const std::map<std::string, std::string>& fields, std::string_view path) {
  auto get = [&fields](const char* key) {
    auto it = fields.find(key);
    return it == fields.end() ? std::string() : it->second;
  };
  OsInfo info;
  info.found = true;
  info.source_path = std::string(path);
  info.id = get("ID");
  info.id_like = get("ID_LIKE");
  info.version_id = get("VERSION_ID");
  info.pretty_name = get("PRETTY_NAME");
  info.version_codename = get("VERSION_CODENAME");
  if (info.version_codename.empty()) info.version_codename = get("UBUNTU_CODENAME");
  if (info.version_codename.empty()) info.version_codename = CodenameFromVersion(get("VERSION"));
  return info;
}

}  // namespace

Result<OsInfo> ParseOsRelease(std::string_view text, std::string_view path) {
  BULWARK_TRY(internal::CheckFileSize(text, path, kMaxOsReleaseBytes));

  std::map<std::string, std::string> fields;
  internal::LineReader lines(text, path);
  std::string_view line;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(bool more, lines.Next(line));
    if (!more) break;
    while (!line.empty() && IsBlank(line.front())) line.remove_prefix(1);
    if (line.empty() || line.front() == '#') continue;

    size_t equals = line.find('=');
    if (equals == std::string_view::npos) {
      return Error(ErrorCode::kCorruptInput, lines.Where("no '=' in assignment"));
    }
    std::string_view key = line.substr(0, equals);
    if (key.empty() || (key[0] >= '0' && key[0] <= '9')) {
      return Error(ErrorCode::kCorruptInput, lines.Where("bad variable name"));
    }
    for (char c : key) {
      if (!IsKeyChar(c)) return Error(ErrorCode::kCorruptInput, lines.Where("bad variable name"));
    }

    std::string value, problem;
    if (!DecodeValue(line.substr(equals + 1), value, problem)) {
      return Error(ErrorCode::kCorruptInput, lines.Where(problem));
    }
    BULWARK_TRY(internal::CheckNoControlBytes(value, key, path, lines.line_number()));
    // A later assignment wins, as when a shell sources the file.
    fields[std::string(key)] = std::move(value);
  }
  return ToOsInfo(fields, path);
}

std::vector<layer::PathPattern> OsReleaseCataloger::WantedPaths() const {
  return {{std::string(kPaths[0]), false}, {std::string(kPaths[1]), false}};
}

Status OsReleaseCataloger::Catalog(const layer::MergedFs& fs, Inventory& inventory) const {
  for (std::string_view path : kPaths) {
    Result<std::string> text = fs.ReadFile(path);
    if (!text.ok() && text.error().code() == ErrorCode::kNotFound) continue;
    if (!text.ok()) return text.error().Wrap("os-release");

    BULWARK_ASSIGN_OR_RETURN(inventory.os, ParseOsRelease(*text, path));
    return Ok();
  }
  inventory.os = OsInfo{};
  return Ok();
}

}  // namespace bulwark::catalog
