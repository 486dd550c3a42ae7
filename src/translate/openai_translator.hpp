// OpenAiTranslator: any OpenAI-compatible Chat Completions server (OpenAI, DeepSeek, Qwen
// compatible mode, Ollama /v1, vLLM, llama-server). PROTOCOLS.md B1/B2.
//
// One text per call: POST {base_url}/chat/completions with a system message (the prompt set's
// system prompt, or its retry prompt from attempt 2 on) and the masked text as the user message.
// Plain JSON, or SSE when `stream` (then stream_options.include_usage is requested). Reading:
//   - an "error" member (object with "message", or a string) in the body or inside any SSE event
//     of a 200 answer -> TranslateError(kBadResponse), retryable;
//   - SSE comment lines (": keep-alive") are ignored; a stream that ends before "data: [DONE]"
//     and without a finish_reason -> TranslateError(kTransport);
//   - finish_reason "length" -> the reply is flagged truncated (the caller retries it);
//   - usage (prompt_tokens, completion_tokens) is summed into the result when present.
// Non-2xx statuses map to TranslateError kinds as in backend_util (429 with Retry-After).
// The API key goes only into the Authorization header. Thread-safe if the poster is.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "net/http_post.hpp"
#include "translate/prompt.hpp"
#include "translate/translator.hpp"

namespace arxiv_digest {

struct OpenAiOptions {
  std::string base_url = "https://api.openai.com/v1";
  std::string model;    // required
  std::string api_key;  // "" = no Authorization header (local servers)
  double temperature = 0.2;
  int max_tokens = 4096;
  std::string max_tokens_field = "max_tokens";  // or "max_completion_tokens"
  bool stream = false;
  std::vector<std::pair<std::string, std::string>> extra_headers;
  std::chrono::milliseconds timeout{120'000};  // per request, total
  PromptSet prompts = builtin_prompts();
};

class OpenAiTranslator final : public Translator {
 public:
  // `poster` must outlive the translator. Throws ConfigError when model is empty.
  OpenAiTranslator(HttpPoster& poster, OpenAiOptions options);

  std::string_view backend() const noexcept override { return "openai"; }
  std::string model() const override { return options_.model; }
  std::size_t max_batch() const noexcept override { return 1; }
  bool uses_prompt() const noexcept override { return true; }
  TranslateBatchResult translate(const TranslateCall& call) override;

  // The JSON body sent for `text` (tests).
  std::string request_body(const std::string& text, const TranslateCall& call) const;

 private:
  HttpPoster& poster_;
  OpenAiOptions options_;
};

// Parses a chat completion answer (plain JSON or an SSE stream, detected from the body).
// Throws TranslateError as described above; `url` is used in messages.
TranslateBatchResult parse_chat_completion(std::string_view body, const std::string& url);

}  // namespace arxiv_digest
