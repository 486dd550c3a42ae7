#include "translate/answer_check.hpp"

#include <gtest/gtest.h>

#include "translate/prompt.hpp"

namespace arxiv_digest {
namespace {

const std::string kSource = "The error drops from $9.38 \\to 2.62$ on SiT.";

AnswerCheck check(std::string_view answer, std::string_view target = "zh-CN") {
  static const std::vector<std::string> markers = builtin_prompts().echo_markers();
  return check_answer(answer, mask_protected(kSource), target, markers);
}

TEST(CheckAnswer, AcceptsAndRestoresAFaithfulAnswer) {
  const AnswerCheck ok = check("误差在 SiT 上从 {M1} 降低。");
  ASSERT_TRUE(ok.ok()) << ok.detail;
  EXPECT_EQ(ok.text, "误差在 SiT 上从 $9.38 \\to 2.62$ 降低。");
}

TEST(CheckAnswer, StripsWrappingQuotesAndFences) {
  EXPECT_EQ(check("“误差从 {M1} 降低。”").text, "误差从 $9.38 \\to 2.62$ 降低。");
  EXPECT_EQ(check("```text\n误差从 {M1} 降低。\n```").text, "误差从 $9.38 \\to 2.62$ 降低。");
  EXPECT_EQ(check("\"误差从 {M1} 降低。\"").text, "误差从 $9.38 \\to 2.62$ 降低。");
  // Quotes inside the sentence are kept.
  EXPECT_EQ(strip_wrappers("“甲”和“乙”"), "“甲”和“乙”");
}

TEST(CheckAnswer, RejectsEachFailureMode) {
  struct Case {
    std::string answer;
    AnswerProblem problem;
  };
  const std::vector<Case> cases = {
      {"", AnswerProblem::kEmpty},
      {"  \n ", AnswerProblem::kEmpty},
      {"<think>translate it</think>误差从 {M1} 降低。", AnswerProblem::kThink},
      {"translate it</think>误差从 {M1} 降低。", AnswerProblem::kThink},
      {"以下是翻译：误差从 {M1} 降低。", AnswerProblem::kCommentary},
      {"Translation: 误差从 {M1} 降低。", AnswerProblem::kCommentary},
      {"Here is the translation: 误差从 {M1} 降低。", AnswerProblem::kCommentary},
      {"误差从 {M1} 降低。\n翻译：完", AnswerProblem::kCommentary},
      {"You are a professional translator of scientific paper titles and abstracts.\n误差从 {M1} "
       "降低。",
       AnswerProblem::kEcho},
      {"误差降低。", AnswerProblem::kPlaceholders},
      {"误差从 {M1} 到 {M1} 降低。", AnswerProblem::kPlaceholders},
      {"误差从 {M1} 到 {M2} 降低。", AnswerProblem::kPlaceholders},
      {"The error drops from {M1} on SiT.", AnswerProblem::kUnchanged},
      {"The mistake falls from {M1} on SiT.", AnswerProblem::kNotTarget},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.answer);
    const AnswerCheck result = check(c.answer);
    EXPECT_EQ(result.problem, c.problem) << result.detail;
    EXPECT_FALSE(result.detail.empty());
    EXPECT_TRUE(result.text.empty());
  }
}

TEST(CheckAnswer, NonCjkTargetsOnlyNeedAChange) {
  EXPECT_TRUE(check("Der Fehler sinkt von {M1} auf SiT.", "de").ok());
  EXPECT_EQ(check("The error drops from {M1} on SiT.", "de").problem, AnswerProblem::kUnchanged);
}

TEST(ContainsCjk, IdeographsKanaHangul) {
  EXPECT_TRUE(contains_cjk("abc 中 def"));
  EXPECT_TRUE(contains_cjk("カタカナ"));
  EXPECT_TRUE(contains_cjk("한국어"));
  EXPECT_FALSE(contains_cjk("ÄÖÜ — “quoted” ％"));
}

}  // namespace
}  // namespace arxiv_digest
