#include "cli/app.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "cli/completions.hpp"
#include "cli/config.hpp"
#include "cli/config_command.hpp"
#include "cli/daemon_command.hpp"
#include "cli/delivery_setup.hpp"
#include "cli/demo_command.hpp"
#include "cli/doctor_command.hpp"
#include "cli/harvest_command.hpp"
#include "cli/import_command.hpp"
#include "cli/init_command.hpp"
#include "cli/match_command.hpp"
#include "cli/run_command.hpp"
#include "cli/search_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/session.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "pipeline/daily_run.hpp"

namespace arxiv_digest {
namespace {

int command_fetch(const CommonOptions& common, bool refetch, std::ostream& out, Console& console) {
  Session s = open_session(common);
  console.configure(s.config.log);
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
  CLI::App* run_cmd = add_run_command(app, common, run);
  DaemonCommandOptions daemon_options;
  CLI::App* daemon_cmd = add_daemon_command(app, daemon_options);

  bool fetch_refetch = false;
  CLI::App* fetch_cmd = app.add_subcommand("fetch", "Fetch the day's listing into the archive only");
  add_common_options(fetch_cmd, common);
  fetch_cmd->add_flag("--refetch", fetch_refetch, "Fetch again even if the archive has the day");

  CLI::App* config_cmd = app.add_subcommand("config", "Configuration commands");
  config_cmd->require_subcommand(1);
  CLI::App* check_cmd = config_cmd->add_subcommand("check", "Validate the configuration file");
  MatchOptions match_options;
  CLI::App* match_cmd = add_match_command(app, match_options);
  // Archive search and snapshot import (issue 11).
  SearchOptions search_options;
  CLI::App* search_cmd = add_search_command(app, search_options);
  ImportOptions import_options;
  CLI::App* import_cmd = add_import_command(app, import_options);
  DemoOptions demo_options;
  CLI::App* demo_cmd = add_demo_command(app, demo_options);
  CompletionsOptions completions_options;
  CLI::App* completions_cmd = add_completions_command(app, completions_options);
  check_cmd->add_option("-c,--config", common.config_path, "Configuration file");
  // First run: init, doctor, config check --online.
  bool check_online = false;
  check_cmd->add_flag("--online", check_online,
                      "Also reach each endpoint once (arXiv, translator, SMTP); exit 5 if one fails");
  InitOptions init_options;
  CLI::App* init_cmd = add_init_command(app, init_options);
  DoctorOptions doctor_options;
  CLI::App* doctor_cmd = add_doctor_command(app, doctor_options);
  ServeOptions serve_options;
  CLI::App* serve_cmd = add_serve_command(app, serve_options);
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

  run.formats_given = run.format_option->count() > 0;
  run.wait_given = run.wait_option->count() > 0;
  Console console(err, common.quiet);
  try {
    if (*run_cmd) return command_run(common, run, out, console);
    if (*daemon_cmd) {
      Console daemon_console(err, daemon_options.common.quiet);
      return command_daemon(daemon_options, out, daemon_console);
    }
    if (*fetch_cmd) return command_fetch(common, fetch_refetch, out, console);
    if (*check_cmd && check_online)
      return command_config_check(common.config_path, out,
                                  [](const Config& config) { return user_agent(config); });
    if (*check_cmd) return command_config_check(common.config_path, out);
    if (*init_cmd) return command_init(init_options, std::cin, out, err);
    if (*doctor_cmd) return command_doctor(doctor_options, make_env()->now(), out);
    if (*match_cmd) return command_match(match_options, out, err);
    if (*search_cmd) return command_search(search_options, out, err);
    if (*import_cmd) return command_import(import_options, err);
    if (*serve_cmd) return command_serve(serve_options, out, err);
    if (*demo_cmd) return command_demo(demo_options, out, err);
    if (*completions_cmd) return command_completions(app, completions_options, out);
    if (*harvest_cmd) return command_harvest(harvest_options, out, err);
  } catch (...) {
    return exit_code_for(console, std::current_exception());
  }
  return kExitUsage;
}

}  // namespace arxiv_digest
