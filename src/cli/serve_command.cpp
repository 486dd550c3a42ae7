#include "cli/serve_command.hpp"

#include <fmt/format.h>
#include <pthread.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "cli/app.hpp"
#include "cli/config.hpp"
#include "core/error.hpp"
#include "search/search.hpp"
#include "serve/server.hpp"
#include "serve/site.hpp"
#include "store/open_archive.hpp"

namespace arxiv_digest {

namespace fs = std::filesystem;

namespace {

// The web UI's search: the archive search (src/search) on a small budget, since anyone who can
// reach the page can run it. A malformed query (ConfigError from the query parser) becomes the
// ParseError the site answers 400 with.
serve::SearchFunction make_search(Archive& archive, std::string language) {
  return [&archive, language = std::move(language)](const serve::SearchQuery& query) {
    SearchRequest request;
    request.query = query.query;
    request.since = query.since;
    request.until = query.until;
    if (!query.category.empty()) request.categories = {query.category};
    request.limit = query.limit;
    request.language = language;
    request.time_budget = std::chrono::milliseconds{500};
    request.max_candidates = 50'000;
    SearchResults found;
    try {
      found = search(archive, request);
    } catch (const ConfigError& e) {
      throw ParseError("q", 0, 0, "q", e.what());
    }
    serve::SearchResults results;
    results.total = found.total_estimate;
    results.truncated = found.truncated;
    for (SearchHit& hit : found.hits) {
      serve::SearchHit out;
      out.spans = std::move(hit.reason.spans);
      if (hit.title_translation || hit.abstract_translation)
        out.translation = PaperTranslation{hit.title_translation.value_or(""),
                                           hit.abstract_translation.value_or(""), "", ""};
      const auto listings = archive.paper_listings(hit.paper.id.key());
      if (!listings.empty()) out.listing_date = listings.front().listing_date;
      out.paper = std::move(hit.paper);
      results.hits.push_back(std::move(out));
    }
    return results;
  };
}

}  // namespace

CLI::App* add_serve_command(CLI::App& app, ServeOptions& options) {
  CLI::App* cmd = app.add_subcommand("serve", "Serve the archive's digests as a web UI (read-only)");
  cmd->add_option("--listen", options.listen,
                  "HOST:PORT to listen on (default 127.0.0.1:8080: this machine only)");
  CLI::Option* archive = cmd->add_option("--archive", options.archive,
                                         "Archive file (default: [store] path of the configuration)");
  CLI::Option* config = cmd->add_option(
      "-c,--config", options.config,
      "Configuration file (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
  archive->excludes(config);
  cmd->add_option("-o,--out", options.out_dir,
                  "The digest folder, where <date>.json files are looked for (default: [output] dir)");
  return cmd;
}

int command_serve(const ServeOptions& options, std::ostream& out, std::ostream& err) {
  const serve::ListenAddress listen = serve::parse_listen(options.listen);

  serve::SiteOptions site_options;
  fs::path archive_path;
  std::string language = "zh-CN";
  if (!options.archive.empty()) {
    archive_path = options.archive;
    site_options.katex_dir = default_katex_dir();
  } else {
    const Config config = load_config_or_default(options.config);
    archive_path = config.store.path;
    site_options.digest_dir = config.output.dir;
    site_options.katex_dir = katex_dir(config.output);
    if (!config.translate.target.empty()) language = config.translate.target;
  }
  if (!options.out_dir.empty()) site_options.digest_dir = options.out_dir;
  // Read-only: never create an archive (opening one that exists changes nothing in it unless it
  // has an older schema, which is migrated as every command does).
  std::error_code error;
  if (!fs::is_regular_file(archive_path, error))
    throw StoreError(StoreErrorKind::kUnavailable,
                     fmt::format("no archive at '{}' (run `arxiv-digest run` first, or pass --archive)",
                                 archive_path.string()));
  std::unique_ptr<Archive> archive = open_archive({"sqlite", archive_path});

  site_options.search = make_search(*archive, language);
  serve::Site site(*archive, std::move(site_options));
  // SIGINT/SIGTERM are blocked here, before the server starts its threads (which inherit the
  // mask), and taken by one thread with sigwait: stopping the server is not async-signal-safe.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);
  serve::WebServer server(site, serve::ServerOptions{listen, std::chrono::seconds{5},
                                                     std::chrono::seconds{10}});
  std::thread waiter([&server, &signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.stop();
  });
  out << fmt::format("Serving {} (archive {}; Ctrl-C stops)\n", server.url(), archive_path.string())
      << std::flush;
  const bool ok = server.run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter when run() ended by itself
  waiter.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (!ok) {
    err << fmt::format("arxiv-digest: serve: the server stopped with an error on {}\n", server.url());
    return kExitNetwork;
  }
  return kExitOk;
}

}  // namespace arxiv_digest
