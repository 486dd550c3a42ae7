// Runs a program (the real arxiv-digest binary) and captures what it did.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace arxiv_digest::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Runs `program` with `args`, the current environment plus `env` (a value of nullopt removes the
// variable), in `cwd` (when given). Blocks until it exits. Throws std::runtime_error if it cannot
// start. `on_started` (when given) gets the child's pid right after it is started, on the calling
// thread, e.g. to let another thread kill it mid-run (tests of crash recovery).
ProcessResult run_process(const std::filesystem::path& program, const std::vector<std::string>& args,
                          const std::map<std::string, std::optional<std::string>>& env = {},
                          const std::optional<std::filesystem::path>& cwd = std::nullopt,
                          const std::function<void(int pid)>& on_started = {});

}  // namespace arxiv_digest::testing
