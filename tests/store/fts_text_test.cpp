// What papers_fts holds for a field: TeX read like the matcher reads it, each word once, no
// stop words.
#include "store/fts_text.hpp"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

TEST(FtsWords, KeepsEachWordOnceInLowerCaseWithoutStopWords) {
  // 2606.18284's title (the sample day).
  EXPECT_EQ(fts_words("Breaking the Solver Bottleneck: Training Task Generators at the Learnable "
                      "Frontier"),
            "breaking solver bottleneck training task generators learnable frontier");
  // Repeats and case: one entry ("detail = column" stores no positions or counts).
  EXPECT_EQ(fts_words("Policy gradients: the policy, THE Policy."), "policy gradients");
  // Digits and non-ASCII letters are word characters; ASCII punctuation separates.
  EXPECT_EQ(fts_words("SU(3) lattice QCD, 10.1% -> 20.0%; Erdős–Rényi"),
            "su 3 lattice qcd 10 1 20 0 erdős–rényi");
  // TeX: accents fold into their letter, braces vanish, other commands separate.
  EXPECT_EQ(fts_words("Schr\\\"odinger Re{in}forcement $\\alpha$-stable"),
            "schrodinger reinforcement stable");
  EXPECT_EQ(fts_words("The of and"), "");
}

TEST(FtsWords, AWordRepeatedFarApartIsKeptOnce) {
  // The start of 2606.18594's abstract (the seed digest): "velocity", "increment", "action",
  // "space" and "joint" come back sentences later.
  const std::string abstract =
      "In real-world reinforcement learning (RL), the choice of action space can play a key "
      "role in shaping motion smoothness, safety, and overall task performance. In this study, "
      "we evaluate pose increment, pose velocity, joint position increment, and joint velocity "
      "across two vision-based manipulation tasks: object picking and pushing.";
  EXPECT_EQ(fts_words(abstract),
            "real world reinforcement learning rl choice action space play key role shaping "
            "motion smoothness safety overall task performance study evaluate pose increment "
            "velocity joint position across two vision based manipulation tasks object picking "
            "pushing");
}

TEST(FtsWords, StopWordsAreKnownToQueries) {
  EXPECT_TRUE(fts_is_stopword("the"));
  EXPECT_TRUE(fts_is_stopword("The"));
  EXPECT_FALSE(fts_is_stopword("then"));
  EXPECT_FALSE(fts_is_stopword("learning"));
  // A prefix query "th*" would miss a paper whose only th-word is "the".
  EXPECT_TRUE(fts_stopword_has_prefix("th"));
  EXPECT_TRUE(fts_stopword_has_prefix("W"));
  EXPECT_FALSE(fts_stopword_has_prefix("lea"));
  EXPECT_TRUE(fts_stopword_has_prefix("thes"));  // these
  EXPECT_FALSE(fts_stopword_has_prefix("thr"));
}

}  // namespace
}  // namespace arxiv_digest
