// Building the digest: one index space from selection to translation, on real papers (the
// sample day's records).
#include "pipeline/digest_builder.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "render/seed_digest.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

Announcement sample_announcement() {
  Announcement a;
  a.listing_date = Date{std::chrono::year{2026} / 6 / 18};
  a.categories = testing::kSampleDayCategories;
  a.papers = testing::load_papers_jsonl(testing::kSampleDay / "papers.jsonl");
  return a;
}

Topic topic(std::string name) { return Topic{name, name, TopicSort::kId, {}, {}, {}, {}}; }

TEST(DigestBuilder, CandidatesKeepTheConfiguredAnnounceTypesInOrder) {
  Announcement a = sample_announcement();
  ASSERT_GT(a.papers.size(), 10u);
  a.papers[1].announce_type = AnnounceType::kCross;
  a.papers[2].announce_type = AnnounceType::kReplace;
  const auto news = candidates(a, {AnnounceType::kNew});
  const auto all = candidates(a, {AnnounceType::kNew, AnnounceType::kCross, AnnounceType::kReplace,
                                  AnnounceType::kReplaceCross});
  EXPECT_EQ(all.size(), a.papers.size());
  for (const Paper* p : news) EXPECT_EQ(p->announce_type, AnnounceType::kNew);
  EXPECT_EQ(std::count_if(all.begin(), all.end(),
                          [&](const Paper* p) { return p == &a.papers[2]; }),
            1);
  EXPECT_EQ(std::find(news.begin(), news.end(), &a.papers[2]), news.end());
}

TEST(DigestBuilder, SelectedPapersAppearOnceInIdOrderAndTopicsIndexThem) {
  const Announcement a = sample_announcement();
  const auto kept = candidates(a, {AnnounceType::kNew, AnnounceType::kCross});
  ASSERT_GT(kept.size(), 20u);
  // Topic 0 picks candidates 9, 3, 15 (its own order); topic 1 picks 15 and 4; topic 2 none.
  std::vector<TopicSelector::Selection> selections(3);
  selections[0].papers = {9, 3, 15};
  selections[0].reasons.resize(3);
  selections[1].papers = {15, 4};
  selections[1].reasons.resize(2);
  DigestHeader header;
  header.categories = a.categories;
  const Digest d = assemble_digest(a, kept, {topic("a"), topic("b"), topic("c")},
                                   std::move(selections), header);
  ASSERT_EQ(d.papers.size(), 4u);  // 3, 4, 9, 15: once each, in candidate order
  EXPECT_EQ(d.papers[0].id, kept[3]->id);
  EXPECT_EQ(d.papers[1].id, kept[4]->id);
  EXPECT_EQ(d.papers[2].id, kept[9]->id);
  EXPECT_EQ(d.papers[3].id, kept[15]->id);
  EXPECT_EQ(d.topics[0].papers, (std::vector<std::size_t>{2, 0, 3}));  // the topic's order kept
  EXPECT_EQ(d.topics[1].papers, (std::vector<std::size_t>{3, 1}));
  EXPECT_TRUE(d.topics[2].papers.empty());
  EXPECT_EQ(d.announced_count, kept.size());
}

TEST(DigestBuilder, BadIndicesAreErrorsNotReadsOutOfBounds) {
  const Announcement a = sample_announcement();
  const auto kept = candidates(a, {AnnounceType::kNew});
  std::vector<TopicSelector::Selection> selections(1);
  selections[0].papers = {kept.size()};
  EXPECT_THROW(assemble_digest(a, kept, {topic("a")}, selections, {}), Error);
  EXPECT_THROW(assemble_digest(a, kept, {topic("a"), topic("b")}, {}, {}), Error);
}

TEST(DigestBuilder, TranslationsGoBackToTheirPaperByIndex) {
  const Announcement a = sample_announcement();
  const auto kept = candidates(a, {AnnounceType::kNew, AnnounceType::kCross});
  std::vector<TopicSelector::Selection> selections(1);
  selections[0].papers = {7, 2, 5};
  selections[0].reasons.resize(3);
  Digest d = assemble_digest(a, kept, {topic("a")}, std::move(selections), {});
  const auto jobs = translation_jobs(d, {TranslatedField::kTitle, TranslatedField::kAbstract});
  ASSERT_EQ(jobs.size(), 6u);
  for (const TranslationJob& job : jobs) {
    const Paper& p = d.papers[job.paper];
    EXPECT_EQ(job.text, job.field == TranslatedField::kTitle ? p.title : p.abstract);
  }
  // Answer in reverse so that a running counter would pair them wrongly.
  std::vector<JobOutcome> outcomes(jobs.size());
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    if (jobs[j].paper == 1 && jobs[j].field == TranslatedField::kAbstract) {
      outcomes[j].failure = "HTTP 500";
      continue;
    }
    outcomes[j].translation = "译:" + jobs[j].text.substr(0, 12);
  }
  EXPECT_EQ(attach_translations(d, jobs, outcomes), 1u);
  ASSERT_EQ(d.translations.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(d.translations[i]);
    EXPECT_EQ(d.translations[i]->title, "译:" + d.papers[i].title.substr(0, 12));
  }
  EXPECT_TRUE(d.translations[1]->abstract.empty());
  EXPECT_EQ(d.translations[1]->abstract_failure, "HTTP 500");
  EXPECT_EQ(d.translations[2]->abstract, "译:" + d.papers[2].abstract.substr(0, 12));
  EXPECT_THROW(attach_translations(d, jobs, {}), Error);
}

TEST(DigestBuilder, OnlyTheFieldsAskedForAreTranslated) {
  const Announcement a = sample_announcement();
  const auto kept = candidates(a, {AnnounceType::kNew});
  std::vector<TopicSelector::Selection> selections(1);
  selections[0].papers = {0, 1};
  selections[0].reasons.resize(2);
  Digest d = assemble_digest(a, kept, {topic("a")}, std::move(selections), {});
  const auto jobs = translation_jobs(d, {TranslatedField::kTitle});
  ASSERT_EQ(jobs.size(), 2u);
  std::vector<JobOutcome> outcomes{{std::string("一"), ""}, {std::nullopt, ""}};
  EXPECT_EQ(attach_translations(d, jobs, outcomes), 1u);
  EXPECT_EQ(d.translations[0]->title, "一");
  EXPECT_TRUE(d.translations[0]->abstract_failure.empty());  // not asked for: no marker
  EXPECT_EQ(d.translations[1]->title_failure, "not translated");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(RestrictDigest, KeepsOnlyTheNamedTopicsTheirPapersAndTranslations) {
  const Digest seed = testing::load_seed_digest();
  ASSERT_EQ(seed.topics.size(), 2u);
  const Digest rl = restrict_digest(seed, {"reinforcement learning"});
  ASSERT_EQ(rl.topics.size(), 1u);
  EXPECT_EQ(rl.papers.size(), 30u);
  ASSERT_EQ(rl.translations.size(), rl.papers.size());
  for (std::size_t i = 0; i < rl.topics[0].papers.size(); ++i) {
    const std::size_t p = rl.topics[0].papers[i];
    EXPECT_EQ(rl.papers[p].id, seed.papers[seed.topics[0].papers[i]].id);
    EXPECT_EQ(rl.translations[p]->title, seed.translations[seed.topics[0].papers[i]]->title);
  }
  const Digest none = restrict_digest(seed, {"diffusion policy"});
  EXPECT_TRUE(none.papers.empty());
  EXPECT_TRUE(none.translations.empty());
  EXPECT_EQ(none.announced_count, seed.announced_count);
  EXPECT_EQ(restrict_digest(seed, {}).papers.size(), seed.papers.size());
  EXPECT_THROW(restrict_digest(seed, {"robotics"}), Error);
}

}  // namespace
}  // namespace arxiv_digest
