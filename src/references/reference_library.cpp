// Reference-manager exports: BibTeX/BibLaTeX, RIS and CSL-JSON (see reference_library.hpp).
//
// BibTeX values are first reduced to their "raw" text (delimiters of the value removed, macros
// expanded, '#' parts joined, inner braces kept) so that author lists can be split on "and"
// outside braces; titles and abstracts are then unwrapped (grouping braces removed) and
// whitespace-normalised.
#include "references/reference_library.hpp"

#include <fmt/format.h>

#include <array>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"

namespace arxiv_digest {
namespace {


constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && ascii_lower(text.substr(0, prefix.size())) == prefix;
}

// 1-based line numbers of (mostly increasing) offsets, counting only the bytes since the previous
// call: position_of() from the start for every entry would make large libraries quadratic.
class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : text_(text) {}
  std::size_t line_at(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < offset_) {
      offset_ = 0;
      line_ = 1;
    }
    line_ += static_cast<std::size_t>(
        std::count(text_.begin() + static_cast<std::ptrdiff_t>(offset_),
                   text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    offset_ = offset;
    return line_;
  }

 private:
  std::string_view text_;
  std::size_t offset_ = 0;
  std::size_t line_ = 1;
};

// A JSON value for an error message: scalars as written, arrays and objects by their type only
// (nlohmann's dump() recurses, and a hostile file can nest a million levels).
std::string describe_json(const nlohmann::json& value) {
  if (value.is_structured()) return std::string(value.type_name());
  return excerpt(value.dump(), 40);
}

// Size, emptiness and UTF-8 checks shared by the three formats. Returns the offset after a BOM.
std::size_t check_text(std::string_view text, std::string_view source, std::string_view what) {
  if (text.size() > kMaxLibraryBytes) {
    throw ParseError(std::string(source), 0, 0, "",
                     fmt::format("{}: the {} file is {} bytes, more than the {}-byte limit", source,
                                 what, text.size(), kMaxLibraryBytes));
  }
  std::size_t bad = 0;
  if (!is_valid_utf8(text, &bad)) {
    throw error_at(source, text, bad, "",
                   fmt::format("the {} file is not valid UTF-8: byte 0x{:02X} at offset {} (save "
                               "the export as UTF-8)",
                               what, static_cast<unsigned char>(text[bad]), bad));
  }
  std::size_t start = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
  if (trim(text.substr(start)).empty()) {
    throw ParseError(std::string(source), 1, 1, "",
                     fmt::format("{}: the {} file is empty", source, what));
  }
  return start;
}

// --- arXiv ids -------------------------------------------------------------------------------

// An id-shaped token at the start of `text`: letters, digits, '.', '-', '/'.
std::string_view id_token(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() &&
         (is_alnum(text[n]) || text[n] == '.' || text[n] == '-' || text[n] == '/')) {
    ++n;
  }
  std::string_view token = text.substr(0, n);
  if (token.size() > 4 && ascii_lower(token.substr(token.size() - 4)) == ".pdf") {
    token.remove_suffix(4);
  }
  while (!token.empty() && (token.back() == '.' || token.back() == '/' || token.back() == '-')) {
    token.remove_suffix(1);
  }
  return token;
}

// First arXiv id found in free text (URL, arXiv DOI, "arXiv:" reference).
std::optional<ArxivId> find_arxiv_id(std::string_view text) {
  static constexpr std::array<std::string_view, 4> kMarkers = {"arxiv.org/abs/", "arxiv.org/pdf/",
                                                               "10.48550/arxiv.", "arxiv:"};
  const std::string lower = ascii_lower(text);
  for (std::string_view marker : kMarkers) {
    for (auto at = lower.find(marker); at != std::string::npos; at = lower.find(marker, at + 1)) {
      std::size_t start = at + marker.size();
      if (marker == "arxiv:") {
        while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) ++start;
      }
      ArxivId id;
      if (ArxivId::try_parse(id_token(text.substr(start)), id)) return id;
    }
  }
  return std::nullopt;
}

std::string clean_doi(std::string_view doi) {
  doi = trim(doi);
  for (std::string_view prefix : {"https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                                  "http://dx.doi.org/", "doi:"}) {
    if (istarts_with(doi, prefix)) {
      doi.remove_prefix(prefix.size());
      break;
    }
  }
  return std::string(trim(doi));
}

// "Last, First" -> "First Last"; "Last, Jr, First" -> "First Last, Jr"; else as written.
// `parts` are the comma-separated pieces, already trimmed.
std::string display_name(const std::vector<std::string>& parts) {
  auto join = [](std::string_view a, std::string_view b) {
    if (a.empty()) return std::string(b);
    if (b.empty()) return std::string(a);
    return fmt::format("{} {}", a, b);
  };
  if (parts.size() == 2) return join(parts[1], parts[0]);
  if (parts.size() >= 3) {
    std::string name = join(parts[2], parts[0]);
    return parts[1].empty() ? name : fmt::format("{}, {}", name, parts[1]);
  }
  return parts.empty() ? std::string() : parts[0];
}

void require_title_or_id(const ReferenceEntry& entry, std::string_view source,
                         std::string_view text, std::size_t offset, std::string_view what) {
  if (entry.title.empty() && !entry.arxiv_id) {
    throw error_at(source, text, offset, "title",
                   fmt::format("{} has neither a title nor an arXiv id (add a title, or an "
                               "arXiv URL or eprint)",
                               what));
  }
}

// --- BibTeX ----------------------------------------------------------------------------------

// Removes BibTeX grouping braces from raw field text. A group that starts with a backslash
// ("{\'a}") and escaped braces ("\{") are kept as written.
std::string unwrap_braces(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      out += raw.substr(i, 2);
      i += 2;
    } else if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '\\') {
      // Special character: copy the balanced group verbatim.
      int depth = 0;
      std::size_t j = i;
      for (; j < raw.size(); ++j) {
        if (raw[j] == '\\' && j + 1 < raw.size()) {
          ++j;
        } else if (raw[j] == '{') {
          ++depth;
        } else if (raw[j] == '}' && --depth == 0) {
          break;
        }
      }
      std::size_t end = j < raw.size() ? j + 1 : raw.size();
      out += raw.substr(i, end - i);
      i = end;
    } else if (c == '{' || c == '}') {
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string clean_text(std::string_view raw) { return normalize_whitespace(unwrap_braces(raw)); }

// Splits `text` outside braces (and never inside a backslash escape) wherever
// `separator_at(text, i)` returns the length of a separator starting at `i` (0: none there).
template <typename SeparatorAt>
std::vector<std::string_view> split_outside_braces(std::string_view text,
                                                   SeparatorAt separator_at) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' && i + 1 < text.size()) {
      ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}') {
      if (depth > 0) --depth;
    } else if (depth == 0) {
      if (const std::size_t length = separator_at(text, i); length > 0) {
        parts.push_back(text.substr(start, i - start));
        start = i + length;
        i += length - 1;
      }
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Splits `text` at `sep` (a single char) outside braces.
std::vector<std::string_view> split_top_level(std::string_view text, char sep) {
  return split_outside_braces(
      text, [sep](std::string_view t, std::size_t i) -> std::size_t { return t[i] == sep ? 1 : 0; });
}

// Better BibLaTeX's extended name format: "family=Jong, given=Michiel, prefix=de, useprefix=true".
std::optional<std::string> extended_name(const std::vector<std::string_view>& parts) {
  std::map<std::string, std::string> keys;
  for (std::string_view part : parts) {
    auto eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    keys[ascii_lower(trim(part.substr(0, eq)))] = clean_text(part.substr(eq + 1));
  }
  if (!keys.contains("family")) return std::nullopt;
  std::string name;
  for (const char* key : {"given", "prefix", "family"}) {
    if (auto it = keys.find(key); it != keys.end() && !it->second.empty()) {
      if (!name.empty()) name += ' ';
      name += it->second;
    }
  }
  if (auto it = keys.find("suffix"); it != keys.end() && !it->second.empty()) {
    name += ", " + it->second;
  }
  return name;
}

std::vector<std::string> bibtex_authors(std::string_view raw) {
  // Split on whitespace-delimited "and" outside braces (the space after "and" stays with the
  // next name).
  const std::vector<std::string_view> names =
      split_outside_braces(raw, [](std::string_view t, std::size_t i) -> std::size_t {
        const bool separator = is_space(t[i]) && i + 4 < t.size() &&
                               ascii_lower(t.substr(i + 1, 3)) == "and" && is_space(t[i + 4]);
        return separator ? 4 : 0;
      });

  std::vector<std::string> authors;
  for (std::string_view name : names) {
    name = trim(name);
    if (name.empty() || ascii_lower(name) == "others") continue;
    std::vector<std::string_view> parts = split_top_level(name, ',');
    std::string display;
    if (auto extended = extended_name(parts)) {
      display = *extended;
    } else {
      std::vector<std::string> cleaned;
      for (std::string_view part : parts) cleaned.push_back(clean_text(part));
      display = display_name(cleaned);
    }
    display = normalize_whitespace(display);
    if (!display.empty()) authors.push_back(std::move(display));
  }
  return authors;
}

class BibtexParser {
 public:
  BibtexParser(std::string_view text, std::string_view source)
      : text_(text), source_(source), lines_(text) {}

  ReferenceLibrary parse() {
    pos_ = check_text(text_, source_, "BibTeX");
    ReferenceLibrary library;
    library.format = ReferenceFormat::kBibtex;
    while (true) {
      auto at = text_.find('@', pos_);
      if (at == std::string_view::npos) break;
      pos_ = at + 1;
      std::string type = ascii_lower(identifier());
      if (type.empty()) continue;  // a stray '@' in comment text
      skip_space();
      if (pos_ >= text_.size() || (text_[pos_] != '{' && text_[pos_] != '(')) {
        // Not an entry: "@comment" followed by plain text, or an '@' in comment text
        // ("me@example.org"). BibTeX ignores text outside entries, and so do we.
        continue;
      }
      const std::size_t open = pos_;
      const char close = text_[pos_] == '{' ? '}' : ')';
      ++pos_;
      if (type == "comment" || type == "preamble") {
        skip_balanced(open, close, type);
      } else if (type == "string") {
        parse_string_macro(open, close);
      } else {
        library.entries.push_back(parse_entry(at, open, close, type));
      }
    }
    return library;
  }

 private:
  using Fields = std::vector<std::pair<std::string, std::string>>;  // name (lower) -> raw

  ParseError fail(std::size_t offset, std::string field, const std::string& message) const {
    return error_at(source_, text_, offset, std::move(field), message);
  }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  // BibTeX identifiers: anything printable except whitespace and  " # % ' ( ) , = { }.
  std::string_view identifier() {
    std::size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (is_space(c) || c == '"' || c == '#' || c == '%' || c == '\'' || c == '(' || c == ')' ||
          c == ',' || c == '=' || c == '{' || c == '}' || c == '@') {
        break;
      }
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  // Skips to the matching `close` of the delimiter at `open` (braces nest inside).
  void skip_balanced(std::size_t open, char close, std::string_view what) {
    int depth = 0;
    for (; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (c == '{') {
        ++depth;
      } else if (c == '}' && depth > 0) {
        --depth;
      } else if (c == close && depth == 0) {
        ++pos_;
        return;
      }
    }
    throw fail(open, "",
               fmt::format("@{} is not closed: no matching '{}' before the end of "
                           "the file",
                           what, close));
  }

  // One value: parts joined by '#'. Returns the raw text (inner braces kept).
  std::string value(std::string_view field, char close) {
    std::string out;
    skip_space();
    const std::size_t value_start = pos_;
    while (true) {
      skip_space();
      if (pos_ >= text_.size()) {
        throw fail(pos_, std::string(field),
                   fmt::format("the file ends where the value of '{}' should be", field));
      }
      char c = text_[pos_];
      if (c == '{') {
        out += braced(field);
      } else if (c == '"') {
        out += quoted(field);
      } else if (is_digit(c)) {
        std::size_t start = pos_;
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
        out += text_.substr(start, pos_ - start);
      } else {
        std::size_t start = pos_;
        std::string name = ascii_lower(identifier());
        if (name.empty()) {
          throw fail(start, std::string(field),
                     fmt::format("expected a value for '{}' but found '{}'", field,
                                 excerpt(text_.substr(start), 20)));
        }
        out += macro(name, start, field);
      }
      if (out.size() > kMaxLibraryBytes) {
        // @string macros concatenated with themselves double at each step: a few lines of
        // input could otherwise ask for terabytes.
        throw fail(value_start, std::string(field),
                   fmt::format("the value of '{}' expands to more than {} bytes (@string macros "
                               "concatenated with themselves?)",
                               field, kMaxLibraryBytes));
      }
      skip_space();
      if (pos_ >= text_.size()) {
        // A '{' inside the value was not closed, so the value swallowed the rest of the file.
        throw fail(value_start, std::string(field),
                   fmt::format("the value of '{}' starting here is not closed: it runs to the "
                               "end of the file (unbalanced braces?)",
                               field));
      }
      if (pos_ < text_.size() && text_[pos_] == '#') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && (text_[pos_] == ',' || text_[pos_] == close)) return out;
      throw fail(pos_, std::string(field),
                 fmt::format("expected ',' or '{}' after the value of '{}' but found '{}'", close,
                             field, excerpt(text_.substr(pos_), 20)));
    }
  }

  std::string braced(std::string_view field) {
    const std::size_t open = pos_++;
    int depth = 1;
    const std::size_t start = pos_;
    for (; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        ++pos_;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        return std::string(text_.substr(start, pos_++ - start));
      }
    }
    throw fail(open, std::string(field),
               fmt::format("unclosed '{{' in the value of '{}': '{}'", field,
                           excerpt(text_.substr(open), 40)));
  }

  std::string quoted(std::string_view field) {
    const std::size_t open = pos_++;
    int depth = 0;
    const std::size_t start = pos_;
    for (; pos_ < text_.size(); ++pos_) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        ++pos_;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}') {
        if (depth == 0) break;  // the closing '"' is missing
        --depth;
      } else if (c == '"' && depth == 0) {
        return std::string(text_.substr(start, pos_++ - start));
      }
    }
    throw fail(open, std::string(field),
               fmt::format("unclosed '\"' in the value of '{}': '{}'", field,
                           excerpt(text_.substr(open), 40)));
  }

  std::string macro(const std::string& name, std::size_t offset, std::string_view field) {
    if (auto it = macros_.find(name); it != macros_.end()) return it->second;
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kMonths = {{
        {"jan", "January"},
        {"feb", "February"},
        {"mar", "March"},
        {"apr", "April"},
        {"may", "May"},
        {"jun", "June"},
        {"jul", "July"},
        {"aug", "August"},
        {"sep", "September"},
        {"oct", "October"},
        {"nov", "November"},
        {"dec", "December"},
    }};
    for (const auto& [key, month] : kMonths) {
      if (name == key) return std::string(month);
    }
    throw fail(offset, std::string(field),
               fmt::format("undefined @string macro '{}' in the value of '{}' (define it with "
                           "@string{{{} = {{...}}}} or put the value in braces)",
                           name, field, name));
  }

  void parse_string_macro(std::size_t open, char close) {
    skip_space();
    std::size_t name_at = pos_;
    std::string name = ascii_lower(identifier());
    skip_space();
    if (name.empty() || pos_ >= text_.size() || text_[pos_] != '=') {
      throw fail(name_at, "@string", "expected 'name = value' in @string");
    }
    ++pos_;
    std::string raw = value(name, close);
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ',') ++pos_;
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != close) {
      throw fail(open, "@string", fmt::format("@string is not closed by '{}'", close));
    }
    ++pos_;
    macros_[name] = std::move(raw);
  }

  ReferenceEntry parse_entry(std::size_t at, std::size_t open, char close,
                             const std::string& type) {
    skip_space();
    // Citation key: up to ',' (or the closing delimiter for an entry without fields).
    std::size_t key_start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != close &&
           !is_space(text_[pos_]) && text_[pos_] != '\n') {
      ++pos_;
    }
    std::string key(text_.substr(key_start, pos_ - key_start));
    skip_space();
    const std::string what =
        key.empty() ? fmt::format("@{} entry", type) : fmt::format("entry '{}'", key);
    if (pos_ >= text_.size()) {
      throw fail(open, "",
                 fmt::format("{} is not closed: no '{}' before the end of the file", what, close));
    }
    Fields fields;
    if (text_[pos_] == ',') ++pos_;
    while (true) {
      skip_space();
      if (pos_ >= text_.size()) {
        throw fail(
            open, fields.empty() ? "" : fields.back().first,
            fmt::format("{} is not closed: no '{}' before the end of the file", what, close));
      }
      if (text_[pos_] == close) {
        ++pos_;
        break;
      }
      std::size_t name_at = pos_;
      std::string name = ascii_lower(identifier());
      skip_space();
      if (name.empty() || pos_ >= text_.size() || text_[pos_] != '=') {
        throw fail(name_at, name,
                   fmt::format("expected 'field = value' in {} but found '{}'", what,
                               excerpt(text_.substr(name_at), 20)));
      }
      ++pos_;
      std::string raw = value(name, close);
      if (text_[pos_] == ',') ++pos_;
      bool seen = false;
      for (const auto& field : fields) seen = seen || field.first == name;
      if (!seen) fields.emplace_back(std::move(name), std::move(raw));
    }
    return make_entry(fields, at, what);
  }

  ReferenceEntry make_entry(const Fields& fields, std::size_t at, const std::string& what) {
    auto get = [&](std::string_view name) -> const std::string* {
      for (const auto& field : fields) {
        if (field.first == name) return &field.second;
      }
      return nullptr;
    };
    ReferenceEntry entry;
    entry.line = lines_.line_at(at);
    if (const auto* title = get("title")) entry.title = clean_text(*title);
    if (const auto* abstract = get("abstract")) entry.abstract = clean_text(*abstract);
    if (const auto* author = get("author")) entry.authors = bibtex_authors(*author);
    if (const auto* doi = get("doi")) entry.doi = clean_doi(clean_text(*doi));

    if (const auto* eprint = get("eprint")) {
      const std::string* prefix = get("archiveprefix");
      if (prefix == nullptr) prefix = get("eprinttype");
      const bool says_arxiv = prefix != nullptr && ascii_lower(clean_text(*prefix)) == "arxiv";
      if (prefix == nullptr || says_arxiv) {
        std::string value = clean_text(*eprint);
        ArxivId id;
        std::string why;
        if (ArxivId::try_parse(value, id, &why)) {
          entry.arxiv_id = id;
        } else if (says_arxiv) {
          throw fail(at, "eprint",
                     fmt::format("{}: eprint '{}' is marked as arXiv but is not an arXiv id: {}",
                                 what, excerpt(value), why));
        }
      }
    }
    for (std::string_view name :
         {"doi", "url", "number", "journal", "journaltitle", "note", "eid", "howpublished"}) {
      if (entry.arxiv_id) break;
      if (const auto* field = get(name)) entry.arxiv_id = find_arxiv_id(*field);
    }
    require_title_or_id(entry, source_, text_, at, what);
    return entry;
  }

  std::string_view text_;
  std::string_view source_;
  LineCursor lines_;
  std::size_t pos_ = 0;
  std::map<std::string, std::string> macros_;
};

// --- RIS -------------------------------------------------------------------------------------

struct RisLine {
  std::string_view tag;    // empty when not a tag line
  std::string_view value;  // trimmed
};

// "XY  - value" (one or two spaces before '-'; the space after it is optional at end of line).
RisLine ris_line(std::string_view line) {
  RisLine out;
  if (line.size() >= 5 && line[0] >= 'A' && line[0] <= 'Z' &&
      ((line[1] >= 'A' && line[1] <= 'Z') || is_digit(line[1]))) {
    std::size_t i = 2;
    std::size_t spaces = 0;
    while (i < line.size() && line[i] == ' ' && spaces < 2) {
      ++i;
      ++spaces;
    }
    if (spaces >= 1 && i < line.size() && line[i] == '-' &&
        (i + 1 == line.size() || line[i + 1] == ' ')) {
      out.tag = line.substr(0, 2);
      out.value = trim(line.substr(i + 1));
      return out;
    }
  }
  out.value = trim(line);
  return out;
}

std::vector<std::string> ris_authors(const std::vector<std::string>& values) {
  std::vector<std::string> authors;
  for (const std::string& value : values) {
    std::vector<std::string> parts;
    for (std::string_view part : split_top_level(value, ',')) {
      parts.push_back(normalize_whitespace(part));
    }
    // RIS writes "Last, First, Suffix"; display_name takes BibTeX's "Last, Suffix, First".
    if (parts.size() >= 3) std::swap(parts[1], parts[2]);
    std::string name = normalize_whitespace(display_name(parts));
    if (!name.empty()) authors.push_back(std::move(name));
  }
  return authors;
}

ReferenceLibrary parse_ris_impl(std::string_view text, std::string_view source) {
  std::size_t pos = check_text(text, source, "RIS");
  LineCursor lines(text);
  ReferenceLibrary library;
  library.format = ReferenceFormat::kRis;

  std::map<std::string, std::vector<std::string>, std::less<>> tags;
  std::vector<std::string>* last = nullptr;  // value list of the previous tag (continuations)
  bool in_record = false;
  std::size_t record_at = 0;

  auto finish = [&]() {
    auto first = [&](std::initializer_list<std::string_view> names) -> std::string {
      for (std::string_view name : names) {
        if (auto it = tags.find(name); it != tags.end()) {
          for (const auto& value : it->second) {
            if (!trim(value).empty()) return normalize_whitespace(value);
          }
        }
      }
      return {};
    };
    ReferenceEntry entry;
    entry.line = lines.line_at(record_at);
    entry.title = first({"TI", "T1"});
    entry.abstract = first({"AB", "N2"});
    for (std::string_view name : {"AU", "A1"}) {
      if (auto it = tags.find(name); it != tags.end()) {
        auto names = ris_authors(it->second);
        entry.authors.insert(entry.authors.end(), names.begin(), names.end());
      }
    }
    entry.doi = clean_doi(first({"DO"}));
    for (std::string_view name :
         {"UR", "L1", "L2", "DO", "M3", "ID", "N1", "SP", "JO", "T2", "JF", "VL"}) {
      if (entry.arxiv_id) break;
      if (auto it = tags.find(name); it != tags.end()) {
        for (const auto& value : it->second) {
          if ((entry.arxiv_id = find_arxiv_id(value))) break;
        }
      }
    }
    const std::string id = first({"ID"});
    require_title_or_id(entry, source, text, record_at,
                        id.empty() ? fmt::format("the RIS record at line {}", entry.line)
                                   : fmt::format("RIS record '{}'", excerpt(id)));
    library.entries.push_back(std::move(entry));
    tags.clear();
    last = nullptr;
    in_record = false;
  };

  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view raw = text.substr(pos, eol - pos);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::size_t line_at = pos;
    pos = eol + 1;

    RisLine line = ris_line(raw);
    if (line.tag.empty()) {
      if (line.value.empty()) continue;
      if (in_record && last != nullptr && !last->empty()) {
        last->back() += ' ';
        last->back() += line.value;
        continue;
      }
      if (!in_record) continue;  // text between records (exporter headers): ignored
      throw error_at(source, text, line_at, "",
                     fmt::format("expected a RIS tag line ('XY  - value') but found '{}'",
                                 excerpt(line.value)));
    }
    if (line.tag == "TY") {
      if (in_record) {
        throw error_at(source, text, record_at, "ER",
                       fmt::format("the RIS record starting here has no 'ER  - ' before the next "
                                   "'TY  - ' on line {}",
                                   position_of(text, line_at).line));
      }
      in_record = true;
      record_at = line_at;
      continue;
    }
    if (!in_record) {
      throw error_at(
          source, text, line_at, std::string(line.tag),
          fmt::format("RIS tag '{}' outside a record (records start with 'TY  - ')", line.tag));
    }
    if (line.tag == "ER") {
      finish();
      continue;
    }
    last = &tags[std::string(line.tag)];
    last->emplace_back(line.value);
  }
  if (in_record) {
    throw error_at(source, text, record_at, "ER",
                   "the RIS record starting here is not closed by 'ER  - ' before the end of "
                   "the file");
  }
  return library;
}

// --- CSL-JSON --------------------------------------------------------------------------------

// Offsets of the '{' of each element of a top-level array (or of the top-level object). The
// text is known to be valid JSON.
std::vector<std::size_t> item_offsets(std::string_view text, std::size_t start) {
  std::vector<std::size_t> offsets;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (depth == 1 || (depth == 0 && c == '{')) offsets.push_back(i);
      ++depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return offsets;
}

class CslParser {
 public:
  CslParser(std::string_view text, std::string_view source) : text_(text), source_(source) {}

  ReferenceLibrary parse() {
    const std::size_t start = check_text(text_, source_, "CSL-JSON");
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(text_.begin() + static_cast<std::ptrdiff_t>(start), text_.end());
    } catch (const nlohmann::json::parse_error& e) {
      std::size_t offset = start + (e.byte > 0 ? e.byte - 1 : 0);
      if (offset > text_.size()) offset = text_.size();
      throw error_at(source_, text_, offset, "", fmt::format("malformed JSON: {}", e.what()));
    }
    ReferenceLibrary library;
    library.format = ReferenceFormat::kCslJson;
    const std::vector<std::size_t> offsets = item_offsets(text_, start);
    auto offset_of = [&](std::size_t index) { return index < offsets.size() ? offsets[index] : 0; };
    if (doc.is_object()) {
      library.entries.push_back(read_item(doc, offset_of(0), "the CSL-JSON item"));
    } else if (doc.is_array()) {
      // Offsets are only those of object elements; map them in order.
      std::size_t object_index = 0;
      for (std::size_t i = 0; i < doc.size(); ++i) {
        const nlohmann::json& element = doc[i];
        if (!element.is_object()) {
          throw error_at(
              source_, text_, start, "",
              fmt::format("CSL-JSON item {} is a {}, not an object", i + 1, element.type_name()));
        }
        library.entries.push_back(
            read_item(element, offset_of(object_index++), fmt::format("CSL-JSON item {}", i + 1)));
      }
    } else {
      throw error_at(
          source_, text_, start, "",
          fmt::format("expected a CSL-JSON array of items but found a {}", doc.type_name()));
    }
    return library;
  }

 private:
  // String value of `key`, "" when absent or null. Numbers are accepted for "number" and "id".
  std::string string_field(const nlohmann::json& item, const char* key, std::size_t offset,
                           const std::string& what) const {
    auto it = item.find(key);
    if (it == item.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number() && (std::string_view(key) == "number" || std::string_view(key) == "id")) {
      return it->dump();
    }
    throw error_at(source_, text_, offset, key,
                   fmt::format("{}: '{}' must be a string but is a {} ({})", what, key,
                               it->type_name(), describe_json(*it)));
  }

  std::vector<std::string> authors(const nlohmann::json& item, std::size_t offset,
                                   const std::string& what) const {
    std::vector<std::string> out;
    auto it = item.find("author");
    if (it == item.end() || it->is_null()) return out;
    if (!it->is_array()) {
      throw error_at(
          source_, text_, offset, "author",
          fmt::format("{}: 'author' must be an array of names but is a {}", what, it->type_name()));
    }
    for (const nlohmann::json& person : *it) {
      if (!person.is_object()) {
        throw error_at(source_, text_, offset, "author",
                       fmt::format("{}: an 'author' element is a {}, not a name object ({})", what,
                                   person.type_name(), describe_json(person)));
      }
      std::string name = string_field(person, "literal", offset, what);
      if (name.empty()) {
        for (const char* part : {"given", "dropping-particle", "non-dropping-particle", "family"}) {
          std::string value = string_field(person, part, offset, what);
          if (value.empty()) continue;
          if (!name.empty()) name += ' ';
          name += value;
        }
        std::string suffix = string_field(person, "suffix", offset, what);
        if (!suffix.empty()) name += ", " + suffix;
      }
      name = normalize_whitespace(name);
      if (!name.empty()) out.push_back(std::move(name));
    }
    return out;
  }

  ReferenceEntry read_item(const nlohmann::json& item, std::size_t offset, std::string what) const {
    ReferenceEntry entry;
    entry.line = lines_.line_at(offset);
    if (std::string id = string_field(item, "id", offset, what); !id.empty()) {
      what = fmt::format("CSL-JSON item '{}'", excerpt(id));
    }
    entry.title = normalize_whitespace(string_field(item, "title", offset, what));
    entry.abstract = normalize_whitespace(string_field(item, "abstract", offset, what));
    entry.authors = authors(item, offset, what);
    entry.doi = clean_doi(string_field(item, "DOI", offset, what));
    for (const char* key :
         {"number", "URL", "DOI", "id", "note", "container-title", "archive_location"}) {
      if (entry.arxiv_id) break;
      entry.arxiv_id = find_arxiv_id(string_field(item, key, offset, what));
    }
    require_title_or_id(entry, source_, text_, offset, what);
    return entry;
  }

  std::string_view text_;
  std::string_view source_;
  mutable LineCursor lines_{text_};
};

}  // namespace

std::string_view to_string(ReferenceFormat format) noexcept {
  switch (format) {
    case ReferenceFormat::kBibtex:
      return "BibTeX";
    case ReferenceFormat::kRis:
      return "RIS";
    case ReferenceFormat::kCslJson:
      return "CSL-JSON";
  }
  return "unknown";
}

ReferenceLibrary parse_reference_library(std::string_view text, std::string_view source) {
  const std::size_t start = check_text(text, source, "reference library");
  std::string_view body = trim(text.substr(start));
  if (body.front() == '[' || body.front() == '{') return parse_csl_json(text, source);
  std::string_view first_line = body.substr(0, body.find('\n'));
  // RIS: a "TY  - " line among the first lines (some exporters write a header first).
  std::string_view rest = body;
  for (int lines = 0; lines < 10 && !rest.empty(); ++lines) {
    std::size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (ris_line(line).tag == "TY") return parse_ris(text, source);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
  }
  // "@type{" or "@type(" anywhere.
  for (auto at = body.find('@'); at != std::string_view::npos; at = body.find('@', at + 1)) {
    std::size_t i = at + 1;
    while (i < body.size() && is_alnum(body[i])) ++i;
    if (i == at + 1) continue;
    while (i < body.size() && is_space(body[i])) ++i;
    if (i < body.size() && (body[i] == '{' || body[i] == '(')) return parse_bibtex(text, source);
  }
  throw ParseError(std::string(source), 1, 1, "",
                   fmt::format("{}:1:1: not a reference library: expected BibTeX ('@article{{'), "
                               "RIS ('TY  - ') or CSL-JSON ('['), found '{}'",
                               source, excerpt(first_line, 40)));
}

ReferenceLibrary parse_bibtex(std::string_view text, std::string_view source) {
  return BibtexParser(text, source).parse();
}

ReferenceLibrary parse_ris(std::string_view text, std::string_view source) {
  return parse_ris_impl(text, source);
}

ReferenceLibrary parse_csl_json(std::string_view text, std::string_view source) {
  return CslParser(text, source).parse();
}

}  // namespace arxiv_digest
