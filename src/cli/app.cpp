#include "cli/app.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.hpp"
#include "cli/match_command.hpp"
#include "cli/translate_step.hpp"
#include "core/calendar.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/topic.hpp"
#include "cli/topic_examples.hpp"
#include "match/topic_selector.hpp"
#include "render/output_writer.hpp"
#include "render/renderer.hpp"
#include "sources/announcement_fetcher.hpp"
#include "sources/caching_http_client.hpp"
#include "sources/curl_http_client.hpp"
#include "sources/polite_http_client.hpp"
#include "store/sqlite_archive.hpp"

#ifndef ARXIV_DIGEST_VERSION
#define ARXIV_DIGEST_VERSION "0.0.0"
#endif

namespace arxiv_digest {
namespace {

constexpr std::string_view kToolName = "arxiv-digest";

struct CommonOptions {
  std::string config_path;
  std::string date;
  std::string source;
  bool quiet = false;
};

struct RunOptions {
  std::string out_dir;
  std::string formats;
  bool to_stdout = false;
  bool refetch = false;
};

// Messages to stderr; the library never prints.
class Console {
 public:
  Console(std::ostream& err, bool quiet)
      : err_(err), quiet_(quiet), tty_(&err == &std::cerr && ::isatty(2) == 1) {}
  template <typename... Args>
  void info(fmt::format_string<Args...> f, Args&&... args) {
    end_progress();
    if (!quiet_) err_ << kToolName << ": " << fmt::format(f, std::forward<Args>(args)...) << '\n';
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> f, Args&&... args) {
    end_progress();
    err_ << kToolName << ": error: " << fmt::format(f, std::forward<Args>(args)...) << '\n';
  }
  // A progress line: rewritten in place on a terminal, one line per step otherwise.
  void progress(const std::string& line) {
    if (quiet_) return;
    if (tty_)
      err_ << "\r\x1b[K" << kToolName << ": " << line << std::flush;
    else
      err_ << kToolName << ": " << line << '\n';
    pending_line_ = tty_;
  }
  // Ends a progress line before ordinary output.
  void end_progress() {
    if (pending_line_) err_ << '\n';
    pending_line_ = false;
  }

 private:
  std::ostream& err_;
  bool quiet_;
  bool tty_;
  bool pending_line_ = false;
};

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw Error("SHA-256 computation failed");
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// SOURCE_DATE_EPOCH (reproducible builds convention) fixes "now" for the whole run.
std::unique_ptr<Clock> make_clock() {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    char* end = nullptr;
    long long seconds = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || seconds < 0)
      throw ConfigError(fmt::format("SOURCE_DATE_EPOCH='{}' is not a number of seconds", epoch));
    return std::make_unique<FixedClock>(std::chrono::sys_seconds{std::chrono::seconds{seconds}});
  }
  return std::make_unique<SystemClock>();
}

Config load(const CommonOptions& common) {
  std::filesystem::path path =
      common.config_path.empty() ? default_config_path() : std::filesystem::path(common.config_path);
  if (common.config_path.empty() && !std::filesystem::exists(path))
    throw ConfigError(fmt::format(
        "no configuration file: pass --config FILE or create {} (see README, "
        "\"Configuration reference\")", path.string()));
  Config config = load_config(path);
  if (!common.source.empty()) {
    auto kind = source_kind_from_string(common.source);
    if (!kind)
      throw ConfigError(fmt::format("--source '{}': expected rss, listing or api", common.source));
    config.arxiv.source = *kind;
  }
  return config;
}

AnnouncementCalendar make_calendar(const Config& config) {
  std::vector<Date> holidays(AnnouncementCalendar::builtin_holidays().begin(),
                             AnnouncementCalendar::builtin_holidays().end());
  holidays.insert(holidays.end(), config.arxiv.extra_holidays.begin(),
                  config.arxiv.extra_holidays.end());
  return AnnouncementCalendar(std::move(holidays));
}

std::string user_agent(const Config& config) {
  if (!config.arxiv.user_agent.empty()) return config.arxiv.user_agent;
  // arXiv asks automated clients to identify themselves with a way to reach their operator.
  std::string ua = fmt::format("{}/{}", kToolName, ARXIV_DIGEST_VERSION);
  if (!config.arxiv.contact.empty()) ua += fmt::format(" (mailto:{})", config.arxiv.contact);
  return ua;
}

Date resolve_date(const CommonOptions& common, const AnnouncementCalendar& calendar,
                  const Clock& clock) {
  if (common.date.empty()) return calendar.latest_listing(clock.now());
  auto date = parse_date(common.date);
  if (!date) throw ConfigError(fmt::format("--date '{}': expected a date as YYYY-MM-DD", common.date));
  return *date;
}

std::string_view reason_text(NoListingReason reason) {
  switch (reason) {
    case NoListingReason::kWeekend: return "arXiv lists Monday to Friday only";
    case NoListingReason::kHoliday: return "an arXiv holiday";
    case NoListingReason::kNone: break;
  }
  return "";
}

// Everything a command needs, composed once.
struct Session {
  Config config;
  std::unique_ptr<Clock> clock;
  AnnouncementCalendar calendar;
  Date listing_date;
};

// The HTTP layers every arXiv request goes through (see sources/http_client.hpp), configured
// from [arxiv]: libcurl, arXiv's rate rules with retries, and the conditional-GET cache.
class HttpStack {
 public:
  HttpStack(const Config& config, Console& console)
      : curl_(curl_options(config)),
        polite_(curl_, polite_options(config, console)),
        http_(polite_, cache_options(config, console)) {}
  HttpClient& client() { return http_; }

 private:
  static CurlHttpClientOptions curl_options(const Config& config) {
    CurlHttpClientOptions options;
    options.user_agent = user_agent(config);
    return options;
  }
  static PoliteHttpClientOptions polite_options(const Config& config, Console& console) {
    PoliteHttpClientOptions options;
    options.min_interval = std::chrono::milliseconds(
        static_cast<long long>(config.arxiv.min_interval_s * 1000.0));
    options.max_retries = config.arxiv.max_retries;
    options.on_retry = [&console](const std::string& message) { console.info("{}", message); };
    return options;
  }
  static CachingHttpClientOptions cache_options(const Config& config, Console& console) {
    CachingHttpClientOptions options;
    options.directory = config.arxiv.cache_dir;
    options.on_warning = [&console](const std::string& message) {
      console.info("cache: {}", message);
    };
    return options;
  }

  CurlHttpClient curl_;
  PoliteHttpClient polite_;
  CachingHttpClient http_;
};

// The announcement for the session's date: from the archive when a complete one is stored (no
// network: re-runs are idempotent and free), otherwise fetched and saved in one transaction.
// Returns nullopt when arXiv made no announcement.
std::optional<Announcement> obtain_announcement(Session& s, Archive& archive, bool refetch,
                                                Console& console) {
  const Config& config = s.config;
  if (!refetch) {
    if (auto stored = archive.load_announcement(s.listing_date, config.arxiv.categories);
        stored && stored->complete) {
      console.info("using the archived listing of {} ({} papers, fetched from {})",
                   format_date(s.listing_date), stored->papers.size(), to_string(stored->source));
      return stored;
    }
  }
  HttpStack stack(config, console);
  HttpClient& http = stack.client();

  FetchOptions options;
  options.source = config.arxiv.source;
  options.categories = config.arxiv.categories;
  options.keep = {AnnounceType::kNew, AnnounceType::kCross, AnnounceType::kReplace,
                  AnnounceType::kReplaceCross};  // archive everything; filter when selecting
  options.rss_url = config.arxiv.rss_url;
  options.listing_url = config.arxiv.listing_url;
  options.api_url = config.arxiv.api_url;
  options.listing_date = s.listing_date;
  options.timeout = std::chrono::seconds(config.arxiv.timeout_s);
  options.on_request = [&console](std::size_t n, std::size_t total, const std::string& url) {
    if (total > 1) console.progress(fmt::format("request {}/{}: {}", n, total, url));
  };

  console.info("fetching the listing of {} for {} from {}", format_date(s.listing_date),
               fmt::join(config.arxiv.categories, " "), to_string(config.arxiv.source));
  FetchResult result = fetch_announcement(http, options, s.calendar, *s.clock);
  if (result.status == FetchResult::Status::kNoAnnouncement) {
    console.info("arXiv made no announcement for {}: {}", format_date(s.listing_date), result.note);
    return std::nullopt;
  }
  archive.save_announcement(result.announcement);
  console.info("archived {} papers of {} ({}{})", result.announcement.papers.size(),
               format_date(result.announcement.listing_date), to_string(result.announcement.source),
               result.announcement.declared_count
                   ? fmt::format(", {} declared", *result.announcement.declared_count)
                   : std::string());
  return std::move(result.announcement);
}

Digest select(const Session& s, const Announcement& announcement, const TopicSelector& selector) {
  const Config& config = s.config;
  Digest digest;
  digest.listing_date = announcement.listing_date;
  digest.announced_at = s.calendar.announcement_instant(announcement.listing_date);
  digest.generated_at = s.clock->now();
  digest.time_zone = config.output.timezone;
  digest.categories = config.arxiv.categories;
  digest.source = announcement.source;

  std::vector<const Paper*> candidates;
  for (const auto& p : announcement.papers) {
    const auto& keep = config.arxiv.announce_types;
    if (std::find(keep.begin(), keep.end(), p.announce_type) != keep.end()) candidates.push_back(&p);
  }
  digest.announced_count = candidates.size();

  std::vector<TopicSelector::Selection> selections = selector.select(candidates);
  // Digest::papers: every selected paper once, in id order (the announcement's order).
  std::vector<bool> chosen(candidates.size(), false);
  for (const auto& selection : selections)
    for (std::size_t c : selection.papers) chosen[c] = true;
  std::vector<std::size_t> position(candidates.size(), 0);
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!chosen[c]) continue;
    position[c] = digest.papers.size();
    digest.papers.push_back(*candidates[c]);
  }
  for (std::size_t t = 0; t < selections.size(); ++t) {
    TopicResult result;
    result.topic = selector.topics()[t];
    for (std::size_t c : selections[t].papers) result.papers.push_back(position[c]);
    result.reasons = std::move(selections[t].reasons);
    digest.topics.push_back(std::move(result));
  }
  return digest;
}

void check_queries(const Config& config) {
  try {
    check_topic_queries(config.topics);
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", config.file.string(), e.what()));
  }
}

// The topics' selector, with topics by example resolved (archive, then arXiv). Query and example
// errors surface here, before the day is fetched.
TopicSelector make_selector(const Session& s, Archive& archive, Console& console) {
  const Config& config = s.config;
  std::vector<std::vector<ExampleText>> examples;
  const bool any_examples = std::any_of(config.topics.begin(), config.topics.end(),
                                        [](const Topic& t) { return t.by_example(); });
  std::optional<HttpStack> stack;
  ExampleLookup lookup;
  if (any_examples) {
    lookup.archive = &archive;
    lookup.now = s.clock->now();
    lookup.on_note = [&console](const std::string& line) { console.info("{}", line); };
    lookup.fetch = [&](const std::vector<ArxivId>& ids) {
      if (!stack) stack.emplace(config, console);
      FetchOptions options;
      options.api_url = config.arxiv.api_url;
      options.timeout = std::chrono::seconds(config.arxiv.timeout_s);
      options.on_request = [&console](std::size_t n, std::size_t total, const std::string& url) {
        console.progress(fmt::format("example lookup {}/{}: {}", n, total, url));
      };
      return fetch_papers_by_id(stack->client(), options, ids);
    };
  }
  try {
    if (any_examples) examples = resolve_examples(config.topics, lookup);
    return TopicSelector(config.topics, std::move(examples));
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}: {}", config.file.string(), e.what()));
  }
}

Session open_session(const CommonOptions& common) {
  Config config = load(common);
  auto clock = make_clock();
  AnnouncementCalendar calendar = make_calendar(config);
  Date date = resolve_date(common, calendar, *clock);
  return Session{std::move(config), std::move(clock), std::move(calendar), date};
}

// Returns kExitNoAnnouncement (after saying why) when the date has no listing.
std::optional<int> check_listing_day(const Session& s, Console& console) {
  NoListingReason reason = s.calendar.no_listing_reason(s.listing_date);
  if (reason == NoListingReason::kNone) return std::nullopt;
  console.info("arXiv made no announcement for the listing date {} ({}); nothing to do",
               format_date(s.listing_date), reason_text(reason));
  return kExitNoAnnouncement;
}

int command_run(const CommonOptions& common, const RunOptions& run, std::ostream& out,
                Console& console) {
  Session s = open_session(common);
  check_queries(s.config);  // query errors surface before any fetch
  check_translate_config(s.config.translate);  // a missing API key, too
  std::vector<Format> formats;
  {
    std::vector<std::string> names = s.config.output.formats;
    if (!run.formats.empty()) {
      names.clear();
      std::string_view rest = run.formats;
      while (!rest.empty()) {
        auto comma = rest.find(',');
        names.emplace_back(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
    }
    for (const auto& name : names) {
      auto format = format_from_string(name);
      if (!format)
        throw ConfigError(fmt::format("--format: unknown format '{}' (valid: text, markdown, json)", name));
      formats.push_back(*format);
    }
  }
  std::filesystem::path out_dir =
      run.out_dir.empty() ? s.config.output.dir : std::filesystem::path(run.out_dir);
  if (auto code = check_listing_day(s, console)) return *code;

  SqliteArchive archive(s.config.store.path);
  const TopicSelector selector = make_selector(s, archive, console);
  auto announcement = obtain_announcement(s, archive, run.refetch, console);
  if (!announcement) return kExitNoAnnouncement;

  Digest digest = select(s, *announcement, selector);
  // Only the selected papers are translated; failed fields become visible markers.
  const TranslationRunSummary translation = translate_digest(
      s.config.translate, s.config.store.path, user_agent(s.config), digest,
      [&console](const std::string& line) { console.progress(line); },
      [&console](const std::string& line) { console.info("{}", line); });
  if (translation.enabled) console.info("{}", describe(translation));
  else if (s.config.translate.present) console.info("translation off ([translate] provider = \"none\")");

  // Render everything in memory first: a failure never leaves a half-written digest set.
  RenderOptions render_options;
  render_options.tool_version = ARXIV_DIGEST_VERSION;
  render_options.explain = s.config.output.explain;
  const std::string date_text = format_date(digest.listing_date);
  const auto previous = archive.digests_for(digest.listing_date);
  struct Output {
    Format format;
    std::filesystem::path path;
    std::string bytes;
  };
  std::vector<Output> outputs;
  for (Format f : formats) {
    std::filesystem::path path = out_dir / fmt::format("{}.{}", date_text, file_extension(f));
    std::string bytes = render(digest, f, render_options);
    // Re-running the same day reproduces the earlier file byte for byte: if the digest rendered
    // with the earlier generation time is what was written then, keep that time.
    for (const auto& record : previous) {
      if (record.path != path.string() || record.format != to_string(f)) continue;
      Digest again = digest;
      again.generated_at = record.generated_at;
      std::string earlier = render(again, f, render_options);
      if (sha256_hex(earlier) == record.sha256) bytes = std::move(earlier);
    }
    outputs.push_back({f, std::move(path), std::move(bytes)});
  }

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec)
    throw OutputError(fmt::format("cannot create the output folder {}: {}", out_dir.string(),
                                  ec.message()));
  AtomicFileWriter writer;
  for (const auto& o : outputs) {
    writer.write(o.path, o.bytes);
    DigestRecord record;
    record.listing_date = digest.listing_date;
    record.format = std::string(to_string(o.format));
    record.path = o.path.string();
    record.sha256 = sha256_hex(o.bytes);
    record.paper_count = digest.papers.size();
    record.generated_at = digest.generated_at;
    for (const auto& p : previous)
      if (p.path == record.path && p.sha256 == record.sha256) record.generated_at = p.generated_at;
    archive.record_digest(record);
    console.info("wrote {}", o.path.string());
  }
  if (run.to_stdout) {
    out << render(digest, Format::kText, render_options);
    out.flush();
  }
  std::size_t matched = digest.papers.size();
  console.info("{}: {} of {} announced papers matched {} topic(s)", date_text, matched,
               digest.announced_count, digest.topics.size());
  if (translation.failed > 0) {
    console.error("{} translation(s) failed; the digest marks them next to the English text",
                  translation.failed);
    return kExitTranslation;
  }
  return kExitOk;
}

int command_fetch(const CommonOptions& common, bool refetch, std::ostream& out, Console& console) {
  Session s = open_session(common);
  if (auto code = check_listing_day(s, console)) return *code;
  SqliteArchive archive(s.config.store.path);
  auto announcement = obtain_announcement(s, archive, refetch, console);
  if (!announcement) return kExitNoAnnouncement;
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& p : announcement->papers) ++counts[static_cast<int>(p.announce_type)];
  out << fmt::format("{} {}: {} papers (new {}, cross {}, replace {}, replace-cross {}) via {}\n",
                     format_date(announcement->listing_date),
                     fmt::join(announcement->categories, "+"), announcement->papers.size(),
                     counts[0], counts[1], counts[2], counts[3], to_string(announcement->source));
  return kExitOk;
}

int command_config_check(const CommonOptions& common, std::ostream& out) {
  Config config = load(common);
  check_queries(config);
  out << fmt::format("{}: OK\n", config.file.string());
  out << fmt::format("  categories: {}\n", fmt::join(config.arxiv.categories, ", "));
  std::vector<std::string_view> types;
  for (auto t : config.arxiv.announce_types) types.push_back(to_string(t));
  out << fmt::format("  announce types: {}\n", fmt::join(types, ", "));
  out << fmt::format("  source: {}\n", to_string(config.arxiv.source));
  for (const auto& t : config.topics) {
    out << fmt::format("  topic: {}{}\n", t.name, t.query == t.name ? "" : " (query: " + t.query + ")");
    if (!t.example_ids.empty())
      out << fmt::format("    examples: {}\n", fmt::join(t.example_ids, ", "));
    if (!t.examples_file.empty()) {
      const ReferenceLibrary library = load_examples_file(t);
      out << fmt::format("    examples_file: {} ({}, {} entries)\n", t.examples_file,
                         to_string(library.format), library.entries.size());
    }
    if (t.by_example())
      out << fmt::format("    keep: {}{}\n",
                         t.min_score ? fmt::format("score >= {}", *t.min_score)
                                     : (t.top_k ? std::string("the best")
                                                : fmt::format("score >= {} (default)",
                                                              kDefaultMinScore)),
                         t.top_k ? fmt::format(", at most {}", *t.top_k) : std::string());
  }
  out << fmt::format("  output: {} ({}), time zone {}\n", config.output.dir.string(),
                     fmt::join(config.output.formats, ", "), config.output.timezone);
  out << fmt::format("  archive: {}\n", config.store.path.string());
  return kExitOk;
}

int exit_code_for(Console& console, const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const ConfigError& e) {
    console.error("{}", e.what());
    return kExitConfig;
  } catch (const IncompleteFetchError& e) {
    console.error("incomplete fetch: {}", e.what());
    return kExitIncomplete;
  } catch (const ParseError& e) {
    // Parsers put source and position in their messages; add them where one does not.
    std::string message = e.what();
    if (!e.source().empty() && message.find(e.source()) == std::string::npos) {
      std::string where = e.source();
      if (e.line() > 0) where += fmt::format(":{}:{}", e.line(), e.column());
      message = fmt::format("{}: {}", where, message);
    }
    console.error("{}", message);
    return kExitBadData;
  } catch (const HttpStatusError& e) {
    console.error("{}", e.what());
    return kExitNetwork;
  } catch (const TransportError& e) {
    console.error("{}", e.what());
    return kExitNetwork;
  } catch (const StoreError& e) {
    console.error("archive: {}", e.what());
    return kExitStore;
  } catch (const OutputError& e) {
    console.error("{}", e.what());
    return kExitOutput;
  } catch (const std::exception& e) {
    console.error("unexpected failure: {}", e.what());
    return kExitInternal;
  }
}

}  // namespace

int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"arxiv-digest: the day's arXiv announcements, selected by your topics, as a digest."};
  app.set_version_flag("--version", std::string(ARXIV_DIGEST_VERSION));
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 internal error, 2 usage, 3 config, 4 no announcement that day,\n"
      "5 network/HTTP, 6 unreadable source data, 7 incomplete fetch, 8 archive, 9 output,\n"
      "10 digest written but some translations failed.");

  CommonOptions common;
  RunOptions run;
  auto add_common = [&common](CLI::App* sub) {
    sub->add_option("-c,--config", common.config_path,
                    "Configuration file (default: $XDG_CONFIG_HOME/arxiv-digest/config.toml)");
    sub->add_option("-d,--date", common.date,
                    "Listing date YYYY-MM-DD (default: the latest announced listing)");
    sub->add_option("--source", common.source, "Override [arxiv] source: rss, listing or api");
    sub->add_flag("-q,--quiet", common.quiet, "Only print errors");
  };

  CLI::App* run_cmd = app.add_subcommand("run", "Fetch (or reuse) the day's listing and write the digest");
  add_common(run_cmd);
  run_cmd->add_option("-o,--out", run.out_dir, "Output folder (default: [output] dir)");
  run_cmd->add_option("-f,--format", run.formats,
                      "Comma-separated formats: text, markdown, json (default: [output] formats)");
  run_cmd->add_flag("--stdout", run.to_stdout, "Also print the text digest to stdout");
  run_cmd->add_flag("--refetch", run.refetch, "Fetch again even if the archive has the day");

  bool fetch_refetch = false;
  CLI::App* fetch_cmd = app.add_subcommand("fetch", "Fetch the day's listing into the archive only");
  add_common(fetch_cmd);
  fetch_cmd->add_flag("--refetch", fetch_refetch, "Fetch again even if the archive has the day");

  CLI::App* config_cmd = app.add_subcommand("config", "Configuration commands");
  config_cmd->require_subcommand(1);
  CLI::App* check_cmd = config_cmd->add_subcommand("check", "Validate the configuration file");
  MatchOptions match_options;
  CLI::App* match_cmd = add_match_command(app, match_options);
  check_cmd->add_option("-c,--config", common.config_path, "Configuration file");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  }

  Console console(err, common.quiet);
  try {
    if (*run_cmd) return command_run(common, run, out, console);
    if (*fetch_cmd) return command_fetch(common, fetch_refetch, out, console);
    if (*check_cmd) return command_config_check(common, out);
    if (*match_cmd) return command_match(match_options, out, err);
  } catch (...) {
    return exit_code_for(console, std::current_exception());
  }
  return kExitUsage;
}

}  // namespace arxiv_digest
