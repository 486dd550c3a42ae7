// [translate] turned into the pipeline's TranslationService: the backend chosen by `provider`
// over one HTTP poster, the engine's options, prices and fields. Composition only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/translate_config.hpp"
#include "net/http_post.hpp"
#include "pipeline/daily_run.hpp"
#include "translate/opencc_converter.hpp"
#include "translate/translator.hpp"

namespace arxiv_digest {

// Throws ConfigError (before anything is fetched) when the provider needs an API key and the
// variable named by api_key_env is unset or empty. The key itself never appears in a message.
void check_translate_config(const TranslateConfig& config);

// Owns what a TranslationService points at. Provider "none": service().translator == nullptr.
class TranslationSetup {
 public:
  // Throws ConfigError for an unusable configuration (missing key, unknown prompt version,
  // OpenCC configuration that cannot be loaded).
  TranslationSetup(const TranslateConfig& config, const std::string& user_agent);
  ~TranslationSetup();
  TranslationSetup(const TranslationSetup&) = delete;
  TranslationSetup& operator=(const TranslationSetup&) = delete;

  TranslationService service() const { return service_; }

 private:
  std::unique_ptr<CurlHttpPoster> poster_;
  std::unique_ptr<Translator> translator_;
  std::unique_ptr<OpenCcConverter> opencc_;
  TranslationService service_;
};

}  // namespace arxiv_digest
