#include "version/semver_version.h"

#include <string>

#include "version/decimal.h"

namespace bulwark::version {
namespace {

using internal::CompareDecimal;
using internal::IsAsciiDigit;

// The whitespace node-semver trims and skips, restricted to ASCII.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsIdentifierChar(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool IsNumeric(std::string_view identifier) {
  for (char c : identifier) {
    if (!IsAsciiDigit(c)) return false;
  }
  return true;
}

Error Invalid(std::string_view text, std::string_view reason) {
  return Error(ErrorCode::kInvalidArgument,
               "semver version \"" + std::string(text) + "\": " + std::string(reason));
}

std::string_view TakeDigits(std::string_view text, size_t& pos) {
  size_t start = pos;
  while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
  return text.substr(start, pos - start);
}

// Reads dot-separated identifiers from `pos` up to the first byte that can
// continue none. False when one of them is empty.
bool TakeIdentifiers(std::string_view text, size_t& pos, std::string_view& identifiers) {
  size_t start = pos;
  while (true) {
    size_t begin = pos;
    while (pos < text.size() && IsIdentifierChar(text[pos])) ++pos;
    if (pos == begin) return false;
    if (pos == text.size() || text[pos] != '.') break;
    ++pos;
  }
  identifiers = text.substr(start, pos - start);
  return true;
}

// Calls `visit` on each dot-separated identifier of a non-empty list; stops
// early when it returns false.
template <typename Visit>
void ForEachIdentifier(std::string_view identifiers, Visit visit) {
  while (true) {
    size_t dot = identifiers.find('.');
    if (!visit(identifiers.substr(0, dot)) || dot == std::string_view::npos) return;
    identifiers.remove_prefix(dot + 1);
  }
}

// A strict numeric identifier: "0" or digits not starting with '0'.
bool HasLeadingZero(std::string_view digits) { return digits.size() > 1 && digits[0] == '0'; }

// Reads MAJOR.MINOR. and the patch digits (left for the caller to split).
Status TakeCore(std::string_view text, size_t& pos, SemverVersion& version,
                std::string_view original) {
  version.major = TakeDigits(text, pos);
  if (version.major.empty() || pos == text.size() || text[pos] != '.') {
    return Invalid(original, "expected MAJOR.MINOR.PATCH");
  }
  ++pos;
  version.minor = TakeDigits(text, pos);
  if (version.minor.empty() || pos == text.size() || text[pos] != '.') {
    return Invalid(original, "expected MAJOR.MINOR.PATCH");
  }
  ++pos;
  version.patch = TakeDigits(text, pos);
  if (version.patch.empty()) return Invalid(original, "expected MAJOR.MINOR.PATCH");
  return Ok();
}

Result<SemverVersion> ParseStrict(std::string_view text) {
  SemverVersion version;
  size_t pos = 0;
  BULWARK_TRY(TakeCore(text, pos, version, text));
  for (std::string_view number : {version.major, version.minor, version.patch}) {
    if (HasLeadingZero(number)) return Invalid(text, "number with a leading zero");
  }

  if (pos < text.size() && text[pos] == '-') {
    ++pos;
    if (!TakeIdentifiers(text, pos, version.prerelease)) {
      return Invalid(text, "empty pre-release identifier");
    }
    bool leading_zero = false;
    ForEachIdentifier(version.prerelease, [&](std::string_view identifier) {
      leading_zero = IsNumeric(identifier) && HasLeadingZero(identifier);
      return !leading_zero;
    });
    if (leading_zero) return Invalid(text, "numeric pre-release identifier with a leading zero");
  }
  if (pos < text.size() && text[pos] == '+') {
    ++pos;
    if (!TakeIdentifiers(text, pos, version.build)) return Invalid(text, "empty build identifier");
  }
  if (pos != text.size()) return Invalid(text, "unexpected character after the version");
  return version;
}

// Reads what follows the patch number in loose mode, from `pos`: an optional
// pre-release (its '-' optional), an optional build, then the end.
bool TakeLooseTail(std::string_view text, size_t pos, SemverVersion& version) {
  if (pos < text.size() && text[pos] != '+') {
    // node-semver's "-?" takes the '-' only when an identifier follows it;
    // otherwise the '-' starts the identifier.
    if (text[pos] == '-' && pos + 1 < text.size() && IsIdentifierChar(text[pos + 1])) ++pos;
    if (!TakeIdentifiers(text, pos, version.prerelease)) return false;
  }
  if (pos < text.size() && text[pos] == '+') {
    ++pos;
    if (!TakeIdentifiers(text, pos, version.build)) return false;
  }
  return pos == text.size();
}

Result<SemverVersion> ParseLoose(std::string_view original) {
  std::string_view text = original;
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);

  size_t pos = 0;
  while (pos < text.size() && (text[pos] == 'v' || text[pos] == '=' || IsSpace(text[pos]))) ++pos;
  SemverVersion version;
  BULWARK_TRY(TakeCore(text, pos, version, original));

  // The pattern's patch number is greedy and gives digits back when the rest
  // does not match otherwise. Giving back one digit or several leads to the
  // same outcome (the digits open a pre-release identifier that ends at the
  // same place), so one shorter try stands for all of them, taken as the
  // pattern would: the longest patch that works.
  std::string_view digits = version.patch;
  size_t patch_start = pos - digits.size();
  for (size_t length : {digits.size(), digits.size() - 1}) {
    if (length == 0) break;
    SemverVersion candidate = version;
    if (TakeLooseTail(text, patch_start + length, candidate)) {
      candidate.patch = digits.substr(0, length);
      return candidate;
    }
  }
  return Invalid(original, "unexpected character after MAJOR.MINOR.PATCH");
}

int ComparePrerelease(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? 1 : -1);

  while (true) {
    size_t a_dot = a.find('.');
    size_t b_dot = b.find('.');
    std::string_view left = a.substr(0, a_dot);
    std::string_view right = b.substr(0, b_dot);
    bool left_numeric = IsNumeric(left);
    bool right_numeric = IsNumeric(right);
    int order = 0;
    if (left_numeric && right_numeric) {
      order = CompareDecimal(left, right);
    } else if (left_numeric != right_numeric) {
      order = left_numeric ? -1 : 1;
    } else {
      int bytes = left.compare(right);
      order = bytes < 0 ? -1 : (bytes > 0 ? 1 : 0);
    }
    if (order != 0) return order;

    bool a_done = a_dot == std::string_view::npos;
    bool b_done = b_dot == std::string_view::npos;
    if (a_done || b_done) return a_done == b_done ? 0 : (a_done ? -1 : 1);
    a.remove_prefix(a_dot + 1);
    b.remove_prefix(b_dot + 1);
  }
}

}  // namespace

Result<SemverVersion> ParseSemver(std::string_view text, SemverMode mode) {
  if (text.size() > kMaxSemverLength) {
    return Error(ErrorCode::kLimitExceeded, "semver version of " + std::to_string(text.size()) +
                                                " bytes: longer than " +
                                                std::to_string(kMaxSemverLength));
  }
  if (text.empty()) return Invalid(text, "version string is empty");
  return mode == SemverMode::kStrict ? ParseStrict(text) : ParseLoose(text);
}

int CompareSemver(const SemverVersion& a, const SemverVersion& b) {
  for (auto part : {&SemverVersion::major, &SemverVersion::minor, &SemverVersion::patch}) {
    int order = CompareDecimal(a.*part, b.*part);
    if (order != 0) return order;
  }
  return ComparePrerelease(a.prerelease, b.prerelease);
}

bool IsValidSemver(std::string_view text) { return ParseSemver(text, SemverMode::kStrict).ok(); }

}  // namespace bulwark::version
