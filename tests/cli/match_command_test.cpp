// `arxiv-digest match` and topic queries in the configuration, run in-process on the bundled
// sample day (examples/sample-day: real arXiv records) and tests/data fixtures.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
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
  EXPECT_EQ(oai_error.code, kExitBadData);
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
  EXPECT_EQ(bad_query.code, kExitConfig);
  EXPECT_NE(bad_query.err.find("unclosed '(' at column 4\n  ti:(robot\n     ^"), std::string::npos)
      << bad_query.err;
  Result bad_file = run({"match", "robot", (kSampleDay / "PROVENANCE.md").string()});
  EXPECT_EQ(bad_file.code, kExitBadData);
  EXPECT_NE(bad_file.err.find("PROVENANCE.md"), std::string::npos) << bad_file.err;
  EXPECT_EQ(run({"match", "robot", "/no/such/file"}).code, kExitBadData);
  EXPECT_EQ(run({"match"}).code, kExitUsage);
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
