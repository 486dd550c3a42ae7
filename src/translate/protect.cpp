#include "translate/protect.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstddef>
#include <optional>

namespace arxiv_digest {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Reads one "character" of a token, accepting the full-width forms Chinese typography produces.
// Returns the ASCII equivalent and advances `pos`, or '\0' (pos unchanged) for anything else.
char read_token_char(std::string_view text, std::size_t& pos) {
  if (pos >= text.size()) return '\0';
  const char c = text[pos];
  if (static_cast<unsigned char>(c) < 0x80) {
    ++pos;
    return c;
  }
  // U+FF01..U+FF5E (full-width ASCII) is EF BC 81..EF BD 9E.
  if (pos + 2 < text.size() && static_cast<unsigned char>(c) == 0xEF) {
    const auto b1 = static_cast<unsigned char>(text[pos + 1]);
    const auto b2 = static_cast<unsigned char>(text[pos + 2]);
    unsigned code = 0;
    if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) code = 0xFF00u + (b2 - 0x80u);
    if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) code = 0xFF40u + (b2 - 0x80u);
    if (code != 0) {
      pos += 3;
      return static_cast<char>(code - 0xFF00u + 0x20u);
    }
  }
  return '\0';
}

// A token "{M<n>}" (tolerating full-width forms and inner spaces) starting at `pos`: its
// 1-based number and byte length.
struct TokenMatch {
  std::size_t number;
  std::size_t length;
};

std::optional<TokenMatch> token_at(std::string_view text, std::size_t pos) {
  std::size_t p = pos;
  if (read_token_char(text, p) != '{') return std::nullopt;
  auto skip_spaces = [&] {
    for (;;) {
      std::size_t q = p;
      if (read_token_char(text, q) != ' ') return;
      p = q;
    }
  };
  skip_spaces();
  const char m = read_token_char(text, p);
  if (m != 'M' && m != 'm') return std::nullopt;
  skip_spaces();
  std::size_t number = 0;
  std::size_t digits = 0;
  for (;;) {
    std::size_t q = p;
    const char d = read_token_char(text, q);
    if (!is_digit(d)) break;
    if (digits++ > 6) return std::nullopt;
    number = number * 10 + static_cast<std::size_t>(d - '0');
    p = q;
  }
  if (digits == 0) return std::nullopt;
  skip_spaces();
  if (read_token_char(text, p) != '}') return std::nullopt;
  return TokenMatch{number, p - pos};
}

// End (exclusive) of a TeX math span starting at `pos`, or npos.
std::size_t math_end(std::string_view text, std::size_t pos) {
  const std::string_view rest = text.substr(pos);
  auto find_unescaped = [&](std::string_view closing, std::size_t from) -> std::size_t {
    for (std::size_t i = from; i + closing.size() <= text.size(); ++i) {
      if (text.compare(i, closing.size(), closing) == 0) return i + closing.size();
      if (text[i] == '\\') ++i;  // skip the escaped character ("\$" inside math)
    }
    return std::string_view::npos;
  };
  if (rest.starts_with("$$")) return find_unescaped("$$", pos + 2);
  if (rest.starts_with("$")) {
    const std::size_t end = find_unescaped("$", pos + 1);
    return end == pos + 2 ? std::string_view::npos : end;  // "$$" handled above; "$ $" is fine
  }
  if (rest.starts_with("\\(")) return find_unescaped("\\)", pos + 2);
  if (rest.starts_with("\\[")) return find_unescaped("\\]", pos + 2);
  if (rest.starts_with("\\begin{")) {
    const std::size_t close = text.find('}', pos + 7);
    if (close == std::string_view::npos) return close;
    const std::string end_tag = fmt::format("\\end{{{}}}", text.substr(pos + 7, close - pos - 7));
    const std::size_t at = text.find(end_tag, close + 1);
    return at == std::string_view::npos ? at : at + end_tag.size();
  }
  return std::string_view::npos;
}

std::size_t url_end(std::string_view text, std::size_t pos) {
  const std::string_view rest = text.substr(pos);
  if (!rest.starts_with("http://") && !rest.starts_with("https://")) return std::string_view::npos;
  if (pos > 0 && (is_alpha(text[pos - 1]) || is_digit(text[pos - 1])))
    return std::string_view::npos;
  std::size_t end = pos;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) &&
         static_cast<unsigned char>(text[end]) < 0x80)
    ++end;
  while (end > pos && std::string_view(".,;:!?)]'\"").find(text[end - 1]) != std::string_view::npos)
    --end;
  return end - pos > 8 ? end : std::string_view::npos;
}

std::size_t code_end(std::string_view text, std::size_t pos) {
  if (text[pos] != '`') return std::string_view::npos;
  std::size_t run = 0;
  while (pos + run < text.size() && text[pos + run] == '`') ++run;
  for (std::size_t i = pos + run; i < text.size();) {
    if (text[i] != '`') {
      ++i;
      continue;
    }
    std::size_t other = 0;
    while (i + other < text.size() && text[i + other] == '`') ++other;
    if (other == run) return i + other;
    i += other;
  }
  return std::string_view::npos;
}

// arXiv identifiers: "arXiv:" prefix optional; new style NNNN.NNNN(N)(vN), old style
// archive(.XX)/NNNNNNN(vN).
std::size_t arxiv_id_end(std::string_view text, std::size_t pos) {
  if (pos > 0 && (is_alpha(text[pos - 1]) || is_digit(text[pos - 1]) || text[pos - 1] == '.' ||
                  text[pos - 1] == '/' || text[pos - 1] == '-'))
    return std::string_view::npos;
  std::size_t p = pos;
  const std::string_view rest = text.substr(pos);
  if (rest.size() >= 6 && (rest.starts_with("arXiv:") || rest.starts_with("arxiv:"))) p += 6;
  auto digits = [&](std::size_t from) {
    std::size_t n = 0;
    while (from + n < text.size() && is_digit(text[from + n])) ++n;
    return n;
  };
  auto version = [&](std::size_t end) {
    if (end + 1 < text.size() && text[end] == 'v' && is_digit(text[end + 1]))
      end += 1 + digits(end + 1);
    return end;
  };
  auto finish = [&](std::size_t end) {
    if (end < text.size() && (is_alpha(text[end]) || is_digit(text[end])))
      return std::string_view::npos;
    return end;
  };
  if (digits(p) == 4 && p + 4 < text.size() && text[p + 4] == '.') {
    const std::size_t n = digits(p + 5);
    if (n == 4 || n == 5) return finish(version(p + 5 + n));
    return std::string_view::npos;
  }
  // Old style: lower-case archive with optional -xx and .XX, a slash, seven digits.
  std::size_t q = p;
  while (q < text.size() && ((text[q] >= 'a' && text[q] <= 'z') || text[q] == '-')) ++q;
  if (q == p || q - p > 12) return std::string_view::npos;
  if (q + 3 < text.size() && text[q] == '.' &&
      std::isupper(static_cast<unsigned char>(text[q + 1])) &&
      std::isupper(static_cast<unsigned char>(text[q + 2])))
    q += 3;
  if (q < text.size() && text[q] == '/' && digits(q + 1) == 7) return finish(version(q + 8));
  return std::string_view::npos;
}

}  // namespace

std::string placeholder_token(std::size_t index) { return fmt::format("{{M{}}}", index + 1); }

MaskedText mask_protected(std::string_view source) {
  MaskedText masked;
  std::size_t plain_start = 0;
  std::size_t pos = 0;
  while (pos < source.size()) {
    std::size_t end = std::string_view::npos;
    const char c = source[pos];
    if (c == '\\' && pos + 1 < source.size() && source[pos + 1] == '$') {
      pos += 2;  // an escaped dollar is text
      continue;
    }
    if (c == '$' || c == '\\') {
      end = math_end(source, pos);
    } else if (c == 'h') {
      end = url_end(source, pos);
    } else if (c == '`') {
      end = code_end(source, pos);
    } else if (c == '{' || static_cast<unsigned char>(c) == 0xEF) {  // "{" or full-width "｛"
      if (auto token = token_at(source, pos)) end = pos + token->length;
    }
    if (end == std::string_view::npos && (is_digit(c) || (c >= 'a' && c <= 'z')))
      end = arxiv_id_end(source, pos);
    if (end == std::string_view::npos) {
      // Skip a whole UTF-8 sequence or an identifier-ish run at once so that ids are only
      // recognised at word starts.
      ++pos;
      continue;
    }
    masked.text.append(source.substr(plain_start, pos - plain_start));
    masked.text += placeholder_token(masked.originals.size());
    masked.originals.emplace_back(source.substr(pos, end - pos));
    pos = end;
    plain_start = end;
  }
  masked.text.append(source.substr(plain_start));
  return masked;
}

RestoreResult restore_protected(std::string_view translated, const MaskedText& masked) {
  RestoreResult result;
  std::vector<std::size_t> seen(masked.originals.size(), 0);
  std::vector<std::string> unknown;
  std::string out;
  std::size_t pos = 0;
  while (pos < translated.size()) {
    if (auto token = token_at(translated, pos)) {
      if (token->number >= 1 && token->number <= masked.originals.size()) {
        ++seen[token->number - 1];
        out += masked.originals[token->number - 1];
      } else {
        unknown.push_back(std::string(translated.substr(pos, token->length)));
      }
      pos += token->length;
      continue;
    }
    out += translated[pos++];
  }
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (seen[i] == 1) continue;
    result.problem = seen[i] == 0
                         ? fmt::format("token {} is missing", placeholder_token(i))
                         : fmt::format("token {} appears {} times", placeholder_token(i), seen[i]);
    return result;
  }
  if (!unknown.empty()) {
    result.problem = fmt::format("unknown token {}", unknown.front());
    return result;
  }
  result.ok = true;
  result.text = std::move(out);
  return result;
}

}  // namespace arxiv_digest
