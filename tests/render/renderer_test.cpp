#include "render/renderer.hpp"

#include <gtest/gtest.h>

#include "render/seed_digest.hpp"

namespace arxiv_digest {
namespace {

TEST(Format, NamesRoundTrip) {
  for (const Format format :
       {Format::kText, Format::kMarkdown, Format::kJson, Format::kHtml, Format::kAtom,
        Format::kEmailHtml}) {
    EXPECT_EQ(format_from_string(to_string(format)), format);
    EXPECT_EQ(format_from_extension(file_extension(format)), format);
  }
  EXPECT_EQ(to_string(Format::kText), "text");
  EXPECT_EQ(to_string(Format::kMarkdown), "markdown");
  EXPECT_EQ(to_string(Format::kJson), "json");
  EXPECT_EQ(file_extension(Format::kText), "txt");
  EXPECT_EQ(file_extension(Format::kMarkdown), "md");
  EXPECT_EQ(file_extension(Format::kJson), "json");
  EXPECT_EQ(to_string(Format::kHtml), "html");
  EXPECT_EQ(to_string(Format::kAtom), "atom");
  EXPECT_EQ(file_extension(Format::kHtml), "html");
  EXPECT_EQ(file_extension(Format::kAtom), "atom");
  EXPECT_EQ(to_string(Format::kEmailHtml), "email-html");
  EXPECT_EQ(file_extension(Format::kEmailHtml), "email.html");
}

TEST(Format, AliasesAndCase) {
  EXPECT_EQ(format_from_string("md"), Format::kMarkdown);
  EXPECT_EQ(format_from_string("JSON"), Format::kJson);
  EXPECT_EQ(format_from_string("Text"), Format::kText);
  EXPECT_EQ(format_from_string("HTML"), Format::kHtml);
  EXPECT_EQ(format_from_string("atom"), Format::kAtom);
  EXPECT_EQ(format_from_string("rss"), std::nullopt);
  EXPECT_EQ(format_from_string("xml"), std::nullopt);
  EXPECT_EQ(format_from_string(""), std::nullopt);
  EXPECT_EQ(format_from_string("txt"), std::nullopt);  // an extension, not a format name
  EXPECT_EQ(format_from_extension(".md"), Format::kMarkdown);
  EXPECT_EQ(format_from_extension("TXT"), Format::kText);
  EXPECT_EQ(format_from_extension("markdown"), Format::kMarkdown);
  EXPECT_EQ(format_from_extension(".html"), Format::kHtml);
  EXPECT_EQ(format_from_extension("htm"), Format::kHtml);
  EXPECT_EQ(format_from_extension(".atom"), Format::kAtom);
  EXPECT_EQ(format_from_extension(".xml"), std::nullopt);
  EXPECT_EQ(format_from_extension("."), std::nullopt);
}

TEST(Render, DispatchesToEachRenderer) {
  const Digest digest = testing::load_seed_digest();
  RenderOptions options;
  options.tool_version = "9.9.9";
  EXPECT_EQ(render(digest, Format::kText, options), render_text(digest));
  EXPECT_EQ(render(digest, Format::kMarkdown, options), render_markdown(digest));
  EXPECT_EQ(render(digest, Format::kJson, options), render_json(digest, options));
  EXPECT_EQ(render(digest, Format::kHtml, options), render_html(digest));
  AtomOptions atom;
  atom.tool_version = "9.9.9";
  EXPECT_EQ(render(digest, Format::kAtom, options), render_atom(digest, atom));
  EXPECT_EQ(render(digest, Format::kEmailHtml, options), render_html_email(digest));
}

TEST(Render, Urls) {
  EXPECT_EQ(abs_url(ArxivId::parse("2606.18284v2")), "https://arxiv.org/abs/2606.18284");
  EXPECT_EQ(pdf_url(ArxivId::parse("2606.18284v2")), "https://arxiv.org/pdf/2606.18284");
  EXPECT_EQ(abs_url(ArxivId::parse("math.GT/0309136v1")), "https://arxiv.org/abs/math.GT/0309136");
}

}  // namespace
}  // namespace arxiv_digest
