// TopicSelector (see topic_selector.hpp).
#include "match/topic_selector.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "match/matcher.hpp"
#include "match/query_set.hpp"
#include "match/relevance.hpp"

namespace arxiv_digest {
namespace {

// The query a topic is filtered by, if any: a query topic always has one (its name by default);
// a topic by example only when a query other than its name was configured.
std::optional<std::string> filter_query(const Topic& topic) {
  if (topic.by_example() && (topic.query.empty() || topic.query == topic.name)) return std::nullopt;
  return topic_query(topic.name, topic.query);
}

// The terms found, deduplicated by their text in query order ("rl OR (rl AND policy)" reports
// "rl" once), with the spans renumbered to index them.
MatchReason reason_from(const QuerySet& set, std::size_t query, std::vector<MatchSpan> spans) {
  MatchReason reason;
  std::vector<std::size_t> leaves;
  for (const MatchSpan& s : spans)
    if (std::find(leaves.begin(), leaves.end(), s.term) == leaves.end()) leaves.push_back(s.term);
  std::sort(leaves.begin(), leaves.end());
  std::vector<std::size_t> index_of_leaf;  // parallel to `leaves`
  for (std::size_t leaf : leaves) {
    std::string text = set.term_text(query, leaf);
    auto it = std::find(reason.terms.begin(), reason.terms.end(), text);
    if (it == reason.terms.end()) it = reason.terms.insert(reason.terms.end(), std::move(text));
    index_of_leaf.push_back(static_cast<std::size_t>(it - reason.terms.begin()));
  }
  for (MatchSpan& s : spans)
    s.term = index_of_leaf[static_cast<std::size_t>(
        std::find(leaves.begin(), leaves.end(), s.term) - leaves.begin())];
  reason.spans = std::move(spans);
  return reason;
}

// parse_query, with the topic named in the error.
void check_query(const Topic& topic, const std::string& query) {
  try {
    (void)parse_query(query);
  } catch (const ConfigError& e) {
    throw ConfigError(fmt::format("topic '{}': {}", topic.name, e.what()));
  }
}

}  // namespace

void check_topic_queries(const std::vector<Topic>& topics) {
  for (const Topic& topic : topics)
    if (std::optional<std::string> query = filter_query(topic)) check_query(topic, *query);
}

struct TopicSelector::Impl {
  std::vector<Topic> topics;
  std::vector<std::vector<ExampleText>> examples;    // per topic
  std::vector<std::optional<std::size_t>> query_of;  // per topic: its index in `queries`
  std::vector<std::string> query_texts;              // per query
  std::optional<QuerySet> queries;
};

TopicSelector::TopicSelector(std::vector<Topic> topics,
                             std::vector<std::vector<ExampleText>> examples)
    : impl_(std::make_unique<Impl>()) {
  impl_->topics = std::move(topics);
  impl_->examples = std::move(examples);
  impl_->examples.resize(impl_->topics.size());
  for (std::size_t t = 0; t < impl_->topics.size(); ++t) {
    const Topic& topic = impl_->topics[t];
    if (topic.by_example() && impl_->examples[t].empty())
      throw ConfigError(fmt::format("topic '{}': no example papers to compare with", topic.name));
    std::optional<std::string> query = filter_query(topic);
    if (query) {
      check_query(topic, *query);  // names the topic; the QuerySet compiles them all at once
      impl_->query_of.emplace_back(impl_->query_texts.size());
      impl_->query_texts.push_back(std::move(*query));
    } else {
      impl_->query_of.emplace_back(std::nullopt);
    }
  }
  impl_->queries.emplace(impl_->query_texts);
}

TopicSelector::~TopicSelector() = default;
TopicSelector::TopicSelector(TopicSelector&&) noexcept = default;
TopicSelector& TopicSelector::operator=(TopicSelector&&) noexcept = default;

const std::vector<Topic>& TopicSelector::topics() const noexcept { return impl_->topics; }

std::vector<TopicSelector::Selection> TopicSelector::select(
    const std::vector<const Paper*>& candidates) const {
  const Impl& m = *impl_;
  const std::size_t topic_count = m.topics.size();

  // One scan of each candidate for every query; `passed[t]` = candidates passing topic t's query
  // (all of them for a topic by example without a filter), with their reasons.
  std::vector<std::vector<std::size_t>> passed(topic_count);
  std::vector<std::vector<MatchReason>> reasons(topic_count);
  std::vector<std::size_t> topic_of_query(m.query_texts.size());
  for (std::size_t t = 0; t < topic_count; ++t)
    if (m.query_of[t]) topic_of_query[*m.query_of[t]] = t;
  QuerySet::Scratch scratch;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (!m.query_texts.empty()) {
      for (QuerySet::Hit& hit : m.queries->match(*candidates[c], scratch)) {
        const std::size_t t = topic_of_query[hit.query];
        passed[t].push_back(c);
        reasons[t].push_back(reason_from(*m.queries, hit.query, std::move(hit.spans)));
      }
    }
    for (std::size_t t = 0; t < topic_count; ++t) {
      if (m.query_of[t]) continue;
      passed[t].push_back(c);
      reasons[t].emplace_back();
    }
  }

  std::vector<Selection> selections(topic_count);
  for (std::size_t t = 0; t < topic_count; ++t) {
    const Topic& topic = m.topics[t];
    std::vector<const Paper*> papers;
    papers.reserve(passed[t].size());
    for (std::size_t c : passed[t]) papers.push_back(candidates[c]);

    std::vector<std::size_t> order(passed[t].size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (topic.by_example()) {
      // Scored against the whole day, so idf reflects the day even when a filter query let
      // only some papers through (the filter's own words would otherwise weigh nothing).
      const std::vector<SimilarityScore> day_scores = similarity_scores(m.examples[t], candidates);
      std::vector<SimilarityScore> scores;
      scores.reserve(passed[t].size());
      for (std::size_t c : passed[t]) scores.push_back(day_scores[c]);
      const double min_score = topic.min_score.value_or(topic.top_k ? 0.0 : kDefaultMinScore);
      for (std::size_t i = 0; i < scores.size(); ++i) {
        reasons[t][i].score = scores[i].score;
        if (scores[i].score > 0.0)
          reasons[t][i].nearest_example = m.examples[t][scores[i].nearest].title;
      }
      // A paper sharing nothing with the examples (score 0) never fills up a top_k.
      std::erase_if(order, [&](std::size_t i) {
        return scores[i].score <= 0.0 || scores[i].score < min_score;
      });
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return scores[a].score > scores[b].score;
      });
      if (topic.top_k && order.size() > *topic.top_k) order.resize(*topic.top_k);
      if (topic.sort == TopicSort::kId) std::sort(order.begin(), order.end());
    } else if (topic.sort == TopicSort::kRelevance && !papers.empty()) {
      const std::vector<double> scores = bm25_scores(m.query_texts[*m.query_of[t]], papers);
      for (std::size_t i = 0; i < scores.size(); ++i) reasons[t][i].score = scores[i];
      std::stable_sort(order.begin(), order.end(),
                       [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
    }
    for (std::size_t i : order) {
      selections[t].papers.push_back(passed[t][i]);
      selections[t].reasons.push_back(std::move(reasons[t][i]));
    }
  }
  return selections;
}

}  // namespace arxiv_digest
