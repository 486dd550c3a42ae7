// The HTML templates: the compiled-in defaults, a user's templates_dir, broken and refused
// templates, mustache's rules as this project applies them, and templates/README.md kept true.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "render/render_internal.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"
#include "render/template_builtin.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

using testing::load_seed_digest;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

const std::filesystem::path kTemplatesDir =
    std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "templates";

// A directory holding `page` as digest.html.mustache.
struct UserTemplates {
  explicit UserTemplates(std::string_view page) { write_file(dir / "digest.html.mustache", page); }
  HtmlOptions options() const {
    HtmlOptions options;
    options.templates_dir = dir.path();
    return options;
  }
  TempDir dir;
};

// The message of the ConfigError render_html throws for `page` as the user's page template.
std::string config_error(std::string_view page) {
  const UserTemplates user(page);
  try {
    static_cast<void>(render_html(load_seed_digest(false), user.options()));
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for " << page;
  return {};
}

TEST(HtmlTemplates, BuiltInTemplatesAreTheFilesOfTemplatesDir) {
  for (const std::string_view name : {render_detail::kPageTemplate, render_detail::kEmailTemplate})
    EXPECT_EQ(render_detail::builtin_template(name), read_file(kTemplatesDir / name)) << name;
  EXPECT_TRUE(render_detail::builtin_template("digest.txt.mustache").empty());
}

// The shipped files, used as a user's templates_dir, give the same bytes as the built-in ones.
TEST(HtmlTemplates, ShippedFilesAsUserTemplatesGiveTheSameOutput) {
  const Digest digest = load_seed_digest();
  HtmlOptions options;
  options.templates_dir = kTemplatesDir;
  EXPECT_EQ(render_html(digest, options), render_html(digest));
  EXPECT_EQ(render_html_email(digest, options), render_html_email(digest));
}

TEST(HtmlTemplates, UserTemplateOverridesThePage) {
  const UserTemplates user(
      "<h1>{{listing_date}}: {{relevant_count}}</h1>\n"
      "{{#topics}}\n"
      "<h2 id=\"{{anchor}}\">{{name}}</h2>\n"
      "{{#papers}}\n"
      "<p>{{id}} {{#title_parts}}{{#marked}}*{{text}}*{{/marked}}{{^marked}}{{text}}{{/marked}}"
      "{{/title_parts}}</p>\n"
      "{{/papers}}\n"
      "{{^papers}}\n"
      "<p>none</p>\n"
      "{{/papers}}\n"
      "{{/topics}}\n");
  Digest digest = load_seed_digest(false);
  digest.topics[0].papers.resize(2);
  digest.topics[0].reasons.resize(2);
  EXPECT_EQ(render_html(digest, user.options()),
            "<h1>2026-06-18: 30</h1>\n"
            "<h2 id=\"topic-reinforcement-learning\">reinforcement learning</h2>\n"
            "<p>2606.18284 Breaking the Solver Bottleneck: Training Task Generators at the "
            "Learnable Frontier</p>\n"
            "<p>2606.18327 Self-CTRL: Self-Consistency Training with *Reinforcement Learning*</p>\n"
            "<h2 id=\"topic-diffusion-policy\">diffusion policy</h2>\n"
            "<p>none</p>\n");
  // Only the page was overridden: the email is the built-in one.
  EXPECT_EQ(render_html_email(digest, user.options()), render_html_email(digest));
}

TEST(HtmlTemplates, UserEmailTemplateReachedThroughRender) {
  TempDir dir;
  write_file(dir / "digest.email.html.mustache", "<p>{{title}}</p>");
  RenderOptions options;
  options.html.templates_dir = dir.path();
  const Digest digest = load_seed_digest(false);
  EXPECT_EQ(render(digest, Format::kEmailHtml, options), "<p>arXiv digest for 2026-06-18</p>\n");
  EXPECT_EQ(render(digest, Format::kHtml, options), render_html(digest));
}

TEST(HtmlTemplates, EmptyTemplatesDirUsesTheBuiltInTemplates) {
  TempDir dir;
  HtmlOptions options;
  options.templates_dir = dir.path();
  const Digest digest = load_seed_digest(false);
  EXPECT_EQ(render_html(digest, options), render_html(digest));
  EXPECT_NO_THROW(check_html_templates(options));
}

TEST(HtmlTemplates, MissingTemplatesDirIsAConfigError) {
  TempDir dir;
  HtmlOptions options;
  options.templates_dir = dir / "no-such-dir";
  EXPECT_THROW(static_cast<void>(render_html(load_seed_digest(false), options)), ConfigError);
  EXPECT_THROW(check_html_templates(options), ConfigError);
}

TEST(HtmlTemplates, UnreadableTemplateIsAConfigErrorNamingIt) {
  TempDir dir;
  std::filesystem::create_directory(dir / "digest.html.mustache");
  HtmlOptions options;
  options.templates_dir = dir.path();
  try {
    static_cast<void>(render_html(load_seed_digest(false), options));
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find((dir / "digest.html.mustache").string()),
              std::string::npos)
        << error.what();
  }
}

TEST(HtmlTemplates, SyntaxErrorNamesFileLineAndColumn) {
  const UserTemplates user("<ul>\n{{#topics}}\n  <li>{{name}}</li>\n</ul>\n");
  try {
    static_cast<void>(render_html(load_seed_digest(false), user.options()));
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              (user.dir / "digest.html.mustache").string() + ":2:1: Unclosed section \"topics\"");
  }
  EXPECT_THROW(check_html_templates(user.options()), ConfigError);
}

// Positions count in the file as written, before standalone lines are taken out.
TEST(HtmlTemplates, ErrorPositionsAfterRemovedStandaloneLines) {
  EXPECT_NE(config_error("{{! a comment }}\n  {{#topics}}\n{{/topics}}\nx {{/papers}}\n")
                .find(":4:3: Unopened section \"papers\""),
            std::string::npos);
  EXPECT_NE(config_error("{{#topics}}\n{{name}}\n{{/topics}}\n<p>{{title</p>\n")
                .find(":4:4: Unclosed tag"),
            std::string::npos);
}

TEST(HtmlTemplates, UnescapedPartialAndDelimiterTagsAreRefused) {
  for (const std::string_view tag :
       {"{{{title}}}", "{{&title}}", "{{ & title }}", "{{>title}}", "{{=<% %>=}}"}) {
    const std::string message = config_error(std::string("<p>\n  x") + std::string(tag) + "</p>");
    EXPECT_NE(message.find("digest.html.mustache:2:4: "), std::string::npos) << message;
    EXPECT_NE(message.find("not supported"), std::string::npos) << message;
  }
}

TEST(HtmlTemplates, UnknownVariablesRenderEmpty) {
  const UserTemplates user(
      "<p>[{{no_such}}]{{#no_such}}x{{/no_such}}{{^no_such}}y{{/no_such}}"
      "{{#topics}}[{{no_such}}]{{/topics}}</p>\n");
  EXPECT_EQ(render_html(load_seed_digest(false), user.options()), "<p>[]y[][]</p>\n");
}

TEST(HtmlTemplates, StandaloneTagLinesLeaveNoLine) {
  Digest digest = load_seed_digest(false);
  const UserTemplates user(
      "a\n"
      "  {{! two\n lines }}  \n"
      "{{#categories}}\n"
      "C\n"
      "{{/categories}}\n"
      "\t{{#katex_base}}\n"
      "K\n"
      "{{/katex_base}}\n"
      "{{^katex_base}}\n"
      "no katex\n"
      "{{/katex_base}}\n"
      "b {{#has_topics}}T{{/has_topics}}\n"
      "\n"
      "c\r\n"
      "{{#has_topics}}\r\n"
      "d\r\n"
      "{{/has_topics}}");
  EXPECT_EQ(render_html(digest, user.options()), "a\nC\nno katex\nb T\n\nc\r\nd\n");
  digest.categories.clear();
  digest.topics.clear();
  EXPECT_EQ(render_html(digest, user.options()), "a\nno katex\nb \n\nc\n");
}

// The one difference from the spec, documented in templates/README.md: kainjow drops an empty
// line right after a standalone tag line of a section that rendered.
TEST(HtmlTemplates, EmptyLineAfterARenderedSectionTagIsDropped) {
  const UserTemplates user("a\n{{#has_topics}}\n\nb\n{{/has_topics}}\n\nc\n{{#no_such}}\n\n{{/no_such}}\n\nd");
  EXPECT_EQ(render_html(load_seed_digest(false), user.options()), "a\nb\nc\n\nd\n");
}

TEST(HtmlTemplates, OutputEndsWithOneNewline) {
  EXPECT_EQ(render_html(load_seed_digest(false), UserTemplates("{{listing_date}}").options()),
            "2026-06-18\n");
  EXPECT_EQ(render_html(load_seed_digest(false), UserTemplates("x\n\n\n").options()), "x\n");
}

// A user template printing every text variable: the hostile values come out escaped there too.
TEST(HtmlTemplates, UserTemplateEscapesEveryValue) {
  Digest digest = load_seed_digest();
  const std::string hostile = "<script>alert(1)</script> \"><img onerror=x> &amp; '";
  digest.topics[0].topic.name = hostile;
  digest.categories = {hostile};
  Paper& paper = digest.papers[digest.topics[0].papers[0]];
  paper.title = paper.abstract = paper.comments = paper.journal_ref = paper.doi = hostile;
  paper.authors = {hostile};
  digest.translations[digest.topics[0].papers[0]]->title = hostile;
  digest.translations[digest.topics[0].papers[0]]->abstract_failure = hostile;
  const UserTemplates user(
      "{{title}}{{categories}}{{katex_base}}{{#topics}}<h2 id='{{anchor}}' title=\"{{name}}\">"
      "{{#papers}}{{title}}{{#title_parts}}{{text}}{{/title_parts}}{{zh_title}}{{authors}}"
      "{{matched}}{{comments}}{{journal_ref}}{{#dois}}<a href=\"{{url}}\">{{doi}}</a>"
      "{{/dois}}{{abstract}}{{#abstract_parts}}{{text}}{{/abstract_parts}}"
      "{{zh_abstract_failure}}{{/papers}}</h2>{{/topics}}");
  HtmlOptions options = user.options();
  options.katex_base = hostile;
  const std::string html = render_html(digest, options);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  // The whole value, escaped, from categories, katex_base, the topic's name, and the paper's
  // title, Chinese title, authors, comments, journal ref, abstract and failure marker.
  EXPECT_GE(testing::count_of(html,
                              "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img "
                              "onerror=x&gt; &amp;amp; &#39;"),
            10u);
  // The only tags are the template's: one <h2> per topic, one <a> per DOI piece.
  EXPECT_EQ(testing::count_of(html, "<"), 2 * (2 + 5));
}

TEST(HtmlTemplates, ConcurrentRendersAgree) {
  const Digest digest = load_seed_digest();
  const std::string page = render_html(digest);
  const std::string email = render_html_email(digest);
  std::vector<std::future<bool>> renders;
  for (int i = 0; i < 4; ++i)
    renders.push_back(std::async(std::launch::async, [&] {
      return render_html(digest) == page && render_html_email(digest) == email;
    }));
  for (std::future<bool>& render : renders) EXPECT_TRUE(render.get());
}

// The names in templates/README.md's variable tables: the first cell of each row after
// "## Variables".
std::set<std::string> documented_variables() {
  const std::vector<std::string> lines =
      testing::split_lines(read_file(kTemplatesDir / "README.md"));
  std::set<std::string> names;
  bool in_variables = false;
  for (const std::string& line : lines) {
    if (line.rfind("## ", 0) == 0) in_variables = line == "## Variables";
    if (!in_variables || line.rfind("| `", 0) != 0) continue;
    const std::size_t end = line.find('`', 3);
    if (end != std::string::npos) names.insert(line.substr(3, end - 3));
  }
  return names;
}

// A digest that sets every optional variable somewhere.
Digest digest_with_everything() {
  Digest digest = load_seed_digest();
  const std::size_t first = digest.topics[0].papers[0];
  const std::size_t second = digest.topics[0].papers[1];
  digest.papers[first].comments = "12 pages";
  digest.papers[first].journal_ref = "J. Foo 1 (2026) 2";
  digest.papers[first].doi = "10.1000/a 10.1000/b";
  digest.translations[first]->title_failure = "timeout";
  digest.translations[second]->abstract_failure = "quota";
  return digest;
}

TEST(HtmlTemplates, ReadmeDocumentsExactlyTheViewsVariables) {
  const std::set<std::string> documented = documented_variables();
  ASSERT_GE(documented.size(), 40u);
  HtmlOptions options;
  options.katex_base = "katex";
  const std::set<std::string> page =
      render_detail::html_view_variables(digest_with_everything(), options, false);
  for (const std::string& name : page)
    EXPECT_TRUE(documented.count(name)) << name << " is not in templates/README.md";
  for (const std::string& name : documented)
    EXPECT_TRUE(page.count(name)) << name << " is documented but not in the view";
  // The email has the same variables but katex_base.
  std::set<std::string> email =
      render_detail::html_view_variables(digest_with_everything(), options, true);
  email.insert("katex_base");
  EXPECT_EQ(email, page);
}

}  // namespace
}  // namespace arxiv_digest
