#include "translate/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace arxiv_digest {

TokenBucket::TokenBucket(double per_minute, double burst, Env* env)
    : rate_per_ms_(per_minute > 0 ? per_minute / 60'000.0 : 0),
      capacity_(burst > 0 ? burst : std::max(1.0, per_minute / 12.0)),
      available_(capacity_),
      env_(env != nullptr ? *env : Env::system()) {
  last_ = env_.steady_now();
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
  refill(env_.steady_now());
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
  if (wait.count() > 0) env_.sleep_for(wait);
}

std::chrono::milliseconds TokenBucket::wait_time(double units) {
  if (rate_per_ms_ <= 0) return std::chrono::milliseconds(0);
  const std::lock_guard lock(mutex_);
  refill(env_.steady_now());
  const double missing = std::min(units, capacity_) - available_;
  if (missing <= 0) return std::chrono::milliseconds(0);
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(missing / rate_per_ms_)));
}

}  // namespace arxiv_digest
