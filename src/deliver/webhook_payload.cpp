#include "deliver/webhook_payload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;

// --- Documented limits (PROTOCOLS.md section D2 and the sources named there) -----------------
// Feishu/Lark custom bot: request body <= 20 KB; 100 requests/min and 5/s per bot
// (open.larkoffice.com custom-bot guide). 20 KB read as 20,000 bytes to stay on the safe side.
constexpr std::size_t kFeishuMaxBody = 20'000;
constexpr milliseconds kFeishuInterval{600};  // 100/min = one per 600 ms (5/s is looser)
// DingTalk custom robot: 20 messages/min per robot (open.dingtalk.com custom-robot-access). No
// body limit is quoted there; 20,000 bytes is an [inference] kept equal to Feishu's.
constexpr std::size_t kDingTalkMaxBody = 20'000;
constexpr milliseconds kDingTalkInterval{3'000};  // 20/min
// WeCom group bot: markdown content <= 4096 bytes UTF-8; 20 messages/min per bot
// (work.weixin.qq.com/api/doc/90000/90136/91770).
constexpr std::size_t kWeComMaxContent = 4'096;
constexpr milliseconds kWeComInterval{3'000};  // 20/min
// Slack: a section block's text <= 3000 characters, <= 50 blocks per message (Block Kit
// reference); incoming webhooks: 1 message per second, short bursts allowed
// (docs.slack.dev/apis/web-api/rate-limits, "Posting messages").
constexpr std::size_t kSlackMaxBlocks = 50;
constexpr std::size_t kSlackMaxBlockChars = 3'000;
constexpr milliseconds kSlackInterval{1'000};
// Discord execute-webhook: content <= 2000 characters (discord.com/developers/docs/resources/
// webhook#execute-webhook). Webhook rate limits are announced per route in X-RateLimit-*
// headers; 30 messages/min per channel is the widely observed limit, so one per 2 s.
constexpr std::size_t kDiscordMaxContent = 2'000;
constexpr milliseconds kDiscordInterval{2'000};
// Telegram sendMessage: text 1-4096 characters after entities parsing
// (core.telegram.org/bots/api#sendmessage); Bots FAQ: at most one message per second in a chat
// and 20 messages per minute in a group, so one per 3 s.
constexpr std::size_t kTelegramMaxText = 4'096;
constexpr milliseconds kTelegramInterval{3'000};
// Discord message flag SUPPRESS_EMBEDS (1 << 2): no link preview cards under the digest.
constexpr int kDiscordSuppressEmbeds = 4;
// Room kept in a Feishu body for the "timestamp" and "sign" fields the sink adds.
constexpr std::size_t kFeishuSignReserve = 128;
// The widest part marker the budget reserves room for.
constexpr std::string_view kWidestMarker = " (9999/9999)";
// Authors shown before "et al.".
constexpr std::size_t kMaxAuthors = 3;

std::string dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// JSON-escaped size of a string's contents (without the quotes): what it adds to a body.
std::size_t json_size(std::string_view text) { return dump(Json(std::string(text))).size() - 2; }

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

// One paper as the builders see it (every field already sanitized, not yet escaped).
struct EntryFields {
  std::size_t number = 0;  // 1-based, within its topic
  std::string title;
  std::string title_zh;
  std::string authors;
  std::string url;
  std::string abstract;
};

std::string short_authors(const std::vector<std::string>& authors) {
  std::string out;
  for (std::size_t i = 0; i < authors.size() && i < kMaxAuthors; ++i) {
    if (i > 0) out += ", ";
    out += authors[i];
  }
  if (authors.size() > kMaxAuthors) out += " et al.";
  return out;
}

// How one service writes and measures a message.
class Style {
 public:
  virtual ~Style() = default;
  // The most the measured chunks of one message may add up to (header and envelope excluded).
  virtual std::size_t budget(const Digest& digest) const = 0;
  // What a chunk adds to its message (separators included).
  virtual std::size_t cost(std::string_view chunk) const = 0;
  // The most one paper's entry may measure (fit_size), so a message can hold it with a heading.
  virtual std::size_t entry_limit(const Digest& digest) const = 0;
  virtual std::size_t fit_size(const EntryFields& fields) const { return cost(entry(fields)); }
  virtual std::string heading(std::string_view topic, bool continued, bool empty) const = 0;
  virtual std::string entry(const EntryFields& fields) const = 0;
  virtual std::string assemble(const Digest& digest, const std::string& header,
                               const std::vector<std::string>& chunks) const = 0;

  static std::string header_text(const Digest& digest, std::string_view marker) {
    return fmt::format("arXiv digest {} · {} paper{}{}", format_date(digest.listing_date),
                       digest.papers.size(), digest.papers.size() == 1 ? "" : "s", marker);
  }
  static std::string heading_text(std::string_view topic, bool continued, bool empty) {
    return fmt::format("Keyword: {}{}", topic,
                       continued ? " (continued)"
                       : empty   ? " (no papers)"
                                 : "");
  }
};

// Feishu "post" rich text: every chunk is one or more JSON line arrays, joined by commas.
class FeishuStyle final : public Style {
 public:
  std::size_t budget(const Digest& digest) const override {
    return kFeishuMaxBody - kFeishuSignReserve - envelope(digest, std::string(kWidestMarker));
  }
  std::size_t cost(std::string_view chunk) const override { return chunk.size() + 1; }
  std::size_t entry_limit(const Digest& digest) const override {
    return budget(digest) - cost(heading(std::string(256, 'x'), true, false));
  }
  std::string heading(std::string_view topic, bool continued, bool empty) const override {
    return dump(Json::array({text(heading_text(topic, continued, empty))}));
  }
  std::string entry(const EntryFields& f) const override {
    std::vector<std::string> lines;
    lines.push_back(dump(Json::array({text(fmt::format("{}. ", f.number)),
                                      {{"tag", "a"}, {"text", f.title}, {"href", f.url}}})));
    if (!f.title_zh.empty()) lines.push_back(dump(Json::array({text(f.title_zh)})));
    lines.push_back(dump(Json::array({text(f.authors)})));
    if (!f.abstract.empty()) lines.push_back(dump(Json::array({text(f.abstract)})));
    return fmt::format("{}", fmt::join(lines, ","));
  }
  std::string assemble(const Digest& digest, const std::string& header,
                       const std::vector<std::string>& chunks) const override {
    (void)digest;
    return fmt::format(
        R"({{"msg_type":"post","content":{{"post":{{"zh_cn":{{"title":{},"content":[{}]}}}}}}}})",
        dump(Json(header)), fmt::join(chunks, ","));
  }

 private:
  static Json text(const std::string& value) { return {{"tag", "text"}, {"text", value}}; }
  std::size_t envelope(const Digest& digest, const std::string& marker) const {
    return assemble(digest, header_text(digest, marker), {}).size();
  }
};

// DingTalk's and WeCom's Markdown: CommonMark's backslash escapes (escape_markdown_inline), and
// '<' '>' as entities because both render some raw HTML (<font>, WeCom's <@userid> mentions),
// where a backslash before '<' is not documented to help [inference: both services' renderers
// follow CommonMark, which decodes &lt; &gt;].
std::string escape_im_markdown(std::string_view text) {
  std::string out;
  for (const char c : escape_markdown_inline(text)) {
    if (c == '<') {
      if (!out.empty() && out.back() == '\\') out.pop_back();
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

class MarkdownStyle : public Style {
 public:
  std::string heading(std::string_view topic, bool continued, bool empty) const override {
    return "#### " + escape_im_markdown(heading_text(topic, continued, empty));
  }
  std::string entry(const EntryFields& f) const override {
    std::vector<std::string> lines;
    lines.push_back(fmt::format("**{}. {}**", f.number, escape_im_markdown(f.title)));
    if (!f.title_zh.empty()) lines.push_back(escape_im_markdown(f.title_zh));
    lines.push_back(escape_im_markdown(f.authors));
    lines.push_back(fmt::format("[arXiv:{}]({})", f.url.substr(f.url.rfind('/') + 1), f.url));
    if (!f.abstract.empty()) lines.push_back("> " + escape_im_markdown(f.abstract));
    return fmt::format("{}", fmt::join(lines, line_break()));
  }

 protected:
  // DingTalk needs a blank line (or two trailing spaces) for a line break; WeCom honours "\n".
  virtual std::string_view line_break() const = 0;
};

class DingTalkStyle final : public MarkdownStyle {
 public:
  std::size_t budget(const Digest& digest) const override {
    return kDingTalkMaxBody - envelope(digest, std::string(kWidestMarker));
  }
  std::size_t cost(std::string_view chunk) const override {
    return json_size(chunk) + json_size(kSeparator);
  }
  std::size_t entry_limit(const Digest& digest) const override {
    return budget(digest) - cost(heading(std::string(256, 'x'), true, false));
  }
  std::string assemble(const Digest& digest, const std::string& header,
                       const std::vector<std::string>& chunks) const override {
    (void)digest;
    std::string text = "### " + escape_im_markdown(header);
    for (const auto& c : chunks) text += std::string(kSeparator) + c;
    // The title is what DingTalk shows in the chat list and notifications.
    return dump(Json{{"msgtype", "markdown"}, {"markdown", {{"title", header}, {"text", text}}}});
  }

 protected:
  std::string_view line_break() const override { return "\n\n"; }

 private:
  static constexpr std::string_view kSeparator = "\n\n";
  std::size_t envelope(const Digest& digest, const std::string& marker) const {
    return assemble(digest, header_text(digest, marker), {}).size();
  }
};

class WeComStyle final : public MarkdownStyle {
 public:
  std::size_t budget(const Digest& digest) const override {
    return kWeComMaxContent - head(header_text(digest, kWidestMarker)).size();
  }
  std::size_t cost(std::string_view chunk) const override { return chunk.size() + 2; }
  std::size_t entry_limit(const Digest& digest) const override {
    return budget(digest) - cost(heading(std::string(256, 'x'), true, false));
  }
  std::string assemble(const Digest& digest, const std::string& header,
                       const std::vector<std::string>& chunks) const override {
    (void)digest;
    std::string content = head(header);
    for (const auto& c : chunks) content += "\n\n" + c;
    return dump(Json{{"msgtype", "markdown"}, {"markdown", {{"content", content}}}});
  }

 protected:
  std::string_view line_break() const override { return "\n"; }

 private:
  static std::string head(const std::string& header) { return "### " + escape_im_markdown(header); }
};

// Slack: one section block per chunk; the chunk is the block's mrkdwn text.
class SlackStyle final : public Style {
 public:
  std::size_t budget(const Digest&) const override { return kSlackMaxBlocks - 1; }
  std::size_t cost(std::string_view) const override { return 1; }
  std::size_t entry_limit(const Digest&) const override { return kSlackMaxBlockChars; }
  std::size_t fit_size(const EntryFields& f) const override { return utf16_length(entry(f)); }
  std::string heading(std::string_view topic, bool continued, bool empty) const override {
    return "*" + escape_slack(heading_text(topic, continued, empty)) + "*";
  }
  std::string entry(const EntryFields& f) const override {
    std::string text = fmt::format("*{}. <{}|{}>*", f.number, f.url, escape_slack(f.title));
    if (!f.title_zh.empty()) text += "\n" + escape_slack(f.title_zh);
    text += "\n_" + escape_slack(f.authors) + "_";
    if (!f.abstract.empty()) text += "\n" + escape_slack(f.abstract);
    return text;
  }
  std::string assemble(const Digest&, const std::string& header,
                       const std::vector<std::string>& chunks) const override {
    Json blocks = Json::array();
    blocks.push_back(section("*" + escape_slack(header) + "*"));
    for (const auto& c : chunks) blocks.push_back(section(c));
    // "text" is the notification's fallback when blocks are present.
    return dump(Json{{"text", escape_slack(header)}, {"blocks", blocks}});
  }

 private:
  static Json section(const std::string& mrkdwn) {
    return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", mrkdwn}}}};
  }
};

// Discord and Telegram: one text field measured in UTF-16 units.
class TextStyle : public Style {
 public:
  std::size_t budget(const Digest& digest) const override {
    return max_text() - utf16_length(head(header_text(digest, kWidestMarker)));
  }
  std::size_t cost(std::string_view chunk) const override { return utf16_length(chunk) + 2; }
  std::size_t entry_limit(const Digest& digest) const override {
    return budget(digest) - cost(heading(std::string(256, 'x'), true, false));
  }

 protected:
  virtual std::size_t max_text() const = 0;
  virtual std::string head(const std::string& header) const = 0;
  std::string text_of(const std::string& header, const std::vector<std::string>& chunks) const {
    std::string text = head(header);
    for (const auto& c : chunks) text += "\n\n" + c;
    return text;
  }
};

class DiscordStyle final : public TextStyle {
 public:
  std::string heading(std::string_view topic, bool continued, bool empty) const override {
    return "__**" + escape_discord(heading_text(topic, continued, empty)) + "**__";
  }
  std::string entry(const EntryFields& f) const override {
    std::string text = fmt::format("**{}. {}**", f.number, escape_discord(f.title));
    if (!f.title_zh.empty()) text += "\n" + escape_discord(f.title_zh);
    text += "\n*" + escape_discord(f.authors) + "*";
    text += "\n" + f.url;
    if (!f.abstract.empty()) text += "\n" + escape_discord(f.abstract);
    return text;
  }
  std::string assemble(const Digest&, const std::string& header,
                       const std::vector<std::string>& chunks) const override {
    return dump(Json{{"content", text_of(header, chunks)},
                     {"allowed_mentions", {{"parse", Json::array()}}},
                     {"flags", kDiscordSuppressEmbeds}});
  }

 protected:
  std::size_t max_text() const override { return kDiscordMaxContent; }
  std::string head(const std::string& header) const override {
    return "**" + escape_discord(header) + "**";
  }
};

class TelegramStyle final : public TextStyle {
 public:
  explicit TelegramStyle(Json chat_id) : chat_id_(std::move(chat_id)) {}
  std::string heading(std::string_view topic, bool continued, bool empty) const override {
    return "<b>" + escape_telegram(heading_text(topic, continued, empty)) + "</b>";
  }
  std::string entry(const EntryFields& f) const override {
    std::string text = fmt::format("<b>{}. <a href=\"{}\">{}</a></b>", f.number,
                                   escape_telegram(f.url), escape_telegram(f.title));
    if (!f.title_zh.empty()) text += "\n" + escape_telegram(f.title_zh);
    text += "\n<i>" + escape_telegram(f.authors) + "</i>";
    if (!f.abstract.empty()) text += "\n" + escape_telegram(f.abstract);
    return text;
  }
  std::string assemble(const Digest&, const std::string& header,
                       const std::vector<std::string>& chunks) const override {
    return dump(Json{{"chat_id", chat_id_},
                     {"text", text_of(header, chunks)},
                     {"parse_mode", "HTML"},
                     {"link_preview_options", {{"is_disabled", true}}}});
  }

 protected:
  std::size_t max_text() const override { return kTelegramMaxText; }
  std::string head(const std::string& header) const override {
    return "<b>" + escape_telegram(header) + "</b>";
  }

 private:
  Json chat_id_;
};

// Shrinks `fields` until style.fit_size() <= limit: the abstract first, then titles and authors
// together (binary search on a code-point cap). Never touches the link.
EntryFields fit_entry(const Style& style, EntryFields fields, std::size_t limit) {
  if (style.fit_size(fields) <= limit) return fields;
  if (!fields.abstract.empty()) {
    const std::string full = fields.abstract;
    std::size_t lo = 0, hi = code_points(full);  // answer in [lo, hi); lo may not fit either
    std::optional<std::size_t> best;
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      fields.abstract = truncate_code_points(full, mid);
      if (style.fit_size(fields) <= limit) {
        best = mid;
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (best) {
      fields.abstract = truncate_code_points(full, *best);
      return fields;
    }
    fields.abstract.clear();
    if (style.fit_size(fields) <= limit) return fields;
  }
  const EntryFields full = fields;
  const std::size_t longest =
      std::max({code_points(full.title), code_points(full.title_zh), code_points(full.authors)});
  auto capped = [&](std::size_t cap) {
    EntryFields f = full;
    f.title = truncate_code_points(full.title, cap);
    if (!full.title_zh.empty()) f.title_zh = truncate_code_points(full.title_zh, cap);
    f.authors = truncate_code_points(full.authors, cap);
    return f;
  };
  std::size_t lo = 0, hi = longest;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo + 1) / 2;
    if (style.fit_size(capped(mid)) <= limit)
      lo = mid;
    else
      hi = mid - 1;
  }
  return capped(lo);  // cap 0 leaves "…" and the link: the least a message can say
}

struct Unit {
  std::size_t topic = 0;
  bool first_of_topic = true;
  bool empty_topic = false;
  std::string chunk;  // the entry (empty for an empty topic: the heading says it all)
};

std::vector<WebhookPayload> pack(const Digest& digest, const Style& style) {
  // Every entry, each already fitted to what one message can hold.
  std::vector<Unit> units;
  const std::size_t limit = style.entry_limit(digest);
  for (std::size_t t = 0; t < digest.topics.size(); ++t) {
    const TopicResult& topic = digest.topics[t];
    if (topic.papers.empty()) {
      units.push_back({t, true, true, {}});
      continue;
    }
    for (std::size_t n = 0; n < topic.papers.size(); ++n) {
      const std::size_t index = topic.papers[n];
      if (index >= digest.papers.size())
        throw Error(fmt::format("topic \"{}\" names paper {} of {}", topic.topic.name, index,
                                digest.papers.size()));
      const Paper& paper = digest.papers[index];
      EntryFields fields;
      fields.number = n + 1;
      fields.title = sanitize_text(paper.title);
      fields.authors = sanitize_text(short_authors(paper.authors));
      fields.url = abs_url(paper.id);
      const PaperTranslation* zh = nullptr;
      if (index < digest.translations.size() && digest.translations[index])
        zh = &*digest.translations[index];
      if (zh && !zh->title.empty()) fields.title_zh = sanitize_text(zh->title);
      fields.abstract = sanitize_text(zh && !zh->abstract.empty() ? zh->abstract : paper.abstract);
      units.push_back({t, n == 0, false, style.entry(fit_entry(style, fields, limit))});
    }
  }

  auto heading_of = [&](const Unit& u) {
    return style.heading(digest.topics[u.topic].topic.name, !u.first_of_topic, u.empty_topic);
  };
  std::vector<std::vector<std::string>> parts;
  std::vector<std::string> current;
  std::size_t used = 0;
  std::optional<std::size_t> current_topic;
  const std::size_t budget = style.budget(digest);
  for (const Unit& u : units) {
    const bool needs_heading = current_topic != u.topic;
    std::size_t add = u.chunk.empty() ? 0 : style.cost(u.chunk);
    if (needs_heading) add += style.cost(heading_of(u));
    if (!current.empty() && used + add > budget) {
      parts.push_back(std::move(current));
      current.clear();
      used = 0;
      current_topic.reset();
      // A new message repeats the topic's heading ("(continued)" unless the topic starts here).
      add = (u.chunk.empty() ? 0 : style.cost(u.chunk)) + style.cost(heading_of(u));
    }
    if (current_topic != u.topic) current.push_back(heading_of(u));
    if (!u.chunk.empty()) current.push_back(u.chunk);
    current_topic = u.topic;
    used += add;
  }
  if (!current.empty() || parts.empty()) parts.push_back(std::move(current));

  std::vector<WebhookPayload> out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string marker =
        parts.size() > 1 ? fmt::format(" ({}/{})", i + 1, parts.size()) : std::string();
    out.push_back({style.assemble(digest, Style::header_text(digest, marker), parts[i]), i + 1,
                   parts.size()});
  }
  return out;
}

Json telegram_chat_id(const std::string& chat_id) {
  if (chat_id.empty())
    throw ConfigError("a telegram webhook needs chat_id (the chat the bot posts to)");
  const std::size_t digits_from = chat_id[0] == '-' ? 1 : 0;
  const bool numeric = chat_id.size() > digits_from && chat_id.size() - digits_from <= 18 &&
                       std::all_of(chat_id.begin() + static_cast<std::ptrdiff_t>(digits_from),
                                   chat_id.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) return std::stoll(chat_id);
  return chat_id;
}

}  // namespace

std::string_view to_string(WebhookKind kind) noexcept {
  switch (kind) {
    case WebhookKind::kFeishu:
      return "feishu";
    case WebhookKind::kDingTalk:
      return "dingtalk";
    case WebhookKind::kWeCom:
      return "wecom";
    case WebhookKind::kSlack:
      return "slack";
    case WebhookKind::kDiscord:
      return "discord";
    case WebhookKind::kTelegram:
      return "telegram";
    case WebhookKind::kGeneric:
      return "generic";
  }
  return "generic";
}

std::optional<WebhookKind> webhook_kind_from_string(std::string_view name) noexcept {
  const std::string lower = ascii_lower(name);
  static constexpr std::pair<std::string_view, WebhookKind> kNames[] = {
      {"feishu", WebhookKind::kFeishu},     {"lark", WebhookKind::kFeishu},
      {"dingtalk", WebhookKind::kDingTalk}, {"wecom", WebhookKind::kWeCom},
      {"wxwork", WebhookKind::kWeCom},      {"wechat-work", WebhookKind::kWeCom},
      {"slack", WebhookKind::kSlack},       {"discord", WebhookKind::kDiscord},
      {"telegram", WebhookKind::kTelegram}, {"generic", WebhookKind::kGeneric},
      {"json", WebhookKind::kGeneric},
  };
  for (const auto& [text, kind] : kNames)
    if (lower == text) return kind;
  return std::nullopt;
}

WebhookLimits webhook_limits(WebhookKind kind) noexcept {
  using Unit = WebhookLimits::Unit;
  switch (kind) {
    case WebhookKind::kFeishu:
      return {kFeishuMaxBody, Unit::kBytes, 0, kFeishuInterval, true};
    case WebhookKind::kDingTalk:
      return {kDingTalkMaxBody, Unit::kBytes, 0, kDingTalkInterval, true};
    case WebhookKind::kWeCom:
      return {kWeComMaxContent, Unit::kBytes, 0, kWeComInterval, false};
    case WebhookKind::kSlack:
      return {kSlackMaxBlocks, Unit::kBlocks, kSlackMaxBlockChars, kSlackInterval, false};
    case WebhookKind::kDiscord:
      return {kDiscordMaxContent, Unit::kUtf16, 0, kDiscordInterval, false};
    case WebhookKind::kTelegram:
      return {kTelegramMaxText, Unit::kUtf16, 0, kTelegramInterval, false};
    case WebhookKind::kGeneric:
      return {0, Unit::kBytes, 0, milliseconds{0}, true};
  }
  return {};
}

std::vector<WebhookPayload> build_webhook_payloads(const Digest& digest, WebhookKind kind,
                                                   const PayloadOptions& options) {
  if (kind == WebhookKind::kGeneric)
    return {{options.rendered_json.empty() ? render_json(digest) : options.rendered_json, 1, 1}};
  std::unique_ptr<Style> style;
  switch (kind) {
    case WebhookKind::kFeishu:
      style = std::make_unique<FeishuStyle>();
      break;
    case WebhookKind::kDingTalk:
      style = std::make_unique<DingTalkStyle>();
      break;
    case WebhookKind::kWeCom:
      style = std::make_unique<WeComStyle>();
      break;
    case WebhookKind::kSlack:
      style = std::make_unique<SlackStyle>();
      break;
    case WebhookKind::kDiscord:
      style = std::make_unique<DiscordStyle>();
      break;
    case WebhookKind::kTelegram:
      style = std::make_unique<TelegramStyle>(telegram_chat_id(options.chat_id));
      break;
    case WebhookKind::kGeneric:
      break;
  }
  const bool abstracts =
      options.include_abstract.value_or(webhook_limits(kind).abstract_by_default);
  if (abstracts) return pack(digest, *style);
  Digest without = digest;
  for (Paper& p : without.papers) p.abstract.clear();
  for (auto& t : without.translations)
    if (t) t->abstract.clear();
  return pack(without, *style);
}

std::size_t utf16_length(std::string_view text) noexcept {
  std::size_t n = 0;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) != 0x80) ++n;  // a lead byte or ASCII: one code point
    if (b >= 0xF0) ++n;           // outside the BMP: a surrogate pair
  }
  return n;
}

std::string truncate_code_points(std::string_view text, std::size_t max_code_points) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (seen == max_code_points) return std::string(text.substr(0, i)) + "…";
    ++seen;
  }
  return std::string(text);
}

WebhookPayload build_webhook_notice(WebhookKind kind, Date listing_date, std::string_view title,
                                    std::string_view text, const std::string& chat_id) {
  const std::string plain = std::string(title) + "\n" + std::string(text);
  Json body;
  switch (kind) {
    case WebhookKind::kFeishu:
      body = {{"msg_type", "text"}, {"content", {{"text", plain}}}};
      break;
    case WebhookKind::kDingTalk:
    case WebhookKind::kWeCom:
      body = {{"msgtype", "text"}, {"text", {{"content", plain}}}};
      break;
    case WebhookKind::kSlack:
      body = {{"text", escape_slack(plain)}};
      break;
    case WebhookKind::kDiscord:
      body = {{"content", escape_discord(plain)},
              {"allowed_mentions", {{"parse", Json::array()}}}};
      break;
    case WebhookKind::kTelegram:
      if (chat_id.empty())
        throw ConfigError("telegram webhooks need a chat_id (the chat the bot posts to)");
      body = {{"chat_id", chat_id}, {"text", plain}};
      break;
    case WebhookKind::kGeneric:
      body = {{"notice",
               {{"listing_date", format_date(listing_date)}, {"title", title}, {"text", text}}}};
      break;
  }
  return WebhookPayload{body.dump(-1, ' ', false, Json::error_handler_t::replace), 1, 1};
}

std::string escape_slack(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string escape_discord(std::string_view text) {
  static constexpr std::string_view kMarkup = "\\*_~`|>#-[]<:@";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (kMarkup.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// Telegram's HTML mode decodes &lt; &gt; &amp; &quot; and numeric entities: the renderers'
// escaper (which also replaces invalid UTF-8 and control characters) fits.
std::string escape_telegram(std::string_view text) { return escape_html(text); }

}  // namespace arxiv_digest
