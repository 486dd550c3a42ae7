#include "sources/xml_util.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "core/text.hpp"
#include "sources/parse_util.hpp"

namespace arxiv_digest::parse_detail {
namespace {

std::string_view prefix_of(std::string_view name) {
  auto colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

// The URI bound to `prefix` ("" = default namespace) in scope at `node`; false if unbound.
bool resolve_prefix(pugi::xml_node node, std::string_view prefix, std::string_view& uri) {
  std::string attr_name = prefix.empty() ? std::string("xmlns") : fmt::format("xmlns:{}", prefix);
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute(attr_name.c_str())) {
      uri = a.value();
      return true;
    }
  }
  return false;
}

}  // namespace

void load_xml(pugi::xml_document& doc, std::string_view body, std::string_view source,
              std::string_view what) {
  const unsigned options = pugi::parse_default;
  pugi::xml_parse_result result =
      doc.load_buffer(body.data(), body.size(), options, pugi::encoding_utf8);
  if (result) {
    if (!doc.document_element()) {
      throw error_at(source, body, 0, "", fmt::format("the {} has no root element", what));
    }
    return;
  }
  std::size_t offset = result.offset < 0 ? 0 : static_cast<std::size_t>(result.offset);
  if (offset > body.size()) offset = body.size();
  std::string field = open_element_at(body, offset);
  // pugixml reports a body cut short as an error at (or right before) its end.
  std::size_t content_end = body.size();
  while (content_end > 0 && (body[content_end - 1] == ' ' || body[content_end - 1] == '\n' ||
                             body[content_end - 1] == '\r' || body[content_end - 1] == '\t'))
    --content_end;
  if (offset + 1 >= content_end) {
    field = open_element_at(body, body.size());
    throw error_at(source, body, offset, field,
                   field.empty()
                       ? fmt::format("the {} is truncated or empty: {}", what, result.description())
                       : fmt::format("the {} is truncated: it ends inside <{}>", what, field));
  }
  throw error_at(source, body, offset, field,
                 fmt::format("the {} is not well-formed XML: {}{}", what, result.description(),
                             field.empty() ? std::string() : fmt::format(" (in <{}>)", field)));
}

namespace {

// The <title> of an HTML page (for messages), or "".
std::string html_title(std::string_view body) {
  std::string lower = ascii_lower(body.substr(0, std::min<std::size_t>(body.size(), 65536)));
  auto open = lower.find("<title");
  if (open == std::string::npos) return {};
  auto gt = lower.find('>', open);
  auto close = lower.find("</title", open);
  if (gt == std::string::npos || close == std::string::npos || close < gt) return {};
  return normalize_whitespace(body.substr(gt + 1, close - gt - 1));
}

}  // namespace

void load_xml_document(pugi::xml_document& doc, std::string_view body, std::string_view source,
                       std::string_view what, std::string_view expected) {
  check_body(body, source, what);
  if (looks_like_html(body)) {
    const std::string title = html_title(body);
    throw error_at(
        source, body, 0, "html",
        fmt::format("expected {} but got an HTML page{}", expected,
                    title.empty() ? std::string() : fmt::format(" titled '{}'", excerpt(title))));
  }
  load_xml(doc, body, source, what);
}

std::string_view local_name(pugi::xml_node node) {
  std::string_view name = node.name();
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool is_element(pugi::xml_node node, const XmlNamespace& ns, std::string_view local) {
  if (node.type() != pugi::node_element || local_name(node) != local) return false;
  std::string_view prefix = prefix_of(node.name());
  std::string_view uri;
  if (resolve_prefix(node, prefix, uri)) return uri == ns.uri;
  return prefix == ns.prefix;
}

pugi::xml_node child(pugi::xml_node parent, const XmlNamespace& ns, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (is_element(c, ns, local)) return c;
  }
  return {};
}

std::string text_of(pugi::xml_node node) {
  std::string out;
  if (!node) return out;
  // Pre-order walk without recursion.
  pugi::xml_node n = node.first_child();
  while (n) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) out += n.value();
    if (n.first_child()) {
      n = n.first_child();
      continue;
    }
    while (n && n != node && !n.next_sibling()) n = n.parent();
    if (!n || n == node) break;
    n = n.next_sibling();
  }
  return out;
}

std::size_t offset_of(pugi::xml_node node) {
  std::ptrdiff_t off = node.offset_debug();
  // pugixml gives an element's name; report its '<'.
  if (node.type() == pugi::node_element && off > 0) --off;
  return off < 0 ? 0 : static_cast<std::size_t>(off);
}

}  // namespace arxiv_digest::parse_detail
