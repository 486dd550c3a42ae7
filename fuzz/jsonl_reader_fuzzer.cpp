// libFuzzer target for the streaming JSON Lines reader (src/sources/jsonl_reader.hpp,
// gzip_reader.hpp) and, differentially, the raw-line JSON prefilter (src/match/prefilter.hpp).
// The input is a JSONL byte stream (gzip when it starts with the gzip magic), read through a
// LineReader with a small line limit (4 KiB, so over-long lines are exercised). For every line:
// JsonlRecordParser::check() must throw exactly when parse() does (ParseError only, naming the
// line), and for a parsed paper a line the JSON prefilter rules out must match no query of a
// fixed set with the unfiltered matcher (a lost match aborts); and QuerySet::decide() over the
// fields JsonlRecordParser::record() gives (what `match --count` and `--ids` use), whenever it
// answers, must answer as the unfiltered matcher (issue 9).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "match/query_set.hpp"
#include "sources/byte_source.hpp"
#include "sources/gzip_reader.hpp"
#include "sources/jsonl_reader.hpp"

namespace {

using arxiv_digest::QuerySet;

const std::vector<std::string>& queries() {
  static const std::vector<std::string> q = {"\"reinforcement learning\"",
                                             "\"neural network\" OR transformer*",
                                             "ti:\"dark matter\"",
                                             "Schrodinger",
                                             "\"large language model\" -survey",
                                             "=model",
                                             "^SAM",
                                             "abs:(quantum spin)",
                                             "co:pages",
                                             "\"a b\"",
                                             "\"diffusion policy\" OR learn* OR \"x, y\"",
                                             "(=models OR \"state-of-the-art\") OR a"};
  return q;
}

struct Sets {
  std::vector<QuerySet> plain;
  std::vector<QuerySet> filtered;
  std::vector<QuerySet> decided;  // with exact forms: QuerySet::decide() (match --count, --ids)
  Sets() {
    for (const std::string& q : queries()) {
      plain.emplace_back(std::vector<std::string>{q});
      filtered.emplace_back(
          std::vector<std::string>{q},
          arxiv_digest::QuerySetOptions{.prefilter = true, .json_prefilter = true});
      decided.emplace_back(
          std::vector<std::string>{q},
          arxiv_digest::QuerySetOptions{.prefilter = true, .json_prefilter = true, .exact = true});
    }
  }
};

bool parses(arxiv_digest::JsonlRecordParser& parser, std::string_view line, std::size_t number,
            bool full, arxiv_digest::Paper* out) {
  try {
    if (full) {
      *out = parser.parse(line, "fuzz.jsonl", number);
    } else {
      parser.check(line, "fuzz.jsonl", number);
    }
    return true;
  } catch (const arxiv_digest::ParseError& e) {
    if (e.line() != number) std::abort();
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Sets sets;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::unique_ptr<arxiv_digest::ByteSource> source =
      arxiv_digest::memory_source(input, "fuzz.jsonl");
  if (input.size() >= 2 && static_cast<unsigned char>(input[0]) == 0x1F &&
      static_cast<unsigned char>(input[1]) == 0x8B)
    source = std::make_unique<arxiv_digest::GzipReader>(std::move(source));
  arxiv_digest::LineReader reader(std::move(source), 4096);
  arxiv_digest::JsonlRecordParser parser;
  QuerySet::Scratch scratch;
  try {
    while (auto line = reader.next_line()) {
      if (line->too_long) {
        if (!line->text.empty()) std::abort();
        continue;
      }
      if (line->text.size() > 4096) std::abort();
      arxiv_digest::Paper paper;
      const bool checked = parses(parser, line->text, line->number, false, nullptr);
      const bool parsed = parses(parser, line->text, line->number, true, &paper);
      if (checked != parsed) std::abort();
      if (!parsed) continue;
      // record(): the id parse() gives, and the fields decide() needs (undecoded whitespace).
      const arxiv_digest::JsonlRecordParser::Record record =
          parser.record(line->text, "fuzz.jsonl", line->number);
      if (record.id.str() != paper.id.str()) std::abort();
      const arxiv_digest::Paper again = parser.record_paper();  // parse() without parsing again
      if (again.id.str() != paper.id.str() || again.title != paper.title ||
          again.abstract != paper.abstract || again.comments != paper.comments ||
          again.authors != paper.authors || again.categories != paper.categories ||
          again.submitted != paper.submitted || again.updated != paper.updated)
        std::abort();
      for (std::size_t i = 0; i < sets.plain.size(); ++i) {
        const bool matches = !sets.plain[i].match(paper, scratch).empty();
        if (!sets.filtered[i].may_match_json(line->text, scratch) && matches) std::abort();
        const auto decided = sets.decided[i].decide(record.title, record.abstract, scratch);
        if (decided && *decided != matches) std::abort();
      }
    }
  } catch (const arxiv_digest::ParseError&) {
    // Corrupt or truncated gzip: expected.
  }
  return 0;
}
