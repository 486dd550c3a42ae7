// The archive's browsing queries (the web UI's): dates newest first, every version of a paper,
// and every announcement that listed it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "store/sqlite_archive.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

Paper paper(const std::string& id, const std::string& title) {
  Paper p;
  p.id = ArxivId::parse(id);
  p.title = title;
  p.abstract = "An abstract.";
  p.authors = {"Ada Lovelace"};
  p.primary_category = "cs.LG";
  p.categories = {"cs.LG"};
  return p;
}

Announcement announcement(const std::string& date, std::vector<Paper> papers, AnnounceType type) {
  Announcement a;
  a.listing_date = *parse_date(date);
  a.categories = {"cs.LG", "cs.AI"};
  for (Paper& p : papers) p.announce_type = type;
  a.papers = std::move(papers);
  a.fetched_at = std::chrono::sys_days{a.listing_date};
  return a;
}

TEST(SqliteBrowseTest, DatesVersionsAndListings) {
  testing::TempDir dir;
  SqliteArchive archive(dir / "archive.sqlite");
  EXPECT_TRUE(archive.listing_dates(10).empty());
  archive.save_announcement(announcement("2026-06-18", {paper("2606.00001v1", "First")}, AnnounceType::kNew));
  archive.save_announcement(
      announcement("2026-06-22", {paper("2606.00001v2", "First, revised")}, AnnounceType::kReplace));
  archive.record_digest(DigestRecord{*parse_date("2026-06-19"), "json", "x.json", "0", 0, {}});

  std::vector<std::string> dates;
  for (const Date& date : archive.listing_dates(10)) dates.push_back(format_date(date));
  EXPECT_EQ(dates, (std::vector<std::string>{"2026-06-22", "2026-06-19", "2026-06-18"}));
  EXPECT_EQ(archive.listing_dates(1).size(), 1u);

  const std::vector<Paper> versions = archive.paper_versions("2606.00001");
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].id.str(), "2606.00001v1");
  EXPECT_EQ(versions[0].title, "First");
  EXPECT_EQ(versions[1].title, "First, revised");
  EXPECT_EQ(versions[1].authors, std::vector<std::string>{"Ada Lovelace"});
  EXPECT_TRUE(archive.paper_versions("2606.99999").empty());

  const auto listings = archive.paper_listings("2606.00001");
  ASSERT_EQ(listings.size(), 2u);
  EXPECT_EQ(format_date(listings[0].listing_date), "2026-06-22");
  EXPECT_EQ(listings[0].version, 2);
  EXPECT_EQ(listings[0].announce_type, AnnounceType::kReplace);
  EXPECT_EQ(listings[0].categories, "cs.AI+cs.LG");
  EXPECT_EQ(listings[1].announce_type, AnnounceType::kNew);
}

}  // namespace
}  // namespace arxiv_digest
