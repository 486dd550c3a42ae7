// Tokenizer (see tokenizer.hpp). ASCII is classified through a 128-entry table; every other code
// point goes through a folding table derived from ICU, built lazily per 256-code-point block, so
// ICU is called once per distinct block of the Basic Multilingual Plane and never per paper.
#include "match/tokenizer.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <memory>
#include <mutex>

namespace arxiv_digest {
namespace {

enum class CharKind : std::uint8_t { kHard, kSoft, kWord, kTransparent };

struct Folded {
  CharKind kind = CharKind::kHard;
  std::string text;  // folded UTF-8 letters/digits when kind == kWord
};

const icu::Normalizer2* normalizer(bool compose) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = compose ? icu::Normalizer2::getNFKCInstance(status)
                                      : icu::Normalizer2::getNFKDInstance(status);
  return U_SUCCESS(status) ? n : nullptr;
}

bool is_mark(UChar32 c) {
  const auto mask = U_GET_GC_MASK(c);
  return (mask & (U_GC_MN_MASK | U_GC_ME_MASK | U_GC_MC_MASK)) != 0;
}

bool is_alnum(UChar32 c) { return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_N_MASK)) != 0; }

// NFKD, drop marks, full case folding, NFKC; keeps letters and digits only.
Folded fold_code_point(UChar32 c) {
  Folded f;
  if (c == 0x00AD || u_charType(c) == U_FORMAT_CHAR || is_mark(c)) {
    f.kind = CharKind::kTransparent;  // soft hyphen, zero-width joiners, combining accents
    return f;
  }
  if (u_isUWhiteSpace(c) || u_charType(c) == U_DASH_PUNCTUATION || c == 0x2212 || c == 0x200B) {
    f.kind = CharKind::kSoft;
    return f;
  }
  if (!is_alnum(c)) return f;
  const icu::Normalizer2* nfkd = normalizer(false);
  const icu::Normalizer2* nfkc = normalizer(true);
  if (nfkd == nullptr || nfkc == nullptr) return f;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString decomposed = nfkd->normalize(icu::UnicodeString(c), status);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 d = decomposed.char32At(i);
    if (!is_mark(d)) kept.append(d);
    i += U16_LENGTH(d);
  }
  kept.foldCase();
  icu::UnicodeString composed = nfkc->normalize(kept, status);
  if (U_FAILURE(status)) return f;
  icu::UnicodeString letters;
  for (int32_t i = 0; i < composed.length();) {
    UChar32 d = composed.char32At(i);
    if (is_alnum(d)) letters.append(d);
    i += U16_LENGTH(d);
  }
  letters.toUTF8String(f.text);
  f.kind = f.text.empty() ? CharKind::kHard : CharKind::kWord;
  return f;
}

// Folding of the BMP, one lazily built block of 256 code points at a time.
class FoldTable {
 public:
  const Folded& get(UChar32 c) {
    const auto block = static_cast<std::size_t>(c) >> 8;
    std::call_once(once_[block], [this, block] {
      auto entries = std::make_unique<std::array<Folded, 256>>();
      for (std::size_t i = 0; i < 256; ++i)
        (*entries)[i] = fold_code_point(static_cast<UChar32>((block << 8) | i));
      blocks_[block] = std::move(entries);
    });
    return (*blocks_[block])[static_cast<std::size_t>(c) & 0xFF];
  }

 private:
  std::array<std::once_flag, 256> once_;
  std::array<std::unique_ptr<std::array<Folded, 256>>, 256> blocks_;
};

FoldTable& fold_table() {
  static FoldTable table;
  return table;
}

// ASCII classes: word bytes are stored folded (lower case), 0 = hard, 1 = soft, 2 = transparent.
constexpr std::array<char, 128> make_ascii_table() {
  std::array<char, 128> t{};
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'a'; c <= 'z'; ++c) t[static_cast<std::size_t>(c)] = static_cast<char>(c);
  for (int c = 'A'; c <= 'Z'; ++c)
    t[static_cast<std::size_t>(c)] = static_cast<char>(c - 'A' + 'a');
  for (char c : {' ', '\t', '\n', '\r', '\f', '\v', '-'}) t[static_cast<std::size_t>(c)] = 1;
  t[static_cast<std::size_t>('{')] = 2;
  t[static_cast<std::size_t>('}')] = 2;
  return t;
}
constexpr std::array<char, 128> kAscii = make_ascii_table();

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// A TeX accent escape or special letter at `text[pos] == '\\'`: the folded letters it stands for
// and the bytes it spans, or an empty result.
struct TexLetter {
  std::string_view letters;
  std::size_t length = 0;
};

TexLetter tex_letter_at(std::string_view text, std::size_t pos) {
  static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
  const std::size_t n = text.size();
  if (pos + 1 >= n) return {};
  const char cmd = text[pos + 1];
  auto letter_after = [&](std::size_t at) -> TexLetter {
    // optional '{', optional "\i"/"\j", a letter, optional '}'
    std::size_t i = at;
    bool brace = false;
    if (i < n && text[i] == '{') {
      brace = true;
      ++i;
    }
    if (i + 1 < n && text[i] == '\\' && (text[i + 1] == 'i' || text[i + 1] == 'j')) ++i;
    if (i >= n || !is_ascii_letter(text[i])) return {};
    const char l = ascii_lower(text[i]);
    ++i;
    if (brace) {
      if (i >= n || text[i] != '}') return {};
      ++i;
    }
    return {kLetters.substr(static_cast<std::size_t>(l - 'a'), 1), i - pos};
  };
  if (kTexAccentSymbols.find(cmd) != std::string_view::npos) return letter_after(pos + 2);
  if (kTexAccentLetters.find(cmd) != std::string_view::npos && pos + 2 < n && text[pos + 2] == '{')
    return letter_after(pos + 2);
  // Letter-like commands: \ss \o \O \l \L \i \j \aa \AA \ae \AE \oe \OE, ending at a non-letter.
  std::size_t end = pos + 1;
  while (end < n && is_ascii_letter(text[end])) ++end;
  const std::string_view name = text.substr(pos + 1, end - pos - 1);
  for (const TexLetterCommand& named : kTexLetterCommands) {
    if (name == named.command) return {named.letters, end - pos};
  }
  return {};
}

// What a backslash that is no accent or letter escape stands for (tokenizer.hpp): a command
// `\name` (a soft boundary; the name is skipped, not a word), a TeX space (`\\`, `\ `, `\,`:
// soft), or anything else (`\%`, `\$`, a trailing backslash: a hard boundary; only the
// backslash is skipped, the next character is read as itself).
struct TexSeparator {
  bool soft = false;
  std::size_t length = 1;
};

TexSeparator tex_separator_at(std::string_view text, std::size_t pos) {
  const std::size_t n = text.size();
  if (pos + 1 >= n) return {};
  if (is_ascii_letter(text[pos + 1])) {
    std::size_t end = pos + 2;
    while (end < n && is_ascii_letter(text[end])) ++end;
    return {true, end - pos};
  }
  if (kTexSpaceSymbols.find(text[pos + 1]) != std::string_view::npos) return {true, 2};
  return {};
}

// Decodes the UTF-8 sequence at `pos` (advanced past it); -1 for an invalid sequence (then `pos`
// moves one byte).
UChar32 decode_utf8(const unsigned char* b, std::size_t n, std::size_t& pos) {
  const unsigned char c = b[pos];
  std::size_t len = 0;
  UChar32 cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    ++pos;
    return -1;
  }
  if (pos + len > n) {
    ++pos;
    return -1;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char cc = b[pos + k];
    if ((cc & 0xC0) != 0x80) {
      ++pos;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  const UChar32 min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++pos;
    return -1;
  }
  pos += len;
  return cp;
}

}  // namespace

void tokenize(std::string_view text, TokenizedText& out) {
  out.clear();
  const std::size_t n = text.size();
  out.folded.reserve(n);
  out.tokens.reserve(n / 6);
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  bool in_word = false;
  bool soft = false;  // gap since the previous token is soft so far
  Token current;
  // One past the word's last letter, digit, TeX letter escape or combining mark: a closing brace
  // after the word is grouping around it (`\emph{policy}`), not part of its span.
  std::size_t word_end = 0;
  auto start_word = [&](std::size_t at) {
    if (in_word) return;
    in_word = true;
    current.folded_begin = static_cast<std::uint32_t>(out.folded.size());
    current.hash = kFnvOffset;
    current.begin = static_cast<std::uint32_t>(at);
    current.soft_gap = soft && !out.tokens.empty();
  };
  auto append_folded = [&](std::string_view letters) {
    out.folded.append(letters);
    for (char c : letters)
      current.hash = (current.hash ^ static_cast<unsigned char>(c)) * kFnvPrime;
  };
  auto end_word = [&](bool soft_after) {
    if (in_word) {
      current.folded_size = static_cast<std::uint32_t>(out.folded.size()) - current.folded_begin;
      current.end = static_cast<std::uint32_t>(word_end);
      out.tokens.push_back(current);
      in_word = false;
      soft = soft_after;
    } else {
      soft = soft && soft_after;
    }
  };
  soft = true;
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = bytes[i];
    if (c < 0x80) {
      const char k = kAscii[c];
      if (k > 2) {
        // The common case: a run of ASCII letters and digits, folded and hashed in one loop.
        start_word(i);
        std::size_t j = i + 1;
        while (j < n && bytes[j] < 0x80 && kAscii[bytes[j]] > 2) ++j;
        const std::size_t at = out.folded.size();
        out.folded.resize(at + (j - i));
        char* dst = out.folded.data() + at;
        std::uint64_t h = current.hash;
        for (std::size_t m = i; m < j; ++m) {
          const char f = kAscii[bytes[m]];
          *dst++ = f;
          h = (h ^ static_cast<unsigned char>(f)) * kFnvPrime;
        }
        current.hash = h;
        i = j;
        word_end = j;
      } else if (k == 1) {
        end_word(true);
        ++i;
      } else if (k == 2) {
        ++i;  // braces are transparent
      } else if (c == '\\') {
        TexLetter tex = tex_letter_at(text, i);
        if (tex.length > 0) {
          start_word(i);
          append_folded(tex.letters);
          i += tex.length;
          word_end = i;
        } else {
          const TexSeparator separator = tex_separator_at(text, i);
          end_word(separator.soft);
          i += separator.length;
        }
      } else {
        end_word(false);
        ++i;
      }
      continue;
    }
    std::size_t next = i;
    const UChar32 cp = decode_utf8(bytes, n, next);
    if (cp < 0) {
      end_word(false);
      i = next;
      continue;
    }
    if (cp <= 0xFFFF) {
      const Folded& f = fold_table().get(cp);
      switch (f.kind) {
        case CharKind::kWord:
          start_word(i);
          append_folded(f.text);
          word_end = next;
          break;
        case CharKind::kSoft:
          end_word(true);
          break;
        case CharKind::kTransparent:
          if (in_word) word_end = next;
          break;
        case CharKind::kHard:
          end_word(false);
          break;
      }
    } else {
      Folded f = fold_code_point(cp);
      if (f.kind == CharKind::kWord) {
        start_word(i);
        append_folded(f.text);
        word_end = next;
      } else if (f.kind == CharKind::kTransparent) {
        if (in_word) word_end = next;
      } else {
        end_word(f.kind == CharKind::kSoft);
      }
    }
    i = next;
  }
  end_word(false);
}

TokenizedText tokenize(std::string_view text) {
  TokenizedText out;
  tokenize(text, out);
  return out;
}

}  // namespace arxiv_digest
