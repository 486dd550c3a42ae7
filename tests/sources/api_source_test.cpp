// The API source (`run --source api`, issue 9): only entries submitted in the listing's window and
// in the configured categories are kept (the rest are counted), paging stops with
// IncompleteFetchError on a page that repeats ids or brings none, an implausible declared total
// stops before paging, and pages go through the polite client 3 s apart.
//
// Real transfers to a FixtureServer on 127.0.0.1 through CurlHttpClient + PoliteHttpClient, the
// client stack the cli composes, with fake time (a private gate and a recording sleeper, as in
// http_polite_test.cpp) so the 3-second waits are recorded instead of slept. Pages are real API
// responses (tests/data/api/PROVENANCE.md); the two window2026-06-18 pages are real pages whose
// ids and dates were moved into the 2026-06-18 window.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "core/env.hpp"
#include "core/error.hpp"
#include "sources/announcement_fetcher.hpp"
#include "net/http_test_util.hpp"
#include "support/fixture_server.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using testing::FixtureServer;
using ::testing::HasSubstr;

constexpr const char* kPage0 = "api/window2026-06-18_s0_m10.xml";
constexpr const char* kPage10 = "api/window2026-06-18_s10_m10.xml";
constexpr const char* kTesting10 = "api/api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml";
constexpr const char* kTesting100 = "api/api2026_q_testing_s0_m100_cfe7536492ca_http200.xml";
constexpr const char* kZero = "api/api2026_id_0000.0000_s0_m100_8b51d9633a68_http200.xml";

const AnnouncementCalendar& calendar() {
  static const AnnouncementCalendar c = AnnouncementCalendar::with_builtin_holidays();
  return c;
}

const FakeEnv kClock(std::chrono::sys_seconds{std::chrono::seconds{1781783578}});

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class ApiSourceTest : public ::testing::Test {
 protected:
  static PoliteHttpClientOptions polite_options() {
    PoliteHttpClientOptions options;
    options.throttled_hosts = {"127.0.0.1"};  // arXiv's rule applied to the local server
    options.retry.max_retries = 0;
    options.retry.jitter_seed = 1;
    return options;  // min_interval: the default 3 s
  }
  PoliteHttpClientSeams seams() {
    PoliteHttpClientSeams s;
    s.env = &time_;
    s.gate = &gate_;
    return s;
  }

  // The 2026-06-18 listing for cs.SE and stat.ML, 10 results per page.
  FetchOptions options() const {
    FetchOptions o;
    o.source = SourceKind::kApi;
    o.categories = {"cs.SE", "stat.ML"};
    o.api_url = server_.url("/api/query");
    o.listing_date = parse_date("2026-06-18");
    o.api_page_size = 10;
    o.timeout = milliseconds{10'000};
    return o;
  }
  std::string url(const FetchOptions& o, std::size_t start) const {
    return api_query_url(o, submission_window(calendar(), *o.listing_date), start);
  }
  // Serves `body` for the page of `o` starting at `start` (exact target, query included).
  void serve_page(const FetchOptions& o, std::size_t start, std::string body) {
    server_.serve_bytes(url(o, start).substr(server_.base_url().size()), std::move(body),
                        {"application/atom+xml; charset=utf-8", false, false});
  }
  void serve_page_file(const FetchOptions& o, std::size_t start, const char* fixture) {
    serve_page(o, start, testing::read_file(testing::data_path(fixture)));
  }

  FetchResult fetch(const FetchOptions& o) {
    return fetch_announcement(polite_, o, calendar(), kClock);
  }
  // The IncompleteFetchError message of fetching `o` ("" and a failure when none is thrown).
  std::string incomplete(const FetchOptions& o) {
    try {
      (void)fetch(o);
      ADD_FAILURE() << "no IncompleteFetchError";
    } catch (const IncompleteFetchError& e) {
      return e.what();
    }
    return {};
  }
  std::size_t api_requests() const { return server_.request_count("/api/query"); }

  FixtureServer server_;
  CurlHttpClient curl_{testing::test_curl_options()};
  FakeEnv time_{std::chrono::sys_seconds{std::chrono::seconds{1781783578}}};
  RequestGate gate_;
  PoliteHttpClient polite_{curl_, polite_options(), seams()};
};

TEST_F(ApiSourceTest, KeepsOnlyEntriesSubmittedInTheWindowAndTheCategories) {
  const FetchOptions o = options();
  serve_page_file(o, 0, kPage0);
  serve_page_file(o, 10, kPage10);
  const FetchResult r = fetch(o);
  ASSERT_EQ(r.status, FetchResult::Status::kFetched);
  std::vector<std::string> ids;
  for (const Paper& p : r.announcement.papers) ids.push_back(p.id.key());
  // Dropped: 1202.4527 (submitted 2012), 2606.16010 (18:00:30 UTC, the previous cutoff's minute),
  // 2606.16018 (18:01 UTC, after this listing's cutoff), 2606.16008 (cs.AR only), 2606.16012
  // (stat.AP only), 2606.16014 (econ.EM only). Kept at the edges: 2606.16001 (18:01:07 on the
  // 16th), 2606.16007 (18:00:59 on the 17th, the last minute the query asks for).
  EXPECT_THAT(ids, ElementsAre("2606.16001", "2606.16002", "2606.16003", "2606.16004", "2606.16005",
                               "2606.16007", "2606.16009", "2606.16011", "2606.16013", "2606.16015",
                               "2606.16016", "2606.16017", "2606.16019", "2606.16020"));
  EXPECT_EQ(r.dropped_outside, 6u);
  EXPECT_EQ(r.announcement.declared_count, std::optional<std::size_t>(20));
  EXPECT_TRUE(r.announcement.complete);
  auto type_of = [&](const char* key) {
    auto it = std::find_if(r.announcement.papers.begin(), r.announcement.papers.end(),
                           [&](const Paper& p) { return p.id.key() == key; });
    return it->announce_type;
  };
  EXPECT_EQ(type_of("2606.16001"), AnnounceType::kNew);    // primary cs.SE
  EXPECT_EQ(type_of("2606.16011"), AnnounceType::kCross);  // math.ST, cross-listed to stat.ML
  EXPECT_EQ(type_of("2606.16016"), AnnounceType::kCross);  // cs.LG, cross-listed to cs.SE
}

TEST_F(ApiSourceTest, PagesGoThroughThePoliteClientThreeSecondsApart) {
  const FetchOptions o = options();
  serve_page_file(o, 0, kPage0);
  serve_page_file(o, 10, kPage10);
  (void)fetch(o);
  const auto requests = server_.requests_for("/api/query");
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, url(o, 0).substr(server_.base_url().size()));
  EXPECT_EQ(requests[1].target, url(o, 10).substr(server_.base_url().size()));
  EXPECT_EQ(requests[1].header("user-agent"), testing::kTestUserAgent);
  // One wait, before the second page: the full 3 s since the first one finished (fake time does
  // not move during a transfer).
  EXPECT_THAT(time_.sleeps(), ElementsAre(milliseconds{3'000}));
}

// The first case: a real page of 10 entries published 2012-2025, declaring 10 results,
// was archived as 10 "cross" papers of 2026-06-18.
TEST_F(ApiSourceTest, ResultsNoneOfWhichIsInTheWindowAreAnError) {
  const FetchOptions o = options();
  serve_page(o, 0,
             replace_once(testing::read_file(testing::data_path(kTesting10)),
                          "<opensearch:totalResults>214881<", "<opensearch:totalResults>10<"));
  const std::string message = incomplete(o);
  EXPECT_THAT(message, HasSubstr("none of the 10 entries"));
  EXPECT_THAT(message, HasSubstr("2026-06-16 18:00 to 2026-06-17 18:00 UTC"));
  EXPECT_EQ(api_requests(), 1u);
}

// The second case: the unmodified page declares 214,881 results and the server repeats it
// for every start; 2,149 requests were made. Now one request, then the cap.
TEST_F(ApiSourceTest, AnImplausibleDeclaredTotalStopsBeforePaging) {
  server_.serve_file("/api/query", testing::data_path(kTesting100),
                     {"application/atom+xml; charset=utf-8", false, false});
  FetchOptions o = options();
  o.api_page_size = 100;
  const std::string message = incomplete(o);
  EXPECT_THAT(message, HasSubstr("declares 214881 results"));
  EXPECT_THAT(message, HasSubstr("more than the 10000"));
  EXPECT_THAT(message, HasSubstr(url(o, 0)));
  EXPECT_EQ(api_requests(), 1u);
  EXPECT_TRUE(time_.sleeps().empty());

  // The cap is inclusive: a day declaring exactly api_max_results is paged.
  server_.clear_records();
  o = options();
  o.api_max_results = 19;
  serve_page_file(o, 0, kPage0);
  serve_page_file(o, 10, kPage10);
  EXPECT_THAT(incomplete(o), HasSubstr("declares 20 results"));
  EXPECT_EQ(api_requests(), 1u);
  o.api_max_results = 20;
  EXPECT_EQ(fetch(o).announcement.papers.size(), 14u);
}

TEST_F(ApiSourceTest, APageRepeatingIdsStopsTheFetchNamingUrlAndStart) {
  // The same (plausible) page whatever `start` says: a server that ignores paging.
  server_.serve_file("/api/query", testing::data_path(kPage0),
                     {"application/atom+xml; charset=utf-8", false, false});
  const FetchOptions o = options();
  const std::string message = incomplete(o);
  EXPECT_THAT(message, HasSubstr(url(o, 10)));
  EXPECT_THAT(message, HasSubstr("the page at start 10 repeats 2606.16001"));
  EXPECT_EQ(api_requests(), 2u);
  EXPECT_THAT(time_.sleeps(), ElementsAre(milliseconds{3'000}));
}

TEST_F(ApiSourceTest, AnEmptyPageBeforeTheDeclaredTotalStopsTheFetchNamingUrlAndStart) {
  const FetchOptions o = options();
  serve_page_file(o, 0, kPage0);
  // The first page without its entries, as the page at start 10: no progress.
  std::string empty = testing::read_file(testing::data_path(kPage0));
  empty.erase(empty.find("  <entry>"), empty.rfind("</entry>") + 9 - empty.find("  <entry>"));
  empty = replace_once(empty, "<opensearch:startIndex>0<", "<opensearch:startIndex>10<");
  serve_page(o, 10, empty);
  const std::string message = incomplete(o);
  EXPECT_THAT(message, HasSubstr(url(o, 10)));
  EXPECT_THAT(message, HasSubstr("the page at start 10 holds no entries"));
  EXPECT_THAT(message, HasSubstr("10 of the 20 declared"));
  EXPECT_EQ(api_requests(), 2u);
}

TEST_F(ApiSourceTest, ADayWithoutResultsIsNoAnnouncementAndADateIsRequired) {
  FetchOptions o = options();
  serve_page_file(o, 0, kZero);
  const FetchResult r = fetch(o);
  EXPECT_EQ(r.status, FetchResult::Status::kNoAnnouncement);
  EXPECT_FALSE(r.announcement.complete);
  o.listing_date.reset();
  EXPECT_THROW((void)fetch(o), ConfigError);
}

TEST_F(ApiSourceTest, AnEndpointWithAQueryStringKeepsIt) {
  FetchOptions o = options();
  o.api_url = server_.url("/api/query?mirror=1");
  EXPECT_THAT(url(o, 0), ::testing::StartsWith(server_.url("/api/query?mirror=1&search_query=")));
}

}  // namespace
}  // namespace arxiv_digest
