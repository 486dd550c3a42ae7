// Differential libFuzzer target for the Hyperscan prefilter (src/match/prefilter.hpp): the input's
// first line is a topic query, the rest a paper's text (title = the second line, abstract = the
// remainder). Whatever the bytes, the QuerySet with the prefilter must report exactly the hits
// and spans of the QuerySet without it; a difference is a lost (or invented) match and aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "match/query_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t first = input.find('\n');
  if (first == std::string_view::npos) return 0;
  const std::string query(input.substr(0, first));
  const std::string_view rest = input.substr(first + 1);
  const std::size_t second = rest.find('\n');
  arxiv_digest::Paper paper;
  paper.title = std::string(rest.substr(0, second));
  paper.abstract = second == std::string_view::npos ? std::string() : std::string(rest.substr(second + 1));
  paper.comments = paper.abstract;
  try {
    const arxiv_digest::QuerySet plain({query});
    const arxiv_digest::QuerySet filtered({query}, arxiv_digest::QuerySetOptions{.prefilter = true});
    const auto expected = plain.match(paper);
    const auto got = filtered.match(paper);
    if (got.size() != expected.size()) std::abort();
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (got[i].query != expected[i].query || got[i].spans.size() != expected[i].spans.size())
        std::abort();
      for (std::size_t k = 0; k < got[i].spans.size(); ++k)
        if (got[i].spans[k].begin != expected[i].spans[k].begin ||
            got[i].spans[k].end != expected[i].spans[k].end)
          std::abort();
    }
  } catch (const arxiv_digest::ConfigError&) {
    // Rejected query: expected.
  }
  return 0;
}
