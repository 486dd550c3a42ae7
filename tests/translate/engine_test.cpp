// translate_texts() end to end against the fake servers: results equal the seed's translations,
// every fault is retried or reported, nothing is paid for twice, calls run concurrently.
#include <gtest/gtest.h>

#include <mutex>

#include "support/translation_server.hpp"
#include "core/env.hpp"
#include "translate/mt_translators.hpp"
#include "translate/openai_translator.hpp"
#include "translate/prompt.hpp"
#include "translate/seed_data.hpp"
#include "translate/translation_engine.hpp"

namespace arxiv_digest {
namespace {

using testing::TranslationFault;
using testing::TranslationServer;
using testing::TranslationServerOptions;

std::vector<TextJob> seed_jobs() {
  std::vector<TextJob> jobs;
  for (const auto& s : testing::load_seed_translations()) {
    jobs.push_back({s.title, "title"});
    jobs.push_back({s.abstract, "abstract"});
  }
  return jobs;
}

std::vector<std::string> seed_expected() {
  std::vector<std::string> out;
  for (const auto& s : testing::load_seed_translations()) {
    out.push_back(s.title_zh);
    out.push_back(s.abstract_zh);
  }
  return out;
}

struct Fixture {
  explicit Fixture(TranslationServerOptions server_options = {}, bool stream = false)
      : server(server_options), poster("arxiv-digest-test") {
    OpenAiOptions o;
    o.base_url = server.base_url() + "/v1";
    o.model = "qwen-plus";
    o.api_key = "sk-SECRET";
    o.stream = stream;
    o.timeout = std::chrono::seconds(20);
    translator = std::make_unique<OpenAiTranslator>(poster, o);
    options.prompt_version = std::string(kPromptVersion);
    options.echo_markers = builtin_prompts().echo_markers();
    options.env = &sleeper;
  }
  TranslationServer server;
  CurlHttpPoster poster;
  std::unique_ptr<OpenAiTranslator> translator;
  EngineOptions options;
  FakeEnv sleeper;
  MemoryTranslationCache cache;

  TranslateReport run(const std::vector<TextJob>& jobs) {
    return translate_texts(jobs, *translator, &cache, options);
  }
};

TEST(TranslationEngine, SeedDayTranslatesToTheSeedsChineseWithEveryFormulaIntact) {
  Fixture f(TranslationServerOptions{std::chrono::milliseconds(50)});
  const auto jobs = seed_jobs();
  const auto expected = seed_expected();
  std::vector<TranslateProgress> progress;
  f.options.on_progress = [&](const TranslateProgress& p) { progress.push_back(p); };
  const TranslateReport report = f.run(jobs);
  ASSERT_EQ(report.outcomes.size(), jobs.size());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    SCOPED_TRACE(jobs[i].text.substr(0, 60));
    ASSERT_TRUE(report.outcomes[i].translation.has_value()) << report.outcomes[i].failure;
    EXPECT_EQ(*report.outcomes[i].translation, expected[i]);
    for (const std::string& span : testing::dollar_spans(jobs[i].text))
      EXPECT_NE(report.outcomes[i].translation->find(span), std::string::npos) << span;
  }
  EXPECT_EQ(report.stats.requests, 60u);
  EXPECT_EQ(report.stats.translated, 60u);
  EXPECT_EQ(report.stats.failed, 0u);
  EXPECT_GT(report.stats.usage.prompt_tokens, 0);
  EXPECT_EQ(f.server.request_count(), 60u);
  EXPECT_GE(f.server.max_in_flight(), 2u);  // the default concurrency of 8 really overlaps
  EXPECT_LE(f.server.max_in_flight(), 8u);
  ASSERT_EQ(progress.size(), 60u);
  EXPECT_EQ(progress.back().done, 60u);
  EXPECT_EQ(progress.back().total, 60u);
  EXPECT_EQ(f.cache.size(), 60u);

  // A re-run sends nothing.
  f.server.clear_records();
  const TranslateReport again = f.run(jobs);
  EXPECT_EQ(f.server.request_count(), 0u);
  EXPECT_EQ(again.stats.cache_hits, 60u);
  for (std::size_t i = 0; i < jobs.size(); ++i)
    EXPECT_EQ(*again.outcomes[i].translation, expected[i]);
}

TEST(TranslationEngine, ConcurrencyOneKeepsOneRequestInFlight) {
  Fixture f(TranslationServerOptions{std::chrono::milliseconds(20)});
  f.options.concurrency = 1;
  auto jobs = seed_jobs();
  jobs.resize(10);
  (void)f.run(jobs);
  EXPECT_EQ(f.server.max_in_flight(), 1u);
  EXPECT_EQ(f.server.request_count(), 10u);
}

TEST(TranslationEngine, StreamingBackendGivesTheSameResult) {
  Fixture f(TranslationServerOptions{}, true);
  auto jobs = seed_jobs();
  jobs.resize(12);
  const auto report = f.run(jobs);
  const auto expected = seed_expected();
  for (std::size_t i = 0; i < jobs.size(); ++i)
    EXPECT_EQ(report.outcomes[i].translation, expected[i]);
}

TEST(TranslationEngine, TheSameTextIsTranslatedOnce) {
  Fixture f;
  const auto seeds = testing::load_seed_translations();
  // A paper selected by two topics appears twice.
  const std::vector<TextJob> jobs = {{seeds[3].title, "title"},
                                     {seeds[3].title, "title"},
                                     {seeds[3].abstract, "abstract"},
                                     {seeds[3].abstract, "abstract"}};
  const auto report = f.run(jobs);
  EXPECT_EQ(f.server.request_count(), 2u);
  EXPECT_EQ(report.stats.distinct, 2u);
  EXPECT_EQ(report.outcomes[1].translation, seeds[3].title_zh);
  EXPECT_EQ(report.outcomes[3].translation, seeds[3].abstract_zh);
}

// Each answer fault is rejected once and the retry (with the retry prompt) is accepted.
TEST(TranslationEngine, EveryBadAnswerIsRejectedAndRetriedWithTheRetryPrompt) {
  const auto seeds = testing::load_seed_translations();
  for (TranslationFault fault :
       {TranslationFault::kDropPlaceholder, TranslationFault::kDuplicatePlaceholder,
        TranslationFault::kCommentary, TranslationFault::kThink, TranslationFault::kEcho,
        TranslationFault::kLength, TranslationFault::kEmpty, TranslationFault::kEnglish}) {
    SCOPED_TRACE(static_cast<int>(fault));
    Fixture f;
    f.server.inject(fault);
    const auto report = f.run({{seeds[0].abstract, "abstract"}});
    ASSERT_TRUE(report.outcomes[0].translation.has_value()) << report.outcomes[0].failure;
    EXPECT_EQ(*report.outcomes[0].translation, seeds[0].abstract_zh);
    EXPECT_EQ(report.stats.rejected, 1u);
    EXPECT_EQ(report.outcomes[0].attempts, 2);
    ASSERT_EQ(f.server.request_count(), 2u);
    const auto bodies = f.server.bodies();
    EXPECT_NE(bodies[0], bodies[1]);  // the second request uses the retry prompt
    EXPECT_NE(bodies[1].find("previous answer to this request was rejected"), std::string::npos);
  }
}

TEST(TranslationEngine, TransportFaultsAreRetriedWithBackoffAndRetryAfter) {
  const auto seeds = testing::load_seed_translations();
  for (TranslationFault fault :
       {TranslationFault::kRateLimit, TranslationFault::kServerError,
        TranslationFault::kInvalidJson, TranslationFault::kErrorInStream}) {
    for (bool stream : {false, true}) {
      SCOPED_TRACE(static_cast<int>(fault) * 10 + (stream ? 1 : 0));
      Fixture f(TranslationServerOptions{}, stream);
      f.server.inject(fault);
      const auto report = f.run({{seeds[1].title, "title"}});
      ASSERT_TRUE(report.outcomes[0].translation.has_value()) << report.outcomes[0].failure;
      EXPECT_EQ(*report.outcomes[0].translation, seeds[1].title_zh);
      EXPECT_EQ(report.stats.retries, 1u);
      EXPECT_EQ(f.server.request_count(), 2u);
      ASSERT_EQ(f.sleeper.sleeps().size(), 1u);
      if (fault == TranslationFault::kRateLimit)
        EXPECT_EQ(f.sleeper.sleeps()[0], std::chrono::seconds(1));  // Retry-After honoured
      else
        EXPECT_LE(f.sleeper.sleeps()[0], f.options.retry.base_delay);  // full jitter, first retry
    }
  }
}

TEST(TranslationEngine, AStalledConnectionTimesOutAndIsRetried) {
  TranslationServerOptions server_options;
  server_options.stall = std::chrono::seconds(30);
  Fixture f(server_options);
  OpenAiOptions o;
  o.base_url = f.server.base_url() + "/v1";
  o.model = "m";
  o.timeout = std::chrono::milliseconds(500);
  OpenAiTranslator fast_timeout(f.poster, o);
  f.server.inject(TranslationFault::kStall);
  const auto seeds = testing::load_seed_translations();
  const auto report =
      translate_texts({{seeds[2].title, "title"}}, fast_timeout, nullptr, f.options);
  ASSERT_TRUE(report.outcomes[0].translation.has_value()) << report.outcomes[0].failure;
  EXPECT_EQ(report.stats.retries, 1u);
}

TEST(TranslationEngine, ExhaustedAttemptsFailWithTheReasonAndAreRetriedNextRun) {
  Fixture f;
  const auto seeds = testing::load_seed_translations();
  f.server.inject(TranslationFault::kDropPlaceholder, 3);
  const std::vector<TextJob> jobs = {{seeds[0].abstract, "abstract"}};
  const auto report = f.run(jobs);
  EXPECT_FALSE(report.outcomes[0].translation.has_value());
  EXPECT_NE(report.outcomes[0].failure.find("token {M1} is missing"), std::string::npos)
      << report.outcomes[0].failure;
  EXPECT_EQ(report.stats.failed, 1u);
  EXPECT_EQ(f.server.request_count(), 3u);  // max_attempts
  EXPECT_EQ(f.cache.size(), 0u);            // failures are never cached

  const auto next = f.run(jobs);
  EXPECT_EQ(next.outcomes[0].translation, seeds[0].abstract_zh);
  EXPECT_EQ(f.server.request_count(), 4u);
}

TEST(TranslationEngine, QuotaExhaustedStopsEverythingAndAKilledRunPaysOnlyForTheRest) {
  Fixture f;
  f.options.concurrency = 1;
  f.server.inject(TranslationFault::kNone, 10);
  f.server.inject(TranslationFault::kQuota);  // HTTP 402 on the 11th request
  const auto jobs = seed_jobs();
  const auto report = f.run(jobs);
  EXPECT_EQ(report.stats.translated, 10u);
  EXPECT_EQ(report.stats.failed, 50u);
  EXPECT_EQ(f.server.request_count(), 11u);  // no retry of a quota error, no call after it
  for (const auto& outcome : report.outcomes) {
    if (!outcome.translation) {
      EXPECT_NE(outcome.failure.find("quota exhausted"), std::string::npos) << outcome.failure;
      EXPECT_EQ(outcome.failure.find("sk-SECRET"), std::string::npos);
    }
  }
  EXPECT_EQ(f.cache.size(), 10u);

  f.server.clear_records();
  const auto rest = f.run(jobs);
  EXPECT_EQ(f.server.request_count(), 50u);  // only what was not paid for yet
  EXPECT_EQ(rest.stats.cache_hits, 10u);
  const auto expected = seed_expected();
  for (std::size_t i = 0; i < jobs.size(); ++i)
    EXPECT_EQ(rest.outcomes[i].translation, expected[i]);
  for (const auto& [text, count] : f.server.text_counts()) EXPECT_EQ(count, 1u) << text;
}

TEST(TranslationEngine, DeepLBatchesOfFiftyAndQuotaStopsWithoutRetry) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  DeepLTranslator deepl(poster, {server.base_url(), "key:fx", 50, std::chrono::seconds(10)});
  EngineOptions options;
  FakeEnv sleeper;
  options.env = &sleeper;
  options.concurrency = 1;
  MemoryTranslationCache cache;
  const auto jobs = seed_jobs();
  const auto report = translate_texts(jobs, deepl, &cache, options);
  EXPECT_EQ(server.request_count(), 2u);  // 60 texts = 50 + 10
  const auto expected = seed_expected();
  for (std::size_t i = 0; i < jobs.size(); ++i)
    EXPECT_EQ(report.outcomes[i].translation, expected[i]);

  MemoryTranslationCache empty;
  server.clear_records();
  server.inject(TranslationFault::kQuota);
  const auto failed = translate_texts(jobs, deepl, &empty, options);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failed.stats.failed, 60u);
  EXPECT_TRUE(sleeper.sleeps().empty());
  EXPECT_NE(failed.outcomes[59].failure.find("quota"), std::string::npos)
      << failed.outcomes[59].failure;
}

TEST(TranslationEngine, RejectedItemsOfABatchAreResentAlone) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  LibreTranslateTranslator libre(poster, {server.base_url(), "", "", 25, std::chrono::seconds(10)});
  EngineOptions options;
  options.concurrency = 1;
  server.inject(
      TranslationFault::kEnglish);  // the first text of the first batch comes back English
  auto jobs = seed_jobs();
  jobs.resize(20);
  const auto report = translate_texts(jobs, libre, nullptr, options);
  const auto expected = seed_expected();
  for (std::size_t i = 0; i < jobs.size(); ++i)
    EXPECT_EQ(report.outcomes[i].translation, expected[i]);
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(server.texts_received(), 21u);
}

TEST(TranslationEngine, CacheKeyIncludesPromptVersionModelAndTarget) {
  Fixture f;
  const auto seeds = testing::load_seed_translations();
  const std::vector<TextJob> jobs = {{seeds[5].title, "title"}};
  (void)f.run(jobs);
  f.options.prompt_version = "translate-v2";
  (void)f.run(jobs);
  f.options.target = "zh-TW";
  f.options.backend_target = "zh-CN";
  f.options.postprocess = [](std::string_view s) { return "TW:" + std::string(s); };
  const auto tw = f.run(jobs);
  EXPECT_EQ(f.server.request_count(), 3u);
  EXPECT_EQ(tw.outcomes[0].translation, "TW:" + seeds[5].title_zh);
  EXPECT_EQ(f.cache.size(), 3u);
}

TEST(TranslationEngine, RequestsPerMinuteMakesCallsWait) {
  Fixture f;
  f.options.concurrency = 1;
  f.options.requests_per_minute = 60;  // burst of 5, then one per second
  auto jobs = seed_jobs();
  jobs.resize(10);
  const auto report = f.run(jobs);
  EXPECT_EQ(report.stats.translated, 10u);
  ASSERT_EQ(f.sleeper.sleeps().size(), 5u);
  for (auto w : f.sleeper.sleeps()) EXPECT_GT(w, std::chrono::milliseconds(0));
}

TEST(TranslationEngine, DeepLRateLimitAndServerErrorsAreRetried) {
  TranslationServer server;
  CurlHttpPoster poster("arxiv-digest-test");
  DeepLTranslator deepl(poster, {server.base_url(), "key:fx", 50, std::chrono::seconds(10)});
  EngineOptions options;
  FakeEnv sleeper;
  options.env = &sleeper;
  options.concurrency = 1;
  server.inject(TranslationFault::kRateLimit);
  server.inject(TranslationFault::kServerError);
  const auto jobs = seed_jobs();
  const auto report = translate_texts(jobs, deepl, nullptr, options);
  EXPECT_EQ(report.stats.translated, 60u);
  EXPECT_EQ(report.stats.retries, 2u);
  ASSERT_FALSE(sleeper.sleeps().empty());
  EXPECT_EQ(sleeper.sleeps()[0], std::chrono::seconds(1));
}

TEST(TokenBucket, SpacesRequestsAtTheConfiguredRate) {
  FakeEnv env;
  TokenBucket bucket(60, 1, &env);
  for (int i = 0; i < 4; ++i) bucket.acquire();
  ASSERT_EQ(env.sleeps().size(), 3u);  // the first is free (burst 1), then one per second
  for (auto w : env.sleeps()) EXPECT_EQ(w, std::chrono::seconds(1));
  env.advance(std::chrono::seconds(10));
  bucket.acquire();
  EXPECT_EQ(env.sleeps().size(), 3u);
  TokenBucket unlimited(0);
  EXPECT_EQ(unlimited.wait_time(1000), std::chrono::milliseconds(0));
}

}  // namespace
}  // namespace arxiv_digest
