// Webhook payloads: a Digest as the JSON bodies one IM service accepts, split into as many
// messages as the service's documented size limit needs. Pure functions: no I/O, no clock, no
// global state; thread-safe; deterministic (the same Digest and options give the same bodies).
// Signing and sending are WebhookSink's (webhook_sink.hpp); the signature schemes are in
// webhook_sign.hpp.
//
// Content of every message: a header line ("arXiv digest <listing date> · <n> papers", plus a
// "(i/n)" marker when the digest takes more than one message), then per topic a heading
// ("Keyword: <name>", repeated with "(continued)" when a topic goes on in the next message) and
// per paper: the English title, the Chinese title when translated, the authors (the first three,
// then "et al."), the abs link, and the abstract (the Chinese one when translated, else the
// English one) where it fits the service (see WebhookLimits::abstract_by_default). A topic with
// no papers says so. Messages break between papers, never inside one, unless one paper alone
// exceeds the limit: then its abstract, and only if that is not enough its titles and authors,
// are cut at a UTF-8 code point boundary and end with "…"; the link is never cut.
//
// Per service (the limits are the constants in webhook_payload.cpp, each with its source):
//   feishu    {"msg_type":"post","content":{"post":{"zh_cn":{"title","content":[[...]]}}}}: rich
//             text as JSON "text"/"a" elements, so a title needs no escaping at all; body
//             <= 20 KB.
//   dingtalk  {"msgtype":"markdown","markdown":{"title","text"}}; body <= 20,000 bytes. Markdown
//             escaped with backslashes (escape_markdown_inline), '<' '>' as &lt; &gt; (as wecom).
//   wecom     {"msgtype":"markdown","markdown":{"content"}}; content <= 4096 bytes (UTF-8: a
//             Chinese character is 3 bytes). No abstracts by default (one would fill a message).
//   slack     {"text": <notification fallback>, "blocks": [section blocks, mrkdwn]}; one block
//             per paper, <= 3000 characters per block, <= 50 blocks per message; & < > escaped
//             as &amp; &lt; &gt; (Slack's documented escaping; mrkdwn has no escape for * _ ~ `).
//   discord   {"content", "allowed_mentions":{"parse":[]}, "flags":4}: content <= 2000
//             characters, Markdown with a backslash before every markup character, no pings
//             (an "@everyone" in a title stays text), link previews suppressed.
//   telegram  sendMessage {"chat_id","text","parse_mode":"HTML","link_preview_options":
//             {"is_disabled":true}}: only <b>, <i> and <a href> tags, & < > " escaped; text
//             <= 4096 characters (counted on the HTML source, an upper bound of what Telegram
//             counts after parsing entities).
//   generic   the digest as the project's JSON (render_json, schema in docs/json-schema.md), one
//             message, as is.
// "Characters" are counted as UTF-16 code units (what JavaScript-based services count; a code
// point outside the BMP counts 2), an upper bound of code points.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/topic.hpp"

namespace arxiv_digest {

enum class WebhookKind { kFeishu, kDingTalk, kWeCom, kSlack, kDiscord, kTelegram, kGeneric };

// "feishu", "dingtalk", "wecom", "slack", "discord", "telegram", "generic".
std::string_view to_string(WebhookKind kind) noexcept;
// Parses the names above, ASCII case-insensitive, and the aliases "lark" (feishu), "wxwork" and
// "wechat-work" (wecom), "json" (generic). nullopt for anything else.
std::optional<WebhookKind> webhook_kind_from_string(std::string_view name) noexcept;

// What a service documents (or what we infer; see webhook_payload.cpp) about its messages.
struct WebhookLimits {
  enum class Unit { kBytes, kUtf16, kBlocks };
  // The limit the split honours, on the measured part of the message: the body (feishu,
  // dingtalk: bytes), the markdown content (wecom: bytes), the text (discord, telegram: UTF-16
  // units), the number of blocks (slack). 0 = no limit (generic).
  std::size_t max_size = 0;
  Unit unit = Unit::kBytes;
  // Slack only: the most characters in one block's text.
  std::size_t max_block_chars = 0;
  // The shortest spacing between two messages to one webhook (the documented rate limit).
  std::chrono::milliseconds min_interval{0};
  // Whether a paper's abstract is included unless PayloadOptions says otherwise.
  bool abstract_by_default = false;
};
WebhookLimits webhook_limits(WebhookKind kind) noexcept;

struct PayloadOptions {
  // Include abstracts; nullopt = the service's default (WebhookLimits::abstract_by_default).
  std::optional<bool> include_abstract;
  // Telegram: the target chat ("-1001234567890" or "@channel"). Required for telegram; a value
  // made only of an optional '-' and digits is sent as a JSON number, anything else as a string.
  std::string chat_id;
  // Generic: the digest already rendered by render_json (RenderedSet), sent byte for byte. Empty
  // = render_json(digest) is called.
  std::string rendered_json;
};

// One message: the JSON body to POST, and its place in the sequence (1-based).
struct WebhookPayload {
  std::string body;
  std::size_t part = 1;
  std::size_t parts = 1;
};

// The messages of `digest` for `kind`, in sending order (at least one; an empty digest gives one
// message saying there were no papers). Throws ConfigError when telegram has no chat_id, and
// arxiv_digest::Error when the Digest breaks the renderers' preconditions (renderer.hpp).
std::vector<WebhookPayload> build_webhook_payloads(const Digest& digest, WebhookKind kind,
                                                   const PayloadOptions& options = {});

// Text helpers used by the builders (exposed for the tests).
// UTF-16 code units of the UTF-8 `text` (an invalid byte counts 1).
std::size_t utf16_length(std::string_view text) noexcept;
// At most `max_code_points` code points of `text`, never ending inside a UTF-8 sequence; "…" is
// appended when something was cut.
std::string truncate_code_points(std::string_view text, std::size_t max_code_points);
// A short notice (no announcement today) as one plain-text message for `kind`: feishu
// {"msg_type":"text"}, dingtalk and wecom {"msgtype":"text"}, slack {"text"}, discord {"content"}
// (no mentions), telegram sendMessage without parse_mode, generic {"notice":{listing_date, title,
// text}}. `title` and `text` are escaped for the service's markup where it has one. Throws
// ConfigError when telegram has no chat_id.
WebhookPayload build_webhook_notice(WebhookKind kind, Date listing_date, std::string_view title,
                                    std::string_view text, const std::string& chat_id = {});

// Slack mrkdwn: & < > as &amp; &lt; &gt; and nothing else. Not escape_html(): Slack decodes only
// these three entities, so a &quot; or &#39; would be shown to readers as written.
std::string escape_slack(std::string_view text);
// Discord Markdown: a backslash before each of \ * _ ~ ` | > # - [ ] < : @ (pings are
// blocked by allowed_mentions; escaping '@' and ':' also keeps mentions and emoji codes as text).
std::string escape_discord(std::string_view text);
// Telegram HTML: & < > " as &amp; &lt; &gt; &quot; (the only entities Telegram requires).
std::string escape_telegram(std::string_view text);

}  // namespace arxiv_digest
