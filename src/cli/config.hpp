// Config: the TOML configuration file, as plain structs with a documented default per field.
//
// load_config() reads and validates a file completely before anything is fetched: unknown keys,
// wrong types and bad values throw ConfigError naming the file, line, column and key, with the
// closest valid key suggested. Relative paths in the file are resolved against the file's folder.
// See README.md "Configuration reference" for every key.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/delivery_config.hpp"
#include "cli/translate_config.hpp"
#include "core/calendar.hpp"
#include "core/paper.hpp"
#include "core/topic.hpp"

namespace arxiv_digest {

struct ArxivConfig {
  std::vector<std::string> categories;  // required: ["cs.AI", "cs.LG"] (archives like "cs" too)
  std::vector<AnnounceType> announce_types = {AnnounceType::kNew, AnnounceType::kCross};
  SourceKind source = SourceKind::kRss;
  std::string rss_url = "https://rss.arxiv.org/rss/";   // + "cs.AI+cs.LG"
  std::string listing_url = "https://arxiv.org/list/";  // + "cs.AI/new"
  std::string api_url = "https://export.arxiv.org/api/query";
  std::string oai_url = "https://oaipmh.arxiv.org/oai";  // OAI-PMH base URL (`harvest`)
  std::string contact;               // e-mail put in the User-Agent (arXiv asks for a contact)
  std::string user_agent;            // full override of the User-Agent; empty = built from contact
  double min_interval_s = 3.0;       // between requests to arXiv hosts (arXiv's terms: >= 3)
  int max_retries = 4;               // on timeouts, 5xx and 429
  int timeout_s = 60;                // per request, total
  std::filesystem::path cache_dir;   // conditional-GET cache; default $XDG_CACHE_HOME/arxiv-digest
  std::vector<Date> extra_holidays;  // listing dates without a listing, beyond the bundled list
};

struct OutputConfig {
  std::filesystem::path dir;  // default $XDG_DATA_HOME/arxiv-digest/digests
  std::vector<std::string> formats = {"text", "markdown", "json"};
  std::string timezone = "Asia/Shanghai";  // the reader's zone for the header
  bool explain = false;  // text format: a "- Matched:" line per paper (Markdown/JSON always say)
  // `katex`: KaTeX's dist folder, copied beside the HTML page (<dir>/katex/) so its math renders
  // offline. nullopt (key absent) = default_katex_dir(); an empty path (katex = "") = no math
  // rendering: TeX is shown as written and the page has no script. A folder given must hold
  // katex.min.css (checked when the file is read).
  std::optional<std::filesystem::path> katex;
  // `feed_url`: where the folder's Atom feeds are published ("https://example.org/arxiv"), for
  // their rel="self" links; "" (the default) = no self links.
  std::string feed_url;
  // `templates_dir`: a folder whose digest.html.mustache / digest.email.html.mustache replace
  // the built-in templates (templates/README.md lists the variables); empty = built-in only.
  std::filesystem::path templates_dir;
};

// The KaTeX folder to use: `output.katex` when set (possibly empty: math off), else
// default_katex_dir().
std::filesystem::path katex_dir(const OutputConfig& output);
// The first of <installed_data_dir()>/katex (what `cmake --install` copies from node_modules)
// and <source folder>/node_modules/katex/dist (what scripts/setup's `npm ci` installs, for a
// binary run from its build folder) that holds katex.min.css; empty (math off) when neither does.
std::filesystem::path default_katex_dir();

// [store]: where the archive lives, from `path` or `url` (not both). The composition root picks
// the backend from `backend` alone.
struct StoreConfig {
  std::string backend = "sqlite";  // the only backend built; "postgresql" URLs are refused for now
  // sqlite: the archive file; default $XDG_DATA_HOME/arxiv-digest/archive.sqlite.
  std::filesystem::path path;
  std::string url;  // `url` as written ("" when `path` or the default is used)
};

// [daemon]: when the daemon and `run --wait` run a day, and how long they retry it.
struct DaemonConfig {
  // After the source carries the day (20:00 ET listing pages, 00:00 ET the RSS feed).
  std::chrono::seconds delay{std::chrono::minutes{7}};
  // Up to this much more, a different amount each day (never all at the same second).
  std::chrono::seconds jitter{std::chrono::minutes{5}};
  // An incomplete or unavailable source is retried until this long after the run instant.
  std::chrono::seconds retry_until{std::chrono::hours{4}};
};

// [log]: where the commands' messages go. Secrets never reach them (the configuration holds only
// the names of the variables that hold secrets).
enum class LogLevel { kInfo, kWarn, kError };
struct LogConfig {
  LogLevel level = LogLevel::kInfo;  // messages below it are dropped (--quiet: errors only)
  std::filesystem::path file;        // appended to; empty = stderr
  bool json = false;                 // format = "json": one JSON object per line
};

// "90s", "7m", "4h", "1h30m", "2d" (units s, m, h, d; a bare number is seconds); nullopt
// unless the whole text is such a duration.
std::optional<std::chrono::seconds> parse_duration(std::string_view text);

struct Config {
  std::filesystem::path file;  // where it was loaded from (empty = defaults only)
  ArxivConfig arxiv;
  std::vector<Topic> topics;
  OutputConfig output;
  StoreConfig store;
  TranslateConfig translate;  // [translate], see cli/translate_config.hpp
  // Delivery (see cli/delivery_config.hpp).
  EmailConfig email;                         // [email]
  std::vector<WebhookConfig> webhooks;       // [[webhooks]]
  std::vector<SubscriberConfig> subscribers; // [[subscribers]]
  DeliveryConfig delivery;                   // [delivery]
  DaemonConfig daemon;                       // [daemon]
  LogConfig log;                             // [log]
};

// Formats the renderers know ("text", "markdown", "json", "html", "atom", "email-html"; "md" is an
// alias of "markdown").
const std::vector<std::string>& known_formats();

// Reads, parses and validates `path`. Throws ConfigError: "<path>: no such file", "<path>: is a
// directory, ...", unreadable, not UTF-8, not TOML, or any invalid key or value.
Config load_config(const std::filesystem::path& path);
// load_config(path), or of default_config_path() when `path_or_empty` is empty (ConfigError "no
// configuration file: pass --config FILE or create ..." when that does not exist).
Config load_config_or_default(const std::filesystem::path& path_or_empty);
// The whole loader from text (tests, fuzzing): the same checks as load_config except reading the
// file. `name` is used in messages; relative paths resolve against `base_dir`. Throws ConfigError
// only. Touches the file system only to check that an `examples_file` exists and that a `katex`
// folder holds katex.min.css.
Config parse_config(std::string_view toml_text, const std::string& name,
                    const std::filesystem::path& base_dir);

// $XDG_CONFIG_HOME/arxiv-digest/config.toml (or ~/.config/...).
std::filesystem::path default_config_path();

}  // namespace arxiv_digest
