#include "cli/config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/data_dirs.hpp"
#include "cli/translate_config_reader.hpp"
#include "config/toml_section.hpp"
#include "core/error.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"

namespace arxiv_digest {
namespace {

std::filesystem::path xdg_dir(const char* variable, const char* fallback_under_home) {
  if (const char* v = std::getenv(variable); v && *v) return v;
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home && *home ? home : ".") / fallback_under_home;
}

bool is_known_category_or_archive(std::string_view code) {
  if (find_category(code)) return true;
  // An archive ("cs", "math", "astro-ph") is valid when some category lives under it.
  for (const auto& c : all_categories()) {
    if (c.code.size() > code.size() && c.code.starts_with(code) && c.code[code.size()] == '.')
      return true;
  }
  return false;
}

template <typename T>
void push_unique(std::vector<T>& list, T value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// A URL or a local path (for file-based sources): URLs are kept; paths resolved like path().
std::optional<std::string> url_or_path(const TomlSection& s, std::string_view key) {
  std::optional<std::string> text = s.non_empty_string(key);
  if (!text) return std::nullopt;
  if (text->find("://") != std::string::npos) {
    if (!(text->starts_with("http://") || text->starts_with("https://") ||
          text->starts_with("file://")))
      s.fail(key, fmt::format("'{}' = '{}': only http, https and file URLs (or a local path) are "
                              "supported",
                              key, *text));
    return text;
  }
  std::string resolved = s.resolve_path(*text, s.position(key)).string();
  // Keep a trailing slash: the fetcher appends "cs.AI+cs.LG" or "cs.AI/new".
  if (text->ends_with('/') && !resolved.ends_with('/')) resolved += '/';
  return resolved;
}

void read_arxiv(const TomlSection& s, ArxivConfig& a) {
  if (auto categories = s.string_list("categories")) {
    a.categories.clear();
    for (const auto& [code, where] : *categories) {
      if (!is_known_category_or_archive(code)) {
        const std::string hint = suggest_category(code);
        s.fail(where, hint.empty() ? fmt::format("unknown arXiv category '{}'", code)
                                   : fmt::format("unknown arXiv category '{}'; did you mean '{}'?",
                                                 code, hint));
      }
      push_unique(a.categories, code);
    }
  }
  static constexpr std::array<std::string_view, 4> kAnnounceTypes = {"new", "cross", "replace",
                                                                     "replace-cross"};
  if (auto types = s.one_of_list("announce_types", kAnnounceTypes)) {
    a.announce_types.clear();
    for (const auto& name : *types) push_unique(a.announce_types, *announce_type_from_string(name));
    if (a.announce_types.empty()) s.fail("announce_types", "'announce_types' must not be empty");
  }
  static constexpr std::array<std::string_view, 3> kSources = {"rss", "listing", "api"};
  if (auto source = s.one_of("source", kSources)) a.source = *source_kind_from_string(*source);
  if (auto url = url_or_path(s, "rss_url")) a.rss_url = *url;
  if (auto url = url_or_path(s, "listing_url")) a.listing_url = *url;
  if (auto url = url_or_path(s, "api_url")) a.api_url = *url;
  // OAI-PMH pages are asked for with a query string: a file or folder cannot answer them.
  if (auto url = s.non_empty_string("oai_url")) {
    if (!(url->starts_with("http://") || url->starts_with("https://")))
      s.fail("oai_url", fmt::format("'oai_url' = '{}': an http:// or https:// URL is needed (OAI-PMH "
                                    "requests carry a query string)",
                                    *url));
    a.oai_url = *url;
  }
  if (auto contact = s.string("contact")) {
    for (char c : *contact) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '(' || c == ')' || c == ';')
        s.fail("contact", "'contact' must be a plain e-mail address or URL");
    }
    a.contact = *contact;
  }
  if (auto user_agent = s.non_empty_string("user_agent")) {
    for (char c : *user_agent) {
      if (static_cast<unsigned char>(c) < 0x20)
        s.fail("user_agent", "'user_agent' has a control character");
    }
    a.user_agent = *user_agent;
  }
  if (auto interval = s.number("min_interval_s")) {
    if (*interval < 3.0)
      s.fail("min_interval_s", fmt::format("'min_interval_s' = {} is below arXiv's limit of one "
                                           "request every 3 seconds",
                                           *interval));
    a.min_interval_s = *interval;
  }
  if (auto v = s.integer("max_retries", 0, 10)) a.max_retries = *v;
  if (auto v = s.integer("timeout_s", 1, 3600)) a.timeout_s = *v;
  if (auto dir = s.path("cache_dir")) a.cache_dir = *dir;
  if (auto holidays = s.string_list("holidays")) {
    for (const auto& [text, where] : *holidays) {
      const auto date = parse_date(text);
      if (!date) s.fail(where, fmt::format("'{}' is not a date (YYYY-MM-DD)", text));
      a.extra_holidays.push_back(*date);
    }
  }
  s.reject_unknown_keys();
}

Topic read_topic(const TomlSection& s) {
  s.require("name");
  Topic topic;
  topic.name = normalize_whitespace(*s.non_empty_string("name"));
  if (auto query = s.non_empty_string("query"))
    topic.query = normalize_whitespace(*query);
  else
    topic.query = topic.name;
  static constexpr std::array<std::string_view, 2> kSorts = {"id", "relevance"};
  if (auto sort = s.one_of("sort", kSorts))
    topic.sort = *sort == "relevance" ? TopicSort::kRelevance : TopicSort::kId;
  if (auto examples = s.string_list("examples")) {
    for (const auto& [text, where] : *examples) {
      ArxivId id;
      std::string why;
      if (!ArxivId::try_parse(normalize_whitespace(text), id, &why))
        s.fail(where, fmt::format("'examples': '{}' is not an arXiv id ({})", text, why));
      topic.example_ids.push_back(id.str());
    }
    if (topic.example_ids.empty()) s.fail("examples", "'examples' must not be empty");
  }
  if (auto file = s.path("examples_file")) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*file, ec))
      s.fail("examples_file", fmt::format("'examples_file': no such file '{}'", file->string()));
    topic.examples_file = file->string();
  }
  topic.top_k = s.integer<std::size_t>("top_k", 1, 100000);
  topic.min_score = s.number("min_score");
  if (topic.min_score && (*topic.min_score < 0.0 || *topic.min_score > 1.0))
    s.fail("min_score", fmt::format("'min_score' = {} is out of range (0..1, a cosine similarity)",
                                    *topic.min_score));
  s.reject_unknown_keys();
  if (!topic.by_example() && (topic.top_k || topic.min_score))
    s.fail(topic.top_k ? "top_k" : "min_score",
           "'top_k' and 'min_score' apply to a topic by example: add 'examples' (arXiv ids) or "
           "'examples_file' (BibTeX, RIS or CSL-JSON)");
  return topic;
}

void read_output(const TomlSection& s, OutputConfig& o) {
  if (auto dir = s.path("dir")) o.dir = *dir;
  static constexpr std::array<std::string_view, 7> kFormats = {
      "text", "markdown", "json", "html", "atom", "email-html", "md"};
  if (auto formats = s.one_of_list("formats", kFormats)) {
    o.formats.clear();
    for (const auto& name : *formats) push_unique(o.formats, name == "md" ? "markdown" : name);
    if (o.formats.empty()) s.fail("formats", "'formats' must not be empty");
  }
  if (auto zone = s.non_empty_string("timezone")) {
    if (!is_known_time_zone(*zone))
      s.fail("timezone", fmt::format("unknown time zone '{}' (use a tz database name such as "
                                     "'Asia/Shanghai', 'Europe/Berlin' or 'UTC')",
                                     *zone));
    o.timezone = *zone;
  }
  if (auto explain = s.boolean("explain")) o.explain = *explain;
  if (auto katex = s.string("katex")) {
    if (trim(*katex).empty()) {
      o.katex = std::filesystem::path();
    } else {
      o.katex = s.resolve_path(*katex, s.position("katex"));
      std::error_code ec;
      if (!std::filesystem::is_regular_file(*o.katex / "katex.min.css", ec))
        s.fail("katex", fmt::format("'katex' = '{}': no katex.min.css there (KaTeX's dist folder, "
                                    "e.g. node_modules/katex/dist after `npm ci`; \"\" turns "
                                    "math rendering off)",
                                    o.katex->string()));
    }
  }
  if (auto url = s.string("feed_url")) {
    // The self links are "<feed_url>/<file>": a query or fragment would end up before the file.
    const bool http = url->starts_with("http://") || url->starts_with("https://");
    if (!url->empty() && (!http || url->find_first_of("?# \t\r\n") != std::string::npos))
      s.fail("feed_url", fmt::format("'feed_url' = '{}' is not an http(s) URL of a folder "
                                     "(e.g. \"https://example.org/arxiv\"; \"\" = no self "
                                     "links)",
                                     *url));
    o.feed_url = *url;
  }
  if (auto dir = s.path("templates_dir")) {
    std::error_code ec;
    if (!std::filesystem::is_directory(*dir, ec))
      s.fail("templates_dir",
             fmt::format("'templates_dir' = '{}' is not a folder (it holds "
                         "digest.html.mustache and/or digest.email.html.mustache; see "
                         "templates/README.md)",
                         dir->string()));
    o.templates_dir = *dir;
  }
  s.reject_unknown_keys();
}

// [store] url: "sqlite:///absolute/path", "sqlite:relative/path" (against the file's folder, like
// `path`); "postgresql://..." is recognised but not built yet. The URL is never quoted in a
// message unless it is a sqlite one: a database URL may carry a password.
void read_store_url(const TomlSection& s, const std::string& url, StoreConfig& store) {
  const std::string_view text(url);
  const std::size_t colon = text.find(':');
  const std::string scheme =
      ascii_lower(text.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (scheme == "postgresql" || scheme == "postgres")
    s.fail("url", "'url': PostgreSQL store not built yet; use a sqlite: URL or 'path'");
  if (scheme != "sqlite")
    s.fail("url", scheme.empty()
                      ? std::string("'url' is not a URL: expected sqlite:///absolute/path.sqlite "
                                    "or sqlite:relative/path.sqlite")
                      : fmt::format("'url' has the unknown scheme '{}' (valid: sqlite, postgresql)",
                                    scheme));
  std::string_view rest = text.substr(colon + 1);
  if (rest.find_first_of("?#") != std::string_view::npos)
    s.fail("url", fmt::format("'url' = '{}': a sqlite URL takes no query or fragment", url));
  if (rest.starts_with("//")) {
    rest.remove_prefix(2);
    if (!rest.empty() && rest.front() != '/')
      s.fail("url", fmt::format("'url' = '{}': a sqlite URL names no host: write "
                                "sqlite:///absolute/path or sqlite:relative/path",
                                url));
  }
  if (rest.empty() || rest == "/" || rest.ends_with('/'))
    s.fail("url", fmt::format("'url' = '{}' names no database file", url));
  store.backend = "sqlite";
  store.path = s.resolve_path(rest, s.position("url"));
  store.url = url;
}

void read_store(const TomlSection& s, StoreConfig& store) {
  const auto path = s.path("path");
  const auto url = s.non_empty_string("url");
  s.reject_unknown_keys();
  if (path && url) s.fail("url", "set either 'path' or 'url', not both");
  if (path) store.path = *path;
  if (url) read_store_url(s, *url, store);
}

void read_daemon(const TomlSection& s, DaemonConfig& d) {
  const auto duration = [&s](std::string_view key, std::chrono::seconds& into,
                             std::chrono::seconds max) {
    const auto text = s.string(key);
    if (!text) return;
    const auto value = parse_duration(*text);
    if (!value || *value > max)
      s.fail(key, fmt::format("'{}' = '{}' is not a duration up to {} h (write e.g. \"90s\", "
                              "\"7m\", \"4h\", \"1h30m\")",
                              key, *text, std::chrono::duration_cast<std::chrono::hours>(max).count()));
    into = *value;
  };
  duration("delay", d.delay, std::chrono::hours{12});
  duration("jitter", d.jitter, std::chrono::hours{1});
  duration("retry_until", d.retry_until, std::chrono::hours{20});
  s.reject_unknown_keys();
}

void read_log(const TomlSection& s, LogConfig& log) {
  if (const auto level = s.string("level")) {
    if (*level == "info") log.level = LogLevel::kInfo;
    else if (*level == "warn") log.level = LogLevel::kWarn;
    else if (*level == "error") log.level = LogLevel::kError;
    else s.fail("level", fmt::format("'level' = '{}': expected info, warn or error", *level));
  }
  if (auto file = s.path("file")) log.file = *file;
  if (const auto format = s.string("format")) {
    if (*format != "text" && *format != "json")
      s.fail("format", fmt::format("'format' = '{}': expected text or json", *format));
    log.json = *format == "json";
  }
  s.reject_unknown_keys();
}

}  // namespace

std::optional<std::chrono::seconds> parse_duration(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  long long total = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    long long number = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
      number = number * 10 + (text[digits] - '0');
      if (number > 1'000'000'000) return std::nullopt;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    text.remove_prefix(digits);
    long long unit = 1;
    if (!text.empty()) {
      switch (text.front()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: return std::nullopt;
      }
      text.remove_prefix(1);
    } else if (total != 0) {
      return std::nullopt;  // "1h30": a unit is needed after the first part
    }
    total += number * unit;
  }
  return std::chrono::seconds{total};
}

const std::vector<std::string>& known_formats() {
  static const std::vector<std::string> formats = {"text",  "markdown", "json",
                                                   "html", "atom",     "email-html"};
  return formats;
}

std::filesystem::path default_config_path() {
  return xdg_dir("XDG_CONFIG_HOME", ".config") / "arxiv-digest" / "config.toml";
}

Config parse_config(std::string_view toml_text, const std::string& name,
                    const std::filesystem::path& base_dir) {
  const TomlDocument document(toml_text, name, base_dir);
  const TomlSection root = document.root();
  Config config;
  config.arxiv.cache_dir = xdg_dir("XDG_CACHE_HOME", ".cache") / "arxiv-digest" / "http";
  config.output.dir = xdg_dir("XDG_DATA_HOME", ".local/share") / "arxiv-digest" / "digests";
  config.store.path = xdg_dir("XDG_DATA_HOME", ".local/share") / "arxiv-digest" / "archive.sqlite";

  if (auto arxiv = root.table("arxiv")) read_arxiv(*arxiv, config.arxiv);
  std::set<std::string> names;
  for (const TomlSection& entry : root.array_of_tables("topics")) {
    Topic topic = read_topic(entry);
    if (!names.insert(topic.name).second)
      entry.fail("name", fmt::format("topic '{}' is defined twice", topic.name));
    config.topics.push_back(std::move(topic));
  }
  if (auto output = root.table("output")) read_output(*output, config.output);
  if (auto store = root.table("store")) read_store(*store, config.store);
  if (auto translate = root.table("translate")) read_translate_config(*translate, config.translate);
  if (auto daemon = root.table("daemon")) read_daemon(*daemon, config.daemon);
  if (auto log = root.table("log")) read_log(*log, config.log);
  read_delivery_config(root, config.topics, config.email, config.webhooks, config.subscribers,
                       config.delivery);
  root.reject_unknown_keys();

  if (config.arxiv.categories.empty())
    root.fail_here("[arxiv] 'categories' is required, e.g. categories = [\"cs.AI\", \"cs.LG\"]");
  if (config.topics.empty())
    root.fail_here("at least one [[topics]] entry with a 'name' is required");
  return config;
}

std::filesystem::path katex_dir(const OutputConfig& output) {
  return output.katex ? *output.katex : default_katex_dir();
}

std::filesystem::path default_katex_dir() {
  std::vector<std::filesystem::path> candidates;
  if (const std::filesystem::path installed = installed_data_dir(); !installed.empty())
    candidates.push_back(installed / "katex");
  if (const std::filesystem::path source = source_dir(); !source.empty())
    candidates.push_back(source / "node_modules" / "katex" / "dist");
  for (const std::filesystem::path& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "katex.min.css", ec)) return dir;
  }
  return {};
}

Config load_config(const std::filesystem::path& path) {
  std::error_code ec;
  const std::filesystem::file_status status = std::filesystem::status(path, ec);
  if (std::filesystem::is_directory(status))
    throw ConfigError(
        fmt::format("{}: is a directory, not a configuration file (pass the .toml "
                    "file itself)",
                    path.string()));
  if (status.type() == std::filesystem::file_type::not_found)
    throw ConfigError(fmt::format("{}: no such file", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(fmt::format("{}: cannot read the configuration file ({})", path.string(),
                                  std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    throw ConfigError(fmt::format("{}: cannot read the configuration file", path.string()));
  Config config =
      parse_config(ss.str(), path.string(), std::filesystem::absolute(path).parent_path());
  config.file = path;
  return config;
}

Config load_config_or_default(const std::filesystem::path& path_or_empty) {
  if (!path_or_empty.empty()) return load_config(path_or_empty);
  const std::filesystem::path path = default_config_path();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw ConfigError(
        fmt::format("no configuration file: pass --config FILE or create {} (see README, "
                    "\"Configuration reference\")",
                    path.string()));
  return load_config(path);
}

}  // namespace arxiv_digest
