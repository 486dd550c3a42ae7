// `arxiv-digest import` end to end on the real binary: real snapshot records in, idempotent,
// malformed lines named and counted, and a SIGKILLed import that, run again, gives exactly the
// archive a clean import gives (rows, FTS5 and SQLite integrity).
#include "cli/import_command.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/app.hpp"
#include "core/hash.hpp"
#include "store/sqlite.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

extern char** environ;

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::data_path;
using testing::ProcessResult;
using testing::run_process;
using testing::TempDir;

const fs::path kBinary = ARXIV_DIGEST_BINARY;

std::int64_t scalar(const fs::path& archive, const char* sql) {
  sqlite::Database db(archive.string());
  sqlite::Statement statement(db, sql);
  return statement.step() ? statement.column_int64(0) : -1;
}

// SHA-256 of every stored paper field, in key order: "the same archive" for the papers.
std::string content_digest(const fs::path& archive) {
  sqlite::Database db(archive.string());
  sqlite::Statement select(db,
                           "SELECT key, version, id, title, abstract, authors, categories, "
                           "comments, journal_ref, doi, license FROM papers ORDER BY key, version");
  std::string all;
  while (select.step())
    for (int c = 0; c < 11; ++c) all += select.column_text(c) + '\x1f';
  return sha256_hex(all);
}

void expect_consistent(const fs::path& archive) {
  sqlite::Database db(archive.string());
  db.exec("INSERT INTO papers_fts (papers_fts) VALUES ('integrity-check')", "FTS check");
  sqlite::Statement check(db, "PRAGMA integrity_check");
  ASSERT_TRUE(check.step());
  EXPECT_EQ(check.column_text(0), "ok");
}

// The snapshot fixture's 200 records `copies` times, each copy with new ids (07MM.NNNN, another
// month per copy): real text at any size.
fs::path replicated_snapshot(const fs::path& dir, int copies) {
  const std::vector<std::string> lines =
      testing::split_lines(testing::read_file(data_path("snapshot/first200.jsonl")));
  const fs::path path = dir / "replicated.jsonl";
  std::ofstream out(path, std::ios::binary);
  for (int c = 0; c < copies; ++c) {
    const std::string prefix = fmt::format("{:02d}{:02d}.", 8 + c / 12, c % 12 + 1);
    for (const std::string& line : lines) {
      if (line.empty()) continue;
      const std::size_t at = line.find("\"id\":\"0704.");
      EXPECT_NE(at, std::string::npos);
      out << line.substr(0, at + 6) << prefix << line.substr(at + 11) << '\n';
    }
  }
  return path;
}

TEST(ImportCommand, ImportsTheSnapshotOnceWhateverTheRuns) {
  TempDir dir;
  const fs::path archive = dir / "a.sqlite";
  const std::string file = data_path("snapshot/first200.jsonl").string();
  ProcessResult r = run_process(kBinary, {"import", "--archive", archive.string(), file});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.err.find("import: 200 records from 1 file(s)"), std::string::npos) << r.err;
  EXPECT_EQ(scalar(archive, "SELECT count(*) FROM papers"), 200);
  const std::string first = content_digest(archive);
  // Again, quietly: nothing changes.
  r = run_process(kBinary, {"import", "-q", "--archive", archive.string(), file});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(content_digest(archive), first);
  EXPECT_EQ(scalar(archive, "SELECT count(*) FROM papers"), 200);
  // A changed record of a stored version replaces it (same id, same versions list).
  std::string line = testing::split_lines(testing::read_file(file)).front();
  line.replace(line.find("Calculation of prompt"), 21, "Computation of prompt");
  testing::write_file(dir / "newer.jsonl", line + "\n");
  r = run_process(kBinary,
                  {"import", "-q", "--archive", archive.string(), (dir / "newer.jsonl").string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  r = run_process(kBinary, {"search", "--archive", archive.string(), "ti:computation"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0704.0001"), std::string::npos) << r.out;
  r = run_process(kBinary,
                  {"search", "--archive", archive.string(), "ti:\"calculation of prompt\""});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  expect_consistent(archive);
}

TEST(ImportCommand, ALaterSnapshotsNewVersionIsStoredBesideTheOldAndIsWhatSearchShows) {
  TempDir dir;
  const fs::path archive = dir / "a.sqlite";
  const std::string file = data_path("snapshot/first200.jsonl").string();
  ASSERT_EQ(run_process(kBinary, {"import", "-q", "--archive", archive.string(), file}).exit_code,
            kExitOk);
  // 0704.0001 as a later snapshot would list it: a v3 with a new title.
  const std::string v2 = testing::split_lines(testing::read_file(file)).front();
  std::string v3 = v2;
  const std::string last_version = R"({"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"})";
  ASSERT_NE(v3.find(last_version), std::string::npos);
  v3.insert(v3.find(last_version) + last_version.size(),
            R"(,{"version":"v3","created":"Wed, 5 Dec 2007 10:00:00 GMT"})");
  v3.replace(v3.find("Calculation of prompt"), 21, "Computation of prompt");
  testing::write_file(dir / "later.jsonl", v3 + "\n");
  ProcessResult r = run_process(
      kBinary, {"import", "-q", "--archive", archive.string(), (dir / "later.jsonl").string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(scalar(archive, "SELECT count(*) FROM papers WHERE key = '0704.0001'"), 2);
  EXPECT_EQ(scalar(archive, "SELECT count(DISTINCT key) FROM papers"), 200);
  r = run_process(kBinary, {"search", "--archive", archive.string(), "--json", "ti:computation"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"0704.0001v3\""), std::string::npos) << r.out;
  // The index holds the latest version only: v2's title no longer finds the paper.
  r = run_process(kBinary,
                  {"search", "--archive", archive.string(), "ti:\"calculation of prompt\""});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  // The older snapshot imported again afterwards changes nothing that search shows.
  ASSERT_EQ(run_process(kBinary, {"import", "-q", "--archive", archive.string(), file}).exit_code,
            kExitOk);
  r = run_process(kBinary, {"search", "--archive", archive.string(), "--json", "ti:computation"});
  EXPECT_NE(r.out.find("\"id\":\"0704.0001v3\""), std::string::npos) << r.out;
  expect_consistent(archive);
}

TEST(ImportCommand, AMalformedLineIsNamedSkippedAndCounted) {
  TempDir dir;
  const std::vector<std::string> lines =
      testing::split_lines(testing::read_file(data_path("snapshot/first200.jsonl")));
  testing::write_file(dir / "bad.jsonl", lines[0] + "\n{\"id\": \"not an id\"}\n" + lines[1] +
                                             "\n{oops\n" + lines[2] + "\n");
  const fs::path archive = dir / "a.sqlite";
  ProcessResult r =
      run_process(kBinary, {"import", "--archive", archive.string(), (dir / "bad.jsonl").string()});
  EXPECT_EQ(r.exit_code, kExitBadData) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.jsonl:4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 malformed line(s) skipped"), std::string::npos) << r.err;
  EXPECT_EQ(scalar(archive, "SELECT count(*) FROM papers"), 3);
  // A missing file is named; the others are imported.
  r = run_process(
      kBinary, {"import", "-q", "--archive", (dir / "b.sqlite").string(),
                (dir / "missing.jsonl").string(), data_path("snapshot/first200.jsonl").string()});
  EXPECT_EQ(r.exit_code, kExitBadData);
  EXPECT_NE(r.err.find("missing.jsonl"), std::string::npos) << r.err;
  EXPECT_EQ(scalar(dir / "b.sqlite", "SELECT count(*) FROM papers"), 200);
}

TEST(ImportCommand, AKilledImportRunAgainEqualsACleanOne) {
  TempDir dir;
  const fs::path input = replicated_snapshot(dir.path(), 20);  // 4,000 records
  const fs::path killed = dir / "killed.sqlite";
  const std::string archive_arg = killed.string();
  const std::string input_arg = input.string();
  std::vector<const char*> argv = {
      kBinary.c_str(),     "import",          "-q",   "--batch", "100", "--archive",
      archive_arg.c_str(), input_arg.c_str(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, kBinary.c_str(), nullptr, nullptr, const_cast<char**>(argv.data()),
                        environ),
            0);
  // Kill it as soon as some batches are committed (poll with a deadline, no sleep-and-hope).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::int64_t seen = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(killed)) {
      try {
        seen = scalar(killed, "SELECT count(*) FROM papers");
      } catch (const StoreError&) {
        seen = 0;  // not created yet, or locked mid-migration
      }
      if (seen >= 300) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // the poll interval
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the import finished before it could be killed";
  const std::int64_t kept = scalar(killed, "SELECT count(*) FROM papers");
  EXPECT_GE(kept, 300);
  EXPECT_LT(kept, 4000);
  EXPECT_EQ(kept % 100, 0) << "only whole batches are kept";
  expect_consistent(killed);
  // The search index was being built alongside: the archive says so, refuses other paper
  // writes, and a search reads the papers without it.
  EXPECT_EQ(scalar(killed, "SELECT count(*) FROM index_builds"), 1);
  const auto meanwhile = run_process(
      kBinary, {"search", "--archive", killed.string(), "--limit", "5", "quark OR gluon"});
  EXPECT_EQ(meanwhile.exit_code, 0) << meanwhile.err;
  std::size_t results = 0;  // one line per paper starts with its id
  for (const std::string& line : testing::split_lines(meanwhile.out)) {
    if (!line.empty() && line[0] >= '0' && line[0] <= '9') ++results;
  }
  EXPECT_EQ(results, 5U) << meanwhile.out;

  ProcessResult r =
      run_process(kBinary, {"import", "-q", "--archive", killed.string(), input.string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(scalar(killed, "SELECT count(*) FROM index_builds"), 0);
  EXPECT_FALSE(fs::exists(killed.string() + "-index-build"));
  r = run_process(kBinary,
                  {"import", "-q", "--archive", (dir / "clean.sqlite").string(), input.string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(scalar(killed, "SELECT count(*) FROM papers"), 4000);
  EXPECT_EQ(content_digest(killed), content_digest(dir / "clean.sqlite"));
  expect_consistent(killed);
  // And both answer a search alike.
  const auto a = run_process(
      kBinary, {"search", "--archive", killed.string(), "--limit", "500", "quark OR gluon"});
  const auto b = run_process(kBinary, {"search", "--archive", (dir / "clean.sqlite").string(),
                                       "--limit", "500", "quark OR gluon"});
  EXPECT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
}

}  // namespace
}  // namespace arxiv_digest
