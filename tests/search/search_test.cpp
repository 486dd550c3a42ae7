// search(): agrees with the matcher (what `arxiv-digest match` prints) on real records, finds
// Chinese text in stored translations, filters by date and category, and bounds its work.
#include "search/search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "match/query_set.hpp"
#include "render/seed_digest.hpp"
#include "sources/byte_source.hpp"
#include "sources/jsonl_reader.hpp"
#include "store/sqlite_archive.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using arxiv_digest::testing::data_path;
using arxiv_digest::testing::kSampleDay;
using arxiv_digest::testing::TempDir;

std::vector<Paper> read_records(const std::filesystem::path& path) {
  LineReader reader(open_input(path.string()));
  JsonlRecordParser parser;
  std::vector<Paper> papers;
  while (auto line = reader.next_line()) {
    if (is_blank_line(line->text)) continue;
    papers.push_back(parser.parse(line->text, reader.source(), line->number));
  }
  return papers;
}

// The archive of both real record sets: the Kaggle snapshot's first 200 records (2007, TeX in
// names and abstracts) and the sample day's 2026 listing.
class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    corpus_ = new std::vector<Paper>(read_records(data_path("snapshot/first200.jsonl")));
    const auto day = read_records(kSampleDay / "papers.jsonl");
    corpus_->insert(corpus_->end(), day.begin(), day.end());
  }
  static void TearDownTestSuite() {
    delete corpus_;
    corpus_ = nullptr;
  }
  void SetUp() override {
    archive_.emplace(dir_ / "a.sqlite");
    archive_->save_papers(*corpus_, std::chrono::sys_seconds{std::chrono::seconds{1781783578}});
  }

  // The keys the matcher accepts, newest (highest id) first, as search orders them.
  static std::vector<std::string> matched_keys(const std::string& query) {
    QuerySet set({query});
    std::set<std::string, std::greater<>> keys;
    for (const Paper& p : *corpus_)
      if (!set.match(p).empty()) keys.insert(p.id.key());
    return {keys.begin(), keys.end()};
  }
  std::vector<std::string> searched_keys(SearchRequest request) {
    request.limit = 10000;
    const SearchResults results = search(*archive_, request);
    EXPECT_FALSE(results.truncated) << request.query;
    EXPECT_FALSE(results.more);
    std::vector<std::string> keys;
    for (const SearchHit& hit : results.hits) keys.push_back(hit.paper.id.key());
    return keys;
  }

  static std::vector<Paper>* corpus_;
  TempDir dir_;
  std::optional<SqliteArchive> archive_;
};
std::vector<Paper>* SearchTest::corpus_ = nullptr;

TEST_F(SearchTest, AgreesWithTheMatcherOnRealRecords) {
  const std::vector<std::string> queries = {
      // phrases and words (plural forms, hyphens, TeX in the text)
      "\"reinforcement learning\"", "\"language model\"", "quark", "\"dark matter\"",
      "\"cross section\"", "black hole", "Schrodinger", "diffusion policy",
      // boolean
      "quark OR gluon", "(robot OR robotic) AND NOT simulation", "graph -neural",
      "\"large language\" AND (agent OR reasoning)",
      // scoped
      "ti:transformer", "abs:\"phase transition\"", "ti:(learning OR learned)",
      // authors (surnames with TeX accents in the snapshot: C. Bal\'azs)
      "au:Balazs", "au:Nadolsky", "au:\"P. M. Nadolsky\"", "au:Zhang", "au:Wang AND cat:cs.CV",
      // categories, ids
      "cat:hep-ph", "cat:cs.RO", "cat:math", "cat:cs.* AND robot", "id:0704.00*",
      // prefixes, exact, stems
      "superconduct*", "=network", "~computing", "diffus* AND cat:cs.LG"};
  std::size_t non_empty = 0;
  for (const std::string& query : queries) {
    SearchRequest request;
    request.query = query;
    const auto expected = matched_keys(query);
    EXPECT_EQ(searched_keys(request), expected) << query;
    non_empty += !expected.empty();
  }
  EXPECT_GE(non_empty, queries.size() - 2);  // the queries exercise real matches
}

TEST_F(SearchTest, PagesThroughHitsNewestFirst) {
  SearchRequest request;
  request.query = "cat:cs.LG";
  request.limit = 5;
  const auto all = matched_keys(request.query);
  ASSERT_GT(all.size(), 12u);
  const SearchResults first = search(*archive_, request);
  ASSERT_EQ(first.hits.size(), 5u);
  EXPECT_TRUE(first.more);
  request.offset = 5;
  const SearchResults second = search(*archive_, request);
  ASSERT_EQ(second.hits.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(first.hits[i].paper.id.key(), all[i]);
    EXPECT_EQ(second.hits[i].paper.id.key(), all[5 + i]);
  }
  // Highlights: the spans point at the matched text.
  const SearchHit& hit = first.hits.front();
  ASSERT_FALSE(hit.reason.spans.empty());
  EXPECT_EQ(hit.reason.terms, std::vector<std::string>{"cat:cs.LG"});
  EXPECT_EQ(span_text(hit.paper, hit.reason.spans.front()), "cs.LG");
}

TEST_F(SearchTest, FiltersByDateAndCategory) {
  SearchRequest request;
  request.query = "learning OR quark";
  request.since = Date{std::chrono::year{2026}, std::chrono::June, std::chrono::day{1}};
  auto keys = searched_keys(request);
  ASSERT_FALSE(keys.empty());
  for (const auto& key : keys) EXPECT_EQ(key.substr(0, 2), "26") << key;
  request.since.reset();
  request.until = Date{std::chrono::year{2007}, std::chrono::December, std::chrono::day{31}};
  keys = searched_keys(request);
  ASSERT_FALSE(keys.empty());
  for (const auto& key : keys) EXPECT_EQ(key.substr(0, 4), "0704") << key;
  request.until.reset();
  request.categories = {"hep-ph"};
  EXPECT_EQ(searched_keys(request), matched_keys("(learning OR quark) AND cat:hep-ph"));
  request.categories = {"cs.RO", "hep-ph"};
  EXPECT_EQ(searched_keys(request),
            matched_keys("(learning OR quark) AND (cat:hep-ph OR cat:cs.RO)"));
}

TEST_F(SearchTest, FindsChineseTextInStoredTranslations) {
  const Digest seed = arxiv_digest::testing::load_seed_digest(true);
  // The seed's papers with their real Chinese translations, stored as the engine stores them.
  archive_->save_papers(seed.papers, std::chrono::sys_seconds{std::chrono::seconds{1781783578}});
  std::size_t stored = 0;
  std::string probe_title;
  std::string probe_key;
  for (std::size_t i = 0; i < seed.papers.size(); ++i) {
    if (!seed.translations[i]) continue;
    const Paper& p = seed.papers[i];
    const PaperTranslation& t = *seed.translations[i];
    if (!t.title.empty()) {
      archive_->translations().store({sha256_hex(p.title), "title", "zh-CN", "openai", "m", "1"},
                                     t.title, {});
      ++stored;
      if (probe_title.empty() && t.title.size() >= 12) {
        probe_title = t.title;
        probe_key = p.id.key();
      }
    }
    if (!t.abstract.empty())
      archive_->translations().store(
          {sha256_hex(p.abstract), "abstract", "zh-CN", "openai", "m", "1"}, t.abstract, {});
  }
  ASSERT_GT(stored, 5u);
  ASSERT_FALSE(probe_title.empty());

  // A 4-character piece of one translated title (a trigram lookup), and 2 characters (a scan).
  std::size_t cut = 0;
  for (int chars = 0; chars < 4 && cut < probe_title.size(); ++chars) {
    do ++cut;
    while (cut < probe_title.size() && (static_cast<unsigned char>(probe_title[cut]) & 0xC0) == 0x80);
  }
  for (const std::string& query : {probe_title, probe_title.substr(0, cut)}) {
    SearchRequest request;
    request.query = query;
    request.language = "zh-CN";
    request.limit = 1000;
    const SearchResults results = search(*archive_, request);
    std::vector<std::string> keys;
    for (const SearchHit& hit : results.hits) {
      keys.push_back(hit.paper.id.key());
      // Every hit really holds the text in a translation, and the translation comes along.
      const bool in_title = hit.title_translation && hit.title_translation->find(query) != std::string::npos;
      const bool in_abstract =
          hit.abstract_translation && hit.abstract_translation->find(query) != std::string::npos;
      EXPECT_TRUE(in_title || in_abstract) << hit.paper.id.str();
    }
    EXPECT_NE(std::find(keys.begin(), keys.end(), probe_key), keys.end()) << query;
  }
  // Common Chinese words used by many translations: 学习 ("learning").
  SearchRequest request;
  request.query = "学习";
  request.language = "zh-CN";
  request.limit = 1000;
  EXPECT_GT(search(*archive_, request).hits.size(), 3u);
  request.language = "ja";  // nothing stored in that language
  EXPECT_TRUE(search(*archive_, request).hits.empty());
  // Chinese mixed with query-language terms is refused, clearly.
  request.query = "学习 AND ti:robot";
  EXPECT_THROW(search(*archive_, request), ConfigError);
}

TEST_F(SearchTest, ATimeBudgetCutsTheSearchShortAndSaysSo) {
  SearchRequest request;
  request.query = "id:0704.01* OR quark";  // id: has no index form: every paper is a candidate
  request.time_budget = std::chrono::milliseconds(0);
  const SearchResults results = search(*archive_, request);
  EXPECT_TRUE(results.truncated);
  EXPECT_TRUE(results.hits.empty());
  request.time_budget = std::chrono::milliseconds(5000);
  request.max_candidates = 10;
  const SearchResults bounded = search(*archive_, request);
  EXPECT_TRUE(bounded.truncated);
  EXPECT_EQ(bounded.candidates, 10u);
}

TEST_F(SearchTest, AMalformedQueryIsAConfigErrorPointingAtIt) {
  SearchRequest request;
  request.query = "a OR (b";
  try {
    search(*archive_, request);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unclosed '('"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace arxiv_digest
