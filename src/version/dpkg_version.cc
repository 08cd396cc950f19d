#include "version/dpkg_version.h"

#include <string>

namespace bulwark::version {
namespace {

// The largest epoch dpkg stores (it keeps the epoch in a C int).
constexpr int64_t kMaxEpoch = 2147483647;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

Error Invalid(std::string_view text, std::string_view reason) {
  return Error(ErrorCode::kInvalidArgument,
               "Debian version \"" + std::string(text) + "\": " + std::string(reason));
}

// Strips surrounding whitespace; whitespace inside the version is an error.
Result<std::string_view> TrimVersion(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size() && IsSpace(text[begin])) ++begin;
  size_t end = begin;
  while (end < text.size() && !IsSpace(text[end])) ++end;
  for (size_t rest = end; rest < text.size(); ++rest) {
    if (!IsSpace(text[rest])) return Invalid(text, "version string has embedded spaces");
  }
  if (begin == end) return Invalid(text, "version string is empty");
  return text.substr(begin, end - begin);
}

// Reads the epoch before `colon` like C strtol would: an optional sign, then
// decimal digits, and nothing else.
Result<int64_t> ParseEpoch(std::string_view original, std::string_view digits) {
  bool negative = false;
  size_t pos = 0;
  if (pos < digits.size() && (digits[pos] == '+' || digits[pos] == '-')) {
    negative = digits[pos] == '-';
    ++pos;
  }
  if (pos == digits.size()) return Invalid(original, "epoch in version is empty");

  int64_t epoch = 0;
  bool too_big = false;
  for (; pos < digits.size(); ++pos) {
    if (!IsDigit(digits[pos])) return Invalid(original, "epoch in version is not number");
    if (!too_big) epoch = epoch * 10 + (digits[pos] - '0');
    if (epoch > kMaxEpoch) too_big = true;
  }
  if (negative && (epoch != 0 || too_big)) return Invalid(original, "epoch in version is negative");
  if (too_big) return Invalid(original, "epoch in version is too big");
  return epoch;
}

// dpkg's warnings: the upstream part must start with a digit, and both parts
// are limited to alphanumerics plus a few punctuation characters.
std::string SyntaxWarning(const DpkgVersion& version) {
  if (!IsDigit(version.upstream[0])) return "version number does not start with digit";
  for (char c : version.upstream) {
    if (!IsDigit(c) && !IsAlpha(c) && std::string_view(".-+~:").find(c) == std::string_view::npos) {
      return "invalid character in version number";
    }
  }
  for (char c : version.revision) {
    if (!IsDigit(c) && !IsAlpha(c) && std::string_view(".+~").find(c) == std::string_view::npos) {
      return "invalid character in revision number";
    }
  }
  return "";
}

// The weight of one character inside a non-digit run. The end of the string
// and digits weigh 0, so "1.0" and "1.0~" differ only by the '~' sorting low.
int CharWeight(std::string_view part, size_t pos) {
  if (pos >= part.size()) return 0;
  char c = part[pos];
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

}  // namespace

Result<DpkgParse> ParseDpkgVersion(std::string_view text) {
  if (text.size() > kMaxDpkgVersionLength) {
    return Error(ErrorCode::kLimitExceeded, "Debian version of " + std::to_string(text.size()) +
                                                " bytes: longer than " +
                                                std::to_string(kMaxDpkgVersionLength));
  }
  BULWARK_ASSIGN_OR_RETURN(std::string_view version, TrimVersion(text));

  DpkgParse parsed;
  size_t colon = version.find(':');
  if (colon != std::string_view::npos) {
    BULWARK_ASSIGN_OR_RETURN(parsed.version.epoch, ParseEpoch(text, version.substr(0, colon)));
    version.remove_prefix(colon + 1);
    if (version.empty()) return Invalid(text, "nothing after colon in version number");
  }

  size_t hyphen = version.rfind('-');
  if (hyphen != std::string_view::npos) {
    parsed.version.revision = std::string(version.substr(hyphen + 1));
    if (parsed.version.revision.empty()) return Invalid(text, "revision number is empty");
    version = version.substr(0, hyphen);
  }
  if (version.empty()) return Invalid(text, "upstream version is empty");
  parsed.version.upstream = std::string(version);

  parsed.syntax_warning = SyntaxWarning(parsed.version);
  return parsed;
}

int CompareDpkgVersionPart(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    // Non-digit run: compare character by character by weight.
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      int wa = CharWeight(a, i);
      int wb = CharWeight(b, j);
      if (wa != wb) return wa - wb;
      ++i;
      ++j;
    }

    // Digit run: skip leading zeros, then the longer run is the larger
    // number; equal lengths are decided by the first differing digit.
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    int first_difference = 0;
    while (i < a.size() && IsDigit(a[i]) && j < b.size() && IsDigit(b[j])) {
      if (first_difference == 0) first_difference = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && IsDigit(a[i])) return 1;
    if (j < b.size() && IsDigit(b[j])) return -1;
    if (first_difference != 0) return first_difference;
  }
  return 0;
}

int CompareDpkgVersions(const DpkgVersion& a, const DpkgVersion& b) {
  if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
  int upstream = CompareDpkgVersionPart(a.upstream, b.upstream);
  if (upstream != 0) return upstream;
  return CompareDpkgVersionPart(a.revision, b.revision);
}

}  // namespace bulwark::version
