// The reference text layout (the seed digest /work/shared/seed/000_28e39854bc5d5fd6.txt), one
// item per line, lines joined with "\n":
// clang-format off
//   生成时间: <generated, reader zone> (<UTC±h>); Arxiv 发布时间: <announced ET> <EDT|EST> (<announced, reader zone> <UTC±h>)
//   今天共有 <number of distinct papers> 篇相关文章
//   Keyword: <topic name>             -- per topic, config order
//   There is no result                -- when the topic selected nothing; otherwise per paper:
//   <title>
//   <中文标题>                         -- only when translated ("[翻译失败 …: reason]" when failed)
//   - Authors: A, B, C
//   - Subjects: Machine Learning (cs.LG); Artificial Intelligence (cs.AI)
//   - Matched: "reinforcement learning" (title, abstract)   -- only with RenderOptions::explain
//   - Arxiv link: https://arxiv.org/abs/<id without version>
//   - Pdf link: https://arxiv.org/pdf/<id without version>
//   - Abstract
//   <abstract>
//   - 中文摘要                         -- these two only when translated
//   <中文摘要>
// clang-format on
//
// Deliberate differences from the seed, which had three defects: its ET announcement date was a
// day late, it printed "- Subjects: Subjects:" followed by a line break before the list, and the
// file lacked a final newline. We print the correct ET date, one "- Subjects: <list>" line, and
// end the file with a single "\n".
#include <fmt/format.h>

#include <string>

#include "core/topic.hpp"
#include "render/render_internal.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest {

namespace {

void append_line(std::string& out, std::string_view line) {
  out += line;
  out += '\n';
}

std::string join_authors(const std::vector<std::string>& authors) {
  std::string joined;
  for (const std::string& author : authors) {
    if (!joined.empty()) joined += ", ";
    joined += author;
  }
  return joined;
}

}  // namespace

std::string text_header_line(const Digest& digest) {
  const render_detail::HeaderTimes times = render_detail::header_times(digest);
  return fmt::format("生成时间: {} ({}); Arxiv 发布时间: {} {} ({} {})", times.generated_local,
                     times.generated_offset, times.announced_et, times.announced_et_abbreviation,
                     times.announced_local, times.announced_offset);
}

std::string render_text(const Digest& digest, const RenderOptions& options) {
  render_detail::check_digest(digest);
  std::string out;
  append_line(out, text_header_line(digest));
  append_line(out, fmt::format("今天共有 {} 篇相关文章", digest.papers.size()));
  for (const TopicResult& result : digest.topics) {
    append_line(out, fmt::format("Keyword: {}", result.topic.name));
    if (result.papers.empty()) {
      append_line(out, "There is no result");
      continue;
    }
    for (std::size_t position = 0; position < result.papers.size(); ++position) {
      const std::size_t index = result.papers[position];
      const Paper& paper = digest.papers[index];
      const PaperTranslation* translation = render_detail::translation_of(digest, index);
      append_line(out, paper.title);
      if (translation != nullptr) {
        if (!translation->title_failure.empty())
          append_line(out, translation_failure_marker(translation->title_failure));
        else if (!translation->title.empty())
          append_line(out, translation->title);
      }
      append_line(out, fmt::format("- Authors: {}", join_authors(paper.authors)));
      append_line(out, fmt::format("- Subjects: {}", render_detail::subjects_line(paper)));
      if (const MatchReason* reason = render_detail::reason_of(result, position);
          options.explain && reason != nullptr) {
        const std::string why = render_detail::describe_reason(result.topic, *reason);
        if (!why.empty()) append_line(out, fmt::format("- Matched: {}", why));
      }
      append_line(out, fmt::format("- Arxiv link: {}", abs_url(paper.id)));
      append_line(out, fmt::format("- Pdf link: {}", pdf_url(paper.id)));
      append_line(out, "- Abstract");
      append_line(out, paper.abstract);
      if (translation != nullptr &&
          (!translation->abstract.empty() || !translation->abstract_failure.empty())) {
        append_line(out, "- 中文摘要");
        append_line(out, translation->abstract_failure.empty()
                             ? translation->abstract
                             : translation_failure_marker(translation->abstract_failure));
      }
    }
  }
  return out;
}

}  // namespace arxiv_digest
