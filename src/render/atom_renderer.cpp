// Atom 1.0 feeds (RFC 4287): the whole digest, or one topic. Layout:
//
//   <?xml version="1.0" encoding="utf-8"?>
//   <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
//     <id>tag:arxiv-digest,2026:digest</id>           -- or ...:topic:<slug>
//     <title>arXiv digest for 2026-06-18</title>      -- or "arXiv digest: <topic name>"
//     <subtitle>Relevant papers: 30 of 517 announced in cs.AI, cs.LG</subtitle>  -- or
//               "2026-06-18: 30 papers of 517 announced in cs.AI, cs.LG"
//     <updated>announced_at</updated>
//     <author><name>arxiv-digest</name></author>      -- covers entries without authors
//     <generator version="0.1.0">arxiv-digest</generator>
//     <link rel="self" type="application/atom+xml" href="<base_url>/<file>"/>  -- with a base URL
//     <entry>                                          -- per paper
//       <id>tag:arxiv-digest,2026:digest:2606.18284</id>
//       <title type="text">...</title>
//       <updated>announced_at</updated>
//       <published>submitted</published>             -- when known
//       <link rel="alternate" type="text/html" href="https://arxiv.org/abs/<id>"/>
//       <link rel="related" type="application/pdf" title="PDF" href="https://arxiv.org/pdf/<id>"/>
//       <author><name>...</name></author>            -- per author
//       <category term="cs.LG" scheme="http://arxiv.org/schemas/atom" label="Machine Learning"/>
//       <category term="<topic name>" scheme="tag:arxiv-digest,2026:topics"/>  -- whole digest
//       <summary type="text">abstract</summary>
//       <content type="html">Chinese title and abstract</content>  -- when translated
//     </entry>
//   </feed>
//
// Ids. Entry ids are tag URIs (RFC 4151) in this tool's namespace, keyed by the version-less
// arXiv id: the same paper gets the same id on every run and every day (a v2 announced later
// updates the entry instead of duplicating it), and nothing else mints ids there. The abs URL
// is not used as the id: the same paper is a different entry in each topic's feed (its own
// categories and highlights), and other feeds (arXiv's own, other tools) may use that URL for
// entries of theirs, which aggregators would then merge with ours. The date in the tag is a
// constant, never the digest's year, so ids do not change on January 1st.
//
// `updated` is announced_at (not generated_at): a re-run of one day renders the same bytes, and
// readers do not see every entry as changed.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/taxonomy.hpp"
#include "core/topic.hpp"
#include "render/render_internal.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest {

namespace {

constexpr std::string_view kAtomNamespace = "http://www.w3.org/2005/Atom";
constexpr std::string_view kIdPrefix = "tag:arxiv-digest,2026:";
constexpr std::string_view kArxivScheme = "http://arxiv.org/schemas/atom";
constexpr std::string_view kTopicScheme = "tag:arxiv-digest,2026:topics";

// The element's text, sanitised: pugixml escapes & < > (and " in attributes) on output, but
// writes any other byte as is, so what XML 1.0 cannot carry is replaced before.
void set_text(pugi::xml_node node, std::string_view text) {
  node.text().set(sanitize_text(text).c_str());
}

pugi::xml_node add_text(pugi::xml_node parent, const char* name, std::string_view text) {
  pugi::xml_node child = parent.append_child(name);
  set_text(child, text);
  return child;
}

void add_attribute(pugi::xml_node node, const char* name, std::string_view value) {
  node.append_attribute(name).set_value(sanitize_text(value).c_str());
}

void add_link(pugi::xml_node parent, std::string_view rel, std::string_view type,
              std::string_view href, std::string_view title = {}) {
  pugi::xml_node link = parent.append_child("link");
  add_attribute(link, "rel", rel);
  add_attribute(link, "type", type);
  if (!title.empty()) add_attribute(link, "title", title);
  add_attribute(link, "href", href);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string papers_count(std::size_t count) {
  return fmt::format("{} {}", count, count == 1 ? "paper" : "papers");
}

// The content of a translated entry, as HTML (type="html": pugixml escapes it once more).
std::string translation_html(const PaperTranslation& translation) {
  std::string html;
  if (!translation.title_failure.empty())
    html += fmt::format("<p lang=\"zh-CN\"><strong>{}</strong></p>",
                        escape_html(translation_failure_marker(translation.title_failure)));
  else if (!translation.title.empty())
    html +=
        fmt::format("<p lang=\"zh-CN\"><strong>{}</strong></p>", escape_html(translation.title));
  if (!translation.abstract_failure.empty())
    html += fmt::format("<p lang=\"zh-CN\">{}</p>",
                        escape_html(translation_failure_marker(translation.abstract_failure)));
  else if (!translation.abstract.empty())
    html += fmt::format("<p lang=\"zh-CN\">{}</p>", escape_html(translation.abstract));
  return html;
}

struct FeedHeader {
  std::string id;
  std::string title;
  std::string subtitle;
  std::string self_file;
};

pugi::xml_node begin_feed(pugi::xml_document& doc, const Digest& digest, const FeedHeader& header,
                          const AtomOptions& options) {
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version").set_value("1.0");
  declaration.append_attribute("encoding").set_value("utf-8");
  pugi::xml_node feed = doc.append_child("feed");
  add_attribute(feed, "xmlns", kAtomNamespace);
  add_attribute(feed, "xml:lang", "en");
  add_text(feed, "id", header.id);
  add_attribute(add_text(feed, "title", header.title), "type", "text");
  add_attribute(add_text(feed, "subtitle", header.subtitle), "type", "text");
  add_text(feed, "updated", render_detail::rfc3339_utc(digest.announced_at));
  add_text(feed.append_child("author"), "name", "arxiv-digest");
  pugi::xml_node generator = add_text(feed, "generator", "arxiv-digest");
  add_attribute(generator, "version",
                options.tool_version.empty() ? project_version() : options.tool_version);
  if (!options.base_url.empty()) {
    std::string_view base = options.base_url;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    add_link(feed, "self", "application/atom+xml",
             fmt::format("{}/{}", base,
                         options.self_file.empty() ? header.self_file : options.self_file));
  }
  return feed;
}

void add_entry(pugi::xml_node feed, const Digest& digest, std::size_t index,
               std::string_view id_scope, const std::vector<const Topic*>& topics) {
  const Paper& paper = digest.papers[index];
  pugi::xml_node entry = feed.append_child("entry");
  add_text(entry, "id", fmt::format("{}{}:{}", kIdPrefix, id_scope, paper.id.key()));
  add_attribute(add_text(entry, "title", paper.title), "type", "text");
  add_text(entry, "updated", render_detail::rfc3339_utc(digest.announced_at));
  if (paper.submitted) add_text(entry, "published", render_detail::rfc3339_utc(*paper.submitted));
  add_link(entry, "alternate", "text/html", abs_url(paper.id));
  add_link(entry, "related", "application/pdf", pdf_url(paper.id), "PDF");
  for (const std::string& author : paper.authors)
    add_text(entry.append_child("author"), "name", author);
  for (const std::string& code : render_detail::ordered_categories(paper)) {
    pugi::xml_node category = entry.append_child("category");
    add_attribute(category, "term", code);
    add_attribute(category, "scheme", kArxivScheme);
    if (const std::optional<CategoryInfo> info = find_category(code))
      add_attribute(category, "label", info->name);
  }
  for (const Topic* topic : topics) {
    pugi::xml_node category = entry.append_child("category");
    add_attribute(category, "term", topic->name);
    add_attribute(category, "scheme", kTopicScheme);
  }
  add_attribute(add_text(entry, "summary", paper.abstract), "type", "text");
  if (const PaperTranslation* translation = render_detail::translation_of(digest, index)) {
    const std::string html = translation_html(*translation);
    if (!html.empty()) add_attribute(add_text(entry, "content", html), "type", "html");
  }
}

std::string save(const pugi::xml_document& doc) {
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

void check_topic(const Digest& digest, std::size_t topic) {
  if (topic >= digest.topics.size())
    throw Error(fmt::format("Atom feed of topic {} asked for a digest of {} topics", topic,
                            digest.topics.size()));
}

}  // namespace

std::string atom_file_name(const Digest& digest) {
  return fmt::format("{}.atom", format_date(digest.listing_date));
}

std::string atom_topic_file_name(const Digest& digest, std::size_t topic) {
  check_topic(digest, topic);
  return fmt::format("{}.{}.atom", format_date(digest.listing_date),
                     topic_slug(digest.topics[topic].topic.name));
}

std::string render_atom(const Digest& digest, const AtomOptions& options) {
  render_detail::check_digest(digest);
  pugi::xml_document doc;
  const FeedHeader header{
      .id = fmt::format("{}digest", kIdPrefix),
      .title = fmt::format("arXiv digest for {}", format_date(digest.listing_date)),
      .subtitle = fmt::format("Relevant papers: {} of {} announced in {}", digest.papers.size(),
                              digest.announced_count, join(digest.categories, ", ")),
      .self_file = atom_file_name(digest),
  };
  pugi::xml_node feed = begin_feed(doc, digest, header, options);
  for (std::size_t index = 0; index < digest.papers.size(); ++index) {
    std::vector<const Topic*> topics;
    for (const TopicResult& result : digest.topics)
      if (std::find(result.papers.begin(), result.papers.end(), index) != result.papers.end())
        topics.push_back(&result.topic);
    add_entry(feed, digest, index, "digest", topics);
  }
  return save(doc);
}

std::string render_atom_topic(const Digest& digest, std::size_t topic, const AtomOptions& options) {
  render_detail::check_digest(digest);
  check_topic(digest, topic);
  const TopicResult& result = digest.topics[topic];
  const std::string scope = fmt::format("topic:{}", topic_slug(result.topic.name));
  pugi::xml_document doc;
  const FeedHeader header{
      .id = fmt::format("{}{}", kIdPrefix, scope),
      .title = fmt::format("arXiv digest: {}", result.topic.name),
      .subtitle = fmt::format("{}: {} of {} announced in {}", format_date(digest.listing_date),
                              papers_count(result.papers.size()), digest.announced_count,
                              join(digest.categories, ", ")),
      .self_file = atom_topic_file_name(digest, topic),
  };
  pugi::xml_node feed = begin_feed(doc, digest, header, options);
  for (const std::size_t index : result.papers) add_entry(feed, digest, index, scope, {});
  return save(doc);
}

}  // namespace arxiv_digest
