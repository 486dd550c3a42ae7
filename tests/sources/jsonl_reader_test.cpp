// LineReader, GzipReader and JsonlRecordParser (src/sources/jsonl_reader.hpp, gzip_reader.hpp)
// on real records: the project's paper records (tests/data/match/papers.jsonl), lines of arXiv's
// Kaggle metadata snapshot (tests/data/match/kaggle_snapshot_first30.jsonl,
// tests/data/snapshot/first200.jsonl) and bulk-corpus records (see tests/data/match/PROVENANCE.md).
#include "sources/jsonl_reader.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "sources/byte_source.hpp"
#include "sources/gzip_reader.hpp"
#include "sources/parse_util.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

std::string gzip(std::string_view bytes) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, static_cast<uLong>(bytes.size())) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A source handing out `chunk` bytes per read: lines cut across reads, as from a pipe.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string bytes, std::size_t chunk) : bytes_(std::move(bytes)), chunk_(chunk) {}
  std::size_t read(std::span<char> buffer) override {
    const std::size_t n = std::min({buffer.size(), chunk_, bytes_.size() - at_});
    std::copy_n(bytes_.data() + at_, n, buffer.data());
    at_ += n;
    return n;
  }
  const std::string& source() const noexcept override { return name_; }

 private:
  std::string bytes_;
  std::size_t chunk_;
  std::size_t at_ = 0;
  std::string name_ = "trickle.jsonl";
};

std::vector<TextLine> all_lines(LineReader& reader, std::vector<std::string>& texts) {
  std::vector<TextLine> lines;
  while (auto line = reader.next_line()) {
    texts.emplace_back(line->text);
    lines.push_back(*line);
  }
  return lines;
}

std::vector<std::string> ids(const std::vector<Paper>& papers) {
  std::vector<std::string> out;
  for (const Paper& p : papers) out.push_back(p.id.str());
  return out;
}

TEST(JsonlReader, ReadsTheProjectsPaperRecords) {
  const auto path = testing::data_path("match/papers.jsonl");
  const auto papers = read_jsonl(open_input(path.string()));
  ASSERT_EQ(papers.size(), 11u);
  // Same records as the test helper's independent (nlohmann) reader.
  const auto expected = testing::load_papers_jsonl(path, /*normalize=*/true);
  ASSERT_EQ(expected.size(), papers.size());
  for (std::size_t i = 0; i < papers.size(); ++i) {
    SCOPED_TRACE(papers[i].id.str());
    EXPECT_EQ(papers[i].id, expected[i].id);
    EXPECT_EQ(papers[i].title, expected[i].title);
    EXPECT_EQ(papers[i].abstract, expected[i].abstract);
    EXPECT_EQ(papers[i].authors, expected[i].authors);
    EXPECT_EQ(papers[i].categories, expected[i].categories);
  }
  EXPECT_EQ(papers[0].title,
            "Approximation for extinction probability of the contact process based on the "
            "Gr\\\"obner basis");
  const auto bengio = std::find_if(papers.begin(), papers.end(),
                                   [](const Paper& p) { return p.id.str() == "2405.13012"; });
  ASSERT_NE(bengio, papers.end());
  EXPECT_NE(std::find(bengio->authors.begin(), bengio->authors.end(), "Yoshua Bengio"),
            bengio->authors.end());
}

TEST(JsonlReader, ReadsArxivSnapshotLines) {
  const auto papers =
      read_jsonl(open_input(testing::data_path("match/kaggle_snapshot_first30.jsonl").string()));
  ASSERT_EQ(papers.size(), 30u);
  const Paper& first = papers.front();
  EXPECT_EQ(first.id.str(), "0704.0001v2");  // `versions` lists v1 and v2
  EXPECT_EQ(
      first.title,
      "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies");
  EXPECT_EQ(first.authors, (std::vector<std::string>{"C. Bal\\'azs", "E. L. Berger",
                                                     "P. M. Nadolsky", "C.-P. Yuan"}));
  EXPECT_EQ(first.categories, std::vector<std::string>{"hep-ph"});
  EXPECT_EQ(first.primary_category, "hep-ph");
  EXPECT_EQ(first.comments, "37 pages, 15 figures; published version");
  EXPECT_TRUE(first.abstract.starts_with("A fully differential calculation in perturbative"));
  EXPECT_EQ(first.abstract.find('\n'), std::string::npos);
  EXPECT_EQ(papers.back().id.str(), "0704.0030v1");
  // Several categories, one string.
  const auto multi = std::find_if(papers.begin(), papers.end(),
                                  [](const Paper& p) { return p.categories.size() > 1; });
  ASSERT_NE(multi, papers.end());
}

// What next_block() gives, line by line (for_each_line), as next_line() would: text, number and
// too_long of each line; the bytes after each block's lines are readable padding.
struct BlockLine {
  std::string text;
  std::size_t number = 0;
  bool too_long = false;
  bool operator==(const BlockLine&) const = default;
};
std::vector<BlockLine> block_lines(LineReader& reader, std::size_t target,
                                   std::size_t* blocks = nullptr) {
  std::vector<BlockLine> out;
  LineBlock block;
  while (reader.next_block(block, target)) {
    if (blocks != nullptr) ++*blocks;
    if (block.size > 0) {
      EXPECT_GE(block.bytes.size(), block.size + kJsonlPadding);
    }
    if (block.too_long) out.push_back({"", block.too_long->number, true});
    for_each_line(block, reader.max_line_bytes(), [&](const TextLine& line) {
      out.push_back({std::string(line.text), line.number, line.too_long});
    });
  }
  return out;
}
std::vector<BlockLine> next_lines(LineReader& reader) {
  std::vector<BlockLine> out;
  while (auto line = reader.next_line())
    out.push_back({std::string(line->text), line->number, line->too_long});
  return out;
}

TEST(JsonlReader, BlocksHoldTheLinesNextLineGives) {
  const std::string escapes = testing::read_file(testing::data_path("match/bulk_escapes.jsonl"));
  const auto lines =
      testing::split_lines(testing::read_file(testing::data_path("match/papers.jsonl")));
  const std::string huge =
      "{\"id\": \"0704.0001\", \"abstract\": \"" + std::string(9000, 'a') + "\"}";
  const std::vector<std::string> inputs = {
      escapes,
      "\xEF\xBB\xBF" + lines[0] + "\r\n\r\n   \t\r\n" + lines[1] + "\r\n" + "\n" + lines[2],
      lines[0] + "\n" + huge + "\n" + lines[1] + "\n" + huge,  // over-long lines, last without \n
      huge + "\n" + lines[0], "", "\n\n", lines[3] + "\n",
      // Lines just under the limit, each over many reads.
      lines[0] + "\n" + std::string(4000, 'x') + "\n" + std::string(4096, 'y') + "\n" + lines[1]};
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    for (std::size_t chunk : {1u, 100u, 1u << 20}) {
      for (std::size_t target : {1u, 3000u, 1u << 20}) {
        SCOPED_TRACE(::testing::Message()
                     << "input " << i << ", chunk " << chunk << ", target " << target);
        LineReader by_line(std::make_unique<TrickleSource>(inputs[i], chunk), 4096);
        LineReader by_block(std::make_unique<TrickleSource>(inputs[i], chunk), 4096);
        EXPECT_EQ(block_lines(by_block, target), next_lines(by_line));
      }
    }
  }
  // Blocks of about `target` bytes, or what a read brought: a 1 MiB corpus read 4 KiB at a time
  // in 1 KiB blocks takes hundreds of them.
  std::string corpus;
  while (corpus.size() < (1u << 20)) corpus += escapes;
  std::size_t blocks = 0;
  LineReader reader(std::make_unique<TrickleSource>(corpus, 4096));
  EXPECT_EQ(block_lines(reader, 1024, &blocks).size(), testing::split_lines(corpus).size());
  EXPECT_GT(blocks, 100u);
  // Mixed with peek() and next_line() first, as `match` does (it sniffs the format).
  LineReader mixed(memory_source(escapes, "mixed.jsonl"));
  EXPECT_FALSE(mixed.peek(10).empty());
  const auto first = mixed.next_line();
  ASSERT_TRUE(first);
  const auto rest = block_lines(mixed, 1 << 20);
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.front().number, 2u);
  EXPECT_EQ(rest.size() + 1, testing::split_lines(escapes).size());
}

TEST(JsonlReader, BlocksOfATruncatedGzipComeBeforeItsError) {
  const std::string text = testing::read_file(testing::data_path("match/bulk_escapes.jsonl"));
  const std::string gz = gzip(text);
  const std::string cut = gz.substr(0, gz.size() / 2);
  LineReader reader(std::make_unique<GzipReader>(memory_source(cut, "cut.jsonl.gz")));
  JsonlRecordParser parser;
  std::size_t good = 0;
  LineBlock block;
  try {
    while (reader.next_block(block, 1 << 20)) {
      for_each_line(block, reader.max_line_bytes(), [&](const TextLine& line) {
        parser.parse(line.text, "cut.jsonl.gz", line.number, true);  // whole, parsed in place
        ++good;
      });
    }
    ADD_FAILURE() << "no error for a truncated gzip stream";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), "cut.jsonl.gz: truncated gzip data");
  }
  EXPECT_GT(good, 0u);
}

TEST(JsonlReader, LinesCutAcrossReadsAreWhole) {
  const std::string text = testing::read_file(testing::data_path("match/bulk_escapes.jsonl"));
  const auto expected = testing::split_lines(text);
  for (std::size_t chunk : {1u, 7u, 4096u}) {
    SCOPED_TRACE(chunk);
    LineReader reader(std::make_unique<TrickleSource>(text, chunk));
    std::vector<std::string> texts;
    const auto lines = all_lines(reader, texts);
    EXPECT_EQ(texts, expected);
    EXPECT_EQ(lines.back().number, expected.size());
  }
}

TEST(JsonlReader, GzipAndConcatenatedMembers) {
  const std::string text = testing::read_file(testing::data_path("match/papers.jsonl"));
  const std::string snapshot =
      testing::read_file(testing::data_path("match/kaggle_snapshot_first30.jsonl"));
  testing::TempDir dir;
  testing::write_file(dir / "a.jsonl.gz", gzip(text));
  const auto papers = read_jsonl(open_input((dir / "a.jsonl.gz").string()));
  EXPECT_EQ(ids(papers), ids(read_jsonl(memory_source(text, "plain"))));
  // `cat a.gz b.gz`: one stream of both.
  testing::write_file(dir / "ab.jsonl.gz", gzip(text) + gzip(snapshot));
  EXPECT_EQ(read_jsonl(open_input((dir / "ab.jsonl.gz").string())).size(), 11u + 30u);
}

TEST(JsonlReader, TruncatedGzipFailsAfterTheWholeLinesBeforeIt) {
  const std::string text = testing::read_file(testing::data_path("match/bulk_escapes.jsonl"));
  const std::string gz = gzip(text);
  const std::string cut = gz.substr(0, gz.size() / 2);
  LineReader reader(std::make_unique<GzipReader>(memory_source(cut, "cut.jsonl.gz")));
  JsonlRecordParser parser;
  std::size_t good = 0;
  try {
    while (auto line = reader.next_line()) {
      parser.parse(line->text, "cut.jsonl.gz", line->number);  // every line returned is whole
      ++good;
    }
    ADD_FAILURE() << "no error for a truncated gzip stream";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), "cut.jsonl.gz: truncated gzip data");
    EXPECT_EQ(e.source(), "cut.jsonl.gz");
  }
  EXPECT_GT(good, 10u);
  EXPECT_LT(good, 121u);
}

TEST(JsonlReader, CorruptGzipIsAParseError) {
  std::string gz = gzip(testing::read_file(testing::data_path("match/papers.jsonl")));
  for (std::size_t i = 20; i < 60; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5A);
  try {
    read_jsonl(std::make_unique<GzipReader>(memory_source(gz, "bad.gz")));
    ADD_FAILURE() << "no error for corrupt gzip data";
  } catch (const ParseError& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("bad.gz: corrupt gzip data")) << e.what();
  }
}

TEST(JsonlReader, GzipInflaterIsMoveOnly) {
  static_assert(!std::is_copy_constructible_v<Inflater>);
  static_assert(std::is_nothrow_move_constructible_v<Inflater>);
  Inflater a;
  Inflater b(std::move(a));
  a = std::move(b);  // NOLINT(bugprone-use-after-move): assigning back is defined
  SUCCEED();
}

TEST(JsonlReader, BadLinesNameSourceLineAndWhatIsWrong) {
  const std::string good = testing::split_lines(
      testing::read_file(testing::data_path("match/kaggle_snapshot_first30.jsonl")))[0];
  struct Case {
    std::string line;
    std::string message;
    std::string field;
  };
  const std::vector<Case> cases = {
      {good.substr(0, good.size() / 2), "f.jsonl:7: not JSON", ""},  // cut in the middle
      {good.substr(0, good.size() - 1), "f.jsonl:7: not JSON", ""},  // no closing brace
      {"[" + good + "]", "f.jsonl:7: not a JSON object", ""},
      {good + " {}", "f.jsonl:7: not JSON", ""},  // content after the object
      {"<html>", "f.jsonl:7: not JSON", ""},
      {R"({"title": "no id"})", "f.jsonl:7: bad or missing arXiv id ''", "id"},
      {R"({"id": "not-an-id", "title": "x"})", "f.jsonl:7: bad or missing arXiv id 'not-an-id'",
       "id"},
      {"{\"id\": \"0704.0001\", \"title\": \"bad \xC3\x28 utf-8\"}", "f.jsonl:7: not JSON", ""},
  };
  JsonlRecordParser parser;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.line.substr(0, 60));
    for (bool full : {true, false}) {
      try {
        if (full)
          parser.parse(c.line, "f.jsonl", 7);
        else
          parser.check(c.line, "f.jsonl", 7);
        ADD_FAILURE() << "accepted";
      } catch (const ParseError& e) {
        EXPECT_TRUE(std::string(e.what()).starts_with(c.message)) << e.what();
        EXPECT_EQ(e.source(), "f.jsonl");
        EXPECT_EQ(e.line(), 7u);
        EXPECT_EQ(e.field(), c.field);
      }
    }
  }
  // The parser is reusable after an error.
  EXPECT_EQ(parser.parse(good, "f.jsonl", 8).id.str(), "0704.0001v2");
  EXPECT_NO_THROW(parser.check(good, "f.jsonl", 8));
}

TEST(JsonlReader, HugeLineIsAnErrorForThatLineOnly) {
  const auto lines = testing::split_lines(
      testing::read_file(testing::data_path("match/kaggle_snapshot_first30.jsonl")));
  const std::size_t max = 4096;  // every real line here is shorter
  const std::string huge =
      "{\"id\": \"0704.0001\", \"abstract\": \"" + std::string(50000, 'a') + "\"}";
  const std::string text = lines[0] + "\n" + huge + "\n" + lines[1] + "\n" + huge;  // last: no \n
  for (std::size_t chunk : {1000u, 1u << 20}) {
    SCOPED_TRACE(chunk);
    LineReader reader(std::make_unique<TrickleSource>(text, chunk), max);
    std::vector<std::string> texts;
    const auto got = all_lines(reader, texts);
    ASSERT_EQ(got.size(), 4u);
    EXPECT_FALSE(got[0].too_long);
    EXPECT_TRUE(got[1].too_long);
    EXPECT_EQ(got[1].number, 2u);
    EXPECT_EQ(texts[1], "");
    EXPECT_FALSE(got[2].too_long);
    EXPECT_EQ(texts[2], lines[1]);
    EXPECT_TRUE(got[3].too_long);
  }
  EXPECT_EQ(std::string(line_too_long("f.jsonl", {{}, 2, true}, max).what()),
            "f.jsonl:2: line longer than 4096 bytes");
  try {
    read_jsonl(memory_source(text, "f.jsonl"), max);
    ADD_FAILURE() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), "f.jsonl:2: line longer than 4096 bytes");
  }
}

TEST(JsonlReader, CrlfBlankLinesAndByteOrderMark) {
  const auto lines =
      testing::split_lines(testing::read_file(testing::data_path("match/papers.jsonl")));
  const std::string text =
      "\xEF\xBB\xBF" + lines[0] + "\r\n\r\n   \t\r\n" + lines[1] + "\r\n" + "\n" + lines[2];
  LineReader reader(memory_source(text, "crlf.jsonl"));
  std::vector<std::string> texts;
  const auto got = all_lines(reader, texts);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(texts[0], lines[0]);  // no BOM, no CR
  EXPECT_EQ(texts[3], lines[1]);
  EXPECT_EQ(got[5].number, 6u);
  const auto papers = read_jsonl(memory_source(text, "crlf.jsonl"));
  EXPECT_EQ(ids(papers), (std::vector<std::string>{"0704.0019", "0704.0501", "0704.1726"}));
  // A blank line is skipped but counted: errors name the right line.
  try {
    read_jsonl(memory_source(lines[0] + "\n\n{oops}\n", "b.jsonl"));
    ADD_FAILURE();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3u);
  }
}

TEST(JsonlReader, VersionAndListsOfTheProjectsRecords) {
  JsonlRecordParser parser;
  const Paper p = parser.parse(
      R"({"id": "2606.18318", "version": 2, "title": " A\n  title ", "authors": ["A B", 3, "C D"], )"
      R"("subjects": ["cs.RO", "cs.AI"], "comments": null, "abstract": 7})",
      "p.jsonl", 1);
  EXPECT_EQ(p.id.str(), "2606.18318v2");
  EXPECT_EQ(p.title, "A title");
  EXPECT_EQ(p.authors, (std::vector<std::string>{"A B", "C D"}));
  EXPECT_EQ(p.categories, (std::vector<std::string>{"cs.RO", "cs.AI"}));
  EXPECT_EQ(p.abstract, "");
  EXPECT_EQ(p.comments, "");
  // \u escapes (the snapshot's JSON is ASCII-only) decode to UTF-8, surrogate pairs too.
  EXPECT_EQ(parser.parse(R"({"id": "0704.0001", "title": "Schr\u00f6dinger \ud835\udc9c"})", "p", 1)
                .title,
            "Schr\xC3\xB6"
            "dinger \xF0\x9D\x92\x9C");
  // A key given twice: its last value (as nlohmann-json did).
  EXPECT_EQ(parser.parse(R"({"id": "2606.18318", "title": "a", "title": "b"})", "p", 1).title, "b");
}

// ---------------------------------------------------------------------------------------------
// Versions and dates of snapshot records (issue 11).

using std::chrono::sys_seconds;

sys_seconds utc(std::chrono::year_month_day day, int hh, int mm, int ss) {
  return std::chrono::sys_days{day} + std::chrono::hours{hh} + std::chrono::minutes{mm} +
         std::chrono::seconds{ss};
}

// `line` with the first `from` replaced by `to` (which must be there: real lines, edited).
std::string edited(std::string line, std::string_view from, std::string_view to) {
  const std::size_t at = line.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) line.replace(at, from.size(), to);
  return line;
}

// The first line of the snapshot (0704.0001) and its "versions" value as written.
const std::string& snapshot_0704_0001() {
  static const std::string line =
      testing::split_lines(testing::read_file(testing::data_path("snapshot/first200.jsonl")))[0];
  return line;
}
constexpr std::string_view kVersions0001 =
    R"([{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"},)"
    R"({"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"}])";

TEST(JsonlReaderDates, SnapshotVersionsGiveTheVersionAndItsDates) {
  using namespace std::chrono;
  const std::string text = testing::read_file(testing::data_path("snapshot/first200.jsonl"));
  const auto lines = testing::split_lines(text);
  ASSERT_EQ(lines.size(), 200u);
  JsonlRecordParser parser;
  std::size_t two_digit_days = 0, many_versions = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i].substr(0, 20));
    // What the line says, read independently: nlohmann-json and the general RFC 2822 parser.
    const auto json = nlohmann::json::parse(lines[i]);
    const auto& versions = json.at("versions");
    ASSERT_FALSE(versions.empty());
    const std::string& first = versions.front().at("created").get_ref<const std::string&>();
    const std::string& last = versions.back().at("created").get_ref<const std::string&>();
    ASSERT_EQ(versions.front().at("version"), "v1");
    const auto v1 = parse_detail::parse_rfc822(first);
    const auto top = parse_detail::parse_rfc822(last);
    ASSERT_TRUE(v1 && top);
    two_digit_days += first[6] != ' ';
    many_versions += versions.size() >= 4;

    const Paper p = parser.parse(lines[i], "first200.jsonl", i + 1);
    EXPECT_EQ(p.id.key(), json.at("id").get<std::string>());
    EXPECT_EQ("v" + std::to_string(p.id.version()), versions.back().at("version"));
    EXPECT_EQ(p.submitted, v1->instant);
    EXPECT_EQ(p.updated, top->instant);
    // record() and check() agree with parse().
    EXPECT_EQ(parser.record(lines[i], "first200.jsonl", i + 1).id, p.id);
    const Paper again = parser.record_paper();
    EXPECT_EQ(again.submitted, p.submitted);
    EXPECT_EQ(again.updated, p.updated);
    EXPECT_NO_THROW(parser.check(lines[i], "first200.jsonl", i + 1));
  }
  EXPECT_GT(two_digit_days, 20u);  // both widths of the day are exercised
  EXPECT_GT(many_versions, 5u);

  // A few by hand: two versions; a two-digit day; five versions.
  const auto papers = read_jsonl(memory_source(text, "first200.jsonl"));
  EXPECT_EQ(papers[0].id.str(), "0704.0001v2");
  EXPECT_EQ(papers[0].submitted, utc(2007y / April / 2, 19, 18, 42));
  EXPECT_EQ(papers[0].updated, utc(2007y / July / 24, 20, 10, 27));
  EXPECT_EQ(papers[1].id.str(), "0704.0002v2");
  EXPECT_EQ(papers[1].submitted, utc(2007y / March / 31, 2, 26, 18));
  EXPECT_EQ(papers[1].updated, utc(2008y / December / 13, 17, 26, 0));
  const Paper& five = papers[63];
  EXPECT_EQ(five.id.str(), "0704.0064v5");
  EXPECT_EQ(five.submitted, utc(2007y / April / 1, 13, 32, 15));
  EXPECT_EQ(five.updated, utc(2008y / October / 24, 12, 23, 58));
}

TEST(JsonlReaderDates, AnExplicitVersionWinsAndTakesItsOwnDate) {
  using namespace std::chrono;
  const std::string& line = snapshot_0704_0001();
  JsonlRecordParser parser;
  // The record of v1 of a paper that has two.
  Paper p = parser.parse(edited(line, R"("id":"0704.0001")", R"("id":"0704.0001v1")"), "s", 1);
  EXPECT_EQ(p.id.str(), "0704.0001v1");
  EXPECT_EQ(p.submitted, utc(2007y / April / 2, 19, 18, 42));
  EXPECT_EQ(p.updated, p.submitted);
  // The project's "version" key wins too.
  p = parser.parse(edited(line, R"("id":"0704.0001")", R"("id":"0704.0001","version":1)"), "s", 1);
  EXPECT_EQ(p.id.str(), "0704.0001v1");
  EXPECT_EQ(p.updated, p.submitted);
  // A version that is not listed: its date is unknown, v1's is not.
  p = parser.parse(edited(line, R"("id":"0704.0001")", R"("id":"0704.0001v3")"), "s", 1);
  EXPECT_EQ(p.id.str(), "0704.0001v3");
  EXPECT_EQ(p.submitted, utc(2007y / April / 2, 19, 18, 42));
  EXPECT_EQ(p.updated, std::nullopt);
  // Listed out of order, or without v1.
  p = parser.parse(edited(line, kVersions0001,
                          R"([{"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"},)"
                          R"({"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}])"),
                   "s", 1);
  EXPECT_EQ(p.id.str(), "0704.0001v2");
  EXPECT_EQ(p.submitted, utc(2007y / April / 2, 19, 18, 42));
  EXPECT_EQ(p.updated, utc(2007y / July / 24, 20, 10, 27));
  p = parser.parse(edited(line, kVersions0001,
                          R"([{"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"}])"),
                   "s", 1);
  EXPECT_EQ(p.id.str(), "0704.0001v2");
  EXPECT_EQ(p.submitted, std::nullopt);
  EXPECT_EQ(p.updated, utc(2007y / July / 24, 20, 10, 27));
  // Any RFC 2822 zone, converted to UTC.
  p = parser.parse(edited(line, "Mon, 2 Apr 2007 19:18:42 GMT", "2 Apr 2007 15:18:42 -0400"), "s",
                   1);
  EXPECT_EQ(p.submitted, utc(2007y / April / 2, 19, 18, 42));
}

TEST(JsonlReaderDates, UpdateDateAloneIsTheUpdatedDay) {
  using namespace std::chrono;
  // The bulk corpus has only update_date (and a version-less id).
  const std::string text = testing::read_file(testing::data_path("match/bulk_escapes.jsonl"));
  const auto lines = testing::split_lines(text);
  ASSERT_EQ(lines.size(), 121u);
  JsonlRecordParser parser;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i].substr(0, 30));
    const auto json = nlohmann::json::parse(lines[i]);
    ASSERT_FALSE(json.contains("versions"));
    const auto day = parse_date(json.at("update_date").get<std::string>());
    ASSERT_TRUE(day);
    const Paper p = parser.parse(lines[i], "bulk_escapes.jsonl", i + 1);
    EXPECT_FALSE(p.id.has_version());
    EXPECT_EQ(p.submitted, std::nullopt);
    EXPECT_EQ(p.updated, sys_seconds{sys_days{*day}});
  }
  // A snapshot line without its versions: its update_date.
  const std::string& line = snapshot_0704_0001();
  for (const std::string_view versions : {"null", "[]"}) {
    const Paper p = parser.parse(edited(line, kVersions0001, versions), "s", 1);
    EXPECT_EQ(p.id.str(), "0704.0001");
    EXPECT_EQ(p.submitted, std::nullopt);
    EXPECT_EQ(p.updated, sys_seconds{sys_days{2008y / November / 26}});
  }
  const Paper p =
      parser.parse(edited(line, R"("versions":)" + std::string(kVersions0001) + ",", ""), "s", 1);
  EXPECT_EQ(p.updated, sys_seconds{sys_days{2008y / November / 26}});
  // With versions, update_date (the metadata's own change) is not the version's date.
  EXPECT_EQ(parser.parse(line, "s", 1).updated, utc(2007y / July / 24, 20, 10, 27));
}

TEST(JsonlReaderDates, NoVersionsNoDates) {
  // The project's records: no versions, no update_date.
  const auto papers = read_jsonl(open_input(testing::data_path("match/papers.jsonl").string()));
  ASSERT_EQ(papers.size(), 11u);
  for (const Paper& p : papers) {
    SCOPED_TRACE(p.id.str());
    EXPECT_FALSE(p.id.has_version());
    EXPECT_EQ(p.submitted, std::nullopt);
    EXPECT_EQ(p.updated, std::nullopt);
  }
  // A snapshot line with both null.
  JsonlRecordParser parser;
  const Paper p = parser.parse(edited(edited(snapshot_0704_0001(), kVersions0001, "null"),
                                      R"("update_date":"2008-11-26")", R"("update_date":null)"),
                               "s", 1);
  EXPECT_EQ(p.id.str(), "0704.0001");
  EXPECT_EQ(p.submitted, std::nullopt);
  EXPECT_EQ(p.updated, std::nullopt);
}

TEST(JsonlReaderDates, MalformedVersionsAndDatesRejectTheLine) {
  const std::string& line = snapshot_0704_0001();
  struct Case {
    std::string_view from, to, field, message;
  };
  constexpr std::string_view kV1 = R"({"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"})";
  constexpr std::string_view kCreated = "Mon, 2 Apr 2007 19:18:42 GMT";
  constexpr std::string_view kDay = R"("update_date":"2008-11-26")";
  const std::vector<Case> cases = {
      {kVersions0001, R"("v1 v2")", "versions", "bad versions: not a list"},
      {kVersions0001, kV1, "versions", "bad versions: not a list"},  // an object
      {kV1, R"("v1")", "versions", "bad versions: entry 1 is not an object"},
      {kV1, "null", "versions", "bad versions: entry 1 is not an object"},
      {R"("version":"v2")", R"("number":"v2")", "versions",
       R"(bad versions: entry 2 has no "version" string)"},
      {R"("version":"v2")", R"("version":2)", "versions",
       R"(bad versions: entry 2 has no "version" string)"},
      {R"("version":"v2")", R"("version":"2")", "versions",
       "bad versions: entry 2: bad version '2' (expected v1, v2, ...)"},
      {R"("version":"v2")", R"("version":"v0")", "versions",
       "bad versions: entry 2: bad version 'v0'"},
      {R"("version":"v2")", R"("version":"v10000")", "versions",
       "bad versions: entry 2: bad version 'v10000'"},
      {R"("version":"v2")", R"("version":"v2a")", "versions", "bad versions: entry 2: bad version"},
      {R"("version":"v2")", R"("version":"v1")", "versions", "bad versions: v1 listed twice"},
      {R"(,"created":"Mon, 2 Apr 2007 19:18:42 GMT")", "", "versions",
       R"(bad versions: v1 has no "created" date string)"},
      {R"("Mon, 2 Apr 2007 19:18:42 GMT")", "null", "versions",
       R"(bad versions: v1 has no "created" date string)"},
      {kCreated, "2007-04-02T19:18:42Z", "versions",
       "bad versions: v1: bad created date '2007-04-02T19:18:42Z' (expected RFC 2822"},
      {kCreated, "Mon, 31 Apr 2007 19:18:42 GMT", "versions",  // April has 30 days
       "bad versions: v1: bad created date 'Mon, 31 Apr 2007 19:18:42 GMT'"},
      {kCreated, "Mon, 2 Apr 2007 24:18:42 GMT", "versions", "bad versions: v1: bad created date"},
      {kCreated, "Mon, 2 Avr 2007 19:18:42 GMT", "versions", "bad versions: v1: bad created date"},
      {kCreated, "Mon, 2 Apr 2007 19:18:42 XYZ", "versions", "bad versions: v1: bad created date"},
      {kCreated, "", "versions", "bad versions: v1: bad created date ''"},
      {kDay, R"("update_date":"2008/11/26")", "update_date",
       "bad update_date '2008/11/26' (expected YYYY-MM-DD)"},
      {kDay, R"("update_date":"2009-02-29")", "update_date", "bad update_date '2009-02-29'"},
      {kDay, R"("update_date":"2008-11-26T00:00:00")", "update_date",
       "bad update_date '2008-11-26T00:00:00'"},
      {kDay, R"("update_date":20081126)", "update_date", "bad update_date '20081126'"},
      {kDay, R"("update_date":"")", "update_date", R"(bad update_date '""')"},
  };
  JsonlRecordParser parser;
  for (const Case& c : cases) {
    const std::string bad = edited(line, c.from, c.to);
    SCOPED_TRACE(bad.substr(bad.find("\"versions\"")));
    for (int how = 0; how < 3; ++how) {  // parse(), check(), record(): the same error
      try {
        if (how == 0) parser.parse(bad, "f.jsonl", 7);
        if (how == 1) parser.check(bad, "f.jsonl", 7);
        if (how == 2) parser.record(bad, "f.jsonl", 7);
        ADD_FAILURE() << "accepted";
      } catch (const ParseError& e) {
        const std::string what = e.what();
        EXPECT_TRUE(what.starts_with("f.jsonl:7: " + std::string(c.message))) << what;
        EXPECT_EQ(e.source(), "f.jsonl");
        EXPECT_EQ(e.line(), 7u);
        EXPECT_EQ(e.field(), c.field);
      }
    }
  }
  // A key given twice counts once, its last value: an earlier bad one is not read.
  const Paper p =
      parser.parse(edited(line, R"("versions":)", R"("versions":7,"versions":)"), "s", 1);
  EXPECT_EQ(p.id.str(), "0704.0001v2");
  // The parser is reusable after an error.
  EXPECT_EQ(parser.parse(line, "s", 2).id.str(), "0704.0001v2");
}

TEST(JsonlReader, DirectoriesAndMissingFilesAreClearErrors) {
  testing::TempDir dir;
  try {
    open_input(dir.path().string());
    ADD_FAILURE();
  } catch (const ParseError& e) {
    EXPECT_EQ(std::string(e.what()), dir.path().string() + ": is a directory");
  }
  try {
    open_input((dir / "missing.jsonl").string());
    ADD_FAILURE();
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("missing.jsonl: cannot open the file"), std::string::npos);
  }
}

}  // namespace
}  // namespace arxiv_digest
