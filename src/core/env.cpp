#include "core/env.hpp"

#include <numeric>
#include <thread>

namespace arxiv_digest {

Env& Env::system() {
  static SystemEnv env;
  return env;
}

std::chrono::sys_seconds SystemEnv::now() const {
  if (fixed_now_) return *fixed_now_;
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::chrono::steady_clock::time_point SystemEnv::steady_now() const {
  return std::chrono::steady_clock::now();
}

void SystemEnv::sleep_for(std::chrono::milliseconds duration) {
  if (duration > std::chrono::milliseconds::zero()) std::this_thread::sleep_for(duration);
}

std::chrono::sys_seconds FakeEnv::now() const {
  const std::lock_guard lock(mutex_);
  return wall_;
}

std::chrono::steady_clock::time_point FakeEnv::steady_now() const {
  const std::lock_guard lock(mutex_);
  return steady_;
}

void FakeEnv::sleep_for(std::chrono::milliseconds duration) {
  {
    const std::lock_guard lock(mutex_);
    sleeps_.push_back(duration);
  }
  advance(duration);
}

void FakeEnv::advance(std::chrono::milliseconds duration) {
  if (duration <= std::chrono::milliseconds::zero()) return;
  const std::lock_guard lock(mutex_);
  steady_ += duration;
  wall_fraction_ += duration;
  const auto whole = std::chrono::floor<std::chrono::seconds>(wall_fraction_);
  wall_ += whole;
  wall_fraction_ -= whole;
}

void FakeEnv::set_now(std::chrono::sys_seconds at) {
  const std::lock_guard lock(mutex_);
  wall_ = at;
  wall_fraction_ = std::chrono::milliseconds{0};
}

std::vector<std::chrono::milliseconds> FakeEnv::sleeps() const {
  const std::lock_guard lock(mutex_);
  return sleeps_;
}

std::chrono::milliseconds FakeEnv::slept() const {
  const std::lock_guard lock(mutex_);
  return std::accumulate(sleeps_.begin(), sleeps_.end(), std::chrono::milliseconds{0});
}

}  // namespace arxiv_digest
