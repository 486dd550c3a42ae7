// Machine-translation engines with native batching: DeepL API v2 and LibreTranslate
// (PROTOCOLS.md B3, B4). Neither follows a prompt; both get the masked text (tokens "{M1}").
//
// DeepLTranslator: POST {base_url}/v2/translate, JSON {"text":[…≤50], "source_lang":"EN",
// "target_lang":"ZH-HANS"}, header "Authorization: DeepL-Auth-Key <key>"; answer
// {"translations":[{"text":…}]}. 456 (quota exceeded) -> TranslateError(kQuota): the engine
// stops and never retries it; 429/5xx retryable.
//
// LibreTranslateTranslator: POST {base_url}/translate, JSON {"q":[…], "source":"en",
// "target":"zh-Hans", "format":"text"} (+ "api_key" when set); answer {"translatedText":[…]}
// (or a string for one text); errors {"error":"…"}.
//
// Both are thread-safe if the poster is. API keys never appear in messages.
#pragma once

#include <chrono>
#include <string>

#include "net/http_post.hpp"
#include "translate/translator.hpp"

namespace arxiv_digest {

struct DeepLOptions {
  std::string base_url = "https://api-free.deepl.com";
  std::string api_key;  // required
  std::size_t max_batch = 50;
  std::chrono::milliseconds timeout{120'000};
};

class DeepLTranslator final : public Translator {
 public:
  // Throws ConfigError when the key is empty or max_batch is not 1..50.
  DeepLTranslator(HttpPoster& poster, DeepLOptions options);
  std::string_view backend() const noexcept override { return "deepl"; }
  std::string model() const override { return ""; }
  std::size_t max_batch() const noexcept override { return options_.max_batch; }
  bool uses_prompt() const noexcept override { return false; }
  TranslateBatchResult translate(const TranslateCall& call) override;

 private:
  HttpPoster& poster_;
  DeepLOptions options_;
};

struct LibreTranslateOptions {
  std::string base_url = "http://127.0.0.1:5000";
  std::string api_key;      // optional
  std::string target_code;  // "" = derived from the call's target ("zh-CN" -> "zh-Hans")
  std::size_t max_batch = 25;
  std::chrono::milliseconds timeout{120'000};
};

class LibreTranslateTranslator final : public Translator {
 public:
  LibreTranslateTranslator(HttpPoster& poster, LibreTranslateOptions options);
  std::string_view backend() const noexcept override { return "libretranslate"; }
  std::string model() const override { return ""; }
  std::size_t max_batch() const noexcept override { return options_.max_batch; }
  bool uses_prompt() const noexcept override { return false; }
  TranslateBatchResult translate(const TranslateCall& call) override;

 private:
  HttpPoster& poster_;
  LibreTranslateOptions options_;
};

// "zh-CN" -> "ZH-HANS", "zh-TW" -> "ZH-HANT", otherwise upper-cased.
std::string deepl_target(std::string_view target);

}  // namespace arxiv_digest
