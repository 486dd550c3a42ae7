// Markdown for GitHub (CommonMark + GFM). Layout:
//
//   # arXiv digest for 2026-06-18
//
//   - **Generated:** 2026-06-18 19:52:58 (UTC+8)
//   - **Announced:** 2026-06-17 20:00 EDT (2026-06-18 08:00 UTC+8)
//   - **Categories:** cs.AI, cs.LG
//   - **Relevant papers:** 30 of 412 announced
//
//   ## reinforcement learning (30 papers)      -- per topic, config order
//
//   There is no result                         -- when the topic selected nothing
//
//   ### [Title](https://arxiv.org/abs/<id>)    -- per paper, in the topic's order
//
//   中文标题                                     -- when translated
//
//   - **Authors:** A, B, C
//   - **Subjects:** Machine Learning (cs.LG); Artificial Intelligence (cs.AI)
//   - **Matched:** "reinforcement learning" (title, abstract)   -- why the topic selected it
//   - **Comments:** / **Journal ref:** / **DOI:**   -- each only when present
//   - **Links:** [arXiv:<id>](abs) · [PDF](pdf)
//
//   **Abstract**
//
//   <abstract paragraph>
//
//   **中文摘要**                                  -- these two when translated
//
//   <中文摘要 paragraph>
//
// Text from arXiv goes through escape_markdown() where it starts a paragraph and through
// escape_markdown_inline() elsewhere (see renderer.hpp for the rule). The words a topic's query
// found are **bold** in the title and abstract (not inside TeX math, which GitHub renders
// itself).
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/topic.hpp"
#include "render/render_internal.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest {

namespace {

bool is_ascii_punctuation(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 0x21 && u <= 0x2F) || (u >= 0x3A && u <= 0x40) || (u >= 0x5B && u <= 0x60) ||
         (u >= 0x7B && u <= 0x7E);
}

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_hex_digit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// True when text[pos] == '&' begins an entity or numeric character reference CommonMark would
// decode: &name; &#123; &#x1F;.
bool starts_entity(std::string_view text, std::size_t pos) {
  std::size_t i = pos + 1;
  if (i < text.size() && text[i] == '#') {
    ++i;
    const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
    if (hex) ++i;
    const std::size_t digits_begin = i;
    while (i < text.size() && (hex ? is_hex_digit(text[i]) : (text[i] >= '0' && text[i] <= '9')))
      ++i;
    return i > digits_begin && i < text.size() && text[i] == ';';
  }
  const std::size_t name_begin = i;
  while (i < text.size() && is_ascii_alnum(text[i])) ++i;
  return i > name_begin && i < text.size() && text[i] == ';';
}

std::string escape_inline(std::string_view text) { return escape_markdown_inline(text); }

// Byte ranges of one field to show in bold: sorted, non-overlapping.
using Highlights = render_detail::Ranges;
using render_detail::find_math_close;
using render_detail::highlights_in;
std::string escape(std::string_view text, bool block, const Highlights& highlights);

// Percent-encodes what would end or break a Markdown link destination (parentheses, spaces,
// angle brackets, ...), and every non-ASCII byte.
std::string link_destination(std::string_view url) {
  std::string out;
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    const bool safe = u > 0x20 && u < 0x7F && c != '(' && c != ')' && c != '<' && c != '>' &&
                      c != '"' && c != '\\' && c != '`' && c != '[' && c != ']' && c != '{' &&
                      c != '}' && c != '|' && c != '^';
    if (safe)
      out += c;
    else
      out += fmt::format("%{:02X}", u);
  }
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const std::size_t begin = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t') ++i;
    if (i > begin) words.emplace_back(text.substr(begin, i - begin));
  }
  return words;
}

std::string join_escaped(const std::vector<std::string>& items, std::string_view separator) {
  std::string joined;
  for (const std::string& item : items) {
    if (!joined.empty()) joined += separator;
    joined += escape_inline(item);
  }
  return joined;
}

void append_paragraph(std::string& out, std::string_view text) {
  out += text;
  out += "\n\n";
}

std::string papers_count(std::size_t count) {
  return fmt::format("{} {}", count, count == 1 ? "paper" : "papers");
}

void append_paper(std::string& out, const Topic& topic, const Paper& paper,
                  const PaperTranslation* translation, const MatchReason* reason) {
  const std::string abs = abs_url(paper.id);
  out += fmt::format("### [{}]({})\n\n",
                     escape(paper.title, /*block=*/false,
                            highlights_in(reason, MatchField::kTitle, paper.title.size())),
                     abs);
  if (translation != nullptr) {
    if (!translation->title_failure.empty())
      append_paragraph(
          out, fmt::format("**{}**",
                           escape_inline(translation_failure_marker(translation->title_failure))));
    else if (!translation->title.empty())
      append_paragraph(out, escape_markdown(translation->title));
  }
  out += fmt::format("- **Authors:** {}\n", join_escaped(paper.authors, ", "));
  out += fmt::format("- **Subjects:** {}\n", escape_inline(render_detail::subjects_line(paper)));
  if (reason != nullptr) {
    const std::string why = render_detail::describe_reason(topic, *reason);
    if (!why.empty()) out += fmt::format("- **Matched:** {}\n", escape_inline(why));
  }
  if (!paper.comments.empty())
    out += fmt::format("- **Comments:** {}\n", escape_inline(paper.comments));
  if (!paper.journal_ref.empty())
    out += fmt::format("- **Journal ref:** {}\n", escape_inline(paper.journal_ref));
  if (!paper.doi.empty()) {
    // Some sources (OAI-PMH arXivRaw) list several DOIs separated by spaces: one link each.
    std::vector<std::string> links;
    for (const std::string& doi : split_words(paper.doi))
      links.push_back(
          fmt::format("[{}]({})", escape_inline(doi), link_destination("https://doi.org/" + doi)));
    out += fmt::format("- **DOI:** {}\n", fmt::join(links, " · "));
  }
  out += fmt::format("- **Links:** [arXiv:{}]({}) · [PDF]({})\n\n", escape_inline(paper.id.key()),
                     abs, pdf_url(paper.id));
  append_paragraph(out, "**Abstract**");
  append_paragraph(out,
                   escape(paper.abstract, /*block=*/true,
                          highlights_in(reason, MatchField::kAbstract, paper.abstract.size())));
  if (translation != nullptr &&
      (!translation->abstract.empty() || !translation->abstract_failure.empty())) {
    append_paragraph(out, "**中文摘要**");
    append_paragraph(out, translation->abstract_failure.empty()
                              ? escape_markdown(translation->abstract)
                              : fmt::format("**{}**", escape_inline(translation_failure_marker(
                                                          translation->abstract_failure))));
  }
}

}  // namespace

namespace {

std::string escape(std::string_view text, bool block, const Highlights& requested) {
  // Bold runs start and end on letters or digits (a span may begin at a TeX escape or end at a
  // brace: `Caf\'{e}`), so their `**` always open and close emphasis; none touches math (GitHub
  // renders math itself).
  const Highlights highlights = render_detail::visible_highlights(text, requested);
  std::size_t next = 0;  // next highlight to open
  bool open = false;
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  bool line_start = block;
  std::size_t i = 0;
  while (i < text.size()) {
    if (open && i >= highlights[next].second) {
      out += "**";
      open = false;
      ++next;
    }
    // A highlight whose start was stepped over (inside a multi-byte escape) is dropped rather
    // than opened late.
    while (!open && next < highlights.size() && highlights[next].first < i) ++next;
    if (!open && next < highlights.size() && highlights[next].first == i) {
      out += "**";
      open = true;
    }
    const char c = text[i];
    if (line_start) {
      if (c == ' ' || c == '\t') {  // up to 3 spaces may indent a heading, quote or list marker
        out += c;
        ++i;
        continue;
      }
      line_start = false;
      if (c == '#' || c == '>' || c == '-' || c == '+') {
        out += '\\';
        out += c;
        ++i;
        continue;
      }
      if (c >= '0' && c <= '9') {
        std::size_t end = i;
        while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
        out.append(text.substr(i, end - i));
        i = end;
        if (i < text.size() && (text[i] == '.' || text[i] == ')')) {
          out += '\\';
          out += text[i];
          ++i;
        }
        continue;
      }
    }
    switch (c) {
      case '$': {
        const std::size_t delimiter = (i + 1 < text.size() && text[i + 1] == '$') ? 2 : 1;
        const std::size_t close = find_math_close(text, i + delimiter, delimiter);
        if (close != std::string_view::npos) {
          out.append(text.substr(i, close + delimiter - i));  // math: verbatim
          i = close + delimiter;
        } else {
          out += "\\$";
          ++i;
        }
        break;
      }
      case '\\':
        if (i + 1 < text.size() && text[i + 1] == '$') {
          out += "\\$";  // TeX's literal dollar is also Markdown's
          i += 2;
        } else {
          if (i + 1 < text.size() && is_ascii_punctuation(text[i + 1])) out += '\\';
          out += '\\';
          ++i;
        }
        break;
      case '*':
      case '_':
      case '`':
      case '[':
      case ']':
      case '<':
      case '~':
        out += '\\';
        out += c;
        ++i;
        break;
      case '&':
        if (starts_entity(text, i)) out += '\\';
        out += c;
        ++i;
        break;
      case '\n':
        out += c;
        line_start = block;
        ++i;
        break;
      default:
        out += c;
        ++i;
        break;
    }
  }
  if (open) out += "**";
  return out;
}

}  // namespace

std::string escape_markdown(std::string_view text) { return escape(text, /*block=*/true, {}); }
std::string escape_markdown_inline(std::string_view text) {
  return escape(text, /*block=*/false, {});
}

std::string render_markdown(const Digest& digest) {
  render_detail::check_digest(digest);
  const render_detail::HeaderTimes times = render_detail::header_times(digest);
  std::string out;
  out += fmt::format("# arXiv digest for {}\n\n", format_date(digest.listing_date));
  out += fmt::format("- **Generated:** {} ({})\n", times.generated_local, times.generated_offset);
  out +=
      fmt::format("- **Announced:** {} {} ({} {})\n", times.announced_et,
                  times.announced_et_abbreviation, times.announced_local, times.announced_offset);
  if (!digest.categories.empty())
    out += fmt::format("- **Categories:** {}\n", join_escaped(digest.categories, ", "));
  out += fmt::format("- **Relevant papers:** {} of {} announced\n\n", digest.papers.size(),
                     digest.announced_count);
  for (const TopicResult& result : digest.topics) {
    out += fmt::format("## {} ({})\n\n", escape_inline(result.topic.name),
                       papers_count(result.papers.size()));
    if (result.papers.empty()) {
      append_paragraph(out, "There is no result");
      continue;
    }
    for (std::size_t position = 0; position < result.papers.size(); ++position) {
      const std::size_t index = result.papers[position];
      append_paper(out, result.topic, digest.papers[index],
                   render_detail::translation_of(digest, index),
                   render_detail::reason_of(result, position));
    }
  }
  // Exactly one newline at the end.
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
    out.pop_back();
  return out;
}

}  // namespace arxiv_digest
