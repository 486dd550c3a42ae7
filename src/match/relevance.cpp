// BM25 relevance (see relevance.hpp).
#include "match/relevance.hpp"

#include <cmath>
#include <string>

#include "match/query_parser.hpp"
#include "match/tokenizer.hpp"

namespace arxiv_digest {
namespace {

void positive_words(const QueryNode& node, bool positive, std::vector<QueryWord>& out) {
  switch (node.kind) {
    case QueryNode::Kind::kNot:
      positive_words(node.children.front(), !positive, out);
      return;
    case QueryNode::Kind::kAnd:
    case QueryNode::Kind::kOr:
      for (const auto& c : node.children) positive_words(c, positive, out);
      return;
    case QueryNode::Kind::kTerm:
      if (!positive) return;
      if (node.scope == QueryScope::kAuthor || node.scope == QueryScope::kCategory ||
          node.scope == QueryScope::kId || node.scope == QueryScope::kComments)
        return;
      for (const auto& w : node.words) {
        bool seen = false;
        for (const auto& o : out) seen |= o.folded == w.folded && o.mode == w.mode;
        if (!seen) out.push_back(w);
      }
      return;
  }
}

bool word_matches(const QueryWord& q, std::string_view w) {
  const std::string& f = q.folded;
  switch (q.mode) {
    case WordMode::kExact:
      return w == f;
    case WordMode::kPrefix:
      return w.substr(0, f.size()) == f;
    case WordMode::kPlural:
    case WordMode::kStem:
      break;
  }
  if (w == f) return true;
  if (w.size() == f.size() + 1 && w.back() == 's' && w.substr(0, f.size()) == f) return true;
  if (w.size() == f.size() + 2 && w.substr(f.size()) == "es" && w.substr(0, f.size()) == f)
    return true;
  if (f.size() >= 2 && f.back() == 'y' && w.size() == f.size() + 2 &&
      w.substr(0, f.size() - 1) == std::string_view(f).substr(0, f.size() - 1) &&
      w.substr(f.size() - 1) == "ies") {
    const char c = f[f.size() - 2];
    return c >= 'a' && c <= 'z' && c != 'a' && c != 'e' && c != 'i' && c != 'o' && c != 'u';
  }
  return false;
}

}  // namespace

std::vector<double> bm25_scores(std::string_view query, const std::vector<const Paper*>& papers,
                                const RelevanceOptions& options) {
  std::vector<QueryWord> words;
  positive_words(parse_query(query), true, words);
  const std::size_t n = papers.size();
  // Weighted term frequencies per paper and word, and document lengths.
  std::vector<std::vector<double>> tf(n, std::vector<double>(words.size(), 0.0));
  std::vector<double> length(n, 0.0);
  TokenizedText t;
  for (std::size_t d = 0; d < n; ++d) {
    for (int field = 0; field < 2; ++field) {
      const double weight = field == 0 ? options.title_weight : 1.0;
      tokenize(field == 0 ? papers[d]->title : papers[d]->abstract, t);
      length[d] += weight * static_cast<double>(t.tokens.size());
      for (const Token& tok : t.tokens) {
        const std::string_view w = t.word(tok);
        for (std::size_t q = 0; q < words.size(); ++q)
          if (word_matches(words[q], w)) tf[d][q] += weight;
      }
    }
  }
  double average = 0;
  for (double l : length) average += l;
  average = n > 0 ? average / static_cast<double>(n) : 1.0;
  if (average <= 0) average = 1.0;
  std::vector<double> scores(n, 0.0);
  for (std::size_t q = 0; q < words.size(); ++q) {
    double df = 0;
    for (std::size_t d = 0; d < n; ++d) df += tf[d][q] > 0 ? 1 : 0;
    const double idf = std::log(1.0 + (static_cast<double>(n) - df + 0.5) / (df + 0.5));
    for (std::size_t d = 0; d < n; ++d) {
      const double f = tf[d][q];
      if (f <= 0) continue;
      const double norm = options.k1 * (1.0 - options.b + options.b * length[d] / average);
      scores[d] += idf * f * (options.k1 + 1.0) / (f + norm);
    }
  }
  return scores;
}

}  // namespace arxiv_digest
