#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>
#include <vector>

#include "render/golden.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"

namespace arxiv_digest {
namespace {

using testing::load_seed_digest;

using testing::count_of;

// The page is well-formed XML by design (see html_renderer.cpp): parse it back.
pugi::xml_document parse(const std::string& html) {
  pugi::xml_document doc;
  const pugi::xml_parse_result result =
      doc.load_string(html.c_str(), pugi::parse_default | pugi::parse_doctype);
  EXPECT_TRUE(result) << result.description() << " at byte " << result.offset << ": "
                      << html.substr(static_cast<std::size_t>(result.offset) > 60
                                         ? static_cast<std::size_t>(result.offset) - 60
                                         : 0,
                                     120);
  return doc;
}

// Every element with `name` (depth first).
std::vector<pugi::xml_node> all(const pugi::xml_document& doc, const char* name) {
  std::vector<pugi::xml_node> nodes;
  for (const pugi::xpath_node& node : doc.select_nodes((std::string("//") + name).c_str()))
    nodes.push_back(node.node());
  return nodes;
}

TEST(HtmlRenderer, SeedDigestMatchesGolden) {
  testing::expect_golden("render/seed_digest.html", render_html(load_seed_digest()));
}

TEST(HtmlRenderer, SeedEmailMatchesGolden) {
  testing::expect_golden("render/seed_digest.email.html", render_html_email(load_seed_digest()));
}

TEST(HtmlRenderer, PageStructure) {
  const Digest digest = load_seed_digest();
  const std::string html = render_html(digest);
  const pugi::xml_document doc = parse(html);
  const pugi::xml_node head = doc.child("html").child("head");
  EXPECT_STREQ(head.child_value("title"), "arXiv digest for 2026-06-18");
  EXPECT_TRUE(head.find_child_by_attribute("meta", "name", "viewport"));
  EXPECT_NE(std::string(head.child_value("style")).find("prefers-color-scheme: dark"),
            std::string::npos);
  EXPECT_TRUE(all(doc, "script").empty());  // no KaTeX unless asked
  // Table of contents: one link per topic, to a section with that id.
  const std::vector<pugi::xml_node> sections = all(doc, "section");
  ASSERT_EQ(sections.size(), digest.topics.size());
  const pugi::xml_node toc = doc.select_node("//nav/ol").node();
  std::size_t topic = 0;
  for (pugi::xml_node item : toc.children("li")) {
    ASSERT_LT(topic, sections.size());
    EXPECT_EQ(std::string(item.child("a").attribute("href").value()),
              std::string("#") + sections[topic].attribute("id").value());
    ++topic;
  }
  EXPECT_EQ(topic, digest.topics.size());
  EXPECT_STREQ(sections[0].attribute("id").value(), "topic-reinforcement-learning");
  // One article per selected paper, each with abs and pdf links, the Chinese title and abstract.
  const std::vector<pugi::xml_node> articles = all(doc, "article");
  EXPECT_EQ(articles.size(), 30u);
  const pugi::xml_node first = articles.front();
  EXPECT_STREQ(first.attribute("id").value(), "topic-reinforcement-learning-2606.18284");
  EXPECT_STREQ(first.child("h3").child("a").attribute("href").value(),
               "https://arxiv.org/abs/2606.18284");
  EXPECT_NE(html.find("href=\"https://arxiv.org/pdf/2606.18284\">PDF</a>"), std::string::npos);
  EXPECT_NE(html.find("lang=\"zh-CN\">打破求解器瓶颈:可学习前沿的训练任务生成器</p>"),
            std::string::npos);
  EXPECT_EQ(count_of(html, ">中文摘要</h4>"), 30u);
  // The matched words are marked, in titles and abstracts.
  EXPECT_GE(count_of(html, "<mark>"), 30u);
  EXPECT_NE(html.find("<mark>reinforcement learning</mark>"), std::string::npos);
  EXPECT_EQ(html.back(), '\n');
}

TEST(HtmlRenderer, MathIsKeptAndNeverMarked) {
  Digest digest = load_seed_digest(false);
  Paper& paper = digest.papers[digest.topics[0].papers[0]];
  paper.abstract =
      "We study reinforcement learning with $\\text{reinforcement learning} < x$ and "
      "reinforcement learning.";
  MatchReason& reason = digest.topics[0].reasons[0];
  reason.spans = {{MatchField::kAbstract, 9, 31, 0, 0},
                  {MatchField::kAbstract, 44, 66, 0, 0},
                  {MatchField::kAbstract, 77, 99, 0, 0}};
  const std::string html = render_html(digest);
  EXPECT_NE(html.find("We study <mark>reinforcement learning</mark> with "
                      "$\\text{reinforcement learning} &lt; x$ and "
                      "<mark>reinforcement learning</mark>."),
            std::string::npos);
}

// Found by HostileInput.RandomBytesNeverBreakTheMarkup: a span ending inside a character cut it
// in two, and each half became U+FFFD.
TEST(HtmlRenderer, SpanEndingMidCharacterKeepsTheCharacter) {
  Digest digest = load_seed_digest(false);
  digest.papers[digest.topics[0].papers[0]].title = "Learning \u4E2D\u6587 models";
  digest.topics[0].reasons[0].spans = {{MatchField::kTitle, 0, 10, 0, 0}};
  const std::string html = render_html(digest);
  EXPECT_NE(html.find("><mark>Learning \u4E2D</mark>\u6587 models</a></h3>"), std::string::npos);
}

TEST(HtmlRenderer, KatexOnlyWhenConfigured) {
  const Digest digest = load_seed_digest(false);
  HtmlOptions options;
  options.katex_base = "assets/katex/";
  const std::string html = render_html(digest, options);
  const pugi::xml_document doc = parse(html);
  const std::vector<pugi::xml_node> scripts = all(doc, "script");
  ASSERT_EQ(scripts.size(), 2u);
  EXPECT_STREQ(scripts[0].attribute("src").value(), "assets/katex/katex.min.js");
  EXPECT_STREQ(scripts[1].attribute("src").value(), "assets/katex/contrib/auto-render.min.js");
  EXPECT_TRUE(scripts[0].attribute("defer"));
  EXPECT_STREQ(doc.select_node("//link[@rel='stylesheet']").node().attribute("href").value(),
               "assets/katex/katex.min.css");
  EXPECT_EQ(html.find("cdn"), std::string::npos);
}

TEST(HtmlRenderer, EmailHasInlineStylesOnly) {
  const Digest digest = load_seed_digest();
  const std::string html = render_html_email(digest);
  const pugi::xml_document doc = parse(html);
  EXPECT_TRUE(all(doc, "style").empty());
  EXPECT_TRUE(all(doc, "script").empty());
  EXPECT_TRUE(all(doc, "link").empty());
  EXPECT_EQ(html.find("class=\""), std::string::npos);
  EXPECT_GE(count_of(html, "<mark style=\""), 30u);
  EXPECT_EQ(count_of(html, "href=\"https://arxiv.org/pdf/"), 30u);
  EXPECT_NE(html.find("打破求解器瓶颈:可学习前沿的训练任务生成器"), std::string::npos);
  EXPECT_NE(html.find("$10.1\\% \\rightarrow 20.0\\%$"), std::string::npos);  // TeX as written
}

TEST(HtmlRenderer, WithoutTranslationsNoChinese) {
  const std::string html = render_html(load_seed_digest(false));
  EXPECT_EQ(count_of(html, "中文摘要"), 0u);
  EXPECT_EQ(count_of(html, "lang=\"zh-CN\""), 0u);
}

TEST(HtmlRenderer, TranslationFailureIsVisible) {
  Digest digest = load_seed_digest();
  digest.translations[0]->abstract.clear();
  digest.translations[0]->abstract_failure = "quota <exhausted>";
  const std::string html = render_html(digest);
  EXPECT_NE(html.find("[翻译失败 translation failed: quota &lt;exhausted&gt;]"), std::string::npos);
}

TEST(EscapeHtml, EveryMetaCharacter) {
  EXPECT_EQ(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escape_html("&amp;"), "&amp;amp;");
  EXPECT_EQ(escape_html("中文 $x$"), "中文 $x$");
  EXPECT_EQ(escape_html(std::string("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(escape_html("\xC3("), "\xEF\xBF\xBD(");
}

TEST(SanitizeText, ReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(sanitize_text("ok\tline\nnext\r"), "ok\tline\nnext\r");
  EXPECT_EQ(sanitize_text("\x01\x1F\x7F"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(sanitize_text("\xC2\x85"), "\xEF\xBF\xBD");              // U+0085, a C1 control
  EXPECT_EQ(sanitize_text("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(sanitize_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(sanitize_text("\xEF\xBF\xBE"), "\xEF\xBF\xBD");                          // U+FFFE
  EXPECT_EQ(sanitize_text("\xF0\x9F\x98\x80 é"), "\xF0\x9F\x98\x80 é");
  EXPECT_EQ(sanitize_text("\xE4\xB8"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

}  // namespace
}  // namespace arxiv_digest
