// HTML: a self-contained page (render_html) and its email variant (render_html_email), each a
// mustache template filled in from a view of the Digest. The templates live in templates/
// (digest.html.mustache, digest.email.html.mustache), are compiled in, and can be replaced by
// files of the same name in HtmlOptions::templates_dir; templates/README.md documents every
// variable of the view built here.
//
// The view holds plain text only; the template engine escapes every value with escape_html()
// (see template_engine.hpp, which also refuses the tags that would not). The words a topic's
// query found are passed as text pieces flagged `marked`, not as markup, so the templates decide
// how to show them (<mark>, with a class or an inline style) without any variable carrying HTML.
// Pieces are cut at character boundaries (snap_to_characters), so escaping them one by one gives
// the same bytes as escaping the whole text.
//
// The default templates write well-formed XML (void elements closed with " />", attributes
// quoted, only XML's own entities), so tests parse the output back with an XML parser.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/calendar.hpp"
#include "core/topic.hpp"
#include "render/render_internal.hpp"
#include "render/renderer.hpp"
#include "render/template_builtin.hpp"
#include "render/template_engine.hpp"

namespace arxiv_digest {

namespace {

namespace mustache = kainjow::mustache;

// Builds the view of templates/README.md. When `names` is given, it also records the dotted
// path of every variable it sets ("topics.papers.title"), for the test that keeps the README
// true.
class ViewBuilder {
 public:
  ViewBuilder(const Digest& digest, bool email, std::set<std::string>* names)
      : digest_(digest), email_(email), names_(names) {}

  mustache::data build(const HtmlOptions& options) {
    const render_detail::HeaderTimes times = render_detail::header_times(digest_);
    mustache::data root;
    put(root, "", "title", fmt::format("arXiv digest for {}", format_date(digest_.listing_date)));
    put(root, "", "listing_date", format_date(digest_.listing_date));
    put(root, "", "generated",
        fmt::format("{} ({})", times.generated_local, times.generated_offset));
    put(root, "", "generated_local", times.generated_local);
    put(root, "", "generated_offset", times.generated_offset);
    put(root, "", "announced",
        fmt::format("{} {} ({} {})", times.announced_et, times.announced_et_abbreviation,
                    times.announced_local, times.announced_offset));
    put(root, "", "announced_et", times.announced_et);
    put(root, "", "announced_et_zone", times.announced_et_abbreviation);
    put(root, "", "announced_local", times.announced_local);
    put(root, "", "announced_offset", times.announced_offset);
    if (!digest_.categories.empty()) put(root, "", "categories", join(digest_.categories, ", "));
    put(root, "", "relevant_count", std::to_string(digest_.papers.size()));
    put(root, "", "announced_count", std::to_string(digest_.announced_count));
    // KaTeX is the page's only script; the email never loads it.
    std::string_view katex = email_ ? std::string_view{} : std::string_view{options.katex_base};
    while (katex.size() > 1 && katex.back() == '/') katex.remove_suffix(1);
    if (!katex.empty()) put(root, "", "katex_base", std::string(katex));
    put(root, "", "has_topics", !digest_.topics.empty());
    const std::vector<std::string> anchors = topic_anchors();
    mustache::data topics{mustache::data::type::list};
    for (std::size_t topic = 0; topic < digest_.topics.size(); ++topic)
      topics.push_back(topic_view(topic, anchors[topic]));
    put(root, "", "topics", std::move(topics));
    return root;
  }

 private:
  // Sets object[name]; `path` is the object's own dotted path ("" for the root).
  void put(mustache::data& object, std::string_view path, std::string_view name,
           mustache::data value) const {
    if (names_ != nullptr)
      names_->insert(path.empty() ? std::string(name) : fmt::format("{}.{}", path, name));
    object[std::string(name)] = std::move(value);
  }
  void put(mustache::data& object, std::string_view path, std::string_view name,
           const std::string& value) const {
    put(object, path, name, mustache::data(value));
  }
  void put(mustache::data& object, std::string_view path, std::string_view name,
           const char* value) const = delete;  // would otherwise pick the bool overload
  void put(mustache::data& object, std::string_view path, std::string_view name, bool value) const {
    put(object, path, name, mustache::data(value));
  }

  static std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string joined;
    for (const std::string& item : items) {
      if (!joined.empty()) joined += separator;
      joined += item;
    }
    return joined;
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

  mustache::data topic_view(std::size_t topic, const std::string& anchor) const {
    static constexpr std::string_view kPath = "topics";
    const TopicResult& result = digest_.topics[topic];
    const std::size_t count = result.papers.size();
    mustache::data view;
    put(view, kPath, "name", result.topic.name);
    put(view, kPath, "anchor", anchor);
    put(view, kPath, "paper_count", std::to_string(count));
    put(view, kPath, "papers_label", fmt::format("{} {}", count, count == 1 ? "paper" : "papers"));
    mustache::data papers{mustache::data::type::list};
    for (std::size_t position = 0; position < count; ++position)
      papers.push_back(paper_view(topic, anchor, result.papers[position],
                                  render_detail::reason_of(result, position)));
    put(view, kPath, "papers", std::move(papers));
    return view;
  }

  // `text` as pieces {text, marked}: the ranges `reason` found in `field` are marked, never
  // inside TeX math; empty unmarked pieces are left out.
  mustache::data pieces(std::string_view path, std::string_view text, const MatchReason* reason,
                        MatchField field) const {
    const render_detail::Ranges marks = render_detail::snap_to_characters(
        text, render_detail::visible_highlights(
                  text, render_detail::highlights_in(reason, field, text.size())));
    mustache::data list{mustache::data::type::list};
    const auto piece = [&](std::size_t begin, std::size_t end, bool marked) {
      mustache::data view;
      put(view, path, "text", std::string(text.substr(begin, end - begin)));
      put(view, path, "marked", marked);
      list.push_back(view);
    };
    std::size_t at = 0;
    for (const auto& [begin, end] : marks) {
      if (begin > at) piece(at, begin, false);
      piece(begin, end, true);
      at = end;
    }
    if (at < text.size()) piece(at, text.size(), false);
    return list;
  }

  mustache::data paper_view(std::size_t topic, const std::string& topic_anchor, std::size_t index,
                            const MatchReason* reason) const {
    static constexpr std::string_view kPath = "topics.papers";
    const Paper& paper = digest_.papers[index];
    const PaperTranslation* translation = render_detail::translation_of(digest_, index);
    mustache::data view;
    put(view, kPath, "id", paper.id.key());
    put(view, kPath, "anchor", fmt::format("{}-{}", topic_anchor, paper.id.key()));
    put(view, kPath, "abs_url", abs_url(paper.id));
    put(view, kPath, "pdf_url", pdf_url(paper.id));
    put(view, kPath, "title", paper.title);
    put(view, kPath, "title_parts",
        pieces("topics.papers.title_parts", paper.title, reason, MatchField::kTitle));
    if (translation != nullptr) {
      if (!translation->title_failure.empty())
        put(view, kPath, "zh_title_failure",
            translation_failure_marker(translation->title_failure));
      else if (!translation->title.empty())
        put(view, kPath, "zh_title", translation->title);
    }
    put(view, kPath, "authors", join(paper.authors, ", "));
    put(view, kPath, "subjects", render_detail::subjects_line(paper));
    if (reason != nullptr) {
      const std::string why = render_detail::describe_reason(digest_.topics[topic].topic, *reason);
      if (!why.empty()) put(view, kPath, "matched", why);
    }
    if (!paper.comments.empty()) put(view, kPath, "comments", paper.comments);
    if (!paper.journal_ref.empty()) put(view, kPath, "journal_ref", paper.journal_ref);
    // Several DOIs may be listed, separated by spaces: one link each, always under doi.org.
    mustache::data dois{mustache::data::type::list};
    bool first = true;
    std::size_t i = 0;
    const std::string_view all_dois = paper.doi;
    while (i < all_dois.size()) {
      while (i < all_dois.size() && all_dois[i] == ' ') ++i;
      const std::size_t begin = i;
      while (i < all_dois.size() && all_dois[i] != ' ') ++i;
      if (i == begin) break;
      const std::string_view doi = all_dois.substr(begin, i - begin);
      mustache::data entry;
      put(entry, "topics.papers.dois", "doi", std::string(doi));
      put(entry, "topics.papers.dois", "url", fmt::format("https://doi.org/{}", doi));
      put(entry, "topics.papers.dois", "first", first);
      dois.push_back(entry);
      first = false;
    }
    put(view, kPath, "has_dois", !dois.is_empty_list());
    put(view, kPath, "dois", std::move(dois));
    put(view, kPath, "abstract", paper.abstract);
    put(view, kPath, "abstract_parts",
        pieces("topics.papers.abstract_parts", paper.abstract, reason, MatchField::kAbstract));
    const bool zh_abstract = translation != nullptr && (!translation->abstract.empty() ||
                                                        !translation->abstract_failure.empty());
    put(view, kPath, "has_zh_abstract", zh_abstract);
    if (zh_abstract) {
      if (!translation->abstract_failure.empty())
        put(view, kPath, "zh_abstract_failure",
            translation_failure_marker(translation->abstract_failure));
      else
        put(view, kPath, "zh_abstract", translation->abstract);
    }
    return view;
  }

  const Digest& digest_;
  bool email_;
  std::set<std::string>* names_;
};

std::string render_page(const Digest& digest, const HtmlOptions& options, bool email) {
  render_detail::check_digest(digest);
  const std::string_view name =
      email ? render_detail::kEmailTemplate : render_detail::kPageTemplate;
  const render_detail::TemplateText text =
      render_detail::load_template(options.templates_dir, name);
  render_detail::MustacheTemplate page(text.text, text.source);
  std::string html = page.render(ViewBuilder(digest, email, nullptr).build(options));
  // renderer.hpp promises exactly one final newline, whatever a user's template ends with.
  while (!html.empty() && (html.back() == '\n' || html.back() == '\r')) html.pop_back();
  html += '\n';
  return html;
}

}  // namespace

std::string render_html(const Digest& digest, const HtmlOptions& options) {
  return render_page(digest, options, /*email=*/false);
}

std::string render_html_email(const Digest& digest) {
  return render_page(digest, HtmlOptions{}, /*email=*/true);
}

std::string render_html_email(const Digest& digest, const HtmlOptions& options) {
  return render_page(digest, options, /*email=*/true);
}

void check_html_templates(const HtmlOptions& options) {
  for (const std::string_view name :
       {render_detail::kPageTemplate, render_detail::kEmailTemplate}) {
    const render_detail::TemplateText text =
        render_detail::load_template(options.templates_dir, name);
    render_detail::MustacheTemplate parsed(text.text, text.source);
  }
}

namespace render_detail {

std::set<std::string> html_view_variables(const Digest& digest, const HtmlOptions& options,
                                          bool email) {
  check_digest(digest);
  std::set<std::string> names;
  static_cast<void>(ViewBuilder(digest, email, &names).build(options));
  return names;
}

}  // namespace render_detail

}  // namespace arxiv_digest
