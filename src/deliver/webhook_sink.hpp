// WebhookSink: the digest posted to an IM group (Feishu/Lark, DingTalk, WeCom, Slack, Discord,
// Telegram) or to any HTTP endpoint as JSON (generic), as a DigestSink.
//
// publish() builds the messages (build_webhook_payloads, webhook_payload.hpp) and POSTs them in
// order through the HttpPoster:
//   - spacing: two requests to one webhook (retries and later publish() calls included) are at
//     least the service's min_interval apart (webhook_limits(), overridable), waited for through
//     Env::sleep_for, so FakeEnv records the waits instead of sleeping;
//   - retries per RetryPolicy (net's Backoff): no response (timeout, refused, reset), 5xx, 429
//     (honouring Retry-After, Feishu's x-ogw-ratelimit-reset and Telegram's retry_after) and the
//     services' own "too fast" codes in a 200 answer (Feishu 11232, DingTalk 130101, WeCom 45009);
//   - a 200 answer is checked against the service's convention: Feishu "code" != 0, DingTalk and
//     WeCom "errcode" != 0, Telegram "ok": false, Slack a body other than "ok";
//   - signing, with the secret read from the environment variable `secret_env` at send time:
//     Feishu "timestamp"/"sign" in the body, DingTalk "&timestamp=&sign=" on the URL, generic
//     "X-Arxiv-Digest-Signature: sha256=<hex>" over the body (webhook_sign.hpp). A fresh
//     timestamp and signature are made for every attempt.
//   - an idempotency key, generic only: "X-Arxiv-Digest-Delivery: <32 hex>", the same for every
//     attempt and every run that sends the same message (listing date, channel name, digest or
//     notice, the papers and topics it carries, part number; not the bytes, whose generation
//     time may differ). A run killed after the POST but before the delivery log recorded it
//     posts again on the next run (at-least-once, pipeline/delivery.hpp); the receiver drops the
//     repeat by this key.
//
// Failure: DeliveryError(channel = name(), message, transient). The message says which part
// failed and how many were delivered before it ("part 2 of 3 ... part 1 was delivered") and why
// (HTTP status, the service's code and message, or "no response"); it never contains the URL,
// the secret or the request headers (server text quoted in it has both removed). transient = a
// timeout, 429, 5xx or a "too fast" code; false for a rejected payload, token or signature.
// Parts delivered before a failure stay delivered (a chat message cannot be taken back).
// ConfigError when `secret_env` or `url_env` names an unset variable (naming the variable).
//
// Not thread-safe: one publish() at a time per sink. The HttpPoster and Env must outlive it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/env.hpp"
#include "deliver/webhook_payload.hpp"
#include "net/http_post.hpp"
#include "net/retry_policy.hpp"
#include "pipeline/sink.hpp"

namespace arxiv_digest {

struct WebhookSettings {
  // The channel's name in reports: the sink is "webhook:<name>". Never the URL. Required.
  std::string name;
  WebhookKind kind = WebhookKind::kGeneric;
  // The webhook URL (Telegram: "https://api.telegram.org/bot<token>/sendMessage"). It carries
  // the service's token, so it is never shown. Empty = read from the variable `url_env`.
  std::string url;
  // The environment variable holding the URL, read at send time when `url` is empty.
  std::string url_env;
  // The environment variable holding the signing secret (feishu, dingtalk, generic); empty = the
  // requests are not signed. Refused for services that have no signature.
  std::string secret_env;
  // Telegram: the chat to post to ("-100…" or "@channel"). Required for telegram.
  std::string chat_id;
  // Include abstracts; nullopt = the service's default (webhook_payload.hpp).
  std::optional<bool> include_abstract;
  // Spacing between two requests; nullopt = the service's documented rate (webhook_limits()).
  std::optional<std::chrono::milliseconds> min_interval;
  // Per request.
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{30'000};
};

class WebhookSink final : public DigestSink {
 public:
  // Throws ConfigError for an empty name, neither url nor url_env, a secret_env on a service
  // without signatures, or a telegram webhook without chat_id.
  WebhookSink(WebhookSettings settings, HttpPoster& poster, Env& env, RetryPolicy policy = {});

  // "webhook:<name>".
  std::string name() const override;
  // {Format::kJson} for generic (the project's JSON, sent as rendered); {} for the others, whose
  // messages are built from the Digest itself.
  std::vector<Format> formats() const override;
  // One Publication per message sent; target "<kind> message i/n" (never the URL).
  std::vector<Publication> publish(const Digest& digest, const RenderedSet& set) override;
  // The notice as one plain-text message (build_webhook_notice), signed, spaced and retried like
  // a digest's messages. One Publication, target "<kind> notice".
  std::vector<Publication> publish_notice(const Notice& notice) override;

  const WebhookSettings& settings() const noexcept { return settings_; }

 private:
  struct Attempt;
  // The URL and the signing secret ("" = unsigned), read from the environment when configured so.
  std::pair<std::string, std::string> endpoint() const;
  void wait_for_slot();
  // `message_key`: what the idempotency key is derived from (with the part number).
  void send(const WebhookPayload& payload, const std::string& url, const std::string& secret,
            std::size_t delivered, const std::string& message_key);

  WebhookSettings settings_;
  HttpPoster& poster_;
  Env& env_;
  Backoff backoff_;
  std::chrono::milliseconds interval_;
  std::optional<std::chrono::steady_clock::time_point> last_request_;
};

}  // namespace arxiv_digest
