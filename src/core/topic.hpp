// Topic and Digest: what the user asked for and what a run selected.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/paper.hpp"

namespace arxiv_digest {

// How a topic orders its papers: arXiv id (the reference layout) or BM25 relevance.
enum class TopicSort { kId, kRelevance };

// One `[[topics]]` entry of the config.
struct Topic {
  std::string name;   // shown as "Keyword: <name>"
  std::string query;  // what is matched; defaults to `name` as a phrase
  TopicSort sort = TopicSort::kId;
};

// The papers one topic selected, as indices into Digest::papers, in the topic's order (arXiv id,
// or relevance with `sort = "relevance"`).
struct TopicResult {
  Topic topic;
  std::vector<std::size_t> papers;
};

// A paper's title and abstract in the reader's language. Empty optional = not translated (the
// digest leaves those lines out). Per field: the translation, or (when it failed after every
// retry) a non-empty *_failure with the reason, which the renderers show as a visible marker next
// to the English text; both empty = that field was not asked for.
struct PaperTranslation {
  std::string title;
  std::string abstract;
  std::string title_failure;
  std::string abstract_failure;
};

// The marker the renderers show for a failed field: "[翻译失败 translation failed: <reason>]".
inline std::string translation_failure_marker(std::string_view reason) {
  return "[翻译失败 translation failed: " + std::string(reason) + "]";
}

// Everything a renderer needs for one digest. Built by the cli; immutable afterwards.
struct Digest {
  Date listing_date{};
  std::chrono::sys_seconds generated_at{};
  std::chrono::sys_seconds announced_at{};
  std::string time_zone = "Asia/Shanghai";  // the reader's zone for the header
  std::vector<std::string> categories;      // configured categories
  SourceKind source = SourceKind::kRss;
  std::size_t announced_count = 0;          // papers in the announcement (all, before matching)
  std::vector<Paper> papers;                // distinct selected papers, id order
  // Parallel to `papers` (same size, or empty when the run translates nothing).
  std::vector<std::optional<PaperTranslation>> translations;
  std::vector<TopicResult> topics;          // config order
};

}  // namespace arxiv_digest
