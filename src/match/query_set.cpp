// QuerySet (see query_set.hpp) and compile_query.
#include "match/query_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <future>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"
#include "match/prefilter.hpp"
#include "match/stemmer.hpp"
#include "match/tokenizer.hpp"

namespace arxiv_digest {
namespace {

struct StringHash {
  using is_transparent = void;
  // FNV-1a: words are short, and this inlines where std::hash (murmur) does not.
  std::size_t operator()(std::string_view s) const noexcept {
    std::uint64_t h = 14695981039346656037ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};
using StringMap =
    std::unordered_map<std::string, std::vector<std::uint32_t>, StringHash, std::equal_to<>>;

// FNV-1a as the tokenizer computes it (Token::hash), then mixed.
std::uint64_t mix_hash(std::uint64_t fnv) noexcept { return fnv ^ (fnv >> 29); }
std::uint64_t word_hash(std::string_view s) noexcept {
  std::uint64_t h = kFnvOffset;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * kFnvPrime;
  return mix_hash(h);
}

// The word -> literals index, frozen into one open-addressing table with a bit filter in front:
// most words of a text are in no query, and the filter (32 KiB) rejects them without touching
// the table.
class FlatWordTable {
 public:
  void build(const StringMap& map) {
    std::size_t cap = 16;
    while (cap < map.size() * 2) cap *= 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    filter_.assign(kFilterBits / 64, 0);
    keys_.clear();
    ids_.clear();
    for (const auto& [key, ids] : map) {
      const std::uint64_t h = word_hash(key);
      filter_[(h >> 20) % kFilterBits / 64] |= 1ull << ((h >> 20) % 64);
      std::size_t i = h & mask_;
      while (slots_[i].key_len != 0) i = (i + 1) & mask_;
      slots_[i] = {static_cast<std::uint32_t>(h >> 32), static_cast<std::uint32_t>(keys_.size()),
                   static_cast<std::uint32_t>(key.size()), static_cast<std::uint32_t>(ids_.size()),
                   static_cast<std::uint32_t>(ids.size())};
      keys_ += key;
      ids_.insert(ids_.end(), ids.begin(), ids.end());
    }
  }

  // The literals of `word`: [first, first + size).
  // `h` = word_hash(word).
  std::pair<const std::uint32_t*, std::size_t> find(std::string_view word, std::uint64_t h) const {
    if (slots_.empty()) return {nullptr, 0};
    if ((filter_[(h >> 20) % kFilterBits / 64] & (1ull << ((h >> 20) % 64))) == 0)
      return {nullptr, 0};
    const auto h32 = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.key_len == 0) return {nullptr, 0};
      if (slot.hash == h32 && slot.key_len == word.size() &&
          std::string_view(keys_).substr(slot.key, slot.key_len) == word)
        return {ids_.data() + slot.ids, slot.ids_len};
    }
  }

 private:
  static constexpr std::size_t kFilterBits = 1u << 18;
  struct Slot {
    std::uint32_t hash = 0;
    std::uint32_t key = 0;
    std::uint32_t key_len = 0;  // 0 = empty (no form is empty)
    std::uint32_t ids = 0;
    std::uint32_t ids_len = 0;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<std::uint64_t> filter_;
  std::string keys_;
  std::vector<std::uint32_t> ids_;
};

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool is_ascii_letter(char c) { return c >= 'a' && c <= 'z'; }

// The word and its regular plurals (+s, +es, consonant+y -> ies).
std::vector<std::string> plural_forms(const std::string& w) {
  std::vector<std::string> forms = {w, w + "s", w + "es"};
  if (w.size() >= 2 && w.back() == 'y' && is_ascii_letter(w[w.size() - 2]) &&
      !is_vowel(w[w.size() - 2]))
    forms.push_back(w.substr(0, w.size() - 1) + "ies");
  return forms;
}

// Prefixes ("learn*") in a byte trie: one walk per word finds every prefix it starts with.
class PrefixTrie {
 public:
  bool empty() const { return nodes_.size() == 1 && nodes_[0].ids.empty(); }
  void add(std::string_view prefix, std::uint32_t id) {
    std::uint32_t n = 0;
    for (char c : prefix) {
      std::uint32_t next = child(n, c);
      if (next == 0) {
        next = static_cast<std::uint32_t>(nodes_.size());
        if (n == 0) {
          root_[static_cast<unsigned char>(c)] = next;
        } else {
          nodes_[n].children.emplace_back(c, next);
        }
        nodes_.emplace_back();
      }
      n = next;
    }
    nodes_[n].ids.push_back(id);
  }
  // Calls f(ids) for each prefix of `word` in the trie.
  template <typename F>
  void for_each_prefix(std::string_view word, F&& f) const {
    std::uint32_t n = 0;
    for (char c : word) {
      n = child(n, c);
      if (n == 0) return;
      if (!nodes_[n].ids.empty()) f(nodes_[n].ids);
    }
  }

 private:
  struct Node {
    std::vector<std::pair<char, std::uint32_t>> children;
    std::vector<std::uint32_t> ids;
  };
  std::uint32_t child(std::uint32_t n, char c) const {
    if (n == 0) return root_[static_cast<unsigned char>(c)];
    for (const auto& [ch, next] : nodes_[n].children)
      if (ch == c) return next;
    return 0;
  }
  std::vector<Node> nodes_ = std::vector<Node>(1);
  std::array<std::uint32_t, 256> root_{};  // the root's children, by byte (0 = none)
};

// (first literal, second literal) -> phrases, frozen into one open-addressing table.
class FlatPairTable {
 public:
  void build(const std::unordered_map<std::uint64_t, std::vector<std::uint32_t>>& map) {
    std::size_t cap = 16;
    while (cap < map.size() * 2) cap *= 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    ids_.clear();
    for (const auto& [key, ids] : map) {
      std::size_t i = mix(key) & mask_;
      while (slots_[i].size != 0) i = (i + 1) & mask_;
      slots_[i] = {key, static_cast<std::uint32_t>(ids_.size()),
                   static_cast<std::uint32_t>(ids.size())};
      ids_.insert(ids_.end(), ids.begin(), ids.end());
    }
  }
  std::pair<const std::uint32_t*, std::size_t> find(std::uint64_t key) const {
    if (slots_.empty()) return {nullptr, 0};
    for (std::size_t i = mix(key) & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.size == 0) return {nullptr, 0};
      if (slot.key == key) return {ids_.data() + slot.first, slot.size};
    }
  }
  bool empty() const { return ids_.empty(); }

 private:
  static std::size_t mix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdull;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t first = 0;
    std::uint32_t size = 0;  // 0 = empty
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::vector<std::uint32_t> ids_;
};

struct Literal {
  std::string folded;
  std::string original;  // case-sensitive only
  WordMode mode = WordMode::kPlural;
  bool case_sensitive = false;
};

struct Phrase {
  std::vector<std::uint32_t> literals;
  std::vector<bool> hard_gap;  // per position (position 0 unused)
};

struct Leaf {
  QueryScope scope = QueryScope::kDefault;
  std::uint32_t phrase = 0;             // text scopes
  std::vector<std::string> name_words;  // au:
  std::string raw;                      // cat:, id: (ASCII-lower-cased)
  std::string written;                  // the term as written, for term_text()
};

struct Node {
  QueryNode::Kind kind = QueryNode::Kind::kTerm;
  std::uint32_t leaf = 0;  // index into Query::leaves
  std::vector<Node> children;
};

struct Query {
  QueryNode ast;
  Node root;
  std::vector<Leaf> leaves;
};

struct PhraseHit {
  std::uint32_t phrase;
  MatchField field;
  std::uint32_t begin;
  std::uint32_t end;
  bool operator<(const PhraseHit& o) const {
    return std::tie(phrase, field, begin) < std::tie(o.phrase, o.field, o.begin);
  }
};

bool field_in_scope(MatchField field, QueryScope scope) {
  switch (scope) {
    case QueryScope::kDefault:
      return field == MatchField::kTitle || field == MatchField::kAbstract;
    case QueryScope::kTitle:
      return field == MatchField::kTitle;
    case QueryScope::kAbstract:
      return field == MatchField::kAbstract;
    case QueryScope::kComments:
      return field == MatchField::kComments;
    default:
      return false;
  }
}

// Author names: query words (folded; one letter = an initial) against a name's words. The last
// query word is the surname and must equal one of the name's words; the earlier query words must
// match earlier name words in order (an initial matches any word with that first letter, and a
// name's initial matches any query word with that first letter); name words may be skipped.
bool author_matches(const std::vector<std::string>& query, const TokenizedText& name) {
  const auto& toks = name.tokens;
  if (query.empty() || toks.empty()) return false;
  auto compatible = [](std::string_view q, std::string_view a) {
    if (q.size() == 1 || a.size() == 1) return q.front() == a.front();
    return q == a;
  };
  for (std::size_t last = toks.size(); last-- > 0;) {
    if (name.word(toks[last]) != query.back() || query.back().size() == 1) continue;
    std::size_t a = last;
    bool ok = true;
    for (std::size_t q = query.size() - 1; q-- > 0;) {
      bool found = false;
      while (a > 0) {
        --a;
        if (compatible(query[q], name.word(toks[a]))) {
          found = true;
          break;
        }
      }
      if (!found) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

bool category_matches(std::string_view pattern, std::string_view category) {
  const std::string cat = ascii_lower(category);
  if (!pattern.empty() && pattern.back() == '*')
    return cat.compare(0, pattern.size() - 1, pattern.substr(0, pattern.size() - 1)) == 0;
  if (pattern.find('.') == std::string_view::npos)  // an archive: "cs" = cs.*
    return cat == pattern ||
           (cat.size() > pattern.size() && cat.compare(0, pattern.size(), pattern) == 0 &&
            cat[pattern.size()] == '.');
  return cat == pattern;
}

}  // namespace

struct QuerySet::Scratch::Impl {
  TokenizedText tokens;
  std::vector<std::uint32_t> hit_literals;  // flat, per token
  std::vector<std::uint32_t> hit_offsets;   // token i: [hit_offsets[i], hit_offsets[i+1])
  std::vector<PhraseHit> phrase_hits;
  std::vector<std::uint32_t> candidates;
  std::vector<TokenizedText> author_tokens;
  std::unique_ptr<Stemmer> stemmer;
  PrefilterScratch prefilter;
  PrefilterScratch json_prefilter;
};

QuerySet::Scratch::Scratch() : impl_(std::make_unique<Impl>()) {}
QuerySet::Scratch::~Scratch() = default;
QuerySet::Scratch::Scratch(Scratch&&) noexcept = default;
QuerySet::Scratch& QuerySet::Scratch::operator=(Scratch&&) noexcept = default;

struct QuerySet::Impl {
  std::vector<Query> queries;
  std::vector<Literal> literals;
  std::unordered_map<std::string, std::uint32_t> literal_ids;  // key: mode|cs|folded|original
  StringMap forms;                                             // plural and exact forms -> literals
  PrefixTrie prefixes;
  std::size_t prefix_count = 0;
  StringMap stems;           // Snowball stem -> literals
  FlatWordTable flat_forms;  // `forms`, frozen after compilation
  std::size_t min_form = SIZE_MAX;
  std::size_t max_form = 0;
  std::vector<Phrase> phrases;
  std::unordered_map<std::string, std::uint32_t> phrase_ids;
  std::vector<std::vector<std::uint32_t>> phrases_by_first;  // literal -> one-word phrases
  // (first literal << 32 | second literal) -> phrases of two words or more
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> phrases_by_pair;
  FlatPairTable flat_pairs;      // `phrases_by_pair`, frozen after compilation
  StringMap queries_by_surname;  // au: terms, by their last (folded) word
  std::vector<std::vector<std::uint32_t>> queries_by_phrase;
  std::vector<std::uint32_t> always_evaluate;  // queries with au:/cat:/id: terms
  bool scan_comments = false;
  std::optional<Prefilter> prefilter;
  std::optional<Prefilter> json_prefilter;  // the same phrases, over raw JSON records
  bool exact = false;                       // `prefilter` has the exact phrases (decide())

  // The prefilter's phrases (see prefilter.hpp): per phrase, the stem of each word that every
  // form it accepts starts with (the word; without its final "y" when plurals may end in "ies";
  // the prefix of a `*` term). A phrase with a non-ASCII word is left out: it cannot occur in the
  // pure-ASCII texts the prefilter rules out. Nullopt when raw bytes cannot rule a paper out
  // (au:, cat:, id: terms; stems).
  std::optional<std::vector<std::vector<std::string>>> prefilter_phrases() const {
    if (!always_evaluate.empty() || !queries_by_surname.empty() || !stems.empty())
      return std::nullopt;
    std::set<std::vector<std::string>> out;
    for (const Phrase& phrase : phrases) {
      std::vector<std::string> words;
      for (std::uint32_t id : phrase.literals) {
        const Literal& lit = literals[id];
        std::string stem = lit.folded;
        if (lit.mode == WordMode::kPlural && stem.size() >= 2 && stem.back() == 'y')
          stem.pop_back();
        const bool ascii = std::all_of(stem.begin(), stem.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        });
        if (!ascii || stem.empty()) {
          words.clear();
          break;
        }
        words.push_back(std::move(stem));
      }
      if (!words.empty()) out.insert(std::move(words));
    }
    return std::vector<std::vector<std::string>>(out.begin(), out.end());
  }

  // The phrases in exact form (prefilter.hpp), when every query is an OR of default-scope
  // phrases (nested ORs too) whose words are plural, exact or prefix words, none case-sensitive:
  // then a paper matches exactly when one of them occurs in its title or abstract. A phrase
  // with a non-ASCII word is left out: it cannot occur in a plain (ASCII) text.
  std::optional<std::vector<std::vector<ExactWord>>> exact_phrases() const {
    if (!always_evaluate.empty() || !queries_by_surname.empty() || !stems.empty() || scan_comments)
      return std::nullopt;
    auto pure_or = [&](const Query& q, const Node& n, auto& self) -> bool {
      if (n.kind == QueryNode::Kind::kOr) {
        for (const Node& c : n.children)
          if (!self(q, c, self)) return false;
        return !n.children.empty();
      }
      return n.kind == QueryNode::Kind::kTerm && q.leaves[n.leaf].scope == QueryScope::kDefault;
    };
    for (const Query& q : queries)
      if (!pure_or(q, q.root, pure_or)) return std::nullopt;
    std::vector<std::vector<ExactWord>> out;
    for (const Phrase& phrase : phrases) {
      std::vector<ExactWord> words;
      bool ascii = true;
      for (std::size_t k = 0; k < phrase.literals.size(); ++k) {
        const Literal& lit = literals[phrase.literals[k]];
        if (lit.case_sensitive) return std::nullopt;
        ExactWord w;
        w.word = lit.folded;
        w.any_gap = k > 0 && phrase.hard_gap[k];
        switch (lit.mode) {
          case WordMode::kPlural:
            w.form = ExactWord::Form::kPlural;
            break;
          case WordMode::kExact:
            w.form = ExactWord::Form::kExact;
            break;
          case WordMode::kPrefix:
            w.form = ExactWord::Form::kPrefix;
            break;
          case WordMode::kStem:
            return std::nullopt;
        }
        ascii = ascii && !w.word.empty() && std::all_of(w.word.begin(), w.word.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                });
        words.push_back(std::move(w));
      }
      if (ascii && !words.empty()) out.push_back(std::move(words));
    }
    return out;
  }

  // Which fields can hold a phrase of some query. A field the prefilter rules out holds no
  // phrase hit, so it need not be tokenised either, even when another field must be.
  struct Fields {
    bool title = true;
    bool abstract = true;
    bool comments = true;
    bool any() const { return title || abstract || comments; }
  };
  Fields fields_to_scan(const Paper& paper, PrefilterScratch& scratch) const {
    Fields f;
    if (!prefilter) {
      f.comments = scan_comments;
      return f;
    }
    f.title = prefilter->may_match(paper.title, scratch);
    f.abstract = prefilter->may_match(paper.abstract, scratch);
    f.comments = scan_comments && prefilter->may_match(paper.comments, scratch);
    return f;
  }

  std::uint32_t add_literal(const QueryWord& w, Stemmer& stemmer) {
    const std::string key = fmt::format("{}|{}|{}|{}", static_cast<int>(w.mode), w.case_sensitive,
                                        w.folded, w.case_sensitive ? w.original : std::string());
    auto [it, inserted] = literal_ids.emplace(key, static_cast<std::uint32_t>(literals.size()));
    if (!inserted) return it->second;
    const std::uint32_t id = it->second;
    literals.push_back({w.folded, w.original, w.mode, w.case_sensitive});
    phrases_by_first.emplace_back();
    auto add_form = [&](StringMap& map, const std::string& form) {
      map[form].push_back(id);
      min_form = std::min(min_form, form.size());
      max_form = std::max(max_form, form.size());
    };
    switch (w.mode) {
      case WordMode::kPlural:
        for (const auto& f : plural_forms(w.folded)) add_form(forms, f);
        break;
      case WordMode::kExact:
        add_form(forms, w.folded);
        break;
      case WordMode::kPrefix:
        prefixes.add(w.folded, id);
        ++prefix_count;
        break;
      case WordMode::kStem:
        stems[std::string(stemmer.stem(w.folded))].push_back(id);
        break;
    }
    return id;
  }

  std::uint32_t add_phrase(const QueryNode& term, Stemmer& stemmer) {
    Phrase p;
    std::string key;
    for (const QueryWord& w : term.words) {
      p.literals.push_back(add_literal(w, stemmer));
      p.hard_gap.push_back(w.hard_gap);
      key += fmt::format("{}{},", w.hard_gap ? "h" : "", p.literals.back());
    }
    auto [it, inserted] = phrase_ids.emplace(key, static_cast<std::uint32_t>(phrases.size()));
    if (inserted) {
      if (p.literals.size() == 1) {
        phrases_by_first[p.literals.front()].push_back(it->second);
      } else {
        phrases_by_pair[(std::uint64_t{p.literals[0]} << 32) | p.literals[1]].push_back(it->second);
      }
      phrases.push_back(std::move(p));
      queries_by_phrase.emplace_back();
    }
    return it->second;
  }

  Node compile(const QueryNode& n, std::uint32_t query_index, Query& q, Stemmer& stemmer,
               bool& always) {
    Node out;
    out.kind = n.kind;
    if (n.kind != QueryNode::Kind::kTerm) {
      for (const auto& c : n.children)
        out.children.push_back(compile(c, query_index, q, stemmer, always));
      return out;
    }
    Leaf leaf;
    leaf.scope = n.scope;
    std::string prefix =
        n.scope == QueryScope::kDefault ? "" : fmt::format("{}:", to_string(n.scope));
    if (!n.words.empty() && n.words.front().mode == WordMode::kExact) prefix += '=';
    if (!n.words.empty() && n.words.front().mode == WordMode::kStem) prefix += '~';
    if (!n.words.empty() && n.words.front().case_sensitive) prefix += '^';
    leaf.written = n.raw.find(' ') != std::string::npos ? fmt::format("{}\"{}\"", prefix, n.raw)
                                                        : prefix + n.raw;
    switch (n.scope) {
      case QueryScope::kAuthor: {
        for (const auto& w : n.words) leaf.name_words.push_back(w.folded);
        auto& qs = queries_by_surname[leaf.name_words.back()];
        if (qs.empty() || qs.back() != query_index) qs.push_back(query_index);
        break;
      }
      case QueryScope::kCategory:
      case QueryScope::kId:
        leaf.raw = ascii_lower(n.raw);
        always = true;
        break;
      default: {
        leaf.phrase = add_phrase(n, stemmer);
        auto& qs = queries_by_phrase[leaf.phrase];
        if (qs.empty() || qs.back() != query_index) qs.push_back(query_index);
        if (n.scope == QueryScope::kComments) scan_comments = true;
        break;
      }
    }
    out.leaf = static_cast<std::uint32_t>(q.leaves.size());
    q.leaves.push_back(std::move(leaf));
    return out;
  }

  void literal_hits(std::string_view source, const TokenizedText& text, const Token& tok,
                    Scratch::Impl& s) const {
    const std::string_view word = text.word(tok);
    auto add_one = [&](std::uint32_t id) {
      const Literal& lit = literals[id];
      if (lit.case_sensitive && source.substr(tok.begin, lit.original.size()) != lit.original)
        return;
      s.hit_literals.push_back(id);
    };
    auto add = [&](const std::vector<std::uint32_t>& ids) {
      for (std::uint32_t id : ids) add_one(id);
    };
    if (word.size() >= min_form && word.size() <= max_form) {
      auto [ids, count] = flat_forms.find(word, mix_hash(tok.hash));
      for (std::size_t k = 0; k < count; ++k) add_one(ids[k]);
    }
    if (prefix_count > 0) prefixes.for_each_prefix(word, add);
    if (!stems.empty()) {
      if (!s.stemmer) s.stemmer = std::make_unique<Stemmer>();
      if (auto it = stems.find(s.stemmer->stem(word)); it != stems.end()) add(it->second);
    }
  }

  void scan_field(std::string_view source, MatchField field, Scratch::Impl& s) const {
    if (source.empty()) return;
    tokenize(source, s.tokens);
    const auto& toks = s.tokens.tokens;
    s.hit_literals.clear();
    s.hit_offsets.clear();
    for (const Token& tok : toks) {
      s.hit_offsets.push_back(static_cast<std::uint32_t>(s.hit_literals.size()));
      literal_hits(source, s.tokens, tok, s);
    }
    s.hit_offsets.push_back(static_cast<std::uint32_t>(s.hit_literals.size()));
    if (s.hit_literals.empty()) return;
    auto has = [&](std::size_t token, std::uint32_t literal) {
      for (std::uint32_t k = s.hit_offsets[token]; k < s.hit_offsets[token + 1]; ++k)
        if (s.hit_literals[k] == literal) return true;
      return false;
    };
    auto record = [&](std::uint32_t p, std::size_t i) {
      const Phrase& phrase = phrases[p];
      const std::size_t len = phrase.literals.size();
      if (i + len > toks.size()) return;
      for (std::size_t m = 1; m < len; ++m) {
        if (!(phrase.hard_gap[m] || toks[i + m].soft_gap) || !has(i + m, phrase.literals[m]))
          return;
      }
      s.phrase_hits.push_back({p, field, toks[i].begin, toks[i + len - 1].end});
    };
    for (std::size_t i = 0; i < toks.size(); ++i) {
      for (std::uint32_t k = s.hit_offsets[i]; k < s.hit_offsets[i + 1]; ++k) {
        const std::uint32_t first = s.hit_literals[k];
        for (std::uint32_t p : phrases_by_first[first]) record(p, i);
        if (i + 1 >= toks.size() || flat_pairs.empty()) continue;
        for (std::uint32_t k2 = s.hit_offsets[i + 1]; k2 < s.hit_offsets[i + 2]; ++k2) {
          auto [ids, count] = flat_pairs.find((std::uint64_t{first} << 32) | s.hit_literals[k2]);
          for (std::size_t c = 0; c < count; ++c) record(ids[c], i);
        }
      }
    }
  }

  // Evaluates `n`. `spans` collects the terms found under an even number of NOTs (the ones
  // that make the query true); an AND that fails under no NOT takes its spans back.
  bool eval(const Node& n, const Query& q, const Paper& paper, Scratch::Impl& s,
            std::vector<MatchSpan>* spans, bool positive) const {
    switch (n.kind) {
      case QueryNode::Kind::kNot:
        return !eval(n.children.front(), q, paper, s, spans, !positive);
      case QueryNode::Kind::kAnd: {
        const std::size_t mark = spans ? spans->size() : 0;
        for (const auto& c : n.children) {
          if (!eval(c, q, paper, s, spans, positive)) {
            if (spans && positive) spans->resize(mark);
            return false;
          }
        }
        return true;
      }
      case QueryNode::Kind::kOr: {
        bool any = false;
        for (const auto& c : n.children) {
          any = eval(c, q, paper, s, spans, positive) || any;
          if (any && spans == nullptr) return true;
        }
        return any;
      }
      case QueryNode::Kind::kTerm:
        return eval_leaf(q.leaves[n.leaf], n.leaf, paper, s, positive ? spans : nullptr);
    }
    return false;
  }

  bool eval_leaf(const Leaf& leaf, std::size_t term, const Paper& paper, Scratch::Impl& s,
                 std::vector<MatchSpan>* spans) const {
    bool found = false;
    switch (leaf.scope) {
      case QueryScope::kAuthor: {
        if (s.author_tokens.size() != paper.authors.size()) {
          s.author_tokens.resize(paper.authors.size());
          for (std::size_t a = 0; a < paper.authors.size(); ++a)
            tokenize(paper.authors[a], s.author_tokens[a]);
        }
        for (std::size_t a = 0; a < paper.authors.size(); ++a) {
          if (author_matches(leaf.name_words, s.author_tokens[a])) {
            found = true;
            if (!spans) return true;
            spans->push_back({MatchField::kAuthors, 0, paper.authors[a].size(), a, term});
          }
        }
        return found;
      }
      case QueryScope::kCategory:
        for (std::size_t c = 0; c < paper.categories.size(); ++c) {
          if (category_matches(leaf.raw, paper.categories[c])) {
            found = true;
            if (!spans) return true;
            spans->push_back({MatchField::kCategories, 0, paper.categories[c].size(), c, term});
          }
        }
        return found;
      case QueryScope::kId: {
        const std::string with_version = ascii_lower(paper.id.str());
        const std::string key = ascii_lower(paper.id.key());
        bool hit = false;
        if (!leaf.raw.empty() && leaf.raw.back() == '*') {
          hit = key.compare(0, leaf.raw.size() - 1, leaf.raw, 0, leaf.raw.size() - 1) == 0;
        } else {
          hit = leaf.raw == key || leaf.raw == with_version;
        }
        if (hit && spans) spans->push_back({MatchField::kId, 0, with_version.size(), 0, term});
        return hit;
      }
      default: {
        PhraseHit probe{leaf.phrase, MatchField::kTitle, 0, 0};
        auto it = std::lower_bound(s.phrase_hits.begin(), s.phrase_hits.end(), probe);
        for (; it != s.phrase_hits.end() && it->phrase == leaf.phrase; ++it) {
          if (!field_in_scope(it->field, leaf.scope)) continue;
          found = true;
          if (!spans) return true;
          spans->push_back({it->field, it->begin, it->end, 0, term});
        }
        return found;
      }
    }
  }
};

QuerySet::QuerySet(const std::vector<std::string>& queries, QuerySetOptions options)
    : impl_(std::make_unique<Impl>()) {
  Stemmer stemmer;
  impl_->queries.reserve(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) {
    Query q;
    q.ast = parse_query(queries[i]);
    bool always = false;
    q.root = impl_->compile(q.ast, static_cast<std::uint32_t>(i), q, stemmer, always);
    if (always) impl_->always_evaluate.push_back(static_cast<std::uint32_t>(i));
    impl_->queries.push_back(std::move(q));
  }
  impl_->flat_forms.build(impl_->forms);
  impl_->flat_pairs.build(impl_->phrases_by_pair);
  if (options.prefilter && !queries.empty()) {
    if (auto phrases = impl_->prefilter_phrases()) {
      // Hyperscan compiles take tens of milliseconds for a few dozen phrases: the JSON form
      // compiles on another thread meanwhile (its exception, if any, is rethrown by get()).
      std::future<Prefilter> json;
      if (options.json_prefilter)
        json = std::async(std::launch::async,
                          [&phrases] { return Prefilter(*phrases, PrefilterInput::kJsonText); });
      std::optional<std::vector<std::vector<ExactWord>>> exact;
      if (options.exact) exact = impl_->exact_phrases();
      if (exact) {
        impl_->prefilter.emplace(*phrases, PrefilterInput::kText, *exact);
        impl_->exact = true;
      } else {
        impl_->prefilter.emplace(*phrases);
      }
      if (json.valid()) impl_->json_prefilter.emplace(json.get());
    }
  }
}

QuerySet::~QuerySet() = default;
QuerySet::QuerySet(QuerySet&&) noexcept = default;
QuerySet& QuerySet::operator=(QuerySet&&) noexcept = default;

std::size_t QuerySet::size() const noexcept { return impl_->queries.size(); }

const QueryNode& QuerySet::query(std::size_t index) const { return impl_->queries.at(index).ast; }

std::string QuerySet::term_text(std::size_t index, std::size_t term) const {
  return impl_->queries.at(index).leaves.at(term).written;
}

QuerySet::Stats QuerySet::stats() const noexcept {
  Stats st;
  st.literals = impl_->literals.size();
  st.forms = impl_->forms.size() + impl_->prefix_count + impl_->stems.size();
  st.phrases = impl_->phrases.size();
  st.prefilter = impl_->prefilter.has_value();
  st.exact = impl_->exact;
  return st;
}

bool QuerySet::may_match_json(std::string_view json, Scratch& scratch) const {
  return !impl_->json_prefilter ||
         impl_->json_prefilter->may_match(json, scratch.impl_->json_prefilter);
}

std::optional<bool> QuerySet::decide(std::string_view title, std::string_view abstract,
                                     Scratch& scratch) const {
  if (!impl_->exact) return std::nullopt;
  PrefilterScratch& s = scratch.impl_->prefilter;
  const Verdict t = impl_->prefilter->decide(title, s);
  if (t == Verdict::kYes) return true;
  const Verdict a = impl_->prefilter->decide(abstract, s);
  if (a == Verdict::kYes) return true;
  if (t == Verdict::kNo && a == Verdict::kNo) return false;
  return std::nullopt;
}

std::vector<QuerySet::Hit> QuerySet::match(const Paper& paper, Scratch& scratch) const {
  Scratch::Impl& s = *scratch.impl_;
  const Impl::Fields fields = impl_->fields_to_scan(paper, s.prefilter);
  if (impl_->prefilter && !fields.any()) return {};
  s.phrase_hits.clear();
  s.author_tokens.clear();
  s.candidates.clear();
  if (fields.title) impl_->scan_field(paper.title, MatchField::kTitle, s);
  if (fields.abstract) impl_->scan_field(paper.abstract, MatchField::kAbstract, s);
  if (fields.comments) impl_->scan_field(paper.comments, MatchField::kComments, s);
  std::sort(s.phrase_hits.begin(), s.phrase_hits.end());
  for (std::size_t i = 0; i < s.phrase_hits.size(); ++i) {
    if (i > 0 && s.phrase_hits[i].phrase == s.phrase_hits[i - 1].phrase) continue;
    const auto& qs = impl_->queries_by_phrase[s.phrase_hits[i].phrase];
    s.candidates.insert(s.candidates.end(), qs.begin(), qs.end());
  }
  s.candidates.insert(s.candidates.end(), impl_->always_evaluate.begin(),
                      impl_->always_evaluate.end());
  if (!impl_->queries_by_surname.empty()) {
    s.author_tokens.resize(paper.authors.size());
    for (std::size_t a = 0; a < paper.authors.size(); ++a) {
      tokenize(paper.authors[a], s.author_tokens[a]);
      const TokenizedText& name = s.author_tokens[a];
      for (const Token& t : name.tokens) {
        auto it = impl_->queries_by_surname.find(name.word(t));
        if (it != impl_->queries_by_surname.end())
          s.candidates.insert(s.candidates.end(), it->second.begin(), it->second.end());
      }
    }
  }
  std::sort(s.candidates.begin(), s.candidates.end());
  s.candidates.erase(std::unique(s.candidates.begin(), s.candidates.end()), s.candidates.end());
  std::vector<Hit> hits;
  for (std::uint32_t qi : s.candidates) {
    const Query& q = impl_->queries[qi];
    std::vector<MatchSpan> spans;
    if (impl_->eval(q.root, q, paper, s, &spans, true)) {
      std::stable_sort(spans.begin(), spans.end(), [](const MatchSpan& a, const MatchSpan& b) {
        return std::tie(a.field, a.item, a.begin) < std::tie(b.field, b.item, b.begin);
      });
      hits.push_back({qi, std::move(spans)});
    }
  }
  return hits;
}

std::vector<QuerySet::Hit> QuerySet::match(const Paper& paper) const {
  Scratch scratch;
  return match(paper, scratch);
}

namespace {

class QueryMatcher final : public Matcher {
 public:
  explicit QueryMatcher(std::string_view query) : set_({std::string(query)}) {}
  std::vector<MatchSpan> find(const Paper& paper) const override {
    auto hits = set_.match(paper);
    return hits.empty() ? std::vector<MatchSpan>() : std::move(hits.front().spans);
  }

 private:
  QuerySet set_;
};

}  // namespace

std::string topic_query(std::string_view name, std::string_view query) {
  if (query != name) return std::string(query);
  std::string phrase(name);
  std::replace(phrase.begin(), phrase.end(), '"', ' ');
  return fmt::format("\"{}\"", phrase);
}

std::unique_ptr<Matcher> compile_query(std::string_view query) {
  return std::make_unique<QueryMatcher>(query);
}

}  // namespace arxiv_digest
