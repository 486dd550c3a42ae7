// Topic helpers (see topic.hpp).
#include "core/topic.hpp"

namespace arxiv_digest {

std::string_view to_string(MatchField field) noexcept {
  switch (field) {
    case MatchField::kTitle:
      return "title";
    case MatchField::kAbstract:
      return "abstract";
    case MatchField::kComments:
      return "comments";
    case MatchField::kAuthors:
      return "authors";
    case MatchField::kCategories:
      return "categories";
    case MatchField::kId:
      return "id";
  }
  return "unknown";
}

std::string span_text(const Paper& paper, const MatchSpan& span) {
  std::string field_text;
  switch (span.field) {
    case MatchField::kTitle:
      field_text = paper.title;
      break;
    case MatchField::kAbstract:
      field_text = paper.abstract;
      break;
    case MatchField::kComments:
      field_text = paper.comments;
      break;
    case MatchField::kAuthors:
      if (span.item < paper.authors.size()) field_text = paper.authors[span.item];
      break;
    case MatchField::kCategories:
      if (span.item < paper.categories.size()) field_text = paper.categories[span.item];
      break;
    case MatchField::kId:
      field_text = paper.id.str();
      break;
  }
  if (span.begin > span.end || span.end > field_text.size()) return {};
  return field_text.substr(span.begin, span.end - span.begin);
}

}  // namespace arxiv_digest
