#include "store/fts_text.hpp"

#include <array>

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

}  // namespace arxiv_digest
