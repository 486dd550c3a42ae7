// PoliteHttpClient: retries, Retry-After, throttling. Real transfers to the fixture server; time
// is faked through the Env seam (FakeEnv) except in the tests that prove real spacing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "core/env.hpp"
#include "core/error.hpp"
#include "net/curl_http_client.hpp"
#include "net/http_test_util.hpp"
#include "net/polite_http_client.hpp"
#include "support/fixture_server.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using ::testing::AllOf;
using ::testing::ElementsAre;
using testing::FixtureServer;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::Le;
using testing::ScriptedResponse;

constexpr const char* kIdFixture = "http/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml";

std::string fmt_body(int status) { return "status " + std::to_string(status); }

ScriptedResponse status_only(int status,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
  return ScriptedResponse{status, std::move(headers), fmt_body(status), "text/plain", {}, {}};
}

HttpRequest request_for(std::string url, milliseconds total_timeout = milliseconds{5'000}) {
  HttpRequest request;
  request.url = std::move(url);
  request.connect_timeout = milliseconds{2'000};
  request.total_timeout = total_timeout;
  return request;
}

class PoliteHttpClientTest : public ::testing::Test {
 protected:
  PoliteHttpClientTest() {
    server_.serve_file("/api/query", testing::data_path(kIdFixture),
                       {"application/atom+xml", false, true});
  }

  // A client with fake time, a private gate, no throttling unless `throttled`.
  PoliteHttpClient make_client(PoliteHttpClientOptions options = base_options()) {
    options.on_retry = [this](const std::string& line) { messages_.push_back(line); };
    PoliteHttpClientSeams seams;
    seams.env = &time_;
    seams.gate = &gate_;
    return PoliteHttpClient(curl_, std::move(options), std::move(seams));
  }

  static PoliteHttpClientOptions base_options() {
    PoliteHttpClientOptions options;
    options.throttled_hosts = {};
    options.retry.max_retries = 3;
    options.retry.base_delay = milliseconds{1'000};
    options.retry.max_delay = milliseconds{8'000};
    options.retry.max_retry_after = milliseconds{60'000};
    options.retry.jitter_seed = 12345;
    return options;
  }

  std::string url() const { return server_.url("/api/query?id_list=1707.08567"); }

  FixtureServer server_;
  CurlHttpClient curl_{testing::test_curl_options()};
  FakeEnv time_{std::chrono::sys_days{std::chrono::year{2026} / 6 / 18} + std::chrono::hours{20}};
  RequestGate gate_;
  std::vector<std::string> messages_;
  const std::string expected_body_ = testing::read_file(testing::data_path(kIdFixture));
};

TEST_F(PoliteHttpClientTest, WaitsAsToldByRetryAfterSecondsThenSucceeds) {
  server_.enqueue("/api/query", status_only(503, {{"Retry-After", "1"}}));
  PoliteHttpClient client = make_client();

  const HttpResponse response = client.get(request_for(url()));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, expected_body_);
  EXPECT_EQ(server_.request_count("/api/query"), 2u);
  EXPECT_THAT(time_.sleeps(), ElementsAre(milliseconds{1'000}));
  EXPECT_THAT(messages_, ElementsAre("retrying " + url() + " in 1.0 s (HTTP 503)"));
}

TEST_F(PoliteHttpClientTest, HonoursRetryAfterHttpDate) {
  // 20:00:07 GMT on the fake wall clock's day: 7 s from "now".
  server_.enqueue("/api/query",
                  status_only(503, {{"Retry-After", "Thu, 18 Jun 2026 20:00:07 GMT"}}));
  PoliteHttpClient client = make_client();

  EXPECT_EQ(client.get(request_for(url())).status, 200);
  EXPECT_THAT(time_.sleeps(), ElementsAre(milliseconds{7'000}));
}

TEST_F(PoliteHttpClientTest, RetriesTooManyRequestsWithJitteredBackoff) {
  server_.enqueue("/api/query", status_only(429));
  PoliteHttpClient client = make_client();

  const HttpResponse response = client.get(request_for(url()));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(server_.request_count("/api/query"), 2u);
  ASSERT_EQ(time_.sleeps().size(), 1u);
  EXPECT_THAT(time_.sleeps()[0], AllOf(Ge(milliseconds{0}), Le(milliseconds{1'000})));
  ASSERT_EQ(messages_.size(), 1u);
  EXPECT_THAT(messages_[0], HasSubstr("(HTTP 429)"));
}

TEST_F(PoliteHttpClientTest, PersistentServerErrorThrowsHttpStatusErrorNamingAttempts) {
  for (int i = 0; i < 4; ++i) server_.enqueue("/api/query", status_only(500));
  PoliteHttpClient client = make_client();  // max_retries = 3

  try {
    client.get(request_for(url()));
    FAIL() << "expected HttpStatusError";
  } catch (const HttpStatusError& error) {
    EXPECT_EQ(error.status(), 500);
    EXPECT_EQ(error.url(), url());
    EXPECT_THAT(error.what(), HasSubstr("after 4 attempts"));
    EXPECT_THAT(error.what(), HasSubstr("HTTP 500"));
  }
  EXPECT_EQ(server_.request_count("/api/query"), 4u);
  EXPECT_EQ(server_.pending_scripted(), 0u);
  // Full jitter under the exponential caps 1 s, 2 s, 4 s.
  const auto sleeps = time_.sleeps();
  ASSERT_EQ(sleeps.size(), 3u);
  EXPECT_LE(sleeps[0], milliseconds{1'000});
  EXPECT_LE(sleeps[1], milliseconds{2'000});
  EXPECT_LE(sleeps[2], milliseconds{4'000});
  EXPECT_EQ(messages_.size(), 3u);
}

TEST_F(PoliteHttpClientTest, BackoffIsCappedByMaxDelay) {
  PoliteHttpClientOptions options = base_options();
  options.retry.max_retries = 6;
  options.retry.base_delay = milliseconds{1'000};
  options.retry.max_delay = milliseconds{1'500};
  for (int i = 0; i < 7; ++i) server_.enqueue("/api/query", status_only(502));
  PoliteHttpClient client = make_client(options);

  EXPECT_THROW(client.get(request_for(url())), HttpStatusError);
  ASSERT_EQ(time_.sleeps().size(), 6u);
  for (const milliseconds sleep : time_.sleeps()) EXPECT_LE(sleep, milliseconds{1'500});
}

TEST_F(PoliteHttpClientTest, RetryAfterAboveTheCapFailsAtOnce) {
  server_.enqueue("/api/query", status_only(503, {{"Retry-After", "3600"}}));
  PoliteHttpClient client = make_client();

  try {
    client.get(request_for(url()));
    FAIL() << "expected HttpStatusError";
  } catch (const HttpStatusError& error) {
    EXPECT_EQ(error.status(), 503);
    EXPECT_THAT(error.what(), HasSubstr("3600 s"));
    EXPECT_THAT(error.what(), HasSubstr("60 s limit"));
  }
  EXPECT_EQ(server_.request_count("/api/query"), 1u);
  EXPECT_TRUE(time_.sleeps().empty());
}

TEST_F(PoliteHttpClientTest, TimeoutIsRetried) {
  server_.enqueue(
      "/api/query",
      ScriptedResponse{200, {}, "too late", "text/plain", milliseconds{3'000}, std::nullopt});
  PoliteHttpClient client = make_client();

  const HttpResponse response = client.get(request_for(url(), milliseconds{200}));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, expected_body_);
  EXPECT_EQ(server_.request_count("/api/query"), 2u);
  ASSERT_EQ(messages_.size(), 1u);
  EXPECT_THAT(messages_[0], HasSubstr("(timed out)"));
}

TEST_F(PoliteHttpClientTest, TruncatedBodyIsRetriedAndFinallyRethrown) {
  const std::string body = expected_body_;
  for (int i = 0; i < 4; ++i) {
    server_.enqueue(
        "/api/query",
        ScriptedResponse{200, {}, body.substr(0, 100), "application/atom+xml", {}, body.size()});
  }
  PoliteHttpClient client = make_client();

  try {
    client.get(request_for(url()));
    FAIL() << "expected TransportError";
  } catch (const ClassifiedTransportError& error) {
    EXPECT_EQ(error.kind(), TransportErrorKind::kTruncated);
    EXPECT_EQ(error.url(), url());
  }
  EXPECT_EQ(server_.request_count("/api/query"), 4u);
  EXPECT_EQ(time_.sleeps().size(), 3u);
  EXPECT_THAT(messages_.back(), HasSubstr("(response cut short)"));
}

TEST_F(PoliteHttpClientTest, ClientErrorIsReturnedWithoutRetry) {
  PoliteHttpClient client = make_client();

  const HttpResponse response = client.get(request_for(server_.url("/missing")));

  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(server_.request_count("/missing"), 1u);
  EXPECT_TRUE(time_.sleeps().empty());
  EXPECT_TRUE(messages_.empty());
}

TEST_F(PoliteHttpClientTest, LocalFilesAreNeitherThrottledNorRetried) {
  PoliteHttpClientOptions options = base_options();
  options.throttled_hosts = {"127.0.0.1"};
  PoliteHttpClient client = make_client(options);
  testing::TempDir dir;

  EXPECT_THROW(client.get(request_for((dir / "absent.xml").string())), TransportError);
  EXPECT_EQ(client.get(request_for(testing::data_path(kIdFixture).string())).body, expected_body_);
  EXPECT_EQ(client.get(request_for(testing::data_path(kIdFixture).string())).body, expected_body_);
  EXPECT_TRUE(time_.sleeps().empty());
}

TEST_F(PoliteHttpClientTest, ThrottledHostWaitsTheIntervalBetweenRequests) {
  PoliteHttpClientOptions options = base_options();
  options.throttled_hosts = {"127.0.0.1"};
  options.min_interval = milliseconds{3'000};
  PoliteHttpClient client = make_client(options);

  client.get(request_for(url()));
  client.get(request_for(url()));
  time_.sleep_for(milliseconds{1'000});  // the caller did something else for a second
  client.get(request_for(url()));

  // The fake clock does not move during a transfer: 3 s, then 1 s already spent -> 2 s.
  EXPECT_THAT(time_.sleeps(),
              ElementsAre(milliseconds{3'000}, milliseconds{1'000}, milliseconds{2'000}));
}

TEST_F(PoliteHttpClientTest, RetriesAreAlsoSpacedByTheGate) {
  PoliteHttpClientOptions options = base_options();
  options.throttled_hosts = {"127.0.0.1"};
  options.min_interval = milliseconds{3'000};
  server_.enqueue("/api/query", status_only(503, {{"Retry-After", "1"}}));
  PoliteHttpClient client = make_client(options);

  EXPECT_EQ(client.get(request_for(url())).status, 200);
  // Retry-After 1 s, then the gate adds the remaining 2 s of the 3 s interval.
  EXPECT_THAT(time_.sleeps(), ElementsAre(milliseconds{1'000}, milliseconds{2'000}));
}

TEST_F(PoliteHttpClientTest, OtherHostsAreNotThrottled) {
  PoliteHttpClient client = make_client();  // default-style list without 127.0.0.1
  client.get(request_for(url()));
  client.get(request_for(url()));
  EXPECT_TRUE(time_.sleeps().empty());
}

TEST(PoliteHttpClientHostsTest, DefaultThrottlesArxivAndSubdomainsOnly) {
  CurlHttpClient curl(testing::test_curl_options());
  const PoliteHttpClient client(curl);
  EXPECT_TRUE(client.is_throttled("https://export.arxiv.org/api/query?id_list=1707.08567"));
  EXPECT_TRUE(client.is_throttled("http://arxiv.org/list/cs.AI/new"));
  EXPECT_TRUE(client.is_throttled("https://RSS.arXiv.org/rss/cs.AI+cs.LG"));
  EXPECT_TRUE(client.is_throttled("https://user@oaipmh.arxiv.org:443/oai?verb=Identify"));
  EXPECT_FALSE(client.is_throttled("https://notarxiv.org/rss"));
  EXPECT_FALSE(client.is_throttled("https://arxiv.org.evil.example/rss"));
  EXPECT_FALSE(client.is_throttled("http://127.0.0.1:8080/rss/cs.AI"));
  EXPECT_FALSE(client.is_throttled("file:///srv/arxiv.org/rss"));
  EXPECT_FALSE(client.is_throttled("arxiv.org/rss/cs.AI"));  // a relative local path
}

// Real time: the process-wide gate spaces requests made through two separate clients.
TEST(PoliteHttpClientSpacingTest, ProcessWideGateSpacesRequestsAcrossInstances) {
  FixtureServer server;
  server.serve_file("/api/query", testing::data_path(kIdFixture));
  CurlHttpClient curl(testing::test_curl_options());
  PoliteHttpClientOptions options;
  options.throttled_hosts = {"127.0.0.1"};
  options.min_interval = milliseconds{300};
  PoliteHttpClient first(curl, options);
  PoliteHttpClient second(curl, options);

  first.get(request_for(server.url("/api/query?n=1")));
  second.get(request_for(server.url("/api/query?n=2")));
  first.get(request_for(server.url("/api/query?n=3")));

  const auto requests = server.requests_for("/api/query");
  ASSERT_EQ(requests.size(), 3u);
  for (std::size_t i = 1; i < requests.size(); ++i) {
    const auto gap = requests[i].arrived - requests[i - 1].arrived;
    EXPECT_GE(gap, milliseconds{280}) << "between requests " << i << " and " << i + 1;
    EXPECT_LT(gap, milliseconds{5'000});
  }
}

// Real time: one connection at a time — concurrent callers are serialised by the gate.
TEST(PoliteHttpClientSpacingTest, GateAllowsOneThrottledTransferAtATime) {
  FixtureServer server;
  for (int i = 0; i < 2; ++i) {
    server.enqueue("/slow", ScriptedResponse{200, {}, "ok", "text/plain", milliseconds{150}, {}});
  }
  CurlHttpClient curl(testing::test_curl_options());
  PoliteHttpClientOptions options;
  options.throttled_hosts = {"127.0.0.1"};
  options.min_interval = milliseconds{0};
  RequestGate gate;
  PoliteHttpClientSeams seams;
  seams.gate = &gate;
  PoliteHttpClient client(curl, options, seams);

  std::thread other([&] { client.get(request_for(server.url("/slow"))); });
  client.get(request_for(server.url("/slow")));
  other.join();

  const auto requests = server.requests_for("/slow");
  ASSERT_EQ(requests.size(), 2u);
  const auto gap = requests[1].arrived - requests[0].arrived;
  EXPECT_GE(gap, milliseconds{140});  // the second started only after the first finished
}

}  // namespace
}  // namespace arxiv_digest
