// libFuzzer target for the topic query language: any input must either compile or throw
// ConfigError; a query that compiles is then matched against a paper whose title, abstract and
// authors are the same bytes (tokenizer, automaton and evaluation on arbitrary text). Any other
// exception, crash, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "match/query_parser.hpp"
#include "match/query_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    arxiv_digest::QuerySet set({text, "\"reinforcement learning\" -survey"});
    (void)arxiv_digest::to_string(set.query(0));
    arxiv_digest::Paper paper;
    paper.title = text;
    paper.abstract = text;
    paper.comments = text;
    paper.authors = {text, "Yoshua Bengio"};
    paper.categories = {"cs.LG"};
    for (const auto& hit : set.match(paper)) {
      for (const auto& span : hit.spans) (void)set.term_text(hit.query, span.term);
    }
  } catch (const arxiv_digest::ConfigError&) {
    // Rejected query: expected.
  }
  return 0;
}
