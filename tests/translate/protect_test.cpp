#include "translate/protect.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <random>

#include "translate/seed_data.hpp"

namespace arxiv_digest {
namespace {

struct Case {
  const char* source;
  const char* masked;
  std::vector<std::string> originals;
};

TEST(MaskProtected, EachKindOfSpan) {
  const std::vector<Case> cases = {
      {"from $10.1\\% \\rightarrow 20.0\\%$ for",
       "from {M1} for",
       {"$10.1\\% \\rightarrow 20.0\\%$"}},
      {"display $$\\int_0^1 f$$ end", "display {M1} end", {"$$\\int_0^1 f$$"}},
      {"paren \\(a+b\\) and \\[c\\]", "paren {M1} and {M2}", {"\\(a+b\\)", "\\[c\\]"}},
      {"env \\begin{align} x &= 1 \\end{align} done",
       "env {M1} done",
       {"\\begin{align} x &= 1 \\end{align}"}},
      {"Code is at https://github.com/x/y.", "Code is at {M1}.", {"https://github.com/x/y"}},
      {"(see http://a.org/p?q=1), more", "(see {M1}), more", {"http://a.org/p?q=1"}},
      {"call `f(x)` twice", "call {M1} twice", {"`f(x)`"}},
      {"TeX ``near-miss'' quotes", "TeX ``near-miss'' quotes", {}},
      {"as in arXiv:2606.18284v2 and 2606.19341",
       "as in {M1} and {M2}",
       {"arXiv:2606.18284v2", "2606.19341"}},
      {"old hep-th/9901001v1 id", "old {M1} id", {"hep-th/9901001v1"}},
      {"costs \\$5 and $x$", "costs \\$5 and {M1}", {"$x$"}},
      {"unclosed $ dollar", "unclosed $ dollar", {}},
      {"a literal {M3} token", "a literal {M1} token", {"{M3}"}},
      // Regression (found by the mutation test below): a full-width token-like text in the source
      // was left unmasked and then read back as a token.
      {"a literal ｛Ｍ２｝ token", "a literal {M1} token", {"｛Ｍ２｝"}},
      {"Qwen2.5-3B with 69--77\\% lower cost", "Qwen2.5-3B with 69--77\\% lower cost", {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.source);
    const MaskedText masked = mask_protected(c.source);
    EXPECT_EQ(masked.text, c.masked);
    EXPECT_EQ(masked.originals, c.originals);
    const RestoreResult back = restore_protected(masked.text, masked);
    ASSERT_TRUE(back.ok) << back.problem;
    EXPECT_EQ(back.text, c.source);
  }
}

TEST(MaskProtected, EveryDollarSpanOfTheSeedsAbstractsIsProtectedAndRestoredByteForByte) {
  std::size_t spans = 0;
  for (const auto& paper : testing::load_seed_translations()) {
    for (const std::string* text : {&paper.title, &paper.abstract}) {
      SCOPED_TRACE(paper.id);
      const MaskedText masked = mask_protected(*text);
      for (const std::string& span : testing::dollar_spans(*text)) {
        ++spans;
        EXPECT_NE(std::find(masked.originals.begin(), masked.originals.end(), span),
                  masked.originals.end())
            << span;
      }
      EXPECT_EQ(masked.text.find('$'), std::string::npos) << masked.text;
      const RestoreResult back = restore_protected(masked.text, masked);
      ASSERT_TRUE(back.ok) << back.problem;
      EXPECT_EQ(back.text, *text);
    }
  }
  EXPECT_EQ(spans, 20u);  // the seed's titles and abstracts hold 20 inline-math spans
}

// Whatever bytes come in (unbalanced delimiters, stray backslashes and backticks, token-like
// text, invalid UTF-8), masking then restoring gives the input back byte for byte.
TEST(MaskProtected, RoundTripsArbitraryMutationsOfTheSeedsAbstracts) {
  std::mt19937 rng(20260618);
  const std::string specials[] = {"$", "$$", "\\", "\\(", "\\)", "\\[", "\\]", "`", "``",
                                  "{M1}", "{M", "}", "\\begin{x}", "\\end{x}", "https://",
                                  "arXiv:", "2606.", "\xff", "\xe4\xb8", "｛Ｍ２｝", " "};
  std::size_t cases = 0;
  for (const auto& paper : testing::load_seed_translations()) {
    for (int round = 0; round < 40; ++round) {
      std::string text = paper.abstract;
      for (int edits = 0; edits < 8; ++edits) {
        const std::size_t at = rng() % (text.size() + 1);
        text.insert(at, specials[rng() % std::size(specials)]);
      }
      const MaskedText masked = mask_protected(text);
      const RestoreResult back = restore_protected(masked.text, masked);
      ASSERT_TRUE(back.ok) << back.problem << "\n" << text;
      ASSERT_EQ(back.text, text);
      ++cases;
    }
  }
  EXPECT_EQ(cases, 1200u);
}

TEST(RestoreProtected, ToleratesFullWidthAndSpacesButNotLossOrDuplication) {
  const MaskedText masked = mask_protected("from $a$ to $b$");
  ASSERT_EQ(masked.text, "from {M1} to {M2}");
  auto ok = restore_protected("从 ｛M１｝ 到{ M2 }", masked);
  ASSERT_TRUE(ok.ok) << ok.problem;
  EXPECT_EQ(ok.text, "从 $a$ 到$b$");

  auto missing = restore_protected("从 {M1} 到", masked);
  EXPECT_FALSE(missing.ok);
  EXPECT_EQ(missing.problem, "token {M2} is missing");
  auto twice = restore_protected("{M1}{M1}{M2}", masked);
  EXPECT_FALSE(twice.ok);
  EXPECT_EQ(twice.problem, "token {M1} appears 2 times");
  auto unknown = restore_protected("{M1}{M2}{M3}", masked);
  EXPECT_FALSE(unknown.ok);
  EXPECT_EQ(unknown.problem, "unknown token {M3}");
}

}  // namespace
}  // namespace arxiv_digest
