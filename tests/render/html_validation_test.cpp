// The HTML page and its email variant are valid HTML5 by HTML Tidy's checker (`tidy -q -e`), on
// the real reference digest (30 papers, Chinese translations, TeX in abstracts) and on hostile
// text. Tidy is installed by scripts/setup; a machine without it fails here rather than passing
// quietly.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "render/renderer.hpp"
#include "render/seed_digest.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

// A KaTeX location that must be escaped in the page's attributes.
HtmlOptions hostile_katex() { return HtmlOptions{.katex_base = "ka&te'x", .templates_dir = {}}; }

namespace fs = std::filesystem;

constexpr const char* kTidy = "/usr/bin/tidy";

// Tidy's warnings judged harmless, as substrings of its message; every other warning, and every
// error, fails the test. None are needed today: the renderer's output is clean. A warning added
// here must say why it is harmless.
const std::vector<std::string_view> kAllowedWarnings = {};

struct TidyReport {
  int exit_code = -1;                 // 0 clean, 1 warnings, 2 errors
  std::vector<std::string> problems;  // "line L column C - Warning|Error: ...", not allowed ones
};

TidyReport tidy(const std::string& html) {
  testing::TempDir dir;
  const fs::path file = dir / "page.html";
  testing::write_file(file, html);
  // -e: report only; --doctype html5: judge as HTML5 whatever the page declares; gnu-emacs
  // messages carry the file name, so the report names the line.
  const testing::ProcessResult result = testing::run_process(
      kTidy, {"-q", "-e", "--doctype", "html5", "--show-warnings", "yes", file.string()});
  TidyReport report{result.exit_code, {}};
  for (const std::string& line : testing::split_lines(result.err)) {
    if (line.empty()) continue;
    const bool allowed = line.find("Warning:") != std::string::npos &&
                         std::any_of(kAllowedWarnings.begin(), kAllowedWarnings.end(),
                                     [&](std::string_view warning) {
                                       return line.find(warning) != std::string::npos;
                                     });
    if (!allowed) report.problems.push_back(line);
  }
  return report;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

class HtmlValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kTidy)) << kTidy << " is missing: run scripts/setup (it installs tidy)";
  }
};

TEST_F(HtmlValidation, ThePageWithoutKatexIsValidHtml5) {
  const Digest digest = testing::load_seed_digest();
  const std::string html = render_html(digest);
  ASSERT_EQ(testing::count_of(html, "<article"), 30u);
  const TidyReport report = tidy(html);
  EXPECT_TRUE(report.problems.empty()) << joined(report.problems);
  EXPECT_LE(report.exit_code, kAllowedWarnings.empty() ? 0 : 1);
}

TEST_F(HtmlValidation, ThePageWithKatexIsValidHtml5) {
  const Digest digest = testing::load_seed_digest();
  const std::string html =
      render_html(digest, HtmlOptions{.katex_base = "katex", .templates_dir = {}});
  ASSERT_NE(html.find("katex/contrib/auto-render.min.js"), std::string::npos);
  const TidyReport report = tidy(html);
  EXPECT_TRUE(report.problems.empty()) << joined(report.problems);
  EXPECT_LE(report.exit_code, kAllowedWarnings.empty() ? 0 : 1);
}

TEST_F(HtmlValidation, TheEmailIsValidHtml5) {
  const Digest digest = testing::load_seed_digest();
  const std::string html = render_html_email(digest);
  ASSERT_GT(testing::count_of(html, "lang=\"zh-CN\""), 30u);  // translated titles and abstracts
  const TidyReport report = tidy(html);
  EXPECT_TRUE(report.problems.empty()) << joined(report.problems);
  EXPECT_LE(report.exit_code, kAllowedWarnings.empty() ? 0 : 1);
}

TEST_F(HtmlValidation, HostileTextStaysValid) {
  Digest digest = testing::load_seed_digest();
  ASSERT_FALSE(digest.papers.empty());
  Paper& paper = digest.papers[digest.topics[0].papers[0]];
  paper.title = "</title><script>alert('x')</script> & \"quotes\" <b>bold";
  paper.abstract = "If $a<b$ then </p></article><!-- x --> & &amp; \x01 \xff end";
  paper.authors = {"A <B> \"C\"", "D' & E"};
  digest.topics[0].topic.name = "<i>topic</i> \"one\"";
  for (const std::string& html :
       {render_html(digest), render_html(digest, hostile_katex()), render_html_email(digest)}) {
    const TidyReport report = tidy(html);
    EXPECT_TRUE(report.problems.empty()) << joined(report.problems);
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  }
  EXPECT_NE(render_html(digest, hostile_katex()).find("href=\"ka&amp;te&#39;x/katex.min.css\""),
            std::string::npos);
}

// The check itself: a page with a real defect is reported, so the tests above can fail.
TEST_F(HtmlValidation, TidyReportsADefectivePage) {
  const Digest digest = testing::load_seed_digest();
  std::string html = render_html(digest);
  const std::size_t end = html.find("</section>");
  ASSERT_NE(end, std::string::npos);
  html.replace(end, std::string_view("</section>").size(), "</div>");  // a stray end tag
  const TidyReport report = tidy(html);
  EXPECT_FALSE(report.problems.empty());
  EXPECT_GE(report.exit_code, 1);
}

}  // namespace
}  // namespace arxiv_digest
