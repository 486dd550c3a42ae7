// The arXiv category taxonomy: code -> current human name, generated at build time from
// data/arxiv_category_def.json (arXiv/arxiv-base's category definitions).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace arxiv_digest {

struct CategoryInfo {
  std::string_view code;  // "cs.LG"
  std::string_view name;  // "Machine Learning"
  bool active;            // false for retired categories (e.g. "acc-phys")
};

// Every category arXiv defines, sorted by code.
std::span<const CategoryInfo> all_categories() noexcept;
// Exact (case-sensitive) lookup.
std::optional<CategoryInfo> find_category(std::string_view code) noexcept;
// "Machine Learning (cs.LG)"; just the code when unknown.
std::string subject_label(std::string_view code);
// Closest known code by edit distance (for "did you mean" messages); empty when nothing is close.
std::string suggest_category(std::string_view code);

}  // namespace arxiv_digest
