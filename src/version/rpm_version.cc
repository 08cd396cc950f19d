#include "version/rpm_version.h"

#include <string>

#include "version/decimal.h"

namespace bulwark::version {
namespace {

using internal::CompareDecimal;
using internal::IsAsciiDigit;

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// rpm's segment characters are ASCII only, whatever the locale; the two
// markers are read on their own; everything else only separates.
bool IsSeparator(char c) { return !IsAsciiDigit(c) && !IsAsciiLetter(c) && c != '~' && c != '^'; }

Error Invalid(std::string_view text, std::string_view reason) {
  return Error(ErrorCode::kInvalidArgument,
               "rpm version \"" + std::string(text) + "\": " + std::string(reason));
}

// Takes the run of characters satisfying `pred` that starts at `pos`.
template <typename Pred>
std::string_view Run(std::string_view text, size_t pos, Pred pred) {
  size_t end = pos;
  while (end < text.size() && pred(text[end])) ++end;
  return text.substr(pos, end - pos);
}

// Compares the digit or letter segment starting at a[i] with the one at b[j]
// and moves both past them. a[i] and b[j] are letters or digits.
int CompareSegment(std::string_view a, size_t& i, std::string_view b, size_t& j) {
  bool numeric = IsAsciiDigit(a[i]);
  std::string_view left = numeric ? Run(a, i, IsAsciiDigit) : Run(a, i, IsAsciiLetter);
  std::string_view right = numeric ? Run(b, j, IsAsciiDigit) : Run(b, j, IsAsciiLetter);
  i += left.size();
  j += right.size();

  // Segments of different kinds: the number is the newer one.
  if (right.empty()) return numeric ? 1 : -1;
  if (numeric) return CompareDecimal(left, right);
  int order = left.compare(right);
  return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

bool IsRpmbuildCharacter(char c) {
  if (IsAsciiDigit(c) || IsAsciiLetter(c)) return true;
  return c == '.' || c == '_' || c == '+' || c == '~' || c == '^';
}

bool IsValidPart(std::string_view part) {
  if (part.empty() || part.find("..") != std::string_view::npos) return false;
  for (char c : part) {
    if (!IsRpmbuildCharacter(c)) return false;
  }
  return true;
}

}  // namespace

Result<RpmEvr> ParseRpmEvr(std::string_view text) {
  if (text.size() > kMaxRpmVersionLength) {
    return Error(ErrorCode::kLimitExceeded, "rpm version of " + std::to_string(text.size()) +
                                                " bytes: longer than " +
                                                std::to_string(kMaxRpmVersionLength));
  }
  if (text.empty()) return Invalid(text, "version string is empty");
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte == 0x7f) return Invalid(text, "whitespace or control character");
  }

  RpmEvr evr;
  std::string_view rest = text;
  std::string_view digits = Run(text, 0, IsAsciiDigit);
  if (digits.size() < text.size() && text[digits.size()] == ':') {
    evr.epoch = digits;
    evr.has_epoch = true;
    rest.remove_prefix(digits.size() + 1);
  }

  size_t hyphen = rest.rfind('-');
  if (hyphen != std::string_view::npos) {
    evr.release = rest.substr(hyphen + 1);
    evr.has_release = true;
    rest = rest.substr(0, hyphen);
  }
  if (rest.empty()) return Invalid(text, "version part is empty");
  evr.version = rest;
  return evr;
}

int CompareRpmSegments(std::string_view a, std::string_view b) {
  if (a == b) return 0;

  size_t i = 0;
  size_t j = 0;
  while (true) {
    while (i < a.size() && IsSeparator(a[i])) ++i;
    while (j < b.size() && IsSeparator(b[j])) ++j;
    bool a_ended = i == a.size();
    bool b_ended = j == b.size();

    // '~' sorts below everything, the end of the string included.
    bool a_tilde = !a_ended && a[i] == '~';
    bool b_tilde = !b_ended && b[j] == '~';
    if (a_tilde || b_tilde) {
      if (!a_tilde) return 1;
      if (!b_tilde) return -1;
      ++i;
      ++j;
      continue;
    }

    // '^' sorts above the end of the string and below everything else.
    bool a_caret = !a_ended && a[i] == '^';
    bool b_caret = !b_ended && b[j] == '^';
    if (a_caret || b_caret) {
      if (a_ended) return -1;
      if (b_ended) return 1;
      if (!a_caret) return 1;
      if (!b_caret) return -1;
      ++i;
      ++j;
      continue;
    }

    if (a_ended || b_ended) break;
    int order = CompareSegment(a, i, b, j);
    if (order != 0) return order;
  }

  // Equal segments; the one with something left is newer. Separators alone
  // were skipped above, so "1.0." equals "1.0".
  bool a_ended = i == a.size();
  bool b_ended = j == b.size();
  if (a_ended && b_ended) return 0;
  return a_ended ? -1 : 1;
}

int CompareRpmEvr(const RpmEvr& a, const RpmEvr& b) {
  int epoch = CompareDecimal(a.epoch, b.epoch);
  if (epoch != 0) return epoch;
  int version = CompareRpmSegments(a.version, b.version);
  if (version != 0) return version;
  // rpm orders a version without a release below the same version with any
  // release, even an empty one.
  if (a.has_release != b.has_release) return a.has_release ? 1 : -1;
  return CompareRpmSegments(a.release, b.release);
}

bool IsValidRpmVersion(std::string_view text) {
  Result<RpmEvr> evr = ParseRpmEvr(text);
  if (!evr.ok()) return false;

  if (evr->has_epoch) {
    if (evr->epoch.empty() || evr->epoch.size() > 10) return false;
    if (CompareDecimal(evr->epoch, "4294967295") > 0) return false;
  }
  if (!IsValidPart(evr->version)) return false;
  return !evr->has_release || IsValidPart(evr->release);
}

}  // namespace bulwark::version
