#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "cli/translate_config_reader.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace arxiv_digest {
namespace {

constexpr std::array<std::string_view, 24> kKeys = {"provider",
                                                    "base_url",
                                                    "model",
                                                    "api_key_env",
                                                    "target",
                                                    "fields",
                                                    "concurrency",
                                                    "requests_per_minute",
                                                    "tokens_per_minute",
                                                    "timeout_s",
                                                    "max_retries",
                                                    "max_attempts",
                                                    "temperature",
                                                    "max_tokens",
                                                    "max_tokens_field",
                                                    "stream",
                                                    "headers",
                                                    "prompt_version",
                                                    "opencc_config",
                                                    "price_input_per_million",
                                                    "price_output_per_million",
                                                    "price_per_million_characters",
                                                    "currency",
                                                    "api_key"};

class TableReader {
 public:
  explicit TableReader(const std::string& name) : name_(name) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& message) const {
    if (where.begin.line > 0)
      throw ConfigError(fmt::format("{}:{}:{}: [translate] {}", name_, where.begin.line,
                                    where.begin.column, message));
    throw ConfigError(fmt::format("{}: [translate] {}", name_, message));
  }
  std::string string(const toml::node& node, std::string_view key) const {
    if (!node.is_string()) fail(node.source(), fmt::format("'{}' must be a string", key));
    return *node.value<std::string>();
  }
  std::string non_empty(const toml::node& node, std::string_view key) const {
    std::string s = string(node, key);
    if (normalize_whitespace(s).empty())
      fail(node.source(), fmt::format("'{}' must not be empty", key));
    return s;
  }
  std::int64_t integer(const toml::node& node, std::string_view key, std::int64_t min,
                       std::int64_t max) const {
    if (!node.is_integer()) fail(node.source(), fmt::format("'{}' must be an integer", key));
    const auto v = *node.value<std::int64_t>();
    if (v < min || v > max)
      fail(node.source(), fmt::format("'{}' = {} is out of range ({}..{})", key, v, min, max));
    return v;
  }
  double number(const toml::node& node, std::string_view key, double min, double max) const {
    if (!node.is_number()) fail(node.source(), fmt::format("'{}' must be a number", key));
    const double v = *node.value<double>();
    if (v < min || v > max)
      fail(node.source(), fmt::format("'{}' = {} is out of range ({}..{})", key, v, min, max));
    return v;
  }
  template <std::size_t N>
  std::string one_of(const toml::node& node, std::string_view key,
                     const std::array<std::string_view, N>& allowed) const {
    std::string s = string(node, key);
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
      fail(node.source(),
           fmt::format("'{}' = '{}' is not one of: {}", key, s, fmt::join(allowed, ", ")));
    return s;
  }

 private:
  const std::string& name_;
};

bool valid_env_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

void read_translate_config(const toml::table& t, const std::string& name, TranslateConfig& c) {
  const TableReader r(name);
  c.present = true;
  for (auto&& [key, value] : t) {
    if (std::find(kKeys.begin(), kKeys.end(), key.str()) != kKeys.end()) continue;
    std::string_view best;
    std::size_t best_distance = 3;
    for (auto candidate : kKeys) {
      const std::size_t d = edit_distance(key.str(), candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    }
    r.fail(key.source(),
           best.empty() ? fmt::format("unknown key '{}' (valid keys: {})", key.str(),
                                      fmt::join(kKeys.begin(), kKeys.end() - 1, ", "))
                        : fmt::format("unknown key '{}'; did you mean '{}'?", key.str(), best));
  }
  if (const toml::node* n = t.get("api_key"))
    r.fail(n->source(),
           "API keys are never read from the configuration file: put the key in an "
           "environment variable and name it in 'api_key_env'");
  if (const toml::node* n = t.get("provider"))
    c.provider =
        r.one_of(*n, "provider",
                 std::array<std::string_view, 4>{"openai", "deepl", "libretranslate", "none"});
  if (const toml::node* n = t.get("base_url")) {
    c.base_url = r.non_empty(*n, "base_url");
    if (!c.base_url.starts_with("http://") && !c.base_url.starts_with("https://"))
      r.fail(n->source(),
             fmt::format("'base_url' = '{}' must be an http or https URL", c.base_url));
  }
  if (const toml::node* n = t.get("model")) c.model = r.non_empty(*n, "model");
  if (const toml::node* n = t.get("api_key_env")) {
    c.api_key_env = r.non_empty(*n, "api_key_env");
    if (!valid_env_name(c.api_key_env))
      r.fail(n->source(), fmt::format("'api_key_env' = '{}' is not an environment variable name "
                                      "(the variable's name, not the key itself)",
                                      c.api_key_env));
  }
  if (const toml::node* n = t.get("target"))
    c.target = r.one_of(*n, "target", std::array<std::string_view, 2>{"zh-CN", "zh-TW"});
  if (const toml::node* n = t.get("fields")) {
    const toml::array* array = n->as_array();
    if (array == nullptr) r.fail(n->source(), "'fields' must be an array of strings");
    c.fields.clear();
    for (const toml::node& item : *array) {
      std::string f =
          r.one_of(item, "fields", std::array<std::string_view, 2>{"title", "abstract"});
      if (std::find(c.fields.begin(), c.fields.end(), f) == c.fields.end()) c.fields.push_back(f);
    }
    if (c.fields.empty())
      r.fail(n->source(), "'fields' must not be empty (use provider = \"none\")");
  }
  if (const toml::node* n = t.get("concurrency"))
    c.concurrency = static_cast<int>(r.integer(*n, "concurrency", 1, 64));
  if (const toml::node* n = t.get("requests_per_minute"))
    c.requests_per_minute = r.number(*n, "requests_per_minute", 0, 1e6);
  if (const toml::node* n = t.get("tokens_per_minute"))
    c.tokens_per_minute = r.number(*n, "tokens_per_minute", 0, 1e9);
  if (const toml::node* n = t.get("timeout_s"))
    c.timeout_s = static_cast<int>(r.integer(*n, "timeout_s", 1, 3600));
  if (const toml::node* n = t.get("max_retries"))
    c.max_retries = static_cast<int>(r.integer(*n, "max_retries", 0, 10));
  if (const toml::node* n = t.get("max_attempts"))
    c.max_attempts = static_cast<int>(r.integer(*n, "max_attempts", 1, 10));
  if (const toml::node* n = t.get("temperature")) c.temperature = r.number(*n, "temperature", 0, 2);
  if (const toml::node* n = t.get("max_tokens"))
    c.max_tokens = static_cast<int>(r.integer(*n, "max_tokens", 16, 1'000'000));
  if (const toml::node* n = t.get("max_tokens_field"))
    c.max_tokens_field =
        r.one_of(*n, "max_tokens_field",
                 std::array<std::string_view, 2>{"max_tokens", "max_completion_tokens"});
  if (const toml::node* n = t.get("stream")) {
    if (!n->is_boolean()) r.fail(n->source(), "'stream' must be true or false");
    c.stream = *n->value<bool>();
  }
  if (const toml::node* n = t.get("headers")) {
    const toml::table* headers = n->as_table();
    if (headers == nullptr) r.fail(n->source(), "'headers' must be a table of strings");
    for (auto&& [key, value] : *headers) {
      const std::string header(key.str());
      const bool ok = !header.empty() && std::all_of(header.begin(), header.end(), [](char ch) {
        return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
               ch == '-';
      });
      if (!ok) r.fail(key.source(), fmt::format("'{}' is not a header name", header));
      const std::string v = r.string(value, header);
      if (std::any_of(v.begin(), v.end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < 0x20; }))
        r.fail(value.source(), fmt::format("header '{}' has a control character", header));
      c.headers[header] = v;
    }
  }
  if (const toml::node* n = t.get("prompt_version"))
    c.prompt_version = r.non_empty(*n, "prompt_version");
  if (const toml::node* n = t.get("opencc_config"))
    c.opencc_config = r.non_empty(*n, "opencc_config");
  if (const toml::node* n = t.get("price_input_per_million"))
    c.price_input_per_million = r.number(*n, "price_input_per_million", 0, 1e6);
  if (const toml::node* n = t.get("price_output_per_million"))
    c.price_output_per_million = r.number(*n, "price_output_per_million", 0, 1e6);
  if (const toml::node* n = t.get("price_per_million_characters"))
    c.price_per_million_characters = r.number(*n, "price_per_million_characters", 0, 1e6);
  if (const toml::node* n = t.get("currency")) c.currency = r.non_empty(*n, "currency");

  if (c.provider == "openai" && c.model.empty())
    r.fail(t.source(),
           "provider \"openai\" needs a 'model' (e.g. \"deepseek-chat\", \"qwen-plus\")");
  if (c.provider == "deepl" && c.api_key_env.empty())
    r.fail(t.source(),
           "provider \"deepl\" needs 'api_key_env' (the variable holding your DeepL key)");
}

}  // namespace arxiv_digest
