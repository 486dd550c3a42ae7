// `arxiv-digest daemon`: runs unattended. Sleeps until each listing date's run instant
// ([daemon] delay and jitter after the source carries it: pipeline/schedule.hpp), runs the day
// as `run` does (run_listing_day), retries an incomplete or unavailable source until
// [daemon] retry_until, then tells the configured channels (send_failure_notice) and goes on to
// the next evening. The loop is pipeline's run_daemon.
//
// Signals (installed here, the cli, never by the library): SIGTERM and SIGINT stop it between
// steps (a day's run is never cut short), exit 0; SIGHUP reloads the configuration before the
// next step: a configuration that does not load is reported and the old one kept.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <ostream>
#include <stop_token>

#include "cli/run_command.hpp"
#include "core/env.hpp"

namespace arxiv_digest {

struct DaemonCommandOptions {
  CommonOptions common;  // --config, --source, --quiet (no --date)
  RunOptions run;        // --out, --format, --stdout
  int days = 0;          // --days N: stop after N listing dates (0 = run until stopped)
};

CLI::App* add_daemon_command(CLI::App& app, DaemonCommandOptions& options);

// The loop on `env` (the daemon's clock and the runs'), until `stop` or --days. `reload` is set
// by the caller (SIGHUP). Returns the exit code: 0 when stopped, or a configuration error.
int run_daemon_loop(const DaemonCommandOptions& options, Env& env, std::ostream& out,
                    Console& console, std::stop_token stop, std::atomic<bool>* reload);

// The command: run_daemon_loop on the system clock with the signals wired as above.
int command_daemon(const DaemonCommandOptions& options, std::ostream& out, Console& console);

}  // namespace arxiv_digest
