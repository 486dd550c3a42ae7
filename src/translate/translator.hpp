// Translator: the seam behind which every translation backend sits (OpenAI-compatible chat
// completions, DeepL, LibreTranslate; tests substitute fakes).
//
// A backend translates a batch of already-masked texts (see protect.hpp) in one call; chat
// backends take one text per call (max_batch() == 1), DeepL up to 50. It returns one reply per
// text, in order, each either an answer (to be validated by the caller, answer_check.hpp) or
// flagged truncated. Whole-call failures throw TranslateError, whose kind tells the caller
// whether to retry (rate limit, server error, timeout, broken stream), stop everything (quota
// exhausted, bad credentials) or give up on this call (a bad request).
//
// Thread-safety: translate() may be called concurrently from several threads.
// Secrets: implementations never put an API key into an exception message.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/translation_cache.hpp"
#include "net/retry_policy.hpp"

namespace arxiv_digest {

// What one call sends: masked texts plus what the prompt needs.
struct TranslateCall {
  std::span<const std::string> texts;  // masked source texts
  std::string target;                  // language the backend is asked for ("zh-CN")
  int attempt = 1;                     // 1 = first try; > 1 selects the retry prompt
  std::string previous_problem;        // why the previous attempt was rejected (retry prompt)
};

struct TranslateReply {
  std::string text;        // the raw answer (unvalidated)
  bool truncated = false;  // finish_reason "length" (or equivalent)
};

struct TranslateBatchResult {
  std::vector<TranslateReply> replies;  // one per text, same order
  TokenUsage usage;
};

enum class TranslateErrorKind {
  kRateLimited,  // 429: retry after retry_after (or backoff)
  kServer,       // 5xx, 408, 409: retry with backoff
  kTransport,    // no response, timeout, connection dropped, stream cut: retry with backoff
  kBadResponse,  // 200 with an unreadable body or an error inside the stream: retry
  kQuota,        // quota / balance exhausted (DeepL 456, HTTP 402): stop, no retry
  kAuth,         // 401/403: stop, no retry
  kRequest,      // other 4xx: this call cannot succeed; no retry
};

std::string_view to_string(TranslateErrorKind kind) noexcept;

class TranslateError : public Error {
 public:
  TranslateError(std::string provider, TranslateErrorKind kind, const std::string& what,
                 std::optional<RetryAfter> retry_after = std::nullopt,
                 long status = 0)
      : Error(what),
        provider_(std::move(provider)),
        kind_(kind),
        retry_after_(retry_after),
        status_(status) {}
  const std::string& provider() const noexcept { return provider_; }
  TranslateErrorKind kind() const noexcept { return kind_; }
  bool retryable() const noexcept {
    return kind_ == TranslateErrorKind::kRateLimited || kind_ == TranslateErrorKind::kServer ||
           kind_ == TranslateErrorKind::kTransport || kind_ == TranslateErrorKind::kBadResponse;
  }
  // Stops the whole run (no further call can succeed).
  bool fatal() const noexcept {
    return kind_ == TranslateErrorKind::kQuota || kind_ == TranslateErrorKind::kAuth;
  }
  // What the server asked for in Retry-After / retry-after-ms, if anything.
  const std::optional<RetryAfter>& retry_after() const noexcept { return retry_after_; }
  long status() const noexcept { return status_; }

 private:
  std::string provider_;
  TranslateErrorKind kind_;
  std::optional<RetryAfter> retry_after_;
  long status_;
};

class Translator {
 public:
  virtual ~Translator() = default;
  // "openai", "deepl", "libretranslate": part of the cache key.
  virtual std::string_view backend() const noexcept = 0;
  // Model name (chat backends) or "" : part of the cache key.
  virtual std::string model() const = 0;
  // Texts per call (>= 1).
  virtual std::size_t max_batch() const noexcept = 0;
  // Whether the backend follows a prompt (its answers may echo it; its prompt version matters).
  virtual bool uses_prompt() const noexcept = 0;
  // Performs one call. Throws TranslateError as described above.
  virtual TranslateBatchResult translate(const TranslateCall& call) = 0;
};

}  // namespace arxiv_digest
