#include "deliver/webhook_sink.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "deliver/webhook_sign.hpp"

namespace arxiv_digest {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

// The services' "you are sending too fast" codes in a 200 answer: Feishu 11232 (PROTOCOLS.md
// D2), DingTalk 130101 ("send too fast, exceed 20 times per minute") and WeCom 45009 ("api freq
// out of limit") [the latter two from the services' error-code lists, as quoted by client
// libraries].
constexpr long long kFeishuThrottled = 11232;
constexpr long long kDingTalkThrottled = 130101;
constexpr long long kWeComThrottled = 45009;
// Server text quoted in messages is cut to this many bytes.
constexpr std::size_t kQuoteBytes = 200;

bool signs(WebhookKind kind) {
  return kind == WebhookKind::kFeishu || kind == WebhookKind::kDingTalk ||
         kind == WebhookKind::kGeneric;
}

// `text` with every occurrence of each of `secrets` (non-empty ones) replaced.
std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at)) {
      text.replace(at, secret.size(), "[redacted]");
      at += 10;
    }
  }
  return text;
}

std::string read_env(const std::string& variable, const std::string& channel,
                     std::string_view what) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0')
    throw ConfigError(
        fmt::format("{}: the environment variable {} ({}) is not set", channel, variable, what));
  return value;
}

// What must never be quoted from a server's answer: the URL, the secret, and each piece of the
// URL after the host that may be its token (a path segment or query value of 16+ characters, or
// of 8+ with a digit: Feishu/WeCom UUIDs, DingTalk's access_token, Slack's T…/B…/…, Discord's
// and Telegram's bot tokens), in case a service echoes it in an error.
std::vector<std::string> hidden_parts(const std::string& url, const std::string& secret) {
  std::vector<std::string> out = {url, secret};
  const std::size_t scheme = url.find("://");
  const std::size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return out;
  std::string piece;
  auto flush = [&] {
    const bool digit = piece.find_first_of("0123456789") != std::string::npos;
    if (piece.size() >= 16 || (piece.size() >= 8 && digit)) {
      out.push_back(piece);
      // Telegram's path segment is "bot<token>"; the token alone is what an echo would show.
      if (piece.starts_with("bot")) out.push_back(piece.substr(3));
    }
    piece.clear();
  };
  for (std::size_t i = path; i < url.size(); ++i) {
    const char c = url[i];
    if (c == '/' || c == '?' || c == '&' || c == '=')
      flush();
    else
      piece += c;
  }
  flush();
  // Longest first, so a token is replaced whole before a shorter piece inside it.
  std::sort(out.begin(), out.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return out;
}

// What one attempt came to.
enum class Outcome { kDelivered, kRetry, kFail };

}  // namespace

struct WebhookSink::Attempt {
  Outcome outcome = Outcome::kFail;
  bool transient = false;
  std::string cause;               // for the message (already free of URL and secret)
  std::optional<RetryAfter> wait;  // what the server asked for
};

WebhookSink::WebhookSink(WebhookSettings settings, HttpPoster& poster, Env& env, RetryPolicy policy)
    : settings_(std::move(settings)),
      poster_(poster),
      env_(env),
      backoff_(policy),
      interval_(settings_.min_interval.value_or(webhook_limits(settings_.kind).min_interval)) {
  if (settings_.name.empty()) throw ConfigError("a webhook needs a name (shown in reports)");
  const std::string channel = name();
  if (settings_.url.empty() && settings_.url_env.empty())
    throw ConfigError(fmt::format("{}: set url or url_env", channel));
  if (!settings_.secret_env.empty() && !signs(settings_.kind))
    throw ConfigError(fmt::format("{}: {} webhooks have no signature; remove secret_env", channel,
                                  to_string(settings_.kind)));
  if (settings_.kind == WebhookKind::kTelegram && settings_.chat_id.empty())
    throw ConfigError(fmt::format("{}: a telegram webhook needs chat_id", channel));
}

std::string WebhookSink::name() const { return "webhook:" + settings_.name; }

std::vector<Format> WebhookSink::formats() const {
  if (settings_.kind == WebhookKind::kGeneric) return {Format::kJson};
  return {};
}

std::pair<std::string, std::string> WebhookSink::endpoint() const {
  // Both read at send time: a rotated secret is picked up without rebuilding the sink.
  std::string url = !settings_.url.empty() ? settings_.url
                                           : read_env(settings_.url_env, name(), "the webhook URL");
  std::string secret = settings_.secret_env.empty()
                           ? std::string()
                           : read_env(settings_.secret_env, name(), "the signing secret");
  return {std::move(url), std::move(secret)};
}

std::vector<Publication> WebhookSink::publish_notice(const Notice& notice) {
  const auto [url, secret] = endpoint();
  send(build_webhook_notice(settings_.kind, notice.listing_date, notice.title, notice.text,
                            settings_.chat_id),
       url, secret, 0, fmt::format("notice\n{}\n{}", format_date(notice.listing_date), name()));
  return {Publication{name(), fmt::format("{} notice", to_string(settings_.kind)), Format::kText}};
}

std::vector<Publication> WebhookSink::publish(const Digest& digest, const RenderedSet& set) {
  const auto [url, secret] = endpoint();
  PayloadOptions options;
  options.include_abstract = settings_.include_abstract;
  options.chat_id = settings_.chat_id;
  if (settings_.kind == WebhookKind::kGeneric)
    if (const RenderedFile* json = set.find(Format::kJson)) options.rendered_json = json->bytes;
  const std::vector<WebhookPayload> payloads =
      build_webhook_payloads(digest, settings_.kind, options);

  // What the message is, independent of its bytes (see the idempotency key in the header).
  std::string key = fmt::format("digest\n{}\n{}\n", format_date(digest.listing_date), name());
  for (const Paper& paper : digest.papers) key += paper.id.str() + " ";
  key += "\n";
  for (const TopicResult& topic : digest.topics) key += topic.topic.name + "\n";
  std::vector<Publication> out;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    send(payloads[i], url, secret, i, key);
    out.push_back(
        {name(), fmt::format("{} message {}/{}", to_string(settings_.kind), i + 1, payloads.size()),
         Format::kJson});
  }
  return out;
}

void WebhookSink::wait_for_slot() {
  const auto now = env_.steady_now();
  if (last_request_ && now < *last_request_ + interval_)
    env_.sleep_for(std::chrono::ceil<milliseconds>(*last_request_ + interval_ - now));
  last_request_ = env_.steady_now();
}

void WebhookSink::send(const WebhookPayload& payload, const std::string& url,
                       const std::string& secret, std::size_t delivered,
                       const std::string& message_key) {
  const std::string delivery_id =
      sha256_hex(fmt::format("{}part {}/{}", message_key, payload.part, payload.parts)).substr(0, 32);
  const std::vector<std::string> hidden = hidden_parts(url, secret);
  const WebhookKind kind = settings_.kind;

  auto classify = [&](const PostResponse& response) {
    Attempt a;
    // Redacted before cutting, so a token straddling the cut cannot leak half of itself.
    const std::string quoted =
        excerpt(redact(std::string(trim(response.body)), hidden), kQuoteBytes);
    if (response.status == 429 || response.status >= 500) {
      a.outcome = Outcome::kRetry;
      a.transient = true;
      a.cause = fmt::format("HTTP {}", response.status);
      a.wait = parse_retry_after(response.header("retry-after"));
      if (!a.wait) {
        // Feishu's gateway names the reset in its own header (seconds).
        const std::string reset = response.header("x-ogw-ratelimit-reset");
        if (!reset.empty()) a.wait = parse_retry_after(reset);
      }
      if (!a.wait && kind == WebhookKind::kTelegram) {
        const Json j = Json::parse(response.body, nullptr, false);
        if (j.is_object() && j.contains("parameters") && j["parameters"].is_object() &&
            j["parameters"].contains("retry_after") &&
            j["parameters"]["retry_after"].is_number_unsigned())
          a.wait =
              RetryAfter{std::chrono::seconds{j["parameters"]["retry_after"].get<long long>()}, {}};
      }
      return a;
    }
    if (response.status < 200 || response.status >= 300) {
      a.cause = fmt::format("HTTP {}{}{}", response.status, quoted.empty() ? "" : ": ", quoted);
      return a;  // 4xx: the service refused the payload, token or signature
    }
    // 2xx: the service's own convention.
    const Json j = Json::parse(response.body, nullptr, false);
    auto service_error = [&](long long code, const std::string& message, long long throttled) {
      Attempt e;
      e.cause = fmt::format("{} error {}: {}", to_string(kind), code,
                            excerpt(redact(message, hidden), kQuoteBytes));
      if (code == throttled) {
        e.outcome = Outcome::kRetry;
        e.transient = true;
      }
      return e;
    };
    switch (kind) {
      case WebhookKind::kFeishu: {
        if (!j.is_object()) break;
        const long long code = j.value("code", j.value("StatusCode", 0LL));
        if (code != 0)
          return service_error(code, j.value("msg", j.value("StatusMessage", "")),
                               kFeishuThrottled);
        a.outcome = Outcome::kDelivered;
        return a;
      }
      case WebhookKind::kDingTalk:
      case WebhookKind::kWeCom: {
        if (!j.is_object()) break;
        const long long code = j.value("errcode", 0LL);
        if (code != 0)
          return service_error(
              code, j.value("errmsg", ""),
              kind == WebhookKind::kDingTalk ? kDingTalkThrottled : kWeComThrottled);
        a.outcome = Outcome::kDelivered;
        return a;
      }
      case WebhookKind::kTelegram: {
        if (!j.is_object()) break;
        if (!j.value("ok", false))
          return service_error(j.value("error_code", 0LL), j.value("description", ""), 429);
        a.outcome = Outcome::kDelivered;
        return a;
      }
      case WebhookKind::kSlack:
        if (trim(response.body) == "ok") {
          a.outcome = Outcome::kDelivered;
          return a;
        }
        a.cause = fmt::format("slack answered \"{}\" instead of \"ok\"", quoted);
        return a;
      case WebhookKind::kDiscord:
      case WebhookKind::kGeneric:
        a.outcome = Outcome::kDelivered;
        return a;
    }
    a.cause = fmt::format("HTTP {} with an answer that is not {}'s JSON: \"{}\"", response.status,
                          to_string(kind), quoted);
    return a;
  };

  auto fail = [&](const std::string& cause, bool transient) {
    const std::string before = delivered == 0 ? std::string("no part was delivered")
                               : delivered == 1
                                   ? std::string("part 1 was delivered")
                                   : fmt::format("parts 1-{} were delivered", delivered);
    throw DeliveryError(name(),
                        fmt::format("{}: part {} of {} not delivered ({}); {}", name(),
                                    payload.part, payload.parts, cause, before),
                        transient);
  };

  for (int retry = 0;; ++retry) {
    wait_for_slot();
    PostRequest request;
    request.url = url;
    request.body = payload.body;
    request.connect_timeout = settings_.connect_timeout;
    request.total_timeout = settings_.total_timeout;
    if (kind == WebhookKind::kGeneric)
      request.headers.emplace_back(std::string(kGenericDeliveryHeader), delivery_id);
    if (!secret.empty()) {
      if (kind == WebhookKind::kFeishu) {
        const auto now = env_.now();
        Json body = Json::parse(payload.body);
        body["timestamp"] = std::to_string(now.time_since_epoch().count());
        body["sign"] = feishu_sign(now, secret);
        request.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
      } else if (kind == WebhookKind::kDingTalk) {
        const long long ms = static_cast<long long>(env_.now().time_since_epoch().count()) * 1000;
        request.url = dingtalk_signed_url(url, ms, secret);
      } else if (kind == WebhookKind::kGeneric) {
        request.headers.emplace_back(std::string(kGenericSignatureHeader),
                                     generic_signature(request.body, secret));
      }
    }
    Attempt attempt;
    std::optional<PostResponse> response;
    try {
      response = poster_.post(request);
    } catch (const TransportError&) {
      // Its message names the URL (the token): say only what happened.
      attempt.outcome = Outcome::kRetry;
      attempt.transient = true;
      attempt.cause = "no response (timeout, refused or reset connection)";
    }
    if (response) {
      try {
        attempt = classify(*response);
      } catch (const Json::exception&) {
        // A field of another type than the service documents (e.g. "code" as a string).
        attempt.outcome = Outcome::kFail;
        attempt.cause = fmt::format("HTTP {} with an answer not in {}'s format", response->status,
                                    to_string(kind));
      }
    }
    if (attempt.outcome == Outcome::kDelivered) return;
    if (attempt.outcome == Outcome::kFail) fail(attempt.cause, attempt.transient);
    if (!backoff_.allows(retry + 1))
      fail(fmt::format("{}, after {} attempts", attempt.cause, retry + 1), true);
    const std::optional<milliseconds> wait =
        backoff_.wait_before(retry + 1, attempt.wait, env_.now());
    if (!wait)
      fail(fmt::format(
               "{}; the service asked to wait longer than {} s", attempt.cause,
               std::chrono::ceil<std::chrono::seconds>(backoff_.policy().max_retry_after).count()),
           true);
    if (wait->count() > 0) env_.sleep_for(*wait);
  }
}

}  // namespace arxiv_digest
