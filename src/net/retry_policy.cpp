#include "net/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

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

// Drops HTTP optional whitespace (spaces and tabs) around a header value.
std::string_view trim_ows(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

bool all_digits(std::string_view value) {
  return !value.empty() && std::all_of(value.begin(), value.end(), [](unsigned char c) {
    return std::isdigit(c) != 0;
  });
}

}  // namespace

milliseconds RetryAfter::wait(std::chrono::sys_seconds now) const {
  if (delay) return *delay;
  if (until && *until > now) return std::chrono::duration_cast<milliseconds>(*until - now);
  return milliseconds{0};
}

std::optional<RetryAfter> parse_retry_after(std::string_view value) {
  value = trim_ows(value);
  if (value.empty()) return std::nullopt;
  if (all_digits(value)) {
    // An absurdly long delay saturates (and is then refused by max_retry_after).
    if (value.size() > 9) return RetryAfter{std::chrono::seconds{999'999'999}, std::nullopt};
    return RetryAfter{std::chrono::seconds{*parse_number(value)}, std::nullopt};
  }
  const auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  return RetryAfter{std::nullopt, *date};
}

std::optional<RetryAfter> parse_retry_after(std::string_view retry_after,
                                            std::string_view retry_after_ms) {
  if (auto parsed = parse_retry_after(retry_after)) return parsed;
  retry_after_ms = trim_ows(retry_after_ms);
  if (all_digits(retry_after_ms) && retry_after_ms.size() <= 12) {
    long long ms = 0;
    std::from_chars(retry_after_ms.data(), retry_after_ms.data() + retry_after_ms.size(), ms);
    return RetryAfter{milliseconds{ms}, std::nullopt};
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::sys_seconds now) {
  const auto parsed = parse_retry_after(value);
  if (!parsed) return std::nullopt;
  return std::chrono::ceil<std::chrono::seconds>(parsed->wait(now));
}

Backoff::Backoff(RetryPolicy policy)
    : policy_(policy),
      random_(policy_.jitter_seed != 0 ? policy_.jitter_seed : std::random_device{}()) {
  policy_.max_retries = std::max(policy_.max_retries, 0);
}

milliseconds Backoff::jitter(int retry) {
  // base * 2^(retry-1), computed without overflow, then capped.
  milliseconds cap = std::max(policy_.base_delay, milliseconds{0});
  for (int i = 1; i < retry && cap < policy_.max_delay; ++i) cap *= 2;
  cap = std::min(cap, policy_.max_delay);
  if (cap <= milliseconds{0}) return milliseconds{0};
  const std::lock_guard lock(mutex_);
  std::uniform_int_distribution<milliseconds::rep> pick(0, cap.count());
  return milliseconds{pick(random_)};
}

std::optional<milliseconds> Backoff::wait_before(int retry, const std::optional<RetryAfter>& asked,
                                                 std::chrono::sys_seconds now) {
  if (!asked) return jitter(retry);
  const milliseconds wait = asked->wait(now);
  if (wait > policy_.max_retry_after) return std::nullopt;
  return wait;
}

}  // namespace arxiv_digest
