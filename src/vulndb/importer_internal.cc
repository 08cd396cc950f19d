#include "vulndb/importer_internal.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace bulwark::vulndb::internal {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsControl(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `count` digits at `text[*at]` as a number; false when they are not digits.
bool ReadNumber(std::string_view text, size_t* at, size_t count, int* value) {
  if (*at + count > text.size()) return false;
  int number = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[*at + i];
    if (!IsDigit(c)) return false;
    number = number * 10 + (c - '0');
  }
  *at += count;
  *value = number;
  return true;
}

bool Expect(std::string_view text, size_t* at, std::string_view choices) {
  if (*at >= text.size() || choices.find(text[*at]) == std::string_view::npos) return false;
  ++*at;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (the usual era-based
// conversion, valid for every year the feeds use).
int64_t DaysFromCivil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

void CivilFromDays(int64_t days, int64_t* year, int* month, int* day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t mp = (5 * day_of_year + 2) / 153;
  *day = static_cast<int>(day_of_year - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string OneLine(std::string_view text, size_t max_bytes) {
  size_t paragraph_end = text.find("\n\n");
  size_t crlf_end = text.find("\r\n\r\n");
  text = text.substr(0, std::min(paragraph_end, crlf_end));

  std::string line;
  bool pending_space = false;
  for (char c : text) {
    if (IsSpace(c)) {
      pending_space = !line.empty();
      continue;
    }
    if (IsControl(c)) continue;
    if (pending_space) line.push_back(' ');
    pending_space = false;
    line.push_back(c);
  }
  if (line.size() <= max_bytes) return line;

  // Cut before a UTF-8 continuation byte never, so no character is split.
  size_t cut = max_bytes >= 3 ? max_bytes - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
  line.resize(cut);
  return line + (max_bytes >= 3 ? "..." : "");
}

std::string NormalizeTimestamp(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  size_t at = 0;
  if (!ReadNumber(text, &at, 4, &year) || !Expect(text, &at, "-") ||
      !ReadNumber(text, &at, 2, &month) || !Expect(text, &at, "-") ||
      !ReadNumber(text, &at, 2, &day)) {
    return "";
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return "";

  // A date alone is read as its midnight, UTC; some feeds publish only dates.
  int offset_minutes = 0;
  if (at < text.size()) {
    if (!Expect(text, &at, "Tt ") || !ReadNumber(text, &at, 2, &hour) || !Expect(text, &at, ":") ||
        !ReadNumber(text, &at, 2, &minute) || !Expect(text, &at, ":") ||
        !ReadNumber(text, &at, 2, &second)) {
      return "";
    }
    if (hour > 23 || minute > 59 || second > 60) return "";
    if (second == 60) second = 59;  // A leap second is kept inside its minute.
    if (at < text.size() && text[at] == '.') {
      ++at;
      size_t digits = 0;
      while (at < text.size() && IsDigit(text[at])) ++at, ++digits;
      if (digits == 0) return "";
    }
    if (at >= text.size()) return "";
    if (text[at] == 'Z' || text[at] == 'z') {
      ++at;
    } else {
      const char sign = text[at];
      int offset_hours = 0, offset_mins = 0;
      if (!Expect(text, &at, "+-") || !ReadNumber(text, &at, 2, &offset_hours) ||
          !Expect(text, &at, ":") || !ReadNumber(text, &at, 2, &offset_mins)) {
        return "";
      }
      if (offset_hours > 23 || offset_mins > 59) return "";
      offset_minutes = (sign == '-' ? -1 : 1) * (offset_hours * 60 + offset_mins);
    }
    if (at != text.size()) return "";
  }

  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                    static_cast<int64_t>(offset_minutes) * 60;
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t in_day = seconds - days * 86400;
  int64_t utc_year = 0;
  int utc_month = 0, utc_day = 0;
  CivilFromDays(days, &utc_year, &utc_month, &utc_day);
  if (utc_year < 0 || utc_year > 9999) return "";

  char formatted[32];
  std::snprintf(formatted, sizeof(formatted), "%04d-%02d-%02dT%02d:%02d:%02dZ",
                static_cast<int>(utc_year), utc_month, utc_day, static_cast<int>(in_day / 3600),
                static_cast<int>(in_day % 3600 / 60), static_cast<int>(in_day % 60));
  return formatted;
}

bool IsPlainToken(std::string_view text, size_t max_bytes) {
  if (text.empty() || text.size() > max_bytes) return false;
  for (char c : text) {
    if (IsSpace(c) || IsControl(c)) return false;
  }
  return true;
}

std::string Printable(std::string_view text) {
  constexpr size_t kMax = 120;
  std::string printable;
  for (char c : text.substr(0, kMax)) {
    if (IsControl(c)) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\x%02x", static_cast<unsigned char>(c));
      printable += escaped;
    } else {
      printable.push_back(c);
    }
  }
  if (text.size() > kMax) printable += "...";
  return printable;
}

version::Ecosystem EcosystemForDistro(std::string_view distro_key) {
  std::string_view distribution = distro_key.substr(0, distro_key.find(':'));
  if (distribution == "debian" || distribution == "ubuntu" || distribution == "ubuntu-pro") {
    return version::Ecosystem::kDeb;
  }
  if (distribution == "alpine") return version::Ecosystem::kApk;
  return version::Ecosystem::kRpm;
}

std::string VersionProblem(version::Ecosystem ecosystem, std::string_view version) {
  if (!IsPlainToken(version, kMaxVersionBytes)) {
    return "version \"" + Printable(version) + "\" is empty, too long or holds white space";
  }
  Result<int> order = version::Compare(ecosystem, version, version);
  if (order.ok() || order.error().code() == ErrorCode::kUnsupported) return "";
  return order.error().message();
}

std::string LowestVersion(version::Ecosystem ecosystem, const std::vector<std::string>& versions) {
  if (versions.empty()) return "";
  std::string lowest = versions.front();
  for (size_t i = 1; i < versions.size(); ++i) {
    Result<int> order = version::Compare(ecosystem, versions[i], lowest);
    if (!order.ok()) return versions.front();
    if (*order < 0) lowest = versions[i];
  }
  return lowest;
}

Severity SeverityFromDebianUrgency(std::string_view urgency) {
  // A trailing '*' or '**' qualifies how the urgency was assigned; the level
  // is the same.
  while (!urgency.empty() && urgency.back() == '*') urgency.remove_suffix(1);
  if (urgency == "unimportant") return Severity::kNegligible;
  if (urgency == "low") return Severity::kLow;
  if (urgency == "medium") return Severity::kMedium;
  if (urgency == "high") return Severity::kHigh;
  // "not yet assigned" and "end-of-life" rate nothing.
  return Severity::kUnknown;
}

Severity SeverityFromRatingWord(std::string_view word) {
  Result<Severity> severity = ParseSeverity(word);
  return severity.ok() ? *severity : Severity::kUnknown;
}

bool IsCveId(std::string_view id) {
  if (id.size() < 13 || id.size() > kMaxIdBytes || !id.starts_with("CVE-")) return false;
  for (size_t i = 4; i < 8; ++i) {
    if (!IsDigit(id[i])) return false;
  }
  if (id[8] != '-') return false;
  for (size_t i = 9; i < id.size(); ++i) {
    if (!IsDigit(id[i])) return false;
  }
  return true;
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace bulwark::vulndb::internal
