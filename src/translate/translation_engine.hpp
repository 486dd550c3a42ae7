// translate_texts(): the faithful, cheap and fast path from English texts to accepted
// translations, over any Translator.
//
// For every job (a text and its field):
//   1. identical (field, text) jobs are merged: each distinct text is translated once;
//   2. the cache is asked first (key: sha256(text), field, target, backend, model, prompt
//      version); a hit costs nothing;
//   3. the text is masked (protect.hpp); a text with nothing translatable left is its own
//      translation and is not sent;
//   4. the rest go out in batches of translator.max_batch(), `concurrency` calls in flight
//      (a worker pool), each call first passing the requests/min and tokens/min buckets;
//   5. a call failing with a retryable TranslateError (429, 5xx, timeout, broken stream, error
//      inside a 200) is retried up to `max_retries` times, waiting Retry-After when the server
//      sent one, otherwise full-jitter exponential backoff (uniform in [0, min(max_delay,
//      base_delay * 2^(n-1))]); a Retry-After beyond `max_retry_after` is not waited for;
//   6. every answer is validated (answer_check.hpp; finish_reason "length" counts as a
//      rejection); a rejected text is sent again with the retry prompt, up to `max_attempts`
//      attempts in all;
//   7. an accepted answer is restored, post-processed (e.g. OpenCC) and stored in the cache at
//      once (a killed run keeps what it paid for);
//   8. what still fails is reported with its reason, never replaced by the English text, and
//      never cached (the next run tries again). A fatal error (quota exhausted, bad credentials)
//      stops all further calls: the remaining texts fail with that reason.
// The function never throws for translation failures (they are outcomes); it throws only what
// the cache throws (StoreError). Callbacks run on worker threads, serialised by the engine.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/env.hpp"
#include "net/retry_policy.hpp"
#include "translate/rate_limiter.hpp"
#include "core/translation_cache.hpp"
#include "translate/translator.hpp"

namespace arxiv_digest {

struct TextJob {
  std::string text;   // English source (title or abstract)
  std::string field;  // "title" | "abstract"
};

struct TextOutcome {
  std::optional<std::string> translation;  // accepted translation; nullopt = failed
  std::string failure;                     // why (when failed)
  bool from_cache = false;
  int attempts = 0;  // answers requested for this text
};

struct TranslateProgress {
  std::size_t done = 0;   // texts finished (accepted or failed) of those needing a request
  std::size_t total = 0;  // texts needing a request
  std::size_t failed = 0;
  std::chrono::seconds eta{0};
};

struct TranslateStats {
  std::size_t jobs = 0;
  std::size_t distinct = 0;  // distinct (field, text) pairs
  std::size_t cache_hits = 0;
  std::size_t translated = 0;  // accepted from the backend this run
  std::size_t failed = 0;      // distinct texts that failed
  std::size_t requests = 0;    // calls made to the backend (HTTP requests)
  std::size_t retries = 0;     // calls repeated after a retryable error
  std::size_t rejected = 0;    // answers rejected by validation
  TokenUsage usage;
};

struct EngineOptions {
  std::string target = "zh-CN";  // the language of the results (cache key)
  std::string backend_target;    // what the backend is asked for and validated against; "" = target
  std::string prompt_version;    // cache key part when the translator uses a prompt
  std::vector<std::string> echo_markers;  // PromptSet::echo_markers() when it uses a prompt
  std::size_t concurrency = 8;
  double requests_per_minute = 0;  // 0 = unlimited
  double tokens_per_minute = 0;    // 0 = unlimited; estimated as bytes / 3 + 300 per request
  // Per call, for retryable errors (net/retry_policy.hpp; the same rule as arXiv fetches).
  RetryPolicy retry{4, std::chrono::milliseconds{1000}, std::chrono::milliseconds{30'000},
                    std::chrono::milliseconds{300'000}, 0};
  int max_attempts = 3;  // answers per text (first + retries with the retry prompt)
  Env* env = nullptr;    // waits, rate buckets, ETAs, Retry-After dates; default Env::system()
  std::function<std::string(std::string_view)> postprocess;  // applied to accepted text
  std::function<void(const TranslateProgress&)> on_progress;
  std::function<void(const std::string&)> on_retry;  // "openai: HTTP 429, retrying in 2 s"
};

struct TranslateReport {
  std::vector<TextOutcome> outcomes;  // parallel to the jobs
  TranslateStats stats;
  // Set when a fatal error (kQuota: quota or balance exhausted; kAuth: the key was rejected,
  // HTTP 401/403) stopped every further call; the texts not translated by then failed with it.
  std::optional<TranslateErrorKind> stopped_by;
  std::string stop_reason;
};

TranslateReport translate_texts(const std::vector<TextJob>& jobs, Translator& translator,
                                TranslationCache* cache, const EngineOptions& options);

}  // namespace arxiv_digest
