#include "search/search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "match/query_parser.hpp"
#include "match/query_set.hpp"

namespace arxiv_digest {
namespace {

using Clock = std::chrono::steady_clock;

bool is_index_word(std::string_view word) {
  if (word.empty()) return false;
  return std::all_of(word.begin(), word.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

// The index words that the matcher's kPlural mode accepts for `word`: the word and its regular
// plurals (+s, +es, consonant+y -> ies).
std::vector<std::string> plural_forms(const std::string& word) {
  std::vector<std::string> forms = {word, word + "s", word + "es"};
  if (word.size() >= 2 && word.back() == 'y' && !is_vowel(word[word.size() - 2]))
    forms.push_back(word.substr(0, word.size() - 1) + "ies");
  return forms;
}

FullTextQuery::Field field_of(QueryScope scope) {
  switch (scope) {
    case QueryScope::kTitle: return FullTextQuery::Field::kTitle;
    case QueryScope::kAbstract: return FullTextQuery::Field::kAbstract;
    case QueryScope::kAuthor: return FullTextQuery::Field::kAuthors;
    case QueryScope::kCategory: return FullTextQuery::Field::kCategories;
    case QueryScope::kComments: return FullTextQuery::Field::kComments;
    default: return FullTextQuery::Field::kTitleAbstract;
  }
}

FullTextQuery word_leaf(FullTextQuery::Field field, std::vector<std::string> forms, bool prefix) {
  FullTextQuery leaf;
  leaf.kind = FullTextQuery::Kind::kWord;
  leaf.field = field;
  leaf.forms = std::move(forms);
  leaf.prefix = prefix;
  return leaf;
}

std::optional<FullTextQuery> all_of(std::vector<FullTextQuery> parts) {
  if (parts.empty()) return std::nullopt;
  if (parts.size() == 1) return std::move(parts.front());
  FullTextQuery node;
  node.kind = FullTextQuery::Kind::kAnd;
  node.children = std::move(parts);
  return node;
}

// The category words the index holds for `pattern` (cat: syntax): "cs.LG" -> cs AND lg,
// "hep-th" -> hep AND th, "cs.*" -> cs*.
std::optional<FullTextQuery> category_prefilter(std::string_view pattern) {
  std::string lower;
  for (const char c : pattern) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  const bool prefix = !lower.empty() && lower.back() == '*';
  std::vector<std::string> pieces;
  std::string piece;
  for (const char c : lower) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      piece += c;
    } else if (!piece.empty()) {
      pieces.push_back(std::exchange(piece, {}));
    }
  }
  if (!piece.empty()) pieces.push_back(piece);
  std::vector<FullTextQuery> parts;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const bool last = i + 1 == pieces.size();
    parts.push_back(word_leaf(FullTextQuery::Field::kCategories, {pieces[i]}, last && prefix));
  }
  return all_of(std::move(parts));
}

// The prefilter for `node`: a superset of what the matcher accepts; nullopt = anything.
std::optional<FullTextQuery> prefilter(const QueryNode& node) {
  switch (node.kind) {
    case QueryNode::Kind::kNot:
      return std::nullopt;  // the index cannot exclude: its words are looser than the matcher's
    case QueryNode::Kind::kAnd: {
      std::vector<FullTextQuery> parts;
      for (const QueryNode& child : node.children) {
        if (auto part = prefilter(child)) parts.push_back(std::move(*part));
      }
      return all_of(std::move(parts));
    }
    case QueryNode::Kind::kOr: {
      FullTextQuery any;
      any.kind = FullTextQuery::Kind::kOr;
      for (const QueryNode& child : node.children) {
        auto part = prefilter(child);
        if (!part) return std::nullopt;
        any.children.push_back(std::move(*part));
      }
      return any;
    }
    case QueryNode::Kind::kTerm:
      break;
  }
  switch (node.scope) {
    case QueryScope::kId:
      return std::nullopt;
    case QueryScope::kCategory:
      return category_prefilter(node.raw);
    case QueryScope::kAuthor: {
      // The matcher needs the surname (the last name word) among an author's words.
      if (node.words.empty()) return std::nullopt;
      const QueryWord& surname = node.words.back();
      if (!is_index_word(surname.folded) || surname.mode == WordMode::kStem) return std::nullopt;
      return word_leaf(FullTextQuery::Field::kAuthors, {surname.folded},
                       surname.mode == WordMode::kPrefix);
    }
    default:
      break;
  }
  // A phrase: the AND of its words (the index's word positions are not the matcher's: TeX
  // commands are words to FTS5, gaps to the matcher).
  std::vector<FullTextQuery> parts;
  const FullTextQuery::Field field = field_of(node.scope);
  for (const QueryWord& word : node.words) {
    if (!is_index_word(word.folded)) continue;
    switch (word.mode) {
      case WordMode::kPlural:
        parts.push_back(word_leaf(field, plural_forms(word.folded), false));
        break;
      case WordMode::kExact:
        parts.push_back(word_leaf(field, {word.folded}, false));
        break;
      case WordMode::kPrefix:
        parts.push_back(word_leaf(field, {word.folded}, true));
        break;
      case WordMode::kStem:
        break;  // no index form: anything
    }
  }
  return all_of(std::move(parts));
}

// Decodes one UTF-8 code point at `i` (advancing it); invalid bytes come back as themselves.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  std::size_t length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
  if (i + length > text.size()) length = 1;
  char32_t cp = length == 1 ? char32_t{byte} : static_cast<char32_t>(byte & (0x7Fu >> length));
  for (std::size_t k = 1; k < length; ++k)
    cp = (cp << 6) | static_cast<char32_t>(static_cast<unsigned char>(text[i + k]) & 0x3Fu);
  i += length;
  return cp;
}

bool is_cjk(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

// The pieces of a CJK query (nullopt when it is a query-language query). Throws ConfigError
// for CJK mixed with ASCII letters or digits.
std::optional<std::vector<std::string>> cjk_pieces(std::string_view query) {
  bool cjk = false;
  bool ascii_word = false;
  for (std::size_t i = 0; i < query.size();) {
    const char32_t cp = next_code_point(query, i);
    if (is_cjk(cp)) cjk = true;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'))
      ascii_word = true;
  }
  if (!cjk) return std::nullopt;
  if (ascii_word) {
    throw ConfigError(fmt::format(
        "query \"{}\": Chinese (CJK) text searches the stored translations and cannot be mixed "
        "with query-language terms; search them separately",
        query));
  }
  std::vector<std::string> pieces;
  std::string piece;
  for (const char c : query) {
    if (c == ' ' || c == '\t' || c == '"') {
      if (!piece.empty()) pieces.push_back(std::exchange(piece, {}));
    } else {
      piece += c;
    }
  }
  if (!piece.empty()) pieces.push_back(piece);
  return pieces;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  return out;
}

bool category_matches(std::string_view pattern, std::string_view category) {
  const std::string cat = ascii_lower(category);
  const std::string pat = ascii_lower(pattern);
  if (!pat.empty() && pat.back() == '*') return cat.compare(0, pat.size() - 1, pat, 0, pat.size() - 1) == 0;
  if (pat.find('.') == std::string::npos)
    return cat == pat || (cat.size() > pat.size() && cat.compare(0, pat.size(), pat) == 0 &&
                          cat[pat.size()] == '.');
  return cat == pat;
}

MatchReason reason_of(const QuerySet& set, const std::vector<MatchSpan>& spans) {
  MatchReason reason;
  std::map<std::size_t, std::size_t> index;  // query term -> position in reason.terms
  for (const MatchSpan& span : spans) {
    if (index.count(span.term) == 0) index.emplace(span.term, 0);
  }
  for (auto& [term, position] : index) {
    position = reason.terms.size();
    reason.terms.push_back(set.term_text(0, term));
  }
  for (MatchSpan span : spans) {
    span.term = index[span.term];
    reason.spans.push_back(span);
  }
  return reason;
}

}  // namespace

bool category_in(const std::vector<std::string>& patterns, const std::string& category) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return category_matches(p, category); });
}

Date paper_date(const Paper& paper) {
  if (paper.submitted) return Date{std::chrono::floor<std::chrono::days>(*paper.submitted)};
  if (paper.updated) return Date{std::chrono::floor<std::chrono::days>(*paper.updated)};
  // YYMM: the first four digits of a new-style key, the first four after '/' of an old one.
  const std::string& key = paper.id.key();
  const std::size_t slash = key.find('/');
  const std::string_view digits =
      std::string_view(key).substr(slash == std::string::npos ? 0 : slash + 1);
  if (digits.size() < 4) return Date{};
  const int yy = (digits[0] - '0') * 10 + (digits[1] - '0');
  const int mm = (digits[2] - '0') * 10 + (digits[3] - '0');
  const int year = yy >= 91 ? 1900 + yy : 2000 + yy;
  return Date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(mm)},
              std::chrono::day{1}};
}

SearchResults search(Archive& archive, const SearchRequest& request) {
  const auto start = Clock::now();
  const auto deadline = start + request.time_budget;
  SearchResults results;

  PaperScan scan;
  scan.deadline = deadline;
  if (request.until) {
    // paper_date() is never before the first version's date, whose month the id's month
    // exceeds by at most one (an id is assigned when the paper is announced).
    const std::chrono::year_month next =
        request.until->year() / request.until->month() + std::chrono::months{1};
    scan.id_month_at_most = next / std::chrono::day{1};
  }
  std::optional<QuerySet> set;
  if (auto pieces = cjk_pieces(request.query)) {
    scan.translation_substrings = std::move(*pieces);
    scan.translation_language = request.language;
    if (scan.translation_substrings.empty()) {
      throw ConfigError(fmt::format("query \"{}\" is empty", request.query));
    }
  } else {
    set.emplace(std::vector<std::string>{request.query});
    scan.text = prefilter(set->query(0));
  }
  if (!request.categories.empty()) {
    FullTextQuery any;
    any.kind = FullTextQuery::Kind::kOr;
    bool every = false;
    for (const std::string& pattern : request.categories) {
      auto part = category_prefilter(pattern);
      if (!part) every = true;
      else any.children.push_back(std::move(*part));
    }
    if (!every) {
      if (scan.text) {
        FullTextQuery both;
        both.kind = FullTextQuery::Kind::kAnd;
        both.children.push_back(std::move(*scan.text));
        both.children.push_back(std::move(any));
        scan.text = std::move(both);
      } else {
        scan.text = std::move(any);
      }
    }
  }

  std::size_t found = 0;
  {
    std::unique_ptr<PaperCursor> cursor = archive.scan_papers(scan);
    while (std::optional<Paper> paper = cursor->next()) {
      if (++results.candidates > request.max_candidates || Clock::now() >= deadline) {
        --results.candidates;
        results.truncated = true;
        break;
      }
      if (request.since || request.until) {
        const Date date = paper_date(*paper);
        if ((request.since && date < *request.since) || (request.until && date > *request.until))
          continue;
      }
      if (!request.categories.empty() &&
          std::none_of(paper->categories.begin(), paper->categories.end(),
                       [&](const std::string& c) { return category_in(request.categories, c); }))
        continue;
      MatchReason reason;
      if (set) {
        const std::vector<QuerySet::Hit> hits = set->match(*paper);
        if (hits.empty()) continue;
        reason = reason_of(*set, hits.front().spans);
      }
      ++found;
      if (found > request.offset + request.limit) {
        results.more = true;
        --found;
        break;
      }
      if (found > request.offset) results.hits.push_back({std::move(*paper), std::move(reason), {}, {}});
    }
    if (cursor->interrupted()) results.truncated = true;
  }
  results.total_estimate = found + (results.more ? 1 : 0);
  if (!request.language.empty()) {
    for (SearchHit& hit : results.hits) {
      hit.title_translation = archive.find_translation(hit.paper, "title", request.language);
      hit.abstract_translation = archive.find_translation(hit.paper, "abstract", request.language);
    }
  }
  results.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
  return results;
}

}  // namespace arxiv_digest
