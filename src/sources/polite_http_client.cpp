#include "sources/polite_http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <thread>

#include "core/error.hpp"
#include "sources/curl_http_client.hpp"
#include "sources/http_url.hpp"

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

std::optional<unsigned> parse_number(std::string_view token) {
  unsigned value = 0;
  const auto* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value);
  if (ec != std::errc() || ptr != end || token.empty()) return std::nullopt;
  return value;
}

std::optional<unsigned> parse_month(std::string_view token) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() != 3) return std::nullopt;
  std::string lower(token);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i]) return static_cast<unsigned>(i + 1);
  }
  return std::nullopt;
}

// HTTP-date in any of the three forms of RFC 9110 §5.6.7; GMT assumed.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == ',' || text[i] == '-') {
      if (i > start) tokens.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  std::optional<unsigned> month;
  std::optional<std::array<unsigned, 3>> clock;
  std::vector<std::string_view> numbers;
  for (const std::string_view token : tokens) {
    if (const auto m = parse_month(token)) {
      month = m;
    } else if (token.find(':') != std::string_view::npos) {
      if (token.size() != 8 || token[2] != ':' || token[5] != ':') return std::nullopt;
      const auto h = parse_number(token.substr(0, 2));
      const auto mi = parse_number(token.substr(3, 2));
      const auto s = parse_number(token.substr(6, 2));
      if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
      clock = std::array<unsigned, 3>{*h, *mi, *s};
    } else if (parse_number(token)) {
      numbers.push_back(token);
    }
  }
  if (!month || !clock || numbers.size() != 2) return std::nullopt;
  const unsigned day = *parse_number(numbers[0]);
  unsigned year = *parse_number(numbers[1]);
  if (numbers[1].size() == 2) {
    year += year >= 70 ? 1900 : 2000;
  } else if (numbers[1].size() != 4) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(year)},
                                         std::chrono::month{*month}, std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date} + std::chrono::hours{(*clock)[0]} +
         std::chrono::minutes{(*clock)[1]} + std::chrono::seconds{(*clock)[2]};
}

}  // namespace

void RealSleeper::sleep_for(milliseconds duration) { std::this_thread::sleep_for(duration); }

RealSleeper& RealSleeper::instance() {
  static RealSleeper sleeper;
  return sleeper;
}

RequestGate& RequestGate::process_wide() {
  static RequestGate gate;
  return gate;
}

HttpResponse RequestGate::pass(milliseconds interval, Sleeper& sleeper, const SteadyNow& now,
                               const std::function<HttpResponse()>& fetch) {
  const std::lock_guard lock(mutex_);
  if (last_finished_) {
    const auto ready = *last_finished_ + interval;
    const auto current = now();
    if (current < ready) sleeper.sleep_for(std::chrono::ceil<milliseconds>(ready - current));
  }
  try {
    HttpResponse response = fetch();
    last_finished_ = now();
    return response;
  } catch (...) {
    last_finished_ = now();
    throw;
  }
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::sys_seconds now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(),
                  [](unsigned char c) { return std::isdigit(c) != 0; })) {
    if (value.size() > 9) return std::chrono::seconds{999'999'999};  // absurdly long: saturate
    return std::chrono::seconds{*parse_number(value)};
  }
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  return *date > now ? *date - now : std::chrono::seconds{0};
}

namespace {
const SystemClock kSystemClock;
}  // namespace

PoliteHttpClient::PoliteHttpClient(HttpClient& inner, PoliteHttpClientOptions options,
                                   PoliteHttpClientSeams seams)
    : inner_(inner),
      options_(std::move(options)),
      sleeper_(seams.sleeper != nullptr ? *seams.sleeper : RealSleeper::instance()),
      steady_now_(seams.steady_now ? std::move(seams.steady_now)
                                   : SteadyNow([] { return std::chrono::steady_clock::now(); })),
      wall_clock_(seams.wall_clock != nullptr ? *seams.wall_clock : kSystemClock),
      gate_(seams.gate != nullptr ? *seams.gate : RequestGate::process_wide()),
      random_(options_.jitter_seed != 0 ? options_.jitter_seed : std::random_device{}()) {
  options_.max_retries = std::max(options_.max_retries, 0);
}

bool PoliteHttpClient::is_throttled(std::string_view url) const {
  if (!http_url::is_http(url)) return false;
  const std::string host = http_url::host(url);
  return std::any_of(
      options_.throttled_hosts.begin(), options_.throttled_hosts.end(),
      [&](const std::string& domain) { return http_url::host_matches(host, domain); });
}

HttpResponse PoliteHttpClient::attempt(const HttpRequest& request, bool throttled) {
  if (!throttled) return inner_.get(request);
  return gate_.pass(options_.min_interval, sleeper_, steady_now_,
                    [&] { return inner_.get(request); });
}

milliseconds PoliteHttpClient::backoff(int retry) {
  // base * 2^(retry-1), computed without overflow, then capped.
  milliseconds cap = std::max(options_.base_delay, milliseconds{0});
  for (int i = 1; i < retry && cap < options_.max_delay; ++i) cap *= 2;
  cap = std::min(cap, options_.max_delay);
  if (cap <= milliseconds{0}) return milliseconds{0};
  const std::lock_guard lock(random_mutex_);
  std::uniform_int_distribution<milliseconds::rep> pick(0, cap.count());
  return milliseconds{pick(random_)};
}

void PoliteHttpClient::wait_before_retry(const std::string& url, milliseconds delay,
                                         const std::string& reason) {
  if (options_.on_retry) {
    options_.on_retry(fmt::format("retrying {} in {} s ({})", url, seconds_text(delay), reason));
  }
  if (delay > milliseconds{0}) sleeper_.sleep_for(delay);
}

HttpResponse PoliteHttpClient::get(const HttpRequest& request) {
  if (!http_url::is_http(request.url)) return inner_.get(request);
  const bool throttled = is_throttled(request.url);
  const int attempts_allowed = options_.max_retries + 1;
  for (int attempt_number = 1;; ++attempt_number) {
    const bool last = attempt_number >= attempts_allowed;
    HttpResponse response;
    try {
      response = attempt(request, throttled);
    } catch (const TransportError& error) {
      if (last) throw;
      wait_before_retry(request.url, backoff(attempt_number), transport_reason(error));
      continue;
    }
    if (!is_retryable_status(response.status)) return response;

    std::optional<std::chrono::seconds> retry_after;
    if (const std::string value = response.header("retry-after"); !value.empty()) {
      retry_after = parse_retry_after(value, wall_clock_.now());
    }
    if (retry_after && *retry_after > options_.max_retry_after) {
      throw HttpStatusError(
          response.status, request.url,
          fmt::format(
              "GET {} answered HTTP {} asking to retry after {} s, longer than the {} s "
              "limit (attempt {} of {}); try again later",
              request.url, response.status, retry_after->count(),
              std::chrono::duration_cast<std::chrono::seconds>(options_.max_retry_after).count(),
              attempt_number, attempts_allowed));
    }
    if (last) {
      throw HttpStatusError(
          response.status, request.url,
          fmt::format("GET {} failed with HTTP {} after {} attempt{}", request.url, response.status,
                      attempt_number, attempt_number == 1 ? "" : "s"));
    }
    const milliseconds delay = retry_after ? milliseconds{*retry_after} : backoff(attempt_number);
    wait_before_retry(request.url, delay, fmt::format("HTTP {}", response.status));
  }
}

}  // namespace arxiv_digest
