// When an unattended run (the daemon, `run --wait`) should run a listing date: after the source
// carries it, plus a delay and a per-day jitter, never in the first minute of an hour (chat
// services throttle the messages everyone schedules "on the hour").
//
// When each source carries listing D (PROTOCOLS.md, the README's Daily use):
//   listing pages, API: the announcement, 20:00 America/New_York on the evening before D;
//   RSS feed:           rebuilt at the midnight ET after the announcement, 00:00 ET on D. That is
//                       always announcement + 4 h: 20:00-24:00 ET never spans a DST change (the
//                       changes are at 02:00 local).
// Days without a listing (weekends, holidays: the calendar) are never scheduled.
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "core/calendar.hpp"
#include "sources/announcement_fetcher.hpp"

namespace arxiv_digest {

struct ScheduleOptions {
  // After the source carries the day ([daemon] delay).
  std::chrono::seconds delay{std::chrono::minutes{7}};
  // Up to this much more, the same for a given seed and day ([daemon] jitter).
  std::chrono::seconds jitter{std::chrono::minutes{5}};
  // Varies the jitter between installations (the cli derives it from the configuration path).
  std::uint64_t seed = 0;
};

// The instant `source` carries the listing dated `listing_date` (defined for any date).
std::chrono::sys_seconds source_available(const AnnouncementCalendar& calendar, SourceKind source,
                                          Date listing_date);

// The instant to run `listing_date`: source_available + delay + jitter(seed, date), moved two
// minutes on when it falls in the first minute of an hour.
std::chrono::sys_seconds run_instant(const AnnouncementCalendar& calendar, SourceKind source,
                                     const ScheduleOptions& options, Date listing_date);

struct ScheduledRun {
  Date listing_date{};
  std::chrono::sys_seconds at{};
};

// The first listing date (after `after`, when given) whose run instant is later than `now`.
ScheduledRun next_run(const AnnouncementCalendar& calendar, SourceKind source,
                      const ScheduleOptions& options, std::chrono::sys_seconds now,
                      std::optional<Date> after = std::nullopt);

}  // namespace arxiv_digest
