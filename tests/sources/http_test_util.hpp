// Shared pieces of the HttpClient tests (http_*_test.cpp).
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "sources/curl_http_client.hpp"
#include "sources/polite_http_client.hpp"

namespace arxiv_digest::testing {

inline constexpr const char* kTestUserAgent =
    "arxiv-digest-test/0.1 (+https://example.invalid/arxiv-digest; mailto:tests@example.invalid)";

inline CurlHttpClientOptions test_curl_options() {
  CurlHttpClientOptions options;
  options.user_agent = kTestUserAgent;
  return options;
}

// Fake time: sleep_for records the request and advances the fake steady clock by it.
class FakeTime final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds duration) override {
    const std::lock_guard lock(mutex_);
    sleeps_.push_back(duration);
    now_ += duration;
  }
  SteadyNow steady_now() {
    return [this] {
      const std::lock_guard lock(mutex_);
      return now_;
    };
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    const std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::steady_clock::time_point now_{std::chrono::hours{1000}};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace arxiv_digest::testing
