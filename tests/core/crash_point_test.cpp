// The crash-point test seam (core/crash_point.hpp): the spec the cli reads from
// ARXIV_DIGEST_CRASH_AT, and counting. The kill itself is exercised end to end by
// tests/cli/crash_consistency_test.cpp (it would kill this test).
#include "core/crash_point.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace arxiv_digest {
namespace {

std::string error_of(std::string_view spec) {
  try {
    arm_crash_point_from_spec(spec, "ARXIV_DIGEST_CRASH_AT");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CrashPoint, ABadSpecIsAConfigErrorNamingTheVariableAndTheStages) {
  for (std::string_view spec : {"translate", "translate:", "translate:x", "translate:0",
                                "translate:-1", "compile:3", "count:1"}) {
    const std::string message = error_of(spec);
    EXPECT_NE(message.find("ARXIV_DIGEST_CRASH_AT='" + std::string(spec) + "'"),
              std::string::npos)
        << spec << ": " << message;
  }
  EXPECT_NE(error_of("compile:3").find("unknown stage 'compile'"), std::string::npos);
  EXPECT_NE(error_of("deliver").find("fetch, archive, translate, render, publish, deliver"),
            std::string::npos);
}

TEST(CrashPoint, CountingCountsEveryStageApartAndNeverKills) {
  const std::uint64_t before = crash_point_passages("render");
  arm_crash_point_from_spec("count", "ARXIV_DIGEST_CRASH_AT");
  crash_point("render");
  crash_point("render");
  crash_point("publish");
  crash_point("no such stage");  // ignored
  EXPECT_EQ(crash_point_passages("render"), before + 2);
  EXPECT_GE(crash_point_passages("publish"), 1u);
  EXPECT_EQ(crash_point_passages("no such stage"), 0u);
  // Armed far ahead: passages are counted, the process lives.
  arm_crash_point("render", 1'000'000);
  crash_point("render");
  EXPECT_EQ(crash_point_passages("render"), before + 3);
  count_crash_points();
}

}  // namespace
}  // namespace arxiv_digest
