// PoliteHttpClient: an HttpClient decorator that follows arXiv's terms of use (PROTOCOLS.md §A1)
// and retries transient failures.
//
// Throttling. Requests to a throttled host (default: arxiv.org and every subdomain) pass through
// a RequestGate. The default gate is process-wide, shared by every PoliteHttpClient, so the rule
// holds whatever the cli composes: one throttled request at a time (the gate is held for the
// whole transfer: "a single connection at a time"), and each one starts at least `min_interval`
// after the previous throttled request *finished* (stricter than start-to-start spacing). Other
// hosts, file:// URLs and plain paths are neither throttled nor retried.
//
// Retries (http(s) only). An attempt is retried when it throws TransportError (timeout, refused,
// reset, truncated body, ...) or answers 5xx or 429. The wait before retry n (1-based) is the
// server's Retry-After when present (delta-seconds or HTTP-date), otherwise "full jitter":
// uniform in [0, min(max_delay, base_delay * 2^(n-1))]. Every other status (2xx, 3xx, 304, 4xx
// other than 429) is returned at once. After the last retry:
//   5xx / 429  -> HttpStatusError{status, url}, message naming the number of attempts;
//   transport  -> the last TransportError is rethrown unchanged.
// A Retry-After longer than `max_retry_after` is not waited for: HttpStatusError at once, saying
// how long the server asked for.
//
// Thread-safety: get() may be called from several threads at once; throttled requests are
// serialised by the gate, others run concurrently. The inner client must be safe for the same
// use. `on_retry` is called on the calling thread. The library never prints: the cli passes
// `on_retry` to show "retrying <url> in N s (HTTP 503)".
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.hpp"
#include "net/http_client.hpp"
#include "net/retry_policy.hpp"

namespace arxiv_digest {

// Serialises throttled requests and spaces them. Thread-safe.
class RequestGate {
 public:
  RequestGate() = default;
  RequestGate(const RequestGate&) = delete;
  RequestGate& operator=(const RequestGate&) = delete;

  // The gate shared by every PoliteHttpClient that is not given its own.
  static RequestGate& process_wide();

  // Waits (through `env`) until `interval` has passed since the previous request through this
  // gate finished, runs `fetch` while holding the gate, records when it finished (also when it
  // throws) and returns its result.
  HttpResponse pass(std::chrono::milliseconds interval, Env& env,
                    const std::function<HttpResponse()>& fetch);

 private:
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_finished_;
};

struct PoliteHttpClientOptions {
  // Hosts whose requests go through the gate: a host matches an entry equal to it or a parent
  // domain of it ("export.arxiv.org" matches "arxiv.org"). Tests pass {"127.0.0.1"}.
  std::vector<std::string> throttled_hosts{"arxiv.org"};
  // Minimum gap between the end of one throttled request and the start of the next (ToU: 3 s).
  std::chrono::milliseconds min_interval{3'000};
  // Retries, backoff and the longest Retry-After honoured (a longer one fails at once with
  // HttpStatusError); see net/retry_policy.hpp.
  RetryPolicy retry;
  // Called before each retry wait with "retrying <url> in N s (<reason>)". May be empty.
  std::function<void(const std::string&)> on_retry;
};

// Injectable time sources; null / empty members use the real ones.
struct PoliteHttpClientSeams {
  Env* env = nullptr;           // waits, spacing and Retry-After dates; default Env::system()
  RequestGate* gate = nullptr;  // default RequestGate::process_wide(); tests using a FakeEnv
                                // must pass their own gate
};

class PoliteHttpClient final : public HttpClient {
 public:
  // `inner` (and any seam objects) must outlive this client.
  explicit PoliteHttpClient(HttpClient& inner, PoliteHttpClientOptions options = {},
                            PoliteHttpClientSeams seams = {});

  // See the file comment for what is retried and what is thrown.
  HttpResponse get(const HttpRequest& request) override;

  // True when `url` goes through the gate under these options.
  bool is_throttled(std::string_view url) const;

 private:
  HttpResponse attempt(const HttpRequest& request, bool throttled);
  void wait_before_retry(const std::string& url, std::chrono::milliseconds delay,
                         const std::string& reason);

  HttpClient& inner_;
  PoliteHttpClientOptions options_;
  Env& env_;
  RequestGate& gate_;
  Backoff backoff_;
};

}  // namespace arxiv_digest
