#include "render/renderer.hpp"
namespace arxiv_digest {
std::string render_html(const Digest&, const HtmlOptions&) { return "\n"; }
std::string render_html_email(const Digest&) { return "\n"; }
}
