// The archive's full-text indexes (schema version 4): kept in step with every path that writes
// papers or translations, migrated from version 3, consistent by FTS5's own integrity check, and
// scans bounded by a deadline.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/hash.hpp"
#include "store/schema_downgrade.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using arxiv_digest::testing::TempDir;

const std::chrono::sys_seconds kAt{std::chrono::seconds{1781783578}};

Paper paper(const std::string& id, const std::string& title, const std::string& abstract) {
  Paper p;
  p.id = ArxivId::parse(id);
  p.title = title;
  p.abstract = abstract;
  p.authors = {"C. Bal\\'azs", "P. M. Nadolsky"};
  p.primary_category = "hep-ph";
  p.categories = {"hep-ph", "hep-ex"};
  return p;
}

FullTextQuery word(std::string w,
                   FullTextQuery::Field field = FullTextQuery::Field::kTitleAbstract) {
  FullTextQuery q;
  q.field = field;
  q.forms = {std::move(w)};
  return q;
}

std::vector<std::string> keys(Archive& archive, const PaperScan& scan) {
  std::vector<std::string> out;
  auto cursor = archive.scan_papers(scan);
  while (auto p = cursor->next()) out.push_back(p->id.str());
  return out;
}

std::vector<std::string> text_keys(Archive& archive, FullTextQuery q) {
  PaperScan scan;
  scan.text = std::move(q);
  return keys(archive, scan);
}

void expect_consistent(const std::filesystem::path& path) {
  sqlite::Database db(path.string());
  db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')", "papers_fts check");
  db.exec("INSERT INTO translations_fts (translations_fts) VALUES ('integrity-check')",
          "translations_fts check");
  sqlite::Statement check(db, "PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.column_text(0), "ok");
}

using V = std::vector<std::string>;

std::string fmt_id(int i) {
  std::string n = std::to_string(i);
  return "2606." + std::string(5 - n.size(), '0') + n + "v1";
}

TEST(SearchIndex, FollowsEveryPaperWrite) {
  TempDir dir;
  SqliteArchive archive(dir / "a.sqlite");
  Announcement a;
  a.listing_date = Date{std::chrono::year{2026}, std::chrono::June, std::chrono::day{18}};
  a.categories = {"hep-ph"};
  a.fetched_at = kAt;
  a.papers = {paper("2606.00001v1", "Diphoton production", "Quarks and gluons"),
              paper("2606.00002v1", "Dark matter", "Halo")};
  archive.save_announcement(a);
  archive.save_papers({paper("2606.00003v2", "Schr\\\"odinger bridges", "Re{in}forcement")}, kAt);

  EXPECT_EQ(text_keys(archive, word("diphoton")), V{"2606.00001v1"});
  EXPECT_EQ(text_keys(archive, word("quarks")), V{"2606.00001v1"});
  // TeX is indexed as the matcher reads it.
  EXPECT_EQ(text_keys(archive, word("schrodinger")), V{"2606.00003v2"});
  EXPECT_EQ(text_keys(archive, word("reinforcement")), V{"2606.00003v2"});
  EXPECT_EQ(text_keys(archive, word("balazs", FullTextQuery::Field::kAuthors)),
            (V{"2606.00003v2", "2606.00002v1", "2606.00001v1"}));
  EXPECT_TRUE(text_keys(archive, word("halo", FullTextQuery::Field::kTitle)).empty());

  // A changed version replaces its index entry: the old words are gone.
  archive.save_papers({paper("2606.00002v1", "Axion dark matter", "Cavity")}, kAt);
  EXPECT_TRUE(text_keys(archive, word("halo")).empty());
  EXPECT_EQ(text_keys(archive, word("axion")), V{"2606.00002v1"});
  // A newer version is what a scan returns (the latest), found by its own words only.
  archive.save_papers({paper("2606.00001v2", "Diphoton production at the LHC", "Photons")}, kAt);
  EXPECT_EQ(text_keys(archive, word("lhc")), V{"2606.00001v2"});
  EXPECT_TRUE(text_keys(archive, word("gluons")).empty());  // only v1 had it
  // Saving the same papers again changes nothing.
  archive.save_announcement(a);
  EXPECT_EQ(archive.paper_count(), 3u);
  EXPECT_EQ(keys(archive, PaperScan{}), (V{"2606.00003v2", "2606.00002v1", "2606.00001v2"}));
  archive.close();
  expect_consistent(dir / "a.sqlite");
}

TEST(SearchIndex, FollowsTheTranslationCache) {
  TempDir dir;
  SqliteArchive archive(dir / "a.sqlite");
  const Paper p = paper("2606.00001v1", "Dark matter halos", "We study halos.");
  archive.save_papers({p}, kAt);
  TranslationKey key{sha256_hex(p.title), "title", "zh-CN", "openai", "gpt", "1"};
  archive.translations().store(key, "暗物质晕", {});
  PaperScan scan;
  scan.translation_substrings = {"暗物质"};
  EXPECT_EQ(keys(archive, scan), V{"2606.00001v1"});
  scan.translation_substrings = {"晕"};  // shorter than a trigram: scanned
  EXPECT_EQ(keys(archive, scan), V{"2606.00001v1"});
  scan.translation_language = "zh-TW";
  EXPECT_TRUE(keys(archive, scan).empty());
  // A new text for the same key replaces the old one in the index.
  archive.translations().store(key, "暗物質暈", {});
  scan.translation_language = "";
  scan.translation_substrings = {"暗物质"};
  EXPECT_TRUE(keys(archive, scan).empty());
  EXPECT_EQ(archive.find_translation(p, "title", "zh-CN"), "暗物質暈");
  EXPECT_FALSE(archive.find_translation(p, "abstract", "zh-CN"));
  archive.close();
  expect_consistent(dir / "a.sqlite");
}

TEST(SearchIndex, ASchemaThreeArchiveIsMigratedAndIndexed) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  const Paper p = paper("0704.0001v1", "Calculation of prompt diphoton production",
                        "Perturbative quantum chromodynamics");
  {
    SqliteArchive archive(path);
    archive.save_papers({p}, kAt);
    archive.translations().store({sha256_hex(p.title), "title", "zh-CN", "openai", "m", "1"},
                                 "瞬发双光子产生的计算", {});
  }
  {  // Back to what schema 3 wrote.
    sqlite::Database db(path.string());
    db.exec(testing::kBackToSchemaFive, "downgrade from schema 6");
    db.exec(
        "DROP TABLE harvests; "
        "DROP TRIGGER translations_fts_insert; DROP TRIGGER translations_fts_delete; "
        "DROP TRIGGER translations_fts_update; DROP TABLE translations_fts; DROP TABLE "
        "papers_fts; DROP INDEX papers_by_title_sha256; DROP INDEX papers_by_abstract_sha256; "
        "ALTER TABLE papers DROP COLUMN title_sha256; ALTER TABLE papers DROP COLUMN "
        "abstract_sha256; PRAGMA user_version = 3;",
        "downgrade");
  }
  {
    SqliteArchive archive(path);
    EXPECT_EQ(text_keys(archive, word("chromodynamics")), V{"0704.0001v1"});
    PaperScan scan;
    scan.translation_substrings = {"双光子"};
    EXPECT_EQ(keys(archive, scan), V{"0704.0001v1"});
  }
  sqlite::Database db(path.string());
  sqlite::Statement version(db, "PRAGMA user_version");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.column_int64(0), SqliteArchive::kSchemaVersion);
  expect_consistent(path);
}

TEST(SearchIndex, AScanStopsAtItsDeadline) {
  SqliteArchive archive(":memory:");
  std::vector<Paper> papers;
  for (int i = 1; i <= 2000; ++i) papers.push_back(paper(fmt_id(i), "Dark matter", "Halo"));
  archive.save_papers(papers, kAt);
  PaperScan scan;
  scan.text = word("matter");
  auto open = archive.scan_papers(scan);
  std::size_t n = 0;
  while (open->next()) ++n;
  EXPECT_EQ(n, 2000u);
  EXPECT_FALSE(open->interrupted());
  open.reset();                                      // one deadline per connection at a time
  scan.deadline = std::chrono::steady_clock::now();  // already passed
  auto late = archive.scan_papers(scan);
  EXPECT_FALSE(late->next());
  EXPECT_TRUE(late->interrupted());
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(SearchIndex, StreamsNewestFirstByIdAcrossMonthsStylesAndArchives) {
  SqliteArchive archive(":memory:");
  // Saved out of order, in separate batches; numbers of different widths and old-style ids of
  // several archives in the same month.
  archive.save_papers(
      {paper("0704.0001v1", "Dark matter", "a"), paper("2606.00010v1", "Dark matter", "b")}, kAt);
  archive.save_papers(
      {paper("hep-th/9901001v1", "Dark matter", "c"),
       paper("astro-ph/9901002v1", "Dark matter", "d"),
       paper("math.GT/0309136v1", "Dark matter", "e"), paper("2606.00009v2", "Dark matter", "f"),
       paper("1412.9999v1", "Dark matter", "g"), paper("1501.00001v1", "Dark matter", "h")},
      kAt);
  const V newest_first = {"2606.00010v1",       "2606.00009v2",    "1501.00001v1",
                          "1412.9999v1",        "0704.0001v1",     "math.GT/0309136v1",
                          "astro-ph/9901002v1", "hep-th/9901001v1"};
  EXPECT_EQ(text_keys(archive, word("matter")), newest_first);
  EXPECT_EQ(keys(archive, PaperScan{}), newest_first);
  // Bounded by the id's month: nothing after January 2015.
  PaperScan upto;
  upto.id_month_at_most = Date{std::chrono::year{2015}, std::chrono::January, std::chrono::day{31}};
  upto.text = word("matter");
  EXPECT_EQ(keys(archive, upto), V(newest_first.begin() + 2, newest_first.end()));
  upto.text.reset();
  EXPECT_EQ(keys(archive, upto), V(newest_first.begin() + 2, newest_first.end()));
}

TEST(SearchIndex, AnOlderVersionSavedLaterLeavesTheLatestIndexed) {
  SqliteArchive archive(":memory:");
  archive.save_papers({paper("2606.00001v3", "Axion dark matter", "Cavity")}, kAt);
  archive.save_papers({paper("2606.00001v1", "Diphoton production", "Gluons")}, kAt);
  EXPECT_EQ(text_keys(archive, word("axion")), V{"2606.00001v3"});
  EXPECT_TRUE(text_keys(archive, word("gluons")).empty());
  EXPECT_EQ(keys(archive, PaperScan{}), V{"2606.00001v3"});
}

TEST(SearchIndex, StopWordsAreNotIndexedSoTheirQueriesMatchAnyPaper) {
  SqliteArchive archive(":memory:");
  archive.save_papers(
      {paper("2606.00001v1", "The dark matter", "Halo"), paper("2606.00002v1", "Axions", "Cavity")},
      kAt);
  // "the" cannot narrow the scan: every paper is a candidate (the matcher decides).
  EXPECT_EQ(text_keys(archive, word("the")), (V{"2606.00002v1", "2606.00001v1"}));
  FullTextQuery prefix = word("th");
  prefix.prefix = true;
  EXPECT_EQ(text_keys(archive, prefix), (V{"2606.00002v1", "2606.00001v1"}));
  // AND with a stop word: the other words decide; OR with one: anything.
  FullTextQuery both;
  both.kind = FullTextQuery::Kind::kAnd;
  both.children = {word("the"), word("halo")};
  EXPECT_EQ(text_keys(archive, both), V{"2606.00001v1"});
  both.kind = FullTextQuery::Kind::kOr;
  EXPECT_EQ(text_keys(archive, both), (V{"2606.00002v1", "2606.00001v1"}));
}

TEST(SearchIndex, ALargeBatchIsIndexedLikeASmallOne) {
  // 600 papers: above the size whose index rows are computed on a helper thread.
  TempDir dir;
  SqliteArchive archive(dir / "a.sqlite");
  std::vector<Paper> papers;
  for (int i = 1; i <= 600; ++i) {
    papers.push_back(paper(fmt_id(i), i % 3 == 0 ? "Dark matter halos" : "Quark gluon plasma",
                           "Abstract " + std::to_string(i)));
  }
  archive.save_papers(papers, kAt);
  EXPECT_EQ(text_keys(archive, word("halos")).size(), 200u);
  EXPECT_EQ(text_keys(archive, word("plasma")).size(), 400u);
  EXPECT_EQ(text_keys(archive, word("599")), V{fmt_id(599)});
  archive.close();
  expect_consistent(dir / "a.sqlite");
}

}  // namespace
}  // namespace arxiv_digest
