// The minimal phrase matcher (see matcher.hpp). The full query language replaces it later behind
// the same Matcher interface.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "match/matcher.hpp"

namespace arxiv_digest {
namespace {

bool is_ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

unsigned char fold(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

// Length of a separator at `pos` (whitespace, ASCII hyphen, or a UTF-8 encoded hyphen, dash or
// no-break space), 0 if none.
std::size_t separator_at(std::string_view text, std::size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '-')
    return 1;
  if (c == 0xC2 && pos + 1 < text.size() && static_cast<unsigned char>(text[pos + 1]) == 0xA0)
    return 2;  // U+00A0 no-break space
  if (c == 0xE2 && pos + 2 < text.size() && static_cast<unsigned char>(text[pos + 1]) == 0x80) {
    const auto c2 = static_cast<unsigned char>(text[pos + 2]);
    if (c2 >= 0x90 && c2 <= 0x95) return 3;  // U+2010..U+2015 hyphens and dashes
  }
  return 0;
}

// A byte that continues a word: ASCII letters/digits and any non-ASCII byte that is not part of a
// separator (accented letters, CJK).
bool is_word_byte_before(std::string_view text, std::size_t end) {
  // `end` is one past the byte to inspect.
  const auto c = static_cast<unsigned char>(text[end - 1]);
  if (c < 0x80) return is_ascii_alnum(c);
  // A UTF-8 separator ends here?
  if (end >= 2 && separator_at(text, end - 2) == 2) return false;
  if (end >= 3 && separator_at(text, end - 3) == 3) return false;
  return true;
}

bool is_word_byte_at(std::string_view text, std::size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) return is_ascii_alnum(c);
  return separator_at(text, pos) == 0;
}

class PhraseMatcher final : public Matcher {
 public:
  explicit PhraseMatcher(std::vector<std::string> words) : words_(std::move(words)) {}

  std::vector<MatchSpan> find(const Paper& paper) const override {
    std::vector<MatchSpan> spans;
    scan(paper.title, MatchField::kTitle, spans);
    scan(paper.abstract, MatchField::kAbstract, spans);
    return spans;
  }

 private:
  // Length of `word` matched case-insensitively at `pos`, or 0.
  static bool word_at(std::string_view text, std::size_t pos, std::string_view word) {
    if (pos + word.size() > text.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      if (fold(static_cast<unsigned char>(text[pos + i])) != static_cast<unsigned char>(word[i]))
        return false;
    }
    return true;
  }

  // End offset of the whole phrase starting at `pos`, or npos.
  std::size_t phrase_at(std::string_view text, std::size_t pos) const {
    std::size_t at = pos;
    for (std::size_t w = 0; w < words_.size(); ++w) {
      if (w > 0) {
        std::size_t skipped = 0;
        while (at < text.size()) {
          std::size_t len = separator_at(text, at);
          if (len == 0) break;
          at += len;
          ++skipped;
        }
        if (skipped == 0) return std::string_view::npos;
      }
      if (!word_at(text, at, words_[w])) return std::string_view::npos;
      at += words_[w].size();
    }
    if (at < text.size() && is_word_byte_at(text, at)) return std::string_view::npos;
    return at;
  }

  void scan(std::string_view text, MatchField field, std::vector<MatchSpan>& spans) const {
    const std::string& first = words_.front();
    std::size_t pos = 0;
    while (pos + first.size() <= text.size()) {
      if (fold(static_cast<unsigned char>(text[pos])) == static_cast<unsigned char>(first[0]) &&
          (pos == 0 || !is_word_byte_before(text, pos))) {
        std::size_t end = phrase_at(text, pos);
        if (end != std::string_view::npos) {
          spans.push_back({field, pos, end});
          pos = end;
          continue;
        }
      }
      ++pos;
    }
  }

  std::vector<std::string> words_;  // lower-cased ASCII words of the phrase
};

}  // namespace

std::unique_ptr<Matcher> make_phrase_matcher(std::string_view phrase) {
  std::vector<std::string> words;
  std::string current;
  for (std::size_t i = 0; i < phrase.size(); ++i) {
    const auto c = static_cast<unsigned char>(phrase[i]);
    if (std::size_t len = separator_at(phrase, i); len > 0) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
      i += len - 1;
    } else {
      current.push_back(static_cast<char>(fold(c)));
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  bool has_word_char = false;
  for (const auto& w : words)
    for (char c : w) has_word_char |= is_ascii_alnum(static_cast<unsigned char>(c)) ||
                                      static_cast<unsigned char>(c) >= 0x80;
  if (!has_word_char)
    throw ConfigError(fmt::format("topic phrase '{}' has no letters or digits to match", phrase));
  return std::make_unique<PhraseMatcher>(std::move(words));
}

}  // namespace arxiv_digest
