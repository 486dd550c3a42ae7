#include "cli/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "cli/translate_config_reader.hpp"
#include "core/error.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"

namespace arxiv_digest {
namespace {

// Context for messages: "config.toml:12:3: ...".
class Reader {
 public:
  Reader(std::string name, std::filesystem::path base_dir)
      : name_(std::move(name)), base_dir_(std::move(base_dir)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const {
    if (where.begin.line > 0)
      throw ConfigError(
          fmt::format("{}:{}:{}: {}", name_, where.begin.line, where.begin.column, message));
    throw ConfigError(fmt::format("{}: {}", name_, message));
  }

  // Rejects keys of `table` not in `allowed`, suggesting the closest allowed key.
  void check_keys(const toml::table& table, std::string_view table_name,
                  std::initializer_list<std::string_view> allowed) const {
    for (auto&& [key, value] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string_view best;
      std::size_t best_distance = 3;
      for (auto candidate : allowed) {
        std::size_t d = edit_distance(key.str(), candidate);
        if (d < best_distance) {
          best_distance = d;
          best = candidate;
        }
      }
      std::string message = fmt::format("unknown key '{}' in {}", key.str(), table_name);
      if (!best.empty()) message += fmt::format("; did you mean '{}'?", best);
      else
        message += fmt::format(" (valid keys: {})", fmt::join(allowed, ", "));
      fail(key.source(), message);
    }
  }

  std::string string(const toml::node& node, std::string_view key) const {
    if (auto s = node.value<std::string>(); s && node.is_string()) return *s;
    fail(node.source(), fmt::format("'{}' must be a string", key));
  }

  std::string non_empty_string(const toml::node& node, std::string_view key) const {
    std::string s = string(node, key);
    if (normalize_whitespace(s).empty()) fail(node.source(), fmt::format("'{}' must not be empty", key));
    return s;
  }

  std::int64_t integer(const toml::node& node, std::string_view key, std::int64_t min,
                       std::int64_t max) const {
    if (!node.is_integer()) fail(node.source(), fmt::format("'{}' must be an integer", key));
    auto v = *node.value<std::int64_t>();
    if (v < min || v > max)
      fail(node.source(), fmt::format("'{}' = {} is out of range ({}..{})", key, v, min, max));
    return v;
  }

  double number(const toml::node& node, std::string_view key) const {
    if (!node.is_number()) fail(node.source(), fmt::format("'{}' must be a number", key));
    return *node.value<double>();
  }

  std::vector<std::pair<std::string, toml::source_region>> string_list(
      const toml::node& node, std::string_view key) const {
    const toml::array* array = node.as_array();
    if (!array) fail(node.source(), fmt::format("'{}' must be an array of strings", key));
    std::vector<std::pair<std::string, toml::source_region>> out;
    for (const toml::node& item : *array) {
      if (!item.is_string())
        fail(item.source(), fmt::format("'{}' must contain only strings", key));
      out.emplace_back(*item.value<std::string>(), item.source());
    }
    return out;
  }

  // A path: `~` expanded, relative paths resolved against the config file's folder.
  std::filesystem::path path(const toml::node& node, std::string_view key) const {
    std::string s = non_empty_string(node, key);
    if (s.starts_with("~/")) {
      if (const char* home = std::getenv("HOME")) return std::filesystem::path(home) / s.substr(2);
    }
    std::filesystem::path p(s);
    return p.is_absolute() ? p : (base_dir_ / p).lexically_normal();
  }

  // A URL or a local path (for file-based sources): URLs are kept; paths resolved like path().
  std::string url_or_path(const toml::node& node, std::string_view key) const {
    std::string s = non_empty_string(node, key);
    if (s.find("://") != std::string::npos) {
      if (!(s.starts_with("http://") || s.starts_with("https://") || s.starts_with("file://")))
        fail(node.source(), fmt::format("'{}' = '{}': only http, https and file URLs (or a local "
                                        "path) are supported", key, s));
      return s;
    }
    std::string resolved = path(node, key).string();
    // Keep a trailing slash: the fetcher appends "cs.AI+cs.LG" or "cs.AI/new".
    if (s.ends_with('/') && !resolved.ends_with('/')) resolved += '/';
    return resolved;
  }

 private:
  std::string name_;
  std::filesystem::path base_dir_;
};

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

void read_arxiv(const Reader& r, const toml::table& t, ArxivConfig& a) {
  r.check_keys(t, "[arxiv]",
               {"categories", "announce_types", "source", "rss_url", "listing_url", "api_url",
                "contact", "user_agent", "min_interval_s", "max_retries", "timeout_s", "cache_dir",
                "holidays"});
  if (const toml::node* n = t.get("categories")) {
    a.categories.clear();
    for (auto& [code, where] : r.string_list(*n, "categories")) {
      if (!is_known_category_or_archive(code)) {
        std::string hint = suggest_category(code);
        r.fail(where, hint.empty()
                          ? fmt::format("unknown arXiv category '{}'", code)
                          : fmt::format("unknown arXiv category '{}'; did you mean '{}'?", code, hint));
      }
      if (std::find(a.categories.begin(), a.categories.end(), code) == a.categories.end())
        a.categories.push_back(code);
    }
  }
  if (const toml::node* n = t.get("announce_types")) {
    a.announce_types.clear();
    for (auto& [name, where] : r.string_list(*n, "announce_types")) {
      auto type = announce_type_from_string(name);
      if (!type)
        r.fail(where, fmt::format("unknown announce type '{}' (valid: new, cross, replace, "
                                  "replace-cross)", name));
      if (std::find(a.announce_types.begin(), a.announce_types.end(), *type) ==
          a.announce_types.end())
        a.announce_types.push_back(*type);
    }
    if (a.announce_types.empty()) r.fail(n->source(), "'announce_types' must not be empty");
  }
  if (const toml::node* n = t.get("source")) {
    std::string s = r.string(*n, "source");
    auto kind = source_kind_from_string(s);
    if (!kind) r.fail(n->source(), fmt::format("unknown source '{}' (valid: rss, listing, api)", s));
    a.source = *kind;
  }
  if (const toml::node* n = t.get("rss_url")) a.rss_url = r.url_or_path(*n, "rss_url");
  if (const toml::node* n = t.get("listing_url")) a.listing_url = r.url_or_path(*n, "listing_url");
  if (const toml::node* n = t.get("api_url")) a.api_url = r.url_or_path(*n, "api_url");
  if (const toml::node* n = t.get("contact")) {
    a.contact = r.string(*n, "contact");
    for (char c : a.contact) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '(' || c == ')' || c == ';')
        r.fail(n->source(), "'contact' must be a plain e-mail address or URL");
    }
  }
  if (const toml::node* n = t.get("user_agent")) {
    a.user_agent = r.non_empty_string(*n, "user_agent");
    for (char c : a.user_agent) {
      if (static_cast<unsigned char>(c) < 0x20) r.fail(n->source(), "'user_agent' has a control character");
    }
  }
  if (const toml::node* n = t.get("min_interval_s")) {
    a.min_interval_s = r.number(*n, "min_interval_s");
    if (a.min_interval_s < 3.0)
      r.fail(n->source(), fmt::format("'min_interval_s' = {} is below arXiv's limit of one request "
                                      "every 3 seconds", a.min_interval_s));
  }
  if (const toml::node* n = t.get("max_retries"))
    a.max_retries = static_cast<int>(r.integer(*n, "max_retries", 0, 10));
  if (const toml::node* n = t.get("timeout_s"))
    a.timeout_s = static_cast<int>(r.integer(*n, "timeout_s", 1, 3600));
  if (const toml::node* n = t.get("cache_dir")) a.cache_dir = r.path(*n, "cache_dir");
  if (const toml::node* n = t.get("holidays")) {
    for (auto& [text, where] : r.string_list(*n, "holidays")) {
      auto date = parse_date(text);
      if (!date) r.fail(where, fmt::format("'{}' is not a date (YYYY-MM-DD)", text));
      a.extra_holidays.push_back(*date);
    }
  }
}

void read_topics(const Reader& r, const toml::node& node, std::vector<Topic>& topics) {
  const toml::array* array = node.as_array();
  if (!array || !array->is_array_of_tables())
    r.fail(node.source(), "'topics' must be an array of tables ([[topics]])");
  std::set<std::string> names;
  for (const toml::node& item : *array) {
    const toml::table& t = *item.as_table();
    r.check_keys(t, "[[topics]]",
                 {"name", "query", "sort", "examples", "examples_file", "top_k", "min_score"});
    const toml::node* name = t.get("name");
    if (!name) r.fail(t.source(), "a [[topics]] entry needs a 'name'");
    Topic topic;
    topic.name = normalize_whitespace(r.non_empty_string(*name, "name"));
    if (!names.insert(topic.name).second)
      r.fail(name->source(), fmt::format("topic '{}' is defined twice", topic.name));
    if (const toml::node* q = t.get("query"))
      topic.query = normalize_whitespace(r.non_empty_string(*q, "query"));
    else
      topic.query = topic.name;
    if (const toml::node* n = t.get("sort")) {
      const std::string sort = r.string(*n, "sort");
      if (sort == "relevance")
        topic.sort = TopicSort::kRelevance;
      else if (sort != "id")
        r.fail(n->source(), fmt::format("unknown sort '{}' (valid: id, relevance)", sort));
    }
    if (const toml::node* n = t.get("examples")) {
      for (auto& [text, where] : r.string_list(*n, "examples")) {
        ArxivId id;
        std::string why;
        if (!ArxivId::try_parse(normalize_whitespace(text), id, &why))
          r.fail(where, fmt::format("'examples': '{}' is not an arXiv id ({})", text, why));
        topic.example_ids.push_back(id.str());
      }
      if (topic.example_ids.empty()) r.fail(n->source(), "'examples' must not be empty");
    }
    if (const toml::node* n = t.get("examples_file")) {
      const std::filesystem::path file = r.path(*n, "examples_file");
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file, ec))
        r.fail(n->source(), fmt::format("'examples_file': no such file '{}'", file.string()));
      topic.examples_file = file.string();
    }
    if (const toml::node* n = t.get("top_k"))
      topic.top_k = static_cast<std::size_t>(r.integer(*n, "top_k", 1, 100000));
    if (const toml::node* n = t.get("min_score")) {
      topic.min_score = r.number(*n, "min_score");
      if (*topic.min_score < 0.0 || *topic.min_score > 1.0)
        r.fail(n->source(), fmt::format("'min_score' = {} is out of range (0..1, a cosine "
                                        "similarity)", *topic.min_score));
    }
    if (!topic.by_example() && (topic.top_k || topic.min_score)) {
      const toml::node* n = t.get("top_k") ? t.get("top_k") : t.get("min_score");
      r.fail(n->source(), "'top_k' and 'min_score' apply to a topic by example: add 'examples' "
                          "(arXiv ids) or 'examples_file' (BibTeX, RIS or CSL-JSON)");
    }
    topics.push_back(std::move(topic));
  }
}

void read_output(const Reader& r, const toml::table& t, OutputConfig& o) {
  r.check_keys(t, "[output]", {"dir", "formats", "timezone", "explain"});
  if (const toml::node* n = t.get("explain")) {
    if (!n->is_boolean()) r.fail(n->source(), "'explain' must be true or false");
    o.explain = *n->value<bool>();
  }
  if (const toml::node* n = t.get("dir")) o.dir = r.path(*n, "dir");
  if (const toml::node* n = t.get("formats")) {
    o.formats.clear();
    for (auto& [name, where] : r.string_list(*n, "formats")) {
      std::string canonical = name == "md" ? "markdown" : name;
      const auto& known = known_formats();
      if (std::find(known.begin(), known.end(), canonical) == known.end())
        r.fail(where, fmt::format("unknown format '{}' (valid: {})", name, fmt::join(known, ", ")));
      if (std::find(o.formats.begin(), o.formats.end(), canonical) == o.formats.end())
        o.formats.push_back(canonical);
    }
    if (o.formats.empty()) r.fail(n->source(), "'formats' must not be empty");
  }
  if (const toml::node* n = t.get("timezone")) {
    o.timezone = r.non_empty_string(*n, "timezone");
    if (!is_known_time_zone(o.timezone))
      r.fail(n->source(), fmt::format("unknown time zone '{}' (use a tz database name such as "
                                      "'Asia/Shanghai', 'Europe/Berlin' or 'UTC')", o.timezone));
  }
}

const toml::table& as_table(const Reader& r, const toml::node& node, std::string_view name) {
  const toml::table* t = node.as_table();
  if (!t) r.fail(node.source(), fmt::format("'{}' must be a table ([{}])", name, name));
  return *t;
}

}  // namespace

const std::vector<std::string>& known_formats() {
  static const std::vector<std::string> formats = {"text", "markdown", "json"};
  return formats;
}

std::filesystem::path default_config_path() {
  return xdg_dir("XDG_CONFIG_HOME", ".config") / "arxiv-digest" / "config.toml";
}

Config parse_config(std::string_view toml_text, const std::string& name,
                    const std::filesystem::path& base_dir) {
  Reader r(name, base_dir);
  toml::table root;
  try {
    root = toml::parse(toml_text, name);
  } catch (const toml::parse_error& e) {
    r.fail(e.source(), std::string(e.description()));
  }
  Config config;
  config.arxiv.cache_dir = xdg_dir("XDG_CACHE_HOME", ".cache") / "arxiv-digest" / "http";
  config.output.dir = xdg_dir("XDG_DATA_HOME", ".local/share") / "arxiv-digest" / "digests";
  config.store.path = xdg_dir("XDG_DATA_HOME", ".local/share") / "arxiv-digest" / "archive.sqlite";

  r.check_keys(root, "the top level", {"arxiv", "topics", "output", "store", "translate"});
  if (const toml::node* n = root.get("arxiv")) read_arxiv(r, as_table(r, *n, "arxiv"), config.arxiv);
  if (const toml::node* n = root.get("topics")) read_topics(r, *n, config.topics);
  if (const toml::node* n = root.get("output"))
    read_output(r, as_table(r, *n, "output"), config.output);
  if (const toml::node* n = root.get("store")) {
    const toml::table& t = as_table(r, *n, "store");
    r.check_keys(t, "[store]", {"path"});
    if (const toml::node* p = t.get("path")) config.store.path = r.path(*p, "path");
  }

  if (const toml::node* n = root.get("translate"))
    read_translate_config(as_table(r, *n, "translate"), name, config.translate);

  if (config.arxiv.categories.empty())
    r.fail(root.source(), "[arxiv] 'categories' is required, e.g. categories = [\"cs.AI\", \"cs.LG\"]");
  if (config.topics.empty())
    r.fail(root.source(), "at least one [[topics]] entry with a 'name' is required");
  return config;
}

Config load_config(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError(fmt::format("{}: cannot read the configuration file ({})", path.string(),
                                  std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::size_t bad = 0;
  if (!is_valid_utf8(text, &bad)) {
    auto pos = position_of(text, bad);
    throw ConfigError(fmt::format("{}:{}:{}: the file is not valid UTF-8", path.string(), pos.line,
                                  pos.column));
  }
  Config config = parse_config(text, path.string(), std::filesystem::absolute(path).parent_path());
  config.file = path;
  return config;
}

}  // namespace arxiv_digest
