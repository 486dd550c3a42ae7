// Archive search (issue 11): the topic query language (match/query_parser.hpp) over every paper
// in the archive, plus date ranges, categories, and Chinese (any CJK) text in stored
// translations.
//
// How: the parsed query becomes a FullTextQuery (store/full_text.hpp) that the archive's
// full-text index answers as a PREFILTER (a superset of the matches: phrases loosen to the AND
// of their words, words to the OR of their plural forms, NOT and id: terms to "anything"); every
// candidate is then verified by the same QuerySet `arxiv-digest match` uses, so a paper is a hit
// exactly when `match` would print it. Candidates stream newest first (by arXiv id) and
// the search stops once offset + limit + 1 hits are verified.
//
// A query whose text contains CJK characters and no ASCII letter or digit is a translation
// search: each space-separated piece must occur (as an exact substring) in one stored
// translation of the paper's title or abstract (into `language`, or any language when empty).
// CJK text mixed with query-language terms is rejected (ConfigError).
//
// Bounds: every search stops after `time_budget` or `max_candidates` candidates, whichever comes
// first, and then says so (`truncated`); the hits found so far are returned. Callers exposing
// search publicly (the web UI) should keep both small.
//
// Thread-safety: none beyond the archive's (one archive per thread).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/paper.hpp"
#include "core/topic.hpp"
#include "store/archive.hpp"

namespace arxiv_digest {

struct SearchRequest {
  std::string query;                 // the topic query language, or CJK text (see above)
  std::optional<Date> since, until;  // inclusive, on the paper's date (see paper_date())
  // Any of these (like `cat:`: "cs" is every cs.* category, "cs.LG" exactly, "cs.*" a prefix).
  std::vector<std::string> categories;
  std::size_t limit = 20;
  std::size_t offset = 0;
  // Translations attached to hits (and searched by a CJK query) are into this language,
  // e.g. "zh-CN". Empty: none attached; a CJK query then searches every language.
  std::string language;
  std::chrono::milliseconds time_budget{2000};
  std::size_t max_candidates = 500000;
};

struct SearchHit {
  Paper paper;
  MatchReason reason;  // the query's terms found and their spans (empty for a CJK search)
  std::optional<std::string> title_translation, abstract_translation;
};

struct SearchResults {
  std::vector<SearchHit> hits;  // at most `limit`, after skipping `offset` hits
  // Hits verified while searching (>= offset + hits.size()); a lower bound when `more`.
  std::size_t total_estimate = 0;
  bool more = false;       // at least one more hit follows these
  bool truncated = false;  // stopped by the time budget or max_candidates, not by the end
  std::size_t candidates = 0;  // papers the index returned and the matcher examined
  std::chrono::microseconds elapsed{0};
};

// Runs `request` on `archive`. Throws ConfigError for a malformed query (the message quotes it
// and points at the column), StoreError when the archive fails.
SearchResults search(Archive& archive, const SearchRequest& request);

// The date a search's since/until compare: the paper's submission (v1) date when known, else
// its version's date, else the first day of the month its arXiv id encodes.
Date paper_date(const Paper& paper);

// Whether `category` is one of `patterns` (cat: semantics, see SearchRequest::categories).
bool category_in(const std::vector<std::string>& patterns, const std::string& category);

}  // namespace arxiv_digest
