#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "cli/translate_config_reader.hpp"
#include "core/error.hpp"

namespace arxiv_digest {
namespace {

bool valid_header_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-';
  });
}

}  // namespace

void read_translate_config(const TomlSection& s, TranslateConfig& c) {
  c.present = true;
  s.forbid("api_key",
           "API keys are never read from the configuration file: put the key in an environment "
           "variable and name it in 'api_key_env'");
  static constexpr std::array<std::string_view, 4> kProviders = {"openai", "deepl",
                                                                 "libretranslate", "none"};
  if (auto v = s.one_of("provider", kProviders)) c.provider = *v;
  if (auto v = s.non_empty_string("base_url")) {
    if (!v->starts_with("http://") && !v->starts_with("https://"))
      s.fail("base_url", fmt::format("'base_url' = '{}' must be an http or https URL", *v));
    c.base_url = *v;
  }
  if (auto v = s.non_empty_string("model")) c.model = *v;
  if (auto v = s.env_var_name("api_key_env")) c.api_key_env = *v;
  static constexpr std::array<std::string_view, 2> kTargets = {"zh-CN", "zh-TW"};
  if (auto v = s.one_of("target", kTargets)) c.target = *v;
  static constexpr std::array<std::string_view, 2> kFields = {"title", "abstract"};
  if (auto fields = s.one_of_list("fields", kFields)) {
    c.fields.clear();
    for (auto& f : *fields)
      if (std::find(c.fields.begin(), c.fields.end(), f) == c.fields.end()) c.fields.push_back(f);
    if (c.fields.empty()) s.fail("fields", "'fields' must not be empty (use provider = \"none\")");
  }
  if (auto v = s.integer("concurrency", 1, 64)) c.concurrency = *v;
  if (auto v = s.number("requests_per_minute", 0, 1e6)) c.requests_per_minute = *v;
  if (auto v = s.number("tokens_per_minute", 0, 1e9)) c.tokens_per_minute = *v;
  if (auto v = s.integer("timeout_s", 1, 3600)) c.timeout_s = *v;
  if (auto v = s.integer("max_retries", 0, 10)) c.max_retries = *v;
  if (auto v = s.integer("max_attempts", 1, 10)) c.max_attempts = *v;
  if (auto v = s.number("temperature", 0, 2)) c.temperature = *v;
  if (auto v = s.integer("max_tokens", 16, 1'000'000)) c.max_tokens = *v;
  static constexpr std::array<std::string_view, 2> kMaxTokensFields = {"max_tokens",
                                                                       "max_completion_tokens"};
  if (auto v = s.one_of("max_tokens_field", kMaxTokensFields)) c.max_tokens_field = *v;
  if (auto v = s.boolean("stream")) c.stream = *v;
  if (auto headers = s.string_table("headers")) {
    for (const TomlStringEntry& h : *headers) {
      if (!valid_header_name(h.key))
        s.fail(h.key_at, fmt::format("'{}' is not a header name", h.key));
      if (std::any_of(h.value.begin(), h.value.end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < 0x20; }))
        s.fail(h.value_at, fmt::format("header '{}' has a control character", h.key));
      c.headers[h.key] = h.value;
    }
  }
  if (auto v = s.non_empty_string("prompt_version")) c.prompt_version = *v;
  if (auto v = s.non_empty_string("opencc_config")) c.opencc_config = *v;
  if (auto v = s.number("price_input_per_million", 0, 1e6)) c.price_input_per_million = *v;
  if (auto v = s.number("price_output_per_million", 0, 1e6)) c.price_output_per_million = *v;
  if (auto v = s.number("price_per_million_characters", 0, 1e6))
    c.price_per_million_characters = *v;
  if (auto v = s.non_empty_string("currency")) c.currency = *v;
  s.reject_unknown_keys();

  if (c.provider == "openai" && c.model.empty())
    s.fail_here("provider \"openai\" needs a 'model' (e.g. \"deepseek-chat\", \"qwen-plus\")");
  if (c.provider == "deepl" && c.api_key_env.empty())
    s.fail_here("provider \"deepl\" needs 'api_key_env' (the variable holding your DeepL key)");
}

}  // namespace arxiv_digest
