#include "match/tokenizer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace arxiv_digest {
namespace {

// Folded words, " " for a soft gap and " | " for a hard gap.
std::string show(std::string_view text) {
  TokenizedText t = tokenize(text);
  std::string out;
  for (std::size_t i = 0; i < t.tokens.size(); ++i) {
    if (i > 0) out += t.tokens[i].soft_gap ? " " : " | ";
    out += t.word(t.tokens[i]);
  }
  return out;
}

TEST(Tokenizer, NormalisesEveryRule) {
  struct Case {
    const char* text;
    const char* words;
  } cases[] = {
      // case folding, hyphens, dashes, line breaks and repeated spaces (real titles)
      {"Self-CTRL: Self-Consistency Training with Reinforcement Learning",
       "self ctrl | self consistency training with reinforcement learning"},
      {"via Reinforcement-Learning.", "via reinforcement learning"},
      {"nonlinear\n  Schr\\\"odinger equation", "nonlinear schrodinger equation"},
      {"nonlinear Schr\\\"{o}dinger\n  equation", "nonlinear schrodinger equation"},
      {"the Gr\\\"obner basis", "the grobner basis"},
      {"the Painlev\\'e-I equation", "the painleve i equation"},
      {"{\\it\n  tritronqu\\'ee} solution", "tritronquee solution"},  // \it: not a word
      {"Schrödinger's Tree -- On Syntax", "schrodinger | s tree on syntax"},
      {"Schro\xCC\x88"
       "dinger",
       "schrodinger"},                                                  // o + combining diaeresis
      {"reinforcement\xE2\x80\x93learning", "reinforcement learning"},  // en dash
      {"reinforcement\xC2\xA0learning", "reinforcement learning"},      // no-break space
      {"\xEF\xAC\x81ne-tuning", "fine tuning"},                         // U+FB01 ligature
      {"\xEF\xBC\xA6\xEF\xBD\x89\xEF\xBD\x87. 3", "fig | 3"},           // full-width "Fig"
      {"Stra\xC3\x9F"
       "e",
       "strasse"},  // full case folding
      {"Fran\\c{c}ois, Andr\\'{\\i}, \\ss", "francois | andri | ss"},
      {"reinforcement, learning", "reinforcement | learning"},
      {"(reinforcement  learning)", "reinforcement learning"},
      {"$\\alpha$-divergence", "divergence"},  // \alpha is a command, not a word
      {"GPT-3.5", "gpt 3 | 5"},
      {"", ""},
      {" - -- ", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(show(c.text), c.words);
  }
}

// Issue 9: a TeX command (`\name`) other than an accent or letter escape is a word boundary, its
// name is not a word, and its braced argument is ordinary text; braces are transparent grouping.
TEST(Tokenizer, TexCommandsAreWordBoundariesAndTheirArgumentsText) {
  struct Case {
    const char* text;
    const char* words;
  } cases[] = {
      {"We use \\emph{diffusion policy}", "we use diffusion policy"},
      {"\\emph{diffusion} policy", "diffusion policy"},  // "}" then a space: a soft gap
      {"{\\em diffusion policy}", "diffusion policy"},
      {"\\textbf{Reinforcement} \\textbf{Learning}", "reinforcement learning"},
      {"2) \\textit{Reinforcement Learning}: Math-Shepherd",
       "2 | reinforcement learning | math shepherd"},
      {"a \\emph{} b", "a b"},
      {"\\textbf{\\emph{nested {braces}} here}", "nested braces here"},
      {"\\mathrm{d}x and \\cite{smith2020}", "dx and smith2020"},  // braces stay transparent
      {"\\emph{diffusion}policy", "diffusionpolicy"},              // as TeX prints it
      {"first line\\\\second line", "first line second line"},     // \\ is a line break
      {"a\\,b\\ c", "a b c"},                                      // TeX spaces
      {"diffusion, \\emph{policy}", "diffusion | policy"},         // punctuation still a hard gap
      {"77.9\\%$\\to$84.1\\%", "77 | 9 | 84 | 1"},
      {"\\\\emph{x}", "emphx"},  // after a line break, "emph" is text
      {"trailing \\", "trailing"},
      {"\\", ""},
      {"\\emph2d", "2d"},
      // accent and letter escapes stay letters of their word, also inside a command's argument
      {"\\emph{Schr\\\"odinger} equation", "schrodinger equation"},
      {"\\textbf{Fran\\c{c}ois} Andr\\'{\\i} Stra\\ss{}e", "francois andri strasse"},
      {"\\itshape and \\i, \\aa{} and \\aleph", "and i | a and"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(show(c.text), c.words);
  }
  const std::string text = "We use \\emph{diffusion policy}";
  TokenizedText t = tokenize(text);
  ASSERT_EQ(t.tokens.size(), 4u);
  EXPECT_EQ(text.substr(t.tokens[2].begin, t.tokens[2].end - t.tokens[2].begin), "diffusion");
  EXPECT_EQ(text.substr(t.tokens[3].begin, t.tokens[3].end - t.tokens[3].begin), "policy");
  // A word's span stops at its last letter: a closing brace is grouping around it, a TeX escape or
  // a combining mark is part of it.
  for (const std::string& word :
       {std::string("{\\it tritronqu\\'{e}}"), std::string("\\textbf{Schro\xCC\x88}")}) {
    TokenizedText w = tokenize(word);
    ASSERT_EQ(w.tokens.size(), 1u) << word;
    EXPECT_EQ(w.tokens[0].end, word.size() - 1) << word;
  }
}

TEST(Tokenizer, ReportsSourceByteRanges) {
  const std::string text = "A Schr\\\"odinger-like, x";
  TokenizedText t = tokenize(text);
  ASSERT_EQ(t.tokens.size(), 4u);
  EXPECT_EQ(text.substr(t.tokens[1].begin, t.tokens[1].end - t.tokens[1].begin), "Schr\\\"odinger");
  EXPECT_EQ(text.substr(t.tokens[2].begin, t.tokens[2].end - t.tokens[2].begin), "like");
  EXPECT_TRUE(t.tokens[2].soft_gap);
  EXPECT_FALSE(t.tokens[3].soft_gap);
}

TEST(Tokenizer, InvalidUtf8EndsWordsWithoutFailing) {
  EXPECT_EQ(show("ab\xFF"
                 "cd \xE2\x80"),
            "ab | cd");
}

}  // namespace
}  // namespace arxiv_digest
