#include "core/taxonomy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/builtin_data.hpp"
#include "core/text.hpp"

namespace arxiv_digest {
namespace {

// Suggestions further than this from the input are not offered.
constexpr std::size_t kMaxSuggestionDistance = 2;

}  // namespace

std::span<const CategoryInfo> all_categories() noexcept { return detail::category_table(); }

std::optional<CategoryInfo> find_category(std::string_view code) noexcept {
  const auto table = all_categories();
  const auto it = std::ranges::lower_bound(table, code, {}, &CategoryInfo::code);
  if (it == table.end() || it->code != code) return std::nullopt;
  return *it;
}

std::string subject_label(std::string_view code) {
  if (const auto info = find_category(code)) return fmt::format("{} ({})", info->name, info->code);
  return std::string(code);
}

std::string suggest_category(std::string_view code) {
  // Keep the closest codes; an ambiguous tie is broken in favour of active categories, and when
  // that still leaves several, nothing is suggested rather than an arbitrary pick.
  std::size_t best = kMaxSuggestionDistance + 1;
  std::vector<CategoryInfo> closest;
  for (const CategoryInfo& info : all_categories()) {
    const std::size_t distance = edit_distance(code, info.code);
    if (distance < best) {
      best = distance;
      closest.clear();
    }
    if (distance == best) closest.push_back(info);
  }
  // A distance as large as the input itself means nothing of the input was kept ("x" -> "cs").
  if (closest.empty() || best >= code.size()) return {};
  if (closest.size() > 1) {
    std::erase_if(closest, [](const CategoryInfo& info) { return !info.active; });
  }
  if (closest.size() != 1) return {};
  return std::string(closest.front().code);
}

}  // namespace arxiv_digest
