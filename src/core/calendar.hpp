// The arXiv announcement calendar.
//
// arXiv announces Sunday-Thursday at 20:00 US Eastern (America/New_York, EDT or EST). The listing
// dated D (always a Monday-Friday) is announced at 20:00 ET on D-1: Monday's listing on Sunday
// evening. arXiv's holiday list names listing (mailing) dates: holiday D means there is no listing
// dated D, hence no announcement on the evening of D-1 (Friday 2026-06-19 => none on Thursday
// 2026-06-18 evening).
//
// All functions are pure and thread-safe. Time-zone data comes from the system tz database.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest {

using Date = std::chrono::year_month_day;

// Why a date has no listing.
enum class NoListingReason { kNone, kWeekend, kHoliday };

class AnnouncementCalendar {
 public:
  // `holidays`: listing dates on which arXiv publishes no listing.
  explicit AnnouncementCalendar(std::vector<Date> holidays);
  // The holidays arXiv published for 2023-2026 (bundled data, see data/holidays.txt).
  static AnnouncementCalendar with_builtin_holidays();
  // The bundled holiday dates.
  static std::span<const Date> builtin_holidays();

  // kNone when a listing is dated `listing_date`; otherwise why not.
  NoListingReason no_listing_reason(Date listing_date) const;
  bool has_listing(Date listing_date) const { return no_listing_reason(listing_date) == NoListingReason::kNone; }

  // The instant the listing dated `listing_date` is (or would be) announced: 20:00
  // America/New_York on the day before. Defined for any date, listing or not.
  std::chrono::sys_seconds announcement_instant(Date listing_date) const;

  // The most recent listing date whose announcement instant is <= `now`.
  Date latest_listing(std::chrono::sys_seconds now) const;
  // The first listing date whose announcement instant is > `now`.
  Date next_listing(std::chrono::sys_seconds now) const;
  // The listing date after / before `listing_date` (skipping weekends and holidays).
  Date next_listing_after(Date listing_date) const;
  Date previous_listing_before(Date listing_date) const;

 private:
  std::vector<Date> holidays_;  // sorted
};

// A moment shown in one time zone.
struct ZonedMoment {
  std::chrono::local_seconds local{};  // wall-clock time in the zone
  std::chrono::seconds offset{};       // local - UTC
  std::string abbreviation;            // "EDT", "EST", "CST", "+08" (as the tz database has it)
};

// True when the tz database knows `zone_name` ("Asia/Shanghai", "UTC", "America/New_York").
bool is_known_time_zone(std::string_view zone_name);
// Converts `instant` to `zone_name`. Throws arxiv_digest::Error naming the zone if unknown.
ZonedMoment to_zone(std::chrono::sys_seconds instant, std::string_view zone_name);
// "UTC+8", "UTC-4", "UTC+5:30", "UTC+0".
std::string format_utc_offset(std::chrono::seconds offset);
// "2026-06-17 20:00" / with seconds "2026-06-17 20:00:00".
std::string format_local(std::chrono::local_seconds local, bool with_seconds);
// "YYYY-MM-DD". And its inverse: returns nullopt unless `text` is a valid calendar date.
std::string format_date(Date date);
std::optional<Date> parse_date(std::string_view text);

}  // namespace arxiv_digest
