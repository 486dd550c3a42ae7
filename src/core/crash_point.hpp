// Crash points: a TEST SEAM for the crash-consistency test (tests/cli/crash_consistency_test.cpp),
// which kills `arxiv-digest run` with SIGKILL at chosen places of every stage and checks that the
// next run finishes the day with nothing lost, half written, paid or delivered twice.
//
// The library marks places with crash_point(stage); each call counts one passage of `stage`.
// Disarmed (always, unless a caller arms it) a passage costs one relaxed atomic load. Armed with
// (stage, n), the n-th passage of that stage raises SIGKILL in the calling thread's process: no
// destructor, atexit handler or buffered write runs, as when the machine loses power between two
// system calls (minus the page cache, which a kill keeps).
//
// Only the cli arms it, from the environment variable ARXIV_DIGEST_CRASH_AT (src/cli/main.cpp);
// the library never reads the environment for it. The stages and where they are marked:
//   fetch      before and after each request of the announcement (DailyRun)
//   archive    each listing entry written inside the archive's save transaction (SqliteArchive)
//   translate  each answer accepted from the backend, before and after its cache row (engine)
//   render     before each format is rendered (DailyRun)
//   publish    after each file is staged and after each rename (FileSink)
//   deliver    before each channel sends and between its send and the delivery log's row
// Thread-safe: passages from worker threads (translation) are counted atomically.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace arxiv_digest {

inline constexpr std::array<std::string_view, 6> kCrashStages = {
    "fetch", "archive", "translate", "render", "publish", "deliver"};

// Arms the seam: the `n`-th (1-based) passage of `stage` kills the process. Throws ConfigError
// for a stage not in kCrashStages or n == 0. At most one arming per process (a later one
// replaces it).
void arm_crash_point(std::string_view stage, std::uint64_t n);

// Counts passages without killing (the test's reference run learns how many each stage has).
void count_crash_points();

// One passage of `stage` (one of kCrashStages). See the file comment.
void crash_point(std::string_view stage) noexcept;

// Passages of `stage` so far, when armed or counting; 0 otherwise.
std::uint64_t crash_point_passages(std::string_view stage) noexcept;

// Parses "<stage>:<n>" (arm) or "count". Throws ConfigError naming `source` and what is wrong.
void arm_crash_point_from_spec(std::string_view spec, std::string_view source);

}  // namespace arxiv_digest
