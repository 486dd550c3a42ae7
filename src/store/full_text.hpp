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
// (arXiv id descending: new-style ids sort by month and number, old-style ones after them).
struct PaperScan {
  // nullopt: every paper. Otherwise only papers the index says may match.
  std::optional<FullTextQuery> text;
  // When not empty: only papers one of whose stored translations (title or abstract, into
  // `translation_language`, or any language when that is empty) contains every one of these
  // strings (exact substrings; ASCII case-insensitive). Exact, not a prefilter.
  std::vector<std::string> translation_substrings;
  std::string translation_language;
  // When set: the scan stops (PaperCursor::interrupted()) once this time has passed, even in the
  // middle of one statement (sorting a large candidate set).
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

}  // namespace arxiv_digest
