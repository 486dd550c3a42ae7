// `arxiv-digest harvest` (see harvest_command.hpp).
#include "cli/harvest_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "core/calendar.hpp"
#include "core/env.hpp"
#include "core/error.hpp"
#include "net/curl_http_client.hpp"
#include "net/polite_http_client.hpp"
#include "pipeline/oai_harvest.hpp"
#include "store/open_archive.hpp"

#ifndef ARXIV_DIGEST_VERSION
#define ARXIV_DIGEST_VERSION "0.0.0"
#endif

namespace arxiv_digest {
namespace {

constexpr std::string_view kPrefix = "arxiv-digest: ";

// Notes always (unless --quiet), the progress line only on a terminal: rewritten in place there,
// it would only fill a log file with counters.
class HarvestConsole final : public HarvestObserver {
 public:
  HarvestConsole(std::ostream& err, bool quiet, Env& env)
      : err_(err), quiet_(quiet), tty_(&err == &std::cerr && ::isatty(2) == 1), env_(env),
        started_(env.steady_now()) {}

  void note(std::string_view line) override {
    end_progress();
    if (!quiet_) err_ << kPrefix << line << '\n';
  }
  void page_saved(const HarvestProgress& progress) override {
    if (progress.records < base_) base_ = 0;  // the window was restarted (expired token)
    if (quiet_ || !tty_) return;
    const double seconds =
        std::chrono::duration<double>(env_.steady_now() - started_).count();
    const double done = static_cast<double>(progress.records) - static_cast<double>(base_);
    err_ << "\r\x1b[K" << kPrefix
         << format_harvest_progress(progress, seconds > 0 ? done / seconds : 0.0) << std::flush;
    pending_ = true;
  }
  // Records already stored when this run began (a resumed harvest): not this run's rate.
  void set_base(std::size_t records) { base_ = records; }
  void end_progress() {
    if (pending_) err_ << '\n';
    pending_ = false;
  }

 private:
  std::ostream& err_;
  bool quiet_;
  bool tty_;
  Env& env_;
  std::chrono::steady_clock::time_point started_;
  std::size_t base_ = 0;
  bool pending_ = false;
};

// SOURCE_DATE_EPOCH pins "now" (first_seen_at, the harvest's times) as for every command.
std::unique_ptr<Env> make_env() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || seconds < 0)
      throw ConfigError(fmt::format("SOURCE_DATE_EPOCH='{}' is not a number of seconds", epoch));
    return std::make_unique<SystemEnv>(std::chrono::sys_seconds{std::chrono::seconds{seconds}});
  }
  return std::make_unique<SystemEnv>();
}

std::string user_agent(const ArxivConfig& arxiv) {
  if (!arxiv.user_agent.empty()) return arxiv.user_agent;
  std::string ua = fmt::format("arxiv-digest/{}", ARXIV_DIGEST_VERSION);
  if (!arxiv.contact.empty()) ua += fmt::format(" (mailto:{})", arxiv.contact);
  return ua;
}

}  // namespace

CLI::App* add_harvest_command(CLI::App& app, HarvestOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "harvest", "Take a window of arXiv into the archive through OAI-PMH (resumable)");
  cmd->add_option("--from", options.from, "First datestamp YYYY-MM-DD")->required();
  cmd->add_option("--until", options.until, "Last datestamp YYYY-MM-DD (default: up to today)");
  cmd->add_option("--set", options.set, "OAI set: cs, math, physics:hep-th, ... (default: all)");
  cmd->add_option("--format", options.format, "Metadata format: arXiv (default) or arXivRaw");
  cmd->add_option("--archive", options.archive,
                  "Archive file (default: the configuration's [store])");
  cmd->add_option("-c,--config", options.config_path,
                  "Configuration file (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
  cmd->add_flag("-q,--quiet", options.quiet, "Only print errors");
  return cmd;
}

int command_harvest(const HarvestOptions& options, std::ostream& out, std::ostream& err) {
  const auto usage = [&err](const std::string& message) {
    err << kPrefix << "error: " << message << '\n';
    return static_cast<int>(kExitUsage);
  };
  HarvestWindow window;
  if (auto from = parse_date(options.from))
    window.from = *from;
  else
    return usage(fmt::format("--from '{}': expected a date as YYYY-MM-DD", options.from));
  if (!options.until.empty()) {
    auto until = parse_date(options.until);
    if (!until)
      return usage(fmt::format("--until '{}': expected a date as YYYY-MM-DD", options.until));
    if (std::chrono::sys_days{*until} < std::chrono::sys_days{window.from})
      return usage(fmt::format("--until {} is before --from {}", options.until, options.from));
    window.until = *until;
  }
  if (options.format != "arXiv" && options.format != "arXivRaw")
    return usage(fmt::format("--format '{}': expected arXiv or arXivRaw", options.format));
  window.format = options.format;
  window.set = options.set;

  const Config config = load_config_or_default(options.config_path);
  const std::unique_ptr<Env> owned_env = make_env();
  Env& env = *owned_env;
  ArchiveLocation location{config.store.backend, config.store.path};
  if (!options.archive.empty()) location = ArchiveLocation{"sqlite", options.archive};
  std::unique_ptr<Archive> archive = open_archive(location, &env);

  HarvestConsole console(err, options.quiet, env);
  CurlHttpClientOptions curl_options;
  curl_options.user_agent = user_agent(config.arxiv);
  CurlHttpClient curl(curl_options);
  PoliteHttpClientOptions polite_options;
  polite_options.min_interval = std::chrono::milliseconds(
      static_cast<long long>(config.arxiv.min_interval_s * 1000.0));
  polite_options.retry.max_retries = config.arxiv.max_retries;
  polite_options.on_retry = [&console](const std::string& line) { console.note(line); };
  // No conditional-GET cache: a resumption token names one page once.
  PoliteHttpClient http(curl, polite_options, PoliteHttpClientSeams{&env, nullptr});

  HarvestSettings settings;
  settings.base_url = config.arxiv.oai_url;
  settings.timeout = std::chrono::seconds(config.arxiv.timeout_s);
  if (auto stored = archive->find_harvest(window); stored && !stored->complete)
    console.set_base(stored->records);

  HarvestReport report;
  try {
    report = harvest_oai(window, settings, http, *archive, env, &console);
  } catch (...) {
    console.end_progress();
    throw;
  }
  console.end_progress();
  const HarvestProgress& p = report.progress;
  out << fmt::format("harvested {} from {}{}{} ({}): {} records in {} pages ({} this run, {} "
                     "request{}{}){}\n",
                     p.window.set.empty() ? std::string("all sets") : "set " + p.window.set,
                     format_date(p.window.from),
                     p.window.until ? " until " : "",
                     p.window.until ? format_date(*p.window.until) : std::string(),
                     p.window.format, p.records, p.pages, report.records_this_run,
                     report.requests, report.requests == 1 ? "" : "s",
                     report.resumed ? ", resumed" : "",
                     p.deleted > 0 ? fmt::format("; {} deleted records skipped", p.deleted)
                                   : std::string());
  return kExitOk;
}

}  // namespace arxiv_digest
