// parse_api_atom: Atom 1.0 from the arXiv query API (export.arxiv.org/api/query), both the
// classic layout (2016 fixtures: opensearch/arxiv namespaces declared per element, titles
// hard-wrapped, http links) and the 2026 backend (namespaces on <feed>, https links, errors as
// HTTP 400 with an "Error" entry).
//
// Entry fields: <id>http(s)://arxiv.org/abs/IDvN</id> (required), <title> (required),
// <summary>, <author><name>, <published> (v1 submission -> Paper::submitted), <updated> (this
// version -> Paper::updated), <arxiv:comment>, <arxiv:journal_ref>, <arxiv:doi>,
// <arxiv:primary_category term>, <category term>.
//
// Category rule: <category term> may carry ACM ("I.2.6", "F.2.2") or MSC ("68T05") codes next to
// arXiv categories. A term is kept only if it has arXiv's shape: an archive of lower-case
// letters and '-' ("cs", "hep-th", "quant-ph"), optionally followed by '.' and a subject class of
// letters and '-' ("cs.LG", "cond-mat.str-el", "math.GT"). ACM codes start upper-case and MSC
// codes start with a digit, so neither passes. The primary category comes first.
//
// The API's error document (one <entry> titled "Error" whose <id> is .../api/errors#...) is a
// ParseError with field "entry" quoting arXiv's <summary>.
#include <fmt/format.h>

#include <charconv>

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
using parse_detail::kAtomNs;
using parse_detail::kOpenSearchNs;
using parse_detail::offset_of;
using parse_detail::text_of;
using parse_detail::trim;

constexpr std::string_view kWhat = "API response";

class ApiParser {
 public:
  ApiParser(std::string_view body, std::string_view source) : body_(body), source_(source) {}

  ParsedApiPage parse() {
    pugi::xml_document doc;
    parse_detail::load_xml_document(doc, body_, source_, kWhat, "an Atom API response");
    pugi::xml_node feed = doc.document_element();
    if (!is_element(feed, kAtomNs, "feed")) {
      fail(feed, feed.name(),
           fmt::format("expected an Atom feed (<feed xmlns=\"{}\">) but the root element is <{}>",
                       kAtomNs.uri, feed.name()));
    }

    ParsedApiPage out;
    out.listing.feed_title = normalize_whitespace(text_of(child(feed, kAtomNs, "title")));
    if (auto n = count(feed, "totalResults")) out.listing.declared_total = *n;
    if (auto n = count(feed, "startIndex")) out.start_index = *n;
    if (auto n = count(feed, "itemsPerPage")) out.items_per_page = *n;

    std::size_t index = 0;
    for (pugi::xml_node entry = feed.first_child(); entry; entry = entry.next_sibling()) {
      if (!is_element(entry, kAtomNs, "entry")) continue;
      ++index;
      out.listing.papers.push_back(parse_entry(entry, index));
    }
    return out;
  }

 private:
  [[noreturn]] void fail(pugi::xml_node at, std::string field, const std::string& message) const {
    throw error_at(source_, body_, offset_of(at), std::move(field), message);
  }

  std::optional<std::size_t> count(pugi::xml_node feed, std::string_view name) const {
    pugi::xml_node node = child(feed, kOpenSearchNs, name);
    if (!node) return std::nullopt;
    std::string text(trim(text_of(node)));
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
      fail(node, std::string(name),
           fmt::format("<opensearch:{}> is '{}', not a non-negative integer", name, excerpt(text)));
    }
    return value;
  }

  std::optional<std::chrono::sys_seconds> date(pugi::xml_node entry, std::string_view name,
                                               std::size_t index) const {
    pugi::xml_node node = child(entry, kAtomNs, name);
    if (!node) return std::nullopt;
    std::string text(trim(text_of(node)));
    auto when = parse_detail::parse_rfc3339(text);
    if (!when) {
      fail(node, std::string(name),
           fmt::format("entry {} has <{}> '{}', not an RFC 3339 date-time", index, name,
                       excerpt(text)));
    }
    return when->instant;
  }

  Paper parse_entry(pugi::xml_node entry, std::size_t index) const {
    pugi::xml_node id_node = child(entry, kAtomNs, "id");
    pugi::xml_node title_node = child(entry, kAtomNs, "title");
    std::string id_text(trim(text_of(id_node)));
    std::string title = normalize_whitespace(text_of(title_node));

    if (title == "Error" && id_text.find("/api/errors") != std::string::npos) {
      std::string message = normalize_whitespace(text_of(child(entry, kAtomNs, "summary")));
      fail(entry, "entry",
           fmt::format("the arXiv API returned an error: '{}' ({})", message, id_text));
    }
    if (!id_node || id_text.empty()) {
      fail(id_node ? id_node : entry, "id",
           fmt::format("entry {} has {} <id>", index, id_node ? "an empty" : "no"));
    }

    Paper paper;
    auto abs = id_text.find("/abs/");
    std::string why;
    if (abs == std::string::npos) {
      fail(id_node, "id",
           fmt::format("entry {} has <id> '{}', not an arXiv abstract URL", index,
                       excerpt(id_text)));
    }
    if (!ArxivId::try_parse(std::string_view(id_text).substr(abs + 5), paper.id, &why)) {
      fail(id_node, "id",
           fmt::format("entry {} has <id> '{}', not an arXiv identifier: {}", index,
                       excerpt(id_text), why));
    }
    if (title.empty()) {
      fail(title_node ? title_node : entry, "title",
           fmt::format("entry {} ({}) has {} <title>", index, paper.id.str(),
                       title_node ? "an empty" : "no"));
    }
    paper.title = std::move(title);
    paper.abstract = normalize_whitespace(text_of(child(entry, kAtomNs, "summary")));
    paper.submitted = date(entry, "published", index);
    paper.updated = date(entry, "updated", index);

    if (pugi::xml_node primary = child(entry, kArxivNs, "primary_category")) {
      std::string_view term = trim(primary.attribute("term").value());
      if (parse_detail::is_arxiv_category(term)) paper.add_category(term);
    }
    for (pugi::xml_node c = entry.first_child(); c; c = c.next_sibling()) {
      if (is_element(c, kAtomNs, "author")) {
        std::string name = normalize_whitespace(text_of(child(c, kAtomNs, "name")));
        if (!name.empty()) paper.authors.push_back(std::move(name));
      } else if (is_element(c, kAtomNs, "category")) {
        std::string_view term = trim(c.attribute("term").value());
        if (parse_detail::is_arxiv_category(term)) paper.add_category(term);
      } else if (is_element(c, kArxivNs, "comment")) {
        paper.comments = normalize_whitespace(text_of(c));
      } else if (is_element(c, kArxivNs, "journal_ref")) {
        paper.journal_ref = normalize_whitespace(text_of(c));
      } else if (is_element(c, kArxivNs, "doi")) {
        paper.doi = std::string(trim(text_of(c)));
      } else if (is_element(c, kAtomNs, "rights")) {
        paper.license = std::string(trim(text_of(c)));
      }
    }
    paper.announce_type = AnnounceType::kNew;
    return paper;
  }

  std::string_view body_;
  std::string_view source_;
};

}  // namespace

ParsedApiPage parse_api_atom(std::string_view body, std::string_view source) {
  return ApiParser(body, source).parse();
}

}  // namespace arxiv_digest
