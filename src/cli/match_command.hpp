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

// Adds the `match` subcommand to `app`, filling `options`.
CLI::App* add_match_command(CLI::App& app, MatchOptions& options);

// Reads each file (RSS feed, API Atom, listing page, or JSONL records such as arXiv's metadata
// snapshot; gzip-compressed or not; the format is detected from the content) and prints the
// papers matching the query, in input order (a paper in several files once). Throws ConfigError
// for a malformed query and ParseError for an unreadable or unrecognised file.
int command_match(const MatchOptions& options, std::ostream& out);

}  // namespace arxiv_digest
