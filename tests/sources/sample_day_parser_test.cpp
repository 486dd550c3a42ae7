// The bundled sample day (examples/sample-day, built by scripts/build-sample-day from real
// records): every document must parse, and the parsers must agree with papers.jsonl and with
// each other.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "core/text.hpp"
#include "sources/parsed_source.hpp"
#include "sources/parser_test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono;

const std::filesystem::path kDir =
    std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day";
const char* const kCategories[] = {"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"};

std::map<std::string, nlohmann::json> records() {
  std::map<std::string, nlohmann::json> out;
  std::ifstream in(kDir / "papers.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line);
    out.emplace(j.at("id").get<std::string>(), std::move(j));
  }
  return out;
}

TEST(SampleDay, RssFeedMatchesThePaperRecords) {
  const auto want = records();
  ASSERT_FALSE(want.empty());
  const std::filesystem::path path = kDir / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO";
  ParsedListing feed = parse_rss(testing::read_file(path), path.string());
  ASSERT_TRUE(feed.listing_date.has_value());
  EXPECT_EQ(*feed.listing_date, Date{year{2026} / 6 / 18});
  ASSERT_EQ(feed.papers.size(), want.size());
  for (const Paper& p : feed.papers) {
    auto it = want.find(p.id.key());
    ASSERT_NE(it, want.end()) << p.id.str();
    const auto& r = it->second;
    EXPECT_EQ(p.id.version(), r.at("version").get<int>()) << p.id.str();
    EXPECT_EQ(p.title, normalize_whitespace(r.at("title").get<std::string>())) << p.id.str();
    EXPECT_EQ(p.abstract, normalize_whitespace(r.at("abstract").get<std::string>())) << p.id.str();
    EXPECT_EQ(p.authors, r.at("authors").get<std::vector<std::string>>()) << p.id.str();
    EXPECT_EQ(p.categories, r.at("categories").get<std::vector<std::string>>()) << p.id.str();
    EXPECT_EQ(to_string(p.announce_type), r.at("announce").get<std::string>()) << p.id.str();
  }
}

TEST(SampleDay, ListingPagesAreCompleteAndAgreeWithTheFeed) {
  const std::filesystem::path rss_path = kDir / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO";
  ParsedListing feed = parse_rss(testing::read_file(rss_path), rss_path.string());
  std::map<std::string, const Paper*> by_key;
  for (const Paper& p : feed.papers) by_key[p.id.key()] = &p;

  std::set<std::string> seen;
  for (const char* cat : kCategories) {
    const std::filesystem::path path = kDir / "list" / cat / "new";
    ParsedListing page = parse_listing_page(testing::read_file(path), path.string());
    SCOPED_TRACE(cat);
    ASSERT_TRUE(page.listing_date.has_value());
    EXPECT_EQ(*page.listing_date, Date{year{2026} / 6 / 18});
    ASSERT_TRUE(page.declared_total.has_value());
    EXPECT_EQ(*page.declared_total, page.papers.size());
    for (const Paper& p : page.papers) {
      seen.insert(p.id.key());
      auto it = by_key.find(p.id.key());
      ASSERT_NE(it, by_key.end()) << p.id.str();
      const Paper& r = *it->second;
      EXPECT_EQ(p.title, r.title) << p.id.str();
      EXPECT_EQ(p.authors, r.authors) << p.id.str();
      EXPECT_EQ(p.categories, r.categories) << p.id.str();
      // On a single-category page a paper is new there iff that category is its primary.
      EXPECT_EQ(p.announce_type,
                p.primary_category == cat ? AnnounceType::kNew : AnnounceType::kCross)
          << p.id.str();
    }
  }
  // Every paper of the feed is listed on at least one of the five pages.
  EXPECT_EQ(seen.size(), feed.papers.size());
}

}  // namespace
}  // namespace arxiv_digest
