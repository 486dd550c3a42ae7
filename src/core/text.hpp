// Text helpers shared by every stage. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace arxiv_digest {

// Collapses every run of ASCII whitespace (spaces, tabs, CR, LF: arXiv hard-wraps titles and
// abstracts) into one space and trims both ends. Bytes other than ASCII whitespace are kept
// verbatim, so TeX (`$\alpha$`) and UTF-8 survive untouched.
std::string normalize_whitespace(std::string_view text);

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). On failure
// `bad_offset` (if given) receives the byte offset of the first invalid sequence.
bool is_valid_utf8(std::string_view text, std::size_t* bad_offset = nullptr);

// 1-based line and column of byte `offset` in `text` (columns count bytes).
struct TextPosition {
  std::size_t line = 1;
  std::size_t column = 1;
};
TextPosition position_of(std::string_view text, std::size_t offset);

// ASCII lower-casing (category codes, header names).
std::string ascii_lower(std::string_view text);

// First `max_chars` bytes of `text` (cut at a UTF-8 boundary) with "..." when cut; for quoting
// bad values in messages.
std::string excerpt(std::string_view text, std::size_t max_chars = 80);

// `text` without leading and trailing ASCII whitespace (space, tab, CR, LF, FF).
std::string_view trim(std::string_view text);

// Levenshtein distance over bytes, ASCII case-insensitive (for "did you mean" suggestions).
std::size_t edit_distance(std::string_view a, std::string_view b);
}  // namespace arxiv_digest
