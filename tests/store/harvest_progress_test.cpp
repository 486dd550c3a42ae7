// OAI-PMH harvest progress in SqliteArchive (save_harvest_page / find_harvest): one transaction
// with the page's papers, idempotent, one row per window, and the 3 -> 4 migration.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "core/error.hpp"
#include "store/sqlite.hpp"
#include "store/schema_downgrade.hpp"
#include "store/sqlite_archive.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using arxiv_digest::testing::TempDir;

constexpr Date kFrom{std::chrono::year{2024}, std::chrono::January, std::chrono::day{25}};
const std::chrono::sys_seconds kAt{std::chrono::seconds{1'800'000'000}};

HarvestWindow cs_window() {
  HarvestWindow window;
  window.from = kFrom;
  window.set = "cs";
  return window;
}

// Real records (tests/data/match/papers.jsonl), the first `n`.
std::vector<Paper> papers(std::size_t n) {
  auto all = testing::load_papers_jsonl(testing::data_path("match/papers.jsonl"), true);
  all.resize(std::min(n, all.size()));
  return all;
}

HarvestProgress after_page(std::size_t pages, std::size_t records, std::string token) {
  HarvestProgress p;
  p.window = cs_window();
  p.resumption_token = std::move(token);
  p.complete = p.resumption_token.empty();
  p.pages = pages;
  p.records = records;
  p.complete_list_size = 58011;
  p.started_at = kAt;
  p.updated_at = kAt + std::chrono::seconds{3 * pages};
  return p;
}

std::int64_t count(const std::filesystem::path& path, const char* sql) {
  sqlite::Database db(path.string());
  sqlite::Statement select(db, sql);
  EXPECT_TRUE(select.step());
  return select.column_int64(0);
}

TEST(HarvestProgress, PageAndProgressAreStoredTogetherAndReadBack) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  SqliteArchive archive(path);
  EXPECT_FALSE(archive.find_harvest(cs_window()));

  const auto page = papers(5);
  ASSERT_EQ(page.size(), 5u);
  archive.save_harvest_page(page, after_page(1, 5, "726959|1001"));
  const auto stored = archive.find_harvest(cs_window());
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->window, cs_window());
  EXPECT_EQ(stored->resumption_token, "726959|1001");
  EXPECT_FALSE(stored->complete);
  EXPECT_EQ(stored->pages, 1u);
  EXPECT_EQ(stored->records, 5u);
  EXPECT_EQ(stored->complete_list_size, 58011u);
  EXPECT_EQ(stored->started_at, kAt);
  EXPECT_EQ(stored->updated_at, kAt + std::chrono::seconds{3});
  EXPECT_TRUE(archive.find_paper(page[0].id.key()));

  // Another window (an until date, another set or format) is another row.
  HarvestWindow other = cs_window();
  other.until = Date{std::chrono::year{2024}, std::chrono::January, std::chrono::day{31}};
  EXPECT_FALSE(archive.find_harvest(other));
  other = cs_window();
  other.format = "arXivRaw";
  EXPECT_FALSE(archive.find_harvest(other));

  // The same page again (a restarted window) upserts: no duplicate rows.
  archive.save_harvest_page(page, after_page(1, 5, "726959|1001"));
  archive.save_harvest_page(papers(8), after_page(2, 8, ""));
  EXPECT_EQ(count(path, "SELECT count(*) FROM papers"), 8);
  EXPECT_EQ(count(path, "SELECT count(*) FROM harvests"), 1);
  EXPECT_TRUE(archive.find_harvest(cs_window())->complete);
}

TEST(HarvestProgress, AFailedPageSavesNeitherPapersNorProgress) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  SqliteArchive archive(path);
  archive.save_harvest_page(papers(2), after_page(1, 2, "tok-1"));

  auto page = papers(4);
  page[3].authors.push_back("bad \xff byte");  // not UTF-8: the archive refuses the paper
  EXPECT_THROW(archive.save_harvest_page(page, after_page(2, 4, "tok-2")), StoreError);
  EXPECT_EQ(count(path, "SELECT count(*) FROM papers"), 2);
  EXPECT_EQ(archive.find_harvest(cs_window())->resumption_token, "tok-1");
}

TEST(HarvestProgress, ASchemaFourArchiveIsMigratedAndKeepsItsPapers) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  const auto page = papers(3);
  {
    SqliteArchive archive(path);
    archive.save_papers(page, kAt);
  }
  {  // Back to what schema 4 wrote.
    sqlite::Database db(path.string());
    db.exec(testing::kBackToSchemaFive, "downgrade from schema 6");
    db.exec("DROP TABLE harvests; PRAGMA user_version = 4;", "downgrade");
  }
  SqliteArchive archive(path);
  EXPECT_TRUE(archive.find_paper(page[2].id.key()));
  archive.save_harvest_page({}, after_page(1, 0, ""));
  EXPECT_TRUE(archive.find_harvest(cs_window()));
  EXPECT_EQ(count(path, "PRAGMA user_version"), SqliteArchive::kSchemaVersion);
}

}  // namespace
}  // namespace arxiv_digest
