#include "policy/utc_time.h"

#include <chrono>

namespace bulwark::policy::internal {
namespace {

// The number written by `count` ASCII digits at `position`, or nullopt.
std::optional<int> DigitsAt(std::string_view text, size_t position, size_t count) {
  if (position + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = position; i < position + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Days since the epoch for the "YYYY-MM-DD" at the start of `text`.
std::optional<int64_t> DaysAtStart(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  std::optional<int> year = DigitsAt(text, 0, 4);
  std::optional<int> month = DigitsAt(text, 5, 2);
  std::optional<int> day = DigitsAt(text, 8, 2);
  if (!year || !month || !day) return std::nullopt;

  const std::chrono::year_month_day date{std::chrono::year(*year),
                                         std::chrono::month(static_cast<unsigned>(*month)),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date).time_since_epoch().count();
}

// Seconds east of UTC for the zone designator that ends an RFC 3339 time
// ("Z", "+02:00", "-05:30"), or nullopt.
std::optional<int64_t> OffsetSeconds(std::string_view zone) {
  if (zone == "Z" || zone == "z") return 0;
  if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') {
    return std::nullopt;
  }
  std::optional<int> hours = DigitsAt(zone, 1, 2);
  std::optional<int> minutes = DigitsAt(zone, 4, 2);
  if (!hours || !minutes || *hours > 23 || *minutes > 59) return std::nullopt;
  int64_t offset = int64_t{*hours} * 3600 + int64_t{*minutes} * 60;
  return zone[0] == '-' ? -offset : offset;
}

}  // namespace

std::optional<int64_t> ParseCalendarDate(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  return DaysAtStart(text);
}

std::optional<int64_t> ParseRfc3339(std::string_view text) {
  std::optional<int64_t> days = DaysAtStart(text);
  if (!days || text.size() < 20) return std::nullopt;
  if (text[10] != 'T' && text[10] != 't') return std::nullopt;
  if (text[13] != ':' || text[16] != ':') return std::nullopt;
  std::optional<int> hours = DigitsAt(text, 11, 2);
  std::optional<int> minutes = DigitsAt(text, 14, 2);
  std::optional<int> seconds = DigitsAt(text, 17, 2);
  // RFC 3339 allows a leap second (60).
  if (!hours || !minutes || !seconds || *hours > 23 || *minutes > 59 || *seconds > 60) {
    return std::nullopt;
  }

  // An optional fraction of a second, then the zone.
  size_t zone_start = 19;
  if (text[zone_start] == '.') {
    size_t end = zone_start + 1;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == zone_start + 1) return std::nullopt;
    zone_start = end;
  }
  std::optional<int64_t> offset = OffsetSeconds(text.substr(zone_start));
  if (!offset) return std::nullopt;

  int64_t time_of_day = int64_t{*hours} * 3600 + int64_t{*minutes} * 60 + *seconds;
  return *days * kSecondsPerDay + time_of_day - *offset;
}

int64_t DayOf(int64_t seconds) {
  int64_t day = seconds / kSecondsPerDay;
  // Division truncates towards zero; a time before the epoch belongs to the day before.
  if (seconds % kSecondsPerDay < 0) --day;
  return day;
}

std::string DescribeDuration(int64_t seconds) {
  if (seconds < 0) seconds = -seconds;
  int64_t days = seconds / kSecondsPerDay;
  int64_t hours = seconds % kSecondsPerDay / 3600;
  if (days == 0 && hours == 0) return "less than an hour";

  std::string text;
  if (days > 0) text = std::to_string(days) + (days == 1 ? " day" : " days");
  if (hours > 0) {
    if (!text.empty()) text += " ";
    text += std::to_string(hours) + (hours == 1 ? " hour" : " hours");
  }
  return text;
}

}  // namespace bulwark::policy::internal
