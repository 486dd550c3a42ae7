#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono_literals;
using testing::data_path;
using testing::load_seed_digest;
using testing::read_file;

// What line 1 of the seed should have said: arXiv announced the 2026-06-18 listing at 20:00 EDT
// on 2026-06-17 (= 2026-06-18 00:00 UTC = 08:00 UTC+8); the seed printed one day late.
constexpr std::string_view kCorrectedHeader =
    "生成时间: 2026-06-18 19:52:58 (UTC+8); Arxiv 发布时间: 2026-06-17 20:00 EDT "
    "(2026-06-18 08:00 UTC+8)";

std::size_t replace_all(std::string& text, std::string_view from, std::string_view to) {
  std::size_t count = 0;
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
    ++count;
  }
  return count;
}

using testing::count_of;

// The seed file with its three defects fixed: the header's ET date, the doubled two-line
// "- Subjects: Subjects:" entries and the missing final newline.
std::string corrected_seed() {
  std::string text = read_file(data_path(testing::kSeedDigestFile));
  const std::size_t first_newline = text.find('\n');
  EXPECT_EQ(text.substr(0, first_newline),
            "生成时间: 2026-06-18 19:52:58 (UTC+8); Arxiv 发布时间: 2026-06-18 20:00 EDT "
            "(2026-06-19 08:00 UTC+8)")
      << "the seed's own (wrong) header changed";
  text.replace(0, first_newline, kCorrectedHeader);
  EXPECT_EQ(replace_all(text, "\n- Subjects: Subjects:\n", "\n- Subjects: "), 30u);
  EXPECT_NE(text.back(), '\n') << "the seed is known to lack its final newline";
  text += '\n';
  return text;
}

TEST(TextRenderer, SeedDigestEqualsReferenceWithItsDefectsFixed) {
  const Digest digest = load_seed_digest();
  ASSERT_EQ(digest.papers.size(), 30u);
  ASSERT_EQ(digest.topics.size(), 2u);
  EXPECT_EQ(render_text(digest), corrected_seed());
}

TEST(TextRenderer, HeaderLineUsesEasternTimeWithTzAbbreviationAndReaderZone) {
  EXPECT_EQ(text_header_line(load_seed_digest()), kCorrectedHeader);
}

TEST(TextRenderer, WinterAnnouncementIsInEst) {
  Digest digest = load_seed_digest();
  digest.listing_date = std::chrono::year{2026} / 1 / 15;
  digest.announced_at = std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 1h;
  digest.generated_at = std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 3h + 4min + 5s;
  EXPECT_EQ(text_header_line(digest),
            "生成时间: 2026-01-15 11:04:05 (UTC+8); Arxiv 发布时间: 2026-01-14 20:00 EST "
            "(2026-01-15 09:00 UTC+8)");
}

TEST(TextRenderer, ReaderZoneOffsetsFollowTheZoneAtEachInstant) {
  Digest digest = load_seed_digest();
  digest.time_zone = "Asia/Kolkata";
  EXPECT_EQ(text_header_line(digest),
            "生成时间: 2026-06-18 17:22:58 (UTC+5:30); Arxiv 发布时间: 2026-06-17 20:00 EDT "
            "(2026-06-18 05:30 UTC+5:30)");
  // Europe/Berlin switches to summer time on 2026-03-29: generated after, announced before.
  digest.time_zone = "Europe/Berlin";
  digest.announced_at = std::chrono::sys_days{std::chrono::year{2026} / 3 / 27};  // Fri 00:00Z
  digest.generated_at = std::chrono::sys_days{std::chrono::year{2026} / 3 / 30} + 6h;
  EXPECT_EQ(text_header_line(digest),
            "生成时间: 2026-03-30 08:00:00 (UTC+2); Arxiv 发布时间: 2026-03-26 20:00 EDT "
            "(2026-03-27 01:00 UTC+1)");
}

TEST(TextRenderer, WithoutTranslationsTheChineseLinesAreLeftOut) {
  const Digest translated = load_seed_digest(/*with_translations=*/true);
  const Digest plain = load_seed_digest(/*with_translations=*/false);
  ASSERT_TRUE(plain.translations.empty());
  std::string expected = render_text(translated);
  for (const auto& translation : translated.translations) {
    ASSERT_TRUE(translation.has_value());
    EXPECT_EQ(replace_all(expected, "\n" + translation->title + "\n- Authors: ", "\n- Authors: "),
              1u);
    EXPECT_EQ(replace_all(expected, "- 中文摘要\n" + translation->abstract + "\n", ""), 1u);
  }
  const std::string text = render_text(plain);
  EXPECT_EQ(text, expected);
  EXPECT_EQ(count_of(text, "中文摘要"), 0u);
  // 2 header lines, 2 keyword lines, 7 lines per paper, "There is no result".
  EXPECT_EQ(count_of(text, "\n"), 2u + 2u + 30u * 7u + 1u);
}

TEST(TextRenderer, OnlyTranslatedPapersGetChineseLines) {
  Digest digest = load_seed_digest();
  for (std::size_t i = 1; i < digest.translations.size(); ++i) digest.translations[i].reset();
  const std::string text = render_text(digest);
  EXPECT_EQ(count_of(text, "- 中文摘要\n"), 1u);
  const std::string first = digest.papers[0].title + "\n" + digest.translations[0]->title +
                            "\n- Authors: Lorenz Wolf, Connor Watts";
  EXPECT_NE(text.find(first), std::string::npos);
  const std::string second = "\n" + digest.papers[1].title + "\n- Authors: Itamar Pres";
  EXPECT_NE(text.find(second), std::string::npos);
}

TEST(TextRenderer, FailedTranslationsShowAMarkerNextToTheEnglish) {
  Digest digest = load_seed_digest();
  digest.translations[0]->title.clear();
  digest.translations[0]->title_failure = "rejected 3 answer(s), last: token {M1} is missing";
  digest.translations[1]->abstract.clear();
  digest.translations[1]->abstract_failure = "openai: quota exhausted";
  digest.translations[2]->abstract.clear();  // fields = ["title"]: no abstract section
  const std::string text = render_text(digest);
  EXPECT_NE(text.find(digest.papers[0].title +
                      "\n[翻译失败 translation failed: rejected 3 answer(s), last: token {M1} is "
                      "missing]\n- Authors: "),
            std::string::npos);
  EXPECT_NE(text.find(digest.papers[1].abstract +
                      "\n- 中文摘要\n[翻译失败 translation failed: openai: quota exhausted]\n"),
            std::string::npos);
  EXPECT_NE(text.find(digest.papers[2].abstract + "\n" + digest.papers[3].title + "\n"),
            std::string::npos);
  EXPECT_EQ(count_of(text, "- 中文摘要\n"), 29u);
  const std::string markdown = render_markdown(digest);
  EXPECT_NE(markdown.find("**\\[翻译失败 translation failed: openai: quota exhausted\\]**"),
            std::string::npos);
}

TEST(TextRenderer, LinksUseTheVersionlessIdAndSubjectsPutPrimaryFirst) {
  Digest digest = load_seed_digest(false);
  Paper& paper = digest.papers[0];
  paper.id = ArxivId::parse("2606.18284v3");
  paper.primary_category = "cs.CL";  // not first in `categories`: still printed first
  const std::string text = render_text(digest);
  EXPECT_NE(text.find("\n- Subjects: Computation and Language (cs.CL); Machine Learning (cs.LG); "
                      "Artificial Intelligence (cs.AI)\n- Arxiv link: "
                      "https://arxiv.org/abs/2606.18284\n- Pdf link: "
                      "https://arxiv.org/pdf/2606.18284\n"),
            std::string::npos);
  EXPECT_EQ(text.find("2606.18284v3"), std::string::npos);
}

TEST(TextRenderer, PaperInTwoTopicsIsCountedOnceAndListedTwice) {
  Digest digest = load_seed_digest(false);
  digest.topics[1].papers = {4, 7};
  const std::string text = render_text(digest);
  EXPECT_NE(text.find("\n今天共有 30 篇相关文章\n"), std::string::npos);
  EXPECT_EQ(count_of(text, "- Arxiv link: " + abs_url(digest.papers[4].id) + "\n"), 2u);
  EXPECT_EQ(count_of(text, "There is no result"), 0u);
  EXPECT_NE(text.find("Keyword: diffusion policy\n" + digest.papers[4].title + "\n"),
            std::string::npos);
}

TEST(TextRenderer, EmptyDigestHasHeaderCountAndEmptyTopics) {
  Digest digest = load_seed_digest(false);
  digest.papers.clear();
  digest.topics[0].papers.clear();
  digest.topics[0].reasons.clear();
  EXPECT_EQ(render_text(digest), std::string(kCorrectedHeader) +
                                     "\n今天共有 0 篇相关文章\nKeyword: reinforcement learning\n"
                                     "There is no result\nKeyword: diffusion policy\n"
                                     "There is no result\n");
}

TEST(TextRenderer, InconsistentDigestThrowsInsteadOfReadingOutOfBounds) {
  Digest digest = load_seed_digest();
  digest.topics[1].papers = {30};
  EXPECT_THROW(render_text(digest), Error);
  digest = load_seed_digest();
  digest.translations.pop_back();
  EXPECT_THROW(render_text(digest), Error);
  digest = load_seed_digest();
  digest.topics[0].reasons.pop_back();  // reasons must be parallel to papers (or absent)
  EXPECT_THROW(render_text(digest), Error);
  EXPECT_THROW(render_markdown(digest), Error);
}

TEST(TextRenderer, UnknownTimeZoneThrows) {
  Digest digest = load_seed_digest();
  digest.time_zone = "Mars/Olympus_Mons";
  EXPECT_THROW(render_text(digest), Error);
}

TEST(TextRenderer, DeterministicAcrossCallsAndThreads) {
  const Digest digest = load_seed_digest();
  const std::string reference = render_text(digest);
  std::vector<std::string> outputs(4);
  std::vector<std::thread> threads;
  for (std::string& output : outputs)
    threads.emplace_back([&digest, &output] { output = render_text(digest); });
  for (std::thread& thread : threads) thread.join();
  for (const std::string& output : outputs) EXPECT_TRUE(output == reference);
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(TextRenderer, ExplainAddsAMatchedLinePerPaperOnlyWhenAsked) {
  const Digest digest = testing::load_seed_digest();
  const std::string plain = render_text(digest);
  EXPECT_EQ(plain.find("- Matched:"), std::string::npos);  // the reference layout has none
  RenderOptions options;
  options.explain = true;
  const std::string explained = render_text(digest, options);
  const auto lines = testing::split_lines(explained);
  std::size_t matched = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!lines[i].starts_with("- Matched: ")) continue;
    ++matched;
    EXPECT_TRUE(lines[i - 1].starts_with("- Subjects: ")) << lines[i];
    EXPECT_TRUE(lines[i] == "- Matched: \"reinforcement learning\" (abstract)" ||
                lines[i] == "- Matched: \"reinforcement learning\" (title, abstract)" ||
                lines[i] == "- Matched: \"reinforcement learning\" (title)")
        << lines[i];
  }
  EXPECT_EQ(matched, 30u);
  EXPECT_EQ(lines.size(), testing::split_lines(plain).size() + 30);
}

TEST(TextRenderer, ExplainGivesScoresAndTheNearestExample) {
  Digest digest = testing::load_seed_digest(false);
  digest.topics.resize(1);
  digest.topics[0].topic.example_ids = {"2605.02178"};
  digest.topics[0].papers.resize(2);
  MatchReason first;
  first.score = 0.1574;
  first.nearest_example = "Beyond Reward Engineering";
  MatchReason second;
  second.terms = {"cat:cs.RO"};
  second.spans = {{MatchField::kCategories, 0, 5, 1, 0}};
  second.score = 0.0912;
  digest.topics[0].reasons = {first, second};
  RenderOptions options;
  options.explain = true;
  const std::string text = render_text(digest, options);
  EXPECT_NE(text.find("\n- Matched: similarity 0.16 to \"Beyond Reward Engineering\"\n"),
            std::string::npos);
  EXPECT_NE(text.find("\n- Matched: cat:cs.RO (categories); similarity 0.09\n"),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
