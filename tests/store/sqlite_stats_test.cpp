// SqliteArchive's statistics for `doctor`: counts per table, recent listing dates, a day's
// announcements. Read-only: reading them changes nothing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "core/error.hpp"
#include "store/sqlite_archive.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::sys_days;

constexpr Date kWed{std::chrono::year{2026}, std::chrono::June, std::chrono::day{17}};
constexpr Date kThu{std::chrono::year{2026}, std::chrono::June, std::chrono::day{18}};
constexpr Date kMon{std::chrono::year{2026}, std::chrono::June, std::chrono::day{22}};

Paper paper(const std::string& id) {
  Paper p;
  p.id = ArxivId::parse(id);
  p.title = "A title " + id;
  p.authors = {"Ana Author"};
  p.primary_category = "cs.LG";
  p.categories = {"cs.LG"};
  p.abstract = "An abstract.";
  return p;
}

Announcement announcement(Date date, SourceKind source, std::vector<Paper> papers) {
  Announcement a;
  a.listing_date = date;
  a.categories = {"cs.LG", "cs.AI"};
  a.source = source;
  a.source_url = "https://rss.arxiv.org/rss/cs.AI+cs.LG";
  a.papers = std::move(papers);
  a.fetched_at = sys_days{date} + std::chrono::hours{2};
  return a;
}

TEST(SqliteStats, ABulkLoadsPendingIndexIsReported) {
  testing::TempDir dir;
  SqliteArchive archive(dir / "a.sqlite");
  EXPECT_FALSE(archive.stats().index_build.has_value());
  auto load = archive.begin_bulk_load(10);
  const auto during = archive.stats().index_build;
  ASSERT_TRUE(during.has_value());
  EXPECT_EQ(during->pid, static_cast<std::int64_t>(getpid()));
  EXPECT_TRUE(during->running);
  load->finish();
  EXPECT_FALSE(archive.stats().index_build.has_value());
}

TEST(SqliteStats, AnEmptyArchiveHasTheSchemaVersionAndNothingElse) {
  SqliteArchive archive(":memory:");
  const ArchiveStats s = archive.stats();
  EXPECT_EQ(s.schema_version, SqliteArchive::kSchemaVersion);
  EXPECT_EQ(s.papers + s.announcements + s.translations + s.digests + s.deliveries, 0);
  EXPECT_GT(s.size_bytes, 0u);  // the schema's pages
  EXPECT_TRUE(archive.recent_listing_dates(7).empty());
  EXPECT_TRUE(archive.announcements_on(kThu).empty());
}

TEST(SqliteStats, CountsEveryTableAndListsDaysNewestFirst) {
  testing::TempDir dir;
  SqliteArchive archive(dir / "a.sqlite");
  archive.save_announcement(announcement(kWed, SourceKind::kRss, {paper("2606.00001v1")}));
  Announcement listing =
      announcement(kThu, SourceKind::kListing, {paper("2606.00002v1"), paper("2606.00003v2")});
  listing.declared_count = 3;
  listing.complete = false;
  archive.save_announcement(listing);
  archive.save_announcement(announcement(kThu, SourceKind::kRss, {paper("2606.00002v1")}));
  archive.record_digest({kThu, "text", "/out/2026-06-18.txt", std::string(64, 'a'), 2,
                         sys_days{kThu} + std::chrono::hours{3}});
  DeliveryRecord d;
  d.listing_date = kMon;  // a day with a delivery only still counts as a day
  d.channel = "email:ana@example.org";
  d.digest_sha256 = std::string(64, 'a');
  d.at = sys_days{kMon};
  archive.record_delivery(d);
  archive.translations().store({std::string(64, 'b'), "title", "zh-CN", "openai", "m", "v1"},
                               "标题", {});

  const ArchiveStats s = archive.stats();
  EXPECT_EQ(s.papers, 3);
  EXPECT_EQ(s.announcements, 3);
  EXPECT_EQ(s.translations, 1);
  EXPECT_EQ(s.digests, 1);
  EXPECT_EQ(s.deliveries, 1);
  EXPECT_GT(s.size_bytes, 0u);

  EXPECT_EQ(archive.recent_listing_dates(7), (std::vector<Date>{kMon, kThu, kWed}));
  EXPECT_EQ(archive.recent_listing_dates(2), (std::vector<Date>{kMon, kThu}));

  const auto thursday = archive.announcements_on(kThu);
  ASSERT_EQ(thursday.size(), 2u);
  for (const AnnouncementSummary& a : thursday) {
    EXPECT_EQ(a.listing_date, kThu);
    EXPECT_EQ(a.categories, "cs.AI+cs.LG");
    if (a.source == SourceKind::kListing) {
      EXPECT_EQ(a.received, 2u);
      EXPECT_EQ(a.declared, std::optional<std::size_t>(3));
      EXPECT_FALSE(a.complete);
    } else {
      EXPECT_EQ(a.source, SourceKind::kRss);
      EXPECT_EQ(a.received, 1u);
      EXPECT_FALSE(a.declared);
      EXPECT_TRUE(a.complete);
    }
  }
  // Reading changed nothing.
  EXPECT_EQ(archive.stats().announcements, 3);
}

TEST(SqliteStats, AClosedArchiveSaysSo) {
  SqliteArchive archive(":memory:");
  archive.close();
  EXPECT_THROW((void)archive.stats(), StoreError);
  EXPECT_THROW((void)archive.recent_listing_dates(1), StoreError);
  EXPECT_THROW((void)archive.announcements_on(kThu), StoreError);
}

}  // namespace
}  // namespace arxiv_digest
