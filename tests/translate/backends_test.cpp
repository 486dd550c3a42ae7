// The backends against the fake servers: wire format both ways, status mapping, secrets.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/translation_server.hpp"
#include "translate/mt_translators.hpp"
#include "translate/openai_translator.hpp"
#include "translate/protect.hpp"

namespace arxiv_digest {
namespace {

using testing::TranslationFault;
using testing::TranslationServer;
using Json = nlohmann::json;

constexpr const char* kKey = "sk-test-SECRET-0123456789";

OpenAiOptions openai_options(const TranslationServer& server, bool stream = false) {
  OpenAiOptions options;
  options.base_url = server.base_url() + "/v1";
  options.model = "deepseek-chat";
  options.api_key = kKey;
  options.stream = stream;
  options.timeout = std::chrono::seconds(10);
  return options;
}

TEST(OpenAiTranslator, SendsTheDocumentedRequestAndReadsTheAnswer) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  OpenAiOptions options = openai_options(server);
  options.max_tokens_field = "max_completion_tokens";
  options.extra_headers = {{"X-Title", "arxiv-digest"}};
  OpenAiTranslator translator(poster, options);
  const auto seeds = testing::load_seed_translations();
  const MaskedText masked = mask_protected(seeds[0].abstract);
  const std::vector<std::string> texts = {masked.text};
  const TranslateBatchResult result = translator.translate({texts, "zh-CN", 1, ""});
  ASSERT_EQ(result.replies.size(), 1u);
  EXPECT_FALSE(result.replies[0].truncated);
  EXPECT_EQ(restore_protected(result.replies[0].text, masked).text, seeds[0].abstract_zh);
  EXPECT_GT(result.usage.prompt_tokens, 0);
  EXPECT_GT(result.usage.completion_tokens, 0);

  ASSERT_EQ(server.bodies().size(), 1u);
  const Json body = Json::parse(server.bodies()[0]);
  EXPECT_EQ(body["model"], "deepseek-chat");
  EXPECT_EQ(body["messages"][0]["role"], "system");
  EXPECT_EQ(body["messages"][1]["content"], masked.text);
  EXPECT_TRUE(body.contains("max_completion_tokens"));
  EXPECT_FALSE(body.contains("max_tokens"));
  EXPECT_EQ(server.auth_headers()[0], std::string("Bearer ") + kKey);
}

TEST(OpenAiTranslator, StreamingSkipsKeepAlivesAndCollectsUsage) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  OpenAiTranslator translator(poster, openai_options(server, true));
  const auto seeds = testing::load_seed_translations();
  const MaskedText masked = mask_protected(seeds[4].abstract);
  const std::vector<std::string> texts = {masked.text};
  const TranslateBatchResult result = translator.translate({texts, "zh-CN", 1, ""});
  EXPECT_EQ(restore_protected(result.replies[0].text, masked).text, seeds[4].abstract_zh);
  EXPECT_GT(result.usage.completion_tokens, 0);
  EXPECT_TRUE(Json::parse(server.bodies()[0])["stream_options"]["include_usage"].get<bool>());
}

TEST(OpenAiTranslator, ParsesSseFramingEdgeCases) {
  // CRLF line ends, a comment, an event split over two data lines, no [DONE] but a finish_reason.
  const std::string body =
      ": keep-alive\r\n\r\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"你\"}}]}\r\n\r\n"
      "data: {\"choices\":[{\"delta\":\r\ndata: "
      "{\"content\":\"好\"},\"finish_reason\":\"length\"}]}\r\n\r\n";
  const auto result = parse_chat_completion(body, "u");
  EXPECT_EQ(result.replies[0].text, "你好");
  EXPECT_TRUE(result.replies[0].truncated);
  // A stream cut before any finish: a transport failure (retryable).
  try {
    (void)parse_chat_completion("data: {\"choices\":[{\"delta\":{\"content\":\"你\"}}]}\n\n", "u");
    FAIL();
  } catch (const TranslateError& e) {
    EXPECT_EQ(e.kind(), TranslateErrorKind::kTransport);
  }
  // An error string inside a 200 stream.
  try {
    (void)parse_chat_completion("data: {\"error\": \"model overloaded\"}\n\n", "u");
    FAIL();
  } catch (const TranslateError& e) {
    EXPECT_EQ(e.kind(), TranslateErrorKind::kBadResponse);
    EXPECT_NE(std::string(e.what()).find("model overloaded"), std::string::npos);
  }
}

TEST(OpenAiTranslator, StatusesMapToErrorKindsWithoutTheKey) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  OpenAiTranslator translator(poster, openai_options(server));
  const std::vector<std::string> texts = {"Hello world."};
  struct Case {
    TranslationFault fault;
    TranslateErrorKind kind;
  };
  for (const Case c : {Case{TranslationFault::kRateLimit, TranslateErrorKind::kRateLimited},
                       Case{TranslationFault::kServerError, TranslateErrorKind::kServer},
                       Case{TranslationFault::kQuota, TranslateErrorKind::kQuota},
                       Case{TranslationFault::kInvalidJson, TranslateErrorKind::kBadResponse},
                       Case{TranslationFault::kErrorInStream, TranslateErrorKind::kBadResponse}}) {
    server.inject(c.fault);
    try {
      (void)translator.translate({texts, "zh-CN", 1, ""});
      ADD_FAILURE() << "no error for fault " << static_cast<int>(c.fault);
    } catch (const TranslateError& e) {
      EXPECT_EQ(e.kind(), c.kind) << e.what();
      EXPECT_EQ(std::string(e.what()).find(kKey), std::string::npos) << e.what();
      if (c.fault == TranslationFault::kRateLimit) {
        ASSERT_TRUE(e.retry_after().has_value());
        EXPECT_EQ(e.retry_after()->wait({}), std::chrono::seconds(1));
      }
    }
  }
}

TEST(DeepLTranslator, BatchesUpToFiftyTextsWithTheAuthKeyHeader) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  DeepLTranslator translator(poster, {server.base_url(), "abc:fx", 50, std::chrono::seconds(10)});
  const auto seeds = testing::load_seed_translations();
  std::vector<MaskedText> masked;
  std::vector<std::string> texts;
  for (const auto& s : seeds) {
    masked.push_back(mask_protected(s.title));
    texts.push_back(masked.back().text);
  }
  const auto result = translator.translate({texts, "zh-CN", 1, ""});
  ASSERT_EQ(result.replies.size(), seeds.size());
  for (std::size_t i = 0; i < seeds.size(); ++i)
    EXPECT_EQ(restore_protected(result.replies[i].text, masked[i]).text, seeds[i].title_zh);
  EXPECT_GT(result.usage.characters, 0);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.auth_headers()[0], "DeepL-Auth-Key abc:fx");
  const Json body = Json::parse(server.bodies()[0]);
  EXPECT_EQ(body["target_lang"], "ZH-HANS");
  EXPECT_EQ(body["text"].size(), seeds.size());

  server.inject(TranslationFault::kQuota);
  try {
    (void)translator.translate({texts, "zh-CN", 1, ""});
    FAIL();
  } catch (const TranslateError& e) {
    EXPECT_EQ(e.kind(), TranslateErrorKind::kQuota);
    EXPECT_EQ(e.status(), 456);
    EXPECT_TRUE(e.fatal());
    EXPECT_FALSE(e.retryable());
  }
  EXPECT_THROW(DeepLTranslator(poster, {server.base_url(), "", 50, std::chrono::seconds(1)}),
               ConfigError);
}

TEST(LibreTranslateTranslator, ArrayAndSingleForms) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  LibreTranslateTranslator translator(poster,
                                      {server.base_url(), "", "", 25, std::chrono::seconds(10)});
  const auto seeds = testing::load_seed_translations();
  const std::vector<std::string> texts = {seeds[1].title, seeds[2].title};
  const auto result = translator.translate({texts, "zh-CN", 1, ""});
  ASSERT_EQ(result.replies.size(), 2u);
  EXPECT_EQ(result.replies[0].text, seeds[1].title_zh);
  EXPECT_EQ(result.replies[1].text, seeds[2].title_zh);
  const Json body = Json::parse(server.bodies()[0]);
  EXPECT_EQ(body["target"], "zh-Hans");
  EXPECT_EQ(body["source"], "en");
  EXPECT_FALSE(body.contains("api_key"));
}

}  // namespace
}  // namespace arxiv_digest
