#include "cli/run_command.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "cli/delivery_setup.hpp"
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
  return run_cmd;
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

}  // namespace arxiv_digest
