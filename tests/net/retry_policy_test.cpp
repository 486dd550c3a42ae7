// RetryPolicy / Backoff / Retry-After parsing: the one retry rule of every HTTP client.
#include "net/retry_policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <set>

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;

struct RetryAfterCase {
  const char* value;
  std::optional<long> seconds;
};

TEST(ParseRetryAfterTest, AcceptsSecondsAndTheThreeHttpDateForms) {
  const std::chrono::sys_seconds now{std::chrono::sys_days{std::chrono::year{1994} / 11 / 6} +
                                     std::chrono::hours{8} + std::chrono::minutes{49}};
  const RetryAfterCase cases[] = {
      {"120", 120},
      {" 3 ", 3},
      {"0", 0},
      {"Sun, 06 Nov 1994 08:49:37 GMT", 37},   // IMF-fixdate
      {"Sunday, 06-Nov-94 08:50:00 GMT", 60},  // RFC 850
      {"Sun Nov  6 08:49:10 1994", 10},        // asctime
      {"Sun, 06 Nov 1994 08:00:00 GMT", 0},    // in the past
      {"", std::nullopt},
      {"-1", std::nullopt},
      {"1.5", std::nullopt},
      {"soon", std::nullopt},
      {"Sun, 31 Feb 1994 08:49:37 GMT", std::nullopt},
      {"Sun, 06 Nov 1994 25:49:37 GMT", std::nullopt},
  };
  for (const auto& c : cases) {
    const auto parsed = parse_retry_after(c.value, now);
    if (c.seconds) {
      ASSERT_TRUE(parsed.has_value()) << c.value;
      EXPECT_EQ(parsed->count(), *c.seconds) << c.value;
    } else {
      EXPECT_FALSE(parsed.has_value()) << c.value;
    }
  }
}

TEST(ParseRetryAfterTest, KeepsAnHttpDateAsAnInstantResolvedLater) {
  const auto parsed = parse_retry_after("Thu, 18 Jun 2026 20:00:07 GMT");
  ASSERT_TRUE(parsed.has_value());
  ASSERT_TRUE(parsed->until.has_value());
  const std::chrono::sys_seconds eight_pm{std::chrono::sys_days{std::chrono::year{2026} / 6 / 18} +
                                          std::chrono::hours{20}};
  EXPECT_EQ(parsed->wait(eight_pm), milliseconds{7'000});
  EXPECT_EQ(parsed->wait(eight_pm + std::chrono::seconds{5}), milliseconds{2'000});
  EXPECT_EQ(parsed->wait(eight_pm + std::chrono::seconds{60}), milliseconds{0});
}

TEST(ParseRetryAfterTest, FallsBackToRetryAfterMs) {
  // Some OpenAI-compatible gateways send only the non-standard retry-after-ms.
  const auto ms = parse_retry_after("", "1500");
  ASSERT_TRUE(ms.has_value());
  EXPECT_EQ(ms->wait({}), milliseconds{1'500});
  // The standard header wins when both are present.
  EXPECT_EQ(parse_retry_after("2", "1500")->wait({}), milliseconds{2'000});
  EXPECT_FALSE(parse_retry_after("", "soon").has_value());
  EXPECT_FALSE(parse_retry_after("", "").has_value());
}

TEST(BackoffTest, FullJitterStaysUnderTheDoublingCap) {
  RetryPolicy policy;
  policy.base_delay = milliseconds{1'000};
  policy.max_delay = milliseconds{5'000};
  policy.jitter_seed = 42;
  Backoff backoff(policy);
  for (int round = 0; round < 200; ++round) {
    EXPECT_LE(backoff.jitter(1), milliseconds{1'000});
    EXPECT_LE(backoff.jitter(2), milliseconds{2'000});
    EXPECT_LE(backoff.jitter(3), milliseconds{4'000});
    EXPECT_LE(backoff.jitter(30), milliseconds{5'000});  // capped, no overflow
  }
  // Jitter: not always the same value.
  std::set<milliseconds::rep> seen;
  for (int i = 0; i < 50; ++i) seen.insert(backoff.jitter(3).count());
  EXPECT_GT(seen.size(), 10u);
}

TEST(BackoffTest, AllowsMaxRetries) {
  RetryPolicy policy;
  policy.max_retries = 2;
  Backoff backoff(policy);
  EXPECT_TRUE(backoff.allows(1));
  EXPECT_TRUE(backoff.allows(2));
  EXPECT_FALSE(backoff.allows(3));
  policy.max_retries = -3;  // clamped to none
  EXPECT_FALSE(Backoff(policy).allows(1));
}

TEST(BackoffTest, WaitsWhatTheServerAskedUpToTheLimit) {
  RetryPolicy policy;
  policy.max_retry_after = milliseconds{60'000};
  Backoff backoff(policy);
  const std::chrono::sys_seconds now{std::chrono::sys_days{std::chrono::year{2026} / 6 / 18}};
  EXPECT_EQ(backoff.wait_before(1, parse_retry_after("30"), now), milliseconds{30'000});
  EXPECT_EQ(backoff.wait_before(1, parse_retry_after("Thu, 18 Jun 2026 00:00:45 GMT"), now),
            milliseconds{45'000});
  EXPECT_FALSE(backoff.wait_before(1, parse_retry_after("61"), now).has_value());
  EXPECT_FALSE(
      backoff.wait_before(1, parse_retry_after("Thu, 18 Jun 2026 01:00:00 GMT"), now).has_value());
  // No Retry-After: the jittered backoff.
  const auto jittered = backoff.wait_before(2, std::nullopt, now);
  ASSERT_TRUE(jittered.has_value());
  EXPECT_LE(*jittered, milliseconds{4'000});
}

}  // namespace
}  // namespace arxiv_digest
