// harvest_oai: a multi-page ListRecords list chained from the real pages in tests/data/oai, served
// on 127.0.0.1 and fetched through the real PoliteHttpClient (127.0.0.1 throttled like an arXiv
// host) on fake time, into a real SQLite archive in a temporary folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "core/env.hpp"
#include "core/error.hpp"
#include "net/curl_http_client.hpp"
#include "net/polite_http_client.hpp"
#include "pipeline/oai_harvest.hpp"
#include "sources/oai_parser.hpp"
#include "store/sqlite_archive.hpp"
#include "support/fixture_server.hpp"
#include "support/oai_pages.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ScriptedResponse;

constexpr const char* kFirstTarget =
    "/oai?verb=ListRecords&metadataPrefix=arXiv&from=2017-12-14&set=physics";

const std::vector<std::string> kArxivIds = {"1706.05371", "1706.09418", "1707.00874", "1412.8323",
                                            "1507.07790", "1607.01710", "1401.2122"};

CurlHttpClientOptions curl_options() {
  CurlHttpClientOptions options;
  options.user_agent = "arxiv-digest-test/1.0 (mailto:digest-test@example.org)";
  return options;
}

HarvestWindow physics_window() {
  HarvestWindow window;
  window.from = *parse_date("2017-12-14");
  window.set = "physics";
  window.format = "arXiv";
  return window;
}

class Recorder final : public HarvestObserver {
 public:
  void page_saved(const HarvestProgress& progress) override { pages.push_back(progress); }
  void note(std::string_view line) override { notes.emplace_back(line); }
  std::vector<HarvestProgress> pages;
  std::vector<std::string> notes;
};

class OaiHarvestTest : public ::testing::Test {
 protected:
  OaiHarvestTest() {
    chain_ = testing::make_oai_chain(testing::arxiv_format_pages(), kFirstTarget);
    testing::serve_oai_chain(server_, chain_);
    settings_.base_url = server_.url("/oai");
    settings_.timeout = milliseconds{5'000};
  }

  PoliteHttpClient& polite() {
    if (!polite_) {
      PoliteHttpClientOptions options;
      options.throttled_hosts = {"127.0.0.1"};  // treated like arXiv: 3 s apart, retried
      options.retry.max_retries = 2;
      options.retry.jitter_seed = 1;
      options.on_retry = [this](const std::string& line) { retries_.push_back(line); };
      polite_.emplace(curl_, options, PoliteHttpClientSeams{&env_, &gate_});
    }
    return *polite_;
  }

  HarvestReport harvest(Recorder* recorder = nullptr) {
    return harvest_oai(physics_window(), settings_, polite(), archive_, env_, recorder);
  }

  std::vector<std::string> targets() const {
    std::vector<std::string> out;
    for (const auto& r : server_.requests()) out.push_back(r.target);
    return out;
  }

  void expect_all_papers_stored() {
    for (const std::string& id : kArxivIds) {
      const auto paper = archive_.find_paper(id);
      ASSERT_TRUE(paper.has_value()) << id;
      EXPECT_FALSE(paper->title.empty()) << id;
    }
  }

  testing::FixtureServer server_;
  testing::OaiChain chain_;
  testing::TempDir dir_;
  FakeEnv env_{std::chrono::sys_seconds{std::chrono::seconds{1'800'000'000}}};
  RequestGate gate_;
  CurlHttpClient curl_{curl_options()};
  std::optional<PoliteHttpClient> polite_;
  std::vector<std::string> retries_;
  SqliteArchive archive_{dir_ / "archive.sqlite", SqliteArchiveOptions{.env = &env_}};
  HarvestSettings settings_;
};

TEST_F(OaiHarvestTest, FollowsTokensThreeSecondsApartAndSavesEveryPage) {
  ASSERT_EQ(chain_.records, 7u);
  Recorder recorder;
  const HarvestReport report = harvest(&recorder);

  EXPECT_EQ(targets(), chain_.targets);
  EXPECT_THAT(chain_.targets[1], HasSubstr("resumptionToken=tok-1"));
  // One request per 3 s, waited on the fake clock: nothing else slept.
  EXPECT_THAT(env_.sleeps(), ElementsAre(milliseconds{3'000}, milliseconds{3'000}));
  EXPECT_FALSE(report.resumed);
  EXPECT_EQ(report.requests, 3u);
  EXPECT_EQ(report.records_this_run, 7u);
  EXPECT_TRUE(report.progress.complete);
  EXPECT_EQ(report.progress.pages, 3u);
  EXPECT_EQ(report.progress.records, 7u);
  ASSERT_EQ(recorder.pages.size(), 3u);
  EXPECT_EQ(recorder.pages[0].resumption_token, "tok-1");
  EXPECT_EQ(recorder.pages[0].records, 3u);
  EXPECT_EQ(recorder.pages[1].resumption_token, "tok-2");
  expect_all_papers_stored();
  const auto paper = archive_.find_paper("1401.2122");
  ASSERT_TRUE(paper);
  EXPECT_EQ(paper->primary_category, "math.AP");

  const auto stored = archive_.find_harvest(physics_window());
  ASSERT_TRUE(stored);
  EXPECT_TRUE(stored->complete);
  EXPECT_EQ(stored->resumption_token, "");
  EXPECT_EQ(stored->records, 7u);
  EXPECT_EQ(stored->started_at, std::chrono::sys_seconds{std::chrono::seconds{1'800'000'000}});
  EXPECT_EQ(stored->updated_at, stored->started_at + std::chrono::seconds{6});
}

TEST_F(OaiHarvestTest, HonoursRetryAfterOn503) {
  server_.enqueue(chain_.targets[1],
                  ScriptedResponse{503, {{"Retry-After", "7"}}, "busy", "text/plain", {}, {}});
  const HarvestReport report = harvest();
  EXPECT_TRUE(report.progress.complete);
  EXPECT_EQ(report.requests, 3u);  // pages asked for; the retry is the client's
  EXPECT_EQ(server_.requests().size(), 4u);
  // 3 s before page 2, the 7 s arXiv asked for, then page 2's retry needs no more spacing.
  EXPECT_THAT(env_.sleeps(),
              ElementsAre(milliseconds{3'000}, milliseconds{7'000}, milliseconds{3'000}));
  ASSERT_EQ(retries_.size(), 1u);
  EXPECT_THAT(retries_[0], HasSubstr("503"));
  expect_all_papers_stored();
}

TEST_F(OaiHarvestTest, AnInterruptedHarvestResumesWithTheRemainingPagesOnly) {
  // Page 2 answers garbage: page 1 stays saved with its token, nothing of page 2 is.
  server_.enqueue(chain_.targets[1],
                  ScriptedResponse{200, {}, "<html><body>Oops</body></html>", "text/html", {}, {}});
  try {
    (void)harvest();
    FAIL() << "expected a ParseError";
  } catch (const ParseError& e) {
    EXPECT_THAT(e.source(), HasSubstr("resumptionToken=tok-1"));
  }
  auto stored = archive_.find_harvest(physics_window());
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->complete);
  EXPECT_EQ(stored->resumption_token, "tok-1");
  EXPECT_EQ(stored->pages, 1u);
  EXPECT_TRUE(archive_.find_paper("1706.05371"));
  EXPECT_FALSE(archive_.find_paper("1412.8323"));

  server_.clear_records();
  Recorder recorder;
  const HarvestReport report = harvest(&recorder);
  EXPECT_TRUE(report.resumed);
  EXPECT_THAT(targets(), ElementsAre(chain_.targets[1], chain_.targets[2]));
  EXPECT_EQ(report.records_this_run, 4u);
  EXPECT_EQ(report.progress.records, 7u);
  EXPECT_EQ(report.progress.pages, 3u);
  ASSERT_EQ(recorder.notes.size(), 1u);
  EXPECT_THAT(recorder.notes[0], HasSubstr("resuming"));
  expect_all_papers_stored();

  // A finished window is harvested again from its start (upserts: still 7 records).
  server_.clear_records();
  const HarvestReport again = harvest();
  EXPECT_FALSE(again.resumed);
  EXPECT_EQ(targets(), chain_.targets);
  EXPECT_EQ(again.progress.records, 7u);
}

TEST_F(OaiHarvestTest, AnExpiredTokenRestartsTheWindowWithoutDuplicates) {
  // A harvest stopped after page 1 whose token the server has since forgotten (arXiv's real
  // badResumptionToken answer).
  HarvestProgress progress;
  progress.window = physics_window();
  progress.resumption_token = "expired|42";
  progress.pages = 1;
  progress.records = 3;
  progress.started_at = env_.now();
  progress.updated_at = env_.now();
  {
    // Page 1's papers, as the interrupted run saved them.
    server_.clear_records();
    CurlHttpClient plain{curl_options()};
    HttpRequest request;
    request.url = server_.url(chain_.targets[0]);
    const auto body = plain.get(request).body;
    archive_.save_harvest_page(parse_oai_pmh(body, "page 1").papers, progress);
    server_.clear_records();
  }
  const std::string expired_target =
      "/oai?verb=ListRecords&resumptionToken=" + testing::oai_encode("expired|42");
  server_.serve_file(expired_target,
                     testing::data_path("oai/mikesaelim_ErrorResponseBadResumptionToken.xml"),
                     {"text/xml", false, false});

  Recorder recorder;
  const HarvestReport report = harvest(&recorder);
  EXPECT_TRUE(report.resumed);
  EXPECT_EQ(report.restarts, 1u);
  std::vector<std::string> expected{expired_target};
  expected.insert(expected.end(), chain_.targets.begin(), chain_.targets.end());
  EXPECT_EQ(targets(), expected);
  EXPECT_EQ(report.progress.records, 7u);  // counted from the restart: no page twice
  EXPECT_EQ(report.progress.pages, 3u);
  ASSERT_GE(recorder.notes.size(), 2u);
  EXPECT_THAT(recorder.notes[1], HasSubstr("badResumptionToken"));
  EXPECT_THAT(recorder.notes[1], HasSubstr("first page"));
  expect_all_papers_stored();
}

TEST_F(OaiHarvestTest, ABadTokenOnTheWindowsFirstRequestIsAnErrorNamingIt) {
  server_.enqueue(chain_.targets[0],
                  ScriptedResponse{200, {},
                                   testing::read_file(testing::data_path(
                                       "oai/mikesaelim_ErrorResponseBadResumptionToken.xml")),
                                   "text/xml", {}, {}});
  EXPECT_THROW((void)harvest(), ParseError);
}

TEST_F(OaiHarvestTest, OaiErrorsNameTheRequestAndArxivsWords) {
  server_.enqueue(chain_.targets[0],
                  ScriptedResponse{200, {},
                                   testing::read_file(testing::data_path(
                                       "oai/mikesaelim_ErrorResponseBadArgument.xml")),
                                   "text/xml", {}, {}});
  try {
    (void)harvest();
    FAIL() << "expected a ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.source(), server_.url(chain_.targets[0]));
    EXPECT_EQ(e.field(), "error");
    EXPECT_THAT(e.what(), HasSubstr("badArgument"));
  }
  // Nothing saved, not even a progress row.
  EXPECT_FALSE(archive_.find_harvest(physics_window()));
}

TEST_F(OaiHarvestTest, NoRecordsMatchCompletesAnEmptyWindow) {
  server_.enqueue(chain_.targets[0],
                  ScriptedResponse{200, {},
                                   testing::read_file(testing::data_path(
                                       "oai/mikesaelim_ErrorResponseNoRecordsMatch.xml")),
                                   "text/xml", {}, {}});
  const HarvestReport report = harvest();
  EXPECT_TRUE(report.progress.complete);
  EXPECT_EQ(report.progress.records, 0u);
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(OaiHarvestTest, AFinalHttpErrorNamesTheUrl) {
  server_.enqueue(chain_.targets[0], ScriptedResponse{404, {}, "gone", "text/plain", {}, {}});
  try {
    (void)harvest();
    FAIL() << "expected an HttpStatusError";
  } catch (const HttpStatusError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_THAT(e.what(), HasSubstr(chain_.targets[0]));
  }
}

TEST_F(OaiHarvestTest, ArxivRawKeepsTheServersOwnTokenAndListSize) {
  const std::string first = "/oai?verb=ListRecords&metadataPrefix=arXivRaw&from=2014-10-01";
  const auto chain = testing::make_oai_chain(
      {"mikesaelim_ListRecords_arXivRaw_from-2014-10-01_trimmed6_resumptionToken.xml",
       "mikesaelim_GetRecord_arXivRaw_1302.2146_2015.xml"},
      first);
  testing::serve_oai_chain(server_, chain);
  HarvestWindow window;
  window.from = *parse_date("2014-10-01");
  window.format = "arXivRaw";
  const HarvestReport report = harvest_oai(window, settings_, polite(), archive_, env_);
  // The real token "726959|1001" is percent-encoded in the query.
  EXPECT_THAT(targets(),
              ElementsAre(first, "/oai?verb=ListRecords&resumptionToken=726959%7C1001"));
  EXPECT_EQ(report.progress.records, 7u);
  EXPECT_EQ(report.progress.complete_list_size, 58011u);
  const auto paper = archive_.find_paper("1302.2146");
  ASSERT_TRUE(paper);
  EXPECT_GE(paper->id.version(), 1);
}

TEST(OaiHarvest, UrlsAndProgressLine) {
  HarvestWindow window;
  window.from = *parse_date("2024-01-25");
  window.until = *parse_date("2024-01-31");
  window.set = "physics:hep-th";
  EXPECT_EQ(oai_first_url(window, "https://oaipmh.arxiv.org/oai"),
            "https://oaipmh.arxiv.org/oai?verb=ListRecords&metadataPrefix=arXiv&from=2024-01-25"
            "&until=2024-01-31&set=physics%3Ahep-th");
  EXPECT_EQ(oai_resume_url("a+b/c", "http://h/oai?x=1"),
            "http://h/oai?x=1&verb=ListRecords&resumptionToken=a%2Bb%2Fc");

  HarvestProgress progress;
  progress.pages = 2;
  progress.records = 2000;
  EXPECT_EQ(format_harvest_progress(progress, 0), "page 2: 2000 records");
  progress.complete_list_size = 58011;
  EXPECT_EQ(format_harvest_progress(progress, 250.0),
            "page 2: 2000 records of 58011, 250.0 records/s, ETA 3 min 44 s");
  progress.complete_list_size.reset();
  EXPECT_EQ(format_harvest_progress(progress, 250.0), "page 2: 2000 records, 250.0 records/s");

  window.format = "oai_dc";
  FakeEnv env;
  CurlHttpClient curl{curl_options()};
  SqliteArchive archive(":memory:");
  EXPECT_THROW((void)harvest_oai(window, {}, curl, archive, env), std::invalid_argument);
}

}  // namespace
}  // namespace arxiv_digest
