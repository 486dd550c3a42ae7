// The daemon end to end: in-process on a FakeEnv (the loop, DailyRun, the archive, the real
// sample day served on 127.0.0.1, a webhook counted by a local fake service), and the real
// binary for the signals.
#include "cli/daemon_command.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "cli/app.hpp"
#include "core/env.hpp"
#include "core/error.hpp"
#include "store/sqlite_archive.hpp"
#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"
#include "support/webhook_server.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
namespace chr = std::chrono;
using namespace std::chrono_literals;
using testing::ScriptedResponse;
using testing::WebhookServer;
using testing::WebhookService;

constexpr chr::sys_seconds utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0) {
  return chr::sys_days{Date{chr::year{y}, chr::month{m}, chr::day{d}}} + chr::hours{hh} +
         chr::minutes{mm};
}

class DaemonCommandTest : public ::testing::Test {
 protected:
  DaemonCommandTest() {
    server_.mount("/rss/", testing::kSampleDay / "rss",
                  {"application/rss+xml; charset=utf-8", true, true});
  }

  fs::path write_config(const std::string& daemon = "delay = \"7m\"\njitter = \"0s\"\n"
                                                    "retry_until = \"1h\"\n") {
    fs::path path = dir_ / "config.toml";
    std::ofstream(path) << "[arxiv]\n"
                        << "categories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                        << "rss_url = \"" << server_.url("/rss/") << "\"\n"
                        << "max_retries = 0\n"
                        << "cache_dir = \"cache\"\n"
                        << extra_arxiv_
                        << "[[topics]]\nname = \"reinforcement learning\"\n"
                        << "[output]\ndir = \"out\"\n"
                        << "[store]\npath = \"archive.sqlite\"\n"
                        << "[[webhooks]]\nname = \"lab\"\nkind = \"generic\"\nurl = \""
                        << webhooks_.url(WebhookService::kGeneric) << "\"\nmin_interval_s = 0\n"
                        << "[daemon]\n"
                        << daemon;
    return path;
  }

  // The daemon in-process from `start` for `days` listing dates; returns the fake clock's end.
  chr::sys_seconds run_daemon_days(chr::sys_seconds start, int days) {
    FakeEnv env(start);
    DaemonCommandOptions options;
    options.common.config_path = write_config().string();
    options.days = days;
    std::ostringstream out;
    Console console(log_, false);
    std::stop_source stop;
    EXPECT_EQ(run_daemon_loop(options, env, out, console, stop.get_token(), nullptr), kExitOk)
        << log_.str();
    return env.now();
  }

  std::size_t feed_requests() const {
    std::size_t n = 0;
    for (const auto& r : server_.requests())
      if (r.path == testing::kSampleDayFeedPath) ++n;
    return n;
  }

  testing::TempDir dir_;
  testing::FixtureServer server_;
  WebhookServer webhooks_;
  std::ostringstream log_;
  std::string extra_arxiv_;  // more [arxiv] lines for write_config()
};

// The sample day's feed as arXiv would have built it for another listing date: the same real
// entries, the channel's dates moved (`build` "Tue, 03 Nov 2026 05:00:00 +0000", `pub` the same
// instant in ET, "Tue, 03 Nov 2026 00:00:00 -0500").
ScriptedResponse feed_for(const std::string& build, const std::string& pub) {
  std::string body = testing::read_file(testing::kSampleDay / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO");
  const auto replace_all = [&body](const std::string& from, const std::string& to) {
    std::size_t n = 0;
    for (std::size_t at = body.find(from); at != std::string::npos; at = body.find(from, at + to.size())) {
      body.replace(at, from.size(), to);
      ++n;
    }
    return n;
  };
  EXPECT_EQ(replace_all("Thu, 18 Jun 2026 04:00:00 +0000", build), 1u);
  EXPECT_EQ(replace_all("Thu, 18 Jun 2026 00:00:00 -0400", pub), 220u);  // channel + 219 items
  ScriptedResponse response;
  response.body = std::move(body);
  response.content_type = "application/rss+xml; charset=utf-8";
  return response;
}

// From Wednesday 17 June 2026 (RSS source: a listing is in the feed at 00:00 ET, 04:00 UTC in
// June): Thursday's run at 04:07 UTC meets a broken transfer, retries 5 min later and delivers;
// Friday 19 June is an arXiv holiday and Saturday and Sunday have no announcement: no run;
// Monday 22 June's feed still serves 18 June (incomplete) until the deadline (1 h), then the
// webhook is told. A second daemon over the same days sends nothing again.
TEST_F(DaemonCommandTest, RunsTheRightEveningsRetriesReportsAndNeverSendsTwice) {
  ScriptedResponse broken;
  broken.body = "<?xml";
  broken.declared_length = 100000;  // a truncated transfer: a transport error
  server_.enqueue(testing::kSampleDayFeedPath, broken);

  const chr::sys_seconds end = run_daemon_days(utc(2026, 6, 17, 12), 2);
  // The last attempt at Monday's listing was at its deadline, 05:07 UTC.
  EXPECT_EQ(end, utc(2026, 6, 22, 5, 7)) << log_.str();
  // Thursday: 04:07 (broken) and 04:12; Monday: 04:07, 04:12, 04:22, 04:42, 05:07.
  EXPECT_EQ(feed_requests(), 2u + 5u) << log_.str();

  auto got = webhooks_.received();
  ASSERT_EQ(got.size(), 2u) << log_.str();
  EXPECT_TRUE(got[0].accepted) << got[0].rejection;
  EXPECT_NE(got[0].visible.find("2026-06-18"), std::string::npos);
  EXPECT_NE(got[0].visible.find("reinforcement learning"), std::string::npos);
  EXPECT_NE(got[1].visible.find("no digest for 2026-06-22"), std::string::npos) << got[1].visible;
  EXPECT_NE(got[1].visible.find("2026-06-18"), std::string::npos) << got[1].visible;
  EXPECT_TRUE(fs::exists(dir_ / "out" / "2026-06-18.txt"));
  {
    SqliteArchive archive(dir_ / "archive.sqlite");
    EXPECT_EQ(archive.deliveries_for(*parse_date("2026-06-18")).size(), 1u);
    EXPECT_TRUE(archive.deliveries_for(*parse_date("2026-06-22")).empty());
  }
  EXPECT_NE(log_.str().find("giving up on the listing 2026-06-22"), std::string::npos);

  // Started again over the same Thursday: the archive has the day, the log says it was sent.
  run_daemon_days(utc(2026, 6, 17, 12), 1);
  EXPECT_EQ(webhooks_.received().size(), 2u) << log_.str();
}

// A week across the end of daylight saving time (Sunday 1 November 2026), with a weekend and a
// holiday (Monday 2 November, an extra [arxiv] holiday): the RSS feed carries a listing at 00:00
// ET, i.e. 04:00 UTC while EDT lasts and 05:00 UTC after. The daemon runs Friday 30 October at
// 04:07 UTC, nothing on the weekend or the holiday, Tuesday 3 November at 05:07 UTC (the feed is
// not rebuilt yet: retried 5 min later) and Wednesday at 05:07 UTC; each day is sent once, and a
// second daemon over the same days sends nothing.
TEST_F(DaemonCommandTest, AcrossTheDstChangeAWeekendAndAHolidayRunsOnTheRightEvenings) {
  extra_arxiv_ = "holidays = [\"2026-11-02\"]\n";
  const ScriptedResponse oct30 = feed_for("Fri, 30 Oct 2026 04:00:00 +0000", "Fri, 30 Oct 2026 00:00:00 -0400");
  server_.enqueue(testing::kSampleDayFeedPath, oct30);
  server_.enqueue(testing::kSampleDayFeedPath, oct30);  // Tuesday 05:07: not rebuilt yet
  server_.enqueue(testing::kSampleDayFeedPath,
                  feed_for("Tue, 03 Nov 2026 05:00:00 +0000", "Tue, 03 Nov 2026 00:00:00 -0500"));
  server_.enqueue(testing::kSampleDayFeedPath,
                  feed_for("Wed, 04 Nov 2026 05:00:00 +0000", "Wed, 04 Nov 2026 00:00:00 -0500"));

  const chr::sys_seconds end = run_daemon_days(utc(2026, 10, 29, 12), 3);
  const std::string log = log_.str();
  EXPECT_NE(log.find("next run: listing 2026-10-30 at 2026-10-30 04:07:00 UTC"), std::string::npos) << log;
  EXPECT_NE(log.find("next run: listing 2026-11-03 at 2026-11-03 05:07:00 UTC"), std::string::npos) << log;
  EXPECT_NE(log.find("next run: listing 2026-11-04 at 2026-11-04 05:07:00 UTC"), std::string::npos) << log;
  for (const char* none : {"2026-10-31", "2026-11-01", "2026-11-02"})
    EXPECT_EQ(log.find(std::string("next run: listing ") + none), std::string::npos) << none << "\n" << log;
  // Friday once, Tuesday twice (stale, then rebuilt), Wednesday once.
  EXPECT_EQ(feed_requests(), 4u) << log;
  EXPECT_GE(end, utc(2026, 11, 4, 5, 7));
  EXPECT_LT(end, utc(2026, 11, 4, 6, 0));

  auto got = webhooks_.received();
  ASSERT_EQ(got.size(), 3u) << log;
  const char* dates[] = {"2026-10-30", "2026-11-03", "2026-11-04"};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_TRUE(got[i].accepted) << got[i].rejection;
    EXPECT_NE(got[i].visible.find(dates[i]), std::string::npos) << got[i].visible;
    EXPECT_TRUE(fs::exists(dir_ / "out" / (std::string(dates[i]) + ".txt"))) << dates[i];
  }
  // The same days again: the archive has them and the log says they were sent.
  run_daemon_days(utc(2026, 10, 29, 12), 3);
  EXPECT_EQ(webhooks_.received().size(), 3u) << log_.str();
}

// `run --wait=5h` at 19:30 EDT on Wednesday: the RSS feed carries Thursday's listing at 00:00 ET
// (04:00 UTC), within the wait: it sleeps until then, meets a broken transfer, retries 5 min later.
TEST_F(DaemonCommandTest, RunWaitSleepsUntilTheFeedIsOutAndRetries) {
  ScriptedResponse broken;
  broken.body = "<?xml";
  broken.declared_length = 100000;
  server_.enqueue(testing::kSampleDayFeedPath, broken);
  FakeEnv env(utc(2026, 6, 17, 23, 30));
  CommonOptions common;
  common.config_path = write_config().string();
  RunOptions run;
  run.wait = "5h";
  run.wait_given = true;
  std::ostringstream out;
  Console console(log_, false);
  EXPECT_EQ(command_run(common, run, out, console, &env), kExitOk) << log_.str();
  EXPECT_EQ(env.now(), utc(2026, 6, 18, 4, 5));
  EXPECT_EQ(feed_requests(), 2u);
  EXPECT_TRUE(fs::exists(dir_ / "out" / "2026-06-18.txt"));
  EXPECT_EQ(webhooks_.received().size(), 1u);
  EXPECT_NE(log_.str().find("waiting until 2026-06-18 04:00 UTC"), std::string::npos) << log_.str();
  EXPECT_NE(log_.str().find("summary: listing 2026-06-18: fetched 219 (rss), matched "),
            std::string::npos)
      << log_.str();
  EXPECT_NE(log_.str().find(", sent 1, failed deliveries 0, "), std::string::npos) << log_.str();

  // A --date not out within the wait: said at once, no request, no sleep.
  FakeEnv early(utc(2026, 6, 17, 23, 30));
  common.date = "2026-06-18";
  run.wait = "1h";
  EXPECT_EQ(command_run(common, run, out, console, &early), kExitNetwork);
  EXPECT_EQ(early.now(), utc(2026, 6, 17, 23, 30));
  EXPECT_EQ(feed_requests(), 2u);
  run.wait = "5x";
  EXPECT_THROW(command_run(common, run, out, console, &early), Error);
}

// `run --since` after downtime: Thursday 18 June from the archive (already delivered: not sent
// again), Friday 19 June (holiday) skipped, Monday 22 June from the feed, which still serves the
// 18th: incomplete, exit 7.
TEST_F(DaemonCommandTest, RunSinceCatchesUpInOrderWithoutResending) {
  run_daemon_days(utc(2026, 6, 17, 12), 1);
  ASSERT_EQ(webhooks_.received().size(), 1u) << log_.str();
  const std::size_t before = server_.requests().size();
  FakeEnv env(utc(2026, 6, 22, 12));
  CommonOptions common;
  common.config_path = write_config().string();
  RunOptions run;
  run.since = "2026-06-18";
  std::ostringstream out;
  std::ostringstream log;
  Console console(log, false);
  // Monday's feed is not rebuilt: the run stops there, as `run` does (exit 7).
  EXPECT_THROW(command_run(common, run, out, console, &env), IncompleteFetchError) << log.str();
  const std::string text = log.str();
  const auto thursday = text.find("catching up: listing 2026-06-18 (api)");
  const auto monday = text.find("catching up: listing 2026-06-22 (rss)");
  ASSERT_NE(thursday, std::string::npos) << text;
  ASSERT_NE(monday, std::string::npos) << text;
  EXPECT_LT(thursday, monday);
  EXPECT_EQ(text.find("2026-06-19"), std::string::npos) << text;
  EXPECT_EQ(webhooks_.received().size(), 1u);
  // Thursday came from the archive: the only new request is Monday's feed.
  EXPECT_EQ(server_.requests().size(), before + 1);
  run.since = "2026-06-23";
  EXPECT_THROW(command_run(common, run, out, console, &env), Error);
}

// A bad configuration stops the daemon at once (exit 3), not at the evening's run.
TEST_F(DaemonCommandTest, ABadDaemonSectionIsAConfigError) {
  write_config("delay = \"soon\"\n");
  const testing::ProcessResult r = testing::run_process(
      ARXIV_DIGEST_BINARY, {"daemon", "--config", (dir_ / "config.toml").string()});
  EXPECT_EQ(r.exit_code, kExitConfig);
  EXPECT_NE(r.err.find("config.toml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'delay' = 'soon'"), std::string::npos) << r.err;
}

// The real binary: SIGHUP with a changed [daemon] delay reschedules; SIGHUP with a broken file
// keeps the old configuration; SIGTERM stops it promptly with exit 0.
class DaemonProcess {
 public:
  DaemonProcess(const fs::path& config, const fs::path& log) : log_(log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 2);
      ::execl(ARXIV_DIGEST_BINARY, ARXIV_DIGEST_BINARY, "daemon", "--config", config.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~DaemonProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  void signal(int sig) { ::kill(pid_, sig); }
  // Polls the log until it holds `text` `times` times, for at most 20 s.
  bool wait_for(const std::string& text, std::size_t times = 1) const {
    const auto deadline = chr::steady_clock::now() + 20s;
    while (chr::steady_clock::now() < deadline) {
      if (testing::count_of(log(), text) >= times) return true;
      std::this_thread::sleep_for(20ms);  // polling a file: nothing to wait on
    }
    return false;
  }
  std::string log() const { return fs::exists(log_) ? testing::read_file(log_) : ""; }
  // The exit status, polling for at most `limit`; nullopt if it did not exit.
  std::optional<int> wait_exit(chr::milliseconds limit) {
    const auto deadline = chr::steady_clock::now() + limit;
    while (chr::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        reaped_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

TEST_F(DaemonCommandTest, RealBinaryReloadsOnSighupAndStopsOnSigterm) {
  const fs::path config = write_config("delay = \"7m\"\njitter = \"0s\"\n");
  DaemonProcess daemon(config, dir_ / "daemon.log");
  ASSERT_TRUE(daemon.wait_for("next run:")) << daemon.log();
  EXPECT_NE(daemon.log().find("delay 420 s"), std::string::npos) << daemon.log();

  write_config("delay = \"23m\"\njitter = \"0s\"\n");
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for("next run:", 2)) << daemon.log();
  EXPECT_NE(daemon.log().find("configuration reloaded"), std::string::npos) << daemon.log();
  // RSS: 00:00 ET + 23 min: the next run is at :23 past an hour.
  const std::string log = daemon.log();
  const std::string last = log.substr(log.rfind("next run:"));
  EXPECT_NE(last.find(":23:00 UTC"), std::string::npos) << log;

  std::ofstream(config) << "[daemon]\ndelay = \"never\"\n";
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_for("the previous one stays")) << daemon.log();
  EXPECT_NE(daemon.log().find("'delay' = 'never'"), std::string::npos) << daemon.log();

  const auto sent = chr::steady_clock::now();
  daemon.signal(SIGTERM);
  const auto code = daemon.wait_exit(10s);
  ASSERT_TRUE(code.has_value()) << daemon.log();
  EXPECT_EQ(*code, kExitOk) << daemon.log();
  EXPECT_LT(chr::steady_clock::now() - sent, 2s);
  EXPECT_NE(daemon.log().find("daemon stopped"), std::string::npos) << daemon.log();
}

}  // namespace
}  // namespace arxiv_digest
