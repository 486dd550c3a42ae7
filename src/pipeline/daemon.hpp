// The daemon's loop, as a library function so tests run it in-process on fake time: sleep
// (through Env) until the next scheduled run (pipeline/schedule.hpp), run the day, retry an
// incomplete or unavailable source with backoff until a deadline, then report the failure and
// go on to the next listing date. It never installs signal handlers: the caller turns signals
// into the stop token and the reload flag.
//
// Stopping. `stop` is checked between steps and during waits (sleeps are cut into slices of at
// most DaemonOptions::wake_every), never inside DaemonHooks::run_day: a day's run finishes (or
// fails) as one step, so a stop never leaves a transaction or a delivery half done.
//
// Thread-safety: runs on the caller's thread; `stop` and `reload` may be set from any thread
// or a signal handler (the flag is lock-free).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/calendar.hpp"
#include "core/env.hpp"
#include "pipeline/schedule.hpp"
#include "sources/announcement_fetcher.hpp"

namespace arxiv_digest {

// What one attempt at a day came to.
struct DayAttempt {
  enum class Outcome {
    kDone,   // published, or nothing to publish (no announcement): on to the next day
    kRetry,  // the source is incomplete or unavailable, or a delivery failed: try again later
    kFailed  // a failure that waiting will not cure (a bad configuration, bad data): report it
  };
  Outcome outcome = Outcome::kDone;
  std::string message;  // what happened, for the log and the failure report; never a secret
};

// The caller's side of the loop (the cli composes a DailyRun in run_day).
class DaemonHooks {
 public:
  virtual ~DaemonHooks() = default;
  // Runs listing date `date` once. Should not throw (an exception stops the daemon).
  virtual DayAttempt run_day(Date date) = 0;
  // The day could not be done by its deadline (or failed for good): tell the readers.
  virtual void report_failure(Date date, std::string_view message) = 0;
  // Called between steps when the reload flag was set (SIGHUP). Returns the schedule to use
  // from now on (the new configuration's), or nullopt to keep the current one.
  virtual std::optional<ScheduleOptions> reload() { return std::nullopt; }
  // What the loop decided ("next run: 2026-11-03 at 2026-11-03 01:10:39 UTC").
  virtual void note(std::string_view /*line*/) {}
};

struct DaemonOptions {
  SourceKind source = SourceKind::kListing;
  ScheduleOptions schedule;
  // Retries of a day stop at its run instant + retry_until ([daemon] retry_until).
  std::chrono::seconds retry_until{std::chrono::hours{4}};
  // The first wait before a retry; doubled each time, up to retry_max.
  std::chrono::seconds retry_first{std::chrono::minutes{5}};
  std::chrono::seconds retry_max{std::chrono::minutes{30}};
  // The longest single sleep: how soon a stop or reload request is noticed.
  std::chrono::milliseconds wake_every{std::chrono::milliseconds{200}};
  // Stop after this many days were handled (done or reported); 0 = never (tests, `--days`).
  int max_days = 0;
};

// Runs the loop until `stop` is requested (or max_days days were handled). `reload`, when
// given, is exchanged to false and hooks.reload() called when it was true. Returns the number
// of days handled.
int run_daemon(Env& env, const AnnouncementCalendar& calendar, DaemonOptions options,
               DaemonHooks& hooks, std::stop_token stop, std::atomic<bool>* reload = nullptr);

// The retry loop alone (`run --wait`): calls `attempt` until it is not kRetry, waiting with the
// same backoff in between, until `deadline`; then returns the last attempt. Stops early (with
// the last attempt) when `stop` is requested.
template <typename Attempt>
DayAttempt retry_until_deadline(Env& env, const DaemonOptions& options,
                                std::chrono::sys_seconds deadline, std::stop_token stop,
                                Attempt&& attempt, DaemonHooks* hooks = nullptr);

// Sleeps `duration` through `env` in slices of at most `slice`, returning early (false) when
// `stop` is requested; true when the whole duration passed.
bool interruptible_sleep(Env& env, std::chrono::milliseconds duration,
                         std::chrono::milliseconds slice, const std::stop_token& stop);

template <typename Attempt>
DayAttempt retry_until_deadline(Env& env, const DaemonOptions& options,
                                std::chrono::sys_seconds deadline, std::stop_token stop,
                                Attempt&& attempt, DaemonHooks* hooks) {
  std::chrono::seconds wait = options.retry_first;
  for (;;) {
    DayAttempt result = attempt();
    if (result.outcome != DayAttempt::Outcome::kRetry || stop.stop_requested()) return result;
    const auto now = env.now();
    if (now >= deadline) return result;
    const auto pause = std::min<std::chrono::seconds>(wait, deadline - now);
    if (hooks) hooks->note("retrying in " + std::to_string(pause.count()) + " s: " + result.message);
    if (!interruptible_sleep(env, pause, options.wake_every, stop)) return result;
    wait = std::min(wait * 2, options.retry_max);
  }
}

}  // namespace arxiv_digest
