// The payload builders on the real reference digest (30 papers with Chinese translations) and on
// hostile input: shape per service, every paper exactly once, sizes within each documented limit
// (measured here, independently of the builders' own accounting), part markers, cutting.
#include "deliver/webhook_payload.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using Json = nlohmann::json;
using testing::count_of;
using testing::load_seed_digest;

constexpr WebhookKind kChatKinds[] = {WebhookKind::kFeishu,  WebhookKind::kDingTalk,
                                      WebhookKind::kWeCom,   WebhookKind::kSlack,
                                      WebhookKind::kDiscord, WebhookKind::kTelegram};

PayloadOptions options_for(WebhookKind kind) {
  PayloadOptions o;
  if (kind == WebhookKind::kTelegram) o.chat_id = "-1001234567890";
  return o;
}

// UTF-16 units, counted here without the library's helper.
std::size_t units(const std::string& s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    n += len == 4 ? 2 : 1;
    i += len;
  }
  return n;
}

// The human-readable text of a body (all strings concatenated) and the size its limit applies to.
struct Measured {
  std::string text;
  std::size_t size = 0;
  std::size_t limit = 0;
};

void collect(const Json& j, std::string& out) {
  if (j.is_string()) {
    out += j.get<std::string>();
    out += '\n';
  } else if (j.is_structured()) {
    for (const auto& v : j) collect(v, out);
  }
}

// What a reader sees of escaped text: backslash escapes (Markdown services) and entities
// (Slack, Telegram, and DingTalk/WeCom for < >) undone.
std::string unescape(WebhookKind kind, const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool markdown = kind == WebhookKind::kDingTalk || kind == WebhookKind::kWeCom ||
                          kind == WebhookKind::kDiscord;
    if (markdown && text[i] == '\\' && i + 1 < text.size() &&
        std::ispunct(static_cast<unsigned char>(text[i + 1]))) {
      out += text[++i];
      continue;
    }
    out += text[i];
  }
  if (kind == WebhookKind::kDiscord || kind == WebhookKind::kFeishu) return out;
  for (const auto& [entity, c] :
       {std::pair{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&amp;", "&"}}) {
    for (std::size_t at = out.find(entity); at != std::string::npos; at = out.find(entity, at + 1))
      out.replace(at, std::string_view(entity).size(), c);
  }
  return out;
}

Measured measure(WebhookKind kind, const std::string& body) {
  const Json j = Json::parse(body);  // throws on invalid JSON or UTF-8
  Measured m;
  collect(j, m.text);
  m.text = unescape(kind, m.text);
  switch (kind) {
    case WebhookKind::kFeishu:
      EXPECT_EQ(j.at("msg_type"), "post");
      m.size = body.size();
      m.limit = 20 * 1024;
      break;
    case WebhookKind::kDingTalk:
      EXPECT_EQ(j.at("msgtype"), "markdown");
      EXPECT_FALSE(j.at("markdown").at("title").get<std::string>().empty());
      m.size = body.size();
      m.limit = 20'000;
      break;
    case WebhookKind::kWeCom:
      EXPECT_EQ(j.at("msgtype"), "markdown");
      m.size = j.at("markdown").at("content").get<std::string>().size();
      m.limit = 4096;
      break;
    case WebhookKind::kSlack:
      m.size = j.at("blocks").size();
      m.limit = 50;
      for (const Json& b : j.at("blocks"))
        EXPECT_LE(units(b.at("text").at("text").get<std::string>()), 3000u);
      break;
    case WebhookKind::kDiscord:
      m.size = units(j.at("content").get<std::string>());
      m.limit = 2000;
      EXPECT_TRUE(j.at("allowed_mentions").at("parse").empty());
      break;
    case WebhookKind::kTelegram:
      EXPECT_EQ(j.at("parse_mode"), "HTML");
      EXPECT_EQ(j.at("chat_id"), -1001234567890LL);
      m.size = units(j.at("text").get<std::string>());
      m.limit = 4096;
      break;
    case WebhookKind::kGeneric:
      m.size = 0;
      m.limit = 1;
      break;
  }
  return m;
}

class SeedPayloads : public ::testing::TestWithParam<WebhookKind> {};

TEST_P(SeedPayloads, EveryPaperOnceWithinTheLimitWithPartMarkers) {
  const WebhookKind kind = GetParam();
  const Digest digest = load_seed_digest();
  ASSERT_EQ(digest.papers.size(), 30u);
  const auto payloads = build_webhook_payloads(digest, kind, options_for(kind));
  ASSERT_FALSE(payloads.empty());

  std::string all;
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    EXPECT_EQ(payloads[i].part, i + 1);
    EXPECT_EQ(payloads[i].parts, payloads.size());
    const Measured m = measure(kind, payloads[i].body);
    EXPECT_LE(m.size, m.limit) << to_string(kind) << " part " << i + 1;
    EXPECT_TRUE(is_valid_utf8(m.text));
    if (payloads.size() > 1)
      EXPECT_NE(
          m.text.find("(" + std::to_string(i + 1) + "/" + std::to_string(payloads.size()) + ")"),
          std::string::npos);
    else
      EXPECT_EQ(m.text.find("(1/1)"), std::string::npos);
    all += m.text;
  }
  // Every selected paper, per topic, exactly once; its Chinese title too.
  for (const TopicResult& topic : digest.topics) {
    EXPECT_NE(all.find("Keyword: " + topic.topic.name), std::string::npos);
    for (std::size_t index : topic.papers) {
      const Paper& p = digest.papers[index];
      std::size_t expected = 0;
      for (const TopicResult& t : digest.topics)
        expected += static_cast<std::size_t>(std::count(t.papers.begin(), t.papers.end(), index));
      EXPECT_EQ(count_of(all, abs_url(p.id)), expected) << p.id.str();
      ASSERT_TRUE(digest.translations[index]);
      EXPECT_NE(all.find(digest.translations[index]->title), std::string::npos) << p.id.str();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllChatServices, SeedPayloads, ::testing::ValuesIn(kChatKinds),
                         [](const auto& param_info) {
                           return std::string(to_string(param_info.param));
                         });

TEST(WebhookPayload, SplitCountsFollowTheLimits) {
  const Digest digest = load_seed_digest();
  auto parts = [&](WebhookKind kind) {
    return build_webhook_payloads(digest, kind, options_for(kind)).size();
  };
  // WeCom's 4096 bytes hold a handful of Chinese-titled entries; Discord's 2000 characters fewer
  // than Telegram's 4096; Slack fits 30 one-block entries in one 50-block message.
  EXPECT_GE(parts(WebhookKind::kWeCom), 3u);
  EXPECT_GT(parts(WebhookKind::kDiscord), parts(WebhookKind::kTelegram));
  EXPECT_EQ(parts(WebhookKind::kSlack), 1u);
  // With abstracts (Chinese, ~3 bytes a character) Feishu needs several 20 KB messages.
  EXPECT_GT(parts(WebhookKind::kFeishu), 1u);
}

TEST(WebhookPayload, AbstractsWhereTheServiceHasRoomAndAsConfigured) {
  const Digest digest = load_seed_digest();
  const std::string zh_abstract = digest.translations[0]->abstract.substr(0, 60);
  auto text_of = [&](WebhookKind kind, std::optional<bool> abstracts) {
    PayloadOptions o = options_for(kind);
    o.include_abstract = abstracts;
    std::string all;
    for (const auto& p : build_webhook_payloads(digest, kind, o)) all += measure(kind, p.body).text;
    return all;
  };
  EXPECT_NE(text_of(WebhookKind::kFeishu, std::nullopt).find(zh_abstract), std::string::npos);
  EXPECT_NE(text_of(WebhookKind::kDingTalk, std::nullopt).find(zh_abstract), std::string::npos);
  EXPECT_EQ(text_of(WebhookKind::kWeCom, std::nullopt).find(zh_abstract), std::string::npos);
  EXPECT_EQ(text_of(WebhookKind::kFeishu, false).find(zh_abstract), std::string::npos);
  EXPECT_NE(text_of(WebhookKind::kTelegram, true).find(zh_abstract), std::string::npos);
}

TEST(WebhookPayload, APaperLongerThanTheLimitIsCutAtACodePointWithAnEllipsis) {
  Digest digest = load_seed_digest();
  // 3000 Chinese characters = 9000 bytes: far over WeCom's 4096-byte message.
  std::string huge;
  for (int i = 0; i < 3000; ++i) huge += "强";
  digest.translations[0]->abstract = huge;
  PayloadOptions o;
  o.include_abstract = true;
  const auto payloads = build_webhook_payloads(digest, WebhookKind::kWeCom, o);
  const std::string first =
      Json::parse(payloads[0].body).at("markdown").at("content").get<std::string>();
  EXPECT_LE(first.size(), 4096u);
  EXPECT_TRUE(is_valid_utf8(first));
  EXPECT_NE(first.find("强强强…"), std::string::npos);
  EXPECT_NE(first.find(abs_url(digest.papers[0].id)), std::string::npos);  // the link survives
}

TEST(WebhookPayload, TruncateCodePointsNeverSplitsASequence) {
  EXPECT_EQ(truncate_code_points("中文abc", 2), "中文…");
  EXPECT_EQ(truncate_code_points("中文", 2), "中文");
  EXPECT_EQ(truncate_code_points("a😀b", 2), "a😀…");
  EXPECT_EQ(utf16_length("a😀中"), 4u);
}

Digest hostile_digest() {
  Digest d = load_seed_digest();
  d.papers[0].title = "<script>alert(1)</script> *bold* _it_ [x](y) & @everyone `code` </b>";
  d.papers[0].authors = {"<i>Eve</i> & *Mallory*"};
  d.translations[0]->title = "标题 <b>粗</b> & [链接](http://evil)";
  return d;
}

std::string all_text(WebhookKind kind, const Digest& d) {
  std::string all;
  for (const auto& p : build_webhook_payloads(d, kind, options_for(kind))) {
    const Json j = Json::parse(p.body);
    all += j.dump();
  }
  return all;
}

TEST(WebhookPayload, HostileTitlesAreEscapedForEachMarkup) {
  const Digest d = hostile_digest();
  const std::string telegram = all_text(WebhookKind::kTelegram, d);
  EXPECT_EQ(telegram.find("<script>"), std::string::npos);
  EXPECT_NE(telegram.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(telegram.find("&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(telegram.find("&amp; @everyone"), std::string::npos);

  const std::string slack = all_text(WebhookKind::kSlack, d);
  EXPECT_EQ(slack.find("<script>"), std::string::npos);
  EXPECT_NE(slack.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(slack.find("[x](y) &amp; @everyone"), std::string::npos);

  const std::string discord = all_text(WebhookKind::kDiscord, d);
  // (JSON doubles each backslash.)
  EXPECT_NE(discord.find(R"(\\*bold\\*)"), std::string::npos);
  EXPECT_NE(discord.find(R"(\\[x\\](y))"), std::string::npos);
  EXPECT_NE(discord.find(R"(\\@everyone)"), std::string::npos);
  EXPECT_NE(discord.find(R"(\\`code\\`)"), std::string::npos);

  for (WebhookKind kind : {WebhookKind::kDingTalk, WebhookKind::kWeCom}) {
    const std::string md = all_text(kind, d);
    EXPECT_NE(md.find(R"(\\*bold\\*)"), std::string::npos) << to_string(kind);
    EXPECT_NE(md.find(R"(\\[x\\](y))"), std::string::npos) << to_string(kind);
    EXPECT_EQ(md.find("<script>"), std::string::npos) << to_string(kind);
    EXPECT_NE(md.find("&lt;script&gt;"), std::string::npos) << to_string(kind);
  }

  // Feishu's rich text is structure, not markup: the title is one "a" element's text, verbatim.
  const Json feishu = Json::parse(build_webhook_payloads(d, WebhookKind::kFeishu, {}).front().body);
  const Json& first_line = feishu["content"]["post"]["zh_cn"]["content"][1];
  EXPECT_EQ(first_line[1]["tag"], "a");
  EXPECT_EQ(first_line[1]["text"], d.papers[0].title);
}

TEST(WebhookPayload, EmptyDigestIsOneMessageSayingSo) {
  Digest d = load_seed_digest();
  d.papers.clear();
  d.translations.clear();
  for (auto& t : d.topics) {
    t.papers.clear();
    t.reasons.clear();
  }
  for (WebhookKind kind : kChatKinds) {
    const auto payloads = build_webhook_payloads(d, kind, options_for(kind));
    ASSERT_EQ(payloads.size(), 1u) << to_string(kind);
    const Measured m = measure(kind, payloads[0].body);
    EXPECT_NE(m.text.find("0 papers"), std::string::npos) << to_string(kind);
    EXPECT_NE(m.text.find("(no papers)"), std::string::npos) << to_string(kind);
  }
}

TEST(WebhookPayload, GenericIsTheProjectJsonAsRendered) {
  const Digest d = load_seed_digest();
  const auto own = build_webhook_payloads(d, WebhookKind::kGeneric, {});
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].body, render_json(d));
  PayloadOptions o;
  o.rendered_json = R"({"given":true})";
  EXPECT_EQ(build_webhook_payloads(d, WebhookKind::kGeneric, o)[0].body, o.rendered_json);
}

TEST(WebhookPayload, TelegramNeedsAChatIdAndSendsNamesAsStrings) {
  const Digest d = load_seed_digest();
  EXPECT_THROW(build_webhook_payloads(d, WebhookKind::kTelegram, {}), ConfigError);
  PayloadOptions o;
  o.chat_id = "@arxiv_lab";
  EXPECT_EQ(Json::parse(build_webhook_payloads(d, WebhookKind::kTelegram, o)[0].body)["chat_id"],
            "@arxiv_lab");
}

TEST(WebhookPayload, KindNamesRoundTripWithAliases) {
  for (WebhookKind kind : kChatKinds) EXPECT_EQ(webhook_kind_from_string(to_string(kind)), kind);
  EXPECT_EQ(webhook_kind_from_string("generic"), WebhookKind::kGeneric);
  EXPECT_EQ(webhook_kind_from_string("Lark"), WebhookKind::kFeishu);
  EXPECT_EQ(webhook_kind_from_string("WXWORK"), WebhookKind::kWeCom);
  EXPECT_EQ(webhook_kind_from_string("teams"), std::nullopt);
  EXPECT_EQ(webhook_kind_from_string(""), std::nullopt);
}

}  // namespace
}  // namespace arxiv_digest
