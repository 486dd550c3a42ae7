// WebhookServer: a local fake of the IM webhook services (cpp-httplib on 127.0.0.1) that accepts
// POSTs the way each service does and VERIFIES them, for the deliver tests. Its checks are
// written from the services' documentation, independently of src/deliver (its own HMAC, Base64,
// UTF-16 count and Telegram HTML parser), so a builder bug cannot be mirrored here.
//
// Endpoints (token = the path/query credential; a wrong one is refused like the service does):
//   POST /feishu/open-apis/bot/v2/hook/<token>     msg_type text|post|interactive; body <= 20 KB
//        (20,480 bytes); with a secret: "timestamp" (string seconds) and "sign" =
//        Base64(HMAC-SHA256(key = timestamp + "\n" + secret, "")). Errors as HTTP 200 + code
//        (9499 bad request, 19021 bad signature, 19024 keyword missing, 11232 throttled).
//   POST /dingtalk/robot/send?access_token=<token>[&timestamp=&sign=]  msgtype markdown
//        (title, text) or text; body <= 20,000 bytes; with a secret: sign (percent-decoded) =
//        Base64(HMAC-SHA256(secret, timestamp + "\n" + secret)); a raw '+', '/' or '=' in the
//        sign means it was not URL-encoded (rejected). errcode 310000 / 300001 / 130101.
//   POST /wecom/cgi-bin/webhook/send?key=<token>   msgtype markdown (content <= 4096 bytes) or
//        text (content <= 2048 bytes); errcode 40058 too long, 93000 bad key, 45009 throttled.
//   POST /slack/services/<token>   text and/or blocks (<= 50; section text <= 3000 chars);
//        answers "ok", or 400 "invalid_blocks"/"no_text", 403 "invalid_token".
//   POST /discord/api/webhooks/<token>   content <= 2000 chars (UTF-16) or embeds; 204 on
//        success, 400 {"code":50035,...} otherwise, 401 for a bad token.
//   POST /telegram/bot<token>/sendMessage   chat_id, text 1-4096 chars after entity parsing,
//        parse_mode HTML: only Telegram's tags (b strong i em u ins s strike del a code pre
//        blockquote span tg-spoiler tg-emoji), balanced, entities &lt; &gt; &amp; &quot; &#..;.
//        {"ok":true,"result":{...}} or {"ok":false,"error_code","description"}.
//   POST /generic/<token>   any JSON object; with a secret: X-Arxiv-Digest-Signature =
//        "sha256=" + hex(HMAC-SHA256(secret, body)), else 401.
// Timestamps are checked against the signature, not against the clock (tests run on FakeEnv).
//
// Faults are queued FIFO and each consumed by the next request. Every request is recorded with
// the verdict. All member functions are thread-safe; the destructor wakes stalled handlers.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace arxiv_digest::testing {

enum class WebhookService { kFeishu, kDingTalk, kWeCom, kSlack, kDiscord, kTelegram, kGeneric };

enum class WebhookFault {
  kNone,          // a normal answer
  kRateLimit,     // HTTP 429 with Retry-After (Telegram: also parameters.retry_after)
  kServerError,   // HTTP 500
  kStall,         // holds the connection for `stall` before answering normally
  kServiceError,  // HTTP 200 with the service's error convention (feishu code 19024, dingtalk
                  // errcode 310000, wecom 93000, telegram ok:false 400, slack "invalid_token"
                  // with 403, discord 401, generic 400)
  kEchoToken,     // HTTP 400 whose error text quotes the request's URL and token (as some proxies
                  // and gateways do)
  kThrottled,     // HTTP 200 with the service's "too fast" code (feishu 11232, dingtalk 130101,
                  // wecom 45009); other services: as kRateLimit
};

struct WebhookServerOptions {
  std::string token = "tok-3f9a1c";  // the credential in every endpoint's URL
  std::string secret;                // signing secret (feishu, dingtalk, generic); "" = none
  int retry_after_s = 7;
  std::chrono::milliseconds stall{5'000};
};

struct ReceivedWebhook {
  WebhookService service = WebhookService::kGeneric;
  std::string target;  // path and query as sent
  std::string body;
  std::string signature_header;  // X-Arxiv-Digest-Signature
  std::string delivery_header;   // X-Arxiv-Digest-Delivery (generic: the idempotency key)
  bool accepted = false;         // every check passed and no fault was injected
  std::string rejection;         // why not, when a check failed
  // What a reader sees: feishu: the title and every text/a element, one line each;
  // dingtalk: title + "\n" + text; wecom/discord: the content; slack: every block text;
  // telegram: the text after entity parsing; generic: the body.
  std::string visible;
  std::size_t size = 0;  // what the limit applies to, in the service's unit (bytes / UTF-16)
};

class WebhookServer {
 public:
  explicit WebhookServer(WebhookServerOptions options = {});
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  // The URL a client configures for `service` (with the token).
  std::string url(WebhookService service) const;
  std::string base_url() const;

  void inject(WebhookFault fault, std::size_t times = 1);
  std::size_t pending_faults() const;

  std::vector<ReceivedWebhook> received() const;
  // Only the accepted ones, in arrival order.
  std::vector<ReceivedWebhook> accepted() const;
  void clear_records();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest::testing
