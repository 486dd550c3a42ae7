#include "core/calendar.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace chr = std::chrono;
using namespace std::chrono_literals;

constexpr Date ymd(int y, unsigned m, unsigned d) {
  return Date{chr::year{y}, chr::month{m}, chr::day{d}};
}

// An instant given as its UTC wall-clock time.
constexpr chr::sys_seconds utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return chr::sys_days{ymd(y, m, d)} + chr::hours{hh} + chr::minutes{mm} + chr::seconds{ss};
}

constexpr chr::local_seconds local(int y, unsigned m, unsigned d, int hh = 0, int mm = 0,
                                   int ss = 0) {
  return chr::local_days{ymd(y, m, d)} + chr::hours{hh} + chr::minutes{mm} + chr::seconds{ss};
}

const AnnouncementCalendar& calendar() {
  static const AnnouncementCalendar cal = AnnouncementCalendar::with_builtin_holidays();
  return cal;
}

Date previous_day(Date d) { return Date{chr::sys_days{d} - chr::days{1}}; }

// ---- The seed digest --------------------------------------------------------------------------

TEST(SeedDigest, ListingOfThursday18June2026IsAnnouncedAt0800InShanghai) {
  const Date listing = ymd(2026, 6, 18);
  ASSERT_TRUE(calendar().has_listing(listing));
  const auto announced = calendar().announcement_instant(listing);
  EXPECT_EQ(announced, utc(2026, 6, 18, 0, 0));

  const ZonedMoment new_york = to_zone(announced, "America/New_York");
  EXPECT_EQ(format_local(new_york.local, false), "2026-06-17 20:00");
  EXPECT_EQ(new_york.abbreviation, "EDT");
  EXPECT_EQ(format_utc_offset(new_york.offset), "UTC-4");

  const ZonedMoment shanghai = to_zone(announced, "Asia/Shanghai");
  EXPECT_EQ(format_local(shanghai.local, false), "2026-06-18 08:00");
  EXPECT_EQ(shanghai.offset, 8h);
  EXPECT_EQ(format_utc_offset(shanghai.offset), "UTC+8");
}

TEST(SeedDigest, GenerationTimeSelectsTheListingOf18June) {
  // The seed's first line: "生成时间: 2026-06-18 19:52:58 (UTC+8)".
  const std::string seed = testing::read_file(testing::data_path("seed/seed-2026-06-18.txt"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(seed, m,
                                std::regex(R"((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) \(UTC\+8\))")));
  const std::string generated_text = m[1].str();

  const auto generated = utc(2026, 6, 18, 11, 52, 58);  // 19:52:58 at UTC+8
  const ZonedMoment shanghai = to_zone(generated, "Asia/Shanghai");
  EXPECT_EQ(format_local(shanghai.local, true), generated_text);
  EXPECT_EQ(format_utc_offset(shanghai.offset), "UTC+8");
  EXPECT_EQ(calendar().latest_listing(generated), ymd(2026, 6, 18));
  // Friday 19 June is a holiday, so the next listing is Monday's.
  EXPECT_EQ(calendar().next_listing(generated), ymd(2026, 6, 22));
}

// ---- announcement_instant across both 2026 DST changes ------------------------------------------

struct InstantCase {
  Date listing;
  chr::sys_seconds expected;
  const char* new_york;  // announcement wall-clock time
  const char* abbreviation;
};

TEST(AnnouncementInstant, IsTwentyHundredNewYorkTheEveningBefore) {
  const InstantCase cases[] = {
      {ymd(2026, 1, 5), utc(2026, 1, 5, 1), "2026-01-04 20:00", "EST"},  // Mon, winter
      {ymd(2026, 3, 6), utc(2026, 3, 6, 1), "2026-03-05 20:00", "EST"},  // Fri before DST
      {ymd(2026, 3, 9), utc(2026, 3, 9, 0), "2026-03-08 20:00", "EDT"},  // DST began 03-08
      {ymd(2026, 3, 10), utc(2026, 3, 10, 0), "2026-03-09 20:00", "EDT"},
      {ymd(2026, 6, 18), utc(2026, 6, 18, 0), "2026-06-17 20:00", "EDT"},  // the seed
      {ymd(2026, 10, 30), utc(2026, 10, 30, 0), "2026-10-29 20:00", "EDT"},
      {ymd(2026, 11, 2), utc(2026, 11, 2, 1), "2026-11-01 20:00", "EST"},  // DST ended 11-01
      {ymd(2026, 11, 3), utc(2026, 11, 3, 1), "2026-11-02 20:00", "EST"},
      // Defined for non-listing dates too: holiday and weekend.
      {ymd(2026, 6, 19), utc(2026, 6, 19, 0), "2026-06-18 20:00", "EDT"},
      {ymd(2026, 3, 8), utc(2026, 3, 8, 1), "2026-03-07 20:00", "EST"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(format_date(c.listing));
    const auto instant = calendar().announcement_instant(c.listing);
    EXPECT_EQ(instant, c.expected);
    const ZonedMoment ny = to_zone(instant, "America/New_York");
    EXPECT_EQ(format_local(ny.local, true), std::string(c.new_york) + ":00");
    EXPECT_EQ(ny.abbreviation, c.abbreviation);
  }
}

// ---- no_listing_reason -----------------------------------------------------------------------

TEST(NoListingReason, EveryPublished2026HolidayHasNoListing) {
  const Date holidays_2026[] = {ymd(2026, 1, 1),   ymd(2026, 1, 19),  ymd(2026, 6, 19),
                                ymd(2026, 7, 3),   ymd(2026, 9, 7),   ymd(2026, 11, 26),
                                ymd(2026, 12, 25), ymd(2026, 12, 29), ymd(2026, 12, 31)};
  for (const Date d : holidays_2026) {
    SCOPED_TRACE(format_date(d));
    EXPECT_EQ(calendar().no_listing_reason(d), NoListingReason::kHoliday);
    EXPECT_FALSE(calendar().has_listing(d));
  }
}

TEST(NoListingReason, WeekendsAndOrdinaryWeekdays) {
  const std::pair<Date, NoListingReason> cases[] = {
      {ymd(2026, 6, 20), NoListingReason::kWeekend},  // Sat
      {ymd(2026, 6, 21), NoListingReason::kWeekend},  // Sun
      {ymd(2026, 3, 8), NoListingReason::kWeekend},   // Sun, DST starts
      {ymd(2026, 11, 1), NoListingReason::kWeekend},  // Sun, DST ends
      {ymd(2025, 7, 6), NoListingReason::kWeekend},   // the "Sunday 6 July" of the 2025 list
      {ymd(2026, 6, 18), NoListingReason::kNone},     // Thu (seed)
      {ymd(2026, 6, 22), NoListingReason::kNone},     // Mon
      {ymd(2026, 11, 27), NoListingReason::kNone},    // Fri after Thanksgiving
      {ymd(2026, 12, 30), NoListingReason::kNone},    // between two holidays
      {ymd(2026, 7, 6), NoListingReason::kNone},
      {ymd(2025, 7, 7), NoListingReason::kHoliday},  // see data/holidays.txt
      {ymd(2025, 12, 30), NoListingReason::kHoliday},
      {ymd(2024, 12, 26), NoListingReason::kHoliday},
      {ymd(2023, 6, 14), NoListingReason::kHoliday},
  };
  for (const auto& [date, reason] : cases) {
    SCOPED_TRACE(format_date(date));
    EXPECT_EQ(calendar().no_listing_reason(date), reason);
  }
}

TEST(NoListingReason, CustomHolidaysReplaceTheBuiltinOnes) {
  const AnnouncementCalendar custom({ymd(2026, 6, 17), ymd(2026, 6, 17)});  // duplicates are fine
  EXPECT_EQ(custom.no_listing_reason(ymd(2026, 6, 17)), NoListingReason::kHoliday);
  EXPECT_EQ(custom.no_listing_reason(ymd(2026, 6, 19)), NoListingReason::kNone);
  EXPECT_EQ(custom.latest_listing(utc(2026, 6, 17, 12)), ymd(2026, 6, 16));

  const AnnouncementCalendar none({});
  EXPECT_TRUE(none.has_listing(ymd(2026, 12, 25)));
  EXPECT_EQ(none.latest_listing(utc(2026, 6, 19, 0)), ymd(2026, 6, 19));
}

// ---- holidays: the evening before has no announcement ------------------------------------------

struct HolidayCase {
  Date holiday;
  Date previous;             // last listing before it
  std::optional<Date> next;  // first listing after it (nullopt: beyond the published data)
};

TEST(Holidays, TheEveningBeforeEach2026HolidayHasNoAnnouncement) {
  const HolidayCase cases[] = {
      {ymd(2026, 1, 1), ymd(2025, 12, 31), ymd(2026, 1, 2)},
      {ymd(2026, 1, 19), ymd(2026, 1, 16), ymd(2026, 1, 20)},
      {ymd(2026, 6, 19), ymd(2026, 6, 18), ymd(2026, 6, 22)},
      {ymd(2026, 7, 3), ymd(2026, 7, 2), ymd(2026, 7, 6)},
      {ymd(2026, 9, 7), ymd(2026, 9, 4), ymd(2026, 9, 8)},
      {ymd(2026, 11, 26), ymd(2026, 11, 25), ymd(2026, 11, 27)},
      {ymd(2026, 12, 25), ymd(2026, 12, 24), ymd(2026, 12, 28)},
      {ymd(2026, 12, 29), ymd(2026, 12, 28), ymd(2026, 12, 30)},
      {ymd(2026, 12, 31), ymd(2026, 12, 30), std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(format_date(c.holiday));
    // The instant the holiday's listing would have been announced, and an hour later.
    const auto evening = calendar().announcement_instant(c.holiday);
    for (const auto at : {evening, evening + 1h}) {
      EXPECT_EQ(calendar().latest_listing(at), c.previous);
      if (c.next) {
        EXPECT_EQ(calendar().next_listing(at), *c.next);
      }
    }
    EXPECT_EQ(calendar().previous_listing_before(c.holiday), c.previous);
    if (c.next) {
      EXPECT_EQ(calendar().next_listing_after(c.holiday), *c.next);
    }
    // That evening really is a regular announcement evening (Sun-Thu) that gets skipped.
    const chr::weekday evening_day{chr::sys_days{previous_day(c.holiday)}};
    EXPECT_NE(evening_day, chr::Friday);
    EXPECT_NE(evening_day, chr::Saturday);
  }
}

TEST(Holidays, Thanksgiving2026IsAnnouncedNeitherWednesdayNorMissingFriday) {
  // Wed 11-25 20:00 EST: no announcement (Thursday's listing is a holiday).
  EXPECT_EQ(calendar().latest_listing(utc(2026, 11, 26, 1)), ymd(2026, 11, 25));
  // Thu 11-26 20:00 EST: Friday's listing is announced as usual.
  EXPECT_EQ(calendar().latest_listing(utc(2026, 11, 27, 0, 59, 59)), ymd(2026, 11, 25));
  EXPECT_EQ(calendar().latest_listing(utc(2026, 11, 27, 1)), ymd(2026, 11, 27));
}

// ---- latest_listing / next_listing ---------------------------------------------------------

struct NowCase {
  chr::sys_seconds now;
  Date latest;
  Date next;
  const char* what;
};

TEST(LatestAndNextListing, AroundWeekendsHolidaysAndDstChanges) {
  const NowCase cases[] = {
      {utc(2026, 6, 17, 23, 59, 59), ymd(2026, 6, 17), ymd(2026, 6, 18), "Wed 19:59:59 EDT"},
      {utc(2026, 6, 18, 0, 0, 0), ymd(2026, 6, 18), ymd(2026, 6, 22), "Wed 20:00 EDT (seed)"},
      {utc(2026, 6, 19, 0, 0, 0), ymd(2026, 6, 18), ymd(2026, 6, 22), "Thu 20:00, holiday eve"},
      {utc(2026, 6, 20, 12), ymd(2026, 6, 18), ymd(2026, 6, 22), "Saturday"},
      {utc(2026, 6, 21, 23, 59, 59), ymd(2026, 6, 18), ymd(2026, 6, 22), "Sun 19:59:59 EDT"},
      {utc(2026, 6, 22, 0, 0, 0), ymd(2026, 6, 22), ymd(2026, 6, 23), "Sun 20:00 EDT"},
      {utc(2026, 3, 6, 0, 59, 59), ymd(2026, 3, 5), ymd(2026, 3, 6), "Thu 19:59:59 EST"},
      {utc(2026, 3, 6, 1, 0, 0), ymd(2026, 3, 6), ymd(2026, 3, 9), "Thu 20:00 EST"},
      {utc(2026, 3, 8, 23, 59, 59), ymd(2026, 3, 6), ymd(2026, 3, 9), "DST day, 19:59:59 EDT"},
      {utc(2026, 3, 9, 0, 0, 0), ymd(2026, 3, 9), ymd(2026, 3, 10), "DST day, 20:00 EDT"},
      // 2026-11-02T00:00Z is only 19:00 EST: a fixed EDT offset would wrongly say "announced".
      {utc(2026, 11, 2, 0, 0, 0), ymd(2026, 10, 30), ymd(2026, 11, 2), "DST end, 19:00 EST"},
      {utc(2026, 11, 2, 0, 59, 59), ymd(2026, 10, 30), ymd(2026, 11, 2), "DST end, 19:59:59"},
      {utc(2026, 11, 2, 1, 0, 0), ymd(2026, 11, 2), ymd(2026, 11, 3), "DST end, 20:00 EST"},
      // New Year: 2025-12-30 and 2026-01-01 are both holidays.
      {utc(2025, 12, 30, 1), ymd(2025, 12, 29), ymd(2025, 12, 31), "Mon 12-29 20:00 EST"},
      {utc(2025, 12, 31, 1), ymd(2025, 12, 31), ymd(2026, 1, 2), "Tue 12-30 20:00 EST"},
      {utc(2026, 1, 1, 1), ymd(2025, 12, 31), ymd(2026, 1, 2), "Wed 12-31 20:00 EST"},
      {utc(2026, 1, 2, 1), ymd(2026, 1, 2), ymd(2026, 1, 5), "Thu 01-01 20:00 EST"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(calendar().latest_listing(c.now), c.latest);
    EXPECT_EQ(calendar().next_listing(c.now), c.next);
  }
}

TEST(NextListingAfter, SkipsWeekendsAndHolidays) {
  const std::pair<Date, Date> after[] = {
      {ymd(2026, 6, 12), ymd(2026, 6, 15)},  // Fri -> Mon
      {ymd(2026, 6, 18), ymd(2026, 6, 22)},  // Thu -> (holiday Fri, weekend) -> Mon
      {ymd(2026, 6, 20), ymd(2026, 6, 22)},  // from a Saturday
      {ymd(2026, 12, 24), ymd(2026, 12, 28)}, {ymd(2026, 12, 28), ymd(2026, 12, 30)},
  };
  for (const auto& [from, expected] : after) {
    SCOPED_TRACE(format_date(from));
    EXPECT_EQ(calendar().next_listing_after(from), expected);
  }
  const std::pair<Date, Date> before[] = {
      {ymd(2026, 6, 22), ymd(2026, 6, 18)},  // Mon -> (weekend, holiday Fri) -> Thu
      {ymd(2026, 6, 16), ymd(2026, 6, 15)},
      {ymd(2026, 1, 2), ymd(2025, 12, 31)},  // across the year and two holidays
      {ymd(2026, 1, 20), ymd(2026, 1, 16)},  // over MLK day and a weekend
      {ymd(2026, 7, 6), ymd(2026, 7, 2)},
  };
  for (const auto& [from, expected] : before) {
    SCOPED_TRACE(format_date(from));
    EXPECT_EQ(calendar().previous_listing_before(from), expected);
  }
}

TEST(LatestAndNextListing, AgreeWithAnnouncementInstantsForEveryDay2023To2026) {
  int listings = 0;
  for (chr::sys_days day = chr::sys_days{ymd(2023, 1, 2)}; day <= chr::sys_days{ymd(2026, 12, 31)};
       day += chr::days{1}) {
    const Date d{day};
    if (!calendar().has_listing(d)) continue;
    ++listings;
    SCOPED_TRACE(format_date(d));
    const auto at = calendar().announcement_instant(d);
    ASSERT_EQ(calendar().latest_listing(at), d);
    ASSERT_EQ(calendar().latest_listing(at - 1s), calendar().previous_listing_before(d));
    ASSERT_EQ(calendar().next_listing(at - 1s), d);
    ASSERT_EQ(calendar().next_listing(at), calendar().next_listing_after(d));
    const ZonedMoment ny = to_zone(at, "America/New_York");
    ASSERT_EQ(ny.local, chr::local_days{previous_day(d)} + 20h);
    const chr::weekday evening{chr::sys_days{previous_day(d)}};
    ASSERT_NE(evening, chr::Friday);
    ASSERT_NE(evening, chr::Saturday);
  }
  // 4 years of Monday-Friday minus the 34 bundled holidays.
  EXPECT_EQ(listings, 1044 - 34);
}

// ---- builtin holidays ---------------------------------------------------------------------

TEST(BuiltinHolidays, SortedWeekdaysCoveringFourYears) {
  const auto holidays = AnnouncementCalendar::builtin_holidays();
  EXPECT_EQ(holidays.size(), 34u);
  EXPECT_TRUE(std::is_sorted(holidays.begin(), holidays.end()));
  EXPECT_EQ(std::adjacent_find(holidays.begin(), holidays.end()), holidays.end());
  EXPECT_EQ(holidays.front(), ymd(2023, 1, 16));
  EXPECT_EQ(holidays.back(), ymd(2026, 12, 31));
  for (const Date d : holidays) {
    SCOPED_TRACE(format_date(d));
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(calendar().no_listing_reason(d), NoListingReason::kHoliday);
  }
}

TEST(BuiltinHolidays, Match2026ListOnArxivsHelpPage) {
  // The newest revision of arXiv's availability page, as bundled in data/holidays/.
  const std::string page = testing::read_file(
      std::string(ARXIV_DIGEST_SOURCE_DIR) +
      "/data/holidays/arxiv-docs_availability_announcement-schedule_holidays2026.md");
  const auto section = page.find("### 2026 Holidays");
  ASSERT_NE(section, std::string::npos);
  std::vector<Date> published;
  std::istringstream lines(page.substr(section));
  const std::regex item(R"(^- [A-Z][a-z]+day (\d{4}-\d{2}-\d{2})\s*$)");
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, item)) continue;
    const auto d = parse_date(m[1].str());
    ASSERT_TRUE(d.has_value()) << line;
    published.push_back(*d);
  }
  std::vector<Date> bundled;
  for (const Date d : AnnouncementCalendar::builtin_holidays()) {
    if (d.year() == chr::year{2026}) bundled.push_back(d);
  }
  EXPECT_EQ(published.size(), 9u);
  EXPECT_EQ(bundled, published);
}

// ---- zones and formatting --------------------------------------------------------------------

struct ZoneCase {
  chr::sys_seconds instant;
  const char* zone;
  const char* local;  // with seconds
  chr::seconds offset;
  const char* offset_text;
  const char* abbreviation;
};

TEST(ToZone, ConvertsWithTheSystemTzDatabase) {
  const ZoneCase cases[] = {
      {utc(2026, 6, 18, 0), "Asia/Shanghai", "2026-06-18 08:00:00", 8h, "UTC+8", "CST"},
      {utc(2026, 6, 18, 11, 52, 58), "Asia/Shanghai", "2026-06-18 19:52:58", 8h, "UTC+8", "CST"},
      {utc(2026, 1, 5, 1), "Asia/Shanghai", "2026-01-05 09:00:00", 8h, "UTC+8", "CST"},
      {utc(2026, 6, 18, 0), "America/New_York", "2026-06-17 20:00:00", -4h, "UTC-4", "EDT"},
      {utc(2026, 1, 5, 1), "America/New_York", "2026-01-04 20:00:00", -5h, "UTC-5", "EST"},
      // The DST switches themselves: 02:00 EST -> 03:00 EDT, 02:00 EDT -> 01:00 EST.
      {utc(2026, 3, 8, 6, 59, 59), "America/New_York", "2026-03-08 01:59:59", -5h, "UTC-5", "EST"},
      {utc(2026, 3, 8, 7), "America/New_York", "2026-03-08 03:00:00", -4h, "UTC-4", "EDT"},
      {utc(2026, 11, 1, 5, 59, 59), "America/New_York", "2026-11-01 01:59:59", -4h, "UTC-4", "EDT"},
      {utc(2026, 11, 1, 6), "America/New_York", "2026-11-01 01:00:00", -5h, "UTC-5", "EST"},
      {utc(2026, 6, 18, 0), "Asia/Kolkata", "2026-06-18 05:30:00", 5h + 30min, "UTC+5:30", "IST"},
      {utc(2026, 6, 18, 0), "UTC", "2026-06-18 00:00:00", 0s, "UTC+0", "UTC"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.zone) + " " + c.local);
    const ZonedMoment m = to_zone(c.instant, c.zone);
    EXPECT_EQ(format_local(m.local, true), c.local);
    EXPECT_EQ(m.offset, c.offset);
    EXPECT_EQ(format_utc_offset(m.offset), c.offset_text);
    EXPECT_EQ(m.abbreviation, c.abbreviation);
    EXPECT_EQ(m.local.time_since_epoch(), (c.instant + m.offset).time_since_epoch());
  }
}

TEST(ToZone, UnknownZoneThrowsErrorNamingIt) {
  EXPECT_TRUE(is_known_time_zone("Asia/Shanghai"));
  EXPECT_TRUE(is_known_time_zone("America/New_York"));
  EXPECT_TRUE(is_known_time_zone("UTC"));
  for (const char* bad : {"Mars/Olympus_Mons", "asia/shanghai", "", "../../etc/passwd"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(is_known_time_zone(bad));
    try {
      to_zone(utc(2026, 6, 18), bad);
      ADD_FAILURE() << "no exception";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr(std::string("\"") + bad + "\""));
    }
  }
}

TEST(FormatUtcOffset, HoursMinutesAndSign) {
  const std::pair<chr::seconds, const char*> cases[] = {
      {8h, "UTC+8"},
      {-4h, "UTC-4"},
      {5h + 30min, "UTC+5:30"},
      {0s, "UTC+0"},
      {-(3h + 30min), "UTC-3:30"},
      {5h + 45min, "UTC+5:45"},
      {14h, "UTC+14"},
      {-12h, "UTC-12"},
      {-(4h + 56min + 2s), "UTC-4:56:02"},
  };
  for (const auto& [offset, text] : cases) EXPECT_EQ(format_utc_offset(offset), text);
}

TEST(FormatLocal, MinutesOrSeconds) {
  EXPECT_EQ(format_local(local(2026, 6, 17, 20, 0), false), "2026-06-17 20:00");
  EXPECT_EQ(format_local(local(2026, 6, 17, 20, 0), true), "2026-06-17 20:00:00");
  EXPECT_EQ(format_local(local(2026, 6, 18, 19, 52, 58), true), "2026-06-18 19:52:58");
  EXPECT_EQ(format_local(local(2026, 6, 18, 19, 52, 58), false), "2026-06-18 19:52");
  EXPECT_EQ(format_local(local(2026, 1, 1, 0, 0, 0), true), "2026-01-01 00:00:00");
  EXPECT_EQ(format_local(local(1999, 12, 31, 23, 59, 59), true), "1999-12-31 23:59:59");
}

// ---- parse_date / format_date --------------------------------------------------------------

TEST(ParseDate, AcceptsOnlyValidIsoDates) {
  const std::pair<const char*, std::optional<Date>> cases[] = {
      {"2026-06-18", ymd(2026, 6, 18)},   {"2024-02-29", ymd(2024, 2, 29)},
      {"2000-02-29", ymd(2000, 2, 29)},   {"2026-12-31", ymd(2026, 12, 31)},
      {"2026-02-30", std::nullopt},       {"2025-02-29", std::nullopt},
      {"1900-02-29", std::nullopt},       {"2026-04-31", std::nullopt},
      {"2026-13-01", std::nullopt},       {"2026-00-10", std::nullopt},
      {"2026-06-00", std::nullopt},       {"2026-6-1", std::nullopt},
      {"2026-06-1", std::nullopt},        {"2026-06-18x", std::nullopt},
      {"2026-06-18 ", std::nullopt},      {" 2026-06-18", std::nullopt},
      {"2026-06-18T00:00", std::nullopt}, {"20260618", std::nullopt},
      {"2026/06/18", std::nullopt},       {"+026-06-18", std::nullopt},
      {"2026-0a-18", std::nullopt},       {"", std::nullopt},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(parse_date(text), expected);
  }
  // A NUL inside the view is just a bad character.
  EXPECT_EQ(parse_date(std::string_view("2026-06-1\0", 10)), std::nullopt);
}

TEST(ParseDate, RoundTripsWithFormatDate) {
  for (chr::sys_days day = chr::sys_days{ymd(2023, 12, 25)}; day <= chr::sys_days{ymd(2025, 3, 5)};
       day += chr::days{1}) {
    const Date d{day};
    const std::string text = format_date(d);
    ASSERT_EQ(text.size(), 10u);
    ASSERT_EQ(parse_date(text), d) << text;
  }
  EXPECT_EQ(format_date(ymd(2026, 6, 8)), "2026-06-08");
  EXPECT_EQ(format_date(ymd(987, 1, 2)), "0987-01-02");
}

}  // namespace
}  // namespace arxiv_digest
