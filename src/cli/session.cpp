#include "cli/session.hpp"

#include <fmt/chrono.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/app.hpp"
#include "render/renderer.hpp"

#ifndef ARXIV_DIGEST_VERSION
#define ARXIV_DIGEST_VERSION "0.0.0"
#endif

namespace arxiv_digest {

void Console::configure(const LogConfig& log) {
  log_ = log;
  file_.reset();
  if (log.file.empty()) return;
  std::error_code ec;
  if (log.file.has_parent_path()) std::filesystem::create_directories(log.file.parent_path(), ec);
  auto file = std::make_unique<std::ofstream>(log.file, std::ios::app | std::ios::binary);
  if (!*file)
    throw ConfigError(fmt::format("[log] file '{}': cannot open it for appending ({})",
                                  log.file.string(), std::strerror(errno)));
  file_ = std::move(file);
}

void Console::write(LogLevel level, const std::string& message) {
  if (quiet_ && level != LogLevel::kError) return;
  if (level < log_.level) return;
  end_progress();
  static constexpr std::string_view kNames[] = {"info", "warn", "error"};
  const std::string_view name = kNames[static_cast<int>(level)];
  std::string line;
  if (log_.json) {
    const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    nlohmann::ordered_json record;
    record["time"] = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
    record["level"] = name;
    record["message"] = message;
    line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    // Text keeps the console's long-standing shape: only errors are labelled.
    line = fmt::format("{}: {}{}", kToolName, level == LogLevel::kError ? "error: " : "", message);
  }
  if (file_) {
    *file_ << line << '\n' << std::flush;
    if (level == LogLevel::kError) err_ << fmt::format("{}: error: {}\n", kToolName, message);
  } else {
    err_ << line << '\n';
  }
}

void add_common_options(CLI::App* sub, CommonOptions& common) {
  sub->add_option("-c,--config", common.config_path,
                  "Configuration file (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
  sub->add_option("-d,--date", common.date,
                  "Listing date YYYY-MM-DD (default: the latest announced listing)");
  sub->add_option("--source", common.source, "Override [arxiv] source: rss, listing or api");
  sub->add_flag("-q,--quiet", common.quiet, "Only print errors");
}

std::unique_ptr<Env> make_env() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    long long seconds = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || seconds < 0)
      throw ConfigError(fmt::format("SOURCE_DATE_EPOCH='{}' is not a number of seconds", epoch));
    return std::make_unique<SystemEnv>(std::chrono::sys_seconds{std::chrono::seconds{seconds}});
  }
  return std::make_unique<SystemEnv>();
}

Config load(const CommonOptions& common) {
  Config config = load_config_or_default(common.config_path);
  if (!common.source.empty()) {
    auto kind = source_kind_from_string(common.source);
    if (!kind)
      throw UsageError(fmt::format("--source '{}': expected rss, listing or api", common.source));
    config.arxiv.source = *kind;
  }
  return config;
}

AnnouncementCalendar make_calendar(const Config& config) {
  std::vector<Date> holidays(AnnouncementCalendar::builtin_holidays().begin(),
                             AnnouncementCalendar::builtin_holidays().end());
  holidays.insert(holidays.end(), config.arxiv.extra_holidays.begin(),
                  config.arxiv.extra_holidays.end());
  return AnnouncementCalendar(std::move(holidays));
}

std::string user_agent(const Config& config) {
  if (!config.arxiv.user_agent.empty()) return config.arxiv.user_agent;
  // arXiv asks automated clients to identify themselves with a way to reach their operator.
  std::string ua = fmt::format("{}/{}", kToolName, ARXIV_DIGEST_VERSION);
  if (!config.arxiv.contact.empty()) ua += fmt::format(" (mailto:{})", config.arxiv.contact);
  return ua;
}

Date resolve_date(const CommonOptions& common, const AnnouncementCalendar& calendar,
                  const Env& env) {
  if (common.date.empty()) return calendar.latest_listing(env.now());
  auto date = parse_date(common.date);
  if (!date) throw UsageError(fmt::format("--date '{}': expected a date as YYYY-MM-DD", common.date));
  return *date;
}

namespace {

// Another Env, borrowed: a session on the daemon's clock (a FakeEnv in tests).
class BorrowedEnv final : public Env {
 public:
  explicit BorrowedEnv(Env& env) : env_(env) {}
  std::chrono::sys_seconds now() const override { return env_.now(); }
  std::chrono::steady_clock::time_point steady_now() const override { return env_.steady_now(); }
  void sleep_for(std::chrono::milliseconds duration) override { env_.sleep_for(duration); }

 private:
  Env& env_;
};

}  // namespace

Session open_session(const CommonOptions& common, Env& env) {
  Config config = load(common);
  AnnouncementCalendar calendar = make_calendar(config);
  Date date = resolve_date(common, calendar, env);
  return Session{std::move(config), std::make_unique<BorrowedEnv>(env), std::move(calendar), date};
}

Session open_session(const CommonOptions& common) {
  Config config = load(common);
  auto env = make_env();
  AnnouncementCalendar calendar = make_calendar(config);
  Date date = resolve_date(common, calendar, *env);
  return Session{std::move(config), std::move(env), std::move(calendar), date};
}

RunSettings run_settings(const Session& s) {
  const Config& config = s.config;
  RunSettings settings;
  settings.fetch.source = config.arxiv.source;
  settings.fetch.categories = config.arxiv.categories;
  settings.fetch.rss_url = config.arxiv.rss_url;
  settings.fetch.listing_url = config.arxiv.listing_url;
  settings.fetch.api_url = config.arxiv.api_url;
  settings.fetch.timeout = std::chrono::seconds(config.arxiv.timeout_s);
  settings.announce_types = config.arxiv.announce_types;
  settings.topics = config.topics;
  settings.time_zone = config.output.timezone;
  settings.render.tool_version = ARXIV_DIGEST_VERSION;
  settings.render.explain = config.output.explain;
  settings.render.atom.base_url = config.output.feed_url;
  // FileSink copies KaTeX into <dir>/katex, beside the page.
  if (!katex_dir(config.output).empty()) settings.render.html.katex_base = "katex";
  settings.render.html.templates_dir = config.output.templates_dir;
  return settings;
}

// The exit code and messages of a report whose run did not throw.
int finish(const RunReport& report, Console& console) {
  const std::string date = format_date(report.listing_date);
  switch (report.outcome) {
    case RunReport::Outcome::kNoAnnouncement:
      console.info("arXiv made no announcement for the listing date {} ({}); nothing to do", date,
                   report.reason);
      // A notice that could not be sent (on_no_announcement = "notify") is a failed delivery.
      for (const SinkFailure& failure : report.failures)
        console.error("{}: {}", failure.sink, failure.message);
      return report.failures.empty() ? kExitNoAnnouncement : kExitDelivery;
    case RunReport::Outcome::kNotYetAnnounced:
      console.error("--date {}: not announced yet: {}", date, report.reason);
      return kExitUsage;
    case RunReport::Outcome::kPublished:
      break;
  }
  const TranslationSummary& t = report.translation;
  if (t.enabled) console.info("{}", describe(t));
  // One line per run with the day's figures, for logs (the daemon's journal, cron mail).
  const auto sent = std::count_if(report.deliveries.begin(), report.deliveries.end(),
                                  [](const DeliveryOutcome& d) { return d.state == DeliveryState::kSent; });
  const RunReport::StageTimes& ms = report.stage_times;
  console.info("summary: listing {}: fetched {} ({}), matched {}, translated {}, failed {}, "
               "sent {}, failed deliveries {}, {} ms (fetch {}, select {}, translate {}, "
               "render {}, publish {}, deliver {})",
               date, report.fetched, report.from_archive ? "archive" : to_string(report.source),
               report.matched, t.translated, t.failed, sent, report.failures.size(),
               report.elapsed.count(), ms.fetch.count(), ms.select.count(),
               ms.translate.count(), ms.render.count(), ms.publish.count(), ms.deliver.count());
  const auto is_delivery = [&report](const SinkFailure& f) {
    return std::any_of(report.deliveries.begin(), report.deliveries.end(),
                       [&f](const DeliveryOutcome& d) {
                         return d.state == DeliveryState::kFailed && d.audience == f.audience &&
                                d.channel == f.sink;
                       });
  };
  for (const SinkFailure& failure : report.failures)
    console.error("{}{}: {}", failure.sink,
                  failure.audience.empty() ? "" : fmt::format(" (subscriber {})", failure.audience),
                  failure.message);
  if (!std::all_of(report.failures.begin(), report.failures.end(), is_delivery)) return kExitOutput;
  if (!report.failures.empty()) {
    console.error("{} deliver{} failed; the next run of {} retries only {}",
                  report.failures.size(), report.failures.size() == 1 ? "y" : "ies", date,
                  report.failures.size() == 1 ? "it" : "them");
    return kExitDelivery;
  }
  if (t.stopped_by == TranslateErrorKind::kAuth) {
    console.error("the translation key was rejected ({}); the digest was written without the "
                  "untranslated fields",
                  t.stop_reason);
    return kExitTranslation;
  }
  if (t.failed > 0) {
    console.error("{} translation(s) failed; the digest marks them next to the English text",
                  t.failed);
    return kExitTranslation;
  }
  return kExitOk;
}

int exit_code_for(Console& console, const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const UsageError& e) {
    console.error("{}", e.what());
    return kExitUsage;
  } catch (const ConfigError& e) {
    console.error("{}", e.what());
    return kExitConfig;
  } catch (const IncompleteFetchError& e) {
    console.error("incomplete fetch: {}", e.what());
    return kExitIncomplete;
  } catch (const ParseError& e) {
    // Parsers put source and position in their messages; add them where one does not.
    std::string message = e.what();
    if (!e.source().empty() && message.find(e.source()) == std::string::npos) {
      std::string where = e.source();
      if (e.line() > 0) where += fmt::format(":{}:{}", e.line(), e.column());
      message = fmt::format("{}: {}", where, message);
    }
    console.error("{}", message);
    return kExitBadData;
  } catch (const HttpStatusError& e) {
    console.error("{}", e.what());
    return kExitNetwork;
  } catch (const TransportError& e) {
    console.error("{}", e.what());
    return kExitNetwork;
  } catch (const StoreError& e) {
    console.error("archive: {}", e.what());
    return kExitStore;
  } catch (const OutputError& e) {
    console.error("{}", e.what());
    return kExitOutput;
  } catch (const std::exception& e) {
    console.error("unexpected failure (a bug; please report it): {}", e.what());
    return kExitInternal;
  } catch (...) {
    console.error("unexpected failure (a bug; please report it)");
    return kExitInternal;
  }
}

}  // namespace arxiv_digest
