// [translate]: which backend translates the selected papers, how fast, and into what.
// Plain struct with a documented default per field (README "Configuration reference").
#pragma once

#include <map>
#include <string>
#include <vector>

namespace arxiv_digest {

struct TranslateConfig {
  bool present = false;           // the file has a [translate] table
  std::string provider = "none";  // openai | deepl | libretranslate | none
  std::string base_url;           // "" = the provider's public default
  std::string model;              // required for openai
  std::string api_key_env;        // name of the environment variable holding the key
  std::string target = "zh-CN";   // zh-CN | zh-TW (zh-TW: zh-CN output converted by OpenCC)
  std::vector<std::string> fields = {"title", "abstract"};
  int concurrency = 8;             // requests in flight
  double requests_per_minute = 0;  // 0 = no limit
  double tokens_per_minute = 0;    // 0 = no limit (estimated from text length)
  int timeout_s = 120;             // per request, total
  int max_retries = 4;             // per request, on 429 / 5xx / timeouts / broken streams
  int max_attempts = 3;            // answers per text (a rejected answer is asked for again)
  double temperature = 0.2;
  int max_tokens = 4096;
  std::string max_tokens_field = "max_tokens";  // or "max_completion_tokens"
  bool stream = false;                          // SSE streaming (openai)
  std::map<std::string, std::string> headers;   // extra request headers (openai)
  std::string prompt_version = "translate-v1";
  std::string opencc_config = "s2twp.json";  // for target zh-TW
  double price_input_per_million = 0;        // currency units per 1M prompt tokens
  double price_output_per_million = 0;       // per 1M completion tokens
  double price_per_million_characters = 0;   // MT engines (DeepL)
  std::string currency = "USD";
};

}  // namespace arxiv_digest
