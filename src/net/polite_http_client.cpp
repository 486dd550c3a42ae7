#include "net/polite_http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/error.hpp"
#include "net/curl_http_client.hpp"
#include "net/http_url.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

bool is_retryable_status(long status) { return status == 429 || (status >= 500 && status <= 599); }

std::string seconds_text(milliseconds delay) {
  return fmt::format("{:.1f}", static_cast<double>(delay.count()) / 1000.0);
}

std::string transport_reason(const TransportError& error) {
  if (const auto* classified = dynamic_cast<const ClassifiedTransportError*>(&error)) {
    switch (classified->kind()) {
      case TransportErrorKind::kResolve:
        return "host not found";
      case TransportErrorKind::kConnect:
        return "connection failed";
      case TransportErrorKind::kTimeout:
        return "timed out";
      case TransportErrorKind::kTruncated:
        return "response cut short";
      case TransportErrorKind::kBadEncoding:
        return "undecodable response";
      case TransportErrorKind::kFile:
        return "file unreadable";
      case TransportErrorKind::kUnsupported:
        return "unsupported URL";
      case TransportErrorKind::kOther:
        break;
    }
  }
  return "transport error";
}

}  // namespace

RequestGate& RequestGate::process_wide() {
  static RequestGate gate;
  return gate;
}

HttpResponse RequestGate::pass(milliseconds interval, Env& env,
                               const std::function<HttpResponse()>& fetch) {
  const std::lock_guard lock(mutex_);
  if (last_finished_) {
    const auto ready = *last_finished_ + interval;
    const auto current = env.steady_now();
    if (current < ready) env.sleep_for(std::chrono::ceil<milliseconds>(ready - current));
  }
  try {
    HttpResponse response = fetch();
    last_finished_ = env.steady_now();
    return response;
  } catch (...) {
    last_finished_ = env.steady_now();
    throw;
  }
}

PoliteHttpClient::PoliteHttpClient(HttpClient& inner, PoliteHttpClientOptions options,
                                   PoliteHttpClientSeams seams)
    : inner_(inner),
      options_(std::move(options)),
      env_(seams.env != nullptr ? *seams.env : Env::system()),
      gate_(seams.gate != nullptr ? *seams.gate : RequestGate::process_wide()),
      backoff_(options_.retry) {}

bool PoliteHttpClient::is_throttled(std::string_view url) const {
  if (!http_url::is_http(url)) return false;
  const std::string host = http_url::host(url);
  return std::any_of(
      options_.throttled_hosts.begin(), options_.throttled_hosts.end(),
      [&](const std::string& domain) { return http_url::host_matches(host, domain); });
}

HttpResponse PoliteHttpClient::attempt(const HttpRequest& request, bool throttled) {
  if (!throttled) return inner_.get(request);
  return gate_.pass(options_.min_interval, env_, [&] { return inner_.get(request); });
}

void PoliteHttpClient::wait_before_retry(const std::string& url, milliseconds delay,
                                         const std::string& reason) {
  if (options_.on_retry) {
    options_.on_retry(fmt::format("retrying {} in {} s ({})", url, seconds_text(delay), reason));
  }
  if (delay > milliseconds{0}) env_.sleep_for(delay);
}

HttpResponse PoliteHttpClient::get(const HttpRequest& request) {
  if (!http_url::is_http(request.url)) return inner_.get(request);
  const bool throttled = is_throttled(request.url);
  const int attempts_allowed = backoff_.policy().max_retries + 1;
  for (int attempt_number = 1;; ++attempt_number) {
    const bool last = attempt_number >= attempts_allowed;
    HttpResponse response;
    try {
      response = attempt(request, throttled);
    } catch (const TransportError& error) {
      if (last) throw;
      wait_before_retry(request.url, backoff_.jitter(attempt_number), transport_reason(error));
      continue;
    }
    if (!is_retryable_status(response.status)) return response;

    const std::optional<RetryAfter> asked = parse_retry_after(response.header("retry-after"));
    const std::optional<milliseconds> delay =
        backoff_.wait_before(attempt_number, asked, env_.now());
    if (!delay) {
      throw HttpStatusError(
          response.status, request.url,
          fmt::format(
              "GET {} answered HTTP {} asking to retry after {} s, longer than the {} s "
              "limit (attempt {} of {}); try again later",
              request.url, response.status,
              std::chrono::ceil<std::chrono::seconds>(asked->wait(env_.now())).count(),
              std::chrono::duration_cast<std::chrono::seconds>(backoff_.policy().max_retry_after)
                  .count(),
              attempt_number, attempts_allowed));
    }
    if (last) {
      throw HttpStatusError(
          response.status, request.url,
          fmt::format("GET {} failed with HTTP {} after {} attempt{}", request.url, response.status,
                      attempt_number, attempt_number == 1 ? "" : "s"));
    }
    wait_before_retry(request.url, *delay, fmt::format("HTTP {}", response.status));
  }
}

}  // namespace arxiv_digest
