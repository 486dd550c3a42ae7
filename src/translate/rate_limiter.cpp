#include "translate/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <thread>

namespace arxiv_digest {

TokenBucket::TokenBucket(double per_minute, double burst, SteadyClockNow now, SleepFunction sleep)
    : rate_per_ms_(per_minute > 0 ? per_minute / 60'000.0 : 0),
      capacity_(burst > 0 ? burst : std::max(1.0, per_minute / 12.0)),
      available_(capacity_),
      now_(now ? std::move(now) : SteadyClockNow([] { return std::chrono::steady_clock::now(); })),
      sleep_(sleep ? std::move(sleep) : SleepFunction([](std::chrono::milliseconds d) {
        std::this_thread::sleep_for(d);
      })) {
  last_ = now_();
}

void TokenBucket::refill(std::chrono::steady_clock::time_point now) {
  if (now <= last_) return;
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::duration<double, std::milli>>(now - last_).count();
  available_ = std::min(capacity_, available_ + elapsed * rate_per_ms_);
  last_ = now;
}

std::chrono::milliseconds TokenBucket::reserve(double units) {
  const std::lock_guard lock(mutex_);
  refill(now_());
  units = std::min(units, capacity_);
  // Debt accounting: take the units now (possibly going negative) and wait off the debt, so
  // concurrent callers queue up fairly instead of all waking at once.
  available_ -= units;
  if (available_ >= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(-available_ / rate_per_ms_)));
}

void TokenBucket::acquire(double units) {
  if (rate_per_ms_ <= 0) return;
  const auto wait = reserve(units);
  if (wait.count() > 0) sleep_(wait);
}

std::chrono::milliseconds TokenBucket::wait_time(double units) {
  if (rate_per_ms_ <= 0) return std::chrono::milliseconds(0);
  const std::lock_guard lock(mutex_);
  refill(now_());
  const double missing = std::min(units, capacity_) - available_;
  if (missing <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(missing / rate_per_ms_)));
}

}  // namespace arxiv_digest
