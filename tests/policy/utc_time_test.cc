#include "policy/utc_time.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace bulwark::policy::internal {
namespace {

TEST(ParseRfc3339, ReadsUtcTimesWithFractionsAndOffsets) {
  struct Case {
    const char* text;
    int64_t seconds;
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-12-04T12:00:00Z", 1796385600},
      {"2026-12-04t12:00:00.999z", 1796385600},
      {"2026-12-04T14:30:00+02:30", 1796385600},
      {"2026-12-04T07:00:00-05:00", 1796385600},
      {"2024-02-29T00:00:00Z", 1709164800},
      {"1969-12-31T23:59:59Z", -1},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.text);

    std::optional<int64_t> seconds = ParseRfc3339(test_case.text);

    ASSERT_TRUE(seconds.has_value());
    EXPECT_EQ(*seconds, test_case.seconds);
  }
}

TEST(ParseRfc3339, RefusesAnythingElse) {
  const char* cases[] = {
      "",
      "2026-12-04",
      "2026-12-04T12:00:00",
      "2026-12-04 12:00:00Z",
      "2026-12-04T12:00Z",
      "2026-12-04T24:00:00Z",
      "2026-12-04T12:60:00Z",
      "2026-02-29T12:00:00Z",
      "2026-13-01T12:00:00Z",
      "2026-12-04T12:00:00.Z",
      "2026-12-04T12:00:00+0200",
      "2026-12-04T12:00:00Zjunk",
      "２026-12-04T12:00:00Z",
  };
  for (const char* text : cases) {
    SCOPED_TRACE(text);

    std::optional<int64_t> seconds = ParseRfc3339(text);

    EXPECT_FALSE(seconds.has_value());
  }
}

TEST(ParseCalendarDate, ReadsRealDatesOnly) {
  std::optional<int64_t> epoch = ParseCalendarDate("1970-01-01");
  std::optional<int64_t> leap_day = ParseCalendarDate("2028-02-29");
  std::optional<int64_t> not_leap = ParseCalendarDate("2027-02-29");
  std::optional<int64_t> with_time = ParseCalendarDate("2027-01-31T00:00:00Z");
  std::optional<int64_t> short_month = ParseCalendarDate("2027-1-31");

  ASSERT_TRUE(epoch.has_value());
  EXPECT_EQ(*epoch, 0);
  ASSERT_TRUE(leap_day.has_value());
  EXPECT_EQ(*leap_day, 21243);
  EXPECT_FALSE(not_leap.has_value());
  EXPECT_FALSE(with_time.has_value());
  EXPECT_FALSE(short_month.has_value());
}

TEST(DayOf, CountsTimesBeforeTheEpochIntoTheDayBefore) {
  int64_t midnight = DayOf(0);
  int64_t last_second = DayOf(kSecondsPerDay - 1);
  int64_t next_day = DayOf(kSecondsPerDay);
  int64_t before_epoch = DayOf(-1);

  EXPECT_EQ(midnight, 0);
  EXPECT_EQ(last_second, 0);
  EXPECT_EQ(next_day, 1);
  EXPECT_EQ(before_epoch, -1);
}

TEST(DescribeDuration, SaysDaysAndHours) {
  std::string none = DescribeDuration(0);
  std::string hours = DescribeDuration(3 * 3600);
  std::string both = DescribeDuration(kSecondsPerDay + 3600);
  std::string negative = DescribeDuration(-2 * kSecondsPerDay);

  EXPECT_EQ(none, "less than an hour");
  EXPECT_EQ(hours, "3 hours");
  EXPECT_EQ(both, "1 day 1 hour");
  EXPECT_EQ(negative, "2 days");
}

}  // namespace
}  // namespace bulwark::policy::internal
