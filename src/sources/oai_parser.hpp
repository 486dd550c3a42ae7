// parse_oai_pmh: one response page of arXiv's OAI-PMH 2.0 interface (https://oaipmh.arxiv.org/oai,
// formerly http://export.arxiv.org/oai2), verbs ListRecords and GetRecord, in any of arXiv's three
// metadata formats: `arXiv`, `arXivRaw` and `oai_dc`.
//
// Contract
// - Pure function of its input: no I/O, thread-safe, nothing retained after it returns.
// - Records come back in document order as Paper values with announce_type = kNew (OAI-PMH knows
//   no listings). Records whose <header status="deleted"> are skipped and only counted.
// - `resumption_token`: absent when the page has no <resumptionToken>; otherwise its trimmed
//   text, which OAI-PMH leaves EMPTY on the last page of a list. Use has_more() to decide whether
//   to ask for another page. `complete_list_size` is the token's completeListSize attribute when
//   given (arXiv's 2025 rewrite stopped sending it).
// - `metadata_prefix` is detected from the first record's metadata element (<arXiv>,
//   <arXivRaw>, <oai_dc:dc>); when the page carries no record with metadata it is the
//   <request metadataPrefix> attribute (empty when that is absent too). Records of two
//   different formats in one page are a ParseError.
// - An OAI-PMH <error code="noRecordsMatch"> is an expected outcome, not an error: an empty page
//   without token. Every other <error> (badArgument, badResumptionToken, badVerb,
//   cannotDisseminateFormat, idDoesNotExist, noSetHierarchy, ...) throws ParseError with field
//   "error" whose message quotes the code and arXiv's text.
// - Other failures throw ParseError naming `source`, the 1-based line/column and the element:
//   empty, oversized (kMaxSourceBytes) or non-UTF-8 bodies, HTML pages (field "html"), XML that is
//   not well-formed or truncated, a root other than <OAI-PMH>, a response that is neither
//   ListRecords nor GetRecord, a record without metadata or with an unknown metadata format, a
//   record without a valid arXiv id (field "id" / "identifier") or without a title, dates that
//   cannot be read, a completeListSize that is not a number.
//
// Mapping to Paper (whitespace normalised like the other parsers, TeX kept verbatim):
//   id        <id> of the arXiv/arXivRaw metadata, else the header <identifier>
//             "oai:arXiv.org:2401.12345" / "oai:arXiv.org:hep-th/9901001". arXivRaw lists the
//             version history, so its id carries the latest <version version="vN">; the other
//             formats give no version.
//   authors   arXiv: <author><forenames><keyname><suffix> -> "Forenames Keyname Suffix";
//             arXivRaw: the <authors> line split on commas and "and" (parenthesised
//             affiliations dropped) like the RSS dc:creator; oai_dc: each <dc:creator>
//             "Keyname, Forenames[, Suffix]" -> "Forenames Keyname[ Suffix]".
//   categories  arXiv/arXivRaw: space-separated <categories>, primary first. oai_dc carries no
//             category codes, only subject NAMES ("Computer Science - Information Theory"):
//             <dc:subject> texts are kept only when they are arXiv codes, so oai_dc papers
//             normally have NO categories and an EMPTY primary_category (the header <setSpec>
//             names sets such as "cs" or "physics:hep-th", not categories, and is not used).
//   abstract  <abstract>; oai_dc: the first <dc:description> not starting with "Comment:".
//   comments  <comments>; oai_dc: the <dc:description> "Comment: ..." (prefix removed).
//   journal_ref, doi, license   <journal-ref>, <doi> (arXivRaw may list several DOIs separated
//             by spaces; kept as written), <license>. oai_dc: not read (left empty).
//   submitted / updated   arXiv: <created> / <updated> (YYYY-MM-DD, midnight UTC; updated =
//             created when there is no <updated>, i.e. only v1 exists); arXivRaw: RFC 822
//             <date> of the v1 <version> / of the last <version>; oai_dc: first / last <dc:date>.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/paper.hpp"

namespace arxiv_digest {

struct OaiPage {
  std::vector<Paper> papers;                      // document order; deleted records skipped
  std::size_t deleted = 0;                        // records with <header status="deleted">
  std::optional<std::string> resumption_token;    // non-empty = more pages; empty/absent = last
  std::optional<std::size_t> complete_list_size;  // resumptionToken@completeListSize when given
  std::string metadata_prefix;                    // "arXiv", "arXivRaw" or "oai_dc" (see above)

  // True when the server handed out a non-empty resumption token (another page to fetch).
  bool has_more() const noexcept { return resumption_token && !resumption_token->empty(); }
};

// Parses one OAI-PMH response body. `source` (URL or path) names the body in error messages.
// Throws ParseError as described above; nothing else on bad input.
[[nodiscard]] OaiPage parse_oai_pmh(std::string_view body, std::string_view source);

}  // namespace arxiv_digest
