#include "cli/translation_setup.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.hpp"
#include "translate/mt_translators.hpp"
#include "translate/openai_translator.hpp"
#include "translate/prompt.hpp"

namespace arxiv_digest {
namespace {

std::string api_key(const TranslateConfig& config) {
  if (config.api_key_env.empty()) return {};
  const char* value = std::getenv(config.api_key_env.c_str());
  return value != nullptr ? std::string(value) : std::string();
}

std::unique_ptr<Translator> make_translator(const TranslateConfig& config, HttpPoster& poster,
                                            const PromptSet& prompts) {
  const std::chrono::milliseconds timeout = std::chrono::seconds(config.timeout_s);
  if (config.provider == "openai") {
    OpenAiOptions o;
    if (!config.base_url.empty()) o.base_url = config.base_url;
    o.model = config.model;
    o.api_key = api_key(config);
    o.temperature = config.temperature;
    o.max_tokens = config.max_tokens;
    o.max_tokens_field = config.max_tokens_field;
    o.stream = config.stream;
    for (const auto& [name, value] : config.headers) o.extra_headers.emplace_back(name, value);
    o.timeout = timeout;
    o.prompts = prompts;
    return std::make_unique<OpenAiTranslator>(poster, std::move(o));
  }
  if (config.provider == "deepl") {
    DeepLOptions o;
    if (!config.base_url.empty()) o.base_url = config.base_url;
    o.api_key = api_key(config);
    o.timeout = timeout;
    return std::make_unique<DeepLTranslator>(poster, std::move(o));
  }
  LibreTranslateOptions o;
  if (!config.base_url.empty()) o.base_url = config.base_url;
  o.api_key = api_key(config);
  o.timeout = timeout;
  return std::make_unique<LibreTranslateTranslator>(poster, std::move(o));
}

}  // namespace

void check_translate_config(const TranslateConfig& config) {
  if (config.provider == "none" || config.api_key_env.empty()) return;
  if (api_key(config).empty())
    throw ConfigError(
        fmt::format("[translate] api_key_env = '{}': that environment variable is "
                    "not set (or empty); export your {} API key in it",
                    config.api_key_env, config.provider));
}

TranslationSetup::TranslationSetup(const TranslateConfig& config, const std::string& user_agent) {
  if (config.provider == "none") return;
  check_translate_config(config);
  const PromptSet prompts = builtin_prompts(config.prompt_version);
  poster_ = std::make_unique<CurlHttpPoster>(user_agent);
  translator_ = make_translator(config, *poster_, prompts);

  EngineOptions& options = service_.engine;
  options.target = config.target;
  if (config.target == "zh-TW") {
    opencc_ = std::make_unique<OpenCcConverter>(config.opencc_config);
    options.backend_target = "zh-CN";
    options.postprocess = [converter = opencc_.get()](std::string_view text) {
      return converter->convert(text);
    };
  }
  options.prompt_version = prompts.version;
  options.echo_markers = prompts.echo_markers();
  options.concurrency = static_cast<std::size_t>(config.concurrency);
  options.requests_per_minute = config.requests_per_minute;
  options.tokens_per_minute = config.tokens_per_minute;
  options.retry.max_retries = config.max_retries;
  options.max_attempts = config.max_attempts;

  service_.translator = translator_.get();
  service_.fields.clear();
  for (const std::string& field : config.fields) {
    if (field == "title") service_.fields.push_back(TranslatedField::kTitle);
    if (field == "abstract") service_.fields.push_back(TranslatedField::kAbstract);
  }
  service_.prices = {config.price_input_per_million, config.price_output_per_million,
                     config.price_per_million_characters, config.currency};
}

TranslationSetup::~TranslationSetup() = default;

}  // namespace arxiv_digest
