// Tokenizer: splits a title, abstract, comment or query into folded words, the unit every query
// matches on. Pure functions, thread-safe (the ICU-derived folding table is built once, on first
// use, under a function-local static).
//
// Normalisation, applied to each word:
// - Unicode NFKC and full case folding (ICU): "Ｆｉｇ" = "fig", "ﬁne" = "fine", "Straße" =
// "strasse";
// - accents removed (NFKD, then non-spacing marks dropped): "Schrödinger" = "Schrodinger";
// - TeX accent escapes resolved: `Schr\"odinger`, `Schr{\"o}dinger`, `\'{e}`, `\c{c}`, `\ss`;
//   braces are transparent inside words;
// - words are runs of letters and digits (any script); every other character ends a word.
// Between two words, any run of whitespace (line breaks included), hyphens and dashes (U+2010 to
// U+2015, U+2212, no-break spaces) is a *soft* gap: "Reinforcement-Learning" and
// "reinforcement\n  learning" both give the words "reinforcement", "learning" joined softly. Any
// other character (",", "(", "$", "/") makes a *hard* gap, so a phrase does not match across it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest {

inline constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;
inline constexpr std::uint64_t kFnvPrime = 1099511628211ull;

// The TeX escapes the tokenizer reads as letters (anything reading raw bytes, like the prefilter,
// must treat them as letters it cannot see):
// - accent symbols, `\"o`, `\'{e}`: a backslash, one of these, then an optional brace group;
inline constexpr std::string_view kTexAccentSymbols = "\"'`^~=.";
// - accent letters, `\c{c}`, `\v{s}`: a backslash, one of these, then a brace group;
inline constexpr std::string_view kTexAccentLetters = "cvuHkrdbt";
// - letter commands ending at a non-letter (`\ss`, `\o`, `\aa`; not `\omega`), with the folded
//   letters each stands for.
struct TexLetterCommand {
  std::string_view command;
  std::string_view letters;
};
inline constexpr TexLetterCommand kTexLetterCommands[] = {
    {"ss", "ss"}, {"o", "o"},  {"O", "o"},   {"l", "l"},   {"L", "l"},   {"i", "i"},  {"j", "j"},
    {"aa", "a"},  {"AA", "a"}, {"ae", "ae"}, {"AE", "ae"}, {"oe", "oe"}, {"OE", "oe"}};

struct Token {
  std::uint32_t folded_begin = 0;  // range in TokenizedText::folded
  std::uint32_t folded_size = 0;
  std::uint32_t begin = 0;  // byte range in the source text
  std::uint32_t end = 0;
  bool soft_gap = false;            // only whitespace/hyphens/dashes since the previous token
  std::uint64_t hash = kFnvOffset;  // FNV-1a (64-bit) of the folded word, computed on the way
};

struct TokenizedText {
  std::string folded;         // the folded words, back to back (no separators)
  std::vector<Token> tokens;  // in source order
  std::string_view word(const Token& t) const {
    return std::string_view(folded).substr(t.folded_begin, t.folded_size);
  }
  void clear() {
    folded.clear();
    tokens.clear();
  }
};

// Appends the tokens of `text` to `out` (cleared first). Invalid UTF-8 bytes end words (never
// throws on any input). Texts above 4 GiB are not supported (offsets are 32-bit).
void tokenize(std::string_view text, TokenizedText& out);
TokenizedText tokenize(std::string_view text);

}  // namespace arxiv_digest
