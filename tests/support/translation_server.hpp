// TranslationServer: a local fake of the translation backends (cpp-httplib on 127.0.0.1) speaking
// their real wire protocols, for tests, the end-to-end run and the concurrency benchmark.
//
//   POST /v1/chat/completions  OpenAI-compatible: JSON {"model","messages",...}; answers a chat
//                              completion (choices[0].message.content, finish_reason, usage) or,
//                              when the request says "stream": true, SSE: ": keep-alive", content
//                              deltas in several "data:" events, a usage chunk with empty choices,
//                              "data: [DONE]".
//   POST /v2/translate         DeepL v2: {"text":[...],"target_lang"} -> {"translations":[{"text",
//                              "detected_source_language","billed_characters"}]}; > 50 texts: 413.
//   POST /translate            LibreTranslate: {"q":[...]|"...","target"} -> {"translatedText"}.
//
// Answers come from a reference table English -> Chinese (default: tests/data/translate/
// seed_translations.jsonl, the seed's 30 titles and abstracts): the request's masked text is
// matched against the masked English, and the Chinese is sent back with the same tokens in place
// of the protected spans. Unknown texts get "【译文】" + the text (valid, recognisably fake).
//
// Faults are queued FIFO and each consumed by the next request (any endpoint). Every request is
// counted per masked text, and the highest number of requests in flight at once is recorded.
// All member functions are thread-safe. The destructor wakes stalled handlers and joins.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace arxiv_digest::testing {

enum class TranslationFault {
  kNone,             // a normal answer (to place a later fault in the queue)
  kRateLimit,        // 429 with Retry-After: <retry_after_s>
  kServerError,      // 500 with an error body
  kStall,            // holds the connection for <stall> before answering normally
  kInvalidJson,      // 200 with a body that is not JSON
  kDropPlaceholder,  // the answer lacks its first token (or is cut in half when it has none)
  kDuplicatePlaceholder,
  kCommentary,     // "以下是翻译：\n" + the answer
  kThink,          // "<think>…</think>" + the answer
  kEcho,           // the system prompt + the answer
  kLength,         // half the answer with finish_reason "length"
  kEmpty,          // an empty answer
  kEnglish,        // the source text sent back unchanged
  kErrorInStream,  // 200 SSE stream with data: {"error":{...}} (plain JSON error for non-stream)
  kQuota,          // 456 (DeepL) / 402 (OpenAI-compatible) / 403 (LibreTranslate)
  kUnauthorized,   // 401 with the provider's "invalid API key" error body (a rejected key)
};

struct TranslationServerOptions {
  std::chrono::milliseconds delay{0};       // before every answer
  std::chrono::milliseconds stall{10'000};  // how long kStall holds the connection
  int retry_after_s = 1;
  std::size_t threads = 64;  // server worker threads
};

class TranslationServer {
 public:
  explicit TranslationServer(TranslationServerOptions options = {});
  ~TranslationServer();
  TranslationServer(const TranslationServer&) = delete;
  TranslationServer& operator=(const TranslationServer&) = delete;

  std::string base_url() const;  // "http://127.0.0.1:<port>"

  // Adds reference pairs (English source -> Chinese with the same protected spans).
  void add_reference(const std::string& english, const std::string& chinese);
  // The Chinese the server would send for `english` after restoration (reference or fake).
  std::string expected_translation(const std::string& english) const;

  void inject(TranslationFault fault, std::size_t times = 1);
  std::size_t pending_faults() const;

  std::size_t request_count() const;   // HTTP requests received
  std::size_t texts_received() const;  // texts over all requests
  std::size_t max_in_flight() const;
  // How many times each masked text was received.
  std::map<std::string, std::size_t> text_counts() const;
  // Raw bodies and the value of the authorization-like headers, in arrival order.
  std::vector<std::string> bodies() const;
  std::vector<std::string> auth_headers() const;
  void clear_records();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The reference translations of tests/data/translate/seed_translations.jsonl.
struct SeedTranslation {
  std::string id, title, title_zh, abstract, abstract_zh;
};
std::vector<SeedTranslation> load_seed_translations();

}  // namespace arxiv_digest::testing
