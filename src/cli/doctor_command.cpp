#include "cli/doctor_command.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <memory>
#include <filesystem>
#include <ostream>
#include <string>
#include <system_error>
#include <vector>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "cli/config_command.hpp"
#include "core/calendar.hpp"
#include "core/paper.hpp"
#include "store/archive.hpp"
#include "store/open_archive.hpp"

namespace arxiv_digest {
namespace {

constexpr std::string_view kEastern = "America/New_York";

AnnouncementCalendar calendar_for(const Config& config) {
  std::vector<Date> holidays(AnnouncementCalendar::builtin_holidays().begin(),
                             AnnouncementCalendar::builtin_holidays().end());
  holidays.insert(holidays.end(), config.arxiv.extra_holidays.begin(),
                  config.arxiv.extra_holidays.end());
  return AnnouncementCalendar(std::move(holidays));
}

std::string weekday_name(Date date) {
  static constexpr std::array<const char*, 7> kNames = {"Sun", "Mon", "Tue", "Wed",
                                                        "Thu", "Fri", "Sat"};
  return kNames[std::chrono::weekday(std::chrono::sys_days(date)).c_encoding()];
}

std::string day(Date date) { return fmt::format("{} {}", weekday_name(date), format_date(date)); }

// "2026-06-17 20:00 EDT (UTC-4)"
std::string moment(std::chrono::sys_seconds instant, std::string_view zone) {
  const ZonedMoment m = to_zone(instant, zone);
  return fmt::format("{} {} ({})", format_local(m.local, false), m.abbreviation,
                     format_utc_offset(m.offset));
}

std::string size_text(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024.0);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string duration_text(std::chrono::seconds s) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(s).count();
  if (minutes < 60) return fmt::format("{} min", minutes);
  if (minutes < 48 * 60) return fmt::format("{} h {} min", minutes / 60, minutes % 60);
  return fmt::format("{} days {} h", minutes / (24 * 60), (minutes / 60) % 24);
}

void print_paths(const Config& config, std::ostream& out) {
  out << "paths:\n";
  out << fmt::format("  config:    {}\n", config.file.string());
  std::error_code ec;
  const bool archive_exists = std::filesystem::exists(config.store.path, ec);
  out << fmt::format("  archive:   {} ({}){}\n", config.store.path.string(), config.store.backend,
                     archive_exists ? "" : " (not created yet: the first run creates it)");
  out << fmt::format("  output:    {}\n", config.output.dir.string());
  out << fmt::format("  cache:     {}\n", config.arxiv.cache_dir.string());
  const std::filesystem::path katex = katex_dir(config.output);
  out << fmt::format("  katex:     {}\n",
                     katex.empty() ? std::string("none (math is shown as TeX)") : katex.string());
  out << fmt::format("  templates: {}\n", config.output.templates_dir.empty()
                                             ? std::string("built-in")
                                             : config.output.templates_dir.string());
}

void print_next(const Config& config, std::chrono::sys_seconds now, std::ostream& out) {
  const AnnouncementCalendar calendar = calendar_for(config);
  const Date next = calendar.next_listing(now);
  const auto at = calendar.announcement_instant(next);
  const std::string& zone = config.output.timezone;
  out << fmt::format("next announcement: the listing of {}, in {}\n", day(next),
                     duration_text(std::chrono::duration_cast<std::chrono::seconds>(at - now)));
  out << fmt::format("  ET:        {}\n", moment(at, kEastern));
  out << fmt::format("  {:<10} {}\n", zone + ":", moment(at, zone));
  if (config.arxiv.source == SourceKind::kRss)
    out << "  (the RSS feed is rebuilt around midnight ET, some 4 hours later)\n";
  // The evenings before it without an announcement, and why: "why no papers today?".
  const Date latest = calendar.latest_listing(now);
  for (auto d = std::chrono::sys_days(latest) + std::chrono::days(1);
       d < std::chrono::sys_days(next); d += std::chrono::days(1)) {
    const Date listing{d};
    if (calendar.announcement_instant(listing) <= now) continue;
    const Date evening{d - std::chrono::days(1)};
    const NoListingReason reason = calendar.no_listing_reason(listing);
    out << fmt::format("  no announcement on the evening of {} (ET): {} has no listing ({})\n",
                       day(evening), day(listing),
                       reason == NoListingReason::kHoliday ? "an arXiv holiday" : "weekend");
  }
}

std::string announcement_line(const AnnouncementSummary& a) {
  return fmt::format("fetched {} via {}: {} papers{}{}", a.categories, to_string(a.source),
                     a.received, a.declared ? fmt::format(" of {} declared", *a.declared) : "",
                     a.complete ? "" : " (INCOMPLETE)");
}

void print_days(Archive& archive, const DoctorOptions& options, std::ostream& out) {
  const std::vector<Date> dates = archive.recent_listing_dates(static_cast<std::size_t>(options.days));
  out << fmt::format("last days ({} most recent listing dates in the archive):\n", options.days);
  if (dates.empty()) out << "  none yet\n";
  for (const Date date : dates) {
    out << fmt::format("  {}:\n", day(date));
    for (const AnnouncementSummary& a : archive.announcements_on(date))
      out << fmt::format("    {}\n", announcement_line(a));
    const std::vector<DigestRecord> digests = archive.digests_for(date);
    if (digests.empty()) {
      out << "    no digest written\n";
    } else {
      std::vector<std::string> formats;
      for (const DigestRecord& d : digests)
        if (std::find(formats.begin(), formats.end(), d.format) == formats.end())
          formats.push_back(d.format);
      out << fmt::format("    digest: {} papers ({})\n", digests.front().paper_count,
                         fmt::join(formats, ", "));
    }
    for (const DeliveryRecord& d : archive.deliveries_for(date)) {
      const std::string who = d.audience.empty() ? d.channel : fmt::format("{} (subscriber {})", d.channel, d.audience);
      if (d.status == DeliveryStatus::kSent) {
        out << fmt::format("    {}: sent, {} papers{}\n", who, d.paper_count,
                           d.attempts > 1 ? fmt::format(" ({} attempts)", d.attempts) : "");
      } else {
        out << fmt::format("    {}: FAILED after {} attempt{}: {}\n", who, d.attempts,
                           d.attempts == 1 ? "" : "s", d.detail);
      }
    }
  }
}

}  // namespace

CLI::App* add_doctor_command(CLI::App& app, DoctorOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "doctor", "Show the configuration, paths, archive, next announcement and the last days");
  cmd->add_option("-c,--config", options.config_path,
                  "Configuration file (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
  cmd->add_option("--days", options.days, "How many recent listing dates to show (default 7)")
      ->check(CLI::Range(1, 366));
  return cmd;
}

int command_doctor(const DoctorOptions& options, std::chrono::sys_seconds now, std::ostream& out) {
  const Config config = load_config_or_default(options.config_path);
  out << fmt::format("configuration: {}\n", config.file.string());
  describe_config(config, out);
  print_paths(config, out);
  std::error_code ec;
  std::unique_ptr<Archive> archive;
  if (std::filesystem::exists(config.store.path, ec))
    archive = open_archive({config.store.backend, config.store.path});
  if (archive) {
    const ArchiveStats s = archive->stats();
    out << fmt::format(
        "archive: schema version {}, {}: {} papers, {} announcements, {} translations, {} digest "
        "files, {} deliveries\n",
        s.schema_version, size_text(s.size_bytes), s.papers, s.announcements, s.translations,
        s.digests, s.deliveries);
    if (const auto& b = s.index_build) {
      const std::string who = fmt::format("an import (process {}, since {:%Y-%m-%d %H:%M} UTC)",
                                          b->pid, b->started_at);
      out << (b->running
                  ? fmt::format("archive: {} is building the search index: searches read every "
                                "paper meanwhile, and other paper writes are refused\n",
                                who)
                  : fmt::format("archive: {} stopped before it finished the search index: run "
                                "`arxiv-digest import` again (with any file) to finish it\n",
                                who));
    }
  } else {
    out << "archive: not created yet\n";
  }
  print_next(config, now, out);
  if (archive) print_days(*archive, options, out);
  return kExitOk;
}

}  // namespace arxiv_digest
