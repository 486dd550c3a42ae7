// Matcher: decides whether a paper belongs to a topic, and where.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/paper.hpp"

namespace arxiv_digest {

// Which field a span is in, and its byte range there.
enum class MatchField { kTitle, kAbstract };
struct MatchSpan {
  MatchField field;
  std::size_t begin;  // byte offset in Paper::title / Paper::abstract
  std::size_t end;    // one past the last byte
};

class Matcher {
 public:
  virtual ~Matcher() = default;
  // Every span where the topic matches (empty = no match). Thread-safe (const, no state).
  virtual std::vector<MatchSpan> find(const Paper& paper) const = 0;
  bool matches(const Paper& paper) const { return !find(paper).empty(); }
};

// The minimal topic matcher: `phrase` occurs in the title or abstract, case-insensitively (ASCII
// and Latin-1 letters), on word boundaries, with any run of spaces, hyphens, dashes and line
// breaks between its words equivalent ("Reinforcement-Learning", "reinforcement\n  learning").
// Throws ConfigError when the phrase has no word characters.
std::unique_ptr<Matcher> make_phrase_matcher(std::string_view phrase);

}  // namespace arxiv_digest
