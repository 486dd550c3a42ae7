#include "store/fts_text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace arxiv_digest {
namespace {

// Kept in step with match/tokenizer.hpp (kTexAccentSymbols, kTexAccentLetters,
// kTexLetterCommands); the store cannot include match.
constexpr std::string_view kAccentSymbols = "\"'`^~=.";
constexpr std::string_view kAccentLetters = "cvuHkrdbt";
struct LetterCommand {
  std::string_view command;
  std::string_view letters;
};
constexpr std::array<LetterCommand, 13> kLetterCommands = {{{"ss", "ss"},
                                                            {"o", "o"},
                                                            {"O", "o"},
                                                            {"l", "l"},
                                                            {"L", "l"},
                                                            {"i", "i"},
                                                            {"j", "j"},
                                                            {"aa", "a"},
                                                            {"AA", "a"},
                                                            {"ae", "ae"},
                                                            {"AE", "ae"},
                                                            {"oe", "oe"},
                                                            {"OE", "oe"}}};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The most frequent words of arXiv titles and abstracts that carry no topic (measured on the
// bulk corpus: together about a quarter of all words). Lower case, at most 5 letters.
constexpr std::array<std::string_view, 32> kStopwords = {
    "a",    "an",   "and",   "are",   "as",   "at",  "be",    "by",    "can",  "for", "from",
    "has",  "have", "in",    "is",    "it",   "its", "of",    "on",    "or",   "our", "such",
    "that", "the",  "their", "these", "this", "to",  "which", "while", "with", "we"};

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= '0' && c <= '9') || is_ascii_letter(c);
}

std::string lowered(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// A word of at most 7 bytes as one integer (its bytes, then its length in the top byte), so the
// stop-word test is integer compares: fts_words() asks it for every short word of every title
// and abstract, and comparing strings was a tenth of an import's index work.
constexpr std::uint64_t packed(std::string_view word) {
  std::uint64_t value = static_cast<std::uint64_t>(word.size()) << 56;
  for (std::size_t i = 0; i < word.size(); ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(word[i])) << (8 * i);
  }
  return value;
}

static_assert(std::all_of(kStopwords.begin(), kStopwords.end(),
                          [](std::string_view w) { return w.size() <= 5; }),
              "is_stopword_lower() and packed() take stop words of at most 5 bytes");

constexpr auto kPackedStopwords = [] {
  std::array<std::uint64_t, kStopwords.size()> out{};
  for (std::size_t i = 0; i < kStopwords.size(); ++i) out[i] = packed(kStopwords[i]);
  std::sort(out.begin(), out.end());
  return out;
}();

bool is_stopword_lower(std::string_view word) {
  if (word.size() > 5) return false;
  return std::binary_search(kPackedStopwords.begin(), kPackedStopwords.end(), packed(word));
}

}  // namespace

std::string fts_fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '{' || c == '}') {  // TeX grouping: transparent
      ++i;
      continue;
    }
    if (c != '\\') {
      out += c;
      ++i;
      continue;
    }
    // A backslash: an accent escape (its letter stays part of the word), a letter command, or
    // any other command (a word boundary).
    if (i + 1 >= text.size()) {
      out += ' ';
      ++i;
      continue;
    }
    const char next = text[i + 1];
    if (kAccentSymbols.find(next) != std::string_view::npos) {
      i += 2;  // `\"o`, `\'{e}`: the letter (or brace group) follows
      continue;
    }
    if (!is_ascii_letter(next)) {
      out += ' ';
      i += 2;
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() && is_ascii_letter(text[end])) ++end;
    const std::string_view name = text.substr(i + 1, end - i - 1);
    if (name.size() == 1 && kAccentLetters.find(name[0]) != std::string_view::npos &&
        end < text.size() && text[end] == '{') {
      i = end;  // `\c{c}`: the braced letter stays
      continue;
    }
    bool letters = false;
    for (const LetterCommand& command : kLetterCommands) {
      if (command.command == name) {
        out += command.letters;
        letters = true;
        break;
      }
    }
    if (!letters) out += ' ';
    i = end;
  }
  return out;
}

bool fts_is_stopword(std::string_view word) {
  return word.size() <= 5 && is_stopword_lower(lowered(word));
}

bool fts_stopword_has_prefix(std::string_view prefix) {
  const std::string lower = lowered(prefix);
  return std::any_of(kStopwords.begin(), kStopwords.end(),
                     [&](std::string_view stop) { return stop.starts_with(lower); });
}

std::string fts_words(std::string_view text) {
  std::string folded = fts_fold(text);
  for (char& c : folded) c = ascii_lower(c);
  // Each word's first occurrence, found through an open-addressing table of offsets into
  // `words` (sized to at least twice the words there can be): sorting them cost more than
  // everything else here.
  std::vector<std::string_view> words;
  std::size_t slots = 16;
  while (slots < folded.size() + 1) slots *= 2;  // a word takes 2 bytes with its separator
  std::vector<std::uint32_t> table(slots, 0);    // 0: empty, else index into words + 1
  std::size_t i = 0;
  while (i < folded.size()) {
    if (!is_word_byte(folded[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a
    while (end < folded.size() && is_word_byte(folded[end])) {
      hash = (hash ^ static_cast<unsigned char>(folded[end])) * 1099511628211ULL;
      ++end;
    }
    const std::string_view word = std::string_view(folded).substr(i, end - i);
    i = end;
    if (is_stopword_lower(word)) continue;
    for (std::size_t slot = hash & (slots - 1);; slot = (slot + 1) & (slots - 1)) {
      if (table[slot] == 0) {
        words.push_back(word);
        table[slot] = static_cast<std::uint32_t>(words.size());
        break;
      }
      if (words[table[slot] - 1] == word) break;
    }
  }
  std::string out;
  out.reserve(folded.size());
  for (const std::string_view word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

}  // namespace arxiv_digest
