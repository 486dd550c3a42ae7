#include "core/crash_point.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <charconv>

#include "core/error.hpp"

namespace arxiv_digest {
namespace {

// Globals on purpose: the seam must reach code that has no run context (the archive's
// transaction, the translation engine's workers) without widening any interface for a test.
std::atomic<bool> active{false};
std::atomic<std::size_t> armed_stage{kCrashStages.size()};  // size() = count only
std::atomic<std::uint64_t> armed_n{0};
std::array<std::atomic<std::uint64_t>, kCrashStages.size()> passages{};

std::optional<std::size_t> stage_index(std::string_view stage) {
  const auto it = std::find(kCrashStages.begin(), kCrashStages.end(), stage);
  if (it == kCrashStages.end()) return std::nullopt;
  return static_cast<std::size_t>(it - kCrashStages.begin());
}

}  // namespace

void arm_crash_point(std::string_view stage, std::uint64_t n) {
  const auto index = stage_index(stage);
  if (!index) throw ConfigError(fmt::format("crash point: unknown stage '{}'", stage));
  if (n == 0) throw ConfigError("crash point: passages are counted from 1");
  armed_stage.store(*index);
  armed_n.store(n);
  active.store(true);
}

void count_crash_points() {
  armed_stage.store(kCrashStages.size());
  active.store(true);
}

void crash_point(std::string_view stage) noexcept {
  if (!active.load(std::memory_order_relaxed)) return;
  const auto index = stage_index(stage);
  if (!index) return;
  const std::uint64_t passage = passages[*index].fetch_add(1) + 1;
  if (*index == armed_stage.load() && passage == armed_n.load()) ::raise(SIGKILL);
}

std::uint64_t crash_point_passages(std::string_view stage) noexcept {
  const auto index = stage_index(stage);
  return index ? passages[*index].load() : 0;
}

void arm_crash_point_from_spec(std::string_view spec, std::string_view source) {
  if (spec == "count") {
    count_crash_points();
    return;
  }
  const auto colon = spec.find(':');
  std::uint64_t n = 0;
  const std::string_view number = colon == std::string_view::npos ? "" : spec.substr(colon + 1);
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), n);
  if (colon == std::string_view::npos || ec != std::errc() || end != number.data() + number.size())
    throw ConfigError(
        fmt::format("{}='{}': expected <stage>:<n> (stage: fetch, archive, translate, render, "
                    "publish, deliver) or count",
                    source, spec));
  try {
    arm_crash_point(spec.substr(0, colon), n);
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("{}='{}': {}", source, spec, e.what()));
  }
}

}  // namespace arxiv_digest
