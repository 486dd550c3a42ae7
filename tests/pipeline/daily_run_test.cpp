// DailyRun: the sample day (real arXiv records, examples/sample-day) through the library, without
// the binary: fake time (FakeEnv), a local fixture server, a temporary archive and output folder.
#include "pipeline/daily_run.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>

#include "core/env.hpp"
#include "core/error.hpp"
#include "net/curl_http_client.hpp"
#include "store/sqlite_archive.hpp"
#include "net/http_test_util.hpp"
#include "support/fixture_server.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::FixtureServer;

// Records what a run tells its observer.
class RecordingObserver final : public RunObserver {
 public:
  void note(std::string_view line) override { notes.emplace_back(line); }
  void progress(std::string_view line) override { progress_lines.emplace_back(line); }
  std::vector<std::string> notes;
  std::vector<std::string> progress_lines;
};

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

class DailyRunTest : public ::testing::Test {
 protected:
  DailyRunTest() {
    server_.mount("/rss/", testing::kSampleDay / "rss",
                  {"application/rss+xml; charset=utf-8", true, true});
  }

  static std::vector<Topic> seed_topics() {
    return {Topic{"reinforcement learning", "\"reinforcement learning\"", TopicSort::kId, {}, {},
                  {}, {}},
            Topic{"diffusion policy", "\"diffusion policy\"", TopicSort::kId, {}, {}, {}, {}}};
  }

  RunSettings settings(std::vector<Topic> topics = seed_topics()) const {
    RunSettings s;
    s.fetch.source = SourceKind::kRss;
    s.fetch.categories = testing::kSampleDayCategories;
    s.fetch.rss_url = server_.url("/rss/");
    s.fetch.api_url = server_.url("/api/query");  // not served: a lookup would fail loudly
    s.topics = std::move(topics);
    s.time_zone = "Asia/Shanghai";
    s.render.tool_version = "0.1.0";
    return s;
  }

  RunServices services(bool online = true) {
    RunServices s;
    s.archive = &archive_;
    s.http = online ? &curl_ : nullptr;
    s.env = &env_;
    s.calendar = &calendar_;
    return s;
  }

  RunReport run(std::vector<Format> formats, RunSettings s, bool online = true,
                RunFlags flags = {}) {
    FileSink files(out_dir(), std::move(formats), archive_);
    DailyRun daily(services(online), std::move(s), {&files}, &observer_);
    return daily.run(kDay, flags);
  }

  fs::path out_dir() const { return dir_ / "out"; }
  std::string out(const std::string& name) const { return testing::read_file(out_dir() / name); }

  const Date kDay = Date{std::chrono::year{2026} / 6 / 18};
  testing::TempDir dir_;
  FixtureServer server_;
  FakeEnv env_{std::chrono::sys_seconds{std::chrono::seconds{testing::kSeedEpochSeconds}}};
  AnnouncementCalendar calendar_ = AnnouncementCalendar::with_builtin_holidays();
  SqliteArchive archive_{dir_ / "archive.sqlite"};
  CurlHttpClient curl_{testing::test_curl_options()};
  RecordingObserver observer_;
};

TEST_F(DailyRunTest, TheSampleDayGivesTheSeedDigestAndAReRunIsFreeAndIdentical) {
  const RunReport report = run({Format::kText, Format::kMarkdown, Format::kJson}, settings());
  ASSERT_EQ(report.outcome, RunReport::Outcome::kPublished) << report.reason;
  EXPECT_TRUE(report.failures.empty());
  EXPECT_FALSE(report.from_archive);
  EXPECT_EQ(report.fetched, 219u);
  EXPECT_EQ(report.announced, 219u);
  EXPECT_EQ(report.matched, 30u);  // "reinforcement learning": 30 papers, "diffusion policy": 0
  ASSERT_TRUE(report.digest);
  ASSERT_EQ(report.digest->topics.size(), 2u);
  EXPECT_EQ(report.digest->topics[0].papers.size(), 30u);
  EXPECT_TRUE(report.digest->topics[1].papers.empty());
  ASSERT_EQ(report.published.size(), 3u);
  EXPECT_EQ(out("2026-06-18.txt"), testing::expected_from_seed());
  EXPECT_EQ(server_.request_count(testing::kSampleDayFeedPath), 1u);
  EXPECT_EQ(archive_.digests_for(kDay).size(), 3u);

  // Later, without the network: the archived day, byte-identical files, no request.
  const std::string md = out("2026-06-18.md");
  const std::string json = out("2026-06-18.json");
  env_.advance(std::chrono::hours{30});
  const RunReport again =
      run({Format::kText, Format::kMarkdown, Format::kJson}, settings(), /*online=*/false);
  ASSERT_EQ(again.outcome, RunReport::Outcome::kPublished);
  EXPECT_TRUE(again.from_archive);
  EXPECT_EQ(out("2026-06-18.txt"), testing::expected_from_seed());
  EXPECT_EQ(out("2026-06-18.md"), md);
  EXPECT_EQ(out("2026-06-18.json"), json);
  EXPECT_EQ(server_.request_count(testing::kSampleDayFeedPath), 1u);
  EXPECT_EQ(archive_.digests_for(kDay).size(), 3u);
}

// Issue 8: a failed publish (one format's path is a directory) changes no digest file and
// records nothing.
TEST_F(DailyRunTest, AFailedPublishChangesNoFileAndRecordsNothing) {
  ASSERT_EQ(run({Format::kText, Format::kJson}, settings()).outcome,
            RunReport::Outcome::kPublished);
  const std::string txt = out("2026-06-18.txt");
  const std::string json = out("2026-06-18.json");
  const auto records = archive_.digests_for(kDay);
  ASSERT_EQ(records.size(), 2u);

  fs::create_directories(out_dir() / "2026-06-18.md");  // where the Markdown file would go
  std::vector<Topic> other{Topic{"robots", "robot", TopicSort::kId, {}, {}, {}, {}}};
  const RunReport failed =
      run({Format::kText, Format::kMarkdown, Format::kJson}, settings(other));
  ASSERT_EQ(failed.outcome, RunReport::Outcome::kPublished);
  ASSERT_EQ(failed.failures.size(), 1u);
  EXPECT_EQ(failed.failures[0].sink, "files");
  EXPECT_NE(failed.failures[0].message.find("2026-06-18.md"), std::string::npos)
      << failed.failures[0].message;
  EXPECT_TRUE(failed.published.empty());
  EXPECT_GT(failed.matched, 0u);
  // The other formats of this run were rendered (they differ) but none replaced the old files.
  EXPECT_EQ(out("2026-06-18.txt"), txt);
  EXPECT_EQ(out("2026-06-18.json"), json);
  EXPECT_EQ(files_in(out_dir()),
            (std::vector<std::string>{"2026-06-18.json", "2026-06-18.md", "2026-06-18.txt"}));
  const auto after = archive_.digests_for(kDay);
  ASSERT_EQ(after.size(), records.size());
  for (std::size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after[i].sha256, records[i].sha256);
}

TEST_F(DailyRunTest, OneFailingSinkDoesNotStopTheOthers) {
  std::ostringstream stream;
  stream.setstate(std::ios::badbit);  // a closed stdout
  StreamSink broken(stream, Format::kText);
  FileSink files(out_dir(), {Format::kText}, archive_);
  DailyRun daily(services(), settings(), {&broken, &files}, &observer_);
  const RunReport report = daily.run(kDay);
  ASSERT_EQ(report.failures.size(), 1u);
  EXPECT_EQ(report.failures[0].sink, "stdout");
  ASSERT_EQ(report.published.size(), 1u);
  EXPECT_EQ(out("2026-06-18.txt"), testing::expected_from_seed());
}

TEST_F(DailyRunTest, DaysWithoutAListingAndDatesNotAnnouncedYetMakeNoRequest) {
  FileSink files(out_dir(), {Format::kText}, archive_);
  DailyRun daily(services(), settings(), {&files}, &observer_);
  const RunReport saturday = daily.run(Date{std::chrono::year{2026} / 6 / 20});
  EXPECT_EQ(saturday.outcome, RunReport::Outcome::kNoAnnouncement);
  EXPECT_NE(saturday.reason.find("Monday to Friday"), std::string::npos) << saturday.reason;
  const RunReport juneteenth = daily.run(Date{std::chrono::year{2026} / 6 / 19});
  EXPECT_EQ(juneteenth.outcome, RunReport::Outcome::kNoAnnouncement);
  // Monday's listing is announced on Sunday at 20:00 EDT (00:00 UTC); it is Thursday noon.
  const RunReport monday = daily.run(Date{std::chrono::year{2026} / 6 / 22});
  EXPECT_EQ(monday.outcome, RunReport::Outcome::kNotYetAnnounced);
  EXPECT_NE(monday.reason.find("2026-06-22 00:00 UTC"), std::string::npos) << monday.reason;
  EXPECT_TRUE(server_.requests().empty());
  EXPECT_TRUE(files_in(out_dir()).empty());
}

// Issue 9: an example paper that is one of the day's papers is taken from the day, not looked up
// at arXiv (offline that used to fail after 22 s of retries).
TEST_F(DailyRunTest, ExamplesThatArePapersOfTheDayNeedNoLookup) {
  Topic like{"like these", "like these", TopicSort::kId, {"2606.18284", "2606.18394"}, {}, 5, {}};
  const RunReport report = run({Format::kJson}, settings({like}));
  ASSERT_EQ(report.outcome, RunReport::Outcome::kPublished);
  EXPECT_TRUE(server_.requests_for("/api/query").empty());
  ASSERT_TRUE(report.digest);
  ASSERT_EQ(report.digest->topics.size(), 1u);
  EXPECT_EQ(report.digest->topics[0].papers.size(), 5u);
  // The two examples themselves are the most similar papers of the day.
  std::set<std::string> ids;
  for (std::size_t i : report.digest->topics[0].papers)
    ids.insert(report.digest->papers[i].id.key());
  EXPECT_TRUE(ids.count("2606.18284")) << "examples are candidates too";
}

TEST_F(DailyRunTest, OfflineWithoutTheDayInTheArchiveIsAnIncompleteFetch) {
  EXPECT_THROW(run({Format::kText}, settings(), /*online=*/false), IncompleteFetchError);
  EXPECT_TRUE(files_in(out_dir()).empty());
}

TEST_F(DailyRunTest, AMalformedQueryStopsTheRunBeforeAnyRequest) {
  std::vector<Topic> bad{Topic{"bad", "ti:(diffusion OR", TopicSort::kId, {}, {}, {}, {}}};
  EXPECT_THROW(run({Format::kText}, settings(bad)), ConfigError);
  EXPECT_TRUE(server_.requests().empty());
  EXPECT_FALSE(archive_.load_announcement(kDay, testing::kSampleDayCategories).has_value());
}

TEST_F(DailyRunTest, FetchOnlyArchivesTheDayAndCountsAnnounceTypes) {
  FileSink files(out_dir(), {Format::kText}, archive_);
  DailyRun daily(services(), settings(), {&files}, &observer_);
  RunFlags flags;
  flags.fetch_only = true;
  const RunReport report = daily.run(kDay, flags);
  EXPECT_EQ(report.fetched, 219u);
  EXPECT_EQ(report.fetched_by_type[static_cast<std::size_t>(AnnounceType::kNew)], 203u);
  EXPECT_EQ(report.fetched_by_type[static_cast<std::size_t>(AnnounceType::kCross)], 16u);
  EXPECT_FALSE(report.digest.has_value());
  EXPECT_TRUE(files_in(out_dir()).empty());
  EXPECT_TRUE(archive_.load_announcement(kDay, testing::kSampleDayCategories).has_value());
}


// A delivery channel that records what it was given, and fails while `failing` is set.
class RecordingChannel final : public DigestSink {
 public:
  explicit RecordingChannel(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  std::vector<Format> formats() const override { return {Format::kText}; }
  std::vector<Publication> publish(const Digest& digest, const RenderedSet& set) override {
    ++calls;
    if (failing) throw DeliveryError(name_, name_ + ": HTTP 500 from the service", true);
    received.push_back(digest);
    const RenderedFile* text = set.find(Format::kText);
    texts.push_back(text != nullptr ? text->bytes : "");
    return {Publication{name_, "target-of-" + name_, Format::kText}};
  }
  std::vector<Publication> publish_notice(const Notice& notice) override {
    ++calls;
    if (failing) throw DeliveryError(name_, name_ + ": HTTP 500 from the service", true);
    notices.push_back(notice);
    return {Publication{name_, "notice-to-" + name_, Format::kText}};
  }
  int calls = 0;
  std::vector<Notice> notices;
  bool failing = false;
  std::vector<Digest> received;
  std::vector<std::string> texts;

 private:
  std::string name_;
};

class DeliveryRunTest : public DailyRunTest {
 protected:
  RunReport deliver(std::vector<Audience> audiences, RunFlags flags = {}, Date day = {}) {
    DailyRun daily(services(), settings(), std::move(audiences), &observer_);
    return daily.run(day == Date{} ? kDay : day, flags);
  }
};

TEST_F(DeliveryRunTest, EachAudienceGetsItsTopicsOnceAndAReRunSendsNothingUnlessResend) {
  RecordingChannel everyone("email:ana@example.org");
  RecordingChannel rl_lab("webhook:rl-lab");
  FileSink files(out_dir(), {Format::kText}, archive_);
  std::vector<Audience> audiences{{"", {}, {&files}, {&everyone}, false, false},
                                  {"rl-lab", {"reinforcement learning"}, {}, {&rl_lab}, false, false}};
  const RunReport first = deliver(audiences);
  ASSERT_EQ(first.outcome, RunReport::Outcome::kPublished) << first.reason;
  EXPECT_TRUE(first.failures.empty());
  ASSERT_EQ(everyone.received.size(), 1u);
  EXPECT_EQ(everyone.received[0].topics.size(), 2u);
  ASSERT_EQ(rl_lab.received.size(), 1u);
  ASSERT_EQ(rl_lab.received[0].topics.size(), 1u);
  EXPECT_EQ(rl_lab.received[0].topics[0].topic.name, "reinforcement learning");
  EXPECT_EQ(rl_lab.received[0].papers.size(), 30u);
  // The whole-digest channel gets exactly what the files hold; the lab's text has no
  // "diffusion policy" section.
  EXPECT_EQ(everyone.texts[0], out("2026-06-18.txt"));
  EXPECT_EQ(rl_lab.texts[0].find("diffusion policy"), std::string::npos);
  ASSERT_EQ(first.deliveries.size(), 2u);
  EXPECT_EQ(first.deliveries[0].state, DeliveryState::kSent);
  EXPECT_EQ(first.deliveries[1].audience, "rl-lab");
  const auto logged = archive_.find_delivery(kDay, "rl-lab", "webhook:rl-lab");
  ASSERT_TRUE(logged);
  EXPECT_EQ(logged->status, DeliveryStatus::kSent);
  EXPECT_EQ(logged->paper_count, 30u);
  EXPECT_EQ(logged->detail, "target-of-webhook:rl-lab");

  const RunReport again = deliver(audiences);
  EXPECT_EQ(everyone.calls, 1);
  EXPECT_EQ(rl_lab.calls, 1);
  ASSERT_EQ(again.deliveries.size(), 2u);
  EXPECT_EQ(again.deliveries[0].state, DeliveryState::kAlreadySent);
  EXPECT_EQ(again.deliveries[1].state, DeliveryState::kAlreadySent);

  RunFlags resend;
  resend.resend = true;
  const RunReport forced = deliver(audiences, resend);
  EXPECT_EQ(everyone.calls, 2);
  EXPECT_EQ(forced.deliveries[0].state, DeliveryState::kSent);
  EXPECT_EQ(archive_.find_delivery(kDay, "", "email:ana@example.org")->attempts, 2);
}

TEST_F(DeliveryRunTest, AFailingChannelBlocksNoOtherAndIsTheOnlyOneRetriedNextRun) {
  RecordingChannel broken("webhook:team");
  RecordingChannel fine("email:ana@example.org");
  FileSink files(out_dir(), {Format::kText, Format::kJson}, archive_);
  broken.failing = true;
  std::vector<Audience> audiences{{"", {}, {&files}, {&broken, &fine}, false, false}};
  const RunReport first = deliver(audiences);
  ASSERT_EQ(first.failures.size(), 1u);
  EXPECT_EQ(first.failures[0].sink, "webhook:team");
  EXPECT_NE(first.failures[0].message.find("HTTP 500"), std::string::npos);
  EXPECT_EQ(fine.calls, 1);
  EXPECT_TRUE(fs::exists(out_dir() / "2026-06-18.json"));  // outputs unaffected
  const auto failed = archive_.find_delivery(kDay, "", "webhook:team");
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, DeliveryStatus::kFailed);
  EXPECT_NE(failed->detail.find("HTTP 500"), std::string::npos);

  broken.failing = false;
  const RunReport second = deliver(audiences);
  EXPECT_TRUE(second.failures.empty());
  EXPECT_EQ(broken.calls, 2);
  EXPECT_EQ(fine.calls, 1);  // not sent twice
  const auto retried = archive_.find_delivery(kDay, "", "webhook:team");
  EXPECT_EQ(retried->status, DeliveryStatus::kSent);
  EXPECT_EQ(retried->attempts, 2);
}

TEST_F(DeliveryRunTest, AnEmptyDigestIsSentOrSkippedAsTheAudienceAsks) {
  RecordingChannel quiet("email:quiet@example.org");
  RecordingChannel loud("email:loud@example.org");
  std::vector<Audience> audiences{{"quiet", {"diffusion policy"}, {}, {&quiet}, true, false},
                                  {"loud", {"diffusion policy"}, {}, {&loud}, false, false}};
  const RunReport report = deliver(audiences);
  EXPECT_EQ(quiet.calls, 0);
  ASSERT_EQ(loud.received.size(), 1u);
  EXPECT_TRUE(loud.received[0].papers.empty());
  EXPECT_NE(loud.texts[0].find("There is no result"), std::string::npos);
  ASSERT_EQ(report.deliveries.size(), 2u);
  EXPECT_EQ(report.deliveries[0].state, DeliveryState::kSkippedEmpty);
  EXPECT_FALSE(archive_.find_delivery(kDay, "quiet", "email:quiet@example.org"));
}

TEST_F(DeliveryRunTest, AnAudienceNamingAnUnknownTopicIsAConfigError) {
  RecordingChannel channel("email:ana@example.org");
  try {
    DailyRun daily(services(), settings(), {Audience{"ana", {"robotics"}, {}, {&channel}, false, false}});
    FAIL() << "accepted an unknown topic";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("subscriber 'ana': no topic named 'robotics'"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(DeliveryRunTest, ASaturdayNotifiesThoseWhoAskedOnceAndSaysWhenTheNextListingIs) {
  RecordingChannel told("email:ana@example.org");
  RecordingChannel quiet("webhook:lab");
  const Date saturday{std::chrono::year{2026} / 6 / 20};
  std::vector<Audience> audiences{{"", {}, {}, {&told}, false, true},
                                  {"lab", {}, {}, {&quiet}, false, false}};
  const RunReport report = deliver(audiences, {}, saturday);
  EXPECT_EQ(report.outcome, RunReport::Outcome::kNoAnnouncement);
  ASSERT_EQ(told.notices.size(), 1u);
  EXPECT_EQ(told.notices[0].title, "arXiv: no announcement for 2026-06-20");
  EXPECT_EQ(told.notices[0].text,
            "arXiv made no announcement for the listing date 2026-06-20 (Saturday): arXiv lists "
            "Monday to Friday only. The next listing is 2026-06-22 (Monday), announced at "
            "2026-06-22 00:00 UTC.");
  EXPECT_EQ(quiet.calls, 0);
  const auto logged = archive_.find_delivery(saturday, "", "email:ana@example.org");
  ASSERT_TRUE(logged);
  EXPECT_EQ(logged->status, DeliveryStatus::kSent);
  EXPECT_EQ(logged->paper_count, 0u);
  EXPECT_TRUE(server_.requests().empty());  // the calendar knew: nothing was fetched

  const RunReport again = deliver(audiences, {}, saturday);
  EXPECT_EQ(told.calls, 1);
  ASSERT_EQ(again.deliveries.size(), 1u);
  EXPECT_EQ(again.deliveries[0].state, DeliveryState::kAlreadySent);
}

}  // namespace
}  // namespace arxiv_digest
