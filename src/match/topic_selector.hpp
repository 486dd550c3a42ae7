// TopicSelector: picks each topic's papers from one day's candidates and says why.
//
// Query topics (the default) all compile into one QuerySet, so each candidate is tokenised and
// scanned once whatever the number of topics; with `sort = "relevance"` a topic's papers are
// ordered by BM25 (title weighted, ties in candidate order). Topics by example (Topic::by_example)
// score every candidate that passes their query filter (only when a query other than the name is
// configured) by tf-idf similarity to their examples (similarity.hpp; idf from all candidates),
// keep those scoring above 0 and at least `min_score` (kDefaultMinScore when neither `min_score`
// nor `top_k` is set), best first, at most `top_k`; `sort = "id"` then lists the kept papers in
// id order.
//
// Every selected paper carries a MatchReason: the query terms found with their spans, and the
// score (BM25 or similarity, with the nearest example's title).
//
// Immutable after construction; select() is const and thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "core/paper.hpp"
#include "core/topic.hpp"
#include "match/similarity.hpp"

namespace arxiv_digest {

// Similarity a paper needs to enter a topic by example when neither `min_score` nor `top_k` is
// configured. On the bundled real day with five examples on one subject, 15 of the 18 papers
// reaching 0.10 are on that subject; unrelated papers average 0.05.
inline constexpr double kDefaultMinScore = 0.10;

// Parses every topic's query (a topic by example only when it has a filter query); throws
// ConfigError naming the first topic whose query is malformed. What the constructor checks,
// without needing the examples: for `config check` and for failing before any fetch.
void check_topic_queries(const std::vector<Topic>& topics);

class TopicSelector {
 public:
  // `examples[t]` are topic t's resolved example papers (may be shorter than `topics`: missing =
  // none). Throws ConfigError for a malformed query (the message names the topic), or for a topic
  // by example without any example.
  explicit TopicSelector(std::vector<Topic> topics,
                         std::vector<std::vector<ExampleText>> examples = {});
  ~TopicSelector();
  TopicSelector(TopicSelector&&) noexcept;
  TopicSelector& operator=(TopicSelector&&) noexcept;

  struct Selection {
    std::vector<std::size_t> papers;   // indices into `candidates`, in the topic's order
    std::vector<MatchReason> reasons;  // parallel to `papers`
  };
  // One Selection per topic, in topic order.
  std::vector<Selection> select(const std::vector<const Paper*>& candidates) const;

  const std::vector<Topic>& topics() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest
