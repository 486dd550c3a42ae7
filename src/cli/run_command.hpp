// `arxiv-digest run`: fetch (or reuse) the day's listing, select, translate, write the digest
// and deliver it: one DailyRun composed from the configuration (see cli/session.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

#include "cli/session.hpp"

namespace arxiv_digest {

struct RunOptions {
  std::string out_dir;
  std::string formats;
  bool formats_given = false;
  bool to_stdout = false;
  bool refetch = false;
  bool resend = false;
  CLI::Option* format_option = nullptr;  // set by add_run_command; formats_given after parsing
};

// Adds the `run` subcommand to `app`, filling `common` and `run`.
CLI::App* add_run_command(CLI::App& app, CommonOptions& common, RunOptions& run);

// Runs the day `common` names. Returns the exit code (README "Exit codes"); throws the error
// family (run_app maps it to an exit code).
int command_run(const CommonOptions& common, const RunOptions& run, std::ostream& out,
                Console& console);

}  // namespace arxiv_digest
