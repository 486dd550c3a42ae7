// parse_rss: arXiv's RSS 2.0 feed (rss.arxiv.org, re-implemented January 2024).
//
// Item fields (arxiv-docs help/rss_specifications.md; arXiv/arxiv-feed serializers):
//   <title>                          title (whitespace-normalised, TeX verbatim)
//   <guid>oai:arXiv.org:IDvN</guid>  id with version (preferred); fallbacks: the "arXiv:IDvN"
//                                    head of <description>, then <link>.../abs/ID</link>
//   <description>                    "arXiv:IDvN Announce Type: T \nAbstract: ..." -> abstract
//   <arxiv:announce_type>            new | cross | replace | replace-cross (else the
//                                    "Announce Type:" in <description>; kNew when neither)
//   <category>                       one per class, primary first
//   <dc:creator>                     "A, B (affiliation, ...), and C" -> authors
//   <dc:rights>, <arxiv:DOI>, <arxiv:journal_reference>
// The item <pubDate> is the announcement date, not a submission date, so Paper::submitted /
// updated stay empty. Channel <pubDate> ("Thu, 18 Jun 2026 00:00:00 -0400") gives the listing
// date as written (the ET date). An unknown announce type is a ParseError (the format changed:
// better to stop than to misfile papers).
#include <fmt/format.h>

#include "core/arxiv_id.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "sources/parse_util.hpp"
#include "sources/parsed_source.hpp"
#include "sources/xml_util.hpp"

namespace arxiv_digest {
namespace {

using parse_detail::child;
using parse_detail::error_at;
using parse_detail::excerpt;
using parse_detail::is_element;
using parse_detail::kArxivNs;
using parse_detail::kDcNs;
using parse_detail::kNoNamespace;
using parse_detail::offset_of;
using parse_detail::text_of;
using parse_detail::trim;

constexpr std::string_view kWhat = "RSS feed";

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         ascii_lower(text.substr(0, prefix.size())) == ascii_lower(prefix);
}

class RssParser {
 public:
  RssParser(std::string_view body, std::string_view source) : body_(body), source_(source) {}

  ParsedListing parse() {
    pugi::xml_document doc;
    parse_detail::load_xml_document(doc, body_, source_, kWhat, "an RSS feed");
    pugi::xml_node root = doc.document_element();
    if (!is_element(root, kNoNamespace, "rss")) {
      throw error_at(source_, body_, offset_of(root), root.name(),
                     fmt::format("expected an RSS 2.0 feed (<rss>) but the root element is <{}>",
                                 root.name()));
    }
    pugi::xml_node channel = child(root, kNoNamespace, "channel");
    if (!channel) {
      throw error_at(source_, body_, offset_of(root), "channel",
                     "the RSS feed has no <channel> element");
    }

    ParsedListing out;
    pugi::xml_node title = child(channel, kNoNamespace, "title");
    out.feed_title = normalize_whitespace(text_of(title));
    if (istarts_with(out.feed_title, "Feed error for query")) {
      std::string detail =
          normalize_whitespace(text_of(child(channel, kNoNamespace, "description")));
      throw error_at(source_, body_, offset_of(title), "title",
                     fmt::format("arXiv rejected the feed query: '{}'{}", out.feed_title,
                                 detail.empty() ? std::string() : fmt::format(": {}", detail)));
    }
    if (pugi::xml_node pub = child(channel, kNoNamespace, "pubDate")) {
      std::string text = text_of(pub);
      auto when = parse_detail::parse_rfc822(text);
      if (!when) {
        throw error_at(
            source_, body_, offset_of(pub), "pubDate",
            fmt::format("the channel <pubDate> '{}' is not an RFC 822 date", excerpt(text)));
      }
      out.listing_date = when->local_date;
    }

    std::size_t index = 0;
    for (pugi::xml_node item = channel.first_child(); item; item = item.next_sibling()) {
      if (!is_element(item, kNoNamespace, "item")) continue;
      ++index;
      out.papers.push_back(parse_item(item, index));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(pugi::xml_node at, std::string field, const std::string& message) const {
    throw error_at(source_, body_, offset_of(at), std::move(field), message);
  }

  Paper parse_item(pugi::xml_node item, std::size_t index) const {
    Paper paper;
    pugi::xml_node title = child(item, kNoNamespace, "title");
    paper.title = normalize_whitespace(text_of(title));
    if (paper.title.empty()) {
      fail(title ? title : item, "title",
           fmt::format("item {} has {} <title>", index, title ? "an empty" : "no"));
    }

    pugi::xml_node description = child(item, kNoNamespace, "description");
    std::string desc = text_of(description);
    paper.id = item_id(item, desc, index);

    // Abstract: everything after "Abstract:"; an older-style description without the marker is
    // taken whole (minus the "arXiv:... Announce Type: ..." head when present).
    std::string_view d = desc;
    if (auto at = d.find("Abstract:"); at != std::string_view::npos) {
      d.remove_prefix(at + 9);
    } else if (trim(d).substr(0, 6) == "arXiv:") {
      auto nl = d.find('\n');
      d = nl == std::string_view::npos ? std::string_view() : d.substr(nl + 1);
    }
    paper.abstract = normalize_whitespace(d);

    paper.announce_type = announce_type(item, desc, index);

    for (pugi::xml_node c = item.first_child(); c; c = c.next_sibling()) {
      if (is_element(c, kNoNamespace, "category")) {
        paper.add_category(trim(text_of(c)));
      } else if (is_element(c, kDcNs, "creator")) {
        for (auto& name : parse_detail::split_authors(text_of(c)))
          paper.authors.push_back(std::move(name));
      } else if (is_element(c, kDcNs, "rights")) {
        paper.license = std::string(trim(text_of(c)));
      } else if (is_element(c, kArxivNs, "DOI") || is_element(c, kArxivNs, "doi")) {
        paper.doi = std::string(trim(text_of(c)));
      } else if (is_element(c, kArxivNs, "journal_reference") ||
                 is_element(c, kArxivNs, "journal_ref")) {
        paper.journal_ref = normalize_whitespace(text_of(c));
      } else if (is_element(c, kArxivNs, "comment") || is_element(c, kArxivNs, "comments")) {
        paper.comments = normalize_whitespace(text_of(c));
      }
    }
    return paper;
  }

  ArxivId item_id(pugi::xml_node item, std::string_view desc, std::size_t index) const {
    ArxivId id;
    std::string why;
    if (pugi::xml_node guid = child(item, kNoNamespace, "guid")) {
      std::string text(trim(text_of(guid)));
      std::string_view v = text;
      if (istarts_with(v, "oai:arXiv.org:")) v.remove_prefix(14);
      if (!ArxivId::try_parse(v, id, &why)) {
        fail(guid, "guid",
             fmt::format("item {} has <guid> '{}', not an arXiv identifier: {}", index,
                         excerpt(text), why));
      }
      return id;
    }
    // "arXiv:2203.01250v3 Announce Type: ..."
    std::string_view d = trim(desc);
    if (istarts_with(d, "arXiv:")) {
      std::string_view token = d.substr(0, d.find_first_of(" \t\r\n"));
      if (ArxivId::try_parse(token, id, &why)) return id;
    }
    if (pugi::xml_node link = child(item, kNoNamespace, "link")) {
      std::string text(trim(text_of(link)));
      auto abs = text.find("/abs/");
      if (abs == std::string::npos || !ArxivId::try_parse(text.substr(abs + 5), id, &why)) {
        fail(link, "link",
             fmt::format("item {} has <link> '{}', not an arXiv abstract URL", index,
                         excerpt(text)));
      }
      return id;
    }
    fail(item, "guid",
         fmt::format("item {} has no arXiv identifier (no <guid>, no 'arXiv:' description, no "
                     "<link>)",
                     index));
  }

  AnnounceType announce_type(pugi::xml_node item, std::string_view desc, std::size_t index) const {
    std::string text;
    pugi::xml_node at = child(item, kArxivNs, "announce_type");
    if (at) {
      text = std::string(trim(text_of(at)));
    } else if (auto pos = desc.find("Announce Type:"); pos != std::string_view::npos) {
      std::string_view rest = trim(desc.substr(pos + 14));
      text = std::string(rest.substr(0, rest.find_first_of(" \t\r\n")));
      at = child(item, kNoNamespace, "description");
    } else {
      return AnnounceType::kNew;
    }
    auto type = announce_type_from_string(text);
    if (!type) {
      fail(at, "announce_type",
           fmt::format("item {} has announce type '{}' (expected new, cross, replace or "
                       "replace-cross)",
                       index, excerpt(text)));
    }
    return *type;
  }

  std::string_view body_;
  std::string_view source_;
};

}  // namespace

ParsedListing parse_rss(std::string_view body, std::string_view source) {
  return RssParser(body, source).parse();
}

}  // namespace arxiv_digest
