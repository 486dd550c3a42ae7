// RetryPolicy: the one retry rule of every HTTP client of arxiv-digest (arXiv fetches through
// PoliteHttpClient, translation calls through the translation engine; SMTP and webhooks next).
//
// A failed attempt (no response, 5xx, 429, or whatever the caller classes as transient) is
// retried at most `max_retries` times. The wait before retry n (1-based) is what the server asked
// for in Retry-After (delta-seconds, an HTTP-date, or the non-standard retry-after-ms some LLM
// gateways send), otherwise "full jitter": uniform in [0, min(max_delay, base_delay * 2^(n-1))].
// A server asking for more than `max_retry_after` is not waited for: the caller fails at once and
// says how long it was asked to wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>

namespace arxiv_digest {

struct RetryPolicy {
  // Retries after the first attempt (so at most max_retries + 1 attempts). 0 = none.
  int max_retries = 4;
  std::chrono::milliseconds base_delay{2'000};
  std::chrono::milliseconds max_delay{60'000};
  // The longest Retry-After waited for.
  std::chrono::milliseconds max_retry_after{120'000};
  // Seed for the jitter; 0 = from std::random_device.
  std::uint64_t jitter_seed = 0;
};

// A parsed Retry-After: either a delay or an instant. Parsing needs no clock; wait() does.
struct RetryAfter {
  std::optional<std::chrono::milliseconds> delay;
  std::optional<std::chrono::sys_seconds> until;

  // How long to wait from `now` (an instant in the past gives 0).
  std::chrono::milliseconds wait(std::chrono::sys_seconds now) const;
};

// Parses a Retry-After header value: delta-seconds ("120") or an HTTP-date in any of RFC 9110's
// three forms (IMF-fixdate, RFC 850, asctime; GMT). nullopt when absent or unparsable.
std::optional<RetryAfter> parse_retry_after(std::string_view value);

// Retry-After as above, or else retry-after-ms (milliseconds); nullopt when neither is usable.
std::optional<RetryAfter> parse_retry_after(std::string_view retry_after,
                                            std::string_view retry_after_ms);

// The same value resolved against `now`, in seconds (rounded up).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::sys_seconds now);

// Applies a RetryPolicy. Thread-safe (the jitter generator is guarded).
class Backoff {
 public:
  explicit Backoff(RetryPolicy policy);

  const RetryPolicy& policy() const noexcept { return policy_; }

  // True when retry number `retry` (1-based) is still allowed.
  bool allows(int retry) const noexcept { return retry <= policy_.max_retries; }

  // The full-jitter wait before retry `retry` (1-based).
  std::chrono::milliseconds jitter(int retry);

  // The wait before retry `retry`: the server's Retry-After resolved at `now` when given,
  // otherwise jitter(retry). nullopt when the server asked for longer than max_retry_after.
  std::optional<std::chrono::milliseconds> wait_before(int retry,
                                                       const std::optional<RetryAfter>& asked,
                                                       std::chrono::sys_seconds now);

 private:
  RetryPolicy policy_;
  std::mutex mutex_;
  std::mt19937_64 random_;
};

}  // namespace arxiv_digest
