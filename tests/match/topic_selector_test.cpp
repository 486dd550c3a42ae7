// TopicSelector on the bundled sample day (examples/sample-day/papers.jsonl: 219 real papers of
// 2026-06-18) with query topics and topics by example (examples: real May 2026 papers,
// tests/data/match/examples_2605.jsonl).
#include "match/topic_selector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "match/matcher.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

const std::vector<Paper>& sample_day() {
  static const std::vector<Paper> day = testing::load_papers_jsonl(
      std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day" / "papers.jsonl",
      /*normalize=*/true);
  return day;
}

std::vector<const Paper*> candidates() {
  std::vector<const Paper*> out;
  for (const Paper& p : sample_day()) out.push_back(&p);
  return out;
}

std::vector<ExampleText> rl_examples() {
  std::vector<ExampleText> out;
  const auto papers =
      testing::load_papers_jsonl(testing::data_path("match/examples_2605.jsonl"), true);
  for (std::size_t i = 0; i < 5; ++i) out.push_back({papers[i].title, papers[i].abstract});
  return out;
}

Topic query_topic(std::string name, std::string query = {}) {
  Topic t;
  t.name = name;
  t.query = query.empty() ? name : query;
  return t;
}

Topic example_topic(std::string name) {
  Topic t;
  t.name = name;
  t.query = name;
  t.example_ids = {"2605.02178"};  // what the config listed; the texts come separately
  return t;
}

TEST(TopicSelector, SeedTopicsSelectTheSeedsPapersWithTheirReasons) {
  TopicSelector selector({query_topic("reinforcement learning"), query_topic("diffusion policy")});
  const auto all = candidates();
  const auto selections = selector.select(all);
  ASSERT_EQ(selections.size(), 2u);
  std::set<std::string> expected;
  for (const Paper& p : testing::load_papers_jsonl(testing::data_path("seed/seed_papers.jsonl")))
    expected.insert(p.id.key());
  std::set<std::string> got;
  for (std::size_t c : selections[0].papers) got.insert(all[c]->id.key());
  EXPECT_EQ(got, expected);
  EXPECT_TRUE(std::is_sorted(selections[0].papers.begin(), selections[0].papers.end()));
  EXPECT_TRUE(selections[1].papers.empty());
  ASSERT_EQ(selections[0].reasons.size(), 30u);
  for (std::size_t i = 0; i < 30; ++i) {
    const Paper& p = *all[selections[0].papers[i]];
    const MatchReason& r = selections[0].reasons[i];
    SCOPED_TRACE(p.id.str());
    EXPECT_EQ(r.terms, std::vector<std::string>{"\"reinforcement learning\""});
    EXPECT_FALSE(r.score.has_value());
    ASSERT_FALSE(r.spans.empty());
    for (const MatchSpan& s : r.spans) {
      EXPECT_EQ(s.term, 0u);
      // The span covers the two words, whatever their case or the gap between them.
      const std::string text = ascii_lower(span_text(p, s));
      EXPECT_TRUE(text.starts_with("reinforcement")) << text;
      EXPECT_TRUE(text.ends_with("learning")) << text;
    }
  }
}

// Issue 9, the daily run: a paper whose abstract says `\emph{diffusion policy}` is selected by
// the topic "diffusion policy" (the sample day has no other).
TEST(TopicSelector, SelectsAPhraseWrittenInsideATexCommand) {
  Paper tex;
  tex.id = ArxivId::parse("2601.00001");
  tex.title = "T";
  tex.authors = {"A B"};
  tex.categories = {"cs.LG"};
  tex.primary_category = "cs.LG";
  tex.abstract = "We use \\emph{diffusion policy}";
  auto all = candidates();
  all.push_back(&tex);
  TopicSelector selector({query_topic("reinforcement learning"), query_topic("diffusion policy")});
  const auto selections = selector.select(all);
  ASSERT_EQ(selections.size(), 2u);
  EXPECT_EQ(selections[1].papers, std::vector<std::size_t>{all.size() - 1});
  ASSERT_EQ(selections[1].reasons.size(), 1u);
  const MatchReason& r = selections[1].reasons.front();
  EXPECT_EQ(r.terms, std::vector<std::string>{"\"diffusion policy\""});
  ASSERT_EQ(r.spans.size(), 1u);
  EXPECT_EQ(r.spans[0].field, MatchField::kAbstract);
  EXPECT_EQ(span_text(tex, r.spans[0]), "diffusion policy");
  EXPECT_EQ(selections[0].papers.size(), 30u);  // the seed's papers, unchanged
}

TEST(TopicSelector, OneAutomatonSelectsWhatEachQueryAloneSelects) {
  const std::vector<std::string> queries = {"\"reinforcement learning\" -survey",
                                            "ti:diffusion OR abs:\"diffusion model\"",
                                            "cat:cs.RO (grasp* OR manipulation)",
                                            "~robust AND (vision OR visual)",
                                            "=LLM",
                                            "\"large language model\" NOT agent",
                                            "au:Kizilcec",
                                            "transformer"};
  std::vector<Topic> topics;
  // Named apart from the query: a query equal to its topic's name is read as one phrase.
  for (const auto& q : queries) topics.push_back(query_topic("topic " + q, q));
  TopicSelector selector(topics);
  const auto all = candidates();
  const auto selections = selector.select(all);
  ASSERT_EQ(selections.size(), queries.size());
  std::size_t total = 0;
  for (std::size_t t = 0; t < queries.size(); ++t) {
    SCOPED_TRACE(queries[t]);
    const auto matcher = compile_query(queries[t]);
    std::vector<std::size_t> expected;
    for (std::size_t c = 0; c < all.size(); ++c)
      if (matcher->matches(*all[c])) expected.push_back(c);
    EXPECT_EQ(selections[t].papers, expected);
    total += expected.size();
    for (const MatchReason& r : selections[t].reasons) {
      EXPECT_FALSE(r.terms.empty());
      for (const MatchSpan& s : r.spans) EXPECT_LT(s.term, r.terms.size());
    }
  }
  EXPECT_GT(total, 40u);  // the queries do select papers on this day
}

TEST(TopicSelector, RelevanceSortOrdersByBm25AndReportsTheScore) {
  Topic topic = query_topic("reinforcement learning");
  topic.sort = TopicSort::kRelevance;
  TopicSelector selector({topic});
  const auto selections = selector.select(candidates());
  ASSERT_EQ(selections[0].papers.size(), 30u);
  for (std::size_t i = 0; i < 30; ++i) {
    ASSERT_TRUE(selections[0].reasons[i].score.has_value());
    EXPECT_GT(*selections[0].reasons[i].score, 0.0);
    if (i > 0) {
      EXPECT_GE(*selections[0].reasons[i - 1].score, *selections[0].reasons[i].score);
    }
  }
  EXPECT_FALSE(std::is_sorted(selections[0].papers.begin(), selections[0].papers.end()));
}

TEST(TopicSelector, TopicByExampleKeepsTheBestWithScoresAndNearestExample) {
  Topic topic = example_topic("like my RL papers");
  topic.sort = TopicSort::kRelevance;
  topic.top_k = 8;
  TopicSelector selector({topic}, {rl_examples()});
  const auto all = candidates();
  const auto selection = selector.select(all).front();
  ASSERT_EQ(selection.papers.size(), 8u);
  const auto examples = rl_examples();
  for (std::size_t i = 0; i < 8; ++i) {
    const MatchReason& r = selection.reasons[i];
    ASSERT_TRUE(r.score.has_value());
    if (i > 0) {
      EXPECT_GE(*selection.reasons[i - 1].score, *r.score);
    }
    EXPECT_TRUE(r.terms.empty());  // no filter query: the score is the reason
    EXPECT_TRUE(std::any_of(examples.begin(), examples.end(),
                            [&](const ExampleText& e) { return e.title == r.nearest_example; }));
  }

  // min_score alone: every kept paper reaches it, every left-out one does not.
  topic.top_k.reset();
  topic.min_score = 0.12;
  const auto by_score = TopicSelector({topic}, {rl_examples()}).select(all).front();
  ASSERT_FALSE(by_score.papers.empty());
  for (const auto& r : by_score.reasons) EXPECT_GE(*r.score, 0.12);
  EXPECT_LT(by_score.papers.size(), all.size());

  // sort = "id": the same papers in candidate (id) order.
  topic.sort = TopicSort::kId;
  const auto by_id = TopicSelector({topic}, {rl_examples()}).select(all).front();
  EXPECT_TRUE(std::is_sorted(by_id.papers.begin(), by_id.papers.end()));
  EXPECT_EQ(std::set<std::size_t>(by_id.papers.begin(), by_id.papers.end()),
            std::set<std::size_t>(by_score.papers.begin(), by_score.papers.end()));
}

TEST(TopicSelector, AQueryBesideExamplesFiltersBeforeScoring) {
  Topic topic = example_topic("RL in robotics");
  topic.query = "cat:cs.RO";
  topic.top_k = 50;
  TopicSelector selector({topic}, {rl_examples()});
  const auto all = candidates();
  const auto selection = selector.select(all).front();
  ASSERT_FALSE(selection.papers.empty());
  for (std::size_t i = 0; i < selection.papers.size(); ++i) {
    const Paper& p = *all[selection.papers[i]];
    EXPECT_NE(std::find(p.categories.begin(), p.categories.end(), "cs.RO"), p.categories.end());
    EXPECT_EQ(selection.reasons[i].terms, std::vector<std::string>{"cat:cs.RO"});
    EXPECT_TRUE(selection.reasons[i].score.has_value());
  }
}

TEST(TopicSelector, TermsAreListedOnceAndTopKNeverPadsWithUnrelatedPapers) {
  // "RL" twice in the query: reported once, every span pointing at it.
  TopicSelector selector({query_topic("rl twice", "RL OR (RL AND policy)")});
  const auto all = candidates();
  const auto selection = selector.select(all).front();
  ASSERT_FALSE(selection.papers.empty());
  for (std::size_t i = 0; i < selection.papers.size(); ++i) {
    const MatchReason& r = selection.reasons[i];
    ASSERT_FALSE(r.terms.empty());
    EXPECT_EQ(r.terms.front(), "RL");
    EXPECT_EQ(std::count(r.terms.begin(), r.terms.end(), "RL"), 1);
    for (const MatchSpan& s : r.spans) {
      ASSERT_LT(s.term, r.terms.size());
      EXPECT_EQ(ascii_lower(span_text(*all[selection.papers[i]], s)).substr(0, 2),
                ascii_lower(r.terms[s.term]).substr(0, 2));
    }
  }
  // Examples sharing no word with the day: top_k keeps nothing rather than score-0 papers.
  Topic topic = example_topic("nothing alike");
  topic.top_k = 5;
  const auto none =
      TopicSelector({topic}, {{ExampleText{"Zzyzx quorble", "Frobnicated wug glorps."}}})
          .select(all)
          .front();
  EXPECT_TRUE(none.papers.empty());
}

TEST(TopicSelector, ErrorsNameTheTopic) {
  try {
    TopicSelector selector({query_topic("fine"), query_topic("broken", "\"unclosed phrase")});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("topic 'broken'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(check_topic_queries({query_topic("x", "(a OR")}), ConfigError);
  EXPECT_NO_THROW(check_topic_queries({query_topic("x", "a OR b"), example_topic("y")}));
  try {
    TopicSelector selector({example_topic("nothing to compare")});
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no example papers"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace arxiv_digest
