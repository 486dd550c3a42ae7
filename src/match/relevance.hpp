// Relevance ranking of the papers a topic selected: Okapi BM25 over title + abstract.
// Pure functions, thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "core/paper.hpp"

namespace arxiv_digest {

struct RelevanceOptions {
  double k1 = 1.2;            // term-frequency saturation
  double b = 0.75;            // length normalisation
  double title_weight = 3.0;  // a title word counts as this many abstract words
};

// BM25 score of each paper (parallel to `papers`) for the positive words of `query` (words under
// NOT, and au:/cat:/id: terms, do not score; phrases score word by word). Words compare as the
// query language compares them (folded; plurals, `=` exact, `*` prefix; `~` stems score as
// plurals). Document frequencies come from `papers` themselves (the day). Throws ConfigError for
// a malformed query.
std::vector<double> bm25_scores(std::string_view query, const std::vector<const Paper*>& papers,
                                const RelevanceOptions& options = {});

}  // namespace arxiv_digest
