// `arxiv-digest search QUERY`: the archive's papers matching a topic query (or Chinese text in
// their stored translations), newest first. See search/search.hpp for the semantics.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace arxiv_digest {

struct SearchOptions {
  std::string query;
  std::string since, until;             // YYYY-MM-DD, inclusive; empty = open
  std::vector<std::string> categories;  // --cat, repeatable or comma-separated
  std::size_t limit = 20;
  std::size_t offset = 0;
  bool json = false;
  bool stats = false;        // --stats: hits, candidates and time on stderr
  std::string language;      // --lang; empty: the configuration's [translate] target, or zh-CN
  std::size_t time_budget_ms = 2000;
  std::string archive_path;  // --archive; empty: the configuration's [store] path
  std::string config_path;   // -c
};

// Exit status of `search`, like `match` (grep's convention): a paper found, none, or an error
// (bad arguments or query, unreadable archive).
inline constexpr int kSearchFound = 0;
inline constexpr int kSearchNone = 1;
inline constexpr int kSearchError = 2;

CLI::App* add_search_command(CLI::App& app, SearchOptions& options);

// Prints the hits to `out` (text: one paper a line block; --json: one object a line) and any
// problem, or a note when the search was cut short by its time budget, to `err`.
int command_search(const SearchOptions& options, std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest
