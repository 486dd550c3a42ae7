// What every command that runs a day shares: the common flags, the console (the only place
// messages are printed), the session (configuration, clock, calendar, listing date), the HTTP
// stack, the day's services, the run settings from the configuration, and the exit code of a
// report. `run`, `fetch` and `daemon` compose a DailyRun from these, so they do the same work.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <exception>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>

#include "cli/config.hpp"
#include "core/calendar.hpp"
#include "core/env.hpp"
#include "core/error.hpp"
#include "net/caching_http_client.hpp"
#include "net/curl_http_client.hpp"
#include "net/polite_http_client.hpp"
#include "pipeline/daily_run.hpp"
#include "store/archive.hpp"
#include "store/open_archive.hpp"

namespace arxiv_digest {

inline constexpr std::string_view kToolName = "arxiv-digest";

struct CommonOptions {
  std::string config_path;
  std::string date;
  std::string source;
  bool quiet = false;
};

// Adds -c/--config, -d/--date, --source and -q/--quiet to `sub`.
void add_common_options(CLI::App* sub, CommonOptions& common);

class Console {
 public:
  Console(std::ostream& err, bool quiet)
      : err_(err), quiet_(quiet), tty_(&err == &std::cerr && ::isatty(2) == 1) {}
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // Applies [log] (level, file, format) once the configuration is read; --quiet still wins.
  // Throws ConfigError naming the file when it cannot be opened for appending.
  void configure(const LogConfig& log);

  template <typename... Args>
  void info(fmt::format_string<Args...> f, Args&&... args) {
    write(LogLevel::kInfo, fmt::format(f, std::forward<Args>(args)...));
  }
  // Something went wrong and is being dealt with (a retry, a fallback).
  template <typename... Args>
  void warn(fmt::format_string<Args...> f, Args&&... args) {
    write(LogLevel::kWarn, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> f, Args&&... args) {
    write(LogLevel::kError, fmt::format(f, std::forward<Args>(args)...));
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
  // One message: dropped below the level; to the log file when there is one (errors to stderr
  // too, so cron mail and the journal still see them), else to stderr; as text
  // ("arxiv-digest: [error: ]message") or a JSON line {"time", "level", "message"}.
  void write(LogLevel level, const std::string& message);

  std::ostream& err_;
  bool quiet_;
  bool tty_;
  bool pending_line_ = false;
  LogConfig log_;
  std::unique_ptr<std::ofstream> file_;
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
  void retry(std::string_view line) override { console_.warn("{}", line); }

 private:
  Console& console_;
};


// SOURCE_DATE_EPOCH (reproducible builds convention) fixes "now" for the whole run.
std::unique_ptr<Env> make_env();
// The configuration file (or the defaults), with --source applied.
Config load(const CommonOptions& common);
// The bundled holidays plus [arxiv] extra_holidays.
AnnouncementCalendar make_calendar(const Config& config);
// [arxiv] user_agent, else "arxiv-digest/VERSION (mailto:contact)".
std::string user_agent(const Config& config);

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

Session open_session(const CommonOptions& common);
// The same on `env` (which must outlive the session) instead of the system clock.
Session open_session(const CommonOptions& common, Env& env);

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


// RunSettings from the configuration.
RunSettings run_settings(const Session& s);

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
int finish(const RunReport& report, Console& console);

// The exit code of a command that failed with `failure`, after saying why on the console.
int exit_code_for(Console& console, const std::exception_ptr& failure);

}  // namespace arxiv_digest
