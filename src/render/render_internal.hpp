// Helpers shared by the renderers (private to the render library).
#pragma once

#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/topic.hpp"
#include "render/renderer.hpp"

namespace arxiv_digest::render_detail {

// The zone arXiv announces in.
inline constexpr std::string_view kArxivZone = "America/New_York";

// Throws arxiv_digest::Error unless `translations` is empty or parallel to `papers` and every
// topic index is in range (see renderer.hpp).
void check_digest(const Digest& digest);

// The reason for the paper at `position` of `result.papers`, or nullptr when none is known.
const MatchReason* reason_of(const TopicResult& result, std::size_t position);

// Why a topic selected a paper, as one line of plain text: each term found with its fields, then
// the score: `"reinforcement learning" (title, abstract); BM25 7.31` or
// `similarity 0.42 to "<nearest example's title>"`. Empty when the reason is empty.
std::string describe_reason(const Topic& topic, const MatchReason& reason);

// The translation of paper `index`, or nullptr when there is none.
const PaperTranslation* translation_of(const Digest& digest, std::size_t index);

// Category codes to show for `paper`: primary first, then the others, no duplicates.
std::vector<std::string> ordered_categories(const Paper& paper);
// "Machine Learning (cs.LG); Artificial Intelligence (cs.AI)".
std::string subjects_line(const Paper& paper);

// The header's moments, formatted.
struct HeaderTimes {
  std::string generated_local;            // "2026-06-18 19:52:58" in digest.time_zone
  std::string generated_offset;           // "UTC+8"
  std::string announced_et;               // "2026-06-17 20:00" in America/New_York
  std::string announced_et_abbreviation;  // "EDT" / "EST"
  std::string announced_local;            // "2026-06-18 08:00" in digest.time_zone
  std::string announced_offset;           // "UTC+8"
};
HeaderTimes header_times(const Digest& digest);

// Byte ranges [first, second) of a field: sorted, non-overlapping.
using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// Position of the `$` (or `$$`, `delimiter` = 2) closing a TeX math span whose content starts at
// `from`; npos when there is none. Backslash escapes inside math (`\$`) do not close it.
std::size_t find_math_close(std::string_view text, std::size_t from, std::size_t delimiter);
// The TeX math spans `$...$` / `$$...$$` of `text` (delimiters included). A backslash followed by
// `$` is a literal dollar (never an opener); a `$` without a partner opens nothing.
Ranges math_spans(std::string_view text);
// The spans `reason` found in `field` (whose text has `size` bytes), merged; spans outside the
// text are ignored. Empty for a null reason.
Ranges highlights_in(const MatchReason* reason, MatchField field, std::size_t size);
// `requested` (sorted, merged) trimmed so each range starts and ends on an ASCII letter or digit
// or a non-ASCII byte, without the ranges that touch TeX math: what a renderer may emphasise.
Ranges visible_highlights(std::string_view text, const Ranges& requested);

// `ranges` with each end moved forward to the next boundary between the steps sanitize_text()
// decodes `text` in (whole characters, or single bytes of a broken sequence); empty ranges
// dropped. Sanitising the pieces between such boundaries one by one gives the same bytes as
// sanitising the whole text, so a span ending mid-character never turns a valid character into
// U+FFFD.
Ranges snap_to_characters(std::string_view text, const Ranges& ranges);

// The dotted path of every variable the HTML view of `digest` defines ("title",
// "topics.papers.abstract_parts.marked"), for the test that keeps templates/README.md true.
// Variables set only for some papers (a translation failure, a DOI) appear only when the digest
// has such a paper.
std::set<std::string> html_view_variables(const Digest& digest, const HtmlOptions& options,
                                          bool email);

// "2026-06-18T11:52:58Z".
std::string rfc3339_utc(std::chrono::sys_seconds instant);

}  // namespace arxiv_digest::render_detail
