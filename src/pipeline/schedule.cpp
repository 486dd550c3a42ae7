#include "pipeline/schedule.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::seconds;

// splitmix64: a well-mixed hash of (seed, day), stable across platforms and runs (std::hash is
// neither), so a day's jitter is the same in the daemon, `run --wait` and the tests.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

std::chrono::sys_seconds source_available(const AnnouncementCalendar& calendar, SourceKind source,
                                          Date listing_date) {
  const auto announced = calendar.announcement_instant(listing_date);
  if (source == SourceKind::kRss) return announced + std::chrono::hours{4};
  return announced;
}

std::chrono::sys_seconds run_instant(const AnnouncementCalendar& calendar, SourceKind source,
                                     const ScheduleOptions& options, Date listing_date) {
  auto at = source_available(calendar, source, listing_date) + options.delay;
  if (options.jitter > seconds{0}) {
    const auto day = static_cast<std::uint64_t>(
        std::chrono::sys_days{listing_date}.time_since_epoch().count());
    const auto span = static_cast<std::uint64_t>(options.jitter.count()) + 1;
    at += seconds{static_cast<long long>(mix(options.seed ^ mix(day)) % span)};
  }
  const auto into_hour = at.time_since_epoch() % std::chrono::hours{1};
  if (into_hour < std::chrono::minutes{1}) at += std::chrono::minutes{2};
  return at;
}

ScheduledRun next_run(const AnnouncementCalendar& calendar, SourceKind source,
                      const ScheduleOptions& options, std::chrono::sys_seconds now,
                      std::optional<Date> after) {
  // Start from a listing whose run instant may still be ahead: announced at most
  // 4 h + delay + jitter + 2 min before now.
  const auto earliest = now - std::chrono::hours{4} - options.delay - options.jitter -
                        std::chrono::minutes{3};
  Date date = calendar.latest_listing(earliest);
  for (;;) {
    const bool done = after && std::chrono::sys_days{date} <= std::chrono::sys_days{*after};
    if (!done && calendar.has_listing(date)) {
      const auto at = run_instant(calendar, source, options, date);
      if (at > now) return {date, at};
    }
    date = calendar.next_listing_after(date);
  }
}

}  // namespace arxiv_digest
