// Private helpers shared by the three arXiv parsers (not installed, not part of the contract).
// Pure functions, thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"

namespace arxiv_digest::parse_detail {

// error_at() lives in core/error.hpp.
using ::arxiv_digest::error_at;

// IncompleteFetchError for a readable document whose own counts disagree with the entries it
// holds ("showing 10 of 10 entries" over 9 entries): the message starts "source:line:column: "
// like error_at's, so the user sees where; the type says "incomplete", not "unreadable".
[[nodiscard]] IncompleteFetchError incomplete_at(std::string_view source, std::string_view body,
                                                 std::size_t offset, const std::string& message);

// Throws ParseError when `body` is larger than kMaxSourceBytes, is empty, or is not UTF-8
// (position of the first bad byte; field = the element open there). `what` names the expected
// format ("RSS feed").
void check_body(std::string_view body, std::string_view source, std::string_view what);

// Name of the innermost element still open at byte `offset` of a markup document (XML or HTML:
// comments, CDATA, processing instructions, HTML void elements and raw-text elements are
// skipped); when `offset` falls inside a tag, that tag's name. Empty at top level. Tolerant
// heuristic for error messages only.
std::string open_element_at(std::string_view body, std::size_t offset);

// True when the document (after BOM/whitespace/comments) starts like an HTML page: a
// `<!DOCTYPE html` or an `<html` / `<head` / `<body` element.
bool looks_like_html(std::string_view body);

// excerpt() and trim() live in core/text.hpp.
using ::arxiv_digest::excerpt;
using ::arxiv_digest::trim;

// A date-time as written in the document, and the instant it denotes.
struct DateTime {
  Date local_date{};  // the calendar date as written (before any zone shift)
  std::chrono::sys_seconds instant{};
};

// RFC 822 / RFC 2822 as used by RSS: "Thu, 18 Jun 2026 00:00:00 -0400" (weekday optional,
// seconds optional, zone "+hhmm"/"-hhmm"/"GMT"/"UT"/"Z"/"EST"/"EDT"...). nullopt if malformed.
std::optional<DateTime> parse_rfc822(std::string_view text);
// RFC 3339 as used by Atom: "2017-07-27T08:18:33Z", "2016-10-09T00:00:00-04:00",
// fractional seconds allowed. nullopt if malformed.
std::optional<DateTime> parse_rfc3339(std::string_view text);
// "Thursday, 18 June 2026" (weekday optional; day and month name, full or 3-letter).
std::optional<Date> parse_long_date(std::string_view text);

// The arXiv category rule (documented in api_parser.cpp): an archive of lower-case letters and
// '-' ("hep-th", "quant-ph", "cs"), optionally '.' and a subject class of letters and '-'
// ("cs.LG", "cond-mat.str-el", "math.GT"). Rejects ACM ("I.2.6") and MSC ("68T05") codes.
bool is_arxiv_category(std::string_view term);

// Splits an author line such as RSS <dc:creator>: "A. One, B. Two (Uni X, Lab Y), and C. Three".
// Commas inside parentheses do not split; "and" joins are split; a trailing parenthesised
// affiliation is dropped so names match the API and listing pages. Empty names are skipped.
std::vector<std::string> split_authors(std::string_view line);

}  // namespace arxiv_digest::parse_detail
