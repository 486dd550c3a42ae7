// Similarity of papers to example papers ("topics by example"): tf-idf vectors over title and
// abstract, compared by cosine. No model weights: works offline on any day.
//
// Features: the words of the title and abstract as the tokenizer folds them (NFKC, case, accents,
// TeX accents), English stop words and bare numbers dropped, each word reduced to its Snowball
// stem; unigrams and adjacent-word bigrams (not across punctuation). Title features count
// `title_weight` times. Weights: sublinear tf (1 + ln tf) times smoothed idf
// (ln((1 + N) / (1 + df)) + 1), where N and df come from the scored papers plus the examples, so
// words common that day weigh little; vectors are L2-normalised.
//
// A paper's score is its cosine with the centroid of the examples (in [0, 1]), which weighs what
// the examples share; `nearest` says which single example is closest. Measured on a real day
// (tests/match/similarity_test.cpp): five examples on one subject put 9 of that day's 10 best on
// it, and 25 of the best 30; raw cosines stay comparable from 1 to 5 examples (best papers about
// 0.12-0.17), which is why scores are not rescaled. A library mixing unrelated subjects blurs the
// centroid: give each subject its own topic.
// Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/paper.hpp"

namespace arxiv_digest {

// An example paper: what the user's reference library or an arXiv id resolved to.
struct ExampleText {
  std::string title;
  std::string abstract;  // may be empty (the title alone then describes it)
};

struct SimilarityOptions {
  double title_weight = 2.0;
  bool bigrams = true;
};

struct SimilarityScore {
  double score = 0.0;       // cosine with the examples' centroid, in [0, 1]; 0 without examples
  std::size_t nearest = 0;  // index in `examples` of the most similar one
};

// Scores every paper (parallel to `papers`) against `examples`.
std::vector<SimilarityScore> similarity_scores(const std::vector<ExampleText>& examples,
                                               const std::vector<const Paper*>& papers,
                                               const SimilarityOptions& options = {});

}  // namespace arxiv_digest
