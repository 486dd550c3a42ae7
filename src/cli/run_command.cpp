#include "cli/run_command.hpp"

#include <fmt/chrono.h>

#include <algorithm>
#include <stop_token>
#include <filesystem>
#include <vector>

#include "cli/app.hpp"
#include "cli/delivery_setup.hpp"
#include "pipeline/schedule.hpp"
#include "cli/translation_setup.hpp"
#include "core/text.hpp"
#include "pipeline/sink.hpp"
#include "pipeline/topic_examples.hpp"
#include "render/renderer.hpp"

#ifndef ARXIV_DIGEST_VERSION
#define ARXIV_DIGEST_VERSION "0.0.0"
#endif

namespace arxiv_digest {
namespace {

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

}  // namespace

CLI::App* add_run_command(CLI::App& app, CommonOptions& common, RunOptions& run) {
  CLI::App* run_cmd =
      app.add_subcommand("run", "Fetch (or reuse) the day's listing and write the digest");
  add_common_options(run_cmd, common);
  run_cmd->add_option("-o,--out", run.out_dir, "Output folder (default: [output] dir)");
  run.format_option = run_cmd->add_option(
      "-f,--format", run.formats,
      "Comma-separated formats: text, markdown, json, html, atom, email-html (default: [output] formats)");
  run_cmd->add_flag("--stdout", run.to_stdout, "Also print the text digest to stdout");
  run_cmd->add_flag("--refetch", run.refetch, "Fetch again even if the archive has the day");
  run_cmd->add_flag("--resend", run.resend,
                    "Deliver again through channels (email, webhooks) that already got the day");
  run.wait_option = run_cmd
                        ->add_option("--wait", run.wait,
                                     "Wait up to DURATION (default 2h) for the day to be out and "
                                     "complete, retrying (for cron)")
                        ->expected(0, 1);
  run_cmd->add_option("--since", run.since,
                      "Catch up: every listing date from DATE to the latest, in order");
  return run_cmd;
}

RunReport run_listing_day(const Session& s, const RunOptions& run, std::ostream& out,
                          Console& console, Date date, RunFlags flags) {
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
  flags.refetch = flags.refetch || run.refetch;
  flags.resend = flags.resend || run.resend;
  return with_config_file(s.config, [&] { return daily.run(date, flags); });
}

std::vector<SinkFailure> send_failure_notice(const Session& s, Date date, std::string_view message) {
  const DeliverySetup delivery(s.config, *s.env, user_agent(s.config));
  Notice notice;
  notice.listing_date = date;
  notice.title = fmt::format("arxiv-digest: no digest for {}", format_date(date));
  notice.text = fmt::format("The digest of the listing date {} could not be made: {}",
                            format_date(date), message);
  std::vector<SinkFailure> failures;
  for (const Audience& audience : delivery.audiences({})) {
    for (DigestSink* channel : audience.channels) {
      // Not through the delivery log: a later successful run of the day must still deliver.
      try {
        channel->publish_notice(notice);
      } catch (const std::exception& e) {
        failures.push_back({audience.name, channel->name(), e.what(), std::current_exception()});
      }
    }
  }
  return failures;
}

DayAttempt attempt_listing_day(const Session& s, const RunOptions& run, std::ostream& out,
                               Console& console, Date date, int& exit_code) {
  using Outcome = DayAttempt::Outcome;
  try {
    const RunReport report = run_listing_day(s, run, out, console, date, {});
    exit_code = finish(report, console);
    if (report.outcome == RunReport::Outcome::kNotYetAnnounced)
      return {Outcome::kRetry, "not announced yet: " + report.reason};
    if (exit_code == kExitDelivery)
      return {Outcome::kRetry, fmt::format("{} delivery(ies) failed", report.failures.size())};
    if (exit_code == kExitOutput) return {Outcome::kFailed, "an output could not be written"};
    return {Outcome::kDone, "done"};
  } catch (...) {
    const std::exception_ptr failure = std::current_exception();
    exit_code = exit_code_for(console, failure);
    std::string message;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& e) {
      message = e.what();
    } catch (...) {
      message = "unknown failure";
    }
    if (exit_code == kExitIncomplete || exit_code == kExitNetwork)
      return {Outcome::kRetry, message};
    return {Outcome::kFailed, message};
  }
}

namespace {

// --since: every listing date from `since` to the latest, in order. Days before the latest are
// built from the archive, else from the query API (the feed and the listing pages carry only the
// latest day). The delivery log keeps what was sent from being sent again. Stops at the first
// day that throws (a later day is never built before an earlier one); returns the first
// failing exit code, else 0.
int run_since(Session& s, const RunOptions& run, std::ostream& out, Console& console) {
  const auto since = parse_date(run.since);
  if (!since) throw UsageError(fmt::format("--since '{}': expected a date as YYYY-MM-DD", run.since));
  const Date latest = s.calendar.latest_listing(s.env->now());
  if (std::chrono::sys_days{*since} > std::chrono::sys_days{latest})
    throw UsageError(fmt::format("--since {}: after the latest announced listing ({})", run.since,
                                 format_date(latest)));
  const SourceKind configured = s.config.arxiv.source;
  int result = kExitOk;
  Date date = s.calendar.has_listing(*since) ? *since : s.calendar.next_listing_after(*since);
  for (; std::chrono::sys_days{date} <= std::chrono::sys_days{latest};
       date = s.calendar.next_listing_after(date)) {
    s.config.arxiv.source = date == latest ? configured : SourceKind::kApi;
    console.info("catching up: listing {} ({})", format_date(date), to_string(s.config.arxiv.source));
    const int code = finish(run_listing_day(s, run, out, console, date, {}), console);
    if (result == kExitOk && code != kExitOk && code != kExitNoAnnouncement) result = code;
  }
  s.config.arxiv.source = configured;
  return result;
}

// --wait: the day the cron line means is the latest listing, or the next one when its source
// carries it within the wait. Sleeps until the source carries it, then tries and retries with
// the daemon's backoff until the wait is over.
int run_waiting(Session& s, const RunOptions& run, std::ostream& out, Console& console,
                bool date_given) {
  std::chrono::seconds wait = std::chrono::hours{2};
  if (!run.wait.empty()) {
    const auto parsed = parse_duration(run.wait);
    if (!parsed)
      throw UsageError(fmt::format("--wait '{}': expected a duration such as 30m, 2h or 1h30m",
                                   run.wait));
    wait = *parsed;
  }
  Env& env = *s.env;
  const auto start = env.now();
  const auto deadline = start + wait;
  const SourceKind source = s.config.arxiv.source;
  Date date = s.listing_date;
  if (!date_given) {
    const Date next = s.calendar.next_listing(start);
    if (source_available(s.calendar, source, next) <= deadline) date = next;
  }
  const auto available = source_available(s.calendar, source, date);
  DaemonOptions options;
  options.retry_until = wait;
  std::stop_source never;
  if (available > start) {
    if (available > deadline) {
      console.error("--wait {}: the listing {} is not out before {:%Y-%m-%d %H:%M} UTC",
                    run.wait.empty() ? "2h" : run.wait, format_date(date), available);
      return kExitNetwork;
    }
    console.info("waiting until {:%Y-%m-%d %H:%M} UTC for the listing {}", available,
                 format_date(date));
    env.sleep_for(std::chrono::duration_cast<std::chrono::milliseconds>(available - start));
  }
  int exit_code = kExitInternal;
  retry_until_deadline(env, options, deadline, never.get_token(), [&] {
    DayAttempt attempt = attempt_listing_day(s, run, out, console, date, exit_code);
    if (attempt.outcome == DayAttempt::Outcome::kRetry && env.now() < deadline)
      console.info("not done yet ({}); retrying until {:%Y-%m-%d %H:%M} UTC", attempt.message,
                   deadline);
    return attempt;
  });
  return exit_code;
}

}  // namespace

int command_run(const CommonOptions& common, const RunOptions& run, std::ostream& out,
                Console& console, Env* env) {
  Session s = env ? open_session(common, *env) : open_session(common);
  console.configure(s.config.log);
  if (!run.since.empty()) {
    if (!common.date.empty()) throw UsageError("--since and --date exclude each other");
    return run_since(s, run, out, console);
  }
  if (run.wait_given) return run_waiting(s, run, out, console, !common.date.empty());
  const RunReport report = run_listing_day(s, run, out, console, s.listing_date, {});
  return finish(report, console);
}

}  // namespace arxiv_digest
