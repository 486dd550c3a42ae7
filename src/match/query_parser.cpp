// Query lexer and parser (see query_parser.hpp).
#include "match/query_parser.hpp"

#include <fmt/format.h>

#include <optional>

#include "core/error.hpp"
#include "core/text.hpp"
#include "match/tokenizer.hpp"

namespace arxiv_digest {
namespace {

constexpr std::size_t kMaxDepth = 64;

struct Lexeme {
  enum class Kind { kEnd, kLParen, kRParen, kOr, kAnd, kNot, kMinus, kScope, kTerm };
  Kind kind = Kind::kEnd;
  std::size_t offset = 0;  // byte offset in the query
  QueryScope scope = QueryScope::kDefault;
  char modifier = 0;  // '=', '~', '^' or 0
  bool quoted = false;
  std::string_view text;  // term text (without modifier and quotes)
  std::size_t text_offset = 0;
};

struct ScopeName {
  std::string_view name;
  QueryScope scope;
};
constexpr ScopeName kScopes[] = {{"ti", QueryScope::kTitle},    {"abs", QueryScope::kAbstract},
                                 {"au", QueryScope::kAuthor},   {"cat", QueryScope::kCategory},
                                 {"co", QueryScope::kComments}, {"id", QueryScope::kId}};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ends_bare(char c) { return is_space(c) || c == '(' || c == ')' || c == '"'; }

class Parser {
 public:
  explicit Parser(std::string_view query) : query_(query) {}

  QueryNode parse() {
    advance();
    if (current_.kind == Lexeme::Kind::kEnd) fail(0, "the query is empty");
    QueryNode root = parse_or(0);
    if (current_.kind == Lexeme::Kind::kRParen) fail(current_.offset, "unmatched ')'");
    if (current_.kind != Lexeme::Kind::kEnd) fail(current_.offset, "unexpected text");
    if (matches_nothing_present(root))
      fail(0,
           "the query would select papers that contain none of its terms (a NOT needs a positive "
           "term beside it, as in 'robot -survey')");
    return root;
  }

 private:
  [[noreturn]] void fail(std::size_t offset, std::string_view message) const {
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < query_.size(); ++i)
      if ((static_cast<unsigned char>(query_[i]) & 0xC0) != 0x80) ++column;
    // The caret line must line up under the query: control characters are shown as spaces.
    std::string shown(query_);
    for (char& c : shown)
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    throw ConfigError(fmt::format("query \"{}\": {} at column {}\n  {}\n  {}^", shown, message,
                                  column, shown, std::string(column - 1, ' ')));
  }

  // ---- lexer ----
  void advance() { current_ = lex(); }

  Lexeme lex() {
    while (pos_ < query_.size() && is_space(query_[pos_])) ++pos_;
    Lexeme l;
    l.offset = pos_;
    if (pos_ >= query_.size()) return l;
    const char c = query_[pos_];
    if (c == '(') {
      ++pos_;
      l.kind = Lexeme::Kind::kLParen;
      return l;
    }
    if (c == ')') {
      ++pos_;
      l.kind = Lexeme::Kind::kRParen;
      return l;
    }
    if (c == '-') {
      if (pos_ + 1 >= query_.size() || is_space(query_[pos_ + 1]) || query_[pos_ + 1] == ')')
        fail(pos_, "'-' must be directly followed by a term or '(' (as in -survey)");
      if (query_[pos_ + 1] == '-') fail(pos_, "'--' is not an operator (use NOT)");
      ++pos_;
      l.kind = Lexeme::Kind::kMinus;
      return l;
    }
    // A scope: letters then ':'.
    std::size_t end = pos_;
    while (end < query_.size() && is_letter(query_[end])) ++end;
    if (end > pos_ && end < query_.size() && query_[end] == ':') {
      const std::string_view name = query_.substr(pos_, end - pos_);
      for (const auto& s : kScopes) {
        if (name == s.name) {
          if (end + 1 >= query_.size() || is_space(query_[end + 1]) || query_[end + 1] == ')')
            fail(pos_, fmt::format("scope '{}:' must be directly followed by a term or '('", name));
          pos_ = end + 1;
          l.kind = Lexeme::Kind::kScope;
          l.scope = s.scope;
          return l;
        }
      }
      std::string_view best;
      std::size_t best_distance = 3;
      for (const auto& s : kScopes) {
        std::size_t d = edit_distance(name, s.name);
        if (d < best_distance) {
          best_distance = d;
          best = s.name;
        }
      }
      fail(pos_, fmt::format("unknown scope '{}:'{} (scopes: ti: abs: au: cat: co: id:; quote "
                             "text containing ':')",
                             name, best.empty() ? "" : fmt::format(", did you mean '{}:'?", best)));
    }
    if (c == '=' || c == '~' || c == '^') {
      l.modifier = c;
      ++pos_;
      if (pos_ >= query_.size() || (ends_bare(query_[pos_]) && query_[pos_] != '"'))
        fail(l.offset,
             fmt::format("'{}' must be directly followed by a word or a quoted phrase", c));
      if (query_[pos_] == '=' || query_[pos_] == '~' || query_[pos_] == '^')
        fail(pos_, "only one of '=', '~', '^' may precede a term");
    }
    l.kind = Lexeme::Kind::kTerm;
    if (query_[pos_] == '"') {
      const std::size_t open = pos_;
      // A '\"' inside the quotes is a TeX umlaut (Schr\"odinger), not the closing quote.
      std::size_t close = open + 1;
      while (close < query_.size() && (query_[close] != '"' || query_[close - 1] == '\\')) ++close;
      if (close >= query_.size()) close = std::string_view::npos;
      if (close == std::string_view::npos) fail(open, "unterminated '\"'");
      l.quoted = true;
      l.text = query_.substr(open + 1, close - open - 1);
      l.text_offset = open + 1;
      pos_ = close + 1;
      if (pos_ < query_.size() && !ends_bare(query_[pos_]))
        fail(pos_, "a closing '\"' must be followed by a space or ')'");
      return l;
    }
    const std::size_t start = pos_;
    while (pos_ < query_.size() && !ends_bare(query_[pos_])) ++pos_;
    l.text = query_.substr(start, pos_ - start);
    l.text_offset = start;
    if (l.modifier == 0) {
      if (l.text == "OR") l.kind = Lexeme::Kind::kOr;
      if (l.text == "AND") l.kind = Lexeme::Kind::kAnd;
      if (l.text == "NOT") l.kind = Lexeme::Kind::kNot;
    }
    return l;
  }

  // ---- parser ----
  QueryNode parse_or(std::size_t depth) {
    QueryNode first = parse_and(depth);
    if (current_.kind != Lexeme::Kind::kOr) return first;
    QueryNode node;
    node.kind = QueryNode::Kind::kOr;
    node.column = first.column;
    append_flat(node, std::move(first));
    while (current_.kind == Lexeme::Kind::kOr) {
      const std::size_t at = current_.offset;
      advance();
      if (!starts_unary())
        fail(current_.kind == Lexeme::Kind::kEnd ? at : current_.offset,
             "'OR' must be followed by a term or '('");
      append_flat(node, parse_and(depth));
    }
    return node;
  }

  bool starts_unary() const {
    switch (current_.kind) {
      case Lexeme::Kind::kLParen:
      case Lexeme::Kind::kNot:
      case Lexeme::Kind::kMinus:
      case Lexeme::Kind::kScope:
      case Lexeme::Kind::kTerm:
        return true;
      default:
        return false;
    }
  }

  QueryNode parse_and(std::size_t depth) {
    if (!starts_unary()) {
      if (current_.kind == Lexeme::Kind::kOr || current_.kind == Lexeme::Kind::kAnd)
        fail(current_.offset, fmt::format("'{}' needs a term before it",
                                          current_.kind == Lexeme::Kind::kOr ? "OR" : "AND"));
      if (current_.kind == Lexeme::Kind::kRParen) fail(current_.offset, "empty '( )' or stray ')'");
      fail(current_.offset, "a term is missing");
    }
    QueryNode first = parse_unary(depth);
    QueryNode node;
    node.kind = QueryNode::Kind::kAnd;
    node.column = first.column;
    append_flat(node, std::move(first));
    for (;;) {
      if (current_.kind == Lexeme::Kind::kAnd) {
        const std::size_t at = current_.offset;
        advance();
        if (!starts_unary())
          fail(current_.kind == Lexeme::Kind::kEnd ? at : current_.offset,
               "'AND' must be followed by a term or '('");
      } else if (!starts_unary()) {
        break;
      }
      append_flat(node, parse_unary(depth));
    }
    if (node.children.size() == 1) return std::move(node.children.front());
    return node;
  }

  QueryNode parse_unary(std::size_t depth) {
    if (depth > kMaxDepth) fail(current_.offset, "the query nests too deeply");
    if (current_.kind == Lexeme::Kind::kNot || current_.kind == Lexeme::Kind::kMinus) {
      const std::size_t at = current_.offset;
      const bool minus = current_.kind == Lexeme::Kind::kMinus;
      advance();
      if (!starts_unary())
        fail(current_.kind == Lexeme::Kind::kEnd ? at : current_.offset,
             minus ? "'-' must be followed by a term or '('"
                   : "'NOT' must be followed by a term or '('");
      QueryNode node;
      node.kind = QueryNode::Kind::kNot;
      node.column = column_of(at);
      node.children.push_back(parse_unary(depth + 1));
      return node;
    }
    return parse_primary(depth, QueryScope::kDefault);
  }

  QueryNode parse_primary(std::size_t depth, QueryScope inherited) {
    if (depth > kMaxDepth) fail(current_.offset, "the query nests too deeply");
    QueryScope scope = inherited;
    if (current_.kind == Lexeme::Kind::kScope) {
      scope = current_.scope;
      advance();
      if (current_.kind != Lexeme::Kind::kTerm && current_.kind != Lexeme::Kind::kLParen)
        fail(current_.offset, "a scope must be followed by a term or '('");
    }
    if (current_.kind == Lexeme::Kind::kLParen) {
      const std::size_t open = current_.offset;
      advance();
      if (current_.kind == Lexeme::Kind::kRParen) fail(current_.offset, "empty '( )'");
      if (current_.kind == Lexeme::Kind::kEnd) fail(open, "unclosed '('");
      QueryNode inner = parse_or(depth + 1);
      if (current_.kind != Lexeme::Kind::kRParen) fail(open, "unclosed '('");
      advance();
      if (scope != QueryScope::kDefault) apply_scope(inner, scope, open);
      return inner;
    }
    if (current_.kind != Lexeme::Kind::kTerm) fail(current_.offset, "a term is missing");
    QueryNode term = make_term(current_, scope);
    advance();
    return term;
  }

  void apply_scope(QueryNode& node, QueryScope scope, std::size_t at) {
    if (node.kind == QueryNode::Kind::kTerm) {
      if (node.scope == QueryScope::kDefault) {
        QueryNode rebuilt = rebuild_term(node, scope, at);
        node = std::move(rebuilt);
      }
      return;
    }
    for (auto& child : node.children) apply_scope(child, scope, at);
  }

  // A default-scope term re-read under the scope of its enclosing group.
  QueryNode rebuild_term(const QueryNode& node, QueryScope scope, std::size_t) {
    QueryNode copy = node;
    copy.scope = scope;
    validate_scoped(copy, term_offset(node));
    return copy;
  }

  std::size_t term_offset(const QueryNode& node) const {
    // Inverse of column_of, for error positions of terms.
    std::size_t column = 1;
    for (std::size_t i = 0; i < query_.size(); ++i) {
      if ((static_cast<unsigned char>(query_[i]) & 0xC0) == 0x80) continue;
      if (column == node.column) return i;
      ++column;
    }
    return query_.size();
  }

  std::size_t column_of(std::size_t offset) const {
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < query_.size(); ++i)
      if ((static_cast<unsigned char>(query_[i]) & 0xC0) != 0x80) ++column;
    return column;
  }

  QueryNode make_term(const Lexeme& l, QueryScope scope) {
    QueryNode node;
    node.kind = QueryNode::Kind::kTerm;
    node.scope = scope;
    node.raw = std::string(l.text);
    node.column = column_of(l.offset);
    // '*' ends a word as a prefix wildcard; anywhere else in a bare word it is an error.
    std::string text(l.text);
    std::vector<bool> star_at(text.size() + 1, false);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '*') continue;
      const bool after_word = i > 0 && !is_space(text[i - 1]) && text[i - 1] != '*';
      const bool at_end = i + 1 == text.size() || is_space(text[i + 1]);
      if (after_word && at_end) {
        star_at[i] = true;
        text[i] = ' ';
      } else if (!l.quoted) {
        fail(l.text_offset + i, "'*' may only end a word (prefix search, as in learn*)");
      }
    }
    TokenizedText tokens = tokenize(text);
    if (tokens.tokens.empty())
      fail(l.offset, fmt::format("the term '{}' has no letters or digits to match", l.text));
    for (std::size_t t = 0; t < tokens.tokens.size(); ++t) {
      const Token& tok = tokens.tokens[t];
      QueryWord w;
      w.folded = std::string(tokens.word(tok));
      w.original = text.substr(tok.begin, tok.end - tok.begin);
      w.hard_gap = t > 0 && !tok.soft_gap;
      if (l.modifier == '=') w.mode = WordMode::kExact;
      if (l.modifier == '~') w.mode = WordMode::kStem;
      if (l.modifier == '^') w.case_sensitive = true;
      if (tok.end < star_at.size() && star_at[tok.end]) w.mode = WordMode::kPrefix;
      // A star after a hard gap (e.g. "C++*") would prefix-match the last word: allowed.
      node.words.push_back(std::move(w));
    }
    validate_scoped(node, l.offset);
    return node;
  }

  void validate_scoped(const QueryNode& node, std::size_t offset) const {
    if (node.scope == QueryScope::kCategory || node.scope == QueryScope::kId) {
      for (const QueryWord& w : node.words) {
        if (w.mode == WordMode::kStem || w.case_sensitive)
          fail(offset, fmt::format("'~' and '^' do not apply to {}: terms", to_string(node.scope)));
      }
      const std::string_view raw = node.raw;
      const std::size_t star = raw.find('*');
      if (star != std::string_view::npos && star + 1 != raw.size())
        fail(offset, "'*' may only end a cat: or id: term");
      if (node.scope == QueryScope::kCategory) {
        for (char c : raw)
          if (!is_letter(c) && c != '.' && c != '-' && c != '*')
            fail(offset,
                 fmt::format("'{}' is not an arXiv category (cat:cs.LG, cat:cs, cat:math.*)", raw));
      }
    }
  }

  static void append_flat(QueryNode& parent, QueryNode child) {
    if (child.kind == parent.kind && child.kind != QueryNode::Kind::kTerm &&
        child.kind != QueryNode::Kind::kNot) {
      for (auto& c : child.children) parent.children.push_back(std::move(c));
    } else {
      parent.children.push_back(std::move(child));
    }
  }

  // True when the query is true for a paper none of whose terms match.
  static bool matches_nothing_present(const QueryNode& node) {
    switch (node.kind) {
      case QueryNode::Kind::kTerm:
        return false;
      case QueryNode::Kind::kNot:
        return !matches_nothing_present(node.children.front());
      case QueryNode::Kind::kAnd:
        for (const auto& c : node.children)
          if (!matches_nothing_present(c)) return false;
        return true;
      case QueryNode::Kind::kOr:
        for (const auto& c : node.children)
          if (matches_nothing_present(c)) return true;
        return false;
    }
    return false;
  }

  std::string_view query_;
  std::size_t pos_ = 0;
  Lexeme current_;
};

void append_canonical(const QueryNode& node, std::string& out, bool nested) {
  switch (node.kind) {
    case QueryNode::Kind::kTerm: {
      if (node.scope != QueryScope::kDefault) out += fmt::format("{}:", to_string(node.scope));
      if (!node.words.empty()) {
        if (node.words.front().mode == WordMode::kExact) out += '=';
        if (node.words.front().mode == WordMode::kStem) out += '~';
        if (node.words.front().case_sensitive) out += '^';
      }
      const bool quote = node.raw.find_first_of(" \t\"()") != std::string::npos;
      out += quote ? fmt::format("\"{}\"", node.raw) : node.raw;
      return;
    }
    case QueryNode::Kind::kNot:
      out += "NOT ";
      append_canonical(node.children.front(), out, true);
      return;
    case QueryNode::Kind::kAnd:
    case QueryNode::Kind::kOr: {
      if (nested) out += '(';
      const char* op = node.kind == QueryNode::Kind::kAnd ? " AND " : " OR ";
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += op;
        append_canonical(node.children[i], out, true);
      }
      if (nested) out += ')';
      return;
    }
  }
}

}  // namespace

std::string_view to_string(QueryScope scope) noexcept {
  switch (scope) {
    case QueryScope::kDefault:
      return "";
    case QueryScope::kTitle:
      return "ti";
    case QueryScope::kAbstract:
      return "abs";
    case QueryScope::kAuthor:
      return "au";
    case QueryScope::kCategory:
      return "cat";
    case QueryScope::kComments:
      return "co";
    case QueryScope::kId:
      return "id";
  }
  return "";
}

QueryNode parse_query(std::string_view query) { return Parser(query).parse(); }

std::string to_string(const QueryNode& node) {
  std::string out;
  append_canonical(node, out, false);
  return out;
}

}  // namespace arxiv_digest
