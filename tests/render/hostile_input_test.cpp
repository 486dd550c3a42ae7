// Hostile titles, abstracts, authors, categories, topic names and DOIs through every renderer:
// markup never comes out unescaped, and the structured outputs (HTML, Atom, JSON) still parse
// and give the text back.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"

namespace arxiv_digest {
namespace {

const std::string kTitle =
    "<script>alert(1)</script> &amp; \"quotes' ]]> </title> \x01\x1B \xFF\xC3(";
const std::string kAbstract =
    "Abstract </textarea><img src=x onerror=alert(1)> ]]><![CDATA[ x ]]> &lt;b&gt; "
    "$a<b$ and <!-- comment --> <?xml version=\"1.0\"?> \x7F \xED\xA0\x80 end";
const std::string kAuthor = "Eve <script>steal()</script> \"O'Hara\"";
const std::string kCategory = "cs.AI\"><script>x</script>";
const std::string kTopic = "</title><script>alert('topic')</script> & co";
const std::string kDoi = "javascript:alert(1)";
const std::string kComments = "<b onmouseover=\"alert(1)\">12 pages</b>";
const std::string kChinese = "中文 <script>alert(1)</script> &amp; ]]>";

Digest hostile_digest() {
  Digest digest = testing::load_seed_digest();
  digest.categories.push_back(kCategory);
  digest.topics[0].topic.name = kTopic;
  for (std::size_t i = 0; i < 3; ++i) {
    Paper& paper = digest.papers[digest.topics[0].papers[i]];
    paper.title = kTitle;
    paper.abstract = kAbstract;
    paper.authors = {kAuthor, "Mallory & Trent"};
    paper.add_category(kCategory);
    paper.doi = kDoi;
    paper.comments = kComments;
    paper.journal_ref = kComments;
    digest.translations[digest.topics[0].papers[i]]->title = kChinese;
    digest.translations[digest.topics[0].papers[i]]->abstract = kChinese;
  }
  // The reasons found "reinforcement learning" in the seed text; point a span into the hostile
  // title too, across a tag and the invalid bytes.
  digest.topics[0].reasons[0].spans.push_back({MatchField::kTitle, 1, kTitle.size(), 0, 0});
  return digest;
}

// Every element name in the document.
void element_names(pugi::xml_node node, std::vector<std::string>& names) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    names.emplace_back(child.name());
    element_names(child, names);
  }
}

std::string all_text(pugi::xml_node node) {
  std::string text;
  for (pugi::xml_node child : node.children()) {
    if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
      text += child.value();
    else
      text += all_text(child);
  }
  return text;
}

void expect_parses_as_xml(const std::string& output, pugi::xml_document& doc) {
  const pugi::xml_parse_result result = doc.load_string(
      output.c_str(), pugi::parse_default | pugi::parse_doctype | pugi::parse_ws_pcdata);
  ASSERT_TRUE(result) << result.description() << " at byte " << result.offset;
}

void expect_no_raw_markup(std::string_view output) {
  for (const std::string_view raw :
       {"<script>alert", "<script>steal", "<img", "</textarea>", "<b onmouseover", "<!-- comment",
        "<![CDATA[", "<?xml version=\"1.0\"?> "})
    EXPECT_EQ(output.find(raw), std::string_view::npos) << raw;
}

const std::vector<std::string> kHtmlElements = {
    "html", "head",    "meta",    "title", "style", "link", "script", "body",  "main",
    "div",  "header",  "h1",      "ul",    "li",    "span", "nav",    "h2",    "ol",
    "a",    "section", "article", "h3",    "p",     "mark", "h4",     "strong"};

void expect_html_safe(const std::string& html, bool email) {
  pugi::xml_document doc;
  expect_parses_as_xml(html, doc);
  expect_no_raw_markup(html);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("\x01"), std::string::npos);
  std::vector<std::string> names;
  element_names(doc, names);
  for (const std::string& name : names)
    EXPECT_NE(std::find(kHtmlElements.begin(), kHtmlElements.end(), name), kHtmlElements.end())
        << "unexpected element <" << name << ">";
  EXPECT_EQ(std::count(names.begin(), names.end(), "title"), 1);
  // Every link goes to arXiv, doi.org or an anchor of the page.
  for (const pugi::xpath_node& a : doc.select_nodes("//a")) {
    const std::string href = a.node().attribute("href").value();
    EXPECT_TRUE(href.rfind("https://arxiv.org/", 0) == 0 ||
                href.rfind("https://doi.org/", 0) == 0 || href.rfind("#", 0) == 0)
        << href;
  }
  // The text survives, sanitised: what the reader sees is the title as written.
  const std::string text = all_text(doc);
  EXPECT_NE(text.find(sanitize_text(kTitle)), std::string::npos);
  EXPECT_NE(text.find(sanitize_text(kAbstract)), std::string::npos);
  EXPECT_NE(text.find(kAuthor), std::string::npos);
  EXPECT_NE(text.find(kChinese), std::string::npos);
  EXPECT_NE(text.find(kTopic), std::string::npos);
  if (email) {
    EXPECT_EQ(html.find("<style"), std::string::npos);
  }
}

TEST(HostileInput, HtmlPage) { expect_html_safe(render_html(hostile_digest()), false); }

TEST(HostileInput, HtmlEmail) { expect_html_safe(render_html_email(hostile_digest()), true); }

// An attribute break-out in a title, through both default templates: the reader sees the title
// as written, inside the one link the template made.
TEST(HostileInput, AttributeBreakoutTitleStaysText) {
  Digest digest = testing::load_seed_digest();
  const std::string title = "\"><img src=x onerror=alert(1)> &amp; <script>alert(1)</script>";
  digest.papers[digest.topics[0].papers[0]].title = title;
  for (const bool email : {false, true}) {
    const std::string html = email ? render_html_email(digest) : render_html(digest);
    pugi::xml_document doc;
    expect_parses_as_xml(html, doc);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp;amp; "
                        "&lt;script&gt;alert(1)&lt;/script&gt;</a></h3>"),
              std::string::npos);
    EXPECT_EQ(all_text(doc.select_node("//h3/a").node()), title);
    EXPECT_TRUE(doc.select_nodes("//img").empty());
  }
}

TEST(HostileInput, HtmlPageWithHostileKatexBase) {
  HtmlOptions options;
  options.katex_base = "\"><script>alert(1)</script>";
  const std::string html = render_html(hostile_digest(), options);
  pugi::xml_document doc;
  expect_parses_as_xml(html, doc);
  expect_no_raw_markup(html);
  EXPECT_EQ(doc.select_nodes("//script").size(), 2u);  // KaTeX's two, nothing injected
}

void expect_atom_safe(const std::string& xml, bool whole) {
  pugi::xml_document doc;
  expect_parses_as_xml(xml, doc);
  expect_no_raw_markup(xml);
  EXPECT_EQ(xml.find("<script"), std::string::npos);
  std::vector<std::string> names;
  element_names(doc, names);
  for (const std::string& name : names)
    EXPECT_TRUE(name == "feed" || name == "id" || name == "title" || name == "subtitle" ||
                name == "updated" || name == "published" || name == "author" || name == "name" ||
                name == "generator" || name == "link" || name == "entry" || name == "category" ||
                name == "summary" || name == "content")
        << name;
  const pugi::xml_node entry = doc.child("feed").child("entry");
  const std::string title = entry.child_value("title");
  const pugi::xml_node hostile = whole ? doc.child("feed").find_child([](pugi::xml_node e) {
    return std::string_view(e.name()) == "entry" &&
           std::string_view(e.child_value("title")).find("alert(1)") != std::string_view::npos;
  })
                                       : entry;
  ASSERT_TRUE(hostile);
  EXPECT_EQ(std::string(hostile.child_value("title")), sanitize_text(kTitle));
  EXPECT_EQ(std::string(hostile.child_value("summary")), sanitize_text(kAbstract));
  EXPECT_EQ(std::string(hostile.child("author").child_value("name")), kAuthor);
  EXPECT_TRUE(hostile.find_child_by_attribute("category", "term", kCategory.c_str()));
  // content is HTML as text: once unescaped by the XML parser, it must still be escaped HTML.
  const std::string content = hostile.child_value("content");
  EXPECT_EQ(content.find("<script"), std::string::npos);
  EXPECT_NE(content.find("&lt;script&gt;"), std::string::npos);
  (void)title;
}

TEST(HostileInput, AtomFeeds) {
  const Digest digest = hostile_digest();
  expect_atom_safe(render_atom(digest), true);
  expect_atom_safe(render_atom_topic(digest, 0), false);
  pugi::xml_document doc;
  expect_parses_as_xml(render_atom_topic(digest, 0), doc);
  EXPECT_EQ(std::string(doc.child("feed").child_value("title")), "arXiv digest: " + kTopic);
}

TEST(HostileInput, JsonParsesAndRoundTrips) {
  const Digest digest = hostile_digest();
  const std::string json = render_json(digest);
  nlohmann::json parsed;
  ASSERT_NO_THROW(parsed = nlohmann::json::parse(json));
  EXPECT_EQ(parsed["topics"][0]["name"].get<std::string>(), kTopic);
  bool found = false;
  for (const auto& paper : parsed["papers"])
    if (paper["authors"][0].get<std::string>() == kAuthor) found = true;
  EXPECT_TRUE(found);
}

TEST(HostileInput, MarkdownEscapesMarkup) {
  const std::string md = render_markdown(hostile_digest());
  // Every '<' from arXiv text is backslash-escaped (GitHub then shows it as text), outside math.
  for (std::size_t pos = md.find('<'); pos != std::string::npos; pos = md.find('<', pos + 1)) {
    const bool escaped = pos > 0 && md[pos - 1] == '\\';
    const bool in_math = pos >= 2 && md.compare(pos - 2, 4, "$a<b") == 0;
    EXPECT_TRUE(escaped || in_math) << md.substr(pos > 40 ? pos - 40 : 0, 80);
  }
  EXPECT_NE(md.find("(https://doi.org/javascript:alert%281%29)"), std::string::npos);
  EXPECT_EQ(md.find("](javascript:"), std::string::npos);
}

TEST(HostileInput, TextKeepsTheCharactersAsWritten) {
  // Plain text has no markup to escape: the title is shown as written (a reader sees the tags).
  const std::string text = render_text(hostile_digest());
  EXPECT_NE(text.find("<script>alert(1)</script> &amp; \"quotes' ]]> </title>"), std::string::npos);
  EXPECT_EQ(text.find("](javascript:"), std::string::npos);
}

// Random bytes, biased towards markup and UTF-8 lead bytes (fixed seed: reproducible).
std::string random_text(std::mt19937& rng) {
  static constexpr std::string_view kPieces[] = {"<",
                                                 ">",
                                                 "&",
                                                 "\"",
                                                 "'",
                                                 "]]>",
                                                 "$",
                                                 "\\",
                                                 "<script>",
                                                 "&amp;",
                                                 "\xC3",
                                                 "\xA9",
                                                 "\xE4\xB8\xAD",
                                                 "\xF0\x9F",
                                                 "\xED\xA0\x80",
                                                 "\xFF",
                                                 "\x00",
                                                 "\x01",
                                                 "\x7F",
                                                 "\xC2\x85",
                                                 "\xEF\xBF\xBE",
                                                 " ",
                                                 "a",
                                                 "reinforcement learning"};
  std::uniform_int_distribution<std::size_t> length(0, 40);
  std::uniform_int_distribution<std::size_t> piece(0, std::size(kPieces) - 1);
  std::string text;
  for (std::size_t n = length(rng); n > 0; --n) text += kPieces[piece(rng)];
  return text;
}

TEST(HostileInput, RandomBytesNeverBreakTheMarkup) {
  std::mt19937 rng(20260618);
  Digest digest = testing::load_seed_digest();
  const std::size_t index = digest.topics[0].papers[0];
  for (int round = 0; round < 150; ++round) {
    Paper& paper = digest.papers[index];
    paper.title = random_text(rng);
    paper.abstract = random_text(rng);
    paper.authors = {random_text(rng)};
    digest.translations[index]->title = random_text(rng);
    digest.topics[0].topic.name = random_text(rng);
    digest.topics[0].reasons[0].spans = {
        {MatchField::kTitle, 0, paper.title.size() / 2, 0, 0},
        {MatchField::kAbstract, paper.abstract.size() / 3, paper.abstract.size(), 0, 0}};
    const std::string clean = sanitize_text(paper.title);
    ASSERT_TRUE(is_valid_utf8(clean));
    ASSERT_EQ(escape_html(paper.title).find_first_of("<>\"'"), std::string::npos);
    for (const std::string& html : {render_html(digest), render_html_email(digest)}) {
      pugi::xml_document doc;
      expect_parses_as_xml(html, doc);
      ASSERT_FALSE(HasFatalFailure()) << "round " << round;
      EXPECT_EQ(doc.select_nodes("//script").size(), 0u);
      EXPECT_EQ(all_text(doc.select_node("//h3/a").node()), clean) << "round " << round;
    }
    for (const std::string& atom : {render_atom(digest), render_atom_topic(digest, 0)}) {
      pugi::xml_document doc;
      expect_parses_as_xml(atom, doc);
      ASSERT_FALSE(HasFatalFailure()) << "round " << round;
    }
    pugi::xml_document topic_feed;
    expect_parses_as_xml(render_atom_topic(digest, 0), topic_feed);
    EXPECT_EQ(std::string(topic_feed.child("feed").child("entry").child_value("title")), clean);
    EXPECT_TRUE(nlohmann::json::accept(render_json(digest))) << "round " << round;
  }
}

}  // namespace
}  // namespace arxiv_digest
