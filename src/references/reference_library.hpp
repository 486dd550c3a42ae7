// Parsers for reference-manager exports (Zotero, Better BibTeX, JabRef, Mendeley): the papers a
// user points a topic at ("topics by example"). Pure functions of their input: no I/O, no global
// state, thread-safe.
//
// Contract shared by every parser:
// - Input is the whole file. A UTF-8 byte-order mark is skipped. Inputs larger than
//   kMaxLibraryBytes, empty (only whitespace), or not valid UTF-8 are rejected.
// - Entries come back in file order. Each carries the title and abstract (whitespace-normalised,
//   TeX left as written), authors in "Forenames Keyname" display order, the DOI, and the arXiv id
//   when one can be found (see each format below).
// - An entry with neither a title nor an arXiv id is an error (field "title"): the user must fix
//   the file. An entry with an arXiv id and no title is valid (the caller looks the id up).
// - Every failure throws ParseError naming `source`, the 1-based line and column (column 0 when
//   the format has none to give) and the field involved; the message quotes the bad value.
//   Nothing is returned on failure.
//
// arXiv ids are recognised in: "https://arxiv.org/abs/<id>" and ".../pdf/<id>[.pdf]" URLs, the
// arXiv DOI "10.48550/arXiv.<id>", and "arXiv:<id>" (optionally "arXiv: <id>") inside free-text
// fields; new and old style, with or without version.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/arxiv_id.hpp"

namespace arxiv_digest {

// The largest export accepted (a 64 MiB library holds a few hundred thousand entries).
inline constexpr std::size_t kMaxLibraryBytes = 64u * 1024u * 1024u;

enum class ReferenceFormat { kBibtex, kRis, kCslJson };

// "BibTeX", "RIS", "CSL-JSON" (for messages).
std::string_view to_string(ReferenceFormat format) noexcept;

struct ReferenceEntry {
  // BibTeX: eprint (when archivePrefix / eprinttype is absent or arXiv), then doi, url, number,
  // journal, journaltitle, note, eid, howpublished. RIS: UR, L1, L2, DO, M3, ID, N1, SP, JO, T2,
  // JF, VL. CSL-JSON: number, URL, DOI, id, note, container-title, archive_location. First hit
  // wins.
  std::optional<ArxivId> arxiv_id;
  // Whitespace-normalised. BibTeX grouping braces are removed ("{RL}" -> "RL",
  // "{{Deep}} Nets" -> "Deep Nets"); a brace group that starts with a backslash (a TeX special
  // character such as "{\'a}") and escaped braces ("\{") are kept as written.
  std::string title;
  std::string abstract;              // same treatment as title; may be empty
  std::vector<std::string> authors;  // "Forenames Keyname"; "and others" is dropped
  std::string doi;                   // as written, "https://doi.org/" / "doi:" prefix removed
  std::size_t line = 0;              // 1-based line where the entry starts
};

struct ReferenceLibrary {
  ReferenceFormat format = ReferenceFormat::kBibtex;
  std::vector<ReferenceEntry> entries;
};

// Detects the format from the content, then parses: CSL-JSON when the first non-blank byte
// (after a BOM) is '[' or '{'; RIS when one of the first ten lines is a "TY  - " line; BibTeX
// when an "@type{" (or "@type(") appears. Anything else is a ParseError (line 1, field "").
ReferenceLibrary parse_reference_library(std::string_view text, std::string_view source);

// BibTeX / BibLaTeX. Text outside entries is ignored (BibTeX treats it as comment); @comment and
// @preamble are skipped; @string macros, the predefined month macros (jan..dec) and '#'
// concatenation are expanded; values may be {braced} (nested), "quoted" or bare numbers; entry
// and field names are case-insensitive; entries may use ( ) instead of { }. Errors: unclosed
// brace or quote (position of the opening delimiter, field = the field), missing '=' or ',',
// undefined macro (field = the field, quoting the macro), an eprint that archivePrefix says is
// arXiv but is not an arXiv id (field "eprint"). Author lists are split on "and" outside braces;
// "Last, First", "Last, Jr, First", "First Last" and Better BibLaTeX's
// "family=..., given=..., prefix=..." forms are understood.
ReferenceLibrary parse_bibtex(std::string_view text, std::string_view source);

// RIS ("TY  - JOUR" ... "ER  - "): LF or CRLF line endings, one or two spaces before the '-'.
// TI or T1 -> title; AB or N2 -> abstract; AU or A1 -> authors ("Last, First[, Suffix]");
// DO -> doi. A line that is not a tag line continues the previous tag's value. Errors: a tag
// outside a record (field = the tag), a record without ER before the next TY or the end of the
// file (position of its TY, field "ER").
ReferenceLibrary parse_ris(std::string_view text, std::string_view source);

// CSL-JSON: an array of items, or one item object (Zotero "CSL JSON" and Better BibTeX's "Better
// CSL JSON"). Item fields read: title, abstract, author ([{family, given, non-dropping-particle,
// dropping-particle, suffix}] or [{literal}]), DOI, URL, number, id, note, container-title,
// archive_location. `line` is the line of the item's '{'. Errors: malformed JSON (position
// reported by the JSON parser), an item that is not an object, a field of the wrong type (field =
// its key).
ReferenceLibrary parse_csl_json(std::string_view text, std::string_view source);

}  // namespace arxiv_digest
