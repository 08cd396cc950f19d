#include "policy/advisory_id.h"

#include <algorithm>

namespace bulwark::policy::internal {
namespace {

constexpr size_t kMaxIdLength = 128;

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdCharacter(char c) {
  return IsAsciiLetter(c) || IsDigit(c) || c == '-' || c == '_' || c == '.' || c == ':';
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsDigit);
}

// CVE ids are "CVE-", a four-digit year, "-" and four or more digits (the
// syntax has allowed more than four since 2014). A typo there would make a
// rule that never matches, so the shape is checked.
bool IsCveShape(std::string_view id) {
  if (id.size() < 13 || id[8] != '-') return false;
  return AllDigits(id.substr(4, 4)) && AllDigits(id.substr(9));
}

// The id quoted for a message, cut short so that a huge value cannot flood it.
std::string Quoted(std::string_view id) {
  constexpr size_t kMaxQuoted = 120;
  std::string quoted = "\"" + std::string(id.substr(0, kMaxQuoted));
  if (id.size() > kMaxQuoted) quoted += "...";
  return quoted + "\"";
}

}  // namespace

std::string AdvisoryIdProblem(std::string_view id) {
  constexpr std::string_view kShape =
      "an advisory id is a prefix, a dash and the rest, in ASCII letters, digits and - _ . :, "
      "such as CVE-2021-44228, GHSA-jfh8-c2jp-5v3q or DSA-5532-1";
  if (id.empty()) return "expected an advisory id; " + std::string(kShape);
  if (id.size() > kMaxIdLength) {
    return Quoted(id) + " is longer than " + std::to_string(kMaxIdLength) + " bytes; " +
           std::string(kShape);
  }

  auto bad = std::find_if_not(id.begin(), id.end(), IsIdCharacter);
  if (bad != id.end()) {
    if (static_cast<unsigned char>(*bad) >= 0x80) {
      return Quoted(id) + " contains a character outside ASCII; " + std::string(kShape);
    }
    return Quoted(id) + " contains \"" + std::string(1, *bad) + "\"; " + std::string(kShape);
  }
  if (!IsAsciiLetter(id[0]) || id.find('-') == std::string_view::npos) {
    return Quoted(id) + " is not an advisory id; " + std::string(kShape);
  }

  bool cve_prefix = id.size() >= 4 && SameAdvisoryId(id.substr(0, 4), "CVE-");
  if (cve_prefix && !IsCveShape(id)) {
    return Quoted(id) +
           " is not a CVE id: a CVE id is CVE-YYYY-NNNN, a four-digit year and four or more "
           "digits, such as CVE-2021-44228";
  }
  return "";
}

bool SameAdvisoryId(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

bool FindingHasId(const vulndb::Finding& finding, std::string_view id) {
  if (SameAdvisoryId(finding.id, id)) return true;
  return std::any_of(finding.aliases.begin(), finding.aliases.end(),
                     [&](const std::string& alias) { return SameAdvisoryId(alias, id); });
}

}  // namespace bulwark::policy::internal
