#include <gtest/gtest.h>

#include <string>

#include "render/golden.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"

namespace arxiv_digest {
namespace {

using testing::load_seed_digest;

using testing::count_of;

TEST(MarkdownRenderer, SeedDigestMatchesGolden) {
  testing::expect_golden("render/seed_digest.md", render_markdown(load_seed_digest()));
}

TEST(MarkdownRenderer, SeedDigestStructure) {
  const Digest digest = load_seed_digest();
  const std::string md = render_markdown(digest);
  EXPECT_EQ(md.substr(0, md.find('\n')), "# arXiv digest for 2026-06-18");
  EXPECT_NE(md.find("\n- **Generated:** 2026-06-18 19:52:58 (UTC+8)\n"), std::string::npos);
  EXPECT_NE(md.find("\n- **Announced:** 2026-06-17 20:00 EDT (2026-06-18 08:00 UTC+8)\n"),
            std::string::npos);
  EXPECT_NE(md.find("\n- **Categories:** cs.AI, cs.CL, cs.CV, cs.LG, cs.RO\n"), std::string::npos);
  EXPECT_NE(md.find("\n- **Relevant papers:** 30 of 517 announced\n"), std::string::npos);
  EXPECT_NE(md.find("\n## reinforcement learning (30 papers)\n"), std::string::npos);
  EXPECT_NE(md.find("\n## diffusion policy (0 papers)\n\nThere is no result\n"), std::string::npos);
  EXPECT_EQ(count_of(md, "\n### ["), 30u);
  EXPECT_EQ(count_of(md, "\n**中文摘要**\n"), 30u);
  EXPECT_NE(md.find("\n### [Breaking the Solver Bottleneck: Training Task Generators at the "
                    "Learnable Frontier](https://arxiv.org/abs/2606.18284)\n\n"
                    "打破求解器瓶颈:可学习前沿的训练任务生成器\n\n- **Authors:** Lorenz Wolf,"),
            std::string::npos);
  EXPECT_NE(md.find("\n- **Links:** [arXiv:2606.18284](https://arxiv.org/abs/2606.18284) · "
                    "[PDF](https://arxiv.org/pdf/2606.18284)\n"),
            std::string::npos);
  ASSERT_GE(md.size(), 2u);
  EXPECT_EQ(md.back(), '\n');
  EXPECT_NE(md[md.size() - 2], '\n');
}

TEST(MarkdownRenderer, AbstractMathIsKeptVerbatim) {
  const Digest digest = load_seed_digest();
  const std::string md = render_markdown(digest);
  // From 2606.18284's abstract: TeX inside $...$ must reach GitHub untouched.
  EXPECT_NE(md.find("from $10.1\\% \\rightarrow 20.0\\%$ for a Qwen2.5-3B-Instruct solver"),
            std::string::npos);
}

TEST(MarkdownRenderer, WithoutTranslationsNoChinese) {
  const std::string md = render_markdown(load_seed_digest(false));
  EXPECT_EQ(count_of(md, "中文摘要"), 0u);
  EXPECT_EQ(count_of(md, "打破求解器瓶颈"), 0u);
  EXPECT_EQ(count_of(md, "\n### ["), 30u);
}

TEST(MarkdownRenderer, OptionalFieldsAppearWhenPresentAndAreEscaped) {
  Digest digest = load_seed_digest(false);
  Paper& paper = digest.papers[0];
  paper.comments = "12 pages, *preliminary*";
  paper.journal_ref = "NeurIPS 2026";
  paper.doi = "10.1002/(SICI)1097-4571";
  paper.title = "Learning *fast* with A_b <tags> [draft] and $\\mathcal{O}(n_1^*)$";
  paper.authors = {"A. [Bot]", "Jane_Doe"};
  digest.topics[0].topic.name = "RL_*";
  const std::string md = render_markdown(digest);
  EXPECT_NE(md.find("\n### [Learning \\*fast\\* with A\\_b \\<tags> \\[draft\\] and "
                    "$\\mathcal{O}(n_1^*)$](https://arxiv.org/abs/2606.18284)\n"),
            std::string::npos);
  EXPECT_NE(md.find("\n- **Authors:** A. \\[Bot\\], Jane\\_Doe\n"), std::string::npos);
  EXPECT_NE(md.find("\n- **Comments:** 12 pages, \\*preliminary\\*\n"), std::string::npos);
  EXPECT_NE(md.find("\n- **Journal ref:** NeurIPS 2026\n"), std::string::npos);
  EXPECT_NE(md.find("\n- **DOI:** [10.1002/(SICI)1097-4571]"
                    "(https://doi.org/10.1002/%28SICI%291097-4571)\n"),
            std::string::npos);
  EXPECT_NE(md.find("\n## RL\\_\\* (30 papers)\n"), std::string::npos);
  // Other papers have no comments: the line is left out.
  EXPECT_EQ(count_of(md, "**Comments:**"), 1u);
}

struct EscapeCase {
  std::string_view input;
  std::string_view expected;
};

class EscapeMarkdown : public ::testing::TestWithParam<EscapeCase> {};

TEST_P(EscapeMarkdown, Escapes) {
  EXPECT_EQ(escape_markdown(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EscapeMarkdown,
    ::testing::Values(EscapeCase{"plain text, CJK 强化学习 and (parentheses)!",
                                 "plain text, CJK 强化学习 and (parentheses)!"},
                      EscapeCase{"a *b* _c_ `d` [e](f) <g> ~h~",
                                 "a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g> \\~h\\~"},
                      // Math spans verbatim, including what would otherwise be escaped.
                      EscapeCase{"$\\mathcal{O}(n_1^*)$ and $$x_[1]$$ end",
                                 "$\\mathcal{O}(n_1^*)$ and $$x_[1]$$ end"},
                      EscapeCase{"$R^2=0.24$ to $R^2=0.64$", "$R^2=0.24$ to $R^2=0.64$"},
                      // An escaped dollar inside math does not close it.
                      EscapeCase{"$a \\$ b_c$ d_e", "$a \\$ b_c$ d\\_e"},
                      // A lone dollar is escaped; TeX's \$ is already a Markdown escape.
                      EscapeCase{"costs $5_000", "costs \\$5\\_000"},
                      EscapeCase{"costs \\$5", "costs \\$5"},
                      // Backslash: only before ASCII punctuation.
                      EscapeCase{"\\alpha and \\{x\\}", "\\alpha and \\\\{x\\\\}"},
                      // Entities vs plain ampersands.
                      EscapeCase{"AT&T &amp; &#38; &#x26; & x",
                                 "AT&T \\&amp; \\&#38; \\&#x26; & x"},
                      // Block openers only at the start of a line.
                      EscapeCase{"# not a heading # here", "\\# not a heading # here"},
                      EscapeCase{"- item - dash", "\\- item - dash"},
                      EscapeCase{"+ plus", "\\+ plus"}, EscapeCase{"> quote > x", "\\> quote > x"},
                      EscapeCase{"2026. Year 1. x", "2026\\. Year 1. x"},
                      EscapeCase{"1) one\n2) two", "1\\) one\n2\\) two"},
                      EscapeCase{"3D vision", "3D vision"}, EscapeCase{"", ""}));

TEST(EscapeMarkdownInline, NoLineStartRules) {
  EXPECT_EQ(escape_markdown_inline("1. Intro - # + > 2606.18284"), "1. Intro - # + > 2606.18284");
  EXPECT_EQ(escape_markdown_inline("a *b* $x_1$ [c]"), "a \\*b\\* $x_1$ \\[c\\]");
  EXPECT_EQ(escape_markdown_inline("x\n- y"), "x\n- y");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(MarkdownRenderer, MatchedTermsAreBoldAndSaidPerPaper) {
  const std::string md = render_markdown(testing::load_seed_digest());
  // 2606.18327 has the phrase in its title and abstract (spans from the real selector).
  EXPECT_NE(md.find("\n### [Self-CTRL: Self-Consistency Training with **Reinforcement Learning**]"
                    "(https://arxiv.org/abs/2606.18327)\n"),
            std::string::npos);
  EXPECT_NE(md.find("This paper describes Self-Consistency Training with **Reinforcement "
                    "Learning** (Self-CTRL)"),
            std::string::npos);
  EXPECT_EQ(count_of(md, "\n- **Matched:** \"reinforcement learning\" (title, abstract)\n") +
                count_of(md, "\n- **Matched:** \"reinforcement learning\" (abstract)\n") +
                count_of(md, "\n- **Matched:** \"reinforcement learning\" (title)\n"),
            30u);
}

// A one-paper digest whose topic matched at the given spans of the abstract.
Digest digest_with_abstract(std::string abstract, std::vector<MatchSpan> spans) {
  Digest digest = testing::load_seed_digest(false);
  digest.papers.resize(1);
  digest.papers[0].abstract = std::move(abstract);
  digest.topics.resize(1);
  digest.topics[0].papers = {0};
  MatchReason reason;
  reason.terms = {"rl"};
  reason.spans = std::move(spans);
  digest.topics[0].reasons = {reason};
  return digest;
}

std::string abstract_paragraph(const std::string& md) {
  const std::size_t begin = md.find("**Abstract**\n\n") + 14;
  return md.substr(begin, md.find('\n', begin) - begin);
}

TEST(MarkdownRenderer, BoldStaysOutOfMathAndKeepsEscapes) {
  // "$RL$ and RL*": the span inside math is not bolded (GitHub renders math itself), the one
  // outside is, and the `*` after it is still escaped.
  const std::string text = "$RL$ and RL* with [RL]";
  const std::string md = render_markdown(digest_with_abstract(
      text, {{MatchField::kAbstract, 1, 3}, {MatchField::kAbstract, 9, 11},
             {MatchField::kAbstract, 19, 21}}));
  EXPECT_EQ(abstract_paragraph(md), "$RL$ and **RL**\\* with \\[**RL**\\]");
  // Overlapping and adjacent spans merge into one bold run; spans past the end are ignored.
  const std::string md2 = render_markdown(digest_with_abstract(
      "deep reinforcement learning", {{MatchField::kAbstract, 5, 18},
                                      {MatchField::kAbstract, 10, 27},
                                      {MatchField::kAbstract, 20, 99}}));
  EXPECT_EQ(abstract_paragraph(md2), "deep **reinforcement learning**");
  // A span at the start of a line keeps the line-start escapes after the bold marker.
  const std::string md3 = render_markdown(
      digest_with_abstract("RL matters", {{MatchField::kAbstract, 0, 2}}));
  EXPECT_EQ(abstract_paragraph(md3), "**RL** matters");
  // An escaped backslash before `$` is not a math opener for the renderer: the span after it is
  // outside math and bolded, with no stray `**`.
  const std::string text4 = "\\\\$x$ policy$ end";
  const std::size_t policy = text4.find("policy");
  const std::string md4 = render_markdown(digest_with_abstract(
      text4, {{MatchField::kAbstract, policy, policy + 6}}));
  EXPECT_EQ(abstract_paragraph(md4).find("** **"), std::string::npos) << abstract_paragraph(md4);
  // Spans ending at a brace or starting at a TeX escape are trimmed to the letters.
  const std::string text5 = "{RL}\u2192 and Caf\\'{e} time";
  const std::string md5 = render_markdown(digest_with_abstract(
      text5, {{MatchField::kAbstract, 0, 4}, {MatchField::kAbstract, text5.find("Caf"),
                                               text5.find(" time")}}));
  EXPECT_EQ(abstract_paragraph(md5), "{**RL**}\u2192 and **Caf\\\\'{e**} time");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

TEST(EscapeMarkdown, BlockMarkersAfterIndentationAreEscapedToo) {
  // CommonMark allows up to three spaces before a heading, quote or list marker.
  EXPECT_EQ(escape_markdown("first line\n  # not a heading\n > not a quote\n   - not a list"),
            "first line\n  \\# not a heading\n \\> not a quote\n   \\- not a list");
}

TEST(MarkdownRenderer, SeveralDoisGetOneLinkEach) {
  Digest digest = testing::load_seed_digest(false);
  digest.papers[0].doi = "10.1103/PhysRevC.77.034616 10.1016/j.physletb.2008.01.010";
  const std::string md = render_markdown(digest);
  EXPECT_NE(md.find("- **DOI:** [10.1103/PhysRevC.77.034616](https://doi.org/"
                    "10.1103/PhysRevC.77.034616) · [10.1016/j.physletb.2008.01.010]"
                    "(https://doi.org/10.1016/j.physletb.2008.01.010)\n"),
            std::string::npos);
}

}  // namespace
}  // namespace arxiv_digest
