#include "cli/demo_command.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>
#include <toml++/toml.h>

#include "cli/app.hpp"
#include "cli/data_dirs.hpp"

namespace arxiv_digest {
namespace {

constexpr const char* kSampleDate = "2026-06-18";

// The sample day's folder and every place looked for it.
std::filesystem::path find_sample_day(std::vector<std::string>& searched) {
  std::vector<std::filesystem::path> candidates;
  if (const auto installed = installed_data_dir(); !installed.empty())
    candidates.push_back(installed / "sample-day");
  if (const auto source = source_dir(); !source.empty())
    candidates.push_back(source / "examples" / "sample-day");
  for (const auto& dir : candidates) {
    searched.push_back(dir.string());
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "arxiv-digest.toml", ec)) return dir;
  }
  return {};
}

}  // namespace

CLI::App* add_demo_command(CLI::App& app, DemoOptions& options) {
  CLI::App* demo = app.add_subcommand(
      "demo", "Write the digest of the bundled sample day (18 June 2026), offline");
  demo->add_option("-o,--out", options.out_dir,
                   "Folder for the digest files and the archive (default: ./arxiv-digest-demo)");
  demo->add_option("-f,--format", options.formats,
                   "Comma-separated formats (default: text, markdown, json, html, atom)")
      ->delimiter(',');
  demo->add_flag("-q,--quiet", options.quiet, "Only print errors (and the digest)");
  return demo;
}

int command_demo(const DemoOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<std::string> searched;
  const std::filesystem::path sample = find_sample_day(searched);
  if (sample.empty()) {
    err << fmt::format("arxiv-digest: error: the bundled sample day is not installed (looked in: "
                       "{})\n",
                       searched.empty() ? std::string("no data folder") : fmt::format("{}", fmt::join(searched, ", ")));
    return kExitConfig;
  }
  std::error_code ec;
  const std::filesystem::path out_dir = std::filesystem::absolute(options.out_dir, ec);
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    err << fmt::format("arxiv-digest: error: cannot create '{}': {}\n", out_dir.string(),
                       ec.message());
    return kExitOutput;
  }

  toml::table config;
  try {
    config = toml::parse_file((sample / "arxiv-digest.toml").string());
  } catch (const toml::parse_error& e) {
    err << fmt::format("arxiv-digest: error: {}: {}\n", (sample / "arxiv-digest.toml").string(),
                       e.description());
    return kExitConfig;
  }
  // The feeds are read where they are installed; what the run writes goes to out_dir.
  toml::table& arxiv = *config["arxiv"].as_table();
  arxiv.insert_or_assign("rss_url", (sample / "rss").string() + "/");
  arxiv.insert_or_assign("listing_url", (sample / "list").string() + "/");
  toml::table& output = *config["output"].as_table();
  output.insert_or_assign("dir", out_dir.string());
  if (!config["store"].is_table()) config.insert_or_assign("store", toml::table{});
  config["store"].as_table()->insert_or_assign("path", (out_dir / "archive.sqlite").string());

  const std::filesystem::path config_path = out_dir / "arxiv-digest.toml";
  {
    std::ofstream file(config_path, std::ios::binary | std::ios::trunc);
    file << "# Written by `arxiv-digest demo` from " << (sample / "arxiv-digest.toml").string()
         << "\n# Run it again with: arxiv-digest run --config " << config_path.string()
         << " --date " << kSampleDate << "\n\n"
         << config << '\n';
    if (!file) {
      err << fmt::format("arxiv-digest: error: cannot write '{}'\n", config_path.string());
      return kExitOutput;
    }
  }

  std::vector<std::string> args = {"arxiv-digest", "run", "--config", config_path.string(),
                                   "--date", kSampleDate, "--stdout"};
  if (!options.formats.empty()) {
    std::string joined;
    for (const auto& f : options.formats) joined += (joined.empty() ? "" : ",") + f;
    args.insert(args.end(), {"--format", joined});
  }
  if (options.quiet) args.emplace_back("--quiet");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return run_app(static_cast<int>(argv.size()), argv.data(), out, err);
}

}  // namespace arxiv_digest
