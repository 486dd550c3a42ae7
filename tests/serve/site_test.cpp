// The web UI's routes on the real sample day (tests/serve/sample_archive.hpp): pages, API shapes,
// escaping, headers, traversal and limits, through Site::handle (no sockets; server_test.cpp
// covers the HTTP layer).
#include "serve/site.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>

#include "core/error.hpp"
#include "render/renderer.hpp"
#include "serve/digest_json.hpp"
#include "store/sqlite_archive.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"
#include "tests/serve/sample_archive.hpp"

namespace arxiv_digest::serve {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kKatex = fs::path(ARXIV_DIGEST_SOURCE_DIR) / "node_modules" / "katex" / "dist";

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

Request get(std::string path, std::vector<std::pair<std::string, std::string>> params = {}) {
  Request request;
  request.path = std::move(path);
  request.params = std::move(params);
  return request;
}

class SiteTest : public ::testing::Test {
 protected:
  SiteTest()
      : archive_(testing::sample_archive().archive()),
        site_(archive_, options()) {}

  SiteOptions options() {
    SiteOptions options;
    options.katex_dir = kKatex;
    options.search = [this](const SearchQuery& query) {
      last_query_ = query;
      if (query.query == "(") throw ParseError("query", 1, 1, "", "query:1:1: unbalanced parenthesis");
      SearchResults results;
      if (auto paper = archive_.find_paper("2606.18284")) {
        SearchHit hit;
        hit.paper = *paper;
        hit.listing_date = parse_date("2026-06-18");
        results.hits.push_back(hit);
        results.total = 7;
      }
      return results;
    };
    return options;
  }

  SqliteArchive archive_;
  Site site_;
  SearchQuery last_query_;
};

TEST_F(SiteTest, IndexListsTheSampleDayWithItsPaperCount) {
  const Response r = site_.handle(get("/"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<a href=\"/digest/2026-06-18\">2026-06-18</a> <span class=\"count\">30 papers"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("<meta name=\"viewport\""), std::string::npos);
}

TEST_F(SiteTest, DigestPageIsBilingualWithTopicsHighlightsAndKatex) {
  const Response r = site_.handle(get("/digest/2026-06-18"));
  ASSERT_EQ(r.status, 200) << r.body;
  // Both topics as sections; every selection is an article (a paper may be in both topics).
  EXPECT_NE(r.body.find("id=\"topic-reinforcement-learning\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"topic-diffusion-policy\""), std::string::npos);
  const Digest digest = digest_from_json(
      testing::read_file(testing::sample_archive().out() / "2026-06-18.json"), "json");
  std::size_t selections = 0;
  for (const TopicResult& topic : digest.topics) selections += topic.papers.size();
  EXPECT_EQ(count(r.body, "<article class=\"paper\""), selections);
  EXPECT_GE(selections, 30u);
  // Original and Chinese: the seed's real translation of 2606.18284's title is on the page.
  ASSERT_FALSE(digest.translations.empty());
  std::size_t index = 0;
  while (digest.papers[index].id.key() != "2606.18284") ++index;
  const std::string zh_title = digest.translations[index]->title;
  ASSERT_FALSE(zh_title.empty());
  EXPECT_NE(r.body.find(escape_html(zh_title)), std::string::npos);
  EXPECT_NE(r.body.find(escape_html(digest.papers[index].title).substr(0, 20)), std::string::npos);
  // The query's words are marked, KaTeX comes from this site, the script is a file.
  EXPECT_NE(r.body.find("<mark>reinforcement learning</mark>"), std::string::npos);
  EXPECT_NE(r.body.find("<script defer src=\"/static/katex/katex.min.js\"></script>"), std::string::npos);
  EXPECT_NE(r.body.find("<script defer src=\"/static/serve.js\"></script>"), std::string::npos);
  EXPECT_EQ(count(r.body, "<script>"), 0u);
  EXPECT_EQ(r.body.find(" onload="), std::string::npos);
}

TEST_F(SiteTest, LanguageSwitchShowsOneLanguageAndRefusesOthers) {
  const Response both = site_.handle(get("/digest/2026-06-18"));
  const Response en = site_.handle(get("/digest/2026-06-18", {{"lang", "en"}}));
  const Response zh = site_.handle(get("/digest/2026-06-18", {{"lang", "zh"}}));
  ASSERT_EQ(en.status, 200);
  ASSERT_EQ(zh.status, 200);
  EXPECT_GT(count(both.body, "lang=\"zh-Hans\""), 30u);
  EXPECT_EQ(count(en.body, "class=\"abstract zh\""), 0u);
  EXPECT_EQ(count(zh.body, "<p class=\"abstract\" lang=\"en\">"), 0u);  // all 30 translated
  EXPECT_EQ(count(zh.body, "class=\"abstract zh\""), count(both.body, "class=\"abstract zh\""));
  EXPECT_NE(en.body.find("<strong class=\"current\">English</strong>"), std::string::npos);
  EXPECT_EQ(site_.handle(get("/digest/2026-06-18", {{"lang", "fr"}})).status, 400);
}

TEST_F(SiteTest, TopicFilterAndBadDatesAndUnknownPages) {
  const Response topic = site_.handle(get("/digest/2026-06-18", {{"topic", "diffusion-policy"}}));
  ASSERT_EQ(topic.status, 200);
  EXPECT_EQ(topic.body.find("id=\"topic-reinforcement-learning\""), std::string::npos);
  EXPECT_NE(topic.body.find("id=\"topic-diffusion-policy\""), std::string::npos);
  EXPECT_EQ(site_.handle(get("/digest/2026-06-18", {{"topic", "nope"}})).status, 404);
  EXPECT_EQ(site_.handle(get("/digest/2026-13-45")).status, 400);
  EXPECT_EQ(site_.handle(get("/digest/yesterday")).status, 400);
  EXPECT_EQ(site_.handle(get("/digest/2026-06-17")).status, 404);
  EXPECT_EQ(site_.handle(get("/nothing/here")).status, 404);
  EXPECT_EQ(site_.handle(get("/paper/not-an-id")).status, 400);
  EXPECT_EQ(site_.handle(get("/paper/2101.00001")).status, 404);
  const Response bad = site_.handle(get("/digest/garbage"));
  EXPECT_NE(bad.body.find("garbage"), std::string::npos);  // the message names the input
}

TEST_F(SiteTest, PaperPageHasVersionsLinksListingsAndTheDigestsThatIncludedIt) {
  const Response r = site_.handle(get("/paper/2606.18284"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("https://arxiv.org/abs/2606.18284"), std::string::npos);
  EXPECT_NE(r.body.find("https://arxiv.org/pdf/2606.18284"), std::string::npos);
  EXPECT_NE(r.body.find("<table class=\"versions\">"), std::string::npos);
  EXPECT_NE(r.body.find("2026-06-18</a> · cs.AI+cs.CL+cs.CV+cs.LG+cs.RO · new · v1"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("<a href=\"/digest/2026-06-18?topic=reinforcement-learning\">2026-06-18 · "
                        "reinforcement learning</a>"),
            std::string::npos);
  // A versioned id shows the same paper.
  EXPECT_EQ(site_.handle(get("/paper/2606.18284v1")).status, 200);
}

TEST_F(SiteTest, EveryResponseHasTheSecurityHeadersAndPagesTheCsp) {
  for (const char* path : {"/", "/digest/2026-06-18", "/paper/2606.18284", "/api/digests",
                           "/static/serve.css", "/nope", "/feeds/digest.atom"}) {
    const Response r = site_.handle(get(path));
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer") << path;
    if (r.content_type.starts_with("text/html")) {
      const std::string csp = r.header("Content-Security-Policy");
      EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << path;
      EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
      EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    }
  }
  Request post = get("/");
  post.method = "POST";
  const Response refused = site_.handle(post);
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(refused.header("Allow"), "GET, HEAD");
}

TEST_F(SiteTest, StaticFilesServeKatexButNeverLeaveTheirFolder) {
  const Response css = site_.handle(get("/static/katex/katex.min.css"));
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.body, testing::read_file(kKatex / "katex.min.css"));
  EXPECT_EQ(site_.handle(get("/static/katex/contrib/auto-render.min.js")).status, 200);
  EXPECT_EQ(site_.handle(get("/static/serve.js")).content_type, "text/javascript; charset=utf-8");
  // httplib hands over the decoded path: "%2e%2e" arrives as "..", "%252e" as "%2e".
  for (const char* path :
       {"/static/katex/../katex/katex.min.css", "/static/katex/../../../CMakeLists.txt",
        "/static/katex/fonts/../katex.min.css", "/static/katex/%2e%2e/katex.min.css",
        "/static/katex//etc/passwd", "/static/katex/./katex.min.css", "/static/katex/",
        "/static/katex/..\\katex.min.css", "/static/katex/fonts", "/static//etc/passwd",
        "/static/../CMakeLists.txt"}) {
    EXPECT_EQ(site_.handle(get(path)).status, 404) << path;
  }
  EXPECT_EQ(site_.handle(get(std::string("/static/katex/katex.min.css\0.png", 32))).status, 404);
}

TEST_F(SiteTest, StaticFilesDoNotFollowSymlinksOutOfTheirFolder) {
  testing::TempDir dir;
  fs::create_directories(dir / "katex");
  std::ofstream(dir / "katex" / "katex.min.css") << "body{}";
  std::ofstream(dir / "secret.txt") << "secret";
  fs::create_symlink(dir / "secret.txt", dir / "katex" / "link.css");
  SiteOptions options;
  options.katex_dir = dir / "katex";
  Site site(archive_, options);
  EXPECT_EQ(site.handle(get("/static/katex/katex.min.css")).status, 200);
  EXPECT_EQ(site.handle(get("/static/katex/link.css")).status, 404);
}

TEST_F(SiteTest, QueriesAreBoundedAndValidated) {
  EXPECT_EQ(site_.handle(get("/search", {{"q", std::string(257, 'a')}})).status, 400);
  EXPECT_EQ(site_.handle(get("/search", {{"q", std::string(256, 'a')}})).status, 200);
  EXPECT_EQ(site_.handle(get("/search", {{"q", "x"}, {"cat", std::string(65, 'c')}})).status, 400);
  EXPECT_EQ(site_.handle(get("/search", {{"q", "x"}, {"limit", "ten"}})).status, 400);
  EXPECT_EQ(site_.handle(get("/search", {{"q", "x"}, {"limit", "0"}})).status, 400);
  EXPECT_EQ(site_.handle(get("/search", {{"q", "x"}, {"since", "2026-6-1"}})).status, 400);
  EXPECT_EQ(site_.handle(get("/search", {{"q", "x"}, {"since", "2026-06-19"}, {"until", "2026-06-18"}})).status, 400);
  EXPECT_EQ(site_.handle(get("/search", {{"q", "x"}, {"cat", "cs.AI<"}})).status, 400);
  ASSERT_EQ(site_.handle(get("/search", {{"q", "x"}, {"limit", "1000000"}})).status, 200);
  EXPECT_EQ(last_query_.limit, 100u);  // capped at max_limit
  ASSERT_EQ(site_.handle(get("/search", {{"q", " x "}, {"cat", "cs.RO"}, {"since", "2026-06-01"}})).status, 200);
  EXPECT_EQ(last_query_.query, "x");
  EXPECT_EQ(last_query_.category, "cs.RO");
  EXPECT_EQ(last_query_.limit, 25u);
  ASSERT_TRUE(last_query_.since);
  EXPECT_EQ(format_date(*last_query_.since), "2026-06-01");
  // A query the language refuses: 400 with the parser's message.
  const Response bad = site_.handle(get("/search", {{"q", "("}}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("unbalanced parenthesis"), std::string::npos);
  EXPECT_EQ(site_.handle(get("/api/search")).status, 400);  // q is required
}

TEST_F(SiteTest, SearchPageShowsHitsAndEscapesTheQuery) {
  const Response r = site_.handle(get("/search", {{"q", "\"><script>alert(1)</script>"}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("<script>alert"), std::string::npos);
  EXPECT_NE(r.body.find("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), std::string::npos);
  EXPECT_NE(r.body.find("7 results (the first 1 shown)"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/paper/2606.18284\""), std::string::npos);
}

TEST_F(SiteTest, JsonApiUsesTheSchemaFieldNames) {
  const Response list = site_.handle(get("/api/digests"));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.content_type, "application/json; charset=utf-8");
  const Json digests = Json::parse(list.body);
  ASSERT_EQ(digests["digests"].size(), 1u);
  EXPECT_EQ(digests["digests"][0]["listing_date"], "2026-06-18");
  EXPECT_EQ(digests["digests"][0]["paper_count"], 30);
  EXPECT_EQ(digests["digests"][0]["formats"], Json::parse(R"(["html", "json"])"));

  // The day's digest is the JSON digest file itself, read back and rendered again.
  const Response day = site_.handle(get("/api/digest/2026-06-18"));
  ASSERT_EQ(day.status, 200);
  EXPECT_EQ(day.body, testing::read_file(testing::sample_archive().out() / "2026-06-18.json"));
  EXPECT_EQ(site_.handle(get("/api/digest/2026-06-17")).status, 404);
  const Response bad = site_.handle(get("/api/digest/x"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.content_type, "application/json; charset=utf-8");
  EXPECT_EQ(Json::parse(bad.body)["error"]["status"], 400);

  const Json paper = Json::parse(site_.handle(get("/api/paper/2606.18284")).body);
  EXPECT_EQ(paper["key"], "2606.18284");
  ASSERT_EQ(paper["versions"].size(), 1u);
  for (const char* key : {"id", "version", "key", "title", "authors", "primary_category",
                          "categories", "abstract", "abs_url", "pdf_url", "announce_type"})
    EXPECT_TRUE(paper["versions"][0].contains(key)) << key;
  EXPECT_EQ(paper["versions"][0]["abs_url"], "https://arxiv.org/abs/2606.18284");
  EXPECT_EQ(paper["listings"][0]["listing_date"], "2026-06-18");
  EXPECT_EQ(paper["listings"][0]["announce_type"], "new");
  EXPECT_EQ(paper["digests"][0]["topics"], Json::parse(R"(["reinforcement learning"])"));

  const Json found = Json::parse(site_.handle(get("/api/search", {{"q", "solver"}})).body);
  EXPECT_EQ(found["total"], 7);
  EXPECT_EQ(found["hits"][0]["paper"]["key"], "2606.18284");
  EXPECT_EQ(found["hits"][0]["listing_date"], "2026-06-18");
}

TEST_F(SiteTest, FeedsComeFromTheLatestDigest) {
  const Response topic = site_.handle(get("/feeds/reinforcement-learning.atom"));
  ASSERT_EQ(topic.status, 200);
  EXPECT_EQ(topic.content_type, "application/atom+xml; charset=utf-8");
  EXPECT_NE(topic.body.find("2606.18284"), std::string::npos);
  EXPECT_NE(topic.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\""), std::string::npos);
  const Response whole = site_.handle(get("/feeds/digest.atom"));
  ASSERT_EQ(whole.status, 200);
  EXPECT_EQ(count(whole.body, "<entry>"), 30u);
  EXPECT_EQ(site_.handle(get("/feeds/unknown.atom")).status, 404);
  EXPECT_EQ(site_.handle(get("/feeds/../archive.sqlite")).status, 404);
}

// Every kind of page is valid HTML5 by HTML Tidy's checker (installed by scripts/setup), with no
// warning at all.
TEST_F(SiteTest, PagesAreValidHtmlByTidy) {
  testing::TempDir dir;
  for (const Request& request :
       {get("/"), get("/digest/2026-06-18"), get("/digest/2026-06-18", {{"lang", "zh"}}),
        get("/digest/2026-06-18", {{"topic", "diffusion-policy"}, {"lang", "en"}}),
        get("/paper/2606.18284"), get("/search", {{"q", "solver"}}), get("/search"), get("/nope"),
        get("/digest/x")}) {
    const Response r = site_.handle(request);
    ASSERT_TRUE(r.content_type.starts_with("text/html")) << request.path;
    const fs::path file = dir / "page.html";
    std::ofstream(file, std::ios::binary) << r.body;
    const testing::ProcessResult tidy = testing::run_process("/usr/bin/tidy", {"-q", "-e", file.string()});
    EXPECT_EQ(tidy.exit_code, 0) << request.path << "\n" << tidy.err;
  }
}

TEST_F(SiteTest, HeadAnswersWithoutABody) {
  Request head = get("/");
  head.method = "HEAD";
  const Response r = site_.handle(head);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
}

// A digest whose every text is hostile: each must reach the page as text, never as markup.
TEST(SiteEscapingTest, HostileTitlesAuthorsTopicsAndTranslationsAreEscaped) {
  testing::TempDir dir;
  SqliteArchive archive(dir / "archive.sqlite");
  const std::string hostile = "<script>alert(\"x\")</script> & 'quote' \"dq\" <img src=x onerror=y>";
  Paper paper;
  paper.id = ArxivId::parse("2606.00001v1");
  paper.title = hostile + " title";
  paper.abstract = hostile + " abstract with $x<y$";
  paper.authors = {hostile};
  paper.primary_category = "cs.AI";
  paper.categories = {"cs.AI"};
  Announcement announcement;
  announcement.listing_date = *parse_date("2026-06-18");
  announcement.categories = {"cs.AI"};
  announcement.papers = {paper};
  archive.save_announcement(announcement);
  Json digest = Json::parse(R"({"schema_version": 1, "listing_date": "2026-06-18",
    "generated_at": "2026-06-18T11:52:58Z", "announced_at": "2026-06-18T00:00:00Z",
    "time_zone": "Asia/Shanghai", "categories": ["cs.AI"], "source": "rss",
    "announced_count": 1, "papers": [], "topics": []})");
  digest["papers"].push_back(Json{{"id", "2606.00001v1"}, {"title", paper.title},
                                  {"authors", paper.authors}, {"primary_category", "cs.AI"},
                                  {"categories", Json::array({Json{{"code", "cs.AI"}, {"name", nullptr}}})},
                                  {"abstract", paper.abstract}, {"announce_type", "new"},
                                  {"translation", Json{{"title", hostile + " 标题"}, {"abstract", hostile}}}});
  digest["topics"].push_back(Json{{"name", hostile}, {"query", "alert"}, {"paper_ids", Json::array({"2606.00001"})}});
  std::ofstream(dir / "2026-06-18.json") << digest.dump();
  archive.record_digest(DigestRecord{*parse_date("2026-06-18"), "json", (dir / "2026-06-18.json").string(),
                                     "0", 1, {}});
  Site site(archive, SiteOptions{});
  for (const Request& request : {get("/"), get("/digest/2026-06-18"), get("/paper/2606.00001"),
                                 get("/digest/2026-06-18", {{"topic", hostile}}),
                                 get("/nope<script>alert(1)</script>")}) {
    const Response r = site.handle(request);
    EXPECT_EQ(r.body.find("<script>alert"), std::string::npos) << request.path << r.body;
    EXPECT_EQ(r.body.find("<img src=x"), std::string::npos) << request.path;
    EXPECT_EQ(r.body.find("'quote'"), std::string::npos) << request.path;
  }
  const Response page = site.handle(get("/digest/2026-06-18"));
  EXPECT_NE(page.body.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quote&#39;"),
            std::string::npos);
  EXPECT_NE(page.body.find("$x&lt;y$"), std::string::npos);  // TeX kept, escaped, for KaTeX
  EXPECT_NE(site.handle(get("/api/paper/2606.00001")).body.find("<script>alert(\\\"x\\\")"),
            std::string::npos);  // JSON carries the text as JSON, served as application/json
}

}  // namespace
}  // namespace arxiv_digest::serve
