#include "vulndb/advisory.h"

#include <string>

namespace bulwark::vulndb {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kUnknown:
      return "unknown";
    case Severity::kNegligible:
      return "negligible";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

Result<Severity> ParseSeverity(std::string_view text) {
  const std::string lower = Lower(text);
  static constexpr Severity kAll[] = {Severity::kUnknown, Severity::kNegligible,
                                      Severity::kLow,     Severity::kMedium,
                                      Severity::kHigh,    Severity::kCritical};
  for (Severity severity : kAll) {
    if (lower == SeverityName(severity)) return severity;
  }

  // The words distributions use for the same levels: Red Hat's impact
  // ("moderate", "important"), Debian's urgency ("unimportant") and CVSS's
  // qualitative "none".
  if (lower == "moderate") return Severity::kMedium;
  if (lower == "important") return Severity::kHigh;
  if (lower == "unimportant" || lower == "none") return Severity::kNegligible;
  return Error(ErrorCode::kInvalidArgument,
               "severity \"" + std::string(text) +
                   "\": expected unknown, negligible, low, medium, high or critical");
}

Severity SeverityFromCvss(double score) {
  // NaN fails every comparison, so it lands on kUnknown with the negatives.
  if (!(score >= 0.0) || score > 10.0) return Severity::kUnknown;
  if (score == 0.0) return Severity::kNegligible;
  if (score < 4.0) return Severity::kLow;
  if (score < 7.0) return Severity::kMedium;
  if (score < 9.0) return Severity::kHigh;
  return Severity::kCritical;
}

std::string_view FixStateName(FixState state) {
  switch (state) {
    case FixState::kFixed:
      return "fixed";
    case FixState::kNotFixed:
      return "not_fixed";
    case FixState::kWontFix:
      return "wont_fix";
    case FixState::kNotAffected:
      return "not_affected";
  }
  return "not_fixed";
}

Result<FixState> ParseFixState(std::string_view text) {
  static constexpr FixState kAll[] = {FixState::kFixed, FixState::kNotFixed, FixState::kWontFix,
                                      FixState::kNotAffected};
  for (FixState state : kAll) {
    if (text == FixStateName(state)) return state;
  }
  return Error(ErrorCode::kInvalidArgument,
               "fix state \"" + std::string(text) +
                   "\": expected fixed, not_fixed, wont_fix or not_affected");
}

}  // namespace bulwark::vulndb
