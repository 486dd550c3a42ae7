#include "sources/announcement_fetcher.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/env.hpp"
#include "core/error.hpp"
#include "net/http_test_util.hpp"
#include "support/fixture_server.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using std::chrono::sys_days;

const fs::path kSampleDay = fs::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day";

// Serves canned bodies by exact URL; anything else is a 404. Records what was asked.
class FakeHttpClient final : public HttpClient {
 public:
  void add(std::string url, std::string body, long status = 200) {
    routes_[std::move(url)] = {status, std::move(body)};
  }
  HttpResponse get(const HttpRequest& request) override {
    requested.push_back(request.url);
    HttpResponse response;
    response.url = request.url;
    auto it = routes_.find(request.url);
    if (it == routes_.end()) {
      response.status = 404;
      return response;
    }
    response.status = it->second.first;
    response.body = it->second.second;
    return response;
  }
  std::vector<std::string> requested;

 private:
  std::map<std::string, std::pair<long, std::string>> routes_;
};

const std::vector<std::string> kCats = {"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"};
const std::string kFeedPath = "/rss/cs.AI+cs.CL+cs.CV+cs.LG+cs.RO";

FetchOptions options_for(SourceKind source, std::vector<std::string> cats = kCats) {
  FetchOptions o;
  o.source = source;
  o.categories = std::move(cats);
  o.rss_url = "http://arxiv.test/rss/";
  o.listing_url = "http://arxiv.test/list/";
  o.api_url = "http://arxiv.test/api/query";
  o.listing_date = parse_date("2026-06-18");
  return o;
}

const AnnouncementCalendar& calendar() {
  static const AnnouncementCalendar c = AnnouncementCalendar::with_builtin_holidays();
  return c;
}

const FakeEnv kClock(std::chrono::sys_seconds{std::chrono::seconds{1781783578}});

std::chrono::sys_seconds utc(int y, unsigned m, unsigned d, int h) {
  return sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}} +
         std::chrono::hours{h};
}

TEST(SubmissionWindow, FollowsArxivsCutoffsAcrossWeekendsHolidaysAndDst) {
  struct Case {
    const char* listing;
    std::chrono::sys_seconds from, to;
  };
  const Case cases[] = {
      // Thursday 18 June: Tue 14:00 EDT .. Wed 14:00 EDT.
      {"2026-06-18", utc(2026, 6, 16, 18), utc(2026, 6, 17, 18)},
      // Monday 22 June: Friday 19 June is a holiday, so Thursday's submissions roll over too.
      {"2026-06-22", utc(2026, 6, 17, 18), utc(2026, 6, 19, 18)},
      // Tuesday 3 November 2026, first week of EST: Fri 14:00 EDT .. Mon 14:00 EST.
      {"2026-11-03", utc(2026, 10, 30, 18), utc(2026, 11, 2, 19)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.listing);
    SubmissionWindow w = submission_window(calendar(), *parse_date(c.listing));
    EXPECT_EQ(w.from, c.from);
    EXPECT_EQ(w.to, c.to);
  }
  FetchOptions o = options_for(SourceKind::kApi, {"cs.AI", "cs.LG"});
  EXPECT_EQ(api_query_url(o, submission_window(calendar(), *parse_date("2026-06-18")), 500),
            "http://arxiv.test/api/query?search_query=%28cat%3Acs.AI%20OR%20cat%3Acs.LG%29%20AND"
            "%20submittedDate%3A%5B202606161801%20TO%20202606171800%5D&start=500&max_results=500"
            "&sortBy=submittedDate&sortOrder=ascending");
}

Paper paper(const char* id, const char* primary, std::vector<std::string> cats, AnnounceType type) {
  Paper p;
  p.id = ArxivId::parse(id);
  p.title = id;
  p.primary_category = primary;
  p.categories = std::move(cats);
  p.announce_type = type;
  return p;
}

TEST(MergePapers, OnePerIdWithUnitedCategoriesAndTheStrongestAnnounceType) {
  // 2606.19004 (primary cs.DC) as listed on two pages, and a paper seen in two versions.
  auto merged = merge_papers({
      paper("2606.19004v1", "cs.DC", {"cs.DC", "cs.LG"}, AnnounceType::kCross),
      paper("2606.18284v1", "cs.LG", {"cs.LG", "cs.AI"}, AnnounceType::kNew),
      paper("2606.19004v1", "cs.DC", {"cs.DC", "cs.RO"}, AnnounceType::kCross),
      paper("2606.18284v1", "cs.LG", {"cs.LG", "cs.CL"}, AnnounceType::kCross),
      paper("2605.00001v2", "cs.AI", {"cs.AI"}, AnnounceType::kReplace),
      paper("2605.00001v1", "cs.AI", {"cs.AI", "cs.CL"}, AnnounceType::kReplaceCross),
  });
  ASSERT_EQ(merged.size(), 3u);
  EXPECT_EQ(merged[0].id.str(), "2605.00001v2");
  EXPECT_EQ(merged[0].announce_type, AnnounceType::kReplace);
  EXPECT_EQ(merged[0].categories, (std::vector<std::string>{"cs.AI", "cs.CL"}));
  EXPECT_EQ(merged[1].id.key(), "2606.18284");
  EXPECT_EQ(merged[1].announce_type, AnnounceType::kNew);
  EXPECT_EQ(merged[1].categories, (std::vector<std::string>{"cs.LG", "cs.AI", "cs.CL"}));
  EXPECT_EQ(merged[2].categories, (std::vector<std::string>{"cs.DC", "cs.LG", "cs.RO"}));
}

TEST(FetchAnnouncement, RssKeepsOnlyTheConfiguredAnnounceTypes) {
  FakeHttpClient http;
  http.add("http://arxiv.test/rss/cs.AI+cs.CL+cs.CV+cs.LG+cs.RO",
           testing::read_file(kSampleDay / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO"));
  FetchOptions o = options_for(SourceKind::kRss);
  o.keep = {AnnounceType::kNew};
  FetchResult r = fetch_announcement(http, o, calendar(), kClock);
  ASSERT_EQ(r.status, FetchResult::Status::kFetched);
  EXPECT_EQ(r.announcement.papers.size(), 203u);
  EXPECT_EQ(r.dropped_by_type, 16u);
  EXPECT_EQ(format_date(r.announcement.listing_date), "2026-06-18");
  EXPECT_EQ(r.announcement.fetched_at, kClock.now());
  EXPECT_TRUE(std::is_sorted(r.announcement.papers.begin(), r.announcement.papers.end(),
                             [](const Paper& a, const Paper& b) { return a.id < b.id; }));
}

TEST(FetchAnnouncement, RssAtArxivsItemLimitIsIncomplete) {
  std::string feed = testing::read_file(kSampleDay / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO");
  const auto first = feed.find("<item>");
  const auto end = feed.find("</item>", first) + 7;
  const std::string item = feed.substr(first, end - first);
  const std::string id = "2606.18271";
  std::string items;
  for (int i = 0; i < 2000; ++i) {
    std::string copy = item;
    const std::string new_id = "2606." + std::to_string(10000 + i);
    for (auto at = copy.find(id); at != std::string::npos; at = copy.find(id, at + 1))
      copy.replace(at, id.size(), new_id);
    items += copy;
  }
  feed.replace(first, feed.rfind("</item>") + 7 - first, items);
  FakeHttpClient http;
  http.add("http://arxiv.test/rss/cs.AI+cs.CL+cs.CV+cs.LG+cs.RO", feed);
  EXPECT_THROW(fetch_announcement(http, options_for(SourceKind::kRss), calendar(), kClock),
               IncompleteFetchError);
}

TEST(FetchAnnouncement, ListingPagesAreMergedAndEmptyDaysAreNoAnnouncement) {
  FakeHttpClient http;
  for (const auto& cat : kCats)
    http.add("http://arxiv.test/list/" + cat + "/new",
             testing::read_file(kSampleDay / "list" / cat / "new"));
  std::vector<std::string> progress;
  FetchOptions o = options_for(SourceKind::kListing);
  o.on_request = [&](std::size_t n, std::size_t total, const std::string& url) {
    progress.push_back(std::to_string(n) + "/" + std::to_string(total) + " " + url);
  };
  FetchResult r = fetch_announcement(http, o, calendar(), kClock);
  ASSERT_EQ(r.status, FetchResult::Status::kFetched);
  EXPECT_EQ(r.announcement.papers.size(), 219u);
  EXPECT_EQ(r.announcement.declared_count, 320u);  // sum of the five pages' totals
  ASSERT_EQ(progress.size(), 5u);
  EXPECT_EQ(progress[4], "5/5 http://arxiv.test/list/cs.RO/new");

  FakeHttpClient quiet;
  const std::string no_updates =
      testing::read_file(testing::data_path("listing/cs.LG_new_no_updates.html"));
  for (const auto& cat : kCats) quiet.add("http://arxiv.test/list/" + cat + "/new", no_updates);
  FetchOptions monday = options_for(SourceKind::kListing);
  monday.listing_date = parse_date("2026-06-22");
  FetchResult none = fetch_announcement(quiet, monday, calendar(), kClock);
  EXPECT_EQ(none.status, FetchResult::Status::kNoAnnouncement);
  EXPECT_FALSE(none.announcement.complete);
}

// The API source's paging, window and category checks: api_source_test.cpp.

TEST(FetchAnnouncement, AListingPageHoldingFewerEntriesThanItDeclaresIsIncomplete) {
  // cs.RO's real page without its last entry, still saying "showing 3 of 3" / "Total of 18".
  std::string page = testing::read_file(kSampleDay / "list" / "cs.RO" / "new");
  const auto dt = page.rfind("<dt>");
  page.erase(dt, page.find("</dd>", dt) + 5 - dt);
  FakeHttpClient http;
  for (const auto& cat : kCats)
    http.add("http://arxiv.test/list/" + cat + "/new",
             cat == "cs.RO" ? page : testing::read_file(kSampleDay / "list" / cat / "new"));
  try {
    (void)fetch_announcement(http, options_for(SourceKind::kListing), calendar(), kClock);
    ADD_FAILURE() << "no IncompleteFetchError";
  } catch (const IncompleteFetchError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("http://arxiv.test/list/cs.RO/new:"), std::string::npos) << message;
    EXPECT_NE(message.find("the page is incomplete"), std::string::npos) << message;
  }
}

TEST(JoinUrl, OneSlashBetweenBaseAndPathWhateverTheBaseEndsWith) {
  struct Case {
    const char* base;
    const char* path;
    const char* joined;
  };
  const Case cases[] = {
      {"https://arxiv.org/list", "cs.LG/new", "https://arxiv.org/list/cs.LG/new"},
      {"https://arxiv.org/list/", "cs.LG/new", "https://arxiv.org/list/cs.LG/new"},
      {"https://arxiv.org/list/", "/cs.LG/new", "https://arxiv.org/list/cs.LG/new"},
      {"https://rss.arxiv.org/rss", "cs.LG+cs.AI", "https://rss.arxiv.org/rss/cs.LG+cs.AI"},
      {"https://rss.arxiv.org", "rss/cs.LG", "https://rss.arxiv.org/rss/cs.LG"},
      // A query string (or fragment) stays at the end.
      {"https://rss.arxiv.org/rss?version=2.0", "cs.LG",
       "https://rss.arxiv.org/rss/cs.LG?version=2.0"},
      {"http://127.0.0.1:8080/list/?x=1#top", "cs.LG/new",
       "http://127.0.0.1:8080/list/cs.LG/new?x=1#top"},
      // Local folders and file:// URLs: a '?' is part of the name.
      {"feeds", "cs.LG", "feeds/cs.LG"},
      {"/base/feeds/", "cs.LG", "/base/feeds/cs.LG"},
      {"/base/odd?name", "cs.LG", "/base/odd?name/cs.LG"},
      {"file:///srv/rss", "cs.LG", "file:///srv/rss/cs.LG"},
      {"", "cs.LG", "cs.LG"},
  };
  for (const auto& c : cases) EXPECT_EQ(join_url(c.base, c.path), c.joined) << c.base;
  EXPECT_EQ(with_query("https://export.arxiv.org/api/query", "id_list=1"),
            "https://export.arxiv.org/api/query?id_list=1");
  EXPECT_EQ(with_query("https://h/api/query?key=k", "id_list=1"),
            "https://h/api/query?key=k&id_list=1");
  EXPECT_EQ(with_query("https://h/api/query?", "id_list=1"), "https://h/api/query?id_list=1");

  FetchOptions o = options_for(SourceKind::kRss, {"cs.LG", "cs.AI"});
  o.rss_url = "https://rss.arxiv.org/rss";
  o.listing_url = "https://arxiv.org/list";
  EXPECT_EQ(rss_feed_url(o), "https://rss.arxiv.org/rss/cs.LG+cs.AI");
  EXPECT_EQ(listing_page_url(o, "cs.LG"), "https://arxiv.org/list/cs.LG/new");
  o.rss_url = "https://rss.arxiv.org/rss/";
  o.listing_url = "https://arxiv.org/list/";
  EXPECT_EQ(rss_feed_url(o), "https://rss.arxiv.org/rss/cs.LG+cs.AI");
  EXPECT_EQ(listing_page_url(o, "cs.LG"), "https://arxiv.org/list/cs.LG/new");
}

// `rss_url = "https://rss.arxiv.org/rss"`, as people type it, used to request /rsscs.LG+cs.AI.
TEST(FetchAnnouncement, BasesWithoutATrailingSlashFetchTheDay) {
  testing::FixtureServer server;
  server.mount("/rss/", kSampleDay / "rss", {"application/rss+xml; charset=utf-8", false, true});
  server.mount("/list/", kSampleDay / "list", {"text/html; charset=utf-8", false, true});
  CurlHttpClient curl(testing::test_curl_options());

  FetchOptions rss = options_for(SourceKind::kRss);
  rss.rss_url = server.url("/rss");
  FetchResult r = fetch_announcement(curl, rss, calendar(), kClock);
  EXPECT_EQ(r.announcement.papers.size(), 219u);
  EXPECT_EQ(r.announcement.source_url, server.url(kFeedPath));

  FetchOptions listing = options_for(SourceKind::kListing);
  listing.listing_url = server.url("/list");
  EXPECT_EQ(fetch_announcement(curl, listing, calendar(), kClock).announcement.papers.size(), 219u);
  EXPECT_EQ(server.request_count("/list/cs.RO/new"), 1u);

  // A local folder, with or without the slash.
  for (std::string folder : {(kSampleDay / "rss").string(), (kSampleDay / "rss").string() + "/"}) {
    rss.rss_url = folder;
    EXPECT_EQ(fetch_announcement(curl, rss, calendar(), kClock).announcement.papers.size(), 219u)
        << folder;
  }
}

// Example papers by id (topics by example): real API answers for a known id, an unknown id, a
// malformed id; a short page is never taken for "unknown".
TEST(FetchPapersById, KnownUnknownMalformedAndShortAnswers) {
  const FetchOptions o = options_for(SourceKind::kApi);
  const std::string base = "http://arxiv.test/api/query?id_list=";
  FakeHttpClient http;
  http.add(base + "1707.08567&start=0&max_results=1",
           testing::read_file(
               testing::data_path("api/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml")));
  const auto found = fetch_papers_by_id(http, o, {ArxivId::parse("1707.08567")});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id.key(), "1707.08567");
  EXPECT_FALSE(found[0].abstract.empty());

  http.add(base + "2605.99999&start=0&max_results=1",
           testing::read_file(
               testing::data_path("api/api2026_id_0000.0000_s0_m100_8b51d9633a68_http200.xml")));
  EXPECT_TRUE(fetch_papers_by_id(http, o, {ArxivId::parse("2605.99999")}).empty());

  // arXiv's HTTP 400 with its "incorrect id format" entry: a ParseError quoting it.
  http.add(
      base + "2605.00001&start=0&max_results=1",
      testing::read_file(testing::data_path("api/api2026_id_abc_s0_m100_b79c8dcf6bc3_http400.xml")),
      400);
  EXPECT_THROW(fetch_papers_by_id(http, o, {ArxivId::parse("2605.00001")}), ParseError);
  // A 400 without an error entry is still an HTTP error, not "no such paper".
  http.add(base + "2605.00002&start=0&max_results=1",
           testing::read_file(
               testing::data_path("api/api2026_id_0000.0000_s0_m100_8b51d9633a68_http200.xml")),
           400);
  EXPECT_THROW(fetch_papers_by_id(http, o, {ArxivId::parse("2605.00002")}), HttpStatusError);
  // A page declaring more results than it holds (a real 10-entry page declaring 214881).
  http.add(base + "2605.00003&start=0&max_results=1",
           testing::read_file(
               testing::data_path("api/api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml")));
  EXPECT_THROW(fetch_papers_by_id(http, o, {ArxivId::parse("2605.00003")}), IncompleteFetchError);
  // 250 ids take three requests of at most 100.
  FakeHttpClient counting;
  std::vector<ArxivId> many;
  for (int i = 1; i <= 250; ++i) many.push_back(ArxivId::parse(fmt::format("2605.{:05}", i)));
  EXPECT_THROW(fetch_papers_by_id(counting, o, many), HttpStatusError);  // 404 on the first
  EXPECT_EQ(counting.requested.size(), 1u);
  EXPECT_NE(counting.requested[0].find("max_results=100"), std::string::npos);
}

TEST(FetchAnnouncement, HttpFailuresAreErrorsWithTheUrl) {
  FakeHttpClient http;  // every URL is a 404
  try {
    (void)fetch_announcement(http, options_for(SourceKind::kRss), calendar(), kClock);
    ADD_FAILURE();
  } catch (const HttpStatusError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_EQ(e.url(), "http://arxiv.test/rss/cs.AI+cs.CL+cs.CV+cs.LG+cs.RO");
  }
}

}  // namespace
}  // namespace arxiv_digest
