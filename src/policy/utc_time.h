// Timestamps and calendar dates as scans, advisory data and policies write
// them, read into plain numbers. Internal to policy/.
#ifndef BULWARK_POLICY_UTC_TIME_H_
#define BULWARK_POLICY_UTC_TIME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bulwark::policy::internal {

inline constexpr int64_t kSecondsPerDay = 86400;

// Seconds since 1970-01-01T00:00:00Z for an RFC 3339 date-time:
// "2026-12-04T04:11:27Z", "2026-12-04t04:11:27.25z", "2026-12-04T06:11:27+02:00".
// Fractions of a second are dropped; a numeric offset is applied. nullopt for
// anything else, including days that do not exist (2026-02-29) and a bare
// date. Pure and thread-safe.
std::optional<int64_t> ParseRfc3339(std::string_view text);

// Days since 1970-01-01 for a calendar date written exactly "YYYY-MM-DD";
// nullopt when it is not one or the day does not exist. Pure and thread-safe.
std::optional<int64_t> ParseCalendarDate(std::string_view text);

// The UTC day (days since 1970-01-01) that `seconds` since the epoch fall on.
int64_t DayOf(int64_t seconds);

// A duration of whole seconds for evidence: "4 days 3 hours", "5 hours",
// "less than an hour". Negative durations read as their absolute value.
std::string DescribeDuration(int64_t seconds);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_UTC_TIME_H_
