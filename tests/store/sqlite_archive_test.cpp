// Tests of SqliteArchive (store/sqlite_archive.hpp) on real arXiv records.
//
// The records are embedded below, copied verbatim from:
//  - the reference digest /work/shared/seed/000_28e39854bc5d5fd6.txt (listing of 2026-06-18,
//    papers 2606.18284 and 2606.18327: title, authors, subjects, abstract; and the Chinese
//    translation of 2606.18284's title and abstract opening);
//  - the arXiv API response
//    /work/shared/fixtures/arxiv/api/api2026_q_testing_s0_m10_bc5a6c384fe9_http200.xml
//    (papers 2405.13786v1, 2202.12139v1, 2005.14124v2: every field the API gives).
// Fields the sources do not carry (versions of the seed papers, license) use arXiv's real values
// for such papers ("v1", the arXiv non-exclusive licence URL).
#include "store/sqlite_archive.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "store/sqlite.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono_literals;
using arxiv_digest::testing::TempDir;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

constexpr Date kListingDate{std::chrono::year{2026}, std::chrono::June, std::chrono::day{19}};
constexpr Date kNextListingDate{std::chrono::year{2026}, std::chrono::June, std::chrono::day{22}};
const char* const kLicense = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/";

sys_seconds at(Date date, std::chrono::seconds time_of_day) { return sys_days{date} + time_of_day; }

Paper seed_propel() {
  Paper p;
  p.id = ArxivId::parse("2606.18284v1");
  p.title = "Breaking the Solver Bottleneck: Training Task Generators at the Learnable Frontier";
  p.authors = {"Lorenz Wolf",           "Connor Watts", "Roger Creus Castanyer",
               "Geoffrey Bradway",      "Maxwill Lin",  "Augustine N. Mavor-Parker",
               "Matthew Daborn-Sargent"};
  p.primary_category = "cs.LG";
  p.categories = {"cs.LG", "cs.AI", "cs.CL"};
  p.abstract =
      "The limiting resource for training agents via reinforcement learning (RL) is increasingly "
      "frontier task supply: valid, solvable tasks just difficult enough to train the current "
      "model. As reasoning and agentic models improve, fixed task distributions saturate, while "
      "naive synthetic generation yields tasks that are trivial, impossible, or ill-posed. "
      "Training a task generator with RL to optimize validity and learnability can address this "
      "bottleneck, but direct optimization requires repeated solver rollouts per candidate. For "
      "software-engineering (SWE) tasks, a single rollout can take tens of minutes; "
      "solver-in-the-loop generator training is intractable. We introduce PROPEL, a "
      "solver-amortized framework for training task generators at the targeted solve rate. "
      "PROPEL trains a lightweight activation probe on a one-time labeled corpus of generated "
      "tasks and solver outcomes. The probe predicts target-solver pass rate from a frozen "
      "generator reference model and serves as a proxy for solve rate during generator "
      "optimization, reducing generator evaluation to a single forward pass. Across math, code, "
      "and software-engineering at multiple model scales, PROPEL shifts generation toward the "
      "targeted solve rate: for coding, tasks generated at the learnable frontier increase from "
      R"($10.1\% \rightarrow 20.0\%$ for a Qwen2.5-3B-Instruct solver and from )"
      R"($5.3\% \rightarrow 12.6\%$ for a Qwen2.5-7B-Instruct solver. For SWE, PROPEL increases )"
      R"(the share of generations at the targeted solve rate from $9.8\% \rightarrow 19.6\%$ for )"
      "Qwen3.5-27B on repositories not seen during training of probe and generator.";
  p.license = kLicense;
  p.announce_type = AnnounceType::kNew;
  return p;
}

Paper seed_self_ctrl() {
  Paper p;
  p.id = ArxivId::parse("2606.18327v1");
  p.title = "Self-CTRL: Self-Consistency Training with Reinforcement Learning";
  p.authors = {"Itamar Pres", "Laura Ruis", "Melat Ghebreselassie", "Belinda Z. Li",
               "Jacob Andreas"};
  p.primary_category = "cs.LG";
  p.categories = {"cs.LG", "cs.AI"};
  p.abstract =
      "Language models (LMs) that faithfully describe their own behavior can more easily be "
      "audited, understood, and trusted by users. This paper describes Self-Consistency Training "
      "with Reinforcement Learning (Self-CTRL), a method that optimizes for consistency between "
      "a LM's self-explanations and behavior on related inputs by updating explanations to "
      "better predict behavior or updating behavior to better match explanations. We apply our "
      "method in two domains. First, we study a formal probabilistic reasoning task in which LMs "
      "must learn to imitate a family of biased samplers and evaluated on their ability to "
      "report the associated biases. We find that consistency training improves the correlation "
      "between self-reported and behaviorally-measured latent biases from $R^2=0.24$ to "
      "$R^2=0.64$ on a set of held-out distributions, matching the generalization of direct "
      "ground-truth supervision.";
  p.license = kLicense;
  p.announce_type = AnnounceType::kCross;
  return p;
}

// Chinese text from the seed digest (its translation of 2606.18284), kept as a paper so the
// store is proven to keep CJK byte for byte in every text column.
Paper seed_cjk() {
  Paper p = seed_propel();
  p.id = ArxivId::parse("2606.18441v1");
  p.title = "打破求解器瓶颈:可学习前沿的训练任务生成器";
  p.abstract =
      "通过强化学习(RL)训练代理的限制资源越来越多地是前沿任务供应:那些有效且可解的任务,"
      "难度刚好足以训练当前模型。"
      R"($10.1\% \rightarrow 20.0\%$)";
  p.comments = "中文摘要";
  p.authors = {"Lorenz Wolf", "王小明"};
  return p;
}

Paper api_explainable_tcp() {
  Paper p;
  p.id = ArxivId::parse("2405.13786v1");
  p.title = "Towards Explainable Test Case Prioritisation with Learning-to-Rank Models";
  p.authors = {"Aurora Ramírez", "Mario Berrios", "José Raúl Romero", "Robert Feldt"};
  p.primary_category = "cs.SE";
  p.categories = {"cs.SE", "cs.AI"};
  p.abstract =
      "Test case prioritisation (TCP) is a critical task in regression testing to ensure quality "
      "as software evolves. Machine learning has become a common way to achieve it. In "
      "particular, learning-to-rank (LTR) algorithms provide an effective method of ordering and "
      "prioritising test cases. However, their use poses a challenge in terms of "
      "explainability, both globally at the model level and locally for particular results. "
      "Here, we present and discuss scenarios that require different explanations and how the "
      "particularities of TCP (multiple builds over time, test case and test suite variations, "
      "etc.) could influence them. We include a preliminary experiment to analyse the similarity "
      "of explanations, showing that they do not only vary depending on test case-specific "
      "predictions, but also on the relative ranks.";
  p.comments =
      "3rd International Workshop on Artificial Intelligence in Software Testing (AIST) - "
      "International Conference on Software Testing and Validation (ICST)";
  p.journal_ref =
      "Proc. 2023 IEEE International Conference on Software Testing, Verification and "
      "Validation Workshops (ICSTW), pp. 66-69";
  p.doi = "10.1109/ICSTW58534.2023.00023";
  p.announce_type = AnnounceType::kReplaceCross;
  const Date day{std::chrono::year{2024}, std::chrono::May, std::chrono::day{22}};
  p.submitted = at(day, 16h + 11min + 45s);
  p.updated = at(day, 16h + 11min + 45s);
  return p;
}

Paper api_testing_dl() {
  Paper p;
  p.id = ArxivId::parse("2202.12139v1");
  p.title =
      "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques";
  p.authors = {"Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"};
  p.primary_category = "cs.SE";
  p.categories = {"cs.SE", "cs.LG"};
  p.abstract =
      "Deep Learning (DL) has revolutionized the capabilities of vision-based systems (VBS) in "
      "critical applications such as autonomous driving, robotic surgery, critical "
      "infrastructure surveillance, air and maritime traffic control, etc.";
  p.comments = "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022";
  p.journal_ref =
      "Artificial Intelligence in Software Testing @ 2022 IEEE International Conference on "
      "Software Testing, Verification and Validation Workshops (ICSTW)";
  p.doi = "10.1109/ICSTW55395.2022.00035";
  p.announce_type = AnnounceType::kReplace;
  const Date day{std::chrono::year{2022}, std::chrono::February, std::chrono::day{24}};
  p.submitted = at(day, 15h + 5min + 19s);
  p.updated = at(day, 15h + 5min + 19s);
  return p;
}

// 2005.14124 as the API returns it (v2); `version` 1 gives the same record as its v1 would be
// stored (v1's submission time is the published time).
Paper api_active_fuzzing(int version) {
  Paper p;
  p.id = ArxivId::parse("2005.14124").with_version(version);
  p.title = "Active Fuzzing for Testing and Securing Cyber-Physical Systems";
  p.authors = {"Yuqi Chen", "Bohan Xuan", "Christopher M. Poskitt", "Jun Sun", "Fan Zhang"};
  p.primary_category = "cs.SE";
  p.categories = {"cs.SE", "cs.CR", "cs.LG"};
  p.abstract =
      "Cyber-physical systems (CPSs) in critical infrastructure face a pervasive threat from "
      "attackers, motivating research into a variety of countermeasures for securing them.";
  p.comments =
      "Accepted by the ACM SIGSOFT International Symposium on Software Testing and Analysis "
      "(ISSTA 2020)";
  p.journal_ref =
      "In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis (ISSTA "
      "2020), pages 14-26. ACM, 2020";
  p.doi = "10.1145/3395363.3397376";
  p.submitted =
      at(Date{std::chrono::year{2020}, std::chrono::May, std::chrono::day{28}}, 16h + 19min + 50s);
  p.updated = version >= 2
                  ? at(Date{std::chrono::year{2020}, std::chrono::July, std::chrono::day{16}},
                       8h + 15min + 48s)
                  : p.submitted;
  p.announce_type = version >= 2 ? AnnounceType::kReplace : AnnounceType::kNew;
  return p;
}

// The 2026-06-19 RSS listing for cs.LG + cs.AI (papers sorted by id, as the contract requires).
Announcement rss_announcement() {
  Announcement a;
  a.listing_date = kListingDate;
  a.categories = {"cs.LG", "cs.AI"};
  a.source = SourceKind::kRss;
  a.source_url = "https://rss.arxiv.org/rss/cs.LG+cs.AI";
  a.papers = {api_testing_dl(), api_explainable_tcp(), seed_propel(), seed_self_ctrl()};
  a.declared_count = std::nullopt;
  a.complete = true;
  // 2026-06-18 20:00 EDT = 2026-06-19 00:00 UTC; fetched a few minutes later.
  a.fetched_at = at(kListingDate, 0h + 7min + 12s);
  return a;
}

void expect_same_paper(const Paper& actual, const Paper& expected) {
  SCOPED_TRACE(expected.id.str());
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.id.str(), expected.id.str());
  EXPECT_EQ(actual.title, expected.title);
  EXPECT_EQ(actual.authors, expected.authors);
  EXPECT_EQ(actual.primary_category, expected.primary_category);
  EXPECT_EQ(actual.categories, expected.categories);
  EXPECT_EQ(actual.abstract, expected.abstract);
  EXPECT_EQ(actual.comments, expected.comments);
  EXPECT_EQ(actual.journal_ref, expected.journal_ref);
  EXPECT_EQ(actual.doi, expected.doi);
  EXPECT_EQ(actual.license, expected.license);
  EXPECT_EQ(actual.announce_type, expected.announce_type);
  EXPECT_EQ(actual.submitted, expected.submitted);
  EXPECT_EQ(actual.updated, expected.updated);
}

void expect_same_announcement(const Announcement& actual, const Announcement& expected) {
  EXPECT_EQ(actual.listing_date, expected.listing_date);
  EXPECT_EQ(actual.source, expected.source);
  EXPECT_EQ(actual.source_url, expected.source_url);
  EXPECT_EQ(actual.declared_count, expected.declared_count);
  EXPECT_EQ(actual.complete, expected.complete);
  EXPECT_EQ(actual.fetched_at, expected.fetched_at);
  ASSERT_EQ(actual.papers.size(), expected.papers.size());
  for (std::size_t i = 0; i < expected.papers.size(); ++i) {
    expect_same_paper(actual.papers[i], expected.papers[i]);
  }
}

// Every row of every archive table, rendered as text (NULL shown as "NULL"), read through a
// second connection. Used to prove that a failed or repeated write changed nothing.
using TableDump = std::map<std::string, std::vector<std::string>>;

TableDump dump_tables(const std::filesystem::path& path) {
  sqlite::Database db(path.string());
  TableDump dump;
  const std::pair<const char*, const char*> tables[] = {
      {"papers", "SELECT * FROM papers ORDER BY key, version"},
      {"announcements", "SELECT * FROM announcements ORDER BY id"},
      {"announcement_papers",
       "SELECT * FROM announcement_papers ORDER BY announcement_id, paper_key"},
      {"digests", "SELECT * FROM digests ORDER BY id"},
  };
  for (const auto& [table, sql] : tables) {
    sqlite::Statement select(db, sql);
    std::vector<std::string>& rows = dump[table];
    while (select.step()) {
      std::string row;
      for (int c = 0; c < select.column_count(); ++c) {
        row += select.column_is_null(c) ? std::string("NULL") : "'" + select.column_text(c) + "'";
        row += '|';
      }
      rows.push_back(std::move(row));
    }
  }
  return dump;
}

void exec_on_file(const std::filesystem::path& path, const char* sql) {
  sqlite::Database db(path.string());
  db.exec(sql, "test setup");
}

// ---- round trips ------------------------------------------------------------------------------

TEST(SqliteArchive, RoundTripOfRealPapers) {
  SqliteArchive archive(":memory:");
  const Announcement saved = rss_announcement();
  archive.save_announcement(saved);

  const auto loaded = archive.load_announcement(kListingDate, {"cs.LG", "cs.AI"});
  ASSERT_TRUE(loaded.has_value());
  expect_same_announcement(*loaded, saved);
  EXPECT_EQ(loaded->categories, (std::vector<std::string>{"cs.AI", "cs.LG"}));

  const auto found = archive.find_paper("2405.13786");
  ASSERT_TRUE(found.has_value());
  expect_same_paper(*found, api_explainable_tcp());
  EXPECT_EQ(archive.find_paper("2405.99999"), std::nullopt);
}

TEST(SqliteArchive, DeclaredCountAndIncompleteRoundTrip) {
  SqliteArchive archive(":memory:");
  Announcement listing = rss_announcement();
  listing.source = SourceKind::kListing;
  listing.source_url = "https://arxiv.org/list/cs.LG/new";
  listing.declared_count = 7;
  listing.complete = false;
  archive.save_announcement(listing);
  const auto loaded = archive.load_announcement(kListingDate, {"cs.AI", "cs.LG"});
  ASSERT_TRUE(loaded.has_value());
  expect_same_announcement(*loaded, listing);
}

TEST(SqliteArchive, EmptyAnnouncementRoundTrips) {
  SqliteArchive archive(":memory:");
  Announcement quiet = rss_announcement();
  quiet.papers.clear();
  archive.save_announcement(quiet);
  const auto loaded = archive.load_announcement(kListingDate, quiet.categories);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_TRUE(loaded->papers.empty());
  EXPECT_EQ(loaded->fetched_at, quiet.fetched_at);
}

TEST(SqliteArchive, LoadedPapersAreInIdOrder) {
  SqliteArchive archive(":memory:");
  Announcement unsorted = rss_announcement();
  std::reverse(unsorted.papers.begin(), unsorted.papers.end());
  archive.save_announcement(unsorted);
  const auto loaded = archive.load_announcement(kListingDate, unsorted.categories);
  ASSERT_TRUE(loaded.has_value());
  expect_same_announcement(*loaded, rss_announcement());
}

TEST(SqliteArchive, TexAndCjkPreservedByteForByte) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  const Paper cjk = seed_cjk();
  {
    SqliteArchive archive(path);
    Announcement a = rss_announcement();
    a.papers = {seed_propel(), cjk};
    archive.save_announcement(a);
    const auto found = archive.find_paper("2606.18441");
    ASSERT_TRUE(found.has_value());
    expect_same_paper(*found, cjk);
  }
  // The stored bytes themselves, as another program would read them.
  sqlite::Database db(path.string());
  sqlite::Statement select(db,
                           "SELECT title, abstract, comments, authors FROM papers WHERE key = ?1");
  select.bind(1, "2606.18441");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_text(0), "打破求解器瓶颈:可学习前沿的训练任务生成器");
  EXPECT_EQ(select.column_text(1), cjk.abstract);
  EXPECT_EQ(select.column_text(2), "中文摘要");
  EXPECT_EQ(select.column_text(3), R"(["Lorenz Wolf","王小明"])") << "authors stored as UTF-8 JSON";
  select.reset();
  select.bind(1, "2606.18284");
  ASSERT_TRUE(select.step());
  EXPECT_NE(select.column_text(1).find(R"($10.1\% \rightarrow 20.0\%$)"), std::string::npos);
}

// ---- idempotence and replacement ----------------------------------------------------------------

TEST(SqliteArchive, SavingTwiceLeavesIdenticalRows) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  SqliteArchive archive(path);
  archive.save_announcement(rss_announcement());
  const TableDump first = dump_tables(path);
  EXPECT_EQ(first.at("papers").size(), 4u);
  EXPECT_EQ(first.at("announcements").size(), 1u);
  EXPECT_EQ(first.at("announcement_papers").size(), 4u);

  archive.save_announcement(rss_announcement());
  EXPECT_EQ(dump_tables(path), first);
}

TEST(SqliteArchive, ResaveReplacesListAndKeepsFirstSeen) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  SqliteArchive archive(path);
  const Announcement first = rss_announcement();
  archive.save_announcement(first);

  Announcement refetch = rss_announcement();
  refetch.fetched_at = first.fetched_at + 3h;
  refetch.papers.erase(refetch.papers.begin());  // 2202.12139 no longer listed
  refetch.papers[0].title += " (revised)";       // 2405.13786: newer data, same version
  refetch.papers[0].announce_type = AnnounceType::kCross;
  archive.save_announcement(refetch);

  const auto loaded = archive.load_announcement(kListingDate, refetch.categories);
  ASSERT_TRUE(loaded.has_value());
  expect_same_announcement(*loaded, refetch);

  sqlite::Database db(path.string());
  sqlite::Statement select(
      db, "SELECT title, first_seen_at FROM papers WHERE key = ?1 AND version = 1");
  select.bind(1, "2405.13786");
  ASSERT_TRUE(select.step());
  EXPECT_EQ(select.column_text(0), refetch.papers[0].title);
  EXPECT_EQ(select.column_int64(1), first.fetched_at.time_since_epoch().count())
      << "first_seen_at must keep the first fetch time";

  const TableDump dump = dump_tables(path);
  EXPECT_EQ(dump.at("papers").size(), 4u) << "papers are kept even when no longer listed";
  EXPECT_EQ(dump.at("announcements").size(), 1u);
  EXPECT_EQ(dump.at("announcement_papers").size(), 3u);
}

// ---- versions, categories, sources --------------------------------------------------------------

TEST(SqliteArchive, SecondVersionOfAPaper) {
  SqliteArchive archive(":memory:");
  Announcement day1 = rss_announcement();
  day1.papers = {api_active_fuzzing(1)};
  archive.save_announcement(day1);

  Announcement day2 = rss_announcement();
  day2.listing_date = kNextListingDate;
  day2.fetched_at = at(kNextListingDate, 0h + 5min);
  day2.papers = {api_active_fuzzing(2)};
  archive.save_announcement(day2);

  const auto latest = archive.find_paper("2005.14124");
  ASSERT_TRUE(latest.has_value());
  expect_same_paper(*latest, api_active_fuzzing(2));
  EXPECT_EQ(latest->announce_type, AnnounceType::kReplace);

  // The first day still lists v1, as new.
  const auto first = archive.load_announcement(kListingDate, day1.categories);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->papers.size(), 1u);
  expect_same_paper(first->papers[0], api_active_fuzzing(1));

  // Saving v1 again later does not make it the latest version.
  archive.save_announcement(day1);
  EXPECT_EQ(archive.find_paper("2005.14124")->id.version(), 2);
}

TEST(SqliteArchive, CategoriesAreComparedAsASet) {
  SqliteArchive archive(":memory:");
  archive.save_announcement(rss_announcement());  // {"cs.LG", "cs.AI"}
  EXPECT_TRUE(archive.load_announcement(kListingDate, {"cs.AI", "cs.LG"}).has_value());
  EXPECT_TRUE(archive.load_announcement(kListingDate, {"cs.AI", "cs.LG", "cs.AI"}).has_value());
  EXPECT_FALSE(archive.load_announcement(kListingDate, {"cs.AI"}).has_value());
  EXPECT_FALSE(archive.load_announcement(kListingDate, {"cs.AI", "cs.LG", "cs.CL"}).has_value());
  EXPECT_FALSE(archive.load_announcement(kNextListingDate, {"cs.AI", "cs.LG"}).has_value());

  // Saving with the other order is the same announcement, not a second one.
  Announcement reordered = rss_announcement();
  reordered.categories = {"cs.AI", "cs.LG"};
  reordered.fetched_at += 1h;
  archive.save_announcement(reordered);
  const auto loaded = archive.load_announcement(kListingDate, {"cs.LG", "cs.AI"});
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->fetched_at, reordered.fetched_at);
}

TEST(SqliteArchive, LoadReturnsTheMostRecentFetchOfAnySource) {
  SqliteArchive archive(":memory:");
  Announcement rss = rss_announcement();
  archive.save_announcement(rss);

  Announcement listing = rss_announcement();
  listing.source = SourceKind::kListing;
  listing.source_url = "https://arxiv.org/list/cs.LG/new";
  listing.declared_count = 4;
  listing.fetched_at = rss.fetched_at + 10min;
  archive.save_announcement(listing);
  auto loaded = archive.load_announcement(kListingDate, rss.categories);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->source, SourceKind::kListing);
  EXPECT_EQ(loaded->declared_count, std::optional<std::size_t>{4});

  rss.fetched_at = listing.fetched_at + 10min;
  rss.papers.pop_back();
  archive.save_announcement(rss);
  loaded = archive.load_announcement(kListingDate, rss.categories);
  ASSERT_TRUE(loaded.has_value());
  expect_same_announcement(*loaded, rss);
}

// ---- failures leave the archive untouched
// ---------------------------------------------------------

TEST(SqliteArchive, FailureMidSaveRollsEverythingBack) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  SqliteArchive archive(path);
  archive.save_announcement(rss_announcement());
  const TableDump before = dump_tables(path);

  // Fail on the third paper of a listing, after the papers and the announcement row were written
  // and the old list was deleted.
  exec_on_file(path,
               "CREATE TRIGGER fail_third_entry BEFORE INSERT ON announcement_papers "
               "WHEN (SELECT count(*) FROM announcement_papers "
               "      WHERE announcement_id = NEW.announcement_id) >= 2 "
               "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  Announcement changed = rss_announcement();
  changed.fetched_at += 2h;
  changed.source_url = "https://rss.arxiv.org/rss/cs.AI+cs.LG";
  for (Paper& paper : changed.papers) paper.title = "overwritten " + paper.title;
  changed.papers.push_back(api_active_fuzzing(2));
  std::sort(changed.papers.begin(), changed.papers.end(),
            [](const Paper& a, const Paper& b) { return a.id < b.id; });
  try {
    archive.save_announcement(changed);
    FAIL() << "the trigger did not fire";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kRejected);
    const std::string what = e.what();
    EXPECT_NE(what.find("injected failure"), std::string::npos) << what;
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find("saving the rss announcement of 2026-06-19 for cs.AI+cs.LG"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("listing entry 3"), std::string::npos) << what;
  }
  exec_on_file(path, "DROP TRIGGER fail_third_entry");
  EXPECT_EQ(dump_tables(path), before);

  // The same archive instance is still usable and the save succeeds without the trigger.
  archive.save_announcement(changed);
  const auto loaded = archive.load_announcement(kListingDate, changed.categories);
  ASSERT_TRUE(loaded.has_value());
  expect_same_announcement(*loaded, changed);
}

TEST(SqliteArchive, CheckConstraintViolationRollsBack) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  SqliteArchive archive(path);
  archive.save_announcement(rss_announcement());
  const TableDump before = dump_tables(path);

  Announcement bad = rss_announcement();
  bad.fetched_at += 1h;
  bad.papers[0].title = "must not be stored";
  bad.papers.push_back(Paper{});  // empty id: violates CHECK (length(key) > 0)
  try {
    archive.save_announcement(bad);
    FAIL() << "a paper without id was stored";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kRejected);
    EXPECT_NE(std::string(e.what()).find("paper 5"), std::string::npos) << e.what();
  }
  EXPECT_EQ(dump_tables(path), before);
}

TEST(SqliteArchive, DuplicatePaperInOneAnnouncementRollsBack) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  SqliteArchive archive(path);
  Announcement bad = rss_announcement();
  bad.papers.push_back(bad.papers.front());
  EXPECT_THROW(archive.save_announcement(bad), StoreError);
  const TableDump dump = dump_tables(path);
  EXPECT_TRUE(dump.at("papers").empty());
  EXPECT_TRUE(dump.at("announcements").empty());
  EXPECT_TRUE(dump.at("announcement_papers").empty());
}

TEST(SqliteArchive, InvalidUtf8AuthorIsRejectedWithoutWriting) {
  SqliteArchive archive(":memory:");
  Announcement bad = rss_announcement();
  bad.papers[1].authors.push_back("Ram\xedrez");  // Latin-1 byte, not UTF-8
  try {
    archive.save_announcement(bad);
    FAIL() << "invalid UTF-8 in the author list was stored";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("author list"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(archive.load_announcement(kListingDate, bad.categories).has_value());
  EXPECT_FALSE(archive.find_paper(bad.papers[0].id.key()).has_value());
}

TEST(SqliteArchive, InvalidListingDateIsRejected) {
  SqliteArchive archive(":memory:");
  Announcement bad = rss_announcement();
  bad.listing_date = Date{std::chrono::year{2026}, std::chrono::February, std::chrono::day{30}};
  try {
    archive.save_announcement(bad);
    FAIL() << "stored an announcement dated 2026-02-30";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("invalid date 2026-02-30"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(archive.find_paper(bad.papers[0].id.key()).has_value());
  EXPECT_THROW(archive.load_announcement(bad.listing_date, bad.categories), StoreError);
}

// ---- opening ----------------------------------------------------------------------------------

TEST(SqliteArchive, FileBackedArchiveKeepsDataAcrossReopen) {
  TempDir dir;
  const auto path = dir / "nested" / "dirs" / "archive.sqlite";  // parents do not exist yet
  DigestRecord record{kListingDate,
                      "markdown",
                      "/srv/digests/2026-06-19.md",
                      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                      4,
                      at(kListingDate, 0h + 9min)};
  {
    SqliteArchive archive(path);
    archive.save_announcement(rss_announcement());
    archive.record_digest(record);
    archive.close();
    archive.close();  // idempotent
    EXPECT_THROW(archive.find_paper("2606.18284"), StoreError);
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  {
    sqlite::Database db(path.string());
    sqlite::Statement mode(db, "PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.column_text(0), "wal");
    sqlite::Statement version(db, "PRAGMA user_version");
    ASSERT_TRUE(version.step());
    EXPECT_EQ(version.column_int64(0), SqliteArchive::kSchemaVersion);
  }
  SqliteArchive reopened(path);
  const auto loaded = reopened.load_announcement(kListingDate, {"cs.AI", "cs.LG"});
  ASSERT_TRUE(loaded.has_value());
  expect_same_announcement(*loaded, rss_announcement());
  const auto digests = reopened.digests_for(kListingDate);
  ASSERT_EQ(digests.size(), 1u);
  EXPECT_EQ(digests[0].sha256, record.sha256);
}

TEST(SqliteArchive, NonDatabaseFileIsRejectedAndLeftAlone) {
  TempDir dir;
  const auto path = dir / "digest.txt";
  // A real digest text is a plausible wrong path to pass (and is longer than a page).
  const std::string bytes = testing::read_file(testing::data_path("seed/seed-2026-06-18.txt"));
  ASSERT_GT(bytes.size(), 4096u);
  testing::write_file(path, bytes);
  try {
    SqliteArchive archive(path);
    FAIL() << "opened a text file as an archive";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kCorrupt);
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find("not a database"), std::string::npos) << what;
  }
  EXPECT_EQ(testing::read_file(path), bytes);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal"));
}

TEST(SqliteArchive, NewerSchemaVersionIsRejected) {
  TempDir dir;
  const auto path = dir / "archive.sqlite";
  { SqliteArchive archive(path); }
  exec_on_file(path, "PRAGMA user_version = 99");
  try {
    SqliteArchive archive(path);
    FAIL() << "opened an archive from a newer schema";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path.string()), std::string::npos) << what;
    EXPECT_NE(what.find("schema version 99, newer than"), std::string::npos) << what;
  }
  // Left as it was.
  sqlite::Database db(path.string());
  sqlite::Statement version(db, "PRAGMA user_version");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.column_int64(0), 99);
}

TEST(SqliteArchive, ForeignSqliteDatabaseIsRejectedAndLeftAlone) {
  TempDir dir;
  const auto path = dir / "other.sqlite";
  exec_on_file(path, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
  try {
    SqliteArchive archive(path);
    FAIL() << "adopted another application's database";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreErrorKind::kCorrupt);
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
  sqlite::Database db(path.string());
  sqlite::Statement tables(db, "SELECT group_concat(name) FROM sqlite_schema");
  ASSERT_TRUE(tables.step());
  EXPECT_EQ(tables.column_text(0), "notes");
  sqlite::Statement mode(db, "PRAGMA journal_mode");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.column_text(0), "delete") << "journal mode of a foreign database was changed";
}

TEST(SqliteArchive, UncreatableDirectoryThrows) {
  TempDir dir;
  testing::write_file(dir / "file", "x");
  EXPECT_THROW(SqliteArchive(dir / "file" / "sub" / "archive.sqlite"), StoreError);
}

TEST(SqliteArchive, MovedArchiveKeepsWorking) {
  SqliteArchive original(":memory:");
  original.save_announcement(rss_announcement());
  SqliteArchive moved(std::move(original));
  EXPECT_TRUE(moved.find_paper("2606.18284").has_value());
}

// ---- digests ----------------------------------------------------------------------------------

TEST(SqliteArchive, RecordDigestUpsertsOnDateFormatAndPath) {
  SqliteArchive archive(":memory:");
  DigestRecord text{kListingDate,
                    "text",
                    "/srv/digests/2026-06-19.txt",
                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                    30,
                    at(kListingDate, 0h + 8min)};
  archive.record_digest(text);

  DigestRecord rewritten = text;
  rewritten.sha256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  rewritten.paper_count = 31;
  rewritten.generated_at += 1h;
  archive.record_digest(rewritten);

  DigestRecord json = text;
  json.format = "json";
  json.path = "/srv/digests/2026-06-19.json";
  archive.record_digest(json);

  DigestRecord other_day = text;
  other_day.listing_date = kNextListingDate;
  archive.record_digest(other_day);

  const auto digests = archive.digests_for(kListingDate);
  ASSERT_EQ(digests.size(), 2u);
  EXPECT_EQ(digests[0].format, "json");  // ordered by format, then path
  EXPECT_EQ(digests[0].path, json.path);
  EXPECT_EQ(digests[1].format, "text");
  EXPECT_EQ(digests[1].listing_date, kListingDate);
  EXPECT_EQ(digests[1].path, text.path);
  EXPECT_EQ(digests[1].sha256, rewritten.sha256);
  EXPECT_EQ(digests[1].paper_count, 31u);
  EXPECT_EQ(digests[1].generated_at, rewritten.generated_at);
  EXPECT_EQ(archive.digests_for(kNextListingDate).size(), 1u);
  EXPECT_TRUE(
      archive.digests_for(Date{std::chrono::year{2026}, std::chrono::June, std::chrono::day{23}})
          .empty());
}

}  // namespace
}  // namespace arxiv_digest
