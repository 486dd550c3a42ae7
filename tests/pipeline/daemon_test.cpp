#include "pipeline/daemon.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <stop_token>
#include <string>
#include <vector>

namespace arxiv_digest {
namespace {

namespace chr = std::chrono;
using namespace std::chrono_literals;

constexpr Date ymd(int y, unsigned m, unsigned d) {
  return Date{chr::year{y}, chr::month{m}, chr::day{d}};
}
constexpr chr::sys_seconds utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return chr::sys_days{ymd(y, m, d)} + chr::hours{hh} + chr::minutes{mm} + chr::seconds{ss};
}

// The bundled holidays plus Wednesday 4 November 2026 (as [arxiv] extra_holidays would add it),
// so one week has a weekend, a holiday and the change back to EST (Sunday 1 November).
AnnouncementCalendar test_calendar() {
  std::vector<Date> holidays(AnnouncementCalendar::builtin_holidays().begin(),
                             AnnouncementCalendar::builtin_holidays().end());
  holidays.push_back(ymd(2026, 11, 4));
  return AnnouncementCalendar(std::move(holidays));
}

struct Call {
  Date date;
  chr::sys_seconds at;
};

// Days answer from a script (kDone unless scripted); records every call on fake time.
class ScriptedHooks final : public DaemonHooks {
 public:
  explicit ScriptedHooks(Env& env) : env_(env) {}
  DayAttempt run_day(Date date) override {
    calls.push_back({date, env_.now()});
    auto& queue = script[date];
    if (queue.empty()) return {DayAttempt::Outcome::kDone, "published"};
    DayAttempt next = queue.front();
    if (queue.size() > 1) queue.erase(queue.begin());
    if (on_call) on_call(date);
    return next;
  }
  void report_failure(Date date, std::string_view message) override {
    failures.push_back({date, env_.now()});
    failure_messages.emplace_back(message);
  }
  std::optional<ScheduleOptions> reload() override {
    ++reloads;
    return reload_to;
  }

  Env& env_;
  std::map<Date, std::vector<DayAttempt>> script;  // the last entry repeats
  std::function<void(Date)> on_call;
  std::vector<Call> calls;
  std::vector<Call> failures;
  std::vector<std::string> failure_messages;
  int reloads = 0;
  std::optional<ScheduleOptions> reload_to;
};

DaemonOptions week_options() {
  DaemonOptions options;
  options.source = SourceKind::kListing;
  options.schedule = {.delay = 7min, .jitter = 0s, .seed = 0};
  options.retry_until = 4h;
  options.retry_first = 5min;
  options.retry_max = 30min;
  options.wake_every = 1h;  // fake time: fewer sleeps to record
  return options;
}

TEST(Daemon, RunsExactlyTheRightEveningsRetriesAndReportsAcrossAWeek) {
  const AnnouncementCalendar calendar = test_calendar();
  FakeEnv env(utc(2026, 10, 29, 12));  // Thursday noon UTC
  ScriptedHooks hooks(env);
  const DayAttempt incomplete{DayAttempt::Outcome::kRetry, "incomplete listing: 12 of 219"};
  hooks.script[ymd(2026, 11, 3)] = {incomplete, {DayAttempt::Outcome::kDone, "published"}};
  hooks.script[ymd(2026, 11, 5)] = {{DayAttempt::Outcome::kRetry, "HTTP 503"}};
  DaemonOptions options = week_options();
  options.max_days = 4;

  std::stop_source stop;
  EXPECT_EQ(run_daemon(env, calendar, options, hooks, stop.get_token()), 4);

  // Fri 30 Oct (Thu evening EDT), Mon 2 Nov (Sun evening EST), Tue 3 Nov twice (incomplete, then
  // done 5 min later), no Wed 4 Nov (holiday), Thu 5 Nov retried until 4 h after its run.
  ASSERT_GE(hooks.calls.size(), 6u);
  EXPECT_EQ(hooks.calls[0].date, ymd(2026, 10, 30));
  EXPECT_EQ(hooks.calls[0].at, utc(2026, 10, 30, 0, 7));
  EXPECT_EQ(hooks.calls[1].date, ymd(2026, 11, 2));
  EXPECT_EQ(hooks.calls[1].at, utc(2026, 11, 2, 1, 7));
  EXPECT_EQ(hooks.calls[2].date, ymd(2026, 11, 3));
  EXPECT_EQ(hooks.calls[2].at, utc(2026, 11, 3, 1, 7));
  EXPECT_EQ(hooks.calls[3].date, ymd(2026, 11, 3));
  EXPECT_EQ(hooks.calls[3].at, utc(2026, 11, 3, 1, 12));
  // Thursday: 01:07, then waits 5, 10, 20, 30, 30, ... min until 05:07.
  std::vector<chr::sys_seconds> thursday;
  for (std::size_t i = 4; i < hooks.calls.size(); ++i) {
    EXPECT_EQ(hooks.calls[i].date, ymd(2026, 11, 5));
    thursday.push_back(hooks.calls[i].at);
  }
  ASSERT_GE(thursday.size(), 4u);
  EXPECT_EQ(thursday[0], utc(2026, 11, 5, 1, 7));
  EXPECT_EQ(thursday[1], utc(2026, 11, 5, 1, 12));
  EXPECT_EQ(thursday[2], utc(2026, 11, 5, 1, 22));
  EXPECT_EQ(thursday[3], utc(2026, 11, 5, 1, 42));
  EXPECT_EQ(thursday.back(), utc(2026, 11, 5, 5, 7));  // the last try at the deadline
  // 01:07, 01:12, 01:22, 01:42, then every 30 min to 05:07 (02:12 ... 04:42), and 05:07.
  EXPECT_EQ(thursday.size(), 4u + 6u + 1u);
  ASSERT_EQ(hooks.failures.size(), 1u);
  EXPECT_EQ(hooks.failures[0].date, ymd(2026, 11, 5));
  EXPECT_EQ(hooks.failures[0].at, utc(2026, 11, 5, 5, 7));
  EXPECT_EQ(hooks.failure_messages[0], "HTTP 503");
}

// A failure that waiting does not cure is reported at once, and the next evening runs.
TEST(Daemon, ReportsAPermanentFailureAtOnce) {
  const AnnouncementCalendar calendar = test_calendar();
  FakeEnv env(utc(2026, 11, 2, 12));
  ScriptedHooks hooks(env);
  hooks.script[ymd(2026, 11, 3)] = {{DayAttempt::Outcome::kFailed, "bad data"}};
  DaemonOptions options = week_options();
  options.max_days = 2;
  std::stop_source stop;
  EXPECT_EQ(run_daemon(env, calendar, options, hooks, stop.get_token()), 2);
  ASSERT_EQ(hooks.calls.size(), 2u);
  EXPECT_EQ(hooks.calls[1].date, ymd(2026, 11, 5));
  ASSERT_EQ(hooks.failures.size(), 1u);
  EXPECT_EQ(hooks.failures[0].at, utc(2026, 11, 3, 1, 7));
}

// A stop requested during a day's retries ends the loop after that attempt, without reporting
// a failure (the day was not given up, only interrupted) and without another attempt.
TEST(Daemon, StopsBetweenStepsWithoutReporting) {
  const AnnouncementCalendar calendar = test_calendar();
  FakeEnv env(utc(2026, 11, 2, 12));
  ScriptedHooks hooks(env);
  std::stop_source stop;
  hooks.script[ymd(2026, 11, 3)] = {{DayAttempt::Outcome::kRetry, "incomplete"}};
  hooks.on_call = [&](Date) { stop.request_stop(); };
  EXPECT_EQ(run_daemon(env, calendar, week_options(), hooks, stop.get_token()), 0);
  EXPECT_EQ(hooks.calls.size(), 1u);
  EXPECT_TRUE(hooks.failures.empty());
  EXPECT_EQ(env.now(), utc(2026, 11, 3, 1, 7));  // no sleep after the stop
}

// A reload request (SIGHUP) while waiting takes the new schedule for the coming run.
TEST(Daemon, ReloadTakesTheNewScheduleWhileWaiting) {
  const AnnouncementCalendar calendar = test_calendar();
  FakeEnv env(utc(2026, 11, 2, 12));
  ScriptedHooks hooks(env);
  hooks.reload_to = ScheduleOptions{.delay = 31min, .jitter = 0s, .seed = 0};
  std::atomic<bool> reload{true};
  DaemonOptions options = week_options();
  options.max_days = 1;
  std::stop_source stop;
  EXPECT_EQ(run_daemon(env, calendar, options, hooks, stop.get_token(), &reload), 1);
  EXPECT_EQ(hooks.reloads, 1);
  EXPECT_FALSE(reload.load());
  ASSERT_EQ(hooks.calls.size(), 1u);
  EXPECT_EQ(hooks.calls[0].at, utc(2026, 11, 3, 1, 31));
}

TEST(Daemon, InterruptibleSleepReturnsEarlyOnStop) {
  FakeEnv env(utc(2026, 11, 2));
  std::stop_source stop;
  EXPECT_TRUE(interruptible_sleep(env, 3s, 1s, stop.get_token()));
  EXPECT_EQ(env.sleeps().size(), 3u);
  stop.request_stop();
  EXPECT_FALSE(interruptible_sleep(env, 3s, 1s, stop.get_token()));
  EXPECT_EQ(env.sleeps().size(), 3u);
}

}  // namespace
}  // namespace arxiv_digest
