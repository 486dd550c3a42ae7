// End-to-end tests: the real arxiv-digest binary against a server on 127.0.0.1 that serves the
// bundled sample day (examples/sample-day: real arXiv records, see its PROVENANCE.md) at arXiv's
// paths, with injected faults.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"
#include "store/sqlite_archive.hpp"
#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::FixtureServer;
using testing::ProcessResult;
using testing::split_lines;
using testing::ScriptedResponse;
using Json = nlohmann::ordered_json;

using testing::expected_from_seed;
using testing::kSampleDay;
using testing::kSeedEpoch;
const std::string kFeedPath = testing::kSampleDayFeedPath;

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.mount("/rss/", kSampleDay / "rss", {"application/rss+xml; charset=utf-8", true, true});
    server_.mount("/list/", kSampleDay / "list", {"text/html; charset=utf-8", true, true});
  }

  // Writes a config for the sample day's categories pointing at the local server.
  static constexpr const char* kSeedTopics =
      "[[topics]]\nname = \"reinforcement learning\"\n[[topics]]\nname = \"diffusion policy\"\n";

  fs::path write_config(const std::string& source = "rss", const std::string& extra_arxiv = "",
                        const std::string& topics = kSeedTopics,
                        const std::string& output = "") {
    fs::path path = dir_ / "config.toml";
    std::ofstream(path) << "[arxiv]\n"
                        << "categories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                        << "source = \"" << source << "\"\n"
                        << "rss_url = \"" << server_.url("/rss/") << "\"\n"
                        << "listing_url = \"" << server_.url("/list/") << "\"\n"
                        << "contact = \"digest-test@example.org\"\n"
                        << extra_arxiv << "\n"
                        << topics
                        << "[output]\ndir = \"out\"\n" << output
                        << "[store]\npath = \"archive.sqlite\"\n";
    return path;
  }

  ProcessResult run(std::vector<std::string> args, bool fixed_time = true) {
    std::map<std::string, std::optional<std::string>> env = {
        {"XDG_CACHE_HOME", (dir_ / "cache").string()},
        {"XDG_CONFIG_HOME", (dir_ / "config-home").string()},
        {"XDG_DATA_HOME", (dir_ / "data-home").string()},
        {"SOURCE_DATE_EPOCH", fixed_time ? std::optional<std::string>(kSeedEpoch) : std::nullopt},
    };
    return testing::run_process(ARXIV_DIGEST_BINARY, args, env, dir_.path());
  }

  ProcessResult run_day(const std::string& source = "rss", const std::string& extra = "",
                        std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"run", "--config", write_config(source, extra).string(),
                                     "--date", "2026-06-18", "--stdout"};
    args.insert(args.end(), more.begin(), more.end());
    return run(args);
  }

  fs::path out(const std::string& name) const { return dir_ / "out" / name; }

  std::optional<Announcement> archived(const std::string& date = "2026-06-18") {
    if (!fs::exists(dir_ / "archive.sqlite")) return std::nullopt;
    SqliteArchive archive(dir_ / "archive.sqlite");
    return archive.load_announcement(*parse_date(date),
                                     {"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"});
  }

  testing::TempDir dir_;
  FixtureServer server_;
};

TEST_F(RunTest, SampleDayReproducesTheSeedEntriesWithTheCorrectedHeader) {
  ProcessResult r = run_day();
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string expected = expected_from_seed();
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(testing::read_file(out("2026-06-18.txt")), expected);
  EXPECT_TRUE(fs::exists(out("2026-06-18.md")));
  EXPECT_TRUE(fs::exists(out("2026-06-18.json")));
  // One polite request, naming the tool and the contact.
  auto requests = server_.requests_for(kFeedPath);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_NE(requests[0].header("user-agent").find("arxiv-digest/"), std::string::npos);
  EXPECT_NE(requests[0].header("user-agent").find("mailto:digest-test@example.org"),
            std::string::npos);
  auto stored = archived();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->papers.size(), 219u);  // the whole day is archived, not only the matches
  EXPECT_TRUE(stored->complete);
}

TEST_F(RunTest, ListingPagesGiveTheSameDigestAndTheirCountsAreChecked) {
  ProcessResult r = run_day("listing");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out, expected_from_seed());
  for (const char* cat : {"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"})
    EXPECT_EQ(server_.request_count(std::string("/list/") + cat + "/new"), 1u) << cat;
  auto stored = archived();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->papers.size(), 219u);
  ASSERT_TRUE(stored->declared_count);
  EXPECT_EQ(*stored->declared_count, 74u + 80u + 100u + 48u + 18u);  // "Total of N entries"
}

TEST_F(RunTest, RerunIsIdempotentAndSendsNoRequest) {
  ProcessResult first = run_day("rss", "", {"--quiet"});
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  std::string txt = testing::read_file(out("2026-06-18.txt"));
  std::string md = testing::read_file(out("2026-06-18.md"));
  std::string json = testing::read_file(out("2026-06-18.json"));
  auto before = archived();
  // Second run at another time, without SOURCE_DATE_EPOCH: same bytes, no network.
  ProcessResult second = run({"run", "--config", (dir_ / "config.toml").string(), "--date",
                              "2026-06-18", "--quiet"},
                             /*fixed_time=*/false);
  ASSERT_EQ(second.exit_code, kExitOk) << second.err;
  EXPECT_EQ(server_.request_count(kFeedPath), 1u);
  EXPECT_EQ(testing::read_file(out("2026-06-18.txt")), txt);
  EXPECT_EQ(testing::read_file(out("2026-06-18.md")), md);
  EXPECT_EQ(testing::read_file(out("2026-06-18.json")), json);
  auto after = archived();
  ASSERT_TRUE(before && after);
  EXPECT_EQ(after->fetched_at, before->fetched_at);
  EXPECT_EQ(after->papers.size(), before->papers.size());
  SqliteArchive archive(dir_ / "archive.sqlite");
  EXPECT_EQ(archive.digests_for(*parse_date("2026-06-18")).size(), 3u);
}

struct FaultCase {
  const char* name;
  ScriptedResponse fault;
};

TEST_F(RunTest, RecoversFromTransientFaults) {
  ScriptedResponse unavailable;
  unavailable.status = 503;
  unavailable.headers = {{"Retry-After", "1"}};
  unavailable.body = "<html><body>Service Unavailable</body></html>";
  ScriptedResponse too_many;
  too_many.status = 429;
  too_many.headers = {{"Retry-After", "1"}};
  ScriptedResponse slow;
  slow.delay = std::chrono::milliseconds(2500);  // beyond timeout_s = 1
  slow.body = testing::read_file(kSampleDay / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO");
  ScriptedResponse truncated;
  truncated.body = slow.body.substr(0, slow.body.size() / 2);
  truncated.declared_length = slow.body.size();
  const FaultCase cases[] = {{"503 + Retry-After", unavailable},
                             {"429 + Retry-After", too_many},
                             {"slow response", slow},
                             {"truncated body", truncated}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    fs::remove_all(dir_ / "out");
    fs::remove(dir_ / "archive.sqlite");
    server_.clear_records();
    server_.enqueue(kFeedPath, c.fault);
    ProcessResult r = run_day("rss", "timeout_s = 1\n");
    ASSERT_EQ(r.exit_code, kExitOk) << r.err;
    EXPECT_EQ(r.out, expected_from_seed());
    auto requests = server_.requests_for(kFeedPath);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_NE(r.err.find("retrying"), std::string::npos) << r.err;
    if (c.fault.status == 503 || c.fault.status == 429) {  // Retry-After: 1 was honoured
      EXPECT_GE(requests[1].arrived - requests[0].arrived, std::chrono::milliseconds(950));
    }
  }
}

TEST_F(RunTest, PersistentFailureExitsNonZeroAndLeavesArchiveAndOutputsUntouched) {
  ASSERT_EQ(run_day("rss", "", {"--quiet"}).exit_code, kExitOk);
  const std::string txt = testing::read_file(out("2026-06-18.txt"));
  const auto before = archived();
  for (int i = 0; i < 3; ++i) {
    ScriptedResponse err;
    err.status = 500;
    server_.enqueue(kFeedPath, err);
  }
  ProcessResult r = run_day("rss", "max_retries = 2\n", {"--refetch"});
  EXPECT_EQ(r.exit_code, kExitNetwork) << r.err;
  EXPECT_NE(r.err.find("500"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(testing::read_file(out("2026-06-18.txt")), txt);
  const auto after = archived();
  ASSERT_TRUE(before && after);
  EXPECT_EQ(after->fetched_at, before->fetched_at);
  EXPECT_EQ(after->papers.size(), before->papers.size());
}

TEST_F(RunTest, BadDocumentsAreErrorsNamingTheSource) {
  struct Case {
    const char* name;
    std::string body;
    int status;
    int exit_code;
    const char* fragment;
  };
  const std::string feed = testing::read_file(kSampleDay / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO");
  const Case cases[] = {
      {"HTML error page instead of the feed",
       "<!DOCTYPE html><html><head><title>arXiv</title></head><body>Down for maintenance"
       "</body></html>", 200, kExitBadData, "HTML"},
      {"cut-off XML", feed.substr(0, feed.size() / 3), 200, kExitBadData, "truncated"},
      {"non-UTF-8 byte", feed.substr(0, 5000) + "\xff" + feed.substr(5000), 200, kExitBadData,
       "UTF-8"},
      {"arXiv's feed error for a bad category",
       testing::read_file(testing::data_path("rss/cs.XX_feed_error_http400.xml")), 400,
       kExitBadData, "Feed error for query"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ScriptedResponse bad;
    bad.status = c.status;
    bad.body = c.body;
    server_.enqueue(kFeedPath, bad);
    ProcessResult r = run_day("rss", "max_retries = 0\n");
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_NE(r.err.find(c.fragment), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(server_.url(kFeedPath)), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_FALSE(fs::exists(out("2026-06-18.txt")));
    EXPECT_FALSE(archived());
  }
}

TEST_F(RunTest, ListingPageWithAMissingEntryIsAnIncompleteFetch) {
  std::string page = testing::read_file(kSampleDay / "list" / "cs.RO" / "new");
  // Drop the last entry (its <dt> ... </dd>) while the page still says "Total of 18 entries".
  auto dt = page.rfind("<dt>");
  auto dd_end = page.find("</dd>", dt);
  ASSERT_NE(dt, std::string::npos);
  ASSERT_NE(dd_end, std::string::npos);
  page.erase(dt, dd_end + 5 - dt);
  ScriptedResponse cut;
  cut.body = page;
  cut.content_type = "text/html";
  server_.enqueue("/list/cs.RO/new", cut);
  ProcessResult r = run_day("listing");
  EXPECT_NE(r.exit_code, kExitOk);
  EXPECT_TRUE(r.exit_code == kExitIncomplete || r.exit_code == kExitBadData) << r.exit_code;
  EXPECT_NE(r.err.find("18"), std::string::npos) << r.err;
  EXPECT_FALSE(archived());
  EXPECT_FALSE(fs::exists(out("2026-06-18.txt")));
}

TEST_F(RunTest, DaysWithoutAnnouncementAreSaidSoNeverAsNoResult) {
  // Friday 2026-06-19 is an arXiv holiday; Saturday has no listing. No request is made.
  for (const char* date : {"2026-06-19", "2026-06-20"}) {
    SCOPED_TRACE(date);
    ProcessResult r = run({"run", "--config", write_config().string(), "--date", date, "--stdout"});
    EXPECT_EQ(r.exit_code, kExitNoAnnouncement) << r.err;
    EXPECT_NE(r.err.find("arXiv made no announcement"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("There is no result"), std::string::npos);
  }
  EXPECT_EQ(server_.requests().size(), 0u);
  // An empty feed on an expected listing day.
  ScriptedResponse empty;
  empty.body = testing::read_file(testing::data_path("rss/cs.LG_empty_2026-06-20.xml"));
  server_.enqueue(kFeedPath, empty);
  ProcessResult r = run_day();
  EXPECT_EQ(r.exit_code, kExitNoAnnouncement) << r.err;
  EXPECT_NE(r.err.find("arXiv made no announcement"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_FALSE(fs::exists(out("2026-06-18.txt")));
}

TEST_F(RunTest, AFeedForAnotherDateIsRefused) {
  // Run today (real time): the listing of 2026-06-22 was announced long ago, but the feed still
  // serves 2026-06-18.
  ProcessResult r = run({"run", "--config", write_config().string(), "--date", "2026-06-22"},
                        /*fixed_time=*/false);
  EXPECT_EQ(r.exit_code, kExitIncomplete) << r.err;
  EXPECT_NE(r.err.find("serves the listing of 2026-06-18, not 2026-06-22"), std::string::npos)
      << r.err;
  EXPECT_FALSE(archived("2026-06-22"));
}

TEST_F(RunTest, ConfigErrorsStopBeforeAnyRequest) {
  fs::path path = dir_ / "bad.toml";
  std::ofstream(path) << "[arxiv]\ncategories = [\"cs.AI\", \"cs.LGG\"]\n[[topics]]\nname = \"x\"\n";
  ProcessResult r = run({"run", "--config", path.string()});
  EXPECT_EQ(r.exit_code, kExitConfig);
  EXPECT_NE(r.err.find("bad.toml:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean 'cs.LG'"), std::string::npos) << r.err;
  EXPECT_EQ(server_.requests().size(), 0u);

  ProcessResult check = run({"config", "check", "--config", write_config().string()});
  EXPECT_EQ(check.exit_code, kExitOk) << check.err;
  EXPECT_NE(check.out.find("topic: reinforcement learning"), std::string::npos) << check.out;
  ProcessResult bad_check = run({"config", "check", "--config", path.string()});
  EXPECT_EQ(bad_check.exit_code, kExitConfig);
}

TEST_F(RunTest, CommandLineUsage) {
  for (const char* cmd : {"run", "fetch"}) {
    ProcessResult help = run({cmd, "--help"});
    EXPECT_EQ(help.exit_code, kExitOk);
    EXPECT_NE(help.out.find("--config"), std::string::npos) << help.out;
  }
  ProcessResult top = run({"--help"});
  EXPECT_EQ(top.exit_code, kExitOk);
  EXPECT_NE(top.out.find("Exit codes"), std::string::npos);
  EXPECT_EQ(run({"run", "--no-such-flag"}).exit_code, kExitUsage);
  EXPECT_EQ(run({}).exit_code, kExitUsage);
  EXPECT_EQ(run({"run", "--config", write_config().string(), "--date", "2026-02-30"}).exit_code,
            kExitUsage);
}

// Issue 9: a date whose listing is not announced yet used to be fetched ("the feed has not been
// updated yet"); it is refused before any request, as bad usage.
TEST_F(RunTest, ADateNotAnnouncedYetIsRefusedBeforeAnyRequest) {
  for (const char* date : {"2030-01-01", "2026-06-22"}) {  // far ahead; the next listing (Monday)
    ProcessResult r = run({"run", "--config", write_config().string(), "--date", date});
    EXPECT_EQ(r.exit_code, kExitUsage) << date << ": " << r.err;
    EXPECT_NE(r.err.find("not announced yet"), std::string::npos) << r.err;
  }
  EXPECT_EQ(server_.requests().size(), 0u);
}

// Issue 9: --format values are command-line usage (exit 2), spaces after commas are fine, and an
// empty list is an error rather than "all formats".
TEST_F(RunTest, FormatFlagIsCheckedAsUsage) {
  for (const char* bad : {"txt", "", "json,", "pdf"}) {
    ProcessResult r = run({"run", "--config", write_config().string(), "--date", "2026-06-18",
                           "--format", bad});
    EXPECT_EQ(r.exit_code, kExitUsage) << "'" << bad << "': " << r.err;
    EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  }
  EXPECT_EQ(server_.requests().size(), 0u);
  ProcessResult spaced = run({"run", "--config", write_config().string(), "--date", "2026-06-18",
                              "--format", "json, text", "-q"});
  ASSERT_EQ(spaced.exit_code, kExitOk) << spaced.err;
  EXPECT_TRUE(fs::exists(out("2026-06-18.json")));
  EXPECT_TRUE(fs::exists(out("2026-06-18.txt")));
  EXPECT_FALSE(fs::exists(out("2026-06-18.md")));
  ProcessResult source = run({"run", "--config", write_config().string(), "--date", "2026-06-18",
                              "--source", "foo"});
  EXPECT_EQ(source.exit_code, kExitUsage) << source.err;
}

// Issue 9: `arxiv-digest frob` said "A subcommand is required".
TEST_F(RunTest, AnUnknownCommandIsNamed) {
  ProcessResult frob = run({"frob"});
  EXPECT_EQ(frob.exit_code, kExitUsage);
  EXPECT_NE(frob.err.find("unknown command 'frob'"), std::string::npos) << frob.err;
  ProcessResult typo = run({"rnu", "--date", "2026-06-18"});
  EXPECT_EQ(typo.exit_code, kExitUsage);
  EXPECT_NE(typo.err.find("did you mean 'run'?"), std::string::npos) << typo.err;
}

// Issue 8: a failed publish (one format's path is a directory) changes no digest file, records
// nothing, and exits 9.
TEST_F(RunTest, AFailedPublishChangesNoFileRecordsNothingAndExitsNine) {
  ProcessResult first = run_day("rss", "", {"--format", "text,json", "-q"});
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  const std::string txt = testing::read_file(out("2026-06-18.txt"));
  const std::string json = testing::read_file(out("2026-06-18.json"));
  std::size_t records = 0;
  {
    SqliteArchive archive(dir_ / "archive.sqlite");
    records = archive.digests_for(*parse_date("2026-06-18")).size();
  }
  ASSERT_EQ(records, 2u);
  fs::create_directories(out("2026-06-18.md"));
  ProcessResult r = run({"run", "--config",
                         write_config("rss", "", "[[topics]]\nname = \"robot\"\n").string(),
                         "--date", "2026-06-18"});
  EXPECT_EQ(r.exit_code, kExitOutput) << r.err;
  EXPECT_NE(r.err.find("2026-06-18.md"), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_file(out("2026-06-18.txt")), txt);
  EXPECT_EQ(testing::read_file(out("2026-06-18.json")), json);
  SqliteArchive archive(dir_ / "archive.sqlite");
  const auto after = archive.digests_for(*parse_date("2026-06-18"));
  EXPECT_EQ(after.size(), records);
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir_ / "out")) ++entries;
  EXPECT_EQ(entries, 3u);  // .txt, .json and the directory: no temporary file left
}

TEST_F(RunTest, OutAndFormatFlagsOverrideTheConfig) {
  ProcessResult r = run({"run", "--config", write_config().string(), "--date", "2026-06-18",
                         "--out", (dir_ / "elsewhere").string(), "--format", "md,json", "-q"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;  // --quiet
  EXPECT_TRUE(fs::exists(dir_ / "elsewhere" / "2026-06-18.md"));
  EXPECT_TRUE(fs::exists(dir_ / "elsewhere" / "2026-06-18.json"));
  EXPECT_FALSE(fs::exists(dir_ / "elsewhere" / "2026-06-18.txt"));
  EXPECT_FALSE(fs::exists(out("2026-06-18.md")));
  ProcessResult bad = run({"run", "--config", write_config().string(), "--date", "2026-06-18",
                           "--format", "pdf"});
  EXPECT_EQ(bad.exit_code, kExitUsage);
  EXPECT_NE(bad.err.find("unknown format 'pdf'"), std::string::npos) << bad.err;
}

// Issue 10: the HTML page and the Atom feed are formats like the others.
TEST_F(RunTest, HtmlAndAtomFormatsAreWritten) {
  ProcessResult r = run({"run", "--config", write_config().string(), "--date", "2026-06-18",
                         "--out", (dir_ / "web").string(), "--format", "html, atom", "-q"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string html = testing::read_file(dir_ / "web" / "2026-06-18.html");
  const std::string atom = testing::read_file(dir_ / "web" / "2026-06-18.atom");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
  EXPECT_NE(html.find("<section id=\"topic-reinforcement-learning\">"), std::string::npos);
  EXPECT_EQ(atom.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed", 0), 0u);
  EXPECT_NE(atom.find("<id>tag:arxiv-digest,2026:digest:2606.18284</id>"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_ / "web" / "2026-06-18.txt"));
}

TEST_F(RunTest, RelevanceSortRanksTheSameThirtyPapersByBm25) {
  std::string config = testing::read_file(write_config());
  const std::string topic = "[[topics]]\nname = \"reinforcement learning\"\n";
  config.replace(config.find(topic), topic.size(), topic + "sort = \"relevance\"\n");
  testing::write_file(dir_ / "config.toml", config);
  ProcessResult r = run({"run", "--config", (dir_ / "config.toml").string(), "--date",
                         "2026-06-18", "--stdout", "-q"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  auto links = [](const std::string& text) {
    std::vector<std::string> out;
    for (const auto& line : split_lines(text))
      if (line.rfind("- Arxiv link: ", 0) == 0) out.push_back(line);
    return out;
  };
  const auto by_id = links(expected_from_seed());
  const auto ranked = links(r.out);
  ASSERT_EQ(ranked.size(), 30u);
  EXPECT_NE(ranked, by_id);  // reordered ...
  auto sorted = ranked;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, by_id);  // ... but the same papers
  // The title counts three times: the best match has the phrase in its title.
  const auto lines = split_lines(r.out);
  const auto first = std::find(lines.begin(), lines.end(), "Keyword: reinforcement learning") + 1;
  EXPECT_NE(first->find("Reinforcement Learning"), std::string::npos) << *first;
}

TEST_F(RunTest, FetchArchivesTheDayAndReportsCounts) {
  ProcessResult r = run({"fetch", "--config", write_config().string(), "--date", "2026-06-18"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("219 papers (new 203, cross 16, replace 0, replace-cross 0)"),
            std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out("2026-06-18.txt")));
  auto stored = archived();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->papers.size(), 219u);
}

// Topics by example, end to end: a Zotero-style BibTeX library of five real May 2026 papers on
// reinforcement learning (none of them in the sample day) ranks the day's RL papers first, and
// every output says why each paper is there.
TEST_F(RunTest, TopicByExampleFileRanksBySimilarityAndSaysWhy) {
  const fs::path library = testing::data_path("references/may2026_rl.bib");
  const std::string topics = "[[topics]]\nname = \"like my library\"\nexamples_file = \"" +
                             library.string() + "\"\ntop_k = 10\nsort = \"relevance\"\n";
  const fs::path config = write_config("rss", "", topics, "explain = true\n");
  ProcessResult check = run({"config", "check", "--config", config.string()});
  ASSERT_EQ(check.exit_code, kExitOk) << check.err;
  EXPECT_NE(check.out.find("(BibTeX, 5 entries)"), std::string::npos) << check.out;

  ProcessResult r = run({"run", "--config", config.string(), "--date", "2026-06-18", "-q"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const Json json = Json::parse(testing::read_file(out("2026-06-18.json")));
  const Json& topic = json["topics"][0];
  ASSERT_EQ(topic["count"], 10);
  EXPECT_EQ(topic["examples"]["file"], library.string());
  EXPECT_EQ(topic["examples"]["top_k"], 10);
  std::set<std::string> seed_ids;
  for (const Paper& p : testing::load_papers_jsonl(testing::data_path("seed/seed_papers.jsonl")))
    seed_ids.insert(p.id.key());
  std::set<std::string> example_titles;  // the library's papers, as the parser reads their titles
  for (const Paper& p :
       testing::load_papers_jsonl(testing::data_path("match/examples_2605.jsonl"), true))
    example_titles.insert(p.title);
  std::size_t on_subject = 0;
  double previous = 2.0;
  for (const Json& m : topic["matches"]) {
    on_subject += seed_ids.count(m["id"].get<std::string>());
    const double score = m["score"].get<double>();
    EXPECT_LE(score, previous);  // best first
    previous = score;
    EXPECT_EQ(example_titles.count(m["nearest_example"].get<std::string>()), 1u)
        << m["nearest_example"];
  }
  EXPECT_GE(on_subject, 8u);  // the day's RL papers (the seed's) lead
  // Text (explain = true) and Markdown say the score and the nearest example.
  const std::string text = testing::read_file(out("2026-06-18.txt"));
  std::size_t matched_lines = 0;
  for (const auto& line : split_lines(text))
    if (line.rfind("- Matched: similarity 0.", 0) == 0) ++matched_lines;
  EXPECT_EQ(matched_lines, 10u);
  EXPECT_NE(testing::read_file(out("2026-06-18.md")).find("- **Matched:** similarity 0."),
            std::string::npos);
}

// Example ids are looked up once through the query API (a real API response for 1707.08567),
// kept in the archive, and never asked for again.
TEST_F(RunTest, ExampleIdsAreLookedUpOnceThenComeFromTheArchive) {
  server_.serve_file("/api/query", testing::data_path(
                                       "api/api2026_id_1707.08567_s0_m100_6a1afebfc6a3_http200.xml"),
                     {"application/atom+xml; charset=utf-8"});
  const std::string api = "api_url = \"" + server_.url("/api/query") + "\"\n";
  const std::string topics =
      "[[topics]]\nname = \"near 1707.08567\"\nexamples = [\"1707.08567\"]\ntop_k = 3\n";
  ProcessResult first = run({"run", "--config", write_config("rss", api, topics).string(), "--date",
                             "2026-06-18"});
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  const auto lookups = server_.requests_for("/api/query");
  ASSERT_EQ(lookups.size(), 1u);
  EXPECT_NE(lookups[0].target.find("id_list=1707.08567"), std::string::npos) << lookups[0].target;
  EXPECT_NE(first.err.find("looked up 1 of 1 example papers at arXiv"), std::string::npos)
      << first.err;
  {
    SqliteArchive archive(dir_ / "archive.sqlite");
    const auto stored = archive.find_paper("1707.08567");
    ASSERT_TRUE(stored);
    EXPECT_FALSE(stored->abstract.empty());
  }
  const std::string written = testing::read_file(out("2026-06-18.json"));
  const Json json = Json::parse(written);
  EXPECT_EQ(json["topics"][0]["count"], 3);
  EXPECT_EQ(json["topics"][0]["examples"]["ids"], (Json{"1707.08567"}));

  ProcessResult again = run({"run", "--config", (dir_ / "config.toml").string(), "--date",
                             "2026-06-18"});
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_EQ(server_.requests_for("/api/query").size(), 1u);  // nothing asked the second time
  EXPECT_EQ(testing::read_file(out("2026-06-18.json")), written);
}

TEST_F(RunTest, BadExamplesStopTheRunWithAConfigError) {
  // arXiv's real answer for an id it does not know (recorded for 0000.0000): no entry.
  server_.serve_file("/api/query", testing::data_path(
                                       "api/api2026_id_0000.0000_s0_m100_8b51d9633a68_http200.xml"),
                     {"application/atom+xml; charset=utf-8"});
  const std::string api = "api_url = \"" + server_.url("/api/query") + "\"\n";
  ProcessResult unknown = run({"run", "--config",
                               write_config("rss", api,
                                            "[[topics]]\nname = \"x\"\nexamples = [\"2605.99999\"]\n")
                                   .string(),
                               "--date", "2026-06-18"});
  EXPECT_EQ(unknown.exit_code, kExitConfig) << unknown.err;
  EXPECT_NE(unknown.err.find("topic 'x': example 2605.99999 is unknown to arXiv"),
            std::string::npos)
      << unknown.err;
  // The day is fetched (and archived) first, since an example may be one of its papers; no
  // digest is written.
  EXPECT_FALSE(fs::exists(out("2026-06-18.txt")));

  // A malformed library names the file and line; so does a bad id in the config.
  testing::write_file(dir_ / "broken.bib", "@misc{a,\n  title = {Unclosed,\n");
  ProcessResult broken = run({"run", "--config",
                              write_config("rss", api,
                                           "[[topics]]\nname = \"y\"\nexamples_file = \"broken.bib\"\n")
                                  .string(),
                              "--date", "2026-06-18"});
  EXPECT_EQ(broken.exit_code, kExitConfig) << broken.err;
  EXPECT_NE(broken.err.find("broken.bib:2"), std::string::npos) << broken.err;
  ProcessResult bad_id = run({"config", "check", "--config",
                              write_config("rss", api,
                                           "[[topics]]\nname = \"z\"\nexamples = [\"not-an-id\"]\n")
                                  .string()});
  EXPECT_EQ(bad_id.exit_code, kExitConfig) << bad_id.err;
  EXPECT_NE(bad_id.err.find("'examples': 'not-an-id' is not an arXiv id"), std::string::npos)
      << bad_id.err;
  ProcessResult stray = run({"config", "check", "--config",
                             write_config("rss", api, "[[topics]]\nname = \"w\"\ntop_k = 5\n")
                                 .string()});
  EXPECT_EQ(stray.exit_code, kExitConfig) << stray.err;
  EXPECT_NE(stray.err.find("apply to a topic by example"), std::string::npos) << stray.err;
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

// README "Exit codes", one row each (the rows exercised end to end are in the tests above; these
// map each exception of the error family, and an unexpected one, to its code and message).
TEST(ExitCodes, EachFailureOfTheErrorFamilyHasItsCode) {
  struct Case {
    std::exception_ptr failure;
    int code;
    const char* says;
  };
  const Case cases[] = {
      {std::make_exception_ptr(std::runtime_error("boom")), kExitInternal, "a bug"},
      {std::make_exception_ptr(ConfigError("config.toml:3:1: [arxiv] bad")), kExitConfig,
       "config.toml:3:1"},
      {std::make_exception_ptr(TransportError("https://rss.arxiv.org/rss/cs.LG", "timed out")),
       kExitNetwork, "timed out"},
      {std::make_exception_ptr(HttpStatusError(503, "https://arxiv.org/list/cs.LG/new", "HTTP 503")),
       kExitNetwork, "HTTP 503"},
      {std::make_exception_ptr(ParseError("feed.xml", 12, 3, "title", "bad element")),
       kExitBadData, "feed.xml:12:3"},
      {std::make_exception_ptr(IncompleteFetchError("9 of 10 entries")), kExitIncomplete,
       "incomplete fetch"},
      {std::make_exception_ptr(StoreError(StoreErrorKind::kCorrupt, "not an archive")),
       kExitStore, "archive: not an archive"},
      {std::make_exception_ptr(OutputError("cannot write 'x.md'")), kExitOutput, "x.md"},
  };
  for (const Case& c : cases) {
    std::ostringstream err;
    EXPECT_EQ(exit_code_for(c.failure, err), c.code) << err.str();
    EXPECT_NE(err.str().find(c.says), std::string::npos) << err.str();
  }
}

// Exit 8 end to end: the archive path holds a file that is not an archive; nothing is changed.
TEST_F(RunTest, AnArchiveThatIsNotOneExitsEightAndIsLeftAlone) {
  testing::write_file(dir_ / "archive.sqlite", "these are my notes, not a database\n");
  ProcessResult r = run_day();
  EXPECT_EQ(r.exit_code, kExitStore) << r.err;
  EXPECT_NE(r.err.find("archive.sqlite"), std::string::npos) << r.err;
  EXPECT_EQ(testing::read_file(dir_ / "archive.sqlite"), "these are my notes, not a database\n");
  EXPECT_FALSE(fs::exists(out("2026-06-18.txt")));
}

}  // namespace
}  // namespace arxiv_digest
