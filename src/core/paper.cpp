#include "core/paper.hpp"

#include <algorithm>

namespace arxiv_digest {

std::string_view to_string(AnnounceType type) noexcept {
  switch (type) {
    case AnnounceType::kNew: return "new";
    case AnnounceType::kCross: return "cross";
    case AnnounceType::kReplace: return "replace";
    case AnnounceType::kReplaceCross: return "replace-cross";
  }
  return "new";
}

std::optional<AnnounceType> announce_type_from_string(std::string_view text) noexcept {
  if (text == "new") return AnnounceType::kNew;
  if (text == "cross") return AnnounceType::kCross;
  if (text == "replace") return AnnounceType::kReplace;
  if (text == "replace-cross") return AnnounceType::kReplaceCross;
  return std::nullopt;
}

void Paper::add_category(std::string_view category) {
  if (category.empty()) return;
  if (std::find(categories.begin(), categories.end(), category) == categories.end())
    categories.emplace_back(category);
  if (primary_category.empty()) primary_category = std::string(category);
}

std::string_view to_string(SourceKind kind) noexcept {
  for (const auto& [k, name] : kSourceKinds)
    if (k == kind) return name;
  return "rss";
}

std::optional<SourceKind> source_kind_from_string(std::string_view text) noexcept {
  for (const auto& [kind, name] : kSourceKinds)
    if (name == text) return kind;
  return std::nullopt;
}

}  // namespace arxiv_digest
