// BM25 relevance on the bundled sample day (examples/sample-day/papers.jsonl: 219 real papers).
#include "match/relevance.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "core/text.hpp"
#include "match/matcher.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

std::vector<Paper> sample_day() {
  return testing::load_papers_jsonl(
      std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day" / "papers.jsonl",
      /*normalize=*/true);
}

bool in_title(const Paper& p, std::string_view phrase) {
  return compile_query("ti:\"" + std::string(phrase) + "\"")->matches(p);
}

TEST(Relevance, Bm25RanksTitleMatchesFirstAndScoresOnlyPositiveWords) {
  const auto day = sample_day();
  ASSERT_EQ(day.size(), 219u);
  std::vector<const Paper*> all;
  for (const Paper& p : day) all.push_back(&p);
  const auto scores = bm25_scores("\"reinforcement learning\" -survey", all);
  ASSERT_EQ(scores.size(), all.size());
  auto matcher = compile_query("\"reinforcement learning\"");
  std::vector<std::size_t> order(all.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  // The five best all have the phrase in their title.
  for (std::size_t r = 0; r < 5; ++r) {
    SCOPED_TRACE(all[order[r]]->title);
    EXPECT_TRUE(in_title(*all[order[r]], "reinforcement learning"));
  }
  // Every paper with the phrase scores above zero; a paper with neither word scores zero.
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (matcher->matches(*all[i])) {
      EXPECT_GT(scores[i], 0.0) << all[i]->id.str();
    }
    if (!compile_query("reinforcement OR learning")->matches(*all[i])) {
      EXPECT_EQ(scores[i], 0.0) << all[i]->id.str();
    }
  }
  // NOT words do not score.
  const auto survey = bm25_scores("robot -survey", all);
  const auto robot = bm25_scores("robot", all);
  EXPECT_EQ(survey, robot);
  EXPECT_THROW(bm25_scores("a OR (", all), ConfigError);
}

}  // namespace
}  // namespace arxiv_digest
