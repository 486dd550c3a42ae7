// FullTextQuery: a backend-neutral description of which papers may match a query, for the
// archive's full-text index (Archive::scan_papers). It only ever PREFILTERS: a backend returns
// every paper the query could match (a superset), and the caller verifies each candidate with
// the real matcher. So a leaf may be looser than what it stands for (a phrase becomes the AND of
// its words, a word the OR of its plural forms), but never stricter.
//
// Words are lower-case and already folded the way the backend folds text (ASCII letters and
// digits are always safe); a leaf with `prefix` matches any indexed word starting with a form.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace arxiv_digest {

struct FullTextQuery {
  enum class Kind {
    kWord,  // a word of `field`: one of `forms` (or, with `prefix`, any word starting with one)
    kAnd,   // every child
    kOr,    // at least one child
  };
  enum class Field { kTitleAbstract, kTitle, kAbstract, kAuthors, kCategories, kComments };
  Kind kind = Kind::kWord;
  Field field = Field::kTitleAbstract;
  std::vector<std::string> forms;
  bool prefix = false;
  std::vector<FullTextQuery> children;
};

// What Archive::scan_papers() returns: papers (the latest stored version of each), newest first
// by arXiv id: by the id's year and month, then its number (old-style ids of one month and number
// in different archives in a fixed order of the backend's choosing). Streamed: a backend must
// not collect and sort every candidate before the first (searches stop after a few hits).
struct PaperScan {
  // nullopt: every paper. Otherwise only papers the index says may match.
  std::optional<FullTextQuery> text;
  // When not empty: only papers one of whose stored translations (title or abstract, into
  // `translation_language`, or any language when that is empty) contains every one of these
  // strings (exact substrings; ASCII case-insensitive). Exact, not a prefilter.
  std::vector<std::string> translation_substrings;
  std::string translation_language;
  // When set: only papers whose id is from this date's year and month or earlier (the day is
  // ignored). A search's `until` bound can use it: an id's month is never after its paper's
  // first version's month + 1.
  std::optional<std::chrono::year_month_day> id_month_at_most;
  // When set: the scan stops (PaperCursor::interrupted()) once this time has passed, even in the
  // middle of one statement.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

}  // namespace arxiv_digest
