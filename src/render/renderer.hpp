// Renderers: a Digest as text (the reference layout), Markdown (for GitHub and mail clients) or
// JSON (machine-readable, schema in docs/json-schema.md).
//
// Every function here is pure: no I/O, no global state, safe to call from any number of threads
// at once. Output is deterministic: the same Digest (and options) gives identical bytes. Every
// output is UTF-8 and ends with exactly one "\n".
//
// Preconditions on the Digest (as built by the cli): `translations` is empty or has one entry per
// paper; every index in `topics[i].papers` is < `papers.size()`. A Digest that breaks them is a
// programming error; the renderers throw arxiv_digest::Error (naming the bad index) rather than
// read out of bounds. An unknown `time_zone` makes to_zone() throw arxiv_digest::Error.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/arxiv_id.hpp"
#include "core/topic.hpp"

namespace arxiv_digest {

enum class Format { kText, kMarkdown, kJson };

// "text", "markdown", "json".
std::string_view to_string(Format format) noexcept;
// Parses a format name: "text", "markdown" (alias "md"), "json"; ASCII case-insensitive.
// nullopt for anything else.
std::optional<Format> format_from_string(std::string_view name) noexcept;
// File extension without the dot: "txt", "md", "json".
std::string_view file_extension(Format format) noexcept;
// Format from a file extension, with or without the leading dot, ASCII case-insensitive: "txt"
// and "text" -> kText, "md" and "markdown" -> kMarkdown, "json" -> kJson; nullopt otherwise.
std::optional<Format> format_from_extension(std::string_view extension) noexcept;

// What a renderer needs besides the Digest.
struct RenderOptions {
  // `tool.name` in JSON.
  std::string tool_name = "arxiv-digest";
  // `tool.version` in JSON. Empty (the default) = this build's version (project_version()).
  std::string tool_version;
  // Text layout: add a "- Matched: <why>" line after "- Subjects:" for each paper (the
  // reference layout has none). Markdown and JSON always say why a paper matched.
  bool explain = false;
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
