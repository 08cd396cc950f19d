#include "catalog/passwd_cataloger.h"

#include <string>

#include "catalog/text_lines.h"

namespace bulwark::catalog {
namespace {

constexpr std::string_view kPasswdPath = "etc/passwd";

// passwd(5): name, password, uid, gid, gecos, home directory, shell.
constexpr size_t kFieldCount = 7;

bool IsBlankLine(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  while (true) {
    size_t colon = line.find(':');
    fields.push_back(line.substr(0, colon));
    if (colon == std::string_view::npos) return fields;
    line.remove_prefix(colon + 1);
  }
}

// A uid or gid: decimal digits only (no sign, no spaces), at most kMaxPasswdId.
bool ParseId(std::string_view text, int64_t& id) {
  if (text.empty()) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
    if (value > kMaxPasswdId) return false;
  }
  id = value;
  return true;
}

}  // namespace

Result<std::vector<UserAccount>> ParsePasswd(std::string_view text, std::string_view path) {
  BULWARK_TRY(internal::CheckFileSize(text, path, internal::kMaxDatabaseBytes));

  std::vector<UserAccount> users;
  internal::LineReader lines(text, path);
  std::string_view line;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(bool more, lines.Next(line));
    if (!more) break;
    if (IsBlankLine(line) || line.front() == '#') continue;
    // "+name" and "-name" ask NIS to add or hide accounts; they define no
    // local uid. Skipping them is safe for policy: a name known only through
    // NIS is then not found, and the superuser control fails closed.
    if (line.front() == '+' || line.front() == '-') continue;

    BULWARK_TRY(internal::CheckNoControlBytes(line, "entry", path, lines.line_number()));
    std::vector<std::string_view> fields = SplitFields(line);
    if (fields.size() != kFieldCount) {
      return Error(ErrorCode::kCorruptInput,
                   lines.Where(std::to_string(fields.size()) + " fields, expected 7"));
    }
    UserAccount user;
    user.name = std::string(fields[0]);
    if (user.name.empty()) return Error(ErrorCode::kCorruptInput, lines.Where("empty user name"));
    if (!ParseId(fields[2], user.uid)) {
      return Error(ErrorCode::kCorruptInput,
                   lines.Where("uid is not a number from 0 to 4294967295"));
    }
    if (!ParseId(fields[3], user.gid)) {
      return Error(ErrorCode::kCorruptInput,
                   lines.Where("gid is not a number from 0 to 4294967295"));
    }
    users.push_back(std::move(user));
  }
  return users;
}

std::vector<layer::PathPattern> PasswdCataloger::WantedPaths() const {
  return {{std::string(kPasswdPath), false}};
}

Status PasswdCataloger::Catalog(const layer::MergedFs& fs, Inventory& inventory) const {
  Result<std::string> text = fs.ReadFile(kPasswdPath);
  if (!text.ok() && text.error().code() == ErrorCode::kNotFound) return Ok();
  if (!text.ok()) return text.error().Wrap("passwd");

  BULWARK_ASSIGN_OR_RETURN(inventory.users, ParsePasswd(*text, kPasswdPath));
  inventory.passwd_found = true;
  return Ok();
}

}  // namespace bulwark::catalog
