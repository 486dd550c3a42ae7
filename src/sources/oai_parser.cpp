// parse_oai_pmh: see oai_parser.hpp for the contract and the field mapping.
//
// Layout (OAI-PMH 2.0, http://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm, and arXiv's
// legacy export.arxiv.org/oai2 output in tests/data/oai):
//   <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
//     <responseDate/> <request verb=".." metadataPrefix="..">base URL</request>
//     <error code="..">message</error>                       (error responses only)
//     <ListRecords> <record>* <resumptionToken completeListSize=".." cursor="..">..</>
//     </ListRecords> <GetRecord> <record/> </GetRecord>
//   <record> = <header [status="deleted"]><identifier>oai:arXiv.org:ID</identifier>
//              <datestamp/> <setSpec/>* </header> <metadata> one format element </metadata>
// Format elements: <arXiv xmlns="http://arxiv.org/OAI/arXiv/">, <arXivRaw
// xmlns="http://arxiv.org/OAI/arXivRaw/">, <oai_dc:dc xmlns:oai_dc=".../OAI/2.0/oai_dc/"> with
// Dublin Core <dc:*> children. A deleted record has no <metadata>.
#include "sources/oai_parser.hpp"

#include <fmt/format.h>

#include <charconv>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "core/arxiv_id.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "sources/parse_util.hpp"
#include "sources/xml_util.hpp"

namespace arxiv_digest {
namespace {

using parse_detail::child;
using parse_detail::error_at;
using parse_detail::excerpt;
using parse_detail::is_element;
using parse_detail::kDcNs;
using parse_detail::offset_of;
using parse_detail::text_of;
using parse_detail::trim;
using parse_detail::XmlNamespace;

constexpr std::string_view kWhat = "OAI-PMH response";
constexpr std::string_view kOaiIdPrefix = "oai:arXiv.org:";

constexpr XmlNamespace kOaiNs{"http://www.openarchives.org/OAI/2.0/", ""};
constexpr XmlNamespace kArxivFormatNs{"http://arxiv.org/OAI/arXiv/", ""};
constexpr XmlNamespace kArxivRawNs{"http://arxiv.org/OAI/arXivRaw/", ""};
constexpr XmlNamespace kOaiDcNs{"http://www.openarchives.org/OAI/2.0/oai_dc/", "oai_dc"};

enum class Format { kArxiv, kArxivRaw, kOaiDc };

std::string_view prefix_of(Format format) {
  switch (format) {
    case Format::kArxiv:
      return "arXiv";
    case Format::kArxivRaw:
      return "arXivRaw";
    case Format::kOaiDc:
      return "oai_dc";
  }
  return "";
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Space-separated words of `text`.
std::vector<std::string_view> words(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_ascii_space(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_ascii_space(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

// Joins the non-empty normalised parts with single spaces.
std::string join_names(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += ' ';
    out += part;
  }
  return out;
}

class OaiParser {
 public:
  OaiParser(std::string_view body, std::string_view source) : body_(body), source_(source) {}

  OaiPage parse() {
    pugi::xml_document doc;
    parse_detail::load_xml_document(doc, body_, source_, kWhat, "an OAI-PMH response");
    pugi::xml_node root = doc.document_element();
    if (!is_element(root, kOaiNs, "OAI-PMH")) {
      fail(root, root.name(),
           fmt::format("expected an OAI-PMH response (<OAI-PMH xmlns=\"{}\">) but the root element "
                       "is <{}>",
                       kOaiNs.uri, root.name()));
    }
    pugi::xml_node request = child(root, kOaiNs, "request");
    std::string_view requested_prefix = trim(request.attribute("metadataPrefix").value());

    bool no_records = false;
    for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
      if (!is_element(c, kOaiNs, "error")) continue;
      std::string_view code = trim(c.attribute("code").value());
      if (code == "noRecordsMatch") {
        no_records = true;
        continue;
      }
      fail(c, "error",
           fmt::format("the OAI-PMH server returned error '{}': '{}'", excerpt(code),
                       excerpt(normalize_whitespace(text_of(c)), 300)));
    }

    pugi::xml_node list = child(root, kOaiNs, "ListRecords");
    if (!list) list = child(root, kOaiNs, "GetRecord");
    if (!list && !no_records) {
      fail(root, "OAI-PMH",
           fmt::format("expected <ListRecords> or <GetRecord> in the OAI-PMH response (request "
                       "verb '{}'), found neither",
                       excerpt(trim(request.attribute("verb").value()))));
    }

    std::size_t index = 0;
    for (pugi::xml_node c = list.first_child(); c; c = c.next_sibling()) {
      if (!is_element(c, kOaiNs, "record")) continue;
      ++index;
      parse_record(c, index);
    }
    if (pugi::xml_node token = child(list, kOaiNs, "resumptionToken")) read_token(token);
    if (page_.metadata_prefix.empty()) {
      for (Format f : {Format::kArxiv, Format::kArxivRaw, Format::kOaiDc}) {
        if (requested_prefix == prefix_of(f)) page_.metadata_prefix = prefix_of(f);
      }
    }
    return std::move(page_);
  }

 private:
  [[noreturn]] void fail(pugi::xml_node at, std::string field, const std::string& message) const {
    throw error_at(source_, body_, offset_of(at), std::move(field), message);
  }

  void read_token(pugi::xml_node token) {
    page_.resumption_token = std::string(trim(text_of(token)));
    if (pugi::xml_attribute size = token.attribute("completeListSize")) {
      std::string_view text = trim(size.value());
      std::size_t value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        fail(token, "resumptionToken",
             fmt::format("<resumptionToken completeListSize> is '{}', not a non-negative integer",
                         excerpt(text)));
      }
      page_.complete_list_size = value;
    }
  }

  Format detect_format(pugi::xml_node format_node, std::size_t index) {
    Format format = Format::kArxiv;
    if (is_element(format_node, kArxivFormatNs, "arXiv")) {
      format = Format::kArxiv;
    } else if (is_element(format_node, kArxivRawNs, "arXivRaw")) {
      format = Format::kArxivRaw;
    } else if (is_element(format_node, kOaiDcNs, "dc")) {
      format = Format::kOaiDc;
    } else {
      fail(format_node, "metadata",
           fmt::format("record {} has metadata in an unknown format <{}> (expected <arXiv>, "
                       "<arXivRaw> or <oai_dc:dc>)",
                       index, format_node.name()));
    }
    if (page_.metadata_prefix.empty()) {
      page_.metadata_prefix = prefix_of(format);
    } else if (page_.metadata_prefix != prefix_of(format)) {
      fail(format_node, "metadata",
           fmt::format("record {} is in metadata format {} but earlier records are in {}", index,
                       prefix_of(format), page_.metadata_prefix));
    }
    return format;
  }

  void parse_record(pugi::xml_node record, std::size_t index) {
    pugi::xml_node header = child(record, kOaiNs, "header");
    if (!header) fail(record, "header", fmt::format("record {} has no <header>", index));
    if (trim(header.attribute("status").value()) == "deleted") {
      ++page_.deleted;
      return;
    }
    pugi::xml_node identifier = child(header, kOaiNs, "identifier");
    std::string label = identifier ? std::string(trim(text_of(identifier))) : std::string();
    label =
        label.empty() ? fmt::format("{}", index) : fmt::format("{} ({})", index, excerpt(label));

    pugi::xml_node metadata = child(record, kOaiNs, "metadata");
    if (!metadata) fail(record, "metadata", fmt::format("record {} has no <metadata>", label));
    pugi::xml_node format_node =
        metadata.find_child([](pugi::xml_node n) { return n.type() == pugi::node_element; });
    if (!format_node) {
      fail(metadata, "metadata", fmt::format("record {} has an empty <metadata>", label));
    }
    const Format format = detect_format(format_node, index);

    Paper paper;
    paper.announce_type = AnnounceType::kNew;
    pugi::xml_node id_node;
    if (format == Format::kArxiv) id_node = child(format_node, kArxivFormatNs, "id");
    if (format == Format::kArxivRaw) id_node = child(format_node, kArxivRawNs, "id");
    read_id(paper, id_node, identifier, record, label);
    if (format == Format::kOaiDc) {
      read_oai_dc(paper, format_node, label);
    } else {
      read_arxiv(paper, format_node, format, label);
    }
    page_.papers.push_back(std::move(paper));
  }

  // Id from the metadata <id> when present, else from the header <identifier>.
  void read_id(Paper& paper, pugi::xml_node id_node, pugi::xml_node identifier,
               pugi::xml_node record, const std::string& label) const {
    std::string why;
    std::string id_text(trim(text_of(id_node)));
    if (!id_text.empty()) {
      if (!ArxivId::try_parse(id_text, paper.id, &why)) {
        fail(id_node, "id",
             fmt::format("record {} has <id> '{}', not an arXiv identifier: {}", label,
                         excerpt(id_text), why));
      }
      return;
    }
    std::string oai_id(trim(text_of(identifier)));
    if (oai_id.empty()) {
      fail(identifier ? identifier : record, "identifier",
           fmt::format("record {} has {} <identifier> and no <id>", label,
                       identifier ? "an empty" : "no"));
    }
    if (!starts_with(oai_id, kOaiIdPrefix) ||
        !ArxivId::try_parse(std::string_view(oai_id).substr(kOaiIdPrefix.size()), paper.id, &why)) {
      fail(identifier, "identifier",
           fmt::format("record {} has <identifier> '{}', not an arXiv OAI identifier "
                       "('{}' followed by an arXiv id){}",
                       label, excerpt(oai_id), kOaiIdPrefix, why.empty() ? "" : ": " + why));
    }
  }

  // YYYY-MM-DD as midnight UTC.
  std::chrono::sys_seconds day_date(pugi::xml_node node, const std::string& label) const {
    std::string text(trim(text_of(node)));
    auto when = text.size() == 10 ? parse_detail::parse_rfc3339(text + "T00:00:00Z") : std::nullopt;
    if (!when) {
      fail(node, std::string(parse_detail::local_name(node)),
           fmt::format("record {} has <{}> '{}', not a YYYY-MM-DD date", label, node.name(),
                       excerpt(text)));
    }
    return when->instant;
  }

  void require_title(Paper& paper, pugi::xml_node title_node, pugi::xml_node format_node,
                     const std::string& label) const {
    paper.title = normalize_whitespace(text_of(title_node));
    if (paper.title.empty()) {
      fail(title_node ? title_node : format_node, "title",
           fmt::format("record {} has {} <title>", label, title_node ? "an empty" : "no"));
    }
  }

  // The arXiv and arXivRaw formats (same element names, different namespaces).
  void read_arxiv(Paper& paper, pugi::xml_node m, Format format, const std::string& label) const {
    const XmlNamespace& ns = format == Format::kArxiv ? kArxivFormatNs : kArxivRawNs;
    require_title(paper, child(m, ns, "title"), m, label);
    int first_version = 0;
    int last_version = 0;
    for (pugi::xml_node c = m.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (is_element(c, ns, "categories")) {
        const std::string terms = text_of(c);
        for (std::string_view term : words(terms)) {
          if (parse_detail::is_arxiv_category(term)) paper.add_category(term);
        }
      } else if (is_element(c, ns, "abstract")) {
        paper.abstract = normalize_whitespace(text_of(c));
      } else if (is_element(c, ns, "comments")) {
        paper.comments = normalize_whitespace(text_of(c));
      } else if (is_element(c, ns, "journal-ref")) {
        paper.journal_ref = normalize_whitespace(text_of(c));
      } else if (is_element(c, ns, "doi")) {
        paper.doi = normalize_whitespace(text_of(c));
      } else if (is_element(c, ns, "license")) {
        paper.license = std::string(trim(text_of(c)));
      } else if (format == Format::kArxiv && is_element(c, ns, "created")) {
        paper.submitted = day_date(c, label);
      } else if (format == Format::kArxiv && is_element(c, ns, "updated")) {
        paper.updated = day_date(c, label);
      } else if (format == Format::kArxiv && is_element(c, ns, "authors")) {
        for (pugi::xml_node a = c.first_child(); a; a = a.next_sibling()) {
          if (!is_element(a, ns, "author")) continue;
          std::string name = join_names({normalize_whitespace(text_of(child(a, ns, "forenames"))),
                                         normalize_whitespace(text_of(child(a, ns, "keyname"))),
                                         normalize_whitespace(text_of(child(a, ns, "suffix")))});
          if (!name.empty()) paper.authors.push_back(std::move(name));
        }
      } else if (format == Format::kArxivRaw && is_element(c, ns, "authors")) {
        paper.authors = parse_detail::split_authors(text_of(c));
      } else if (format == Format::kArxivRaw && is_element(c, ns, "version")) {
        read_raw_version(paper, c, label, first_version, last_version);
      }
    }
    if (format == Format::kArxiv && !paper.updated) paper.updated = paper.submitted;
    if (last_version > 0 && !paper.id.has_version()) paper.id = paper.id.with_version(last_version);
  }

  // arXivRaw <version version="vN"><date>RFC 822</date>...</version>: the lowest version gives
  // Paper::submitted, the highest Paper::updated and the id's version.
  void read_raw_version(Paper& paper, pugi::xml_node version, const std::string& label,
                        int& first_version, int& last_version) const {
    std::string_view tag = trim(version.attribute("version").value());
    int n = 0;
    if (tag.size() >= 2 && tag.front() == 'v') {
      auto [end, ec] = std::from_chars(tag.data() + 1, tag.data() + tag.size(), n);
      if (ec != std::errc() || end != tag.data() + tag.size()) n = 0;
    }
    if (n < 1) {
      fail(version, "version",
           fmt::format("record {} has a <version> numbered '{}', not 'v' and a positive number",
                       label, excerpt(tag)));
    }
    pugi::xml_node date_node = child(version, kArxivRawNs, "date");
    std::string text(trim(text_of(date_node)));
    auto when = parse_detail::parse_rfc822(text);
    if (!when) {
      fail(date_node ? date_node : version, "date",
           fmt::format("record {} version v{} has <date> '{}', not an RFC 822 date-time", label, n,
                       excerpt(text)));
    }
    if (first_version == 0 || n < first_version) {
      first_version = n;
      paper.submitted = when->instant;
    }
    if (n > last_version) {
      last_version = n;
      paper.updated = when->instant;
    }
  }

  void read_oai_dc(Paper& paper, pugi::xml_node m, const std::string& label) const {
    require_title(paper, child(m, kDcNs, "title"), m, label);
    for (pugi::xml_node c = m.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (is_element(c, kDcNs, "creator")) {
        // "Keyname, Forenames[, Suffix]" -> "Forenames Keyname[ Suffix]".
        std::string text = normalize_whitespace(text_of(c));
        auto comma = text.find(',');
        if (comma != std::string::npos) {
          std::string keyname(trim(std::string_view(text).substr(0, comma)));
          std::string_view rest = trim(std::string_view(text).substr(comma + 1));
          auto comma2 = rest.find(',');
          std::string forenames(trim(rest.substr(0, comma2)));
          std::string suffix(comma2 == std::string_view::npos ? std::string_view()
                                                              : trim(rest.substr(comma2 + 1)));
          text = join_names({forenames, keyname, suffix});
        }
        if (!text.empty()) paper.authors.push_back(std::move(text));
      } else if (is_element(c, kDcNs, "subject")) {
        const std::string subject = text_of(c);
        std::string_view term = trim(subject);
        if (parse_detail::is_arxiv_category(term)) paper.add_category(term);
      } else if (is_element(c, kDcNs, "description")) {
        std::string text = normalize_whitespace(text_of(c));
        if (starts_with(text, "Comment:")) {
          paper.comments = std::string(trim(std::string_view(text).substr(8)));
        } else if (paper.abstract.empty()) {
          paper.abstract = std::move(text);
        }
      } else if (is_element(c, kDcNs, "date")) {
        const auto when = day_date(c, label);
        if (!paper.submitted) paper.submitted = when;
        paper.updated = when;
      }
    }
  }

  std::string_view body_;
  std::string_view source_;
  OaiPage page_;
};

}  // namespace

OaiPage parse_oai_pmh(std::string_view body, std::string_view source) {
  return OaiParser(body, source).parse();
}

}  // namespace arxiv_digest
