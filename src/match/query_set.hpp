// QuerySet: many topic queries (of many users) compiled into one word-level automaton, so each
// paper's text is tokenised and scanned once whatever the number of queries.
//
// Compilation: every word of every term becomes a *literal* (deduplicated), indexed by each form
// it accepts (the word and its regular plurals; exact words; prefixes; Snowball stems); every
// term's word sequence becomes a *phrase* (deduplicated), indexed by its first literal. Scanning a
// field: one hash lookup per word of the text gives the literals it satisfies; phrases are
// extended from the words where their first literal hits; queries are evaluated only when one of
// their phrases hit (a query never matches a paper containing none of its terms, which the parser
// guarantees), plus the queries with au:/cat:/id: terms.
//
// Thread-safety: a QuerySet is immutable after construction; match() is const and may run
// concurrently, each thread with its own Scratch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/paper.hpp"
#include "match/matcher.hpp"
#include "match/query_parser.hpp"

namespace arxiv_digest {

struct QuerySetOptions {
  // Before tokenising a paper, one Hyperscan pass over its raw title, abstract (and comments)
  // skips the papers, and the fields, that cannot match (see prefilter.hpp for why this never
  // loses a match).
  // Pays off when few queries meet many papers (`arxiv-digest match` over a corpus); compiling
  // it costs a few milliseconds (Hyperscan compiles literals and a few fixed patterns). Ignored (no
  // prefilter) when a query uses au:, cat: or id: terms or `~` stems, which raw bytes cannot rule
  // out.
  bool prefilter = false;
  // With `prefilter`: also compile its JSON form (see prefilter.hpp), for may_match_json().
  bool json_prefilter = false;
  // With `prefilter`: also compile the phrases' exact forms (see prefilter.hpp), for decide().
  bool exact = false;
};

class QuerySet {
 public:
  // Parses and compiles every query. Throws ConfigError for the first malformed one (message as
  // parse_query's, prefixed by nothing: callers add which topic it was), and Error if Hyperscan
  // fails to compile the prefilter (not expected: its patterns are generated, never user text).
  explicit QuerySet(const std::vector<std::string>& queries, QuerySetOptions options = {});
  ~QuerySet();
  QuerySet(QuerySet&&) noexcept;
  QuerySet& operator=(QuerySet&&) noexcept;
  QuerySet(const QuerySet&) = delete;
  QuerySet& operator=(const QuerySet&) = delete;

  std::size_t size() const noexcept;
  // The parsed query `index` (canonical form via to_string(QueryNode)).
  const QueryNode& query(std::size_t index) const;
  // Term `term` (as numbered in MatchSpan::term) of query `index`, as written ("ti:diffusion").
  std::string term_text(std::size_t index, std::size_t term) const;

  // Reusable per-thread buffers; keeps allocations out of the per-paper loop.
  class Scratch {
   public:
    Scratch();
    ~Scratch();
    Scratch(Scratch&&) noexcept;
    Scratch& operator=(Scratch&&) noexcept;

   private:
    friend class QuerySet;
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };

  struct Hit {
    std::size_t query = 0;
    std::vector<MatchSpan> spans;  // the positive terms found, by field then position
  };
  // The queries matching `paper`, in query order, each with its spans.
  std::vector<Hit> match(const Paper& paper, Scratch& scratch) const;
  std::vector<Hit> match(const Paper& paper) const;

  // False only when no query can match the paper whose JSON record is `json` (raw bytes: one
  // JSON Lines line, or any JSON text whose decoded strings hold the paper's title, abstract
  // and comments), so the record need not even be parsed. True whenever unsure, and always when
  // there is no JSON prefilter (not asked for, or not applicable: see QuerySetOptions).
  bool may_match_json(std::string_view json, Scratch& scratch) const;

  // Whether some query matches a paper whose title and abstract are these (JSON-decoded values,
  // whitespace normalised or not), decided without tokenising: nullopt when that takes
  // tokenising (a text that is not plain ASCII, prefilter.hpp), and always when the queries are
  // not all ORs of phrases searched in title and abstract (no scope, no AND/NOT, no case-
  // sensitive or ~ words) or `exact` was not asked for. Never differs from !match().empty().
  std::optional<bool> decide(std::string_view title, std::string_view abstract,
                             Scratch& scratch) const;

  // Counters of the compiled automaton (benchmarks, diagnostics).
  struct Stats {
    std::size_t literals = 0;
    std::size_t forms = 0;
    std::size_t phrases = 0;
    bool prefilter = false;  // a prefilter was built (asked for and applicable)
    bool exact = false;      // decide() can answer (asked for and applicable)
  };
  Stats stats() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace arxiv_digest
