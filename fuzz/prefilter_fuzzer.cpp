// Differential libFuzzer target for the Hyperscan prefilter (src/match/prefilter.hpp): the input's
// first line is a topic query, the rest a paper's text (title = the second line, abstract = the
// remainder). Whatever the bytes, the QuerySet with the prefilter must report exactly the hits
// and spans of the QuerySet without it; a difference is a lost (or invented) match and aborts.
//
// The same paper is then checked once more dressed in TeX commands (issue 9): each field wrapped
// as `{\em ... }` and each space written ` \textbf{}`. A command is a soft word boundary whose
// name is no word, and braces are transparent (src/match/tokenizer.hpp), so the dressed paper
// must get the same hits, at the same places once the added bytes are taken out, with and
// without the prefilter.
//
// And on both, QuerySet::decide() (plain texts decided without tokenising: `match --count`,
// `--ids`), whenever it answers, must say what the full matcher says.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "match/query_set.hpp"

namespace {

using arxiv_digest::MatchField;
using arxiv_digest::MatchSpan;
using arxiv_digest::Paper;
using arxiv_digest::QuerySet;

constexpr std::string_view kWrapBegin = "{\\em ";
constexpr std::string_view kWrapEnd = " }";
constexpr std::string_view kSpace = " \\textbf{}";

std::string dress(std::string_view text) {
  std::string out(kWrapBegin);
  for (char c : text) {
    if (c == ' ')
      out += kSpace;
    else
      out += c;
  }
  out += kWrapEnd;
  return out;
}

// Where byte `offset` of the undressed `text` lands in dress(text).
std::size_t dressed_offset(std::string_view text, std::size_t offset) {
  std::size_t spaces = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) spaces += text[i] == ' ' ? 1 : 0;
  return kWrapBegin.size() + offset + spaces * (kSpace.size() - 1);
}

// Where byte `offset` of `field` lands in the dressed paper (fields other than the title,
// abstract and comments are not dressed).
std::size_t dressed_offset(const Paper& paper, MatchField field, std::size_t offset) {
  switch (field) {
    case MatchField::kTitle:
      return dressed_offset(paper.title, offset);
    case MatchField::kAbstract:
      return dressed_offset(paper.abstract, offset);
    case MatchField::kComments:
      return dressed_offset(paper.comments, offset);
    default:
      return offset;
  }
}

// The prefiltered set's hits on `paper`, aborting unless they are the full set's.
std::vector<QuerySet::Hit> agreed_hits(const QuerySet& plain, const QuerySet& filtered,
                                       const Paper& paper) {
  static QuerySet::Scratch plain_scratch, filtered_scratch;  // buffers only: any set may use them
  const auto expected = plain.match(paper, plain_scratch);
  const auto got = filtered.match(paper, filtered_scratch);
  if (got.size() != expected.size()) std::abort();
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (got[i].query != expected[i].query || got[i].spans.size() != expected[i].spans.size())
      std::abort();
    for (std::size_t k = 0; k < got[i].spans.size(); ++k)
      if (got[i].spans[k].begin != expected[i].spans[k].begin ||
          got[i].spans[k].end != expected[i].spans[k].end)
        std::abort();
  }
  return expected;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t first = input.find('\n');
  if (first == std::string_view::npos) return 0;
  const std::string query(input.substr(0, first));
  const std::string_view rest = input.substr(first + 1);
  const std::size_t second = rest.find('\n');
  Paper paper;
  paper.title = std::string(rest.substr(0, second));
  paper.abstract =
      second == std::string_view::npos ? std::string() : std::string(rest.substr(second + 1));
  paper.comments = paper.abstract;
  try {
    // Compiling the prefilter costs milliseconds, more than the rest of a run: the sets of the
    // last query are kept, since mutations often change only the paper.
    static std::string last_query;
    static std::unique_ptr<QuerySet> plain_set, filtered_set, decided_set;
    if (!plain_set || query != last_query) {
      plain_set.reset();
      filtered_set.reset();
      decided_set.reset();
      decided_set = std::make_unique<QuerySet>(
          std::vector<std::string>{query},
          arxiv_digest::QuerySetOptions{.prefilter = true, .exact = true});
      auto plain = std::make_unique<QuerySet>(std::vector<std::string>{query});
      filtered_set = std::make_unique<QuerySet>(std::vector<std::string>{query},
                                                arxiv_digest::QuerySetOptions{.prefilter = true});
      plain_set = std::move(plain);
      last_query = query;
    }
    const QuerySet& plain = *plain_set;
    const QuerySet& filtered = *filtered_set;
    const auto hits = agreed_hits(plain, filtered, paper);
    // Issue 9: decide() (match --count, --ids), whenever it answers, answers as the matcher.
    static QuerySet::Scratch decide_scratch;
    const auto decided = decided_set->decide(paper.title, paper.abstract, decide_scratch);
    if (decided && *decided != !hits.empty()) std::abort();

    Paper dressed = paper;
    dressed.title = dress(paper.title);
    dressed.abstract = dress(paper.abstract);
    dressed.comments = dress(paper.comments);
    const auto dressed_hits = agreed_hits(plain, filtered, dressed);
    const auto dressed_decided =
        decided_set->decide(dressed.title, dressed.abstract, decide_scratch);
    if (dressed_decided && *dressed_decided != !dressed_hits.empty()) std::abort();
    if (dressed_hits.size() != hits.size()) std::abort();
    for (std::size_t i = 0; i < hits.size(); ++i) {
      if (dressed_hits[i].query != hits[i].query ||
          dressed_hits[i].spans.size() != hits[i].spans.size())
        std::abort();
      for (std::size_t k = 0; k < hits[i].spans.size(); ++k) {
        const MatchSpan& s = hits[i].spans[k];
        const MatchSpan& d = dressed_hits[i].spans[k];
        if (d.field != s.field || d.term != s.term || d.item != s.item ||
            d.begin != dressed_offset(paper, s.field, s.begin) ||
            d.end != dressed_offset(paper, s.field, s.end))
          std::abort();
      }
    }
  } catch (const arxiv_digest::ConfigError&) {
    // Rejected query: expected.
  }
  return 0;
}
