// `arxiv-digest harvest`, end to end: the real binary against a local OAI-PMH server serving a
// ListRecords list chained from the real pages in tests/data/oai. Includes the crash test: the
// binary is SIGKILLed while it waits for page 3, run again, and the archive compared with a clean
// harvest's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "cli/app.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "support/fixture_server.hpp"
#include "support/oai_pages.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ProcessResult;
using testing::ScriptedResponse;

constexpr const char* kFirstTarget =
    "/oai?verb=ListRecords&metadataPrefix=arXiv&from=2017-12-14&set=physics";

class HarvestCommandTest : public ::testing::Test {
 protected:
  HarvestCommandTest() {
    chain_ = testing::make_oai_chain(testing::arxiv_format_pages(), kFirstTarget);
    testing::serve_oai_chain(server_, chain_);
    std::ofstream(dir_ / "config.toml") << "[arxiv]\ncategories = [\"physics\"]\n"
                                        << "oai_url = \"" << server_.url("/oai") << "\"\n"
                                        << "max_retries = 0\n"  // a 500 is final at once
                                        << "[[topics]]\nname = \"dark matter\"\n";
  }

  std::vector<std::string> args(const std::string& archive) const {
    return {"harvest", "--from", "2017-12-14", "--set", "physics", "-c",
            (dir_ / "config.toml").string(), "--archive", (dir_ / archive).string()};
  }

  ProcessResult run(const std::vector<std::string>& arguments,
                    const std::function<void(int)>& on_started = {}) const {
    const std::map<std::string, std::optional<std::string>> env = {
        {"XDG_CACHE_HOME", (dir_ / "cache").string()},
        {"XDG_CONFIG_HOME", (dir_ / "config-home").string()},
        {"XDG_DATA_HOME", (dir_ / "data-home").string()},
        {"SOURCE_DATE_EPOCH", "1800000000"},
    };
    return testing::run_process(ARXIV_DIGEST_BINARY, arguments, env, dir_.path(), on_started);
  }

  std::vector<std::string> targets() const {
    std::vector<std::string> out;
    for (const auto& r : server_.requests()) out.push_back(r.target);
    return out;
  }

  // Every papers row (all columns), in key order, one line each; and integrity_check's answer.
  static std::string dump_papers(const fs::path& path) {
    sqlite::Database db(path.string());
    sqlite::Statement select(db,
                             "SELECT key, version, id, title, abstract, authors, primary_category, "
                             "categories, comments, journal_ref, doi, license, submitted, updated, "
                             "first_seen_at FROM papers ORDER BY key, version");
    std::string out;
    while (select.step()) {
      for (int c = 0; c < select.column_count(); ++c) out += select.column_text(c) + '\t';
      out += '\n';
    }
    return out;
  }
  static std::string integrity(const fs::path& path) {
    sqlite::Database db(path.string());
    sqlite::Statement check(db, "PRAGMA integrity_check");
    return check.step() ? check.column_text(0) : std::string();
  }

  testing::TempDir dir_;
  testing::FixtureServer server_;
  testing::OaiChain chain_;
};

TEST_F(HarvestCommandTest, HarvestsEveryPageIntoTheArchive) {
  const ProcessResult r = run(args("a.sqlite"));
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(targets(), chain_.targets);
  EXPECT_THAT(r.out, HasSubstr("harvested set physics from 2017-12-14 (arXiv): 7 records in 3 "
                               "pages (7 this run, 3 requests)"));
  EXPECT_EQ(r.err, "");  // not a terminal: no progress line
  SqliteArchive archive(dir_ / "a.sqlite");
  EXPECT_TRUE(archive.find_paper("1607.01710"));
  HarvestWindow window;
  window.from = *parse_date("2017-12-14");
  window.set = "physics";
  const auto progress = archive.find_harvest(window);
  ASSERT_TRUE(progress);
  EXPECT_TRUE(progress->complete);
  EXPECT_EQ(progress->records, 7u);
}

TEST_F(HarvestCommandTest, ASigkilledHarvestResumesAndEndsEqualToACleanOne) {
  ASSERT_EQ(run(args("clean.sqlite")).exit_code, kExitOk);
  server_.clear_records();

  // Page 3 keeps the first run waiting; it is killed as soon as page 3 is asked for, i.e. with
  // pages 1 and 2 committed.
  server_.enqueue(chain_.targets[2], ScriptedResponse{200, {}, "late", "text/xml",
                                                      std::chrono::milliseconds{30'000}, {}});
  std::atomic<int> pid{0};
  ProcessResult killed;
  std::thread first([&] {
    killed = run(args("crash.sqlite"), [&pid](int child) { pid = child; });
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{20};
  while (server_.request_count("/oai") < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{5});  // polling, with a deadline
  ASSERT_NE(pid.load(), 0);
  ::kill(pid.load(), SIGKILL);
  first.join();
  ASSERT_EQ(server_.request_count("/oai"), 3u);
  EXPECT_EQ(killed.exit_code, -1);

  server_.clear_records();
  const ProcessResult resumed = run(args("crash.sqlite"));
  ASSERT_EQ(resumed.exit_code, kExitOk) << resumed.err;
  EXPECT_THAT(targets(), ElementsAre(chain_.targets[2]));  // only what was missing
  EXPECT_THAT(resumed.out, HasSubstr("7 records in 3 pages (1 this run, 1 request, resumed)"));
  EXPECT_THAT(resumed.err, HasSubstr("resuming the harvest"));

  EXPECT_EQ(integrity(dir_ / "crash.sqlite"), "ok");
  EXPECT_EQ(integrity(dir_ / "clean.sqlite"), "ok");
  const std::string clean = dump_papers(dir_ / "clean.sqlite");
  EXPECT_EQ(testing::count_of(clean, "\n"), 7u);
  EXPECT_EQ(dump_papers(dir_ / "crash.sqlite"), clean);
}

TEST_F(HarvestCommandTest, OaiErrorsAndBadArgumentsExitWithTheirCodes) {
  server_.enqueue(kFirstTarget,
                  ScriptedResponse{200, {},
                                   testing::read_file(testing::data_path(
                                       "oai/mikesaelim_ErrorResponseBadArgument.xml")),
                                   "text/xml", {}, {}});
  ProcessResult r = run(args("a.sqlite"));
  EXPECT_EQ(r.exit_code, kExitBadData);
  EXPECT_THAT(r.err, HasSubstr(server_.url(kFirstTarget)));
  EXPECT_THAT(r.err, HasSubstr("badArgument"));

  server_.enqueue(kFirstTarget, ScriptedResponse{500, {}, "down", "text/plain", {}, {}});
  r = run(args("a.sqlite"));
  EXPECT_EQ(r.exit_code, kExitNetwork);
  EXPECT_THAT(r.err, HasSubstr("HTTP 500"));

  auto bad = args("a.sqlite");
  bad[2] = "2017-13-01";
  r = run(bad);
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--from '2017-13-01'"));

  bad = args("a.sqlite");
  bad.insert(bad.end(), {"--format", "oai_dc"});
  r = run(bad);
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("expected arXiv or arXivRaw"));

  bad = args("a.sqlite");
  bad.insert(bad.end(), {"--until", "2017-12-01"});
  r = run(bad);
  EXPECT_EQ(r.exit_code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("before --from"));
}

}  // namespace
}  // namespace arxiv_digest
