// tf-idf cosine similarity to example papers (see similarity.hpp).
#include "match/similarity.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "match/stemmer.hpp"
#include "match/tokenizer.hpp"

namespace arxiv_digest {
namespace {

// Function words that say nothing about a paper's subject (folded forms). Subject-neutral
// academic words ("method", "results") are left to idf, which discounts them by the day's usage.
bool is_stop_word(std::string_view word) {
  static const std::unordered_set<std::string_view> kStopWords = {
      "a",       "about",  "above",   "after",   "again",   "against",   "all",   "also",
      "am",      "an",     "and",     "any",     "are",     "as",        "at",    "be",
      "because", "been",   "before",  "being",   "below",   "between",   "both",  "but",
      "by",      "can",    "could",   "did",     "do",      "does",      "doing", "down",
      "during",  "each",   "either",  "et",      "etc",     "few",       "for",   "from",
      "further", "had",    "has",     "have",    "having",  "he",        "her",   "here",
      "hers",    "him",    "his",     "how",     "however", "i",         "if",    "in",
      "into",    "is",     "it",      "its",     "itself",  "just",      "may",   "me",
      "might",   "more",   "most",    "much",    "must",    "my",        "no",    "nor",
      "not",     "now",    "of",      "off",     "on",      "once",      "one",   "only",
      "or",      "other",  "our",     "ours",    "out",     "over",      "own",   "same",
      "she",     "should", "so",      "some",    "such",    "than",      "that",  "the",
      "their",   "theirs", "them",    "then",    "there",   "therefore", "these", "they",
      "this",    "those",  "thus",    "to",      "too",     "under",     "until", "up",
      "upon",    "us",     "very",    "via",     "was",     "we",        "were",  "what",
      "when",    "where",  "whether", "which",   "while",   "who",       "whom",  "why",
      "will",    "with",   "within",  "without", "would",   "yet",       "you",   "your",
  };
  return kStopWords.count(word) != 0;
}

bool is_number(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Feature strings to dense ids, shared by every document of one scoring call.
class Vocabulary {
 public:
  std::uint32_t id(const std::string& feature) {
    auto [it, inserted] = ids_.try_emplace(feature, static_cast<std::uint32_t>(ids_.size()));
    return it->second;
  }
  std::size_t size() const noexcept { return ids_.size(); }

 private:
  std::unordered_map<std::string, std::uint32_t> ids_;
};

using SparseVector = std::vector<std::pair<std::uint32_t, double>>;  // sorted by feature id

class FeatureExtractor {
 public:
  FeatureExtractor(Vocabulary& vocabulary, const SimilarityOptions& options)
      : vocabulary_(vocabulary), options_(options) {}

  // Raw (weighted) term counts of one document.
  SparseVector counts(std::string_view title, std::string_view abstract) {
    counts_.clear();
    add(title, options_.title_weight);
    add(abstract, 1.0);
    SparseVector out(counts_.begin(), counts_.end());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  void add(std::string_view text, double weight) {
    tokenize(text, tokens_);
    std::string previous;  // stem of the previous kept word, empty after a break
    for (const Token& token : tokens_.tokens) {
      const std::string_view word = tokens_.word(token);
      if (!token.soft_gap) previous.clear();
      if (word.size() < 2 || is_stop_word(word) || is_number(word)) {
        previous.clear();
        continue;
      }
      std::string stem(stemmer_.stem(word));
      counts_[vocabulary_.id(stem)] += weight;
      if (options_.bigrams && !previous.empty())
        counts_[vocabulary_.id(previous + ' ' + stem)] += weight;
      previous = std::move(stem);
    }
  }

  Vocabulary& vocabulary_;
  const SimilarityOptions& options_;
  Stemmer stemmer_;
  TokenizedText tokens_;
  std::unordered_map<std::uint32_t, double> counts_;
};

// Counts -> sublinear tf * idf, L2-normalised.
void weigh(SparseVector& vector, const std::vector<double>& idf) {
  double norm = 0.0;
  for (auto& [feature, value] : vector) {
    value = (1.0 + std::log(value)) * idf[feature];
    norm += value * value;
  }
  if (norm <= 0.0) return;
  norm = std::sqrt(norm);
  for (auto& entry : vector) entry.second /= norm;
}

}  // namespace

std::vector<SimilarityScore> similarity_scores(const std::vector<ExampleText>& examples,
                                               const std::vector<const Paper*>& papers,
                                               const SimilarityOptions& options) {
  std::vector<SimilarityScore> scores(papers.size());
  if (examples.empty() || papers.empty()) return scores;

  Vocabulary vocabulary;
  FeatureExtractor extractor(vocabulary, options);
  std::vector<SparseVector> example_vectors;
  example_vectors.reserve(examples.size());
  for (const ExampleText& e : examples)
    example_vectors.push_back(extractor.counts(e.title, e.abstract));
  std::vector<SparseVector> paper_vectors;
  paper_vectors.reserve(papers.size());
  for (const Paper* p : papers) paper_vectors.push_back(extractor.counts(p->title, p->abstract));

  // Smoothed idf over every document seen (the day's papers and the examples).
  std::vector<std::uint32_t> df(vocabulary.size(), 0);
  for (const auto* documents : {&example_vectors, &paper_vectors})
    for (const SparseVector& v : *documents)
      for (const auto& entry : v) ++df[entry.first];
  const double n = static_cast<double>(example_vectors.size() + paper_vectors.size());
  std::vector<double> idf(vocabulary.size());
  for (std::size_t f = 0; f < idf.size(); ++f)
    idf[f] = std::log((1.0 + n) / (1.0 + static_cast<double>(df[f]))) + 1.0;
  for (SparseVector& v : example_vectors) weigh(v, idf);
  for (SparseVector& v : paper_vectors) weigh(v, idf);

  // Inverted index of the examples: one pass over a paper's features finds its nearest example.
  std::vector<std::vector<std::pair<std::uint32_t, double>>> postings(vocabulary.size());
  for (std::size_t e = 0; e < example_vectors.size(); ++e)
    for (const auto& [feature, weight] : example_vectors[e])
      postings[feature].emplace_back(static_cast<std::uint32_t>(e), weight);

  // The examples' centroid (normalised sum): what they share weighs most, what only one of them
  // says weighs little.
  std::vector<double> centroid(vocabulary.size(), 0.0);
  for (const SparseVector& v : example_vectors)
    for (const auto& [feature, weight] : v) centroid[feature] += weight;
  {
    double norm = 0.0;
    for (double w : centroid) norm += w * w;
    norm = std::sqrt(norm);
    if (norm > 0)
      for (double& w : centroid) w /= norm;
  }
  std::vector<double> dot(examples.size());
  for (std::size_t p = 0; p < papers.size(); ++p) {
    std::fill(dot.begin(), dot.end(), 0.0);
    for (const auto& [feature, weight] : paper_vectors[p])
      for (const auto& [example, example_weight] : postings[feature])
        dot[example] += weight * example_weight;
    const auto best = std::max_element(dot.begin(), dot.end());  // first of equals: stable
    scores[p].nearest = static_cast<std::size_t>(best - dot.begin());
    double to_centroid = 0.0;
    for (const auto& [feature, weight] : paper_vectors[p])
      to_centroid += weight * centroid[feature];
    scores[p].score = std::clamp(to_centroid, 0.0, 1.0);
  }
  return scores;
}

}  // namespace arxiv_digest
