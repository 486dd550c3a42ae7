// Renderers: a Digest as text (the reference layout), Markdown (for GitHub and mail clients),
// JSON (machine-readable, schema in docs/json-schema.md), HTML (a self-contained page, and an
// email variant with inline CSS only) or an Atom 1.0 feed (whole digest, or one topic).
//
// Every function here is pure: no I/O (except reading the templates of
// HtmlOptions::templates_dir, when set), no global state, safe to call from any number of threads
// at once. Output is deterministic: the same Digest (and options) gives identical bytes. Every
// output is UTF-8 and ends with exactly one "\n".
//
// Preconditions on the Digest (as built by the cli): `translations` is empty or has one entry per
// paper; every index in `topics[i].papers` is < `papers.size()`. A Digest that breaks them is a
// programming error; the renderers throw arxiv_digest::Error (naming the bad index) rather than
// read out of bounds. An unknown `time_zone` makes to_zone() throw arxiv_digest::Error.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/arxiv_id.hpp"
#include "core/topic.hpp"

namespace arxiv_digest {

// kEmailHtml is the HTML page's email variant (render_html_email): a format of its own so the
// email channel receives it rendered once like every other format, and so `--format email-html`
// writes `<listing-date>.email.html` to preview what readers' mail clients get.
enum class Format { kText, kMarkdown, kJson, kHtml, kAtom, kEmailHtml };

// "text", "markdown", "json", "html", "atom", "email-html".
std::string_view to_string(Format format) noexcept;
// Parses a format name: "text", "markdown" (alias "md"), "json", "html", "atom", "email-html"; ASCII
// case-insensitive. nullopt for anything else.
std::optional<Format> format_from_string(std::string_view name) noexcept;
// File extension without the dot: "txt", "md", "json", "html", "atom", "email.html" (the Atom feed is
// `<listing-date>.atom`: one dot, so the date stays the file's stem; served as
// application/atom+xml).
std::string_view file_extension(Format format) noexcept;
// Format from a file extension, with or without the leading dot, ASCII case-insensitive: "txt"
// and "text" -> kText, "md" and "markdown" -> kMarkdown, "json" -> kJson, "html" and "htm" ->
// kHtml, "atom" -> kAtom; nullopt otherwise.
std::optional<Format> format_from_extension(std::string_view extension) noexcept;

// Options of the Atom feeds.
struct AtomOptions {
  // Where the feeds are published, e.g. "https://example.org/arxiv" (a trailing '/' is
  // ignored). The feed's rel="self" link is "<base_url>/<file>", <file> being
  // atom_file_name() / atom_topic_file_name(). Empty (the default) = no self link.
  std::string base_url;
  // The file name in the self link instead of atom_file_name() / atom_topic_file_name(): a copy
  // published under a stable name ("digest.atom") must point at itself, not at the dated file,
  // or readers that follow rel="self" move their subscription to a file that never changes.
  std::string self_file;
  // The generator's version. Empty (the default) = project_version().
  std::string tool_version;
};

// Options of the HTML page and email.
struct HtmlOptions {
  // A directory or URL holding KaTeX (katex.min.css, katex.min.js, contrib/auto-render.min.js),
  // e.g. "katex" for a copy shipped next to the page. Set, the page loads it (<link> and
  // <script defer>) and renders $...$ and $$...$$; empty (the default), TeX is shown as written
  // and the page has no script at all. Never used by the email variant.
  std::string katex_base;
  // A directory of the user's templates (see templates/README.md). Set, the page is rendered
  // from `<templates_dir>/digest.html.mustache` and the email from
  // `<templates_dir>/digest.email.html.mustache`, each where that file exists; the built-in
  // template otherwise. Empty (the default) = the built-in templates only.
  std::filesystem::path templates_dir;
};

// What a renderer needs besides the Digest.
struct RenderOptions {
  // `tool.name` in JSON.
  std::string tool_name = "arxiv-digest";
  // `tool.version` in JSON. Empty (the default) = this build's version (project_version()).
  std::string tool_version;
  // Text layout: add a "- Matched: <why>" line after "- Subjects:" for each paper (the
  // reference layout has none). Markdown and JSON always say why a paper matched.
  bool explain = false;
  // For Format::kAtom (an empty atom.tool_version takes `tool_version`).
  AtomOptions atom;
  // For Format::kHtml.
  HtmlOptions html;
};

// The project version compiled into this library ("0.1.0").
std::string_view project_version() noexcept;

// Renders `digest` in `format` (dispatches to the functions below).
std::string render(const Digest& digest, Format format, const RenderOptions& options = {});

// The reference text layout (see text_renderer.cpp for the line-by-line description).
std::string render_text(const Digest& digest, const RenderOptions& options = {});
// GitHub-flavoured Markdown (see markdown_renderer.cpp; escaping rule: escape_markdown()). The
// query terms a topic matched are bold in the paper's title and abstract.
std::string render_markdown(const Digest& digest);
// JSON, schema_version 1, 2-space indent, keys in the documented order, UTF-8 unescaped.
// Invalid UTF-8 in a field is replaced by U+FFFD rather than thrown on.
std::string render_json(const Digest& digest, const RenderOptions& options = {});

// An Atom 1.0 feed (RFC 4287) of the whole digest: one entry per distinct paper (id order), each
// with the topics that selected it as categories. Deterministic and independent of generated_at:
// feed and entries are `updated` at announced_at, so two runs of one day give the same bytes.
// Ids (stable across runs and days; see atom_renderer.cpp for why tag URIs):
//   feed  tag:arxiv-digest,2026:digest
//   entry tag:arxiv-digest,2026:digest:<version-less arXiv id>
// Built with pugixml, so every text and attribute is escaped by construction; invalid UTF-8 and
// characters XML 1.0 forbids are replaced by U+FFFD first (sanitize_text()).
std::string render_atom(const Digest& digest, const AtomOptions& options = {});
// The feed of digest.topics[topic]: its papers, in the topic's order. Ids:
//   feed  tag:arxiv-digest,2026:topic:<topic_slug(name)>
//   entry tag:arxiv-digest,2026:topic:<topic_slug(name)>:<version-less arXiv id>
// Throws arxiv_digest::Error when `topic` is out of range.
std::string render_atom_topic(const Digest& digest, std::size_t topic,
                              const AtomOptions& options = {});
// "<listing-date>.atom" and "<listing-date>.<topic slug>.atom": the self links' file names.
std::string atom_file_name(const Digest& digest);
std::string atom_topic_file_name(const Digest& digest, std::size_t topic);
// A topic name as an identifier safe in a URI and an HTML id: ASCII letters lower-cased and
// digits kept, every other run of ASCII replaced by one '-' (none at either end), bytes >= 0x80
// percent-encoded (%E5...). "Reinforcement Learning" -> "reinforcement-learning"; "" (or only
// punctuation) -> "topic". Two names differing only in case or punctuation share a slug.
std::string topic_slug(std::string_view name);

// A self-contained HTML5 page: bilingual (the Chinese title and abstract after the English ones
// when translated), a table of contents linking to one section per topic (id "topic-<slug>"),
// the words each topic's query found in <mark> (never inside TeX math), abs/pdf links, an inline
// stylesheet that follows prefers-color-scheme and fits a phone, no script unless
// options.katex_base is set. Every interpolated value goes through escape_html().
// Rendered from the template digest.html.mustache (built in, or options.templates_dir's); a user
// template with a syntax error, or one using {{{x}}}, {{&x}}, {{>x}} or {{=..=}}, throws
// ConfigError "<file>:<line>:<column>: <what>"; an unreadable one throws ConfigError naming it.
std::string render_html(const Digest& digest, const HtmlOptions& options = {});
// The same content for email: inline style="" attributes only (no <style>, no <script>, no
// KaTeX: TeX is kept as written), a layout table-free enough for common clients.
std::string render_html_email(const Digest& digest);
// The same from digest.email.html.mustache of options.templates_dir, where present (throws as
// render_html does); options.katex_base is ignored.
std::string render_html_email(const Digest& digest, const HtmlOptions& options);
// Reads and parses the templates of options.templates_dir without rendering anything, so a
// configuration can be checked before a run: throws ConfigError as render_html would. Does
// nothing but check the built-in templates when templates_dir is empty.
void check_html_templates(const HtmlOptions& options);

// `text` escaped for HTML and XML text and (double- or single-) quoted attribute values:
// & < > " ' become &amp; &lt; &gt; &quot; &#39;, after sanitize_text(). The only escaper of the
// HTML renderers.
std::string escape_html(std::string_view text);
// `text` with every invalid UTF-8 sequence, and every code point XML 1.0 forbids or HTML calls a
// control (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, U+007F-U+009F, U+FFFE, U+FFFF), replaced
// by U+FFFD. Tab, LF and CR are kept.
std::string sanitize_text(std::string_view text);

// The first line of the text layout, without its newline: generated_at in digest.time_zone, then
// announced_at in America/New_York with the tz database's abbreviation (EDT/EST) and again in
// digest.time_zone, e.g. (one line)
//   生成时间: 2026-06-18 19:52:58 (UTC+8); Arxiv 发布时间: 2026-06-17 20:00 EDT
//   (2026-06-18 08:00 UTC+8)
std::string text_header_line(const Digest& digest);

// "https://arxiv.org/abs/<version-less id>" and "https://arxiv.org/pdf/<version-less id>".
std::string abs_url(const ArxivId& id);
std::string pdf_url(const ArxivId& id);

// Escapes `text` that forms a Markdown paragraph of its own (an abstract, a translated title), so
// that it renders as the same characters on GitHub (CommonMark + GFM):
// - TeX math spans `$...$` and `$$...$$` (a `$` with a matching unescaped `$` later in the text)
//   are copied verbatim: GitHub renders them as math and never sees our escapes inside them.
// - Outside math, a backslash is put before: * _ ` [ ] < ~ (emphasis, code, links, HTML,
//   strikethrough), a lone `$` without a partner, `\` when followed by ASCII punctuation (so TeX
//   like `\alpha` stays as is), `&` when it would start an entity reference (`&amp;`, `&#38;`),
//   and, at the start of a line only, what would open a block there: # > - + and the `.` or `)`
//   after leading digits ("1. ").
// Everything else (UTF-8, TeX commands outside math, `!`, `#` mid-line) is kept as is.
std::string escape_markdown(std::string_view text);
// The same without the line-start rules, for text placed after other text on its line (link text
// in a heading, a list item after its label, a heading's text).
std::string escape_markdown_inline(std::string_view text);

}  // namespace arxiv_digest
