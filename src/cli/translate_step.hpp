// The translate step of `arxiv-digest run`: composes the configured backend, the archive's
// translation cache and the engine, and fills Digest::translations for the selected papers.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "cli/translate_config.hpp"
#include "core/topic.hpp"

namespace arxiv_digest {

struct TranslationRunSummary {
  bool enabled = false;
  std::string backend;  // "openai", "deepl", "libretranslate"
  std::string model;
  std::size_t texts = 0;  // fields asked for (papers x fields)
  std::size_t from_cache = 0;
  std::size_t translated = 0;  // accepted from the backend this run
  std::size_t failed = 0;      // fields that failed (shown as markers)
  std::size_t requests = 0;
  std::size_t retries = 0;
  std::size_t rejected = 0;  // answers rejected by validation
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long characters = 0;
  std::optional<double> cost;  // when prices are configured
  std::string currency;
};

// Throws ConfigError (before anything is fetched) when the provider needs an API key and the
// variable named by api_key_env is unset or empty. The key itself never appears in a message.
void check_translate_config(const TranslateConfig& config);

// Translates the selected papers' configured fields into digest.translations (parallel to
// digest.papers). Provider "none": leaves the digest untouched, returns enabled = false.
// `archive` is the SQLite archive holding the cache (":memory:" = a cache for this run only).
// `progress` receives "translating n/N (f failed, ETA s)" lines, `note` retry messages.
// Throws ConfigError for an unusable configuration, StoreError when the cache fails.
TranslationRunSummary translate_digest(const TranslateConfig& config,
                                       const std::filesystem::path& archive,
                                       const std::string& user_agent, Digest& digest,
                                       const std::function<void(const std::string&)>& progress,
                                       const std::function<void(const std::string&)>& note);

// One line for the run summary: "translation (openai deepseek-chat): 58 fields, 40 cached, 16
// translated, 2 failed; 16 requests, 1 retry; 12345 prompt + 6789 completion tokens; cost 0.0123
// USD".
std::string describe(const TranslationRunSummary& summary);

}  // namespace arxiv_digest
