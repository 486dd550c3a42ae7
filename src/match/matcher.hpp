// Matcher: decides whether a paper belongs to a topic, and where.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/paper.hpp"
#include "core/topic.hpp"  // MatchField, MatchSpan

namespace arxiv_digest {

class Matcher {
 public:
  virtual ~Matcher() = default;
  // Every span where the topic matches (empty = no match). Thread-safe (const, no state).
  virtual std::vector<MatchSpan> find(const Paper& paper) const = 0;
  bool matches(const Paper& paper) const { return !find(paper).empty(); }
};

// A topic query (see query_parser.hpp for the grammar and README "Topic queries"): spans of every
// positive term found (terms under NOT report none), in field order. Throws ConfigError for a
// malformed query (the message quotes it and points at the column). Thread-safe.
std::unique_ptr<Matcher> compile_query(std::string_view query);

// The query a topic stands for: its `query` when one was configured (differs from the name), else
// its name as one quoted phrase (double quotes in the name become spaces).
std::string topic_query(std::string_view name, std::string_view query);

// The minimal topic matcher: `phrase` occurs in the title or abstract, case-insensitively (ASCII
// and Latin-1 letters), on word boundaries, with any run of spaces, hyphens, dashes and line
// breaks between its words equivalent ("Reinforcement-Learning", "reinforcement\n  learning").
// Throws ConfigError when the phrase has no word characters.
std::unique_ptr<Matcher> make_phrase_matcher(std::string_view phrase);

}  // namespace arxiv_digest
