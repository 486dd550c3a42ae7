#include "core/calendar.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "core/builtin_data.hpp"
#include "core/error.hpp"

namespace arxiv_digest {
namespace {

namespace chr = std::chrono;

constexpr std::string_view kArxivZone = "America/New_York";
constexpr chr::hours kAnnouncementHour{20};

// nullptr when the tz database does not know `zone_name`.
const date::time_zone* find_zone(std::string_view zone_name) noexcept {
  try {
    return date::locate_zone(zone_name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

const date::time_zone& zone_or_throw(std::string_view zone_name) {
  const date::time_zone* zone = find_zone(zone_name);
  if (zone == nullptr) {
    throw Error(fmt::format("unknown time zone \"{}\" (not in the system tz database)", zone_name));
  }
  return *zone;
}

const date::time_zone& arxiv_zone() {
  static const date::time_zone& zone = zone_or_throw(kArxivZone);
  return zone;
}

// The calendar date in New York at `instant`.
Date new_york_date(chr::sys_seconds instant) {
  const date::sys_info info = arxiv_zone().get_info(instant);
  return Date{chr::floor<chr::days>(instant + info.offset)};
}

Date add_days(Date date, int days) { return Date{chr::sys_days{date} + chr::days{days}}; }

}  // namespace

AnnouncementCalendar::AnnouncementCalendar(std::vector<Date> holidays)
    : holidays_(std::move(holidays)) {
  std::ranges::sort(holidays_);
  // std::unique, not std::ranges::unique: clang 14 cannot compile the latter against
  // libstdc++ 12 (the config fuzzer compiles this file with clang).
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end()), holidays_.end());
}

AnnouncementCalendar AnnouncementCalendar::with_builtin_holidays() {
  const auto table = builtin_holidays();
  return AnnouncementCalendar(std::vector<Date>(table.begin(), table.end()));
}

std::span<const Date> AnnouncementCalendar::builtin_holidays() {
  return detail::builtin_holiday_table();
}

NoListingReason AnnouncementCalendar::no_listing_reason(Date listing_date) const {
  const chr::weekday weekday{chr::sys_days{listing_date}};
  if (weekday == chr::Saturday || weekday == chr::Sunday) return NoListingReason::kWeekend;
  if (std::ranges::binary_search(holidays_, listing_date)) return NoListingReason::kHoliday;
  return NoListingReason::kNone;
}

chr::sys_seconds AnnouncementCalendar::announcement_instant(Date listing_date) const {
  const date::local_seconds evening_before{
      (chr::sys_days{listing_date} - chr::days{1} + kAnnouncementHour).time_since_epoch()};
  // 20:00 is never inside a New York DST transition (those happen at 02:00), so `earliest` only
  // documents intent.
  return arxiv_zone().to_sys(evening_before, date::choose::earliest);
}

Date AnnouncementCalendar::latest_listing(chr::sys_seconds now) const {
  // The listing dated tomorrow (New York) is the latest one that can have been announced by now.
  Date candidate = add_days(new_york_date(now), 1);
  while (!has_listing(candidate) || announcement_instant(candidate) > now) {
    candidate = add_days(candidate, -1);
  }
  return candidate;
}

Date AnnouncementCalendar::next_listing(chr::sys_seconds now) const {
  // Today's listing (New York) was announced yesterday evening, so start from there.
  Date candidate = new_york_date(now);
  while (!has_listing(candidate) || announcement_instant(candidate) <= now) {
    candidate = add_days(candidate, 1);
  }
  return candidate;
}

Date AnnouncementCalendar::next_listing_after(Date listing_date) const {
  Date candidate = add_days(listing_date, 1);
  while (!has_listing(candidate)) candidate = add_days(candidate, 1);
  return candidate;
}

Date AnnouncementCalendar::previous_listing_before(Date listing_date) const {
  Date candidate = add_days(listing_date, -1);
  while (!has_listing(candidate)) candidate = add_days(candidate, -1);
  return candidate;
}

bool is_known_time_zone(std::string_view zone_name) { return find_zone(zone_name) != nullptr; }

ZonedMoment to_zone(chr::sys_seconds instant, std::string_view zone_name) {
  const date::sys_info info = zone_or_throw(zone_name).get_info(instant);
  return ZonedMoment{chr::local_seconds{instant.time_since_epoch() + info.offset}, info.offset,
                     info.abbrev};
}

std::string format_utc_offset(chr::seconds offset) {
  const char sign = offset < chr::seconds::zero() ? '-' : '+';
  const chr::hh_mm_ss<chr::seconds> parts{chr::abs(offset)};
  std::string text = fmt::format("UTC{}{}", sign, parts.hours().count());
  if (parts.minutes().count() != 0 || parts.seconds().count() != 0) {
    text += fmt::format(":{:02}", parts.minutes().count());
  }
  if (parts.seconds().count() != 0) text += fmt::format(":{:02}", parts.seconds().count());
  return text;
}

std::string format_local(chr::local_seconds local, bool with_seconds) {
  const auto day = chr::floor<chr::days>(local);
  const Date date{day};
  const chr::hh_mm_ss<chr::seconds> time{local - day};
  std::string text = fmt::format("{} {:02}:{:02}", format_date(date), time.hours().count(),
                                 time.minutes().count());
  if (with_seconds) text += fmt::format(":{:02}", time.seconds().count());
  return text;
}

std::string format_date(Date date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

std::optional<Date> parse_date(std::string_view text) {
  // Exactly YYYY-MM-DD: fixed width, ASCII digits, no sign, no surrounding text.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t widths[3] = {4, 2, 2};
  for (std::size_t f = 0; f < 3; ++f) {
    for (std::size_t i = starts[f]; i < starts[f] + widths[f]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  const Date date{chr::year{fields[0]}, chr::month{static_cast<unsigned>(fields[1])},
                  chr::day{static_cast<unsigned>(fields[2])}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace arxiv_digest
