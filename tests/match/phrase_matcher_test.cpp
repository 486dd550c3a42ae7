#include <gtest/gtest.h>

#include "core/error.hpp"
#include "match/matcher.hpp"

namespace arxiv_digest {
namespace {

Paper paper_with(std::string title, std::string abstract) {
  Paper p;
  p.title = std::move(title);
  p.abstract = std::move(abstract);
  return p;
}

TEST(PhraseMatcher, MatchesCaseHyphensLineBreaksAndSpaces) {
  auto m = make_phrase_matcher("reinforcement learning");
  const char* hits[] = {
      "Self-CTRL: Self-Consistency Training with Reinforcement Learning",
      "via Reinforcement-Learning.",
      "reinforcement\n  learning",
      "(reinforcement  learning)",
      "Agentic Reinforcement Learning with TAURA",
      "deep reinforcement learning-based control",
      "reinforcement\xE2\x80\x93learning",  // en dash
  };
  for (const char* text : hits) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(m->matches(paper_with(text, "")));
    EXPECT_TRUE(m->matches(paper_with("", text)));
  }
  const char* misses[] = {
      "reinforcementlearning",
      "reinforcement learnings",
      "nonreinforcement learning",
      "reinforcement, learning",
      "reinforced learning",
  };
  for (const char* text : misses) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(m->matches(paper_with(text, text)));
  }
}

TEST(PhraseMatcher, ReportsSpansPerField) {
  auto m = make_phrase_matcher("Diffusion Policy");
  auto spans = m->find(paper_with("A diffusion policy", "Diffusion-policy and diffusion  policy."));
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[0].field, MatchField::kTitle);
  EXPECT_EQ(spans[0].begin, 2u);
  EXPECT_EQ(spans[0].end, 18u);
  EXPECT_EQ(spans[1].field, MatchField::kAbstract);
  EXPECT_EQ(spans[1].begin, 0u);
  EXPECT_EQ(spans[2].begin, 21u);
  EXPECT_EQ(spans[2].end, 38u);
}

TEST(PhraseMatcher, RejectsPhraseWithoutWords) {
  EXPECT_THROW(make_phrase_matcher(" - "), ConfigError);
  EXPECT_THROW(make_phrase_matcher(""), ConfigError);
}

}  // namespace
}  // namespace arxiv_digest
