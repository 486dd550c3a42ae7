// CurlHttpClient against the local fixture server and real arXiv response bytes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "core/error.hpp"
#include "net/curl_http_client.hpp"
#include "net/http_test_util.hpp"
#include "support/fixture_server.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using testing::FixtureServer;
using ::testing::HasSubstr;
using testing::ScriptedResponse;
using testing::ServeOptions;
using ::testing::StartsWith;

constexpr const char* kSearchFixture = "http/api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml";
constexpr const char* kIdFixture = "http/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml";
constexpr const char* kErrorFixture = "http/api2026_id_abc_s0_m100_b79c8dcf6bc3_http400.xml";
constexpr const char* kSearchTarget = "/api/query?search_query=all:testing&start=0&max_results=10";

ServeOptions atom(bool gzip = false) {
  return ServeOptions{"application/atom+xml; charset=UTF-8", gzip, true};
}

HttpRequest request_for(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  request.connect_timeout = std::chrono::milliseconds{2'000};
  request.total_timeout = std::chrono::milliseconds{5'000};
  return request;
}

// Runs `fn`, expecting a ClassifiedTransportError; returns it for further checks.
template <typename Fn>
std::optional<ClassifiedTransportError> transport_error_of(Fn&& fn) {
  try {
    fn();
  } catch (const ClassifiedTransportError& error) {
    return error;
  }
  ADD_FAILURE() << "no ClassifiedTransportError thrown";
  return std::nullopt;
}

class CurlHttpClientTest : public ::testing::Test {
 protected:
  FixtureServer server_;
  CurlHttpClient client_{testing::test_curl_options()};
};

TEST_F(CurlHttpClientTest, DecodesGzipBodyOfRealApiResponse) {
  const std::string expected = testing::read_file(testing::data_path(kSearchFixture));
  server_.serve_file(kSearchTarget, testing::data_path(kSearchFixture), atom(/*gzip=*/true));

  const HttpResponse response = client_.get(request_for(server_.url(kSearchTarget)));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-encoding"), "gzip");  // it really travelled compressed
  EXPECT_THAT(response.header("content-type"), StartsWith("application/atom+xml"));
  EXPECT_EQ(response.body.size(), expected.size());
  EXPECT_TRUE(response.body == expected);
  EXPECT_EQ(response.url, server_.url(kSearchTarget));
  EXPECT_FALSE(response.from_cache);
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_THAT(server_.requests()[0].header("accept-encoding"), HasSubstr("gzip"));
  EXPECT_EQ(server_.requests()[0].target, kSearchTarget);  // query sent verbatim
}

TEST_F(CurlHttpClientTest, SendsUserAgentAndExtraHeaders) {
  server_.serve_file("/api/query", testing::data_path(kIdFixture), atom());
  HttpRequest request = request_for(server_.url("/api/query?id_list=1707.08567"));
  request.headers.emplace_back("X-Probe", "42");

  client_.get(request);

  const auto requests = server_.requests_for("/api/query");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("user-agent"), testing::kTestUserAgent);
  EXPECT_EQ(requests[0].header("x-probe"), "42");
}

TEST_F(CurlHttpClientTest, LowerCasesResponseHeaders) {
  ScriptedResponse scripted;
  scripted.headers = {{"ETag", "\"abc\""}, {"X-Mixed-Case", "  padded value  "}};
  scripted.body = "ok";
  server_.enqueue("/h", scripted);

  const HttpResponse response = client_.get(request_for(server_.url("/h")));

  EXPECT_EQ(response.header("etag"), "\"abc\"");
  EXPECT_EQ(response.header("x-mixed-case"), "padded value");
  EXPECT_EQ(response.header("ETag"), "");  // lookups are by lower-case name
  EXPECT_EQ(response.headers.count("ETag"), 0u);
}

TEST_F(CurlHttpClientTest, ReturnsClientErrorsAsValuesWithTheirBody) {
  server_.enqueue("/api/query",
                  ScriptedResponse{400,
                                   {},
                                   testing::read_file(testing::data_path(kErrorFixture)),
                                   "application/atom+xml",
                                   {},
                                   std::nullopt});
  const HttpResponse bad = client_.get(request_for(server_.url("/api/query?id_list=abc")));
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("incorrect_id_format_for_abc"));

  const HttpResponse missing = client_.get(request_for(server_.url("/nowhere")));
  EXPECT_EQ(missing.status, 404);
}

TEST_F(CurlHttpClientTest, FollowsRedirects) {
  server_.enqueue("/old", ScriptedResponse{301, {{"Location", "/new"}}, {}, "text/plain", {}, {}});
  server_.serve_file("/new", testing::data_path(kIdFixture), atom());

  const HttpResponse response = client_.get(request_for(server_.url("/old")));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, testing::read_file(testing::data_path(kIdFixture)));
  EXPECT_FALSE(response.header("etag").empty());  // headers of the final response only
  EXPECT_EQ(server_.request_count("/old"), 1u);
  EXPECT_EQ(server_.request_count("/new"), 1u);
}

TEST_F(CurlHttpClientTest, GivesUpAfterFiveRedirects) {
  for (int i = 0; i < 10; ++i) {
    server_.enqueue("/loop",
                    ScriptedResponse{302, {{"Location", "/loop"}}, {}, "text/plain", {}, {}});
  }
  const auto error = transport_error_of([&] { client_.get(request_for(server_.url("/loop"))); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), TransportErrorKind::kOther);
  EXPECT_THAT(error->what(), HasSubstr("/loop"));
  EXPECT_EQ(server_.request_count("/loop"), 6u);  // the first request + 5 redirects
}

TEST_F(CurlHttpClientTest, ReadsFileUrlsAndPlainPaths) {
  const auto path = testing::data_path(kIdFixture);
  const std::string expected = testing::read_file(path);

  const HttpResponse via_url = client_.get(request_for("file://" + path.string()));
  EXPECT_EQ(via_url.status, 200);
  EXPECT_EQ(via_url.body, expected);

  const HttpResponse via_path = client_.get(request_for(path.string()));
  EXPECT_EQ(via_path.status, 200);
  EXPECT_EQ(via_path.body, expected);
  EXPECT_EQ(via_path.url, path.string());
}

TEST_F(CurlHttpClientTest, MissingFileIsTransportError) {
  testing::TempDir dir;
  const std::string missing = (dir / "no-such-feed.xml").string();

  const auto by_path = transport_error_of([&] { client_.get(request_for(missing)); });
  ASSERT_TRUE(by_path);
  EXPECT_EQ(by_path->kind(), TransportErrorKind::kFile);
  EXPECT_EQ(by_path->url(), missing);
  EXPECT_THAT(by_path->what(), HasSubstr("no-such-feed.xml"));

  const auto by_url = transport_error_of([&] { client_.get(request_for("file://" + missing)); });
  ASSERT_TRUE(by_url);
  EXPECT_EQ(by_url->kind(), TransportErrorKind::kFile);
  EXPECT_THAT(by_url->what(), HasSubstr("no-such-feed.xml"));

  const auto directory = transport_error_of([&] { client_.get(request_for(dir.path().string())); });
  ASSERT_TRUE(directory);
  EXPECT_THAT(directory->what(), HasSubstr("is a directory"));
}

TEST_F(CurlHttpClientTest, SlowResponseBeyondTotalTimeoutIsATimeout) {
  server_.enqueue(
      "/slow", ScriptedResponse{
                   200, {}, "late", "text/plain", std::chrono::milliseconds{3'000}, std::nullopt});
  HttpRequest request = request_for(server_.url("/slow"));
  request.total_timeout = std::chrono::milliseconds{200};

  const auto start = std::chrono::steady_clock::now();
  const auto error = transport_error_of([&] { client_.get(request); });
  const auto elapsed = std::chrono::steady_clock::now() - start;

  ASSERT_TRUE(error);
  EXPECT_TRUE(error->timed_out());
  EXPECT_EQ(error->url(), request.url);
  EXPECT_THAT(error->what(), HasSubstr("/slow"));
  EXPECT_LT(elapsed, std::chrono::milliseconds{2'500});  // gave up well before the answer
}

TEST_F(CurlHttpClientTest, TruncatedBodyIsTransportErrorNotShortSuccess) {
  const std::string body = testing::read_file(testing::data_path(kSearchFixture));
  server_.enqueue(
      "/cut",
      ScriptedResponse{200, {}, body.substr(0, 5'000), "application/atom+xml", {}, body.size()});

  const auto error = transport_error_of([&] { client_.get(request_for(server_.url("/cut"))); });

  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), TransportErrorKind::kTruncated);
  EXPECT_FALSE(error->timed_out());
  EXPECT_THAT(error->what(), HasSubstr("/cut"));
}

TEST_F(CurlHttpClientTest, UndecodableGzipIsTransportError) {
  server_.enqueue("/garbage", ScriptedResponse{200,
                                               {{"Content-Encoding", "gzip"}},
                                               "this is not gzip at all",
                                               "application/atom+xml",
                                               {},
                                               std::nullopt});
  const auto error = transport_error_of([&] { client_.get(request_for(server_.url("/garbage"))); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), TransportErrorKind::kBadEncoding);
}

TEST_F(CurlHttpClientTest, RefusedConnectionIsTransportError) {
  std::string url;
  {
    FixtureServer gone;
    url = gone.url("/rss/cs.AI");
  }
  const auto error = transport_error_of([&] { client_.get(request_for(url)); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), TransportErrorKind::kConnect);
  EXPECT_EQ(error->url(), url);
}

TEST_F(CurlHttpClientTest, RejectsUnsupportedSchemes) {
  const auto error =
      transport_error_of([&] { client_.get(request_for("ftp://export.arxiv.org/x")); });
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind(), TransportErrorKind::kUnsupported);
  EXPECT_THAT(error->what(), HasSubstr("\"ftp\""));
}

TEST(CurlHttpClientOptionsTest, RequiresUserAgent) {
  EXPECT_THROW(CurlHttpClient(CurlHttpClientOptions{}), ConfigError);
}

}  // namespace
}  // namespace arxiv_digest
