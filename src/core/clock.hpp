// Clock: the seam through which every stage reads the current time, so tests can fix it.
#pragma once

#include <chrono>

namespace arxiv_digest {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current instant (UTC, whole seconds). Thread-safe in every implementation.
  virtual std::chrono::sys_seconds now() const = 0;
};

// The machine's clock.
class SystemClock final : public Clock {
 public:
  std::chrono::sys_seconds now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

// Always returns the instant it was given (tests, SOURCE_DATE_EPOCH).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::sys_seconds at) : at_(at) {}
  std::chrono::sys_seconds now() const override { return at_; }

 private:
  std::chrono::sys_seconds at_;
};

}  // namespace arxiv_digest
