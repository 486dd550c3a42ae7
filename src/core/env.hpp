// Env: the one time seam (leveldb's Env idea). Every stage that reads the time or waits does it
// through an Env, so tests can run a whole day, retries and rate limits included, on fake time.
//
//   now()        wall-clock instant (UTC, whole seconds): listing dates, "generated at",
//                Retry-After HTTP-dates, first_seen_at.
//   steady_now() monotonic instant: request spacing, rate buckets, ETAs.
//   sleep_for()  waits; a fake advances its clocks instead.
//
// Thread-safety: every implementation here may be used from several threads at once.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

namespace arxiv_digest {

class Env {
 public:
  virtual ~Env() = default;
  virtual std::chrono::sys_seconds now() const = 0;
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;
  virtual void sleep_for(std::chrono::milliseconds duration) = 0;

  // The machine's clocks and std::this_thread::sleep_for; a process-wide instance.
  static Env& system();
};

// The machine's clocks, optionally with the wall clock pinned to one instant (SOURCE_DATE_EPOCH:
// reproducible output) while waits and spacing stay real.
class SystemEnv final : public Env {
 public:
  explicit SystemEnv(std::optional<std::chrono::sys_seconds> fixed_now = std::nullopt)
      : fixed_now_(fixed_now) {}
  std::chrono::sys_seconds now() const override;
  std::chrono::steady_clock::time_point steady_now() const override;
  void sleep_for(std::chrono::milliseconds duration) override;

 private:
  std::optional<std::chrono::sys_seconds> fixed_now_;
};

// Fake time for tests: sleep_for records the wait and advances both clocks by it; advance()
// moves time on without a sleep. Starts at `start` (wall) and an arbitrary steady epoch.
class FakeEnv final : public Env {
 public:
  explicit FakeEnv(std::chrono::sys_seconds start = std::chrono::sys_seconds{}) : wall_(start) {}
  std::chrono::sys_seconds now() const override;
  std::chrono::steady_clock::time_point steady_now() const override;
  void sleep_for(std::chrono::milliseconds duration) override;

  void advance(std::chrono::milliseconds duration);
  void set_now(std::chrono::sys_seconds at);
  // Every sleep_for duration, in call order.
  std::vector<std::chrono::milliseconds> sleeps() const;
  std::chrono::milliseconds slept() const;  // their sum

 private:
  mutable std::mutex mutex_;
  std::chrono::sys_seconds wall_;
  std::chrono::milliseconds wall_fraction_{0};  // sub-second part not yet in wall_
  std::chrono::steady_clock::time_point steady_{std::chrono::hours{1000}};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace arxiv_digest
