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

// How a topic orders its papers: arXiv id (the reference layout) or relevance (BM25 for a query
// topic, similarity for a topic by example).
enum class TopicSort { kId, kRelevance };

// One `[[topics]]` entry of the config. A topic selects by its query, or *by example*: when
// `example_ids` or `examples_file` is set, the day's papers are scored by tf-idf similarity to
// the example papers and the best are kept (`min_score`, `top_k`); a query configured besides
// examples then filters before scoring.
struct Topic {
  std::string name;   // shown as "Keyword: <name>"
  std::string query;  // what is matched; defaults to `name` as a phrase
  TopicSort sort = TopicSort::kId;
  std::vector<std::string> example_ids;  // arXiv ids of papers the user cares about
  std::string examples_file;             // BibTeX / RIS / CSL-JSON export (absolute path)
  std::optional<std::size_t> top_k;      // keep at most this many papers (by example)
  std::optional<double> min_score;       // keep papers scoring at least this (by example)

  bool by_example() const noexcept { return !example_ids.empty() || !examples_file.empty(); }
};

// Which field a match span is in.
enum class MatchField { kTitle, kAbstract, kComments, kAuthors, kCategories, kId };
// "title", "abstract", "comments", "authors", "categories", "id".
std::string_view to_string(MatchField field) noexcept;

// Where a query term was found in a paper.
struct MatchSpan {
  MatchField field = MatchField::kTitle;
  std::size_t begin = 0;  // byte offset in Paper::title / abstract / comments / authors[item] /
                          // categories[item] / id.str()
  std::size_t end = 0;    // one past the last byte
  std::size_t item = 0;   // index in Paper::authors or Paper::categories; 0 otherwise
  std::size_t term = 0;   // which term of the query matched (0-based, in query order)
};

// The text `span` covers in `paper` (empty when the span is out of range, e.g. for another paper).
std::string span_text(const Paper& paper, const MatchSpan& span);

// Why a topic selected a paper: the query terms found (and where), and/or a score (BM25 with
// `sort = "relevance"`, similarity for a topic by example, then with the most similar example).
struct MatchReason {
  std::vector<std::string> terms;  // distinct terms found, as written in the query, query order
  std::vector<MatchSpan> spans;    // every place they were found; MatchSpan::term indexes `terms`
  std::optional<double> score;
  std::string nearest_example;     // title of the most similar example (by example only)
};

// The papers one topic selected, as indices into Digest::papers, in the topic's order (arXiv id,
// or relevance with `sort = "relevance"`), with why each was selected.
struct TopicResult {
  Topic topic;
  std::vector<std::size_t> papers;
  std::vector<MatchReason> reasons;  // parallel to `papers`, or empty (no reasons known)
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
