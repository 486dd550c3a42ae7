#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/app.hpp"
#include "core/crash_point.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
  // Test seam (core/crash_point.hpp): the crash-consistency test kills the run at a chosen place
  // of a chosen stage; "count" prints how many places each stage passed. Unset: no effect.
  constexpr const char* kCrashVariable = "ARXIV_DIGEST_CRASH_AT";
  const char* crash = std::getenv(kCrashVariable);
  if (crash != nullptr && *crash != '\0') {
    try {
      arxiv_digest::arm_crash_point_from_spec(crash, kCrashVariable);
    } catch (const arxiv_digest::ConfigError& e) {
      std::cerr << "arxiv-digest: error: " << e.what() << '\n';
      return arxiv_digest::kExitConfig;
    }
  }
  const int code = arxiv_digest::run_app(argc, argv, std::cout, std::cerr);
  if (crash != nullptr && std::string(crash) == "count") {
    std::cerr << "arxiv-digest: crash points:";
    for (std::string_view stage : arxiv_digest::kCrashStages)
      std::cerr << ' ' << stage << '=' << arxiv_digest::crash_point_passages(stage);
    std::cerr << '\n';
  }
  return code;
}
