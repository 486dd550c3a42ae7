// Private pugixml helpers for the RSS and Atom parsers: loading with positioned errors, and a
// minimal namespace-aware element lookup (pugixml itself ignores namespaces).
#pragma once

#include <cstddef>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace arxiv_digest::parse_detail {

// A namespace: its URI and the prefix conventionally bound to it (used when a document uses the
// prefix without declaring it).
struct XmlNamespace {
  std::string_view uri;
  std::string_view prefix;
};
inline constexpr XmlNamespace kNoNamespace{"", ""};  // RSS 2.0 core elements
inline constexpr XmlNamespace kAtomNs{"http://www.w3.org/2005/Atom", ""};
inline constexpr XmlNamespace kArxivNs{"http://arxiv.org/schemas/atom", "arxiv"};
inline constexpr XmlNamespace kOpenSearchNs{"http://a9.com/-/spec/opensearch/1.1/", "opensearch"};
inline constexpr XmlNamespace kDcNs{"http://purl.org/dc/elements/1.1/", "dc"};

// Parses `body` into `doc`. Throws ParseError (source, line/column of pugixml's error offset,
// field = the element open there) with pugixml's description; a body that ends inside an open
// element is reported as truncated. `what` names the expected format ("RSS feed").
void load_xml(pugi::xml_document& doc, std::string_view body, std::string_view source,
              std::string_view what);

// The start every XML source parser shares: check_body() (size, UTF-8, emptiness), an HTML page
// refused with ParseError (field "html": "expected <expected> but got an HTML page titled '…'"),
// then load_xml(). `expected` reads like "an RSS feed".
void load_xml_document(pugi::xml_document& doc, std::string_view body, std::string_view source,
                       std::string_view what, std::string_view expected);

// Local part of an element name ("arxiv:doi" -> "doi").
std::string_view local_name(pugi::xml_node node);
// True when `node` is an element named `local` in namespace `ns` (prefix resolved through the
// xmlns declarations in scope; an undeclared prefix matches ns.prefix literally).
bool is_element(pugi::xml_node node, const XmlNamespace& ns, std::string_view local);
// First child element matching (ns, local), or an empty node.
pugi::xml_node child(pugi::xml_node parent, const XmlNamespace& ns, std::string_view local);

// Concatenated character data (PCDATA and CDATA) of `node` and all its descendants, in order;
// entities already decoded by pugixml. Iterative (no recursion on deep documents).
std::string text_of(pugi::xml_node node);

// Byte offset of `node` in the parsed body (0 when unknown).
std::size_t offset_of(pugi::xml_node node);

}  // namespace arxiv_digest::parse_detail
