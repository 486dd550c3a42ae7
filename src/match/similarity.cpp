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

using SparseVector = std::vector<std::pair<std::uint32_t, double>>;  // one entry per feature

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// Turns documents into feature counts, numbering features densely as it meets them. A word is
// classified and stemmed once per call (words repeat across a day's papers far more than they
// vary), and a word pair is keyed by its two stem ids rather than by a new string.
class FeatureExtractor {
 public:
  explicit FeatureExtractor(const SimilarityOptions& options) : options_(options) {
    words_.reserve(1u << 15);
    stems_.reserve(1u << 14);
    pairs_.reserve(1u << 17);
  }

  // Raw (weighted) term counts of one document, one entry per feature (in first-seen order).
  SparseVector counts(std::string_view title, std::string_view abstract) {
    touched_.clear();
    add(title, options_.title_weight);
    add(abstract, 1.0);
    SparseVector out;
    out.reserve(touched_.size());
    for (std::uint32_t feature : touched_) {
      out.emplace_back(feature, accumulated_[feature]);
      accumulated_[feature] = 0.0;
    }
    return out;
  }

  std::size_t features() const noexcept { return next_id_; }

 private:
  static constexpr std::uint32_t kSkipped = UINT32_MAX;  // stop word, number, single letter

  // The unigram feature of a folded word, or kSkipped.
  std::uint32_t word_feature(std::string_view word) {
    if (auto it = words_.find(word); it != words_.end()) return it->second;
    std::uint32_t id = kSkipped;
    if (word.size() >= 2 && !is_stop_word(word) && !is_number(word)) {
      auto [stem, inserted] = stems_.try_emplace(std::string(stemmer_.stem(word)), next_id_);
      if (inserted) ++next_id_;
      id = stem->second;
    }
    words_.emplace(std::string(word), id);
    return id;
  }

  // Dense accumulation: no per-document map or sort.
  void count(std::uint32_t feature, double weight) {
    if (feature >= accumulated_.size())
      accumulated_.resize(std::max<std::size_t>(feature + 1, accumulated_.size() * 2), 0.0);
    if (accumulated_[feature] == 0.0) touched_.push_back(feature);
    accumulated_[feature] += weight;
  }

  void add(std::string_view text, double weight) {
    tokenize(text, tokens_);
    std::uint32_t previous = kSkipped;  // feature of the previous kept word, none after a break
    for (const Token& token : tokens_.tokens) {
      if (!token.soft_gap) previous = kSkipped;
      const std::uint32_t feature = word_feature(tokens_.word(token));
      if (feature == kSkipped) {
        previous = kSkipped;
        continue;
      }
      count(feature, weight);
      if (options_.bigrams && previous != kSkipped) {
        const std::uint64_t key = (std::uint64_t{previous} << 32) | feature;
        auto [pair, inserted] = pairs_.try_emplace(key, next_id_);
        if (inserted) ++next_id_;
        count(pair->second, weight);
      }
      previous = feature;
    }
  }

  const SimilarityOptions& options_;
  Stemmer stemmer_;
  TokenizedText tokens_;
  std::unordered_map<std::string, std::uint32_t, TransparentHash, std::equal_to<>> words_;
  std::unordered_map<std::string, std::uint32_t> stems_;
  std::unordered_map<std::uint64_t, std::uint32_t> pairs_;
  std::uint32_t next_id_ = 0;
  std::vector<double> accumulated_;     // per feature, zero outside counts()
  std::vector<std::uint32_t> touched_;  // features with a count in the current document
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

  FeatureExtractor extractor(options);
  std::vector<SparseVector> example_vectors;
  example_vectors.reserve(examples.size());
  for (const ExampleText& e : examples)
    example_vectors.push_back(extractor.counts(e.title, e.abstract));
  std::vector<SparseVector> paper_vectors;
  paper_vectors.reserve(papers.size());
  for (const Paper* p : papers) paper_vectors.push_back(extractor.counts(p->title, p->abstract));

  // Smoothed idf over every document seen (the day's papers and the examples).
  std::vector<std::uint32_t> df(extractor.features(), 0);
  for (const auto* documents : {&example_vectors, &paper_vectors})
    for (const SparseVector& v : *documents)
      for (const auto& entry : v) ++df[entry.first];
  const double n = static_cast<double>(example_vectors.size() + paper_vectors.size());
  std::vector<double> idf(extractor.features());
  for (std::size_t f = 0; f < idf.size(); ++f)
    idf[f] = std::log((1.0 + n) / (1.0 + static_cast<double>(df[f]))) + 1.0;
  for (SparseVector& v : example_vectors) weigh(v, idf);
  for (SparseVector& v : paper_vectors) weigh(v, idf);

  // Inverted index of the examples: one pass over a paper's features finds its nearest example.
  std::vector<std::vector<std::pair<std::uint32_t, double>>> postings(extractor.features());
  for (std::size_t e = 0; e < example_vectors.size(); ++e)
    for (const auto& [feature, weight] : example_vectors[e])
      postings[feature].emplace_back(static_cast<std::uint32_t>(e), weight);

  // The examples' centroid (normalised sum): what they share weighs most, what only one of them
  // says weighs little.
  std::vector<double> centroid(extractor.features(), 0.0);
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
