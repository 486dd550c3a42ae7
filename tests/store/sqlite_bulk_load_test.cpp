// SqliteArchive::begin_bulk_load() (schema 7): the search index built in a scratch database
// alongside the papers answers every query as the index save_papers() keeps does; while the build
// is pending, other paper writes are refused and scans read every paper; a load that stopped
// early is finished by the next one; a load smaller than the archive saves batch by batch.
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using arxiv_digest::testing::TempDir;
using V = std::vector<std::string>;

const std::chrono::sys_seconds kAt{std::chrono::seconds{1781783578}};

// Subjects and methods the titles and abstracts are made of: each paper gets a different mix,
// so the word queries below have different answers.
const V kSubjects = {"quark",   "gluon",  "galaxy",   "protein", "lattice",
                     "neutron", "plasma", "manifold", "graph",   "policy"};
const V kMethods = {"simulation", "measurement", "bound",  "learning", "spectroscopy",
                    "inference",  "renormalization", "sampling"};

Paper paper(int serial, int version, const std::string& title, const std::string& abstract) {
  Paper p;
  const std::string n = std::to_string(serial);
  p.id = ArxivId::parse("2606." + std::string(5 - n.size(), '0') + n + "v" +
                        std::to_string(version));
  p.title = title;
  p.abstract = abstract;
  p.authors = {"C. Bal\\'azs", "Author " + kSubjects[static_cast<std::size_t>(serial) % 10]};
  p.primary_category = serial % 3 == 0 ? "hep-ph" : "cs.LG";
  p.categories = {p.primary_category};
  return p;
}

// `count` papers from serial `first` on, in batches of `batch`.
std::vector<std::vector<Paper>> batches(int first, int count, int batch) {
  std::vector<std::vector<Paper>> out;
  for (int i = first; i < first + count; ++i) {
    if ((i - first) % batch == 0) out.emplace_back();
    const auto s = static_cast<std::size_t>(i);
    out.back().push_back(paper(i, 1,
                               "The " + kSubjects[s % 10] + " " + kMethods[s % 8],
                               "We study the " + kSubjects[(s / 10) % 10] + " with " +
                                   kMethods[(s / 8) % 8] + " of order " + std::to_string(i % 7)));
  }
  return out;
}

std::vector<std::string> search(Archive& archive, const std::string& w,
                                FullTextQuery::Field field) {
  PaperScan scan;
  FullTextQuery q;
  q.field = field;
  q.forms = {w};
  scan.text = q;
  std::vector<std::string> out;
  auto cursor = archive.scan_papers(scan);
  while (auto p = cursor->next()) out.push_back(p->id.str());
  return out;
}

std::int64_t scalar(const std::filesystem::path& path, const char* sql) {
  sqlite::Database db(path.string());
  sqlite::Statement statement(db, sql);
  return statement.step() ? statement.column_int64(0) : -1;
}

void expect_consistent(const std::filesystem::path& path) {
  sqlite::Database db(path.string());
  db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')", "papers_fts check");
  sqlite::Statement check(db, "PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.column_text(0), "ok");
}

// Every subject and method word, in titles and in abstracts, finds the same papers in order.
void expect_same_answers(Archive& bulk, Archive& reference) {
  std::size_t found = 0;
  for (const V* words : {&kSubjects, &kMethods}) {
    for (const std::string& w : *words) {
      for (const auto field : {FullTextQuery::Field::kTitle, FullTextQuery::Field::kAbstract,
                               FullTextQuery::Field::kAuthors}) {
        const V expected = search(reference, w, field);
        EXPECT_EQ(search(bulk, w, field), expected) << w;
        found += expected.size();
      }
    }
  }
  EXPECT_GT(found, 0U);
}

// The PID of a process that has exited and been reaped: no process has it (for a while).
long dead_pid() {
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  waitpid(child, &status, 0);
  return child;
}

TEST(SqliteBulkLoad, BuildsTheIndexAlongsideAndAnswersLikeSaveByBatch) {
  TempDir dir;
  const auto path = dir / "bulk.sqlite";
  SqliteArchive reference(dir / "reference.sqlite");
  SqliteArchive archive(path);
  // 1,500 papers in batches of 600 (the threaded row computation), then a new version of
  // paper 7 (new title), then its v1 again with another title (older: the index ignores it).
  auto load = archive.begin_bulk_load(1'500);
  for (const auto& batch : batches(1, 1'500, 600)) {
    load->save_papers(batch, kAt);
    reference.save_papers(batch, kAt);
  }
  for (const Paper& update : {paper(7, 2, "Unrelated gluon sampling", "Replaced."),
                              paper(7, 1, "An older graph", "Old.")}) {
    load->save_papers({update}, kAt);
    reference.save_papers({update}, kAt);
  }

  // Pending: the row is there, the scratch file too, other writers are refused, and a scan
  // reads every paper (the prefilter is off, so a word no paper has still yields candidates).
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM index_builds"), 1);
  EXPECT_TRUE(std::filesystem::exists(path.string() + "-index-build"));
  {
    SqliteArchive other(path);
    try {
      other.save_papers({paper(9999, 1, "Late", "Late.")}, kAt);
      ADD_FAILURE() << "a paper write during the build was accepted";
    } catch (const StoreError& e) {
      EXPECT_EQ(e.kind(), StoreErrorKind::kUnavailable);
      EXPECT_NE(std::string(e.what()).find("is building the search index"), std::string::npos)
          << e.what();
    }
    EXPECT_EQ(search(other, "nowhere", FullTextQuery::Field::kTitle).size(), 1'500U);
  }

  load->finish();
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM index_builds"), 0);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-index-build"));
  expect_same_answers(archive, reference);
  EXPECT_EQ(search(archive, "nowhere", FullTextQuery::Field::kTitle), V{});
  EXPECT_EQ(search(archive, "unrelated", FullTextQuery::Field::kTitle), V{"2606.00007v2"});
  // The archive takes ordinary writes again, and keeps its index in step with them.
  archive.save_papers({paper(9999, 1, "A late neutron", "Late.")}, kAt);
  EXPECT_EQ(search(archive, "late", FullTextQuery::Field::kTitle), V{"2606.09999v1"});
  expect_consistent(path);
}

TEST(SqliteBulkLoad, ALoadThatStoppedEarlyIsFinishedByTheNextOne) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  SqliteArchive reference(dir / "reference.sqlite");
  const auto all = batches(1, 900, 300);
  {
    SqliteArchive archive(path);
    auto load = archive.begin_bulk_load(900);
    load->save_papers(all[0], kAt);
    load->save_papers(all[1], kAt);
    // Destroyed without finish(), as by an error; a killed process is dead too:
  }
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-index-build"));
  {
    sqlite::Database db(path.string());
    sqlite::Statement dead(db, "UPDATE index_builds SET pid = ?1");
    dead.bind_all(static_cast<std::int64_t>(dead_pid()));
    dead.run();
  }
  SqliteArchive archive(path);
  try {
    archive.save_papers({paper(9999, 1, "Late", "Late.")}, kAt);
    ADD_FAILURE() << "a paper write with an unfinished index was accepted";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find("run `arxiv-digest import` again"), std::string::npos)
        << e.what();
  }
  // The next load expects nothing (stdin, say) and still finishes the index: the 600 papers
  // stored, then the rest, including a changed paper the first load had indexed.
  auto load = archive.begin_bulk_load(0);
  load->save_papers(all[1], kAt);  // the same papers again: no change
  load->save_papers(all[2], kAt);
  load->save_papers({paper(5, 2, "A quark renormalization revisited", "New.")}, kAt);
  load->finish();
  for (const auto& batch : all) reference.save_papers(batch, kAt);
  reference.save_papers({paper(5, 2, "A quark renormalization revisited", "New.")}, kAt);
  expect_same_answers(archive, reference);
  EXPECT_EQ(search(archive, "revisited", FullTextQuery::Field::kTitle), V{"2606.00005v2"});
  expect_consistent(path);
}

TEST(SqliteBulkLoad, AnArchiveLargerThanTheLoadIsSavedBatchByBatch) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  SqliteArchive archive(path);
  const auto all = batches(1, 200, 100);
  archive.save_papers(all[0], kAt);
  auto load = archive.begin_bulk_load(50);  // fewer than the 100 stored
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM index_builds"), 0);
  load->save_papers(all[1], kAt);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-index-build"));
  // Searchable at once, without finish().
  EXPECT_EQ(search(archive, "quark", FullTextQuery::Field::kTitle).size(), 20U);
  load->finish();
  expect_consistent(path);
}

TEST(SqliteBulkLoad, AnotherLiveProcesssLoadIsRefused) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  SqliteArchive archive(path);
  archive.save_papers(batches(1, 10, 10)[0], kAt);
  {
    sqlite::Database db(path.string());
    db.exec("INSERT INTO index_builds (id, pid, started_at) VALUES (1, 1, 1781783578)",
            "a build by PID 1");
  }
  try {
    archive.begin_bulk_load(1'000);
    ADD_FAILURE() << "a second load began";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kUnavailable);
    EXPECT_NE(std::string(e.what()).find("an import (process 1, since 2026-06-18 11:52:58 UTC)"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-index-build"));
}

TEST(SqliteBulkLoad, AnInMemoryArchiveSavesBatchByBatch) {
  SqliteArchive archive(":memory:");
  auto load = archive.begin_bulk_load(1'000);
  load->save_papers(batches(1, 10, 10)[0], kAt);
  EXPECT_EQ(search(archive, "quark", FullTextQuery::Field::kTitle).size(), 1U);
  load->finish();
}

}  // namespace
}  // namespace arxiv_digest
