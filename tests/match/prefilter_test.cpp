// The Hyperscan prefilter on its own: which raw texts it rules out, which it must let through.
// (Query-level equivalence with the full matcher: tests/match/query_test.cpp and the differential
// fuzzer fuzz/prefilter_fuzzer.cpp.)
#include "match/prefilter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "match/tokenizer.hpp"

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

// Issue 9 (match speed): Greek letters and typographic punctuation no longer send a text to the
// tokenizer: they are inert (prefilter.hpp), unlike accented Latin letters or soft hyphens.
TEST(Prefilter, RulesOutTextsWithInertCharacters) {
  // "reinforcement learning", "diffusion policy", and the prefix word `diffus*` then "policy".
  const Prefilter filter(
      {{"reinforcement", "learning"}, {"diffusion", "polic"}, {"diffus", "polic"}});
  PrefilterScratch scratch;
  const Case cases[] = {
      {"with \xCE\xB1 = 0.5 and \xCE\xBC \xE2\x89\xA5 1 \xE2\x80\x94 a bound", false},  // α μ ≥ —
      {"Reinforcement\xE2\x80\x93learning", true},   // en dash: a separator
      {"reinforcement\xC2\xA0learning", true},       // no-break space
      {"diffusion\xCE\xB1 policy", true},            // α continues "diffusion"
      {"diffusionic\xCE\xB1x policy", true},         // one word for `diffus*`
      {"\u03B1diffusion policy", true},              // (the matcher decides)
      {"diffusion \xCE\xB1policy", false},           // "αpolicy" is no "polic..." word
      {"\xCE\xB1{\xCE\xB2}diffusion policy", true},  // braces next to letters
      {"diffusion{\xCE\xB2} policy", true},
      {"caf\xC3\xA9 \xCE\xB1", true},         // é is not inert
      {"\xCE\xB1 soft\xC2\xADhyphen", true},  // nor is a soft hyphen
      {"\xCE\xB1\xCC\x81", true},             // nor a combining accent
      {"\xCE", true},                         // nor a truncated sequence
      {"\xE2\x84\xAA", true},                 // the Kelvin sign folds to "k"
      {"\xC2\xB2", true},                     // "²" folds to "2"
  };
  for (const Case& c : cases) EXPECT_EQ(filter.may_match(c.text, scratch), c.may_match) << c.text;
}

// inert_class() is a table (prefilter.cpp): each character it lists is checked here against the
// tokenizer, alone and between letters and digits, upper and lower case.
TEST(Prefilter, InertCharactersAreWhatTheTokenizerSays) {
  std::size_t separators = 0, letters = 0;
  for (std::uint32_t cp = 0x80; cp < 0x2300; ++cp) {
    const Inert inert = inert_class(cp);
    if (inert == Inert::kNo) continue;
    std::string c;
    if (cp < 0x800) {
      c = {static_cast<char>(0xC0 | (cp >> 6)), static_cast<char>(0x80 | (cp & 0x3F))};
    } else {
      c = {static_cast<char>(0xE0 | (cp >> 12)), static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
           static_cast<char>(0x80 | (cp & 0x3F))};
    }
    std::size_t length = 0;
    ASSERT_EQ(inert_at(c, 0, length), inert);
    ASSERT_EQ(length, c.size());
    const TokenizedText alone = tokenize(c);
    ASSERT_EQ(alone.tokens.size(), inert == Inert::kSeparator ? 0u : 1u) << std::hex << cp;
    (inert == Inert::kSeparator ? separators : letters)++;
    for (const char* around : {"ab", "AZ", "09", "x1", "Qq", "e9"}) {
      const TokenizedText t = tokenize(around[0] + c + around[1]);
      if (inert == Inert::kSeparator) {
        ASSERT_EQ(t.tokens.size(), 2u) << std::hex << cp;
      } else {
        ASSERT_EQ(t.tokens.size(), 1u) << std::hex << cp;
        ASSERT_NE(t.folded.find(alone.folded), std::string::npos) << std::hex << cp;
      }
    }
    for (char ch : alone.folded) ASSERT_GE(static_cast<unsigned char>(ch), 0x80u) << std::hex << cp;
  }
  EXPECT_EQ(inert_class(0x3B1), Inert::kLetter);      // α
  EXPECT_EQ(inert_class(0x2013), Inert::kSeparator);  // –
  EXPECT_EQ(inert_class(0xE9), Inert::kNo);           // é
  EXPECT_GT(separators, 100u);
  EXPECT_GT(letters, 100u);
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
