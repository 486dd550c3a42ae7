// Internal to the render library: mustache templates (kainjow mustache, header-only) for the
// HTML renderers, and where their text comes from.
//
// Escaping rule. Every variable tag ({{name}}) escapes its value with escape_html(), the HTML
// renderers' one escaper (so invalid UTF-8 and control characters become U+FFFD as in every
// other output). The tags that would print a value unescaped ({{{name}}}, {{&name}}) are refused
// with a ConfigError, as are partials ({{>name}}: kainjow would parse a *variable* named so as a
// template, i.e. a paper title as markup) and delimiter changes ({{=<% %>=}}: after one, this
// wrapper could no longer see which tags a template uses). So no template, ours or a user's, can
// put digest text into the page without escaping it.
//
// Standalone lines. kainjow 4.1 drops a line holding only a section tag when the section renders
// but leaves an empty line when it does not (absent, false, empty list). The mustache spec drops
// both; MustacheTemplate does so by removing, before kainjow parses the text, the indentation and
// line break around every section ({{#x}} {{^x}} {{/x}}) or comment ({{! }}) tag that stands
// alone on its line. Templates can then put one tag per line without changing the output.
#pragma once

#include <cstddef>
#include <filesystem>
#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace arxiv_digest::render_detail {

// One parsed template. Not thread-safe (kainjow keeps state while rendering): parse one per
// render call, which also keeps rendering free of shared mutable state.
class MustacheTemplate {
 public:
  // Parses `text`. `source` names it in errors: the file's path, or "built-in <name>".
  // Throws ConfigError "<source>:<line>:<column>: <what>" (1-based, columns in bytes) for a
  // syntax error kainjow reports (unclosed or unopened section, unclosed tag) and for the refused
  // tags above.
  MustacheTemplate(std::string_view text, std::string source);

  // The template filled in from `view`. Unknown variables render empty, unknown sections not at
  // all (mustache semantics). Throws ConfigError if the engine reports an error while rendering.
  [[nodiscard]] std::string render(const kainjow::mustache::data& view);

 private:
  // Byte offsets in the text kainjow parsed (standalone lines removed) -> in the original text.
  struct Removal {
    std::size_t parsed_at;  // first offset of the parsed text after the removal
    std::size_t removed;    // bytes removed up to there, in total
  };
  struct Prepared {
    std::string text;
    std::vector<Removal> removals;
  };
  static Prepared prepare(std::string_view text, const std::string& source);
  MustacheTemplate(std::string_view original, Prepared prepared, std::string source);

  [[noreturn]] void fail(std::size_t parsed_offset, std::string_view what) const;

  std::string original_;
  std::string source_;
  std::vector<Removal> removals_;
  kainjow::mustache::mustache engine_;
};

// The text of template `name` (kPageTemplate or kEmailTemplate) and the name errors give it:
// `<templates_dir>/<name>` when templates_dir is not empty and that file exists, else the
// built-in template. Throws ConfigError when templates_dir is set but is not a directory, or when
// the file exists but cannot be read.
struct TemplateText {
  std::string text;
  std::string source;
};
TemplateText load_template(const std::filesystem::path& templates_dir, std::string_view name);

}  // namespace arxiv_digest::render_detail
