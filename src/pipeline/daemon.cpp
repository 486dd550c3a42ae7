#include "pipeline/daemon.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>

namespace arxiv_digest {

bool interruptible_sleep(Env& env, std::chrono::milliseconds duration,
                         std::chrono::milliseconds slice, const std::stop_token& stop) {
  while (duration > std::chrono::milliseconds{0}) {
    if (stop.stop_requested()) return false;
    const auto step = std::min(duration, slice);
    env.sleep_for(step);
    duration -= step;
  }
  return !stop.stop_requested();
}

int run_daemon(Env& env, const AnnouncementCalendar& calendar, DaemonOptions options,
               DaemonHooks& hooks, std::stop_token stop, std::atomic<bool>* reload) {
  int handled = 0;
  std::optional<Date> last;
  while (!stop.stop_requested()) {
    const ScheduledRun next = next_run(calendar, options.source, options.schedule, env.now(), last);
    hooks.note(fmt::format("next run: listing {} at {:%Y-%m-%d %H:%M:%S} UTC",
                           format_date(next.listing_date), next.at));
    // Wait for it, waking up for stop and reload requests.
    bool rescheduled = false;
    while (env.now() < next.at) {
      if (stop.stop_requested()) return handled;
      if (reload && reload->exchange(false)) {
        if (auto schedule = hooks.reload()) {
          options.schedule = *schedule;
          rescheduled = true;
          break;
        }
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next.at - env.now());
      env.sleep_for(std::min(left, options.wake_every));
    }
    if (rescheduled) continue;
    if (stop.stop_requested()) return handled;

    const auto deadline = next.at + options.retry_until;
    const DayAttempt result = retry_until_deadline(
        env, options, deadline, stop, [&] { return hooks.run_day(next.listing_date); }, &hooks);
    if (result.outcome != DayAttempt::Outcome::kDone) {
      if (stop.stop_requested() && result.outcome == DayAttempt::Outcome::kRetry) return handled;
      hooks.report_failure(next.listing_date, result.message);
    }
    last = next.listing_date;
    ++handled;
    if (options.max_days > 0 && handled >= options.max_days) return handled;
  }
  return handled;
}

}  // namespace arxiv_digest
