#include "core/taxonomy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/builtin_data.hpp"

namespace arxiv_digest {
namespace {

// Suggestions further than this from the input are not offered.
constexpr std::size_t kMaxSuggestionDistance = 2;

char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Levenshtein distance, ASCII case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute =
          diagonal + (ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1);
      diagonal = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
    }
  }
  return row[b.size()];
}

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
