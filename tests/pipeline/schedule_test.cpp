#include "pipeline/schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <vector>

namespace arxiv_digest {
namespace {

namespace chr = std::chrono;
using namespace std::chrono_literals;

constexpr Date ymd(int y, unsigned m, unsigned d) {
  return Date{chr::year{y}, chr::month{m}, chr::day{d}};
}
constexpr chr::sys_seconds utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return chr::sys_days{ymd(y, m, d)} + chr::hours{hh} + chr::minutes{mm} + chr::seconds{ss};
}

const AnnouncementCalendar& calendar() {
  static const AnnouncementCalendar cal = AnnouncementCalendar::with_builtin_holidays();
  return cal;
}

ScheduleOptions fixed(chr::seconds delay) { return {.delay = delay, .jitter = 0s, .seed = 0}; }

// Every run the daemon would make from `start` on, `count` of them.
std::vector<ScheduledRun> runs_from(chr::sys_seconds start, SourceKind source,
                                    const ScheduleOptions& options, int count) {
  std::vector<ScheduledRun> runs;
  std::optional<Date> last;
  chr::sys_seconds now = start;
  for (int i = 0; i < count; ++i) {
    runs.push_back(next_run(calendar(), source, options, now, last));
    now = runs.back().at;
    last = runs.back().listing_date;
  }
  return runs;
}

// The week of the 2026 change back to standard time (Sunday 1 November, 02:00 EDT -> 01:00 EST):
// listings announced at 20:00 EDT = 00:00 UTC before it, 20:00 EST = 01:00 UTC after it; no
// announcement on Friday and Saturday evenings.
TEST(Schedule, ListingSourceAcrossTheWeekendAndTheDstChange) {
  const auto runs = runs_from(utc(2026, 10, 28, 12), SourceKind::kListing, fixed(7min), 7);
  const std::vector<std::pair<Date, chr::sys_seconds>> expected = {
      {ymd(2026, 10, 29), utc(2026, 10, 29, 0, 7)},  // Wed 20:07 EDT
      {ymd(2026, 10, 30), utc(2026, 10, 30, 0, 7)},  // Thu 20:07 EDT
      {ymd(2026, 11, 2), utc(2026, 11, 2, 1, 7)},    // Sun 20:07 EST (Fri, Sat: none)
      {ymd(2026, 11, 3), utc(2026, 11, 3, 1, 7)},
      {ymd(2026, 11, 4), utc(2026, 11, 4, 1, 7)},
      {ymd(2026, 11, 5), utc(2026, 11, 5, 1, 7)},
      {ymd(2026, 11, 6), utc(2026, 11, 6, 1, 7)},
  };
  ASSERT_EQ(runs.size(), expected.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].listing_date, expected[i].first) << i;
    EXPECT_EQ(runs[i].at, expected[i].second) << i;
  }
}

// The RSS feed is rebuilt at the midnight ET after the announcement: 04:00 UTC in EDT, 05:00 UTC
// in EST.
TEST(Schedule, RssSourceRunsAfterMidnightEastern) {
  const auto runs = runs_from(utc(2026, 10, 29, 12), SourceKind::kRss, fixed(10min), 2);
  EXPECT_EQ(runs[0].listing_date, ymd(2026, 10, 30));
  EXPECT_EQ(runs[0].at, utc(2026, 10, 30, 4, 10));
  EXPECT_EQ(runs[1].listing_date, ymd(2026, 11, 2));
  EXPECT_EQ(runs[1].at, utc(2026, 11, 2, 5, 10));
  EXPECT_EQ(source_available(calendar(), SourceKind::kApi, ymd(2026, 11, 2)),
            utc(2026, 11, 2, 1));
}

// Thanksgiving 2026 (bundled holiday, listing date Thursday 26 November): no run on Wednesday
// evening; Friday's listing is announced on Thursday evening as usual.
TEST(Schedule, SkipsTheBundledHoliday) {
  const auto runs = runs_from(utc(2026, 11, 24, 12), SourceKind::kListing, fixed(7min), 3);
  EXPECT_EQ(runs[0].listing_date, ymd(2026, 11, 25));
  EXPECT_EQ(runs[0].at, utc(2026, 11, 25, 1, 7));
  EXPECT_EQ(runs[1].listing_date, ymd(2026, 11, 27));
  EXPECT_EQ(runs[1].at, utc(2026, 11, 27, 1, 7));
  EXPECT_EQ(runs[2].listing_date, ymd(2026, 11, 30));
  EXPECT_EQ(runs[2].at, utc(2026, 11, 30, 1, 7));
}

// Started between the announcement and its run, the day is still ahead; started just after
// its run, the next day is.
TEST(Schedule, StartingAroundARunInstant) {
  EXPECT_EQ(next_run(calendar(), SourceKind::kListing, fixed(7min), utc(2026, 11, 3, 1, 3))
                .listing_date,
            ymd(2026, 11, 3));
  EXPECT_EQ(next_run(calendar(), SourceKind::kListing, fixed(7min), utc(2026, 11, 3, 1, 7))
                .listing_date,
            ymd(2026, 11, 4));
  // Already handled: the next one, even if its instant is still ahead.
  EXPECT_EQ(next_run(calendar(), SourceKind::kListing, fixed(7min), utc(2026, 11, 3, 1, 3),
                     ymd(2026, 11, 3))
                .listing_date,
            ymd(2026, 11, 4));
}

// No delay and no jitter would be 20:00:00 ET exactly: moved to 20:02.
TEST(Schedule, NeverInTheFirstMinuteOfAnHour) {
  EXPECT_EQ(run_instant(calendar(), SourceKind::kListing, fixed(0s), ymd(2026, 11, 3)),
            utc(2026, 11, 3, 1, 2));
  EXPECT_EQ(run_instant(calendar(), SourceKind::kListing, fixed(59s), ymd(2026, 11, 3)),
            utc(2026, 11, 3, 1, 2, 59));
  EXPECT_EQ(run_instant(calendar(), SourceKind::kListing, fixed(60s), ymd(2026, 11, 3)),
            utc(2026, 11, 3, 1, 1));
}

// The jitter stays within [0, jitter], is the same for a seed and day, and varies across days.
TEST(Schedule, JitterIsBoundedStableAndVaries) {
  const ScheduleOptions options{.delay = 7min, .jitter = 5min, .seed = 42};
  std::set<chr::sys_seconds::rep> offsets;
  Date day = ymd(2026, 11, 2);
  for (int i = 0; i < 20; ++i, day = calendar().next_listing_after(day)) {
    const auto at = run_instant(calendar(), SourceKind::kListing, options, day);
    const auto base = calendar().announcement_instant(day) + 7min;
    EXPECT_GE(at, base);
    EXPECT_LE(at, base + 5min);
    EXPECT_EQ(at, run_instant(calendar(), SourceKind::kListing, options, day));
    offsets.insert((at - base).count());
  }
  EXPECT_GT(offsets.size(), 10u);
  ScheduleOptions other = options;
  other.seed = 43;
  EXPECT_NE(run_instant(calendar(), SourceKind::kListing, options, ymd(2026, 11, 3)),
            run_instant(calendar(), SourceKind::kListing, other, ymd(2026, 11, 3)));
}

}  // namespace
}  // namespace arxiv_digest
