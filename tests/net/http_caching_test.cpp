// CachingHttpClient: conditional GET against the fixture server with an on-disk cache.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/env.hpp"
#include "core/error.hpp"
#include "net/caching_http_client.hpp"
#include "net/curl_http_client.hpp"
#include "net/http_test_util.hpp"
#include "net/polite_http_client.hpp"
#include "support/fixture_server.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using testing::FixtureServer;
using ::testing::HasSubstr;
using testing::ScriptedResponse;

constexpr const char* kSearchFixture = "http/api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml";
constexpr const char* kIdFixture = "http/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml";
constexpr const char* kTarget = "/api/query?search_query=all:testing&start=0&max_results=10";

HttpRequest request_for(std::string url) {
  HttpRequest request;
  request.url = std::move(url);
  request.connect_timeout = std::chrono::milliseconds{2'000};
  request.total_timeout = std::chrono::milliseconds{5'000};
  return request;
}

std::size_t files_in(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir)) return 0;
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir),
                                                std::filesystem::directory_iterator()));
}

class CachingHttpClientTest : public ::testing::Test {
 protected:
  CachingHttpClientTest() {
    server_.serve_file(kTarget, testing::data_path(kSearchFixture),
                       {"application/atom+xml", /*gzip=*/true, /*validators=*/true});
  }

  CachingHttpClientOptions options() {
    CachingHttpClientOptions options;
    options.directory = cache_dir_ / "http-cache";
    options.on_warning = [this](const std::string& line) { warnings_.push_back(line); };
    return options;
  }

  FixtureServer server_;
  testing::TempDir cache_dir_;
  CurlHttpClient curl_{testing::test_curl_options()};
  CachingHttpClient client_{curl_, options()};
  std::vector<std::string> warnings_;
  const std::string expected_ = testing::read_file(testing::data_path(kSearchFixture));
};

TEST_F(CachingHttpClientTest, SecondRequestIsConditionalAndServedFromCache) {
  const std::string url = server_.url(kTarget);

  const HttpResponse first = client_.get(request_for(url));
  ASSERT_EQ(first.status, 200);
  EXPECT_FALSE(first.from_cache);
  EXPECT_EQ(first.body, expected_);
  const std::string etag = first.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_TRUE(std::filesystem::exists(client_.entry_path(url)));

  const HttpResponse second = client_.get(request_for(url));

  const auto requests = server_.requests_for("/api/query");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("if-none-match"), "");
  EXPECT_EQ(requests[1].header("if-none-match"), etag);
  EXPECT_EQ(requests[1].header("if-modified-since"), first.header("last-modified"));
  EXPECT_EQ(second.status, 200);
  EXPECT_TRUE(second.from_cache);
  EXPECT_TRUE(second.body == first.body);
  EXPECT_EQ(second.header("etag"), etag);
  EXPECT_TRUE(warnings_.empty());
}

TEST_F(CachingHttpClientTest, LastModifiedAloneDrivesIfModifiedSince) {
  const std::string lm = "Thu, 18 Jun 2026 00:30:00 GMT";
  server_.enqueue(
      "/rss/cs.AI",
      ScriptedResponse{
          200, {{"Last-Modified", lm}}, "<rss>v1</rss>", "application/rss+xml", {}, {}});
  server_.enqueue("/rss/cs.AI", ScriptedResponse{304, {}, {}, "application/rss+xml", {}, {}});
  const std::string url = server_.url("/rss/cs.AI");

  EXPECT_FALSE(client_.get(request_for(url)).from_cache);
  const HttpResponse second = client_.get(request_for(url));

  const auto requests = server_.requests_for("/rss/cs.AI");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].header("if-modified-since"), lm);
  EXPECT_EQ(requests[1].header("if-none-match"), "");
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.body, "<rss>v1</rss>");
  EXPECT_EQ(second.header("last-modified"), lm);
}

TEST_F(CachingHttpClientTest, ChangedContentReplacesTheEntry) {
  server_.serve_bytes("/list/cs.AI/new", "version one", {"text/html", false, true});
  const std::string url = server_.url("/list/cs.AI/new");
  EXPECT_EQ(client_.get(request_for(url)).body, "version one");

  server_.serve_bytes("/list/cs.AI/new", "version two", {"text/html", false, true});
  const HttpResponse changed = client_.get(request_for(url));
  EXPECT_FALSE(changed.from_cache);
  EXPECT_EQ(changed.body, "version two");

  const HttpResponse cached = client_.get(request_for(url));
  EXPECT_TRUE(cached.from_cache);
  EXPECT_EQ(cached.body, "version two");
}

TEST_F(CachingHttpClientTest, CorruptEntryIsIgnoredAndRefetched) {
  const std::string url = server_.url(kTarget);
  client_.get(request_for(url));
  const auto entry = client_.entry_path(url);
  std::string bytes = testing::read_file(entry);
  ASSERT_GT(bytes.size(), 1000u);

  const std::string corruptions[] = {
      bytes.substr(0, bytes.size() / 2),                         // truncated
      std::string(bytes).replace(bytes.size() - 50, 4, "XXXX"),  // body flipped
      "garbage\n",                                               // not an entry at all
      "",                                                        // empty file
  };
  for (const std::string& corrupt : corruptions) {
    testing::write_file(entry, corrupt);
    server_.clear_records();

    const HttpResponse response = client_.get(request_for(url));

    EXPECT_EQ(response.status, 200);
    EXPECT_FALSE(response.from_cache);
    EXPECT_EQ(response.body, expected_);
    ASSERT_EQ(server_.requests().size(), 1u);
    EXPECT_EQ(server_.requests()[0].header("if-none-match"), "");  // unconditional refetch
    EXPECT_EQ(testing::read_file(entry), bytes);                   // entry rewritten
  }
}

TEST_F(CachingHttpClientTest, EntryOfAnotherUrlIsAMiss) {
  const std::string url = server_.url(kTarget);
  const std::string other = server_.url("/api/query?id_list=1707.08567");
  server_.serve_file("/api/query?id_list=1707.08567", testing::data_path(kIdFixture),
                     {"application/atom+xml", false, true});
  client_.get(request_for(url));
  // Pretend the two URLs hash alike: put url's entry where other's would be.
  std::filesystem::copy_file(client_.entry_path(url), client_.entry_path(other));
  server_.clear_records();

  const HttpResponse response = client_.get(request_for(other));

  EXPECT_FALSE(response.from_cache);
  EXPECT_EQ(response.body, testing::read_file(testing::data_path(kIdFixture)));
  ASSERT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(server_.requests()[0].header("if-none-match"), "");
}

TEST_F(CachingHttpClientTest, NeverCachesErrorsFilesOrValidatorlessResponses) {
  const auto dir = options().directory;
  EXPECT_EQ(client_.get(request_for(server_.url("/missing"))).status, 404);
  server_.enqueue("/flaky",
                  ScriptedResponse{503, {{"ETag", "\"x\""}}, "busy", "text/plain", {}, {}});
  EXPECT_EQ(client_.get(request_for(server_.url("/flaky"))).status, 503);
  server_.enqueue("/plain", ScriptedResponse{200, {}, "no validators", "text/plain", {}, {}});
  EXPECT_EQ(client_.get(request_for(server_.url("/plain"))).body, "no validators");
  const auto path = testing::data_path(kIdFixture);
  EXPECT_EQ(client_.get(request_for("file://" + path.string())).status, 200);
  EXPECT_EQ(client_.get(request_for(path.string())).status, 200);

  EXPECT_EQ(files_in(dir), 0u);
}

TEST_F(CachingHttpClientTest, ValidatorlessResponseDropsAStaleEntry) {
  server_.enqueue("/rss/cs.LG",
                  ScriptedResponse{200, {{"ETag", "\"v1\""}}, "one", "text/xml", {}, {}});
  server_.enqueue("/rss/cs.LG", ScriptedResponse{200, {}, "two", "text/xml", {}, {}});
  const std::string url = server_.url("/rss/cs.LG");
  client_.get(request_for(url));
  ASSERT_TRUE(std::filesystem::exists(client_.entry_path(url)));

  EXPECT_EQ(client_.get(request_for(url)).body, "two");
  EXPECT_FALSE(std::filesystem::exists(client_.entry_path(url)));
}

TEST_F(CachingHttpClientTest, CallerConditionalHeadersPassThrough) {
  const std::string url = server_.url(kTarget);
  const std::string etag = client_.get(request_for(url)).header("etag");
  HttpRequest request = request_for(url);
  request.headers.emplace_back("If-None-Match", etag);

  const HttpResponse response = client_.get(request);

  EXPECT_EQ(response.status, 304);  // the caller asked for it, the caller gets it
  EXPECT_FALSE(response.from_cache);
  EXPECT_TRUE(response.body.empty());
}

TEST_F(CachingHttpClientTest, UnwritableCacheWarnsButServes) {
  testing::write_file(cache_dir_ / "not-a-dir", "x");
  CachingHttpClientOptions opts = options();
  opts.directory = cache_dir_ / "not-a-dir" / "cache";
  CachingHttpClient client(curl_, opts);

  const HttpResponse response = client.get(request_for(server_.url(kTarget)));

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, expected_);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("cannot create directory"));
}

TEST(CachingHttpClientOptionsTest, RequiresADirectory) {
  CurlHttpClient curl(testing::test_curl_options());
  EXPECT_THROW(CachingHttpClient(curl, CachingHttpClientOptions{}), ConfigError);
}

// The composition the cli uses: cache over polite over curl; a 304 is not retried.
TEST(CachingOverPoliteTest, NotModifiedFlowsThroughThePoliteLayer) {
  FixtureServer server;
  server.serve_file(kTarget, testing::data_path(kSearchFixture),
                    {"application/atom+xml", true, true});
  testing::TempDir dir;
  CurlHttpClient curl(testing::test_curl_options());
  FakeEnv time;
  RequestGate gate;
  PoliteHttpClientOptions polite_options;
  polite_options.throttled_hosts = {"127.0.0.1"};
  PoliteHttpClientSeams seams;
  seams.env = &time;
  seams.gate = &gate;
  PoliteHttpClient polite(curl, polite_options, seams);
  CachingHttpClient cache(polite, {dir / "cache", {}});

  const HttpResponse first = cache.get(request_for(server.url(kTarget)));
  const HttpResponse second = cache.get(request_for(server.url(kTarget)));

  EXPECT_FALSE(first.from_cache);
  EXPECT_TRUE(second.from_cache);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(server.request_count("/api/query"), 2u);
  EXPECT_EQ(time.sleeps().size(), 1u);  // only the 3 s spacing, no retry
}

}  // namespace
}  // namespace arxiv_digest
