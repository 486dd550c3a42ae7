// `arxiv-digest match` and topic queries in the configuration, run in-process on the bundled
// sample day (examples/sample-day: real arXiv records) and tests/data fixtures.
#include "cli/match_command.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "match/query_set.hpp"
#include "sources/jsonl_reader.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
const fs::path kSampleDay = fs::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day";

struct Result {
  int code;
  std::string out;
  std::string err;
};

Result run(std::vector<std::string> args) {
  args.insert(args.begin(), "arxiv-digest");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = run_app(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(MatchCommand, EveryInputFormatGivesTheSamePapers) {
  const std::string query = "\"reinforcement learning\"";
  const std::string jsonl = (kSampleDay / "papers.jsonl").string();
  const std::string rss = (kSampleDay / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO").string();
  Result from_jsonl = run({"match", query, jsonl, "--ids"});
  ASSERT_EQ(from_jsonl.code, 0) << from_jsonl.err;
  EXPECT_EQ(lines(from_jsonl.out), 30u);  // the seed's 30 papers
  Result from_rss = run({"match", query, rss, "--count"});
  EXPECT_EQ(from_rss.out, "30\n") << from_rss.err;
  // The five listing pages together hold the same day; a paper in several pages counts once.
  std::vector<std::string> args = {"match", query, "--count"};
  for (const char* cat : {"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"})
    args.push_back((kSampleDay / "list" / cat / "new").string());
  Result from_listing = run(args);
  EXPECT_EQ(from_listing.code, 0) << from_listing.err;
  EXPECT_EQ(from_listing.out, "30\n") << from_listing.err;
  // API Atom.
  Result from_api =
      run({"match", "au:Testing OR testing",
           testing::data_path("api/api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml").string(),
           "--count"});
  EXPECT_EQ(from_api.code, 0) << from_api.err;
  EXPECT_NE(from_api.out, "0\n");
  // OAI-PMH pages (real harvests: oai_dc and arXivRaw records), several files in one call.
  Result from_oai = run(
      {"match", "ti:(diffusion OR \"action recognition\" OR \"symmetry energy\")",
       testing::data_path(
           "oai/atomiklabs_ListRecords_oai_dc_set-cs_from-2024-01-25_trimmed5_resumptionToken.xml")
           .string(),
       testing::data_path(
           "oai/mikesaelim_ListRecords_arXivRaw_from-2014-10-01_trimmed6_resumptionToken.xml")
           .string(),
       "--ids"});
  ASSERT_EQ(from_oai.code, 0) << from_oai.err;
  // "Skeleton based Action Recognition" (oai_dc) and "Density dependence of the symmetry energy"
  // (arXivRaw, with its version); "Diffused Sampling" is not "diffusion".
  EXPECT_EQ(from_oai.out, "2401.14034\n0704.0471v1\n");
  // An OAI-PMH error page is bad data naming the file.
  Result oai_error =
      run({"match", "x", testing::data_path("oai/mikesaelim_ErrorResponseBadVerb.xml").string()});
  EXPECT_EQ(oai_error.code, kMatchError);
  EXPECT_NE(oai_error.err.find("badVerb"), std::string::npos) << oai_error.err;
}

TEST(MatchCommand, ReadsGzipAndPrintsJsonWithTheMatches) {
  testing::TempDir dir;
  const fs::path gz = dir / "papers.jsonl.gz";
  {
    const std::string text = testing::read_file(testing::data_path("match/papers.jsonl"));
    gzFile f = gzopen(gz.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
  }
  Result r = run({"match", "au:\"Y. Bengio\" creativity", gz.string(), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(lines(r.out), 1u) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["id"], "2405.13012");
  EXPECT_EQ(j["matches"][0]["field"], "title");
  EXPECT_EQ(j["matches"][0]["text"], "Creativity");
  EXPECT_EQ(j["matches"].back()["term"], "au:\"Y. Bengio\"");
  EXPECT_EQ(j["matches"].back()["text"], "Yoshua Bengio");

  Result plain =
      run({"match", "Schrodinger -equation", testing::data_path("match/papers.jsonl").string()});
  EXPECT_EQ(plain.out, "2110.08887  Schrödinger's Tree -- On Syntax and Neural Language Models\n");
}

TEST(MatchCommand, ErrorsHaveTheirExitCodes) {
  Result bad_query = run({"match", "ti:(robot", (kSampleDay / "papers.jsonl").string()});
  EXPECT_EQ(bad_query.code, kMatchError);  // grep's convention: 2 for every error
  EXPECT_NE(bad_query.err.find("unclosed '(' at column 4\n  ti:(robot\n     ^"), std::string::npos)
      << bad_query.err;
  Result bad_file = run({"match", "robot", (kSampleDay / "PROVENANCE.md").string()});
  EXPECT_EQ(bad_file.code, kMatchError);
  EXPECT_NE(bad_file.err.find("PROVENANCE.md"), std::string::npos) << bad_file.err;
  Result missing = run({"match", "robot", "/no/such/file"});
  EXPECT_EQ(missing.code, kMatchError);
  EXPECT_NE(missing.err.find("/no/such/file: cannot open the file"), std::string::npos)
      << missing.err;
  EXPECT_EQ(run({"match"}).code, kExitUsage);
}

// Writes `text` gzip-compressed to `path`.
void write_gzip(const fs::path& path, const std::string& text) {
  gzFile f = gzopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
}

std::vector<std::string> fixture_lines(const char* name) {
  return testing::split_lines(testing::read_file(testing::data_path(std::string("match/") + name)));
}

TEST(MatchCommand, ExitStatusFollowsGrep) {
  const std::string jsonl = testing::data_path("match/papers.jsonl").string();
  EXPECT_EQ(run({"match", "Schrodinger", jsonl, "--ids"}).code, kMatchFound);
  Result none = run({"match", "\"no such phrase anywhere\"", jsonl});
  EXPECT_EQ(none.code, kMatchNone);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, "");
  Result none_count = run({"match", "zzyzx", jsonl, "--count"});
  EXPECT_EQ(none_count.code, kMatchNone);
  EXPECT_EQ(none_count.out, "0\n");
  // A missing file among good ones: the others are still read; the status says error.
  Result partly = run({"match", "Schrodinger", "/no/such/file", jsonl, "--count"});
  EXPECT_EQ(partly.code, kMatchError);
  EXPECT_EQ(partly.out, "5\n");
  // The convention is in --help.
  Result help = run({"match", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("0 if a paper matched, 1 if none did, 2 if there was an error"),
            std::string::npos)
      << help.out;
}

TEST(MatchCommand, OutputModesExcludeEachOther) {
  const std::string jsonl = testing::data_path("match/papers.jsonl").string();
  for (std::vector<std::string> modes :
       {std::vector<std::string>{"--ids", "--count"}, {"--json", "--ids"}, {"--count", "--json"}}) {
    SCOPED_TRACE(modes[0] + " " + modes[1]);
    Result r = run({"match", "Schrodinger", jsonl, modes[0], modes[1]});
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_EQ(r.out.find("2110.08887"), std::string::npos) << r.out;
    EXPECT_NE((r.out + r.err).find("excludes"), std::string::npos) << r.out << r.err;
  }
}

TEST(MatchCommand, ADirectoryIsAClearErrorNotAnInternalOne) {
  testing::TempDir dir;
  Result r = run({"match", "robot", dir.path().string() + "/"});
  EXPECT_EQ(r.code, kMatchError);
  EXPECT_NE(r.err.find(dir.path().string() + "/: is a directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("unexpected failure"), std::string::npos) << r.err;
}

TEST(MatchCommand, ABadJsonlLineIsReportedSkippedAndTheScanGoesOn) {
  testing::TempDir dir;
  const auto recs = fixture_lines("papers.jsonl");
  std::string text;
  for (std::size_t i = 0; i < recs.size(); ++i) {
    text += recs[i] + "\n";
    if (i == 2) text += recs[4].substr(0, 200) + "\n";  // line 4: cut short
    if (i == 5)
      text += R"({"title": "Schrodinger"})"
              "\n";  // line 8: no id
  }
  const fs::path file = dir / "papers.jsonl";
  testing::write_file(file, text);
  Result r = run({"match", "Schrodinger", file.string(), "--ids"});
  EXPECT_EQ(r.code, kMatchError);
  // Before and after the bad lines.
  EXPECT_EQ(r.out, "0704.0501\n0704.1726\n0704.1862\n0704.0383\n2110.08887\n");
  EXPECT_NE(r.err.find(file.string() + ":4: not JSON"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(file.string() + ":8: bad or missing arXiv id ''"), std::string::npos)
      << r.err;
  EXPECT_EQ(lines(r.err), 2u) << r.err;
  // A line that cannot match is still checked: the status does not depend on the query.
  Result unrelated = run({"match", "zzyzx", file.string(), "--count"});
  EXPECT_EQ(unrelated.code, kMatchError);
  EXPECT_EQ(unrelated.out, "0\n");
  EXPECT_EQ(lines(unrelated.err), 2u) << unrelated.err;
}

TEST(MatchCommand, AHugeLineIsSkippedNotBuffered) {
  testing::TempDir dir;
  const auto recs = fixture_lines("papers.jsonl");
  const std::string huge =
      R"({"id": "0704.0001", "abstract": ")" + std::string(kMaxJsonlLineBytes + 10, 'x') + "\"}";
  const fs::path file = dir / "huge.jsonl";
  testing::write_file(file, recs[2] + "\n" + huge + "\n" + recs[3] + "\n");
  Result r = run({"match", "Schrodinger", file.string(), "--ids"});
  EXPECT_EQ(r.code, kMatchError);
  EXPECT_EQ(r.out, "0704.1726\n0704.1862\n");
  EXPECT_NE(
      r.err.find(fmt::format("{}:2: line longer than {} bytes", file.string(), kMaxJsonlLineBytes)),
      std::string::npos)
      << r.err;
}

TEST(MatchCommand, TruncatedGzipKeepsWhatCameBefore) {
  testing::TempDir dir;
  const std::string text = testing::read_file(testing::data_path("match/bulk_escapes.jsonl"));
  write_gzip(dir / "all.jsonl.gz", text);
  const std::string gz = testing::read_file(dir / "all.jsonl.gz");
  testing::write_file(dir / "cut.jsonl.gz", gz.substr(0, gz.size() * 3 / 4));
  Result whole = run({"match", "\"neural network\"", (dir / "all.jsonl.gz").string(), "--ids"});
  Result cut = run({"match", "\"neural network\"", (dir / "cut.jsonl.gz").string(), "--ids"});
  EXPECT_EQ(whole.code, kMatchFound) << whole.err;
  EXPECT_EQ(cut.code, kMatchError);
  EXPECT_NE(cut.err.find("cut.jsonl.gz: truncated gzip data"), std::string::npos) << cut.err;
  ASSERT_FALSE(cut.out.empty());
  EXPECT_LT(cut.out.size(), whole.out.size());
  EXPECT_TRUE(whole.out.starts_with(cut.out));
}

TEST(MatchCommand, StreamsArxivSnapshotLines) {
  const std::string snapshot = testing::data_path("match/kaggle_snapshot_first30.jsonl").string();
  Result r = run({"match", "\"diphoton production\"", snapshot});
  EXPECT_EQ(r.code, kMatchFound) << r.err;
  // The record's `versions` list v1 and v2: it is v2 of the paper.
  EXPECT_EQ(r.out,
            "0704.0001v2  Calculation of prompt diphoton production cross sections at Tevatron and "
            "LHC energies\n");
}

// The 20 phrases of the match benchmarks (bench/phrases.txt).
std::vector<std::string> bench_phrases() {
  std::vector<std::string> out;
  for (auto& line : testing::split_lines(
           testing::read_file(std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "bench" / "phrases.txt")))
    if (!line.empty()) out.push_back(std::move(line));
  return out;
}

// Real records (raw JSON lines) and queries for the differential tests below: the benchmark's
// phrases, words around escaped newlines, \u escapes and TeX accents of the records themselves,
// and scopes.
struct RealCases {
  std::vector<std::string> records;
  std::vector<std::string> queries;
  std::set<std::string> pairs;  // phrases across escaped newlines
};

RealCases real_cases() {
  RealCases cases;
  std::vector<std::string>& records = cases.records;
  std::vector<std::string>& queries = cases.queries;
  std::set<std::string>& pairs = cases.pairs;
  for (const char* name : {"bulk_escapes.jsonl", "kaggle_snapshot_first30.jsonl", "papers.jsonl"})
    for (auto& l : fixture_lines(name)) records.push_back(std::move(l));
  for (auto& l : testing::split_lines(testing::read_file(kSampleDay / "papers.jsonl")))
    records.push_back(std::move(l));

  std::string all;
  for (const std::string& p : bench_phrases()) {
    queries.push_back(fmt::format("\"{}\"", p));
    all += (all.empty() ? "" : " OR ") + fmt::format("\"{}\"", p);
  }
  queries.push_back(all);
  // Two words with an escaped newline (and the indent) between them in the raw line.
  const std::regex across(R"(([A-Za-z]{4,})\\n *([A-Za-z]{4,}))");
  for (const auto& r : records)
    for (auto it = std::sregex_iterator(r.begin(), r.end(), across);
         it != std::sregex_iterator() && pairs.size() < 40; ++it)
      if (pairs.insert(fmt::format("\"{} {}\"", (*it)[1].str(), (*it)[2].str())).second) break;
  queries.insert(queries.end(), pairs.begin(), pairs.end());
  for (const char* q : {"Schrodinger",
                        "\"Grobner basis\"",
                        "Painleve",
                        "Tomas",
                        "universitat",
                        "Bogoliubov",
                        "ti:\"neural network\"",
                        "abs:(quantum -entanglement)",
                        "co:pages",
                        "transform*",
                        "=model",
                        "^SAM",
                        "\"dark matter\" -survey",
                        "GPT-4",
                        "(neutrino OR neutrinos) oscillation",
                        "Stuttgart",
                        "naive",
                        "Kahler",
                        "Holder",
                        "Erdos"})
    queries.push_back(q);

  return cases;
}

// The raw-line (JSON) prefilter against the full matcher on real records: it may let through
// lines that do not match, never drop one that does. Queries: the benchmark's phrases, words
// around escaped newlines, \u escapes and TeX accents of the records themselves, and scopes.
TEST(MatchPrefilter, RawLinePrefilterNeverLosesAMatchOnRealRecords) {
  const RealCases cases = real_cases();
  const std::vector<std::string>& records = cases.records;
  const std::vector<std::string>& queries = cases.queries;
  const std::set<std::string>& pairs = cases.pairs;
  JsonlRecordParser parser;
  std::vector<Paper> papers;
  for (std::size_t i = 0; i < records.size(); ++i)
    papers.push_back(parser.parse(records[i], "fixture", i + 1));

  QuerySet::Scratch scratch;
  std::size_t checks = 0, ruled_out = 0, matches = 0, prefiltered = 0;
  for (const std::string& q : queries) {
    SCOPED_TRACE(q);
    const QuerySet plain({q});
    const QuerySet filtered({q}, QuerySetOptions{.prefilter = true, .json_prefilter = true});
    if (filtered.stats().prefilter) ++prefiltered;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const bool expected = !plain.match(papers[i], scratch).empty();
      const bool may = filtered.may_match_json(records[i], scratch);
      ++checks;
      ruled_out += may ? 0 : 1;
      matches += expected ? 1 : 0;
      EXPECT_TRUE(may || !expected) << "prefilter lost " << papers[i].id.str();
      EXPECT_EQ(may && !filtered.match(papers[i], scratch).empty(), expected) << papers[i].id.str();
    }
  }
  // Not vacuous: most queries are prefiltered, most lines ruled out, real matches checked
  // (including phrases across escaped newlines).
  EXPECT_GE(prefiltered, queries.size() - 3);
  EXPECT_GT(ruled_out, checks / 2);
  EXPECT_GT(matches, 200u);
  EXPECT_GE(pairs.size(), 30u);
}

// Issue 9: QuerySet::decide() (plain titles and abstracts decided on their bytes, no tokenising:
// what `match --count` and `--ids` use) against the full matcher on real records, for every
// query above and more of the shapes it decides (plurals, `*`, `=`, punctuation in a phrase,
// ORs): whenever it answers, the answer is the matcher's, and it answers for most records.
TEST(MatchPrefilter, DecideOnPlainTextsEqualsTheFullMatcherOnRealRecords) {
  RealCases cases = real_cases();
  for (const char* name : {"tex_commands.jsonl", "examples_2605.jsonl"})
    for (auto& l : fixture_lines(name)) cases.records.push_back(std::move(l));
  for (const char* q : {"\"neural networks\"",
                        "\"diffusion policies\"",
                        "theory",
                        "theories",
                        "\"quantum error\"",
                        "model*",
                        "\"learn* rate*\"",
                        "=models",
                        "\"state-of-the-art\"",
                        "\"x, y\"",
                        "\"in this paper\"",
                        "\"we propose\"",
                        "\"e.g. the\"",
                        "\"large-scale\" OR \"real-world\"",
                        "(data OR dataset)",
                        "\"black hole\" OR (\"dark matter\" OR \"dark energy\")",
                        "property",
                        "properties",
                        "\"2d\"",
                        "\"h 2\"",
                        "survey OR surveys"})
    cases.queries.push_back(q);
  JsonlRecordParser parser;
  std::vector<Paper> papers;
  for (std::size_t i = 0; i < cases.records.size(); ++i)
    papers.push_back(parser.parse(cases.records[i], "fixture", i + 1));
  QuerySet::Scratch scratch;
  std::size_t decidable = 0, checks = 0, decided = 0, yes = 0, matches = 0;
  for (const std::string& q : cases.queries) {
    SCOPED_TRACE(q);
    const QuerySet plain({q});
    const QuerySet fast({q},
                        QuerySetOptions{.prefilter = true, .json_prefilter = true, .exact = true});
    if (!fast.stats().exact) continue;
    ++decidable;
    for (std::size_t i = 0; i < cases.records.size(); ++i) {
      const bool expected = !plain.match(papers[i], scratch).empty();
      const JsonlRecordParser::Record record = parser.record(cases.records[i], "fixture", i + 1);
      EXPECT_EQ(record.id.str(), papers[i].id.str());
      const Paper again = parser.record_paper();
      EXPECT_EQ(again.title, papers[i].title);
      EXPECT_EQ(again.abstract, papers[i].abstract);
      EXPECT_EQ(again.authors, papers[i].authors);
      EXPECT_EQ(again.categories, papers[i].categories);
      const std::optional<bool> got = fast.decide(record.title, record.abstract, scratch);
      // The normalised fields of the Paper decide the same.
      EXPECT_EQ(fast.decide(papers[i].title, papers[i].abstract, scratch), got);
      ++checks;
      matches += expected ? 1 : 0;
      if (!got) continue;
      ++decided;
      yes += *got ? 1u : 0u;
      EXPECT_EQ(*got, expected) << papers[i].id.str();
    }
  }
  // Not vacuous: most queries decidable (not scopes, NOT, ^, ~), most records decided, many of
  // them matches.
  EXPECT_GE(decidable, cases.queries.size() - 8);
  EXPECT_GT(decided, checks * 2 / 3);
  EXPECT_GT(yes, 300u);
  EXPECT_GT(matches, yes);
}

// Braces joining a word right after a JSON escape (`\nReinforce{ment}`): the raw-line
// prefilter once took the escape for a TeX command and lost this match.
TEST(MatchPrefilter, BracesAfterAJsonEscapeStillJoinTheWord) {
  testing::TempDir dir;
  const fs::path file = dir / "p.jsonl";
  std::ofstream(file)
      << R"({"id": "2101.00001", "title": "A", "abstract": "We study\nReinforce{ment} learning."})"
      << "\n";
  for (const char* mode : {"--count", "--ids"}) {
    Result r = run({"match", "\"reinforcement learning\"", file.string(), mode});
    EXPECT_EQ(r.code, kMatchFound) << mode;
  }
  Result r = run({"match", "\"reinforcement learning\"", file.string()});
  EXPECT_EQ(r.out, "2101.00001  A\n");
}

// The whole command (threads, batches, order) gives what the unfiltered matcher gives.
TEST(MatchPrefilter, CommandOutputEqualsTheUnfilteredMatcher) {
  const fs::path file = testing::data_path("match/bulk_escapes.jsonl");
  JsonlRecordParser parser;
  std::vector<Paper> papers;
  std::size_t n = 0;
  for (const auto& l : fixture_lines("bulk_escapes.jsonl"))
    papers.push_back(parser.parse(l, "f", ++n));
  std::string all;
  for (const std::string& p : bench_phrases()) all += (all.empty() ? "" : " OR ") + fmt::format("\"{}\"", p);
  for (const std::string& q :
       {all, std::string("\"phase transition\" OR \"magnetic field\""), std::string("quantum")}) {
    SCOPED_TRACE(q);
    const QuerySet plain({q});
    std::string expected;
    for (const Paper& p : papers)
      if (!plain.match(p).empty()) expected += p.id.str() + "  " + p.title + "\n";
    Result r = run({"match", q, file.string()});
    EXPECT_EQ(r.code, expected.empty() ? kMatchNone : kMatchFound) << r.err;
    EXPECT_EQ(r.out, expected);
    // --ids and --count decide plain records without tokenising (QuerySet::decide()).
    std::string ids;
    std::size_t count = 0;
    for (const Paper& p : papers)
      if (!plain.match(p).empty()) {
        ids += p.id.str() + "\n";
        ++count;
      }
    Result i = run({"match", q, file.string(), "--ids"});
    EXPECT_EQ(i.out, ids);
    Result c = run({"match", q, file.string(), "--count"});
    EXPECT_EQ(c.out, fmt::format("{}\n", count));
    EXPECT_EQ(c.code, i.code);
  }
}

TEST(TopicQueries, AMalformedQueryFailsConfigCheckAndRunBeforeAnyFetch) {
  testing::TempDir dir;
  const fs::path config = dir / "config.toml";
  std::ofstream(config)
      << "[arxiv]\ncategories = [\"cs.LG\"]\nrss_url = \"http://127.0.0.1:9/\"\n"
         "[[topics]]\nname = \"policies\"\nquery = \"ti:(diffusion OR flow policy\"\n"
         "[output]\ndir = \"out\"\n[store]\npath = \"archive.sqlite\"\n";
  for (const char* cmd : {"check", "run"}) {
    SCOPED_TRACE(cmd);
    Result r = std::string(cmd) == "check"
                   ? run({"config", "check", "--config", config.string()})
                   : run({"run", "--config", config.string(), "--date", "2026-06-18"});
    EXPECT_EQ(r.code, kExitConfig);
    EXPECT_NE(r.err.find("topic 'policies': query \"ti:(diffusion OR flow policy\": unclosed '(' "
                         "at column 4"),
              std::string::npos)
        << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "archive.sqlite"));
}

}  // namespace
}  // namespace arxiv_digest
