// TokenBucket: at most `per_minute` units per minute, refilled continuously, bursting up to
// `burst` (default: per_minute / 60 * 5 s worth, at least 1). Used for requests/min and
// tokens/min. Thread-safe; acquire() blocks the calling thread through the Env (fake in tests).
#pragma once

#include <chrono>
#include <mutex>

#include "core/env.hpp"

namespace arxiv_digest {

class TokenBucket {
 public:
  // per_minute <= 0 disables the limit (acquire returns at once).
  // `env` (default Env::system()) must outlive the bucket.
  TokenBucket(double per_minute, double burst = 0, Env* env = nullptr);

  // Takes `units` (a request = 1, or an estimate of tokens), waiting until they are available.
  // A request larger than the burst waits until the bucket is full and then takes it all.
  void acquire(double units = 1);
  // How long acquire(units) would wait now (without taking anything).
  std::chrono::milliseconds wait_time(double units = 1);

 private:
  std::chrono::milliseconds reserve(double units);  // takes units, returns the wait owed
  void refill(std::chrono::steady_clock::time_point now);

  double rate_per_ms_;
  double capacity_;
  double available_;
  std::chrono::steady_clock::time_point last_;
  Env& env_;
  std::mutex mutex_;
};

}  // namespace arxiv_digest
