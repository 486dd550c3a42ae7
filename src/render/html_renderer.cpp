// HTML: a self-contained page (render_html) and its email variant (render_html_email). Layout:
//
//   <!DOCTYPE html> <html lang="en"> <head> charset, viewport, title, [<style>], [KaTeX] </head>
//   <body><main>
//     <header><h1>arXiv digest for 2026-06-18</h1>
//       <ul> Generated / Announced / Categories / Relevant papers </ul></header>
//     <nav><h2>Topics</h2><ol><li><a href="#topic-<slug>">name</a> (30 papers)</li>...</ol></nav>
//     <section id="topic-<slug>"><h2>name (30 papers)</h2>        -- per topic, config order
//       <p>There is no result</p>                                   -- when it selected nothing
//       <article id="topic-<slug>-<arXiv id>">                      -- per paper, topic order
//         <h3><a href="abs">Title, matched words in <mark></a></h3>
//         <p lang="zh-CN">中文标题</p>                                -- when translated
//         <ul> Authors / Subjects / Matched / Comments / Journal ref / DOI / Links (abs · PDF)
//         </ul> <h4>Abstract</h4><p>abstract, matched words in <mark></p> <h4
//         lang="zh-CN">中文摘要</h4><p lang="zh-CN">...</p>       -- when translated
//       </article>
//     </section>
//   </main></body></html>
//
// The page styles elements through class names and one inline <style> (max-width, system fonts,
// dark colours under prefers-color-scheme: dark); the email gives each element a style=""
// attribute instead, since mail clients drop <style> and scripts. TeX is left as written; the
// page adds KaTeX's auto-render only when HtmlOptions::katex_base is set. Every value from the
// digest, the options or arXiv goes through escape_html(); the markup around it is constant.
// The markup is written in code, not loaded from template files (issue 10 asks for templates the
// user can edit): kainjow mustache is not installed on the build machines yet, and escaping by
// one function here is easier to prove than per-template {{ }} vs {{{ }}} discipline. Moving the
// constant markup to data/templates/ (compiled in like data/prompts, overridable by a directory)
// is the follow-up; the hostile-input tests then apply to each template.
// The output is also well-formed XML (void elements closed with " />", attributes quoted, only
// XML's own entities), so tests parse it back with an XML parser.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.hpp"
#include "core/topic.hpp"
#include "render/render_internal.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest {

namespace {

// What an element looks like; the page names a class, the email inlines the declarations.
enum class Role {
  kMain,
  kH1,
  kMeta,
  kToc,
  kH2,
  kArticle,
  kH3,
  kTitleLink,
  kZhTitle,
  kDetails,
  kLabel,
  kH4,
  kParagraph,
  kMark,
  kLink,
  kEmpty,
  kFailure,
};

struct RoleStyle {
  std::string_view css_class;
  std::string_view inline_style;  // the email's declarations (light colours only)
};

RoleStyle style_of(Role role) {
  switch (role) {
    case Role::kMain:
      return {"digest",
              "max-width:46em;margin:0 auto;padding:0 12px;font-family:-apple-system,"
              "'Segoe UI',Roboto,'Noto Sans','PingFang SC','Microsoft YaHei',sans-serif;"
              "line-height:1.55;color:#1d1d1f;background:#ffffff"};
    case Role::kH1:
      return {"", "font-size:1.5em;margin:0.8em 0 0.4em"};
    case Role::kMeta:
      return {"meta", "padding-left:1.2em;color:#555555;font-size:0.95em"};
    case Role::kToc:
      return {"toc", "padding-left:1.4em"};
    case Role::kH2:
      return {"",
              "font-size:1.3em;margin:1.4em 0 0.5em;padding-bottom:0.2em;"
              "border-bottom:1px solid #dddddd"};
    case Role::kArticle:
      return {"paper", "margin:1em 0 1.6em;padding:0.2em 0 0.6em;border-bottom:1px solid #eeeeee"};
    case Role::kH3:
      return {"", "font-size:1.1em;margin:0.6em 0 0.3em"};
    case Role::kTitleLink:
      return {"", "color:#0b57d0;text-decoration:none"};
    case Role::kZhTitle:
      return {"zh-title", "font-weight:600;margin:0.2em 0 0.5em"};
    case Role::kDetails:
      return {"details", "padding-left:1.2em;margin:0.4em 0;font-size:0.95em"};
    case Role::kLabel:
      return {"label", "font-weight:600"};
    case Role::kH4:
      return {"", "font-size:1em;margin:0.8em 0 0.2em"};
    case Role::kParagraph:
      return {"", "margin:0.3em 0 0.6em"};
    case Role::kMark:
      return {"", "background:#fff1a8;color:inherit;padding:0 1px"};
    case Role::kLink:
      return {"", "color:#0b57d0"};
    case Role::kEmpty:
      return {"empty", "color:#777777;font-style:italic"};
    case Role::kFailure:
      return {"failure", "color:#b00020;font-weight:600"};
  }
  return {"", ""};
}

// The page's stylesheet: the classes above, plus dark mode.
constexpr std::string_view kStylesheet = R"(:root { color-scheme: light dark; }
body { margin: 0; background: #ffffff; color: #1d1d1f; }
.digest { max-width: 46em; margin: 0 auto; padding: 0 12px 2em; line-height: 1.55;
  font-family: -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
  overflow-wrap: anywhere; }
h1 { font-size: 1.5em; margin: 0.8em 0 0.4em; }
h2 { font-size: 1.3em; margin: 1.4em 0 0.5em; padding-bottom: 0.2em; border-bottom: 1px solid #dddddd; }
h3 { font-size: 1.1em; margin: 0.6em 0 0.3em; }
h4 { font-size: 1em; margin: 0.8em 0 0.2em; }
p { margin: 0.3em 0 0.6em; }
a { color: #0b57d0; }
h3 a { text-decoration: none; }
mark { background: #fff1a8; color: inherit; padding: 0 1px; }
.meta { padding-left: 1.2em; color: #555555; font-size: 0.95em; }
.toc { padding-left: 1.4em; }
.paper { margin: 1em 0 1.6em; padding-bottom: 0.6em; border-bottom: 1px solid #eeeeee; }
.zh-title { font-weight: 600; margin: 0.2em 0 0.5em; }
.details { padding-left: 1.2em; margin: 0.4em 0; font-size: 0.95em; }
.label { font-weight: 600; }
.empty { color: #777777; font-style: italic; }
.failure { color: #b00020; font-weight: 600; }
@media (prefers-color-scheme: dark) {
  body { background: #16181c; color: #e3e3e3; }
  h2 { border-bottom-color: #3a3d44; }
  .paper { border-bottom-color: #2a2d33; }
  .meta { color: #a8abb2; }
  .empty { color: #8d9099; }
  a { color: #8ab4f8; }
  mark { background: #5c4b00; }
  .failure { color: #ff8a80; }
}
)";

class HtmlWriter {
 public:
  HtmlWriter(const Digest& digest, bool email) : digest_(digest), email_(email) {}

  std::string page(const HtmlOptions& options) {
    render_detail::check_digest(digest_);
    const render_detail::HeaderTimes times = render_detail::header_times(digest_);
    const std::string title = fmt::format("arXiv digest for {}", format_date(digest_.listing_date));
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n";
    out_ += fmt::format("<title>{}</title>\n", escape_html(title));
    if (!email_) {
      out_ += fmt::format("<style>\n{}</style>\n", kStylesheet);
      if (!options.katex_base.empty()) katex(options.katex_base);
    }
    out_ +=
        email_ ? "</head>\n<body style=\"margin:0;background:#ffffff\">\n" : "</head>\n<body>\n";
    out_ += fmt::format("<{}{}>\n<{}>\n<h1{}>{}</h1>\n", tag("main"), attr(Role::kMain),
                        tag("header"), attr(Role::kH1), escape_html(title));
    out_ += fmt::format("<ul{}>\n", attr(Role::kMeta));
    meta_item("Generated", fmt::format("{} ({})", times.generated_local, times.generated_offset));
    meta_item("Announced",
              fmt::format("{} {} ({} {})", times.announced_et, times.announced_et_abbreviation,
                          times.announced_local, times.announced_offset));
    if (!digest_.categories.empty()) meta_item("Categories", join(digest_.categories, ", "));
    meta_item("Relevant papers",
              fmt::format("{} of {} announced", digest_.papers.size(), digest_.announced_count));
    out_ += fmt::format("</ul>\n</{}>\n", tag("header"));
    anchors_ = topic_anchors();
    if (!digest_.topics.empty()) toc();
    for (std::size_t topic = 0; topic < digest_.topics.size(); ++topic) section(topic);
    out_ += fmt::format("</{}>\n</body>\n</html>\n", tag("main"));
    return std::move(out_);
  }

 private:
  // The email uses <div> for HTML5's sectioning elements, which some mail clients drop.
  std::string_view tag(std::string_view name) const { return email_ ? "div" : name; }

  // ` class="..."` on the page, ` style="..."` in the email; empty when the role has none.
  std::string attr(Role role) const {
    const RoleStyle style = style_of(role);
    if (email_) return fmt::format(" style=\"{}\"", escape_html(style.inline_style));
    if (style.css_class.empty()) return {};
    return fmt::format(" class=\"{}\"", escape_html(style.css_class));
  }

  void katex(std::string_view base) {
    while (base.size() > 1 && base.back() == '/') base.remove_suffix(1);
    const std::string root = escape_html(base);
    out_ += fmt::format("<link rel=\"stylesheet\" href=\"{}/katex.min.css\" />\n", root);
    out_ += fmt::format("<script defer=\"\" src=\"{}/katex.min.js\"></script>\n", root);
    // Same delimiters as GitHub's Markdown math: $$...$$ display, $...$ inline.
    out_ += fmt::format(
        "<script defer=\"\" src=\"{}/contrib/auto-render.min.js\" onload=\"renderMathInElement("
        "document.body, {{delimiters: [{{left: &#39;$$&#39;, right: &#39;$$&#39;, display: true}}, "
        "{{left: &#39;$&#39;, right: &#39;$&#39;, display: false}}], throwOnError: false}})\">"
        "</script>\n",
        root);
  }

  static std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string joined;
    for (const std::string& item : items) {
      if (!joined.empty()) joined += separator;
      joined += item;
    }
    return joined;
  }

  static std::string papers_count(std::size_t count) {
    return fmt::format("{} {}", count, count == 1 ? "paper" : "papers");
  }

  void meta_item(std::string_view label, std::string_view value) {
    out_ += fmt::format("<li><span{}>{}:</span> {}</li>\n", attr(Role::kLabel), escape_html(label),
                        escape_html(value));
  }

  // "topic-<slug>", made unique with "-2", "-3", ... when two topics share a slug.
  std::vector<std::string> topic_anchors() const {
    std::vector<std::string> anchors;
    for (const TopicResult& result : digest_.topics) {
      const std::string base = "topic-" + topic_slug(result.topic.name);
      std::string anchor = base;
      for (int n = 2; std::find(anchors.begin(), anchors.end(), anchor) != anchors.end(); ++n)
        anchor = fmt::format("{}-{}", base, n);
      anchors.push_back(anchor);
    }
    return anchors;
  }

  void toc() {
    out_ += fmt::format("<{} aria-label=\"Topics\">\n<h2{}>Topics</h2>\n<ol{}>\n", tag("nav"),
                        attr(Role::kH2), attr(Role::kToc));
    for (std::size_t topic = 0; topic < digest_.topics.size(); ++topic) {
      const TopicResult& result = digest_.topics[topic];
      out_ += fmt::format("<li><a{} href=\"#{}\">{}</a> ({})</li>\n", attr(Role::kLink),
                          escape_html(anchors_[topic]), escape_html(result.topic.name),
                          papers_count(result.papers.size()));
    }
    out_ += fmt::format("</ol>\n</{}>\n", tag("nav"));
  }

  void section(std::size_t topic) {
    const TopicResult& result = digest_.topics[topic];
    out_ += fmt::format("<{} id=\"{}\">\n<h2{}>{} ({})</h2>\n", tag("section"),
                        escape_html(anchors_[topic]), attr(Role::kH2),
                        escape_html(result.topic.name), papers_count(result.papers.size()));
    if (result.papers.empty())
      out_ += fmt::format("<p{}>There is no result</p>\n", attr(Role::kEmpty));
    for (std::size_t position = 0; position < result.papers.size(); ++position)
      paper(topic, result.papers[position], render_detail::reason_of(result, position));
    out_ += fmt::format("</{}>\n", tag("section"));
  }

  // `text` escaped, with the ranges `reason` found in `field` in <mark> (never inside math).
  std::string highlighted(std::string_view text, const MatchReason* reason,
                          MatchField field) const {
    const render_detail::Ranges marks = render_detail::snap_to_characters(
        text, render_detail::visible_highlights(
                  text, render_detail::highlights_in(reason, field, text.size())));
    std::string html;
    std::size_t at = 0;
    for (const auto& [begin, end] : marks) {
      html += escape_html(text.substr(at, begin - at));
      html += fmt::format("<mark{}>{}</mark>", attr(Role::kMark),
                          escape_html(text.substr(begin, end - begin)));
      at = end;
    }
    html += escape_html(text.substr(at));
    return html;
  }

  void detail(std::string_view label, std::string_view html_value) {
    out_ += fmt::format("<li><span{}>{}:</span> {}</li>\n", attr(Role::kLabel), escape_html(label),
                        html_value);
  }

  std::string link(std::string_view href, std::string_view text) const {
    return fmt::format("<a{} href=\"{}\">{}</a>", attr(Role::kLink), escape_html(href),
                       escape_html(text));
  }

  std::string failure(std::string_view reason) const {
    return fmt::format("<span{}>{}</span>", attr(Role::kFailure),
                       escape_html(translation_failure_marker(reason)));
  }

  void paper(std::size_t topic, std::size_t index, const MatchReason* reason) {
    const Paper& paper = digest_.papers[index];
    const PaperTranslation* translation = render_detail::translation_of(digest_, index);
    out_ += fmt::format("<{}{} id=\"{}-{}\">\n", tag("article"), attr(Role::kArticle),
                        escape_html(anchors_[topic]), escape_html(paper.id.key()));
    out_ += fmt::format("<h3{}><a{} href=\"{}\">{}</a></h3>\n", attr(Role::kH3),
                        attr(Role::kTitleLink), escape_html(abs_url(paper.id)),
                        highlighted(paper.title, reason, MatchField::kTitle));
    if (translation != nullptr) {
      if (!translation->title_failure.empty())
        out_ +=
            fmt::format("<p{}>{}</p>\n", attr(Role::kZhTitle), failure(translation->title_failure));
      else if (!translation->title.empty())
        out_ += fmt::format("<p{} lang=\"zh-CN\">{}</p>\n", attr(Role::kZhTitle),
                            escape_html(translation->title));
    }
    out_ += fmt::format("<ul{}>\n", attr(Role::kDetails));
    detail("Authors", escape_html(join(paper.authors, ", ")));
    detail("Subjects", escape_html(render_detail::subjects_line(paper)));
    if (reason != nullptr) {
      const std::string why = render_detail::describe_reason(digest_.topics[topic].topic, *reason);
      if (!why.empty()) detail("Matched", escape_html(why));
    }
    if (!paper.comments.empty()) detail("Comments", escape_html(paper.comments));
    if (!paper.journal_ref.empty()) detail("Journal ref", escape_html(paper.journal_ref));
    if (!paper.doi.empty()) {
      // Several DOIs may be listed, separated by spaces: one link each, always under doi.org.
      std::string links;
      std::size_t i = 0;
      const std::string_view dois = paper.doi;
      while (i < dois.size()) {
        while (i < dois.size() && dois[i] == ' ') ++i;
        const std::size_t begin = i;
        while (i < dois.size() && dois[i] != ' ') ++i;
        if (i == begin) break;
        const std::string_view doi = dois.substr(begin, i - begin);
        if (!links.empty()) links += " · ";
        links += link(fmt::format("https://doi.org/{}", doi), doi);
      }
      detail("DOI", links);
    }
    detail("Links", fmt::format("{} · {}", link(abs_url(paper.id), "arXiv:" + paper.id.key()),
                                link(pdf_url(paper.id), "PDF")));
    out_ += "</ul>\n";
    out_ +=
        fmt::format("<h4{}>Abstract</h4>\n<p{}>{}</p>\n", attr(Role::kH4), attr(Role::kParagraph),
                    highlighted(paper.abstract, reason, MatchField::kAbstract));
    if (translation != nullptr &&
        (!translation->abstract.empty() || !translation->abstract_failure.empty())) {
      out_ += fmt::format("<h4{} lang=\"zh-CN\">中文摘要</h4>\n", attr(Role::kH4));
      out_ += fmt::format("<p{} lang=\"zh-CN\">{}</p>\n", attr(Role::kParagraph),
                          translation->abstract_failure.empty()
                              ? escape_html(translation->abstract)
                              : failure(translation->abstract_failure));
    }
    out_ += fmt::format("</{}>\n", tag("article"));
  }

  const Digest& digest_;
  bool email_;
  std::vector<std::string> anchors_;
  std::string out_;
};

}  // namespace

std::string render_html(const Digest& digest, const HtmlOptions& options) {
  return HtmlWriter(digest, /*email=*/false).page(options);
}

std::string render_html_email(const Digest& digest) {
  return HtmlWriter(digest, /*email=*/true).page(HtmlOptions{});
}

}  // namespace arxiv_digest
