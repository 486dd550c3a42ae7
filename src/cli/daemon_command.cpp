#include "cli/daemon_command.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "cli/app.hpp"
#include "pipeline/daemon.hpp"
#include "pipeline/schedule.hpp"

namespace arxiv_digest {
namespace {

DaemonOptions daemon_options(const Session& s, int days) {
  DaemonOptions options;
  options.source = s.config.arxiv.source;
  options.schedule.delay = s.config.daemon.delay;
  options.schedule.jitter = s.config.daemon.jitter;
  // Installations sharing a configuration layout still spread out: the seed is the file's path.
  options.schedule.seed = std::hash<std::string>{}(s.config.file.string());
  options.retry_until = s.config.daemon.retry_until;
  options.max_days = days;
  return options;
}

class CliDaemonHooks final : public DaemonHooks {
 public:
  CliDaemonHooks(const DaemonCommandOptions& options, Env& env, Session session, std::ostream& out,
                 Console& console)
      : options_(options), env_(env), session_(std::move(session)), out_(out), console_(console) {}

  DayAttempt run_day(Date date) override {
    console_.info("running the listing {}", format_date(date));
    int exit_code = kExitOk;
    DayAttempt attempt = attempt_listing_day(session_, options_.run, out_, console_, date, exit_code);
    console_.info("listing {}: {} (exit {})", format_date(date), attempt.message, exit_code);
    return attempt;
  }

  void report_failure(Date date, std::string_view message) override {
    console_.error("giving up on the listing {}: {}", format_date(date), message);
    try {
      for (const SinkFailure& failure : send_failure_notice(session_, date, message))
        console_.error("{}: the failure notice could not be sent: {}", failure.sink,
                       failure.message);
    } catch (...) {
      exit_code_for(console_, std::current_exception());
    }
  }

  std::optional<ScheduleOptions> reload() override {
    try {
      Session fresh = open_session(options_.common, env_);
      check_topic_queries(fresh.config.topics);
      console_.configure(fresh.config.log);
      session_ = std::move(fresh);
      console_.info("configuration reloaded from {}", session_.config.file.string());
      return daemon_options(session_, 0).schedule;
    } catch (...) {
      console_.error("the new configuration is not used (the previous one stays):");
      exit_code_for(console_, std::current_exception());
      return std::nullopt;
    }
  }

  void note(std::string_view line) override { console_.info("{}", line); }

  const Session& session() const { return session_; }

 private:
  const DaemonCommandOptions& options_;
  Env& env_;
  Session session_;
  std::ostream& out_;
  Console& console_;
};

}  // namespace

CLI::App* add_daemon_command(CLI::App& app, DaemonCommandOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "daemon", "Run unattended: each listing date at its announcement (plus [daemon] delay)");
  cmd->add_option("-c,--config", options.common.config_path,
                  "Configuration file (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
  cmd->add_option("--source", options.common.source,
                  "Override [arxiv] source: rss, listing or api");
  cmd->add_flag("-q,--quiet", options.common.quiet, "Only print errors");
  cmd->add_option("-o,--out", options.run.out_dir, "Output folder (default: [output] dir)");
  cmd->add_option("--days", options.days, "Stop after this many listing dates (default: never)")
      ->check(CLI::NonNegativeNumber);
  return cmd;
}

int run_daemon_loop(const DaemonCommandOptions& options, Env& env, std::ostream& out,
                    Console& console, std::stop_token stop, std::atomic<bool>* reload) {
  Session session = open_session(options.common, env);
  console.configure(session.config.log);
  // What `run` would refuse stops the daemon at once, not at 20:00.
  with_config_file(session.config, [&] { check_topic_queries(session.config.topics); });
  const DaemonOptions daemon = daemon_options(session, options.days);
  const AnnouncementCalendar calendar = session.calendar;
  console.info("daemon started: {} source, delay {} s, jitter up to {} s, retries for {} s",
               to_string(daemon.source), daemon.schedule.delay.count(),
               daemon.schedule.jitter.count(), daemon.retry_until.count());
  CliDaemonHooks hooks(options, env, std::move(session), out, console);
  const int days = run_daemon(env, calendar, daemon, hooks, std::move(stop), reload);
  console.info("daemon stopped after {} listing date(s)", days);
  return kExitOk;
}

int command_daemon(const DaemonCommandOptions& options, std::ostream& out, Console& console) {
  // The signals go to one thread waiting in sigwait, not to handlers: it can then use the stop
  // source and the flag freely. Blocked here, before any thread starts, so every thread
  // inherits the mask and none is interrupted.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::stop_source stop;
  std::atomic<bool> reload{false};
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    for (;;) {
      int received = 0;
      if (sigwait(&signals, &received) != 0) continue;
      if (finished.load()) return;
      if (received == SIGHUP) {
        reload.store(true);
      } else {
        stop.request_stop();
      }
    }
  });
  int code = kExitInternal;
  try {
    code = run_daemon_loop(options, Env::system(), out, console, stop.get_token(), &reload);
  } catch (...) {
    finished.store(true);
    pthread_kill(watcher.native_handle(), SIGTERM);
    watcher.join();
    throw;
  }
  finished.store(true);
  pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  return code;
}

}  // namespace arxiv_digest
