// Tokenizer: splits a title, abstract, comment or query into folded words, the unit every query
// matches on. Pure functions, thread-safe (the ICU-derived folding table is built once, on first
// use, under a function-local static).
//
// Normalisation, applied to each word:
// - Unicode NFKC and full case folding (ICU): "Ｆｉｇ" = "fig", "ﬁne" = "fine", "Straße" =
// "strasse";
// - accents removed (NFKD, then non-spacing marks dropped): "Schrödinger" = "Schrodinger";
// - TeX accent escapes resolved: `Schr\"odinger`, `Schr{\"o}dinger`, `\'{e}`, `\c{c}`, `\ss`;
//   they are letters of the word they are in;
// - any other TeX command, a backslash and the ASCII letters after it (`\emph`, `\textbf`, `\it`,
//   `\mathrm`, `\cite`, `\alpha`), ends a word and is no word itself; its braced argument is
//   ordinary text: `\emph{diffusion policy}` gives "diffusion", "policy";
// - braces are TeX grouping, transparent everywhere: "Re{in}forcement" is one word, as TeX prints
//   it, and `\emph{diffusion} policy` has only a space between its words;
// - words are runs of letters and digits (any script); every other character ends a word.
// Between two words, any run of whitespace (line breaks included), hyphens and dashes (U+2010 to
// U+2015, U+2212, no-break spaces), TeX commands and TeX spaces (`\\`, `\ `, `\,`, `\;`, ...)
// is a *soft* gap: "Reinforcement-Learning", "reinforcement\n  learning" and
// `\textbf{Reinforcement} \textbf{Learning}` all give the words "reinforcement", "learning"
// joined softly. Any other character (",", "(", "$", "/", escaped ones like `\%`) makes a *hard*
// gap, so a phrase does not match across it (`\emph{diffusion}, policy`).
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

// Any other backslash followed by an ASCII letter starts a command (`\emph`), its name all the
// letters that follow: it ends the current word, is no word itself and is a soft gap (what the
// prefilter must read as a possible gap between words, never as letters of one).
//
// Control symbols read as spaces (soft gaps): `\\` (line break), a backslash and whitespace
// (control space), `\,` `\:` `\;` `\!` (math spacing) and `\/` (italic correction). Any other
// (`\%`, `\$`, `\{`, a trailing backslash) is a hard gap.
inline constexpr std::string_view kTexSpaceSymbols = "\\ \t\n\r\f\v,:;!/";

struct Token {
  std::uint32_t folded_begin = 0;  // range in TokenizedText::folded
  std::uint32_t folded_size = 0;
  // Byte range in the source text, from the word's first letter or digit to its last (a TeX
  // escape or combining mark included; braces around the word, `\emph{word}`, left out).
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool soft_gap = false;            // only a soft gap (see above) since the previous token
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
