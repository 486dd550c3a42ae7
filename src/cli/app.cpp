#include "cli/app.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.hpp"
#include "cli/config_command.hpp"
#include "cli/delivery_setup.hpp"
#include "cli/harvest_command.hpp"
#include "cli/match_command.hpp"
#include "cli/translation_setup.hpp"
#include "core/calendar.hpp"
#include "core/env.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/topic.hpp"
#include "match/topic_selector.hpp"
#include "net/caching_http_client.hpp"
#include "net/curl_http_client.hpp"
#include "net/polite_http_client.hpp"
#include "pipeline/daily_run.hpp"
#include "pipeline/sink.hpp"
#include "pipeline/topic_examples.hpp"
#include "render/renderer.hpp"
#include "sources/announcement_fetcher.hpp"
#include "store/open_archive.hpp"

#ifndef ARXIV_DIGEST_VERSION
#define ARXIV_DIGEST_VERSION "0.0.0"
#endif

namespace arxiv_digest {
namespace {

constexpr std::string_view kToolName = "arxiv-digest";

struct CommonOptions {
  std::string config_path;
  std::string date;
  std::string source;
  bool quiet = false;
};

struct RunOptions {
  std::string out_dir;
  std::string formats;
  bool formats_given = false;
  bool to_stdout = false;
  bool refetch = false;
  bool resend = false;
};

// Messages to stderr; the library never prints.
class Console {
 public:
  Console(std::ostream& err, bool quiet)
      : err_(err), quiet_(quiet), tty_(&err == &std::cerr && ::isatty(2) == 1) {}
  template <typename... Args>
  void info(fmt::format_string<Args...> f, Args&&... args) {
    end_progress();
    if (!quiet_) err_ << kToolName << ": " << fmt::format(f, std::forward<Args>(args)...) << '\n';
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> f, Args&&... args) {
    end_progress();
    err_ << kToolName << ": error: " << fmt::format(f, std::forward<Args>(args)...) << '\n';
  }
  // A progress line, rewritten in place; on a terminal only (a log file gets the notes, not
  // the counters).
  void progress(std::string_view line) {
    if (quiet_ || !tty_) return;
    err_ << "\r\x1b[K" << kToolName << ": " << line << std::flush;
    pending_line_ = true;
  }
  // Ends a progress line before ordinary output.
  void end_progress() {
    if (pending_line_) err_ << '\n';
    pending_line_ = false;
  }

 private:
  std::ostream& err_;
  bool quiet_;
  bool tty_;
  bool pending_line_ = false;
};

// A command-line argument is wrong (exit 2).
class UsageError : public Error {
 public:
  using Error::Error;
};

// The Console as the pipeline's observer.
class ConsoleObserver final : public RunObserver {
 public:
  explicit ConsoleObserver(Console& console) : console_(console) {}
  void note(std::string_view line) override { console_.info("{}", line); }
  void progress(std::string_view line) override { console_.progress(line); }
  void retry(std::string_view line) override { console_.info("{}", line); }

 private:
  Console& console_;
};

// SOURCE_DATE_EPOCH (reproducible builds convention) fixes "now" for the whole run.
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

// Everything a command needs, composed once.
struct Session {
  Config config;
  std::unique_ptr<Env> env;
  AnnouncementCalendar calendar;
  Date listing_date;
};

// The HTTP layers every arXiv request goes through (see sources/http_client.hpp), configured
// from [arxiv]: libcurl, arXiv's rate rules with retries, and the conditional-GET cache.
class HttpStack {
 public:
  HttpStack(const Config& config, Env& env, Console& console)
      : curl_(curl_options(config)),
        polite_(curl_, polite_options(config, console), PoliteHttpClientSeams{&env, nullptr}),
        http_(polite_, cache_options(config, console)) {}
  HttpClient& client() { return http_; }

 private:
  static CurlHttpClientOptions curl_options(const Config& config) {
    CurlHttpClientOptions options;
    options.user_agent = user_agent(config);
    return options;
  }
  static PoliteHttpClientOptions polite_options(const Config& config, Console& console) {
    PoliteHttpClientOptions options;
    options.min_interval = std::chrono::milliseconds(
        static_cast<long long>(config.arxiv.min_interval_s * 1000.0));
    options.retry.max_retries = config.arxiv.max_retries;
    options.on_retry = [&console](const std::string& message) { console.info("{}", message); };
    return options;
  }
  static CachingHttpClientOptions cache_options(const Config& config, Console& console) {
    CachingHttpClientOptions options;
    options.directory = config.arxiv.cache_dir;
    options.on_warning = [&console](const std::string& message) {
      console.info("cache: {}", message);
    };
    return options;
  }

  CurlHttpClient curl_;
  PoliteHttpClient polite_;
  CachingHttpClient http_;
};

Session open_session(const CommonOptions& common) {
  Config config = load(common);
  auto env = make_env();
  AnnouncementCalendar calendar = make_calendar(config);
  Date date = resolve_date(common, calendar, *env);
  return Session{std::move(config), std::move(env), std::move(calendar), date};
}

// What every command that runs a day composes: the archive (the run's one connection, its backend
// chosen by open_archive), the HTTP stack and the console as the run's observer.
struct DayServices {
  DayServices(const Session& s, Console& console)
      : archive(open_archive({s.config.store.backend, s.config.store.path}, s.env.get())),
        http(s.config, *s.env, console),
        observer(console) {}
  RunServices services(const Session& s) {
    RunServices services;
    services.archive = archive.get();
    services.http = &http.client();
    services.env = s.env.get();
    services.calendar = &s.calendar;
    return services;
  }
  std::unique_ptr<Archive> archive;
  HttpStack http;
  ConsoleObserver observer;
};

// Formats named by --format (comma-separated, spaces allowed around names) or [output] formats.
std::vector<Format> resolve_formats(const Config& config, const RunOptions& run) {
  std::vector<std::string> names = config.output.formats;
  if (run.formats_given) {
    names.clear();
    std::string_view rest = run.formats;
    for (;;) {
      const auto comma = rest.find(',');
      names.emplace_back(trim(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  }
  std::vector<Format> formats;
  for (const auto& name : names) {
    auto format = format_from_string(name);
    if (!format) {
      const std::string message =
          name.empty()
              ? std::string(
                    "--format: an empty format name (valid: text, markdown, json, html, atom, email-html)")
              : fmt::format(
                    "--format: unknown format '{}' (valid: text, markdown, json, html, atom, email-html)",
                    name);
      if (run.formats_given) throw UsageError(message);
      throw ConfigError(fmt::format("{}: [output] formats: {}", config.file.string(), message));
    }
    if (std::find(formats.begin(), formats.end(), *format) == formats.end())
      formats.push_back(*format);
  }
  return formats;
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

// ConfigError from the run's topic checks gets the configuration file's name.
template <typename F>
auto with_config_file(const Config& config, F&& body) {
  try {
    return std::forward<F>(body)();
  } catch (const ConfigError& e) {
    const std::string file = config.file.string();
    if (std::string_view(e.what()).starts_with(file)) throw;
    throw ConfigError(fmt::format("{}: {}", file, e.what()));
  }
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

int command_run(const CommonOptions& common, const RunOptions& run, std::ostream& out,
                Console& console) {
  Session s = open_session(common);
  // A malformed query stops the run before the archive is even opened (DailyRun checks again
  // before any request, for its other callers).
  with_config_file(s.config, [&] { check_topic_queries(s.config.topics); });
  // So is a user template that does not parse.
  if (!s.config.output.templates_dir.empty())
    check_html_templates(HtmlOptions{.katex_base = {}, .templates_dir = s.config.output.templates_dir});
  const std::vector<Format> formats = resolve_formats(s.config, run);
  TranslationSetup translation(s.config.translate, user_agent(s.config));  // a missing key, too
  if (s.config.translate.present && s.config.translate.provider == "none")
    console.info("translation off ([translate] provider = \"none\")");
  const std::filesystem::path out_dir =
      run.out_dir.empty() ? s.config.output.dir : std::filesystem::path(run.out_dir);

  DayServices day(s, console);
  RunServices services = day.services(s);
  services.translation = translation.service();

  FileSink files(out_dir, formats, *day.archive,
                 {katex_dir(s.config.output),
                  {.base_url = s.config.output.feed_url,
                   .self_file = {},
                   .tool_version = ARXIV_DIGEST_VERSION}});
  StreamSink stdout_sink(out, Format::kText);
  std::vector<DigestSink*> sinks{&files};
  if (run.to_stdout) sinks.push_back(&stdout_sink);
  // Email and webhooks: an unset secret variable stops the run here, before any request.
  const DeliverySetup delivery =
      with_config_file(s.config, [&] { return DeliverySetup(s.config, *s.env, user_agent(s.config)); });

  DailyRun daily(std::move(services), run_settings(s), delivery.audiences(std::move(sinks)),
                 &day.observer);
  RunFlags flags;
  flags.refetch = run.refetch;
  flags.resend = run.resend;
  const RunReport report = with_config_file(s.config, [&] { return daily.run(s.listing_date, flags); });
  return finish(report, console);
}

int command_fetch(const CommonOptions& common, bool refetch, std::ostream& out, Console& console) {
  Session s = open_session(common);
  DayServices day(s, console);
  RunSettings settings = run_settings(s);
  settings.topics.clear();  // fetch selects nothing: topic errors are for `run`
  DailyRun daily(day.services(s), std::move(settings), std::vector<Audience>{}, &day.observer);
  RunFlags flags;
  flags.refetch = refetch;
  flags.fetch_only = true;
  const RunReport report = daily.run(s.listing_date, flags);
  if (report.outcome != RunReport::Outcome::kPublished) return finish(report, console);
  out << fmt::format("{} {}: {} papers (new {}, cross {}, replace {}, replace-cross {}) via {}\n",
                     format_date(report.listing_date), fmt::join(report.categories, "+"),
                     report.fetched, report.fetched_by_type[0], report.fetched_by_type[1],
                     report.fetched_by_type[2], report.fetched_by_type[3],
                     to_string(report.source));
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

}  // namespace

int exit_code_for(const std::exception_ptr& failure, std::ostream& err) {
  Console console(err, false);
  return exit_code_for(console, failure);
}

int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"arxiv-digest: the day's arXiv announcements, selected by your topics, as a digest."};
  app.set_version_flag("--version", std::string(ARXIV_DIGEST_VERSION));
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 internal error, 2 usage, 3 config, 4 no announcement that day,\n"
      "5 network/HTTP, 6 unreadable source data, 7 incomplete fetch, 8 archive, 9 output,\n"
      "10 digest written but some translations failed, 11 digest written but a delivery failed.");

  CommonOptions common;
  RunOptions run;
  auto add_common = [&common](CLI::App* sub) {
    sub->add_option("-c,--config", common.config_path,
                    "Configuration file (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
    sub->add_option("-d,--date", common.date,
                    "Listing date YYYY-MM-DD (default: the latest announced listing)");
    sub->add_option("--source", common.source, "Override [arxiv] source: rss, listing or api");
    sub->add_flag("-q,--quiet", common.quiet, "Only print errors");
  };

  CLI::App* run_cmd = app.add_subcommand("run", "Fetch (or reuse) the day's listing and write the digest");
  add_common(run_cmd);
  run_cmd->add_option("-o,--out", run.out_dir, "Output folder (default: [output] dir)");
  CLI::Option* format_option = run_cmd->add_option(
      "-f,--format", run.formats,
      "Comma-separated formats: text, markdown, json, html, atom, email-html (default: [output] formats)");
  run_cmd->add_flag("--stdout", run.to_stdout, "Also print the text digest to stdout");
  run_cmd->add_flag("--refetch", run.refetch, "Fetch again even if the archive has the day");
  run_cmd->add_flag("--resend", run.resend,
                    "Deliver again through channels (email, webhooks) that already got the day");

  bool fetch_refetch = false;
  CLI::App* fetch_cmd = app.add_subcommand("fetch", "Fetch the day's listing into the archive only");
  add_common(fetch_cmd);
  fetch_cmd->add_flag("--refetch", fetch_refetch, "Fetch again even if the archive has the day");

  CLI::App* config_cmd = app.add_subcommand("config", "Configuration commands");
  config_cmd->require_subcommand(1);
  CLI::App* check_cmd = config_cmd->add_subcommand("check", "Validate the configuration file");
  MatchOptions match_options;
  CLI::App* match_cmd = add_match_command(app, match_options);
  check_cmd->add_option("-c,--config", common.config_path, "Configuration file");
  HarvestOptions harvest_options;
  CLI::App* harvest_cmd = add_harvest_command(app, harvest_options);

  // An unknown command is named (CLI11 would only say that a subcommand is required).
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
      names.push_back(sub->get_name());
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      std::string best;
      std::size_t best_distance = 3;  // suggest only close names
      for (const std::string& name : names)
        if (const std::size_t d = edit_distance(word, name); d < best_distance) {
          best = name;
          best_distance = d;
        }
      err << fmt::format("{}: error: unknown command '{}'{} (commands: {}; see {} --help)\n",
                         kToolName, word,
                         best.empty() ? std::string() : fmt::format("; did you mean '{}'?", best),
                         fmt::join(names, ", "), kToolName);
      return kExitUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  run.formats_given = format_option->count() > 0;
  Console console(err, common.quiet);
  try {
    if (*run_cmd) return command_run(common, run, out, console);
    if (*fetch_cmd) return command_fetch(common, fetch_refetch, out, console);
    if (*check_cmd) return command_config_check(common.config_path, out);
    if (*match_cmd) return command_match(match_options, out, err);
    if (*harvest_cmd) return command_harvest(harvest_options, out, err);
  } catch (...) {
    return exit_code_for(console, std::current_exception());
  }
  return kExitUsage;
}

}  // namespace arxiv_digest
