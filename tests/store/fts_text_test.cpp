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
            "bottleneck breaking frontier generators learnable solver task training");
  // Repeats and case: one entry ("detail = column" stores no positions or counts).
  EXPECT_EQ(fts_words("Policy gradients: the policy, THE Policy."), "gradients policy");
  // Digits and non-ASCII letters are word characters; ASCII punctuation separates.
  EXPECT_EQ(fts_words("SU(3) lattice QCD, 10.1% -> 20.0%; Erdős–Rényi"),
            "0 1 10 20 3 erdős–rényi lattice qcd su");
  // TeX: accents fold into their letter, braces vanish, other commands separate.
  EXPECT_EQ(fts_words("Schr\\\"odinger Re{in}forcement $\\alpha$-stable"),
            "reinforcement schrodinger stable");
  EXPECT_EQ(fts_words("The of and"), "");
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
