// Parsers for each arXiv format, from bytes to Paper records. Pure functions of their input:
// no I/O, thread-safe. Each throws ParseError naming `source` (URL or path), the 1-based line and
// column (when the format allows) and the element involved, for: malformed XML/HTML, an HTML
// page where a feed was expected, a truncated body, an entry missing a required field (id,
// title), non-UTF-8 bytes, and inputs above the size limit. A readable document whose own
// counts disagree with the entries it holds (a listing section "showing 10 of 10 entries" over 9
// entries) throws IncompleteFetchError instead, its message starting "source:line:column:".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.hpp"
#include "core/paper.hpp"

namespace arxiv_digest {

// Largest body any parser accepts (arXiv's biggest day is a few MB; 2000-entry pages ~10 MB).
inline constexpr std::size_t kMaxSourceBytes = 64u * 1024u * 1024u;

// What a source document says about one listing day.
struct ParsedListing {
  std::optional<Date> listing_date;       // RSS channel pubDate (ET date) / "new listings for ..."
  std::optional<std::size_t> declared_total;  // listing: "Total of N entries"; API: totalResults
  std::vector<Paper> papers;              // in document order, announce_type set per item
  std::string feed_title;                 // channel/feed title (diagnostics)
};

// RSS 2.0 from https://rss.arxiv.org/rss/<cats>. An HTTP-400 "Feed error for query" document
// is reported as ParseError with field "title" quoting arXiv's message. An empty channel (no
// items) is valid and yields no papers.
ParsedListing parse_rss(std::string_view body, std::string_view source);

// The HTML page https://arxiv.org/list/<cat>/new. "No updates today." yields no papers.
// Section counts ("showing n of N entries") are checked against the entries present and against
// "Total of N entries": a mismatch is an IncompleteFetchError (see listing_parser.cpp).
ParsedListing parse_listing_page(std::string_view body, std::string_view source);

// Atom from the query API (2016 and 2026 layouts). An "Error" entry is reported as ParseError
// with field "entry" quoting arXiv's message. `declared_total` is opensearch:totalResults.
// announce_type of API papers is kNew (the API does not know listings).
struct ParsedApiPage {
  ParsedListing listing;
  std::size_t start_index = 0;
  std::size_t items_per_page = 0;
};
ParsedApiPage parse_api_atom(std::string_view body, std::string_view source);

}  // namespace arxiv_digest
