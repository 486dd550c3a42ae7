// `arxiv-digest search` end to end on the real binary: it agrees with `arxiv-digest match` over
// the same real records (snapshot + sample day) imported with `arxiv-digest import`, prints text
// and JSON, honours --since/--until/--cat/--limit/--offset/--lang, and exits like match (0/1/2).
#include "cli/search_command.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli/import_command.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::data_path;
using testing::ProcessResult;
using testing::run_process;
using testing::TempDir;

const fs::path kBinary = ARXIV_DIGEST_BINARY;
const fs::path kSampleDayPapers =
    fs::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day" / "papers.jsonl";

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> out;
  for (const std::string& line : testing::split_lines(text))
    if (!line.empty()) out.insert(line);
  return out;
}

class SearchCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ProcessResult r = run_process(kBinary, {"import", "-q", "--archive", archive_.string(),
                                            data_path("snapshot/first200.jsonl").string(),
                                            kSampleDayPapers.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ProcessResult search(std::vector<std::string> args) {
    args.insert(args.begin(), {"search", "--archive", archive_.string()});
    return run_process(kBinary, args);
  }
  std::set<std::string> searched_ids(const std::string& query) {
    ProcessResult r = search({"--json", "--limit", "10000", query});
    EXPECT_LE(r.exit_code, 1) << r.err;
    std::set<std::string> ids;
    for (const std::string& line : lines_of(r.out)) ids.insert(nlohmann::json::parse(line)["id"]);
    return ids;
  }
  std::set<std::string> matched_ids(const std::string& query) {
    ProcessResult r = run_process(kBinary, {"match", "--ids", query,
                                            data_path("snapshot/first200.jsonl").string(),
                                            kSampleDayPapers.string()});
    EXPECT_LE(r.exit_code, 1) << r.err;
    return lines_of(r.out);
  }

  TempDir dir_;
  fs::path archive_ = dir_ / "a.sqlite";
};

TEST_F(SearchCommandTest, AgreesWithMatchOnTheSameRecords) {
  for (const std::string query :
       {"\"reinforcement learning\"", "quark OR gluon", "robot -survey", "ti:transformer*",
        "abs:\"cross section\"", "au:Nadolsky", "au:Zhang AND cat:cs.RO", "cat:hep-th",
        "diffus* AND NOT cat:cs.CV"}) {
    const auto expected = matched_ids(query);
    EXPECT_FALSE(expected.empty()) << query;
    EXPECT_EQ(searched_ids(query), expected) << query;
  }
}

TEST_F(SearchCommandTest, PrintsTextAndJsonAndPages) {
  ProcessResult r = search({"--limit", "2", "au:Nadolsky"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The snapshot record is v2 (its `versions`), dated by v1's submission, "Mon, 2 Apr 2007".
  EXPECT_NE(r.out.find("0704.0001v2  2007-04-02  [hep-ph]\n  Calculation of prompt diphoton"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan"), std::string::npos);

  r = search({"--json", "--limit", "1", "ti:diphoton"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(testing::split_lines(r.out).front());
  EXPECT_EQ(j["id"], "0704.0001v2");
  EXPECT_EQ(j["primary_category"], "hep-ph");
  EXPECT_EQ(j["terms"], nlohmann::json::array({"ti:diphoton"}));
  EXPECT_EQ(j["spans"][0]["field"], "title");
  EXPECT_EQ(j["spans"][0]["text"], "diphoton");
  EXPECT_TRUE(j["translation"].is_null());

  // Newest first, paged.
  const auto all = search({"--json", "--limit", "6", "cat:cs.LG"});
  const auto page = search({"--json", "--limit", "3", "--offset", "3", "cat:cs.LG"});
  const auto all_lines = testing::split_lines(all.out);
  const auto page_lines = testing::split_lines(page.out);
  ASSERT_GE(all_lines.size(), 6u);
  ASSERT_GE(page_lines.size(), 3u);
  EXPECT_EQ(page_lines[0], all_lines[3]);
  EXPECT_GT(nlohmann::json::parse(all_lines[0])["key"].get<std::string>(),
            nlohmann::json::parse(all_lines[1])["key"].get<std::string>());
}

TEST_F(SearchCommandTest, FiltersByDateAndCategory) {
  auto ids = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--json", "--limit", "10000"});
    std::set<std::string> out;
    for (const std::string& line : lines_of(search(args).out))
      out.insert(nlohmann::json::parse(line)["key"]);
    return out;
  };
  const auto recent = ids({"--since", "2026-01-01", "learning OR quark"});
  const auto old = ids({"--until", "2007-12-31", "learning OR quark"});
  ASSERT_FALSE(recent.empty());
  ASSERT_FALSE(old.empty());
  for (const auto& k : recent) EXPECT_EQ(k.substr(0, 2), "26");
  for (const auto& k : old) EXPECT_EQ(k.substr(0, 2), "07");
  EXPECT_EQ(ids({"--cat", "hep-ph,cs.RO", "learning OR quark"}),
            ids({"(learning OR quark) AND (cat:hep-ph OR cat:cs.RO)"}));
}

TEST_F(SearchCommandTest, ExitsLikeMatch) {
  ProcessResult r = search({"zzyzxnotaword"});
  EXPECT_EQ(r.exit_code, kSearchNone);
  EXPECT_EQ(r.out, "");
  r = search({"a OR (b"});
  EXPECT_EQ(r.exit_code, kSearchError);
  EXPECT_NE(r.err.find("unclosed '('"), std::string::npos) << r.err;
  r = search({"--since", "June", "quark"});
  EXPECT_EQ(r.exit_code, kSearchError);
  EXPECT_NE(r.err.find("--since 'June'"), std::string::npos) << r.err;
  r = run_process(kBinary, {"search", "--archive", (dir_ / "none.sqlite").string(), "quark"});
  EXPECT_EQ(r.exit_code, kSearchError);
  EXPECT_NE(r.err.find("none.sqlite"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "none.sqlite"));  // a typo creates no archive
  r = search({"强化学习", "--lang", "zh-CN"});  // no translation stored: none
  EXPECT_EQ(r.exit_code, kSearchNone) << r.err;
  r = search({"--time-budget", "1", "id:0704.01* OR quark"});  // every paper a candidate
  EXPECT_LE(r.exit_code, 1);
}

// README "Commands": the rows of `search` and `import` name every flag the commands define.
TEST(SearchCommandReadme, TheCommandRowsNameEveryFlag) {
  const std::string readme =
      testing::read_file(fs::path(ARXIV_DIGEST_SOURCE_DIR) / "README.md");
  CLI::App app;
  SearchOptions search_options;
  ImportOptions import_options;
  for (CLI::App* cmd : {add_search_command(app, search_options),
                        add_import_command(app, import_options)}) {
    const std::size_t row = readme.find("| `arxiv-digest " + cmd->get_name() + " ");
    ASSERT_NE(row, std::string::npos) << cmd->get_name();
    const std::string text = readme.substr(row, readme.find('\n', row) - row);
    std::size_t flags = 0;
    for (const CLI::Option* option : cmd->get_options()) {
      for (const std::string& name : option->get_lnames()) {
        if (name == "help") continue;
        ++flags;
        EXPECT_NE(text.find("--" + name), std::string::npos) << cmd->get_name() << " --" << name;
      }
    }
    EXPECT_GE(flags, 3u);
  }
}

}  // namespace
}  // namespace arxiv_digest
