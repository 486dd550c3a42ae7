// `arxiv-digest doctor` on the sample day: the archive a real run left, the clock pinned by
// SOURCE_DATE_EPOCH (Thu 2026-06-18 11:52:58 UTC, the evening before the Juneteenth holiday).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "cli/app.hpp"
#include "store/sqlite.hpp"
#include "store/sqlite_archive.hpp"
#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;

constexpr const char* kSecret = "doctor-secret-value-not-printed";

class DoctorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feeds_.mount("/rss/", testing::kSampleDay / "rss",
                 {"application/rss+xml; charset=utf-8", true, true});
    testing::write_file(
        config_,
        "[arxiv]\ncategories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
        "rss_url = \"" +
            feeds_.url("/rss/") +
            "\"\n"
            "[[topics]]\nname = \"reinforcement learning\"\n"
            "[output]\ndir = \"out\"\nkatex = \"\"\n"
            "[store]\npath = \"archive.sqlite\"\n"
            "[translate]\nprovider = \"libretranslate\"\nbase_url = \"http://127.0.0.1:9\"\n"
            "api_key_env = \"DOCTOR_TEST_KEY\"\n");
  }
  ProcessResult run(std::vector<std::string> args) const {
    return testing::run_process(ARXIV_DIGEST_BINARY, args,
                                {{"XDG_CACHE_HOME", (dir_ / "cache").string()},
                                 {"SOURCE_DATE_EPOCH", testing::kSeedEpoch},
                                 {"DOCTOR_TEST_KEY", kSecret}},
                                dir_.path());
  }
  testing::TempDir dir_;
  fs::path config_ = dir_ / "config.toml";
  testing::FixtureServer feeds_;
};

TEST_F(DoctorTest, BeforeTheFirstRunItSaysSoAndCreatesNothing) {
  const ProcessResult r = run({"doctor", "--config", config_.string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("archive: not created yet"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "archive.sqlite"));
  EXPECT_EQ(feeds_.request_count(testing::kSampleDayFeedPath), 0u);
}

TEST_F(DoctorTest, SaysWhenAnImportStoppedBeforeItsSearchIndexWasInPlace) {
  { SqliteArchive archive(dir_ / "archive.sqlite"); }
  // What a killed import leaves: its row, naming a process that is gone (a child that exited
  // and was reaped).
  const pid_t child = fork();
  if (child == 0) _exit(0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  {
    sqlite::Database db((dir_ / "archive.sqlite").string());
    sqlite::Statement mark(db,
                           "INSERT INTO index_builds (id, pid, token, started_at) "
                           "VALUES (1, ?1, 7, 1781783578)");
    mark.bind_all(static_cast<std::int64_t>(child));
    mark.run();
  }
  const ProcessResult r = run({"doctor", "--config", config_.string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string expected = "archive: an import (process " + std::to_string(child) +
                               ", since 2026-06-18 11:52 UTC) stopped before it finished the "
                               "search index: run `arxiv-digest import` again (with any file) to "
                               "finish it\n";
  EXPECT_NE(r.out.find(expected), std::string::npos) << r.out;
}

TEST_F(DoctorTest, ShowsConfigPathsArchiveNextAnnouncementAndTheLastDays) {
  // The sample day, for real (translation off for this run: the key's server is not there).
  testing::write_file(dir_ / "run.toml", testing::read_file(config_).substr(
                                             0, testing::read_file(config_).find("[translate]")));
  const ProcessResult day =
      run({"run", "--config", (dir_ / "run.toml").string(), "--date", "2026-06-18"});
  ASSERT_EQ(day.exit_code, kExitOk) << day.err;
  {
    // Two channels' outcomes in the delivery log, as DailyRun records them.
    SqliteArchive archive(dir_ / "archive.sqlite");
    DeliveryRecord sent;
    sent.listing_date = Date{std::chrono::year{2026}, std::chrono::June, std::chrono::day{18}};
    sent.channel = "email:ana@example.org";
    sent.digest_sha256 = std::string(64, 'a');
    sent.paper_count = 4;
    sent.detail = "ana@example.org";
    archive.record_delivery(sent);
    DeliveryRecord failed = sent;
    failed.audience = "chen";
    failed.channel = "webhook:lab";
    failed.status = DeliveryStatus::kFailed;
    failed.attempts = 3;
    failed.detail = "HTTP 500 from the service";
    archive.record_delivery(failed);
  }
  const ProcessResult r = run({"doctor", "--config", config_.string()});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string& o = r.out;
  auto has = [&o](const std::string& text) {
    EXPECT_NE(o.find(text), std::string::npos) << "missing: " << text << "\n" << o;
  };
  has("configuration: " + config_.string());
  has("  categories: cs.AI, cs.CL, cs.CV, cs.LG, cs.RO\n");
  has("api_key_env: DOCTOR_TEST_KEY (set)");
  EXPECT_EQ(o.find(kSecret), std::string::npos);
  has("  archive:   " + (dir_ / "archive.sqlite").string() + " (sqlite)\n");
  has("  output:    " + (dir_ / "out").string() + "\n");
  has("  cache:     " + (dir_ / "cache" / "arxiv-digest" / "http").string() + "\n");
  has("  katex:     none (math is shown as TeX)\n");
  has("  templates: built-in\n");
  has("archive: schema version " + std::to_string(SqliteArchive::kSchemaVersion) + ", ");
  has(" 1 announcements, 0 translations, 3 digest files, 2 deliveries\n");
  // Fri 2026-06-19 is an arXiv holiday, then a weekend: the next announcement is Sunday evening.
  has("next announcement: the listing of Mon 2026-06-22, in 3 days 12 h\n");
  has("  ET:        2026-06-21 20:00 EDT (UTC-4)\n");
  has("  Asia/Shanghai: 2026-06-22 08:00 CST (UTC+8)\n");
  has("  no announcement on the evening of Thu 2026-06-18 (ET): Fri 2026-06-19 has no listing "
      "(an arXiv holiday)\n");
  has("  no announcement on the evening of Fri 2026-06-19 (ET): Sat 2026-06-20 has no listing "
      "(weekend)\n");
  has("  no announcement on the evening of Sat 2026-06-20 (ET): Sun 2026-06-21 has no listing "
      "(weekend)\n");
  has("  Thu 2026-06-18:\n    fetched cs.AI+cs.CL+cs.CV+cs.LG+cs.RO via rss: ");
  has("    digest: ");
  has(" papers (json, markdown, text)\n");
  has("    email:ana@example.org: sent, 4 papers\n");
  has("    webhook:lab (subscriber chen): FAILED after 3 attempts: HTTP 500 from the service\n");
  // doctor reads; it never fetches.
  EXPECT_EQ(feeds_.request_count(testing::kSampleDayFeedPath), 1u);
}

}  // namespace
}  // namespace arxiv_digest
