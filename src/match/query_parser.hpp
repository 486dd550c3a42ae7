// The topic query language: lexer and recursive-descent parser to an AST. Pure, thread-safe.
//
//   query    := or
//   or       := and ( "OR" and )*
//   and      := unary ( ["AND"] unary )*          (juxtaposition is AND)
//   unary    := ("NOT" | "-") unary | primary     ("-" only directly before a term or group)
//   primary  := [scope ":"] ( "(" or ")" | term )
//   term     := [modifier] ( word | '"' phrase '"' )
//   modifier := "=" exact | "~" Snowball stem | "^" case-sensitive
//   word     := any run without spaces, quotes or parentheses; a trailing "*" makes the (last)
//               word a prefix ("learn*")
//   scope    := ti | abs | au | cat | co | id      (default: title + abstract)
//
// Operators are upper case (`or`, `and`, `not` in lower case are ordinary words). A scope before
// a group applies to every term in it that has none.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest {

enum class QueryScope { kDefault, kTitle, kAbstract, kAuthor, kCategory, kComments, kId };
std::string_view to_string(QueryScope scope) noexcept;  // "", "ti", "abs", "au", "cat", "co", "id"

// How one word of a term compares with a word of the text (both folded, see tokenizer.hpp).
enum class WordMode {
  kPlural,  // the word, or its regular plural (+s, +es, consonant+y -> ies); the default
  kExact,   // "=": the word only
  kStem,    // "~": same Snowball (English) stem
  kPrefix,  // "learn*": any word starting with it
};

struct QueryWord {
  std::string folded;    // normalised as the text is (tokenizer.hpp)
  std::string original;  // as written (for case-sensitive terms)
  WordMode mode = WordMode::kPlural;
  bool case_sensitive = false;  // "^": the text's word must start with `original` byte for byte
  bool hard_gap = false;        // the query had punctuation before this word: any gap matches
};

struct QueryNode {
  enum class Kind { kTerm, kAnd, kOr, kNot };
  Kind kind = Kind::kTerm;
  // kTerm
  QueryScope scope = QueryScope::kDefault;
  std::vector<QueryWord> words;  // ti/abs/co/default/au: the folded words of the term
  std::string raw;               // the term as written, unquoted (cat:, id:, messages)
  std::size_t column = 1;        // 1-based column of the term in the query (characters)
  // kAnd, kOr (two or more), kNot (one)
  std::vector<QueryNode> children;
};

// Parses `query`. Throws ConfigError for a malformed query; the message quotes the query and
// points at the column with a caret line, e.g.
//   query "a OR (b": unclosed '(' at column 6
//     a OR (b
//          ^
// Also rejected: empty queries, terms without letters or digits, unknown scopes, misplaced '*',
// nesting deeper than 64, and queries that would match a paper containing none of their terms
// (only NOT terms).
QueryNode parse_query(std::string_view query);

// The AST back as a canonical query string (tests, diagnostics): `(a OR "b c") AND NOT ti:d`.
std::string to_string(const QueryNode& node);

}  // namespace arxiv_digest
