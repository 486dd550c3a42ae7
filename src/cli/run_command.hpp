// `arxiv-digest run`: fetch (or reuse) the day's listing, select, translate, write the digest
// and deliver it: one DailyRun composed from the configuration (see cli/session.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/session.hpp"
#include "pipeline/daemon.hpp"

namespace arxiv_digest {

struct RunOptions {
  std::string out_dir;
  std::string formats;
  bool formats_given = false;
  bool to_stdout = false;
  bool refetch = false;
  bool resend = false;
  // --wait[=DURATION]: wait (bounded) for the day to be out and complete, retrying.
  std::string wait;
  bool wait_given = false;  // set after parsing
  CLI::Option* wait_option = nullptr;
  // --since DATE: every listing date from DATE to the latest, in order.
  std::string since;
  CLI::Option* format_option = nullptr;  // set by add_run_command; formats_given after parsing
};

// Adds the `run` subcommand to `app`, filling `common` and `run`.
CLI::App* add_run_command(CLI::App& app, CommonOptions& common, RunOptions& run);

// Runs listing date `date` with the session's configuration: the outputs of `run` (files,
// --stdout), every channel; `flags` or `run`'s --refetch/--resend. Throws like DailyRun::run.
RunReport run_listing_day(const Session& s, const RunOptions& run, std::ostream& out,
                          Console& console, Date date, RunFlags flags);

// One attempt at `date` for the daemon and --wait: kDone (exit_code says how it went),
// kRetry on an incomplete or unavailable source, a day not announced yet or a failed delivery
// (a re-run sends only what failed), kFailed otherwise. Messages go to the console.
DayAttempt attempt_listing_day(const Session& s, const RunOptions& run, std::ostream& out,
                               Console& console, Date date, int& exit_code);

// Tells every configured channel (email, webhooks, of every audience) that `date`'s digest could
// not be made and why. Not logged as the day's delivery: a later run of the day still delivers.
// Returns the channels that could not be reached.
std::vector<SinkFailure> send_failure_notice(const Session& s, Date date, std::string_view message);

// Runs the day `common` names (or, with --since, every day from then; with --wait, waiting for
// it), on `env` when given (tests: fake time), else the system clock. Returns the exit code
// (README "Exit codes"); throws the error family (run_app maps it to an exit code).
int command_run(const CommonOptions& common, const RunOptions& run, std::ostream& out,
                Console& console, Env* env = nullptr);

}  // namespace arxiv_digest
