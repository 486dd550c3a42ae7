// Prefilter (see prefilter.hpp).
#include "match/prefilter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "match/tokenizer.hpp"

namespace arxiv_digest {
namespace {

// What makes a text ineligible for the raw-byte shortcut (see prefilter.hpp), built from the
// tokenizer's own tables: a TeX accent escape (`\"o`, `\'{e}`, `\c{c}`, ...);
// a TeX letter command (`\ss`, `\o`, `\aa`, ... ending at a non-letter; `\lambda` is not one).
std::string unsafe_pattern() {
  auto escaped = [](std::string_view chars) {
    std::string out;
    for (char c : chars) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    return out;
  };
  std::string commands;
  for (const TexLetterCommand& named : kTexLetterCommands) {
    if (!commands.empty()) commands += '|';
    commands += named.command;
  }
  return fmt::format(R"(\\[{}]|\\[{}]\{{|\\({})([^a-zA-Z]|$))", escaped(kTexAccentSymbols),
                     escaped(kTexAccentLetters), commands);
}

// Also ineligible: braces between two letters or digits of a word, which join them into one
// ("Re{in}forcement"). The pattern finds braces between letters or digits; braces_join_word()
// then leaves out those after a command's name (`\emph{x}`), which join nothing. (A pattern
// telling them apart itself scans several times slower.)
// (Inert letters, below, count as letters here: `α{β}` joins them into one word too.)
constexpr std::string_view kBracesPattern = "[a-zA-Z0-9\\x80-\\xff][{}]+[a-zA-Z0-9\\x80-\\xff]";

// Text mode, non-ASCII characters (prefilter.hpp, "inert characters"): the lead byte of every
// UTF-8 sequence is reported and checked by inert_at(); continuation bytes need no check (part of
// a sequence checked at its lead byte, or invalid: a separator for the tokenizer).
constexpr std::string_view kNonAsciiPattern = "[\\xc0-\\xff]";

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// `end`: one past a kBracesPattern match in `text`. False when the letters before the braces are
// a TeX command's name: a run of letters right after a single backslash. After two backslashes
// (`\\` is a line break, then text) or a digit they are a word's.
bool braces_join_word(std::string_view text, std::size_t end) {
  std::size_t left = end - 1;  // the letter or digit after the braces
  while (left > 0 && (text[left - 1] == '{' || text[left - 1] == '}')) --left;
  --left;  // the letter or digit before them
  if (!is_letter(text[left])) return true;
  while (left > 0 && is_letter(text[left - 1])) --left;
  if (left == 0 || text[left - 1] != '\\') return true;
  return left >= 2 && text[left - 2] == '\\';
}
bool is_alnum(char c) { return is_letter(c) || (c >= '0' && c <= '9'); }

}  // namespace

// The characters the tokenizer never folds into ASCII letters or digits, as the tokenizer reads
// them (tests/match/prefilter_test.cpp checks each against it): a separator (S) alone gives no
// word and splits "a<c>b" in two; a letter (L) alone gives one word without ASCII bytes and joins
// "a<c>b" into one word containing it. Only the Latin-1 supplement, Latin Extended (its letters
// without a decomposition), IPA, Greek, Cyrillic and U+2000 to U+22FF (punctuation, letterlike
// symbols, arrows, mathematical operators) are listed: no script whose characters compose with
// their neighbours under NFKC. (A table rather than asking the tokenizer at startup, which took
// ~10 ms of every run.) Ranges sorted, inclusive.
namespace {

struct InertRange {
  std::uint32_t first, last;
  Inert inert;
};
constexpr Inert S = Inert::kSeparator;
constexpr Inert L = Inert::kLetter;
constexpr InertRange kInertRanges[] = {
    {0x0080, 0x00A9, S}, {0x00AB, 0x00AC, S}, {0x00AE, 0x00B1, S}, {0x00B4, 0x00B4, S},
    {0x00B5, 0x00B5, L}, {0x00B6, 0x00B8, S}, {0x00BB, 0x00BB, S}, {0x00BF, 0x00BF, S},
    {0x00C6, 0x00C6, L}, {0x00D0, 0x00D0, L}, {0x00D7, 0x00D7, S}, {0x00D8, 0x00D8, L},
    {0x00DE, 0x00DE, L}, {0x00E6, 0x00E6, L}, {0x00F0, 0x00F0, L}, {0x00F7, 0x00F7, S},
    {0x00F8, 0x00F8, L}, {0x00FE, 0x00FE, L}, {0x0110, 0x0111, L}, {0x0126, 0x0127, L},
    {0x0131, 0x0131, L}, {0x0138, 0x0138, L}, {0x0141, 0x0142, L}, {0x014A, 0x014B, L},
    {0x0152, 0x0153, L}, {0x0166, 0x0167, L}, {0x0180, 0x019F, L}, {0x01A2, 0x01AE, L},
    {0x01B1, 0x01C3, L}, {0x01DD, 0x01DD, L}, {0x01E2, 0x01E5, L}, {0x01EE, 0x01EF, L},
    {0x01F6, 0x01F7, L}, {0x01FC, 0x01FF, L}, {0x021C, 0x021D, L}, {0x0220, 0x0225, L},
    {0x0234, 0x02AF, L}, {0x02B1, 0x02B1, L}, {0x02B4, 0x02B6, L}, {0x02B9, 0x02C1, L},
    {0x02C2, 0x02C5, S}, {0x02C6, 0x02D1, L}, {0x02D2, 0x02DF, S}, {0x02E0, 0x02E0, L},
    {0x02E4, 0x02E4, L}, {0x02E5, 0x02EB, S}, {0x02EC, 0x02EC, L}, {0x02ED, 0x02ED, S},
    {0x02EE, 0x02EE, L}, {0x02EF, 0x02FF, S}, {0x0370, 0x0374, L}, {0x0375, 0x0375, S},
    {0x0376, 0x0377, L}, {0x0378, 0x037A, S}, {0x037B, 0x037D, L}, {0x037E, 0x037E, S},
    {0x037F, 0x037F, L}, {0x0380, 0x0385, S}, {0x0386, 0x0386, L}, {0x0387, 0x0387, S},
    {0x0388, 0x038A, L}, {0x038B, 0x038B, S}, {0x038C, 0x038C, L}, {0x038D, 0x038D, S},
    {0x038E, 0x03A1, L}, {0x03A2, 0x03A2, S}, {0x03A3, 0x03F5, L}, {0x03F6, 0x03F6, S},
    {0x03F7, 0x0481, L}, {0x0482, 0x0482, S}, {0x048A, 0x052F, L}, {0x2000, 0x200A, S},
    {0x2010, 0x2029, S}, {0x202F, 0x205F, S}, {0x2065, 0x2065, S}, {0x2072, 0x2073, S},
    {0x207A, 0x207E, S}, {0x208A, 0x208F, S}, {0x2094, 0x2094, L}, {0x209D, 0x20CF, S},
    {0x20F1, 0x2101, S}, {0x2103, 0x2106, S}, {0x2107, 0x2107, L}, {0x2108, 0x2109, S},
    {0x210F, 0x210F, L}, {0x2114, 0x2114, S}, {0x2116, 0x2118, S}, {0x211E, 0x2123, S},
    {0x2125, 0x2125, S}, {0x2126, 0x2126, L}, {0x2127, 0x2127, S}, {0x2129, 0x2129, S},
    {0x212E, 0x212E, S}, {0x2132, 0x2132, L}, {0x2135, 0x2138, L}, {0x213A, 0x213B, S},
    {0x213C, 0x213F, L}, {0x2140, 0x2144, S}, {0x214A, 0x214D, S}, {0x214E, 0x214E, L},
    {0x214F, 0x214F, S}, {0x2180, 0x2188, L}, {0x218A, 0x22FF, S},
};
constexpr std::uint32_t kInertEnd = 0x2300;
constexpr std::array<Inert, kInertEnd> kInertTable = [] {
  std::array<Inert, kInertEnd> table{};  // kNo
  for (const InertRange& r : kInertRanges)
    for (std::uint32_t cp = r.first; cp <= r.last; ++cp) table[cp] = r.inert;
  return table;
}();

}  // namespace

Inert inert_class(std::uint32_t code_point) {
  return code_point < kInertEnd ? kInertTable[code_point] : Inert::kNo;
}

Inert inert_at(std::string_view text, std::size_t at, std::size_t& length) {
  length = 1;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[at + k]); };
  const unsigned char lead = byte(0);
  std::size_t size = 0;
  std::uint32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    size = 2;
    cp = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    size = 3;
    cp = lead & 0x0Fu;
  } else {
    return Inert::kNo;  // ASCII, a continuation byte, a 4-byte sequence, or invalid
  }
  if (text.size() - at < size) return Inert::kNo;
  for (std::size_t k = 1; k < size; ++k) {
    if ((byte(k) & 0xC0u) != 0x80u) return Inert::kNo;
    cp = (cp << 6) | (byte(k) & 0x3Fu);
  }
  if (size == 3 && cp < 0x800) return Inert::kNo;  // overlong
  length = size;
  return inert_class(cp);
}

namespace {
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `text` has `word` (lower-case) at `at`, ASCII case-insensitively.
bool has_word_at(std::string_view text, std::size_t at, std::string_view word) {
  if (at > text.size() || text.size() - at < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (lower(text[at + k]) != word[k]) return false;
  return true;
}

// The loose form of `stems` (prefilter.hpp) at `at`, just past the first stem:
//   [a-zA-Z0-9]* SEP+ stem2 [a-zA-Z0-9]* SEP+ stem3 ...
// where SEP is, on text, a TeX command (a backslash and every ASCII letter after it), a TeX
// space (a backslash and one of kTexSpaceSymbols) or any other non-alphanumeric byte; on raw JSON,
// a backslash and the byte after it (an escape) or any other non-alphanumeric byte. Both read the
// bytes left to right as the tokenizer does (and as a JSON decoder does), so on a text without
// unsafe features every occurrence of the phrase is found from the hit of its first stem.
bool loose_at(std::string_view text, std::size_t at, const std::vector<std::string>& stems,
              bool json) {
  const std::size_t n = text.size();
  std::size_t i = at;
  std::size_t length = 0;
  // A byte >= 0x80 in a text (not raw JSON, where any is unsafe): an inert letter continues
  // the word; anything else there is a separator (or unsafe: reported by its own pattern).
  const auto inert_letter = [&](std::size_t pos) {
    return !json && inert_at(text, pos, length) == Inert::kLetter;
  };
  for (std::size_t k = 1; k < stems.size(); ++k) {
    while (i < n) {
      if (is_alnum(text[i])) {
        ++i;
      } else if (static_cast<unsigned char>(text[i]) >= 0x80 && inert_letter(i)) {
        i += length;
      } else {
        break;
      }
    }
    std::size_t units = 0;
    while (i < n) {
      if (static_cast<unsigned char>(text[i]) >= 0x80) {
        if (inert_letter(i)) break;  // a word that is not stem k
        i += json ? 1 : length;
      } else if (text[i] == '\\') {
        if (json) {
          if (i + 1 >= n) break;
          i += 2;
        } else if (i + 1 < n && is_letter(text[i + 1])) {
          i += 2;
          while (i < n && is_letter(text[i])) ++i;
        } else if (i + 1 < n && kTexSpaceSymbols.find(text[i + 1]) != std::string_view::npos) {
          i += 2;  // `\\`, `\ `, `\,`: read in pairs, as the tokenizer does (`\\learning`)
        } else {
          ++i;
        }
      } else if (!is_alnum(text[i])) {
        ++i;
      } else {
        break;
      }
      ++units;
    }
    if (units == 0 || !has_word_at(text, i, stems[k])) return false;
    i += stems[k].size();
  }
  return true;
}

bool is_soft(char c) { return c == ' ' || c == '-' || (c >= '\t' && c <= '\r'); }

// The first bytes every token `word` accepts starts with.
std::string_view literal_of(const ExactWord& word) {
  std::string_view w = word.word;
  if (word.form == ExactWord::Form::kPlural && w.size() >= 2 && w.back() == 'y') w.remove_suffix(1);
  return w;
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// Whether the token text[at, at + size) is, lower-cased, one `word` accepts: its forms as
// QuerySet indexes them (query_set.cpp: the word, +s, +es, consonant+y -> ies; the word only;
// any word it starts).
bool accepts(const ExactWord& word, std::string_view text, std::size_t at, std::size_t size) {
  const std::string_view w = word.word;
  auto tail = [&](std::string_view suffix) {
    return size == w.size() + suffix.size() - (suffix == "ies" ? 1 : 0) &&
           has_word_at(text, at + size - suffix.size(), suffix);
  };
  switch (word.form) {
    case ExactWord::Form::kExact:
      return size == w.size() && has_word_at(text, at, w);
    case ExactWord::Form::kPrefix:
      return size >= w.size() && has_word_at(text, at, w);
    case ExactWord::Form::kPlural:
      if (size < w.size() - 1 || size > w.size() + 2) return false;
      if (size >= w.size() && has_word_at(text, at, w) &&
          (size == w.size() || tail("s") || tail("es")))
        return true;
      return w.size() >= 2 && w.back() == 'y' && w[w.size() - 2] >= 'a' && w[w.size() - 2] <= 'z' &&
             !is_vowel(w[w.size() - 2]) && has_word_at(text, at, w.substr(0, w.size() - 1)) &&
             tail("ies");
  }
  return false;
}

// The exact form of `phrase` (prefilter.hpp) on a plain text, its first word's literal ending
// at `end`: the tokens of a plain text are its maximal runs of ASCII letters and digits, so
// this is the tokenizer and the phrase matcher over the few bytes concerned.
bool exact_at(std::string_view text, std::size_t end, const std::vector<ExactWord>& phrase) {
  const std::size_t n = text.size();
  std::size_t i = end - literal_of(phrase.front()).size();
  if (i > 0 && is_alnum(text[i - 1])) return false;  // not a token's start
  for (std::size_t k = 0; k < phrase.size(); ++k) {
    if (k > 0) {
      const std::size_t gap = i;
      for (; i < n && !is_alnum(text[i]); ++i)
        if (!phrase[k].any_gap && !is_soft(text[i])) return false;
      if (i == gap || i == n) return false;
    }
    std::size_t stop = i;
    while (stop < n && is_alnum(text[stop])) ++stop;
    if (!accepts(phrase[k], text, i, stop - i)) return false;
    i = stop;
  }
  return true;
}

// Plain (prefilter.hpp: exact decisions): ASCII, no backslash, no brace. Eight bytes at a time.
bool is_plain(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = kOnes * 0x80;
  auto has_byte = [](std::uint64_t w, unsigned char b) {
    const std::uint64_t x = w ^ (kOnes * b);
    return ((x - kOnes) & ~x & kHigh) != 0;
  };
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, text.data() + i, 8);
    if ((w & kHigh) != 0 || has_byte(w, '\\') || has_byte(w, '{') || has_byte(w, '}')) return false;
  }
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\\' || c == '{' || c == '}') return false;
  }
  return true;
}

// Raw JSON (prefilter.hpp, JSON mode): a byte >= 0x80, `\\` or `\u`, or braces between letters
// or digits. (Braces count whatever precedes them: a backslash before letters is a JSON escape
// there, `\nabc{d}` decoding to a line break and a word "abcd", not a TeX command's name.)
constexpr std::string_view kJsonUnsafePattern =
    R"([\x80-\xff]|\\[\\u]|[a-zA-Z0-9][{}]+[a-zA-Z0-9])";

struct ScanState {
  const Prefilter::Patterns* patterns = nullptr;
  std::string_view text;
  bool found = false;  // may match (main database); an exact phrase occurs (exact database)
};

int on_match(unsigned int id, unsigned long long, unsigned long long to, unsigned int,
             void* context) {
  auto& state = *static_cast<ScanState*>(context);
  const Prefilter::Patterns& p = *state.patterns;
  const auto end = static_cast<std::size_t>(to);
  if (id < p.loose.size()) {
    if (!loose_at(state.text, end, p.loose[id], p.json)) return 0;
  } else if (id == p.braces_id) {
    if (!braces_join_word(state.text, end)) return 0;  // after a command's name: keep scanning
  } else if (id == p.non_ascii_id) {
    std::size_t length = 0;
    if (inert_at(state.text, end - 1, length) != Inert::kNo) return 0;  // keep scanning
  }
  state.found = true;  // a phrase, or an unsafe feature
  return 1;            // terminate the scan
}

int on_exact_match(unsigned int id, unsigned long long, unsigned long long to, unsigned int,
                   void* context) {
  auto& state = *static_cast<ScanState*>(context);
  if (!exact_at(state.text, static_cast<std::size_t>(to), state.patterns->exact[id])) return 0;
  state.found = true;
  return 1;
}

void check_words(const std::vector<std::string>& words) {
  if (words.empty()) throw Error("prefilter phrase is empty");
  for (const std::string& w : words) {
    const bool valid = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
    if (!valid)
      throw Error(fmt::format("prefilter stem '{}' is not lower-case ASCII letters and digits", w));
  }
}

HsDatabase compile(const std::vector<std::string>& expressions,
                   const std::vector<unsigned int>& flags) {
  std::vector<const char*> pointers;
  std::vector<unsigned int> ids;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    pointers.push_back(expressions[i].c_str());
    ids.push_back(static_cast<unsigned int>(i));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                       static_cast<unsigned int>(pointers.size()), HS_MODE_BLOCK, nullptr,
                       &database, &error) != HS_SUCCESS) {
    const std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    throw Error(fmt::format("Hyperscan cannot compile the prefilter: {}", message));
  }
  return HsDatabase(database);
}

}  // namespace

Prefilter::Prefilter(const std::vector<std::vector<std::string>>& phrases, PrefilterInput input) {
  build(phrases, input, nullptr);
}

Prefilter::Prefilter(const std::vector<std::vector<std::string>>& phrases, PrefilterInput input,
                     const std::vector<std::vector<ExactWord>>& exact) {
  if (input != PrefilterInput::kText) throw Error("exact phrases are for text, not raw JSON");
  build(phrases, input, &exact);
}

void Prefilter::build(const std::vector<std::vector<std::string>>& phrases, PrefilterInput input,
                      const std::vector<std::vector<ExactWord>>* exact) {
  // Hyperscan finds the first stem of each phrase, a plain (case-insensitive) literal: that
  // compiles in about a millisecond, where the loose forms as regular expressions took tens
  // of milliseconds for a few dozen phrases. The rest of a phrase is checked from there
  // (loose_at, exact_at).
  auto patterns = std::make_shared<Patterns>();
  patterns->json = input == PrefilterInput::kJsonText;
  std::vector<std::string> expressions;
  std::vector<unsigned int> flags;
  for (const auto& phrase : phrases) {
    check_words(phrase);
    patterns->loose.push_back(phrase);
    expressions.push_back(phrase.front());
    flags.push_back(HS_FLAG_CASELESS);  // every match: the phrase is checked from each one
  }
  if (patterns->json) {
    expressions.emplace_back(kJsonUnsafePattern);
    flags.push_back(HS_FLAG_SINGLEMATCH);
  } else {
    expressions.push_back(unsafe_pattern());
    flags.push_back(HS_FLAG_SINGLEMATCH);
    patterns->braces_id = static_cast<unsigned int>(expressions.size());
    expressions.emplace_back(kBracesPattern);
    flags.push_back(0);  // every match: each is checked by braces_join_word()
    patterns->non_ascii_id = static_cast<unsigned int>(expressions.size());
    expressions.emplace_back(kNonAsciiPattern);
    flags.push_back(0);  // every match: each is checked by inert_at()
  }
  database_ = compile(expressions, flags);
  if (exact != nullptr) {
    // Plain texts only: the literals alone (a pure literal matcher).
    std::vector<std::string> literals;
    for (const auto& phrase : *exact) {
      std::vector<std::string> words;
      for (const ExactWord& w : phrase) words.push_back(w.word);
      check_words(words);
      patterns->exact.push_back(phrase);
      literals.emplace_back(literal_of(phrase.front()));
    }
    if (!literals.empty())
      exact_database_ =
          compile(literals, std::vector<unsigned int>(literals.size(), HS_FLAG_CASELESS));
  }
  exact_ = exact != nullptr;
  patterns_ = std::move(patterns);
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id.fetch_add(1, std::memory_order_relaxed);
}

bool Prefilter::scan(const hs_database_t* database, std::string_view text,
                     PrefilterScratch& scratch, bool& found) const {
  if (scratch.sized_for != id_) {
    hs_scratch_t* raw = scratch.scratch.release();
    for (const hs_database_t* db : {database_.get(), exact_database_.get()}) {
      if (db != nullptr && hs_alloc_scratch(db, &raw) != HS_SUCCESS) {
        scratch.scratch.reset(raw);
        scratch.sized_for = 0;
        throw Error("Hyperscan cannot allocate scratch space");
      }
    }
    scratch.scratch.reset(raw);
    scratch.sized_for = id_;
  }
  ScanState state{patterns_.get(), text};
  const hs_error_t result = hs_scan(
      database, text.data(), static_cast<unsigned int>(text.size()), 0, scratch.scratch.get(),
      database == database_.get() ? on_match : on_exact_match, &state);
  if (result != HS_SUCCESS && result != HS_SCAN_TERMINATED) return false;  // unsure
  found = state.found;
  return true;
}

bool Prefilter::may_match(std::string_view text, PrefilterScratch& scratch) const {
  if (text.empty()) return false;
  if (text.size() > 0xFFFFFFFFu) return true;  // beyond hs_scan's length type: do the work
  bool found = false;
  if (!scan(database_.get(), text, scratch, found)) return true;  // unsure: do the work
  return found;
}

Verdict Prefilter::decide(std::string_view text, PrefilterScratch& scratch) const {
  if (text.empty()) return Verdict::kNo;
  if (text.size() > 0xFFFFFFFFu) return Verdict::kMaybe;
  if (exact_ && is_plain(text)) {
    if (!exact_database_) return Verdict::kNo;  // no phrase can occur in a plain text
    bool found = false;
    if (!scan(exact_database_.get(), text, scratch, found)) return Verdict::kMaybe;
    return found ? Verdict::kYes : Verdict::kNo;
  }
  return may_match(text, scratch) ? Verdict::kMaybe : Verdict::kNo;
}

}  // namespace arxiv_digest
