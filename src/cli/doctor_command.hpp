// `arxiv-digest doctor`: what this installation is set up to do, and how the last days went.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <iosfwd>
#include <string>

namespace arxiv_digest {

struct DoctorOptions {
  std::string config_path;  // --config; empty = the default file
  int days = 7;             // --days: how many recent listing dates to show
};

// Adds the `doctor` subcommand to `app`, filling `options`.
CLI::App* add_doctor_command(CLI::App& app, DoctorOptions& options);

// Prints to `out`: the resolved configuration (as `config check` describes it; secret variables
// by name and set/NOT set, never a value), the paths (configuration, archive, output folder,
// HTTP cache, KaTeX, templates), the archive's statistics (rows per table, size, schema version;
// "not created yet" when the file does not exist: doctor never creates it), the next
// announcement after `now` in ET and in the configured [output] timezone, with every evening
// before it that has no announcement and why (weekend, arXiv holiday), and the last
// `options.days` listing dates in the archive with what happened (announcements fetched, digest
// files written, deliveries sent or failed per channel).
// Returns kExitOk. Throws ConfigError (exit 3) for an invalid configuration and StoreError
// (exit 8) for an archive that cannot be read.
int command_doctor(const DoctorOptions& options, std::chrono::sys_seconds now, std::ostream& out);

}  // namespace arxiv_digest
