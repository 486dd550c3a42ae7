// WebhookSink against the local WebhookServer (real HTTP through CurlHttpPoster), on FakeEnv so
// rate-limit spacing and retry waits are recorded, not slept. The server verifies every message
// (shape, signature, size) the way the service documents it.
#include "deliver/webhook_sink.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/error.hpp"
#include "render/seed_digest.hpp"
#include "support/test_support.hpp"
#include "support/webhook_server.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using testing::EnvVar;
using testing::load_seed_digest;
using testing::WebhookFault;
using testing::WebhookServer;
using testing::WebhookServerOptions;
using testing::WebhookService;

constexpr std::string_view kSecret = "SEC-webhook-secret-9f8e7d";
constexpr std::string_view kSecretVar = "ARXIV_DIGEST_TEST_WEBHOOK_SECRET";

WebhookService service_of(WebhookKind kind) {
  switch (kind) {
    case WebhookKind::kFeishu:
      return WebhookService::kFeishu;
    case WebhookKind::kDingTalk:
      return WebhookService::kDingTalk;
    case WebhookKind::kWeCom:
      return WebhookService::kWeCom;
    case WebhookKind::kSlack:
      return WebhookService::kSlack;
    case WebhookKind::kDiscord:
      return WebhookService::kDiscord;
    case WebhookKind::kTelegram:
      return WebhookService::kTelegram;
    case WebhookKind::kGeneric:
      return WebhookService::kGeneric;
  }
  return WebhookService::kGeneric;
}

bool signs(WebhookKind kind) {
  return kind == WebhookKind::kFeishu || kind == WebhookKind::kDingTalk ||
         kind == WebhookKind::kGeneric;
}

RetryPolicy quick_policy(int retries = 3) {
  RetryPolicy p;
  p.max_retries = retries;
  p.base_delay = milliseconds{1'000};
  p.max_delay = milliseconds{8'000};
  p.jitter_seed = 42;
  return p;
}

class WebhookSinkTest : public ::testing::Test {
 protected:
  WebhookServerOptions server_options() {
    WebhookServerOptions o;
    o.secret = std::string(kSecret);
    return o;
  }
  WebhookSettings settings(WebhookKind kind) const {
    WebhookSettings s;
    s.name = "lab";
    s.kind = kind;
    s.url = server_.url(service_of(kind));
    if (signs(kind)) s.secret_env = std::string(kSecretVar);
    if (kind == WebhookKind::kTelegram) s.chat_id = "-1001234567890";
    return s;
  }
  // Sends the seed digest; returns what publish() returned.
  std::vector<Publication> deliver(WebhookSink& sink, const RenderedSet& set = {}) {
    return sink.publish(digest_, set);
  }
  // The DeliveryError publish() throws (fails the test if none).
  DeliveryError deliver_failing(WebhookSink& sink) {
    try {
      sink.publish(digest_, {});
    } catch (const DeliveryError& e) {
      return e;
    }
    ADD_FAILURE() << "publish() did not throw DeliveryError";
    return DeliveryError("", "", false);
  }
  void expect_no_secret(const std::string& message) const {
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
    EXPECT_EQ(message.find("tok-3f9a1c"), std::string::npos) << message;
    EXPECT_EQ(message.find("127.0.0.1"), std::string::npos) << message;
  }

  WebhookServer server_{server_options()};
  EnvVar secret_{std::string(kSecretVar), std::string(kSecret)};
  FakeEnv env_{std::chrono::sys_seconds{std::chrono::seconds{1781790778}}};
  CurlHttpPoster poster_{"arxiv-digest-test"};
  Digest digest_ = load_seed_digest();
};

class WebhookSinkKinds : public WebhookSinkTest,
                         public ::testing::WithParamInterface<WebhookKind> {};

TEST_P(WebhookSinkKinds, DeliversEveryPartVerifiedAndSpacedPerTheServiceRate) {
  const WebhookKind kind = GetParam();
  WebhookSink sink(settings(kind), poster_, env_, quick_policy());
  PayloadOptions o;
  o.chat_id = "-1001234567890";
  const std::size_t parts = build_webhook_payloads(digest_, kind, o).size();

  const auto publications = deliver(sink);

  ASSERT_EQ(publications.size(), parts);
  const auto received = server_.received();
  ASSERT_EQ(received.size(), parts);
  for (const auto& r : received) EXPECT_TRUE(r.accepted) << to_string(kind) << ": " << r.rejection;
  for (const auto& p : publications) {
    EXPECT_EQ(p.sink, "webhook:lab");
    EXPECT_EQ(p.target.find("tok-"), std::string::npos);
  }
  // Spacing: one wait of the service's interval before every part after the first.
  const std::vector<milliseconds> expected(parts - 1, webhook_limits(kind).min_interval);
  EXPECT_EQ(env_.sleeps(), expected);
  // Every paper reached the chat (Telegram shows the link as the title's href).
  std::string all;
  for (const auto& r : received) all += kind == WebhookKind::kTelegram ? r.body : r.visible;
  for (const Paper& p : digest_.papers)
    EXPECT_NE(all.find(p.id.str().substr(0, 10)), std::string::npos) << p.id.str();
}

INSTANTIATE_TEST_SUITE_P(AllServices, WebhookSinkKinds,
                         ::testing::Values(WebhookKind::kFeishu, WebhookKind::kDingTalk,
                                           WebhookKind::kWeCom, WebhookKind::kSlack,
                                           WebhookKind::kDiscord, WebhookKind::kTelegram,
                                           WebhookKind::kGeneric),
                         [](const auto& param_info) {
                           return std::string(to_string(param_info.param));
                         });

TEST_F(WebhookSinkTest, NameNeverShowsTheUrlAndGenericNeedsJson) {
  WebhookSink generic(settings(WebhookKind::kGeneric), poster_, env_);
  EXPECT_EQ(generic.name(), "webhook:lab");
  EXPECT_EQ(generic.formats(), std::vector<Format>{Format::kJson});
  WebhookSink slack(settings(WebhookKind::kSlack), poster_, env_);
  EXPECT_TRUE(slack.formats().empty());
}

TEST_F(WebhookSinkTest, GenericPostsTheRenderedJsonSigned) {
  WebhookSink sink(settings(WebhookKind::kGeneric), poster_, env_);
  RenderedSet set;
  set.files.push_back({Format::kJson, R"({"schema_version":1,"papers":[]})", "", {}});
  deliver(sink, set);
  const auto received = server_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_TRUE(received[0].accepted) << received[0].rejection;
  EXPECT_EQ(received[0].body, set.files[0].bytes);
  EXPECT_TRUE(received[0].signature_header.starts_with("sha256="));
}

TEST_F(WebhookSinkTest, RateLimitedThenDeliveredHonouringRetryAfter) {
  WebhookSink sink(settings(WebhookKind::kTelegram), poster_, env_, quick_policy());
  server_.inject(WebhookFault::kRateLimit);
  deliver(sink);
  const auto received = server_.received();
  ASSERT_GE(received.size(), 2u);
  EXPECT_FALSE(received[0].accepted);
  EXPECT_EQ(server_.accepted().size(), received.size() - 1);
  // The first wait is the server's Retry-After (7 s), not a jitter.
  ASSERT_FALSE(env_.sleeps().empty());
  EXPECT_EQ(env_.sleeps().front(), milliseconds{7'000});
}

TEST_F(WebhookSinkTest, ServerErrorForeverIsATransientDeliveryErrorAfterTheRetries) {
  WebhookSink sink(settings(WebhookKind::kDiscord), poster_, env_, quick_policy(2));
  server_.inject(WebhookFault::kServerError, 10);
  const DeliveryError e = deliver_failing(sink);
  EXPECT_EQ(e.channel(), "webhook:lab");
  EXPECT_TRUE(e.transient());
  const std::string message = e.what();
  EXPECT_NE(message.find("part 1 of"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 500"), std::string::npos) << message;
  EXPECT_NE(message.find("after 3 attempts"), std::string::npos) << message;
  EXPECT_NE(message.find("no part was delivered"), std::string::npos) << message;
  expect_no_secret(message);
  EXPECT_EQ(server_.received().size(), 3u);
}

TEST_F(WebhookSinkTest, ATimeoutIsRetried) {
  WebhookSettings s = settings(WebhookKind::kSlack);
  s.total_timeout = milliseconds{300};
  WebhookSink sink(s, poster_, env_, quick_policy());
  server_.inject(WebhookFault::kStall);  // holds the first request for 5 s
  deliver(sink);
  EXPECT_EQ(server_.accepted().size(), 1u);
  EXPECT_EQ(server_.pending_faults(), 0u);
}

TEST_F(WebhookSinkTest, TimeoutsForeverFailWithoutNamingTheUrl) {
  WebhookSettings s = settings(WebhookKind::kWeCom);
  s.total_timeout = milliseconds{200};
  WebhookSink sink(s, poster_, env_, quick_policy(1));
  server_.inject(WebhookFault::kStall, 2);
  const DeliveryError e = deliver_failing(sink);
  EXPECT_TRUE(e.transient());
  EXPECT_NE(std::string(e.what()).find("no response"), std::string::npos) << e.what();
  expect_no_secret(e.what());
}

TEST_F(WebhookSinkTest, AnErrorCodeInA200AnswerIsAFailureNotRetried) {
  const std::pair<WebhookKind, std::string> cases[] = {
      {WebhookKind::kFeishu, "feishu error 19024"},
      {WebhookKind::kDingTalk, "dingtalk error 310000"},
      {WebhookKind::kWeCom, "wecom error 93000"},
  };
  for (const auto& [kind, expected] : cases) {
    server_.clear_records();
    WebhookSink sink(settings(kind), poster_, env_, quick_policy());
    server_.inject(WebhookFault::kServiceError);
    const DeliveryError e = deliver_failing(sink);
    EXPECT_FALSE(e.transient()) << to_string(kind);
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    expect_no_secret(e.what());
    EXPECT_EQ(server_.received().size(), 1u) << to_string(kind);
  }
}

TEST_F(WebhookSinkTest, TelegramOkFalseAndSlackNotOkAreFailures) {
  {
    WebhookSink sink(settings(WebhookKind::kTelegram), poster_, env_, quick_policy());
    server_.inject(WebhookFault::kServiceError);
    const DeliveryError e = deliver_failing(sink);
    EXPECT_FALSE(e.transient());
    EXPECT_NE(std::string(e.what()).find("chat not found"), std::string::npos) << e.what();
  }
  {
    WebhookSink sink(settings(WebhookKind::kSlack), poster_, env_, quick_policy());
    server_.inject(WebhookFault::kServiceError);
    const DeliveryError e = deliver_failing(sink);
    EXPECT_FALSE(e.transient());
    EXPECT_NE(std::string(e.what()).find("invalid_token"), std::string::npos) << e.what();
  }
}

TEST_F(WebhookSinkTest, AThrottledCodeInA200AnswerIsRetried) {
  WebhookSink sink(settings(WebhookKind::kDingTalk), poster_, env_, quick_policy());
  server_.inject(WebhookFault::kThrottled);
  deliver(sink);
  const auto received = server_.received();
  ASSERT_GE(received.size(), 2u);
  EXPECT_FALSE(received[0].accepted);
  EXPECT_EQ(server_.accepted().size(), received.size() - 1);
}

TEST_F(WebhookSinkTest, APartialSendSaysWhichPartsWereDelivered) {
  WebhookSink sink(settings(WebhookKind::kDiscord), poster_, env_, quick_policy());
  const std::size_t parts = build_webhook_payloads(digest_, WebhookKind::kDiscord, {}).size();
  ASSERT_GE(parts, 3u);
  server_.inject(WebhookFault::kNone, 2);
  server_.inject(WebhookFault::kServiceError);  // Discord: 401 for part 3
  const DeliveryError e = deliver_failing(sink);
  const std::string message = e.what();
  EXPECT_NE(message.find("part 3 of " + std::to_string(parts)), std::string::npos) << message;
  EXPECT_NE(message.find("parts 1-2 were delivered"), std::string::npos) << message;
  EXPECT_NE(message.find("HTTP 401"), std::string::npos) << message;
  EXPECT_FALSE(e.transient());
  expect_no_secret(message);
}

TEST_F(WebhookSinkTest, AWrongSecretIsRefusedByTheServiceAndNeverQuoted) {
  const EnvVar wrong(std::string(kSecretVar), "wrong-secret-value-1234");
  for (WebhookKind kind : {WebhookKind::kFeishu, WebhookKind::kDingTalk, WebhookKind::kGeneric}) {
    WebhookSink sink(settings(kind), poster_, env_, quick_policy());
    const DeliveryError e = deliver_failing(sink);
    EXPECT_FALSE(e.transient()) << to_string(kind);
    EXPECT_EQ(std::string(e.what()).find("wrong-secret-value-1234"), std::string::npos);
    expect_no_secret(e.what());
  }
}

TEST_F(WebhookSinkTest, ATokenEchoedByTheServerIsNotQuoted) {
  for (WebhookKind kind : {WebhookKind::kTelegram, WebhookKind::kWeCom, WebhookKind::kSlack}) {
    WebhookSink sink(settings(kind), poster_, env_, quick_policy());
    server_.inject(WebhookFault::kEchoToken);
    const DeliveryError e = deliver_failing(sink);
    const std::string message = e.what();
    EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
    EXPECT_NE(message.find("[redacted]"), std::string::npos) << message;
    expect_no_secret(message);
  }
}

TEST_F(WebhookSinkTest, AnUnsetSecretVariableIsAConfigErrorNamingIt) {
  const EnvVar unset(std::string(kSecretVar), std::nullopt);
  WebhookSink sink(settings(WebhookKind::kFeishu), poster_, env_);
  try {
    deliver(sink);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(kSecretVar), std::string::npos) << e.what();
  }
  EXPECT_TRUE(server_.received().empty());
}

TEST_F(WebhookSinkTest, TheUrlCanComeFromTheEnvironment) {
  WebhookSettings s = settings(WebhookKind::kWeCom);
  const EnvVar url("ARXIV_DIGEST_TEST_WEBHOOK_URL", s.url);
  s.url.clear();
  s.url_env = "ARXIV_DIGEST_TEST_WEBHOOK_URL";
  WebhookSink sink(s, poster_, env_);
  deliver(sink);
  EXPECT_FALSE(server_.accepted().empty());
}

TEST_F(WebhookSinkTest, SettingsAreCheckedUpFront) {
  WebhookSettings s = settings(WebhookKind::kSlack);
  s.secret_env = "X";
  EXPECT_THROW(WebhookSink(s, poster_, env_), ConfigError);
  s = settings(WebhookKind::kTelegram);
  s.chat_id.clear();
  EXPECT_THROW(WebhookSink(s, poster_, env_), ConfigError);
  s = settings(WebhookKind::kGeneric);
  s.url.clear();
  EXPECT_THROW(WebhookSink(s, poster_, env_), ConfigError);
  s = settings(WebhookKind::kGeneric);
  s.name.clear();
  EXPECT_THROW(WebhookSink(s, poster_, env_), ConfigError);
}

TEST_F(WebhookSinkTest, SpacingCarriesOverToTheNextPublish) {
  WebhookSink sink(settings(WebhookKind::kSlack), poster_, env_);
  deliver(sink);
  deliver(sink);
  EXPECT_EQ(env_.sleeps(), std::vector<milliseconds>{milliseconds{1'000}});
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// The generic webhook's idempotency key: the same for a retried attempt and for the same message
// sent again by a later run (even when its bytes differ: a new generation time), different for
// another day, another channel or another set of papers.
TEST_F(WebhookSinkTest, GenericCarriesAnIdempotencyKeyStableAcrossAttemptsAndRuns) {
  RenderedSet set;
  set.files.push_back({Format::kJson, R"({"schema_version":1,"papers":[]})", "", {}});
  server_.inject(WebhookFault::kServerError);  // the first attempt fails, the retry delivers
  WebhookSink sink(settings(WebhookKind::kGeneric), poster_, env_, quick_policy());
  deliver(sink, set);
  RenderedSet later = set;
  later.files[0].bytes = R"({"schema_version":1,"papers":[],"generated":"later"})";
  WebhookSink next_run(settings(WebhookKind::kGeneric), poster_, env_, quick_policy());
  deliver(next_run, later);
  WebhookSettings other = settings(WebhookKind::kGeneric);
  other.name = "other";
  WebhookSink other_channel(other, poster_, env_, quick_policy());
  deliver(other_channel, set);
  Digest fewer = digest_;
  fewer.papers.pop_back();
  fewer.translations.clear();
  for (auto& topic : fewer.topics) {
    topic.papers.erase(std::remove(topic.papers.begin(), topic.papers.end(), fewer.papers.size()),
                       topic.papers.end());
    topic.reasons.clear();
  }
  sink.publish(fewer, set);

  const auto received = server_.received();
  ASSERT_EQ(received.size(), 5u);
  const std::string key = received[0].delivery_header;
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos) << key;
  EXPECT_EQ(received[1].delivery_header, key);  // the retry
  EXPECT_EQ(received[2].delivery_header, key);  // the next run, other bytes
  EXPECT_NE(received[3].delivery_header, key);  // another channel
  EXPECT_NE(received[4].delivery_header, key);  // other papers
  // The chat services get no such header (they would ignore it; nothing to rely on).
  WebhookSink slack(settings(WebhookKind::kSlack), poster_, env_);
  deliver(slack);
  EXPECT_TRUE(server_.received().back().delivery_header.empty());
}

}  // namespace
}  // namespace arxiv_digest
