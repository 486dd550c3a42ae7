// The Hyperscan prefilter on its own: which raw texts it rules out, which it must let through.
// (Query-level equivalence with the full matcher: tests/match/query_test.cpp and the differential
// fuzzer fuzz/prefilter_fuzzer.cpp.)
#include "match/prefilter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"

namespace arxiv_digest {
namespace {

struct Case {
  const char* text;
  bool may_match;
};

TEST(Prefilter, RulesOutOnlyPlainAsciiTextsWithoutThePhrase) {
  // "reinforcement learning" and "diffusion policy/policies", as QuerySet gives them.
  const Prefilter filter({{"reinforcement", "learning"}, {"diffusion", "polic"}});
  PrefilterScratch scratch;
  const Case cases[] = {
      {"Deep Reinforcement-Learning for robots", true},
      {"reinforcements\n  learnings", true},
      {"DIFFUSION POLICIES", true},
      {"diffusion, policy", true},  // loose: punctuation allowed (the matcher decides)
      {"deep learning and reinforcement", false},
      {"x^{2} and $\\alpha$ and \\lambda-returns", false},  // TeX math, no letters hidden
      {"", false},
      // Letters the raw bytes do not show: always through.
      {"Schr\\\"odinger", true},
      {"Caf\\'{e}", true},
      {"Stra\\ss e", true},
      {"the \\o{} and \\aa", true},
      {"\\c{c}a", true},
      {"Re{in}forcement", true},
      {"caf\xC3\xA9", true},
      {"soft\xC2\xADhyphen", true},
  };
  for (const Case& c : cases) EXPECT_EQ(filter.may_match(c.text, scratch), c.may_match) << c.text;
  // `\omega` and `\log` are not letter commands.
  EXPECT_FALSE(filter.may_match("\\omega \\log \\int", scratch));
}

// Issue 9: a TeX command is a word boundary and its name no word (tokenizer.hpp), so a phrase may
// have command names between its words, and braces after a command name join nothing.
TEST(Prefilter, SeesPhrasesAcrossTexCommandsWithoutTakingThemForWords) {
  const Prefilter filter({{"reinforcement", "learning"}, {"diffusion", "polic"}});
  PrefilterScratch scratch;
  const Case cases[] = {
      {"We use \\emph{diffusion policy}", true},
      {"\\textbf{Reinforcement} \\textbf{Learning}", true},
      {"{\\em Reinforcement} \\em learning", true},
      {"reinforcement\\\\learning", true},
      // Commands and their arguments, none of the phrases: ruled out (no longer "braces inside
      // a word").
      {"\\emph{deep} \\textbf{learning} and \\cite{smith2020}", false},
      {"\\textbf{Reinforcement} of \\emph{policies}", false},
      {"diffusion\\cite{a}\\textit{policies}", false},  // the argument is a word between
      // Braces that do join letters of a word: after text, after a digit, after a line break.
      {"\\emph{Re{in}forcement}", true},
      {"\\emph2{x}", true},
      {"\\\\emph{x}", true},
  };
  for (const Case& c : cases) EXPECT_EQ(filter.may_match(c.text, scratch), c.may_match) << c.text;
}

// Issue 9: exact decisions on plain texts (ASCII, no backslash, no brace), where the tokenizer's
// words are the runs of letters and digits: kYes/kNo as the matcher would say; any other text
// kMaybe unless the loose form rules it out.
TEST(Prefilter, DecidesPlainTextsExactlyAsTheTokenizerWould) {
  using F = ExactWord::Form;
  const std::vector<std::vector<ExactWord>> exact = {
      {{"reinforcement", F::kPlural}, {"learning", F::kPlural}},
      {{"diffusion", F::kPlural}, {"policy", F::kPlural}},
      {{"transform", F::kPrefix}},
      {{"model", F::kExact}},
      {{"gpt", F::kPlural}, {"4", F::kPlural, true}},  // "GPT-4"? no: "GPT, 4" (any gap)
  };
  const Prefilter filter({{"reinforcement", "learning"},
                          {"diffusion", "polic"},
                          {"transform"},
                          {"model"},
                          {"gpt", "4"}},
                         PrefilterInput::kText, exact);
  PrefilterScratch scratch;
  struct Decision {
    const char* text;
    Verdict verdict;
  };
  const Decision cases[] = {
      {"Deep Reinforcement-Learning for robots", Verdict::kYes},
      {"reinforcements\n \t learnings", Verdict::kYes},
      {"REINFORCEMENT\vLEARNING", Verdict::kYes},
      {"DIFFUSION POLICIES", Verdict::kYes},
      {"diffusion policys.", Verdict::kYes},
      {"diffusion policyes", Verdict::kYes},
      {"(diffusion policy)", Verdict::kYes},
      {"diffusion, policy", Verdict::kNo},  // a hard gap
      {"diffusion_policy", Verdict::kNo},   // '_' is no letter: a hard gap
      {"diffusion policie", Verdict::kNo},  // not a form of "policy"
      {"diffusion policiess", Verdict::kNo},
      {"xdiffusion policy", Verdict::kNo},  // not the word's start
      {"diffusion policyx", Verdict::kNo},
      {"diffusions policy2", Verdict::kNo},
      {"Transformers and transforms", Verdict::kYes},
      {"a transfor mer", Verdict::kNo},
      {"the model", Verdict::kYes},
      {"the models", Verdict::kNo},  // `=model`: that word only
      {"GPT, 4", Verdict::kYes},
      {"GPT-4", Verdict::kYes},
      {"GPT4", Verdict::kNo},
      {"deep learning and reinforcement", Verdict::kNo},
      {"", Verdict::kNo},
      // Not plain: the loose form decides kNo, or the matcher must (kMaybe).
      {"\\emph{diffusion policy}", Verdict::kMaybe},
      {"\\emph{deep} learning", Verdict::kNo},
      {"caf\xC3\xA9 diffusion policy", Verdict::kMaybe},
      {"caf\xC3\xA9", Verdict::kMaybe},  // an unsafe feature: may hide any letter
      {"{diffusion} policy", Verdict::kMaybe},
      {"diffusion policy \\", Verdict::kMaybe},
  };
  for (const Decision& c : cases) EXPECT_EQ(filter.decide(c.text, scratch), c.verdict) << c.text;
  // Without exact phrases decide() is may_match(): never kYes.
  const Prefilter loose(std::vector<std::vector<std::string>>{{"diffusion", "polic"}});
  EXPECT_EQ(loose.decide("diffusion policy", scratch), Verdict::kMaybe);
  EXPECT_EQ(loose.decide("diffusion", scratch), Verdict::kNo);
}

// Raw JSON: a backslash and letters are an escape and a word, not a TeX command, so braces after
// them do join letters (`\nReinforce{ment}` decodes to a line break and "Reinforcement"); a
// quote escape `\"` hides no letter.
TEST(Prefilter, JsonFormReadsEscapesAsJsonNotTex) {
  const Prefilter filter({{"reinforcement", "learning"}}, PrefilterInput::kJsonText);
  PrefilterScratch scratch;
  const Case cases[] = {
      {R"({"abstract": "We study\nReinforce{ment} learning"})", true},
      {R"({"abstract": "We study\tRe{in}forcement learning"})", true},
      {R"({"abstract": "reinforcement\nlearning"})", true},
      {R"({"abstract": "reinforcement \"learning\""})", true},
      {R"({"abstract": "\"deep\" learning and \"reinforcement\""})", false},
      {R"({"abstract": "\\emph{deep} learning"})", true},  // TeX: the full matcher decides
      {R"({"abstract": "caf\u00e9"})", true},
      {"{\"abstract\": \"caf\xC3\xA9\"}", true},
      {R"({"abstract": "x^{2} and deep learning"})", false},
  };
  for (const Case& c : cases) EXPECT_EQ(filter.may_match(c.text, scratch), c.may_match) << c.text;
}

TEST(Prefilter, ScratchFollowsTheDatabaseItIsUsedWith) {
  PrefilterScratch scratch;
  for (int round = 0; round < 3; ++round) {
    const Prefilter a({{"alpha"}});
    const Prefilter b({{"beta", "gamma", "delta"}, {"epsilon"}});
    EXPECT_TRUE(a.may_match("Alpha", scratch));
    EXPECT_TRUE(b.may_match("beta-gamma delta", scratch));
    EXPECT_FALSE(a.may_match("beta", scratch));
  }
}

TEST(Prefilter, RejectsStemsOutsideItsAlphabet) {
  EXPECT_THROW(Prefilter({{"Upper"}}), Error);
  EXPECT_THROW(Prefilter({{"a.b"}}), Error);
  EXPECT_THROW(Prefilter(std::vector<std::vector<std::string>>{std::vector<std::string>{}}), Error);
  EXPECT_THROW(Prefilter({{"ok"}}, PrefilterInput::kText, {{ExactWord{"Upper"}}}), Error);
  EXPECT_THROW(Prefilter({{"ok"}}, PrefilterInput::kJsonText, {{ExactWord{"ok"}}}), Error);
}

}  // namespace
}  // namespace arxiv_digest
