#include "render/template_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <optional>
#include <system_error>

#include "core/error.hpp"
#include "render/renderer.hpp"
#include "render/template_builtin.hpp"

namespace arxiv_digest::render_detail {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// "<source>:<line>:<column>: <what>" for byte `offset` of `text`.
ConfigError error_at(std::string_view source, std::string_view text, std::size_t offset,
                     std::string_view what) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
  const std::size_t line_start =
      before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  return ConfigError(fmt::format("{}:{}:{}: {}", source, line, offset - line_start + 1, what));
}

struct Line {
  std::size_t begin;  // first byte of the line
  std::size_t end;    // one past its line break (or the end of the text)
};

// The line of the tag text[at, end) when nothing but blanks shares it, else nullopt.
std::optional<Line> standalone_line(std::string_view text, std::size_t at, std::size_t end) {
  const std::size_t newline = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
  const std::size_t begin = newline == std::string_view::npos ? 0 : newline + 1;
  for (std::size_t i = begin; i < at; ++i)
    if (!is_blank(text[i])) return std::nullopt;
  std::size_t line_end = end;
  while (line_end < text.size() && is_blank(text[line_end])) ++line_end;
  if (line_end == text.size()) return Line{begin, line_end};
  if (text.compare(line_end, 2, "\r\n") == 0) return Line{begin, line_end + 2};
  if (text[line_end] == '\n') return Line{begin, line_end + 1};
  return std::nullopt;
}

}  // namespace

// Scans the tags as kainjow does with the default delimiters: "{{" opens a tag, a third '{'
// makes it a triple mustache closed by "}}}", otherwise the first "}}" closes it.
MustacheTemplate::Prepared MustacheTemplate::prepare(std::string_view text,
                                                     const std::string& source) {
  Prepared prepared;
  prepared.text.reserve(text.size());
  std::size_t copied = 0;  // text[0, copied) is in prepared.text (minus what was removed)
  std::size_t removed = 0;
  std::size_t at = 0;
  while ((at = text.find("{{", at)) != std::string_view::npos) {
    if (at + 2 < text.size() && text[at + 2] == '{')
      throw error_at(source, text, at,
                     "{{{...}}} is not supported: every variable is escaped, use {{name}}");
    const std::size_t close = text.find("}}", at + 2);
    if (close == std::string_view::npos) break;  // kainjow reports the unclosed tag
    std::string_view contents = text.substr(at + 2, close - at - 2);
    while (!contents.empty() && is_blank(contents.front())) contents.remove_prefix(1);
    const char kind = contents.empty() ? ' ' : contents.front();
    if (kind == '&')
      throw error_at(source, text, at,
                     "{{&...}} is not supported: every variable is escaped, use {{name}}");
    if (kind == '>') throw error_at(source, text, at, "partials ({{>name}}) are not supported");
    if (kind == '=')
      throw error_at(source, text, at, "changing the delimiters ({{=...=}}) is not supported");
    const std::size_t end = close + 2;
    if (kind == '#' || kind == '^' || kind == '/' || kind == '!') {
      const std::optional<Line> line = standalone_line(text, at, end);
      // line->begin < copied only for a tag after another on its line: never standalone.
      if (line && line->begin >= copied) {
        prepared.text.append(text.substr(copied, line->begin - copied));
        removed += at - line->begin;
        prepared.removals.push_back({prepared.text.size(), removed});
        prepared.text.append(text.substr(at, end - at));
        removed += line->end - end;
        prepared.removals.push_back({prepared.text.size(), removed});
        copied = line->end;
      }
    }
    at = end;
  }
  prepared.text.append(text.substr(copied));
  return prepared;
}

MustacheTemplate::MustacheTemplate(std::string_view text, std::string source)
    // `source` is copied, not moved: the order in which arguments are evaluated is unspecified.
    : MustacheTemplate(text, prepare(text, source), source) {}

MustacheTemplate::MustacheTemplate(std::string_view original, Prepared prepared, std::string source)
    : original_(original),
      source_(std::move(source)),
      removals_(std::move(prepared.removals)),
      engine_(prepared.text) {
  if (!engine_.is_valid()) {
    // kainjow's messages end with " at <byte offset>", e.g. `Unclosed section "x" at 120`.
    const std::string& message = engine_.error_message();
    const std::size_t space = message.rfind(" at ");
    std::size_t offset = 0;
    if (space != std::string::npos) {
      const char* first = message.data() + space + 4;
      const char* last = message.data() + message.size();
      const auto [ptr, ec] = std::from_chars(first, last, offset);
      if (ec == std::errc{} && ptr == last) fail(offset, message.substr(0, space));
    }
    throw ConfigError(fmt::format("{}: {}", source_, message));
  }
  engine_.set_custom_escape([](const std::string& value) { return escape_html(value); });
}

void MustacheTemplate::fail(std::size_t parsed_offset, std::string_view what) const {
  // The last removal at or before the offset tells how many bytes precede it in the original.
  const auto after = std::upper_bound(
      removals_.begin(), removals_.end(), parsed_offset,
      [](std::size_t offset, const Removal& removal) { return offset < removal.parsed_at; });
  const std::size_t removed = after == removals_.begin() ? 0 : std::prev(after)->removed;
  throw error_at(source_, original_, parsed_offset + removed, what);
}

std::string MustacheTemplate::render(const kainjow::mustache::data& view) {
  std::string out = engine_.render(view);
  if (!engine_.is_valid())
    throw ConfigError(fmt::format("{}: {}", source_, engine_.error_message()));
  return out;
}

TemplateText load_template(const std::filesystem::path& templates_dir, std::string_view name) {
  if (!templates_dir.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(templates_dir, error))
      throw ConfigError(fmt::format("templates directory {} does not exist or is not a directory",
                                    templates_dir.string()));
    const std::filesystem::path path = templates_dir / name;
    if (std::filesystem::exists(path, error)) {
      std::ifstream in;
      if (std::filesystem::is_regular_file(path, error)) in.open(path, std::ios::binary);
      std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (!in.is_open() || in.bad())
        throw ConfigError(fmt::format("cannot read template {}", path.string()));
      return {std::move(text), path.string()};
    }
  }
  const std::string_view builtin = builtin_template(name);
  return {std::string(builtin), fmt::format("built-in {}", name)};
}

}  // namespace arxiv_digest::render_detail
