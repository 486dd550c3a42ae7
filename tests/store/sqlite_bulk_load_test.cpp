// SqliteArchive::begin_bulk_load() (schema 7): the search index built in a scratch database
// alongside the papers holds exactly the entries the index save_papers() keeps holds (compared
// entry by entry through fts5vocab) and answers alike; while the build is pending, other paper
// writes are refused and scans read every paper; a failed batch changes nothing; a load that
// stopped early, or was taken over, is finished by the next one; a load smaller than the
// archive saves batch by batch.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
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
const V kMethods = {"simulation",   "measurement", "bound",           "learning",
                    "spectroscopy", "inference",   "renormalization", "sampling"};

Paper paper(int serial, int version, const std::string& title, const std::string& abstract) {
  Paper p;
  const std::string n = std::to_string(serial);
  p.id =
      ArxivId::parse("2606." + std::string(5 - n.size(), '0') + n + "v" + std::to_string(version));
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
    out.back().push_back(paper(i, 1, "The " + kSubjects[s % 10] + " " + kMethods[s % 8],
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

// Every (term, paper, column) papers_fts holds: FTS5's integrity check cannot see a missing or
// extra entry of a contentless table, this can.
std::vector<std::string> index_entries(const std::filesystem::path& path) {
  sqlite::Database db(path.string());
  db.exec("CREATE VIRTUAL TABLE temp.entries USING fts5vocab(main, papers_fts, 'instance')",
          "opening the index's vocabulary");
  sqlite::Statement select(db, "SELECT term, doc, col FROM temp.entries ORDER BY term, doc, col");
  std::vector<std::string> out;
  while (select.step()) {
    out.push_back(select.column_text(0) + ' ' + std::to_string(select.column_int64(1)) + ' ' +
                  select.column_text(2));
  }
  return out;
}

void expect_same_index(const std::filesystem::path& bulk, const std::filesystem::path& reference) {
  const std::vector<std::string> expected = index_entries(reference);
  EXPECT_GT(expected.size(), 0U);
  EXPECT_EQ(index_entries(bulk), expected);
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

// Runs `write`, which must throw StoreError of `kind` with `words` in its message.
template <typename Write>
void expect_refused(Write&& write, StoreErrorKind kind, const std::string& words) {
  try {
    std::forward<Write>(write)();
    ADD_FAILURE() << "accepted; expected a refusal saying: " << words;
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
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
  // 100 papers saved (and searched) the ordinary way first: the load's index starts with them,
  // and this connection's FTS5 has read the index the load replaces.
  const auto before = batches(2'001, 100, 100);
  archive.save_papers(before[0], kAt);
  reference.save_papers(before[0], kAt);
  EXPECT_EQ(search(archive, "quark", FullTextQuery::Field::kTitle).size(), 10U);
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
    expect_refused([&] { other.save_papers({paper(9999, 1, "Late", "Late.")}, kAt); },
                   StoreErrorKind::kUnavailable, "is building the search index");
    EXPECT_EQ(search(other, "nowhere", FullTextQuery::Field::kTitle).size(), 1'600U);
  }

  load->finish();
  EXPECT_EQ(scalar(path, "SELECT count(*) FROM index_builds"), 0);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-index-build"));
  expect_same_answers(archive, reference);
  expect_same_index(path, dir / "reference.sqlite");
  EXPECT_EQ(search(archive, "nowhere", FullTextQuery::Field::kTitle), V{});
  EXPECT_EQ(search(archive, "unrelated", FullTextQuery::Field::kTitle), V{"2606.00007v2"});
  // The archive takes ordinary writes again on the same connection, and keeps its new index in
  // step with them.
  for (const Paper& late : {paper(9999, 1, "A late neutron", "Late."),
                            paper(2'001, 2, "A changed plasma", "Changed.")}) {
    archive.save_papers({late}, kAt);
    reference.save_papers({late}, kAt);
  }
  EXPECT_EQ(search(archive, "late", FullTextQuery::Field::kTitle), V{"2606.09999v1"});
  expect_same_index(path, dir / "reference.sqlite");
  expect_consistent(path);
  // Finished is finished.
  expect_refused([&] { load->save_papers({paper(9998, 1, "After", "After.")}, kAt); },
                 StoreErrorKind::kInternal, "the bulk load is finished");
}

TEST(SqliteBulkLoad, ABatchThatFailsChangesNeitherThePapersNorTheIndex) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  SqliteArchive reference(dir / "reference.sqlite");
  SqliteArchive archive(path);
  const auto all = batches(1, 300, 100);
  auto load = archive.begin_bulk_load(300);
  load->save_papers(all[0], kAt);
  // A good paper, then one the archive refuses (an author list that is not UTF-8).
  Paper bad = paper(9000, 1, "Refused quark", "Refused.");
  bad.authors = {std::string("Bad ") + static_cast<char>(0xff)};
  EXPECT_THROW(load->save_papers({paper(8000, 1, "Rolled back gluon", "Gone."), bad}, kAt),
               StoreError);
  load->save_papers(all[1], kAt);
  load->save_papers(all[2], kAt);
  load->finish();
  for (const auto& batch : all) reference.save_papers(batch, kAt);
  EXPECT_EQ(search(archive, "rolled", FullTextQuery::Field::kTitle), V{});
  expect_same_index(path, dir / "reference.sqlite");
  expect_consistent(path);
}

TEST(SqliteBulkLoad, ALoadTakenOverStopsAndTheNewOneIndexesEverything) {
  TempDir dir;
  const auto path = dir / "a.sqlite";
  SqliteArchive reference(dir / "reference.sqlite");
  SqliteArchive archive(path);
  SqliteArchive second(path);
  const auto all = batches(1, 300, 100);
  auto first_load = archive.begin_bulk_load(300);
  first_load->save_papers(all[0], kAt);
  // A load of the same PID (as a killed import's PID comes back, e.g. PID 1 in a container)
  // takes over; the first one's writes are refused from then on.
  auto second_load = second.begin_bulk_load(300);
  expect_refused([&] { first_load->save_papers(all[1], kAt); }, StoreErrorKind::kUnavailable,
                 "took over");
  EXPECT_THROW(first_load->finish(), StoreError);
  second_load->save_papers(all[1], kAt);
  second_load->save_papers(all[2], kAt);
  second_load->finish();
  for (const auto& batch : all) reference.save_papers(batch, kAt);
  expect_same_index(path, dir / "reference.sqlite");
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
  expect_refused([&] { archive.save_papers({paper(9999, 1, "Late", "Late.")}, kAt); },
                 StoreErrorKind::kUnavailable, "run `arxiv-digest import` again");
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
  expect_same_index(path, dir / "reference.sqlite");
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
    // Our parent (the shell, ctest) is alive and not us.
    sqlite::Statement live(db,
                           "INSERT INTO index_builds (id, pid, token, started_at) "
                           "VALUES (1, ?1, 7, 1781783578)");
    live.bind_all(static_cast<std::int64_t>(getppid()));
    live.run();
  }
  expect_refused([&] { archive.begin_bulk_load(1'000); }, StoreErrorKind::kUnavailable,
                 "an import (process " + std::to_string(getppid()) +
                     ", since 2026-06-18 11:52:58 UTC) is building");
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
