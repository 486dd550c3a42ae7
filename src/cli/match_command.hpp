// `arxiv-digest match QUERY [FILE...]`: a topic query over arXiv documents, like grep.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace arxiv_digest {

struct MatchOptions {
  std::string query;
  std::vector<std::string> files;  // empty or "-" = standard input
  bool count = false;              // print the number of matching papers only
  bool json = false;               // one JSON object per matching paper
  bool ids = false;                // the ids only
};

// Exit status of `match`, grep's convention (not the other commands' codes): a paper matched,
// none did, or something went wrong (bad query, unreadable file, malformed line).
inline constexpr int kMatchFound = 0;
inline constexpr int kMatchNone = 1;
inline constexpr int kMatchError = 2;

// Adds the `match` subcommand to `app`, filling `options`. --count, --ids and --json exclude
// each other (a usage error).
CLI::App* add_match_command(CLI::App& app, MatchOptions& options);

// Reads each file (RSS feed, API Atom, OAI-PMH page, listing page, or JSON Lines records such as
// arXiv's metadata snapshot; gzip-compressed or not; the format is detected from the content)
// and prints to `out` the papers matching the query, in input order (a paper in several files
// once). JSON Lines are streamed with bounded memory and matched on all cores, each raw line
// prefiltered before it is parsed. Problems are reported on `err`, each naming file (and
// file:line for a record): a malformed query stops at once; an unreadable file is skipped; a
// malformed line is skipped and the scan goes on. Returns kMatchFound, kMatchNone, or
// kMatchError if anything was reported (after printing everything that matched). Throws
// nothing but what writing to `out` or `err` may throw.
int command_match(const MatchOptions& options, std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest
