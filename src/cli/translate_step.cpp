#include "cli/translate_step.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "core/error.hpp"
#include "store/translation_cache.hpp"
#include "translate/http_post.hpp"
#include "translate/mt_translators.hpp"
#include "translate/openai_translator.hpp"
#include "translate/opencc_converter.hpp"
#include "translate/prompt.hpp"
#include "translate/translation_engine.hpp"

namespace arxiv_digest {
namespace {

std::string api_key(const TranslateConfig& config) {
  if (config.api_key_env.empty()) return {};
  const char* value = std::getenv(config.api_key_env.c_str());
  return value != nullptr ? std::string(value) : std::string();
}

bool wants(const TranslateConfig& config, std::string_view field) {
  for (const auto& f : config.fields)
    if (f == field) return true;
  return false;
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

TranslationRunSummary translate_digest(const TranslateConfig& config,
                                       const std::filesystem::path& archive,
                                       const std::string& user_agent, Digest& digest,
                                       const std::function<void(const std::string&)>& progress,
                                       const std::function<void(const std::string&)>& note) {
  TranslationRunSummary summary;
  if (config.provider == "none" || digest.papers.empty()) return summary;
  check_translate_config(config);
  summary.enabled = true;
  summary.currency = config.currency;

  const PromptSet prompts = builtin_prompts(config.prompt_version);
  CurlHttpPoster poster(user_agent);
  std::unique_ptr<Translator> translator = make_translator(config, poster, prompts);
  summary.backend = std::string(translator->backend());
  summary.model = translator->model();

  std::unique_ptr<TranslationCache> cache;
  const std::string archive_text = archive.string();
  if (archive_text.empty() || archive_text == ":memory:")
    cache = std::make_unique<MemoryTranslationCache>();
  else
    cache = std::make_unique<SqliteTranslationCache>(archive);

  std::optional<OpenCcConverter> opencc;
  EngineOptions options;
  options.target = config.target;
  if (config.target == "zh-TW") {
    opencc.emplace(config.opencc_config);
    options.backend_target = "zh-CN";
    options.postprocess = [&opencc](std::string_view text) { return opencc->convert(text); };
  }
  options.prompt_version = prompts.version;
  options.echo_markers = prompts.echo_markers();
  options.concurrency = static_cast<std::size_t>(config.concurrency);
  options.requests_per_minute = config.requests_per_minute;
  options.tokens_per_minute = config.tokens_per_minute;
  options.max_retries = config.max_retries;
  options.max_attempts = config.max_attempts;
  options.on_retry = note;
  options.on_progress = [&progress](const TranslateProgress& p) {
    // About ten lines per run (the console rewrites them in place on a terminal).
    const std::size_t step = std::max<std::size_t>(1, p.total / 10);
    if (progress && (p.done % step == 0 || p.done == p.total))
      progress(fmt::format("translating {}/{} ({} failed, ETA {} s)", p.done, p.total, p.failed,
                           p.eta.count()));
  };

  const bool titles = wants(config, "title");
  const bool abstracts = wants(config, "abstract");
  std::vector<TextJob> jobs;
  for (const Paper& paper : digest.papers) {
    if (titles) jobs.push_back({paper.title, "title"});
    if (abstracts) jobs.push_back({paper.abstract, "abstract"});
  }
  const TranslateReport report = translate_texts(jobs, *translator, cache.get(), options);

  digest.translations.assign(digest.papers.size(), std::nullopt);
  std::size_t job = 0;
  for (std::size_t i = 0; i < digest.papers.size(); ++i) {
    PaperTranslation translation;
    auto take = [&](std::string& text, std::string& failure) {
      const TextOutcome& outcome = report.outcomes[job++];
      ++summary.texts;
      if (outcome.translation) {
        text = *outcome.translation;
      } else {
        failure = outcome.failure.empty() ? "not translated" : outcome.failure;
        ++summary.failed;
      }
    };
    if (titles) take(translation.title, translation.title_failure);
    if (abstracts) take(translation.abstract, translation.abstract_failure);
    digest.translations[i] = std::move(translation);
  }
  const TranslateStats& stats = report.stats;
  summary.from_cache = stats.cache_hits;
  summary.translated = stats.translated;
  summary.requests = stats.requests;
  summary.retries = stats.retries;
  summary.rejected = stats.rejected;
  summary.prompt_tokens = stats.usage.prompt_tokens;
  summary.completion_tokens = stats.usage.completion_tokens;
  summary.characters = stats.usage.characters;
  if (config.price_input_per_million > 0 || config.price_output_per_million > 0 ||
      config.price_per_million_characters > 0) {
    summary.cost =
        (static_cast<double>(stats.usage.prompt_tokens) * config.price_input_per_million +
         static_cast<double>(stats.usage.completion_tokens) * config.price_output_per_million +
         static_cast<double>(stats.usage.characters) * config.price_per_million_characters) /
        1e6;
  }
  return summary;
}

std::string describe(const TranslationRunSummary& s) {
  std::string line = fmt::format(
      "translation ({}{}): {} field(s), {} from the cache, {} translated, {} failed; {} "
      "request(s), "
      "{} retried, {} answer(s) rejected",
      s.backend, s.model.empty() ? "" : " " + s.model, s.texts, s.from_cache, s.translated,
      s.failed, s.requests, s.retries, s.rejected);
  if (s.prompt_tokens > 0 || s.completion_tokens > 0)
    line += fmt::format("; {} prompt + {} completion tokens", s.prompt_tokens, s.completion_tokens);
  else if (s.characters > 0)
    line += fmt::format("; {} characters", s.characters);
  if (s.cost) line += fmt::format("; cost {:.4f} {}", *s.cost, s.currency);
  return line;
}

}  // namespace arxiv_digest
