// `arxiv-digest harvest --from DATE [--until DATE] [--set SET] [--format arXiv|arXivRaw]`: takes a
// window of arXiv into the archive through OAI-PMH (pipeline/oai_harvest.hpp), resumable.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace arxiv_digest {

struct HarvestOptions {
  std::string from;          // YYYY-MM-DD, required
  std::string until;         // YYYY-MM-DD or ""
  std::string set;           // OAI set ("cs", "physics:hep-th"); "" = all of arXiv
  std::string format = "arXiv";
  std::string archive;       // the archive file; "" = the configuration's [store]
  std::string config_path;   // "" = the default configuration file (if any)
  bool quiet = false;
};

// Adds the `harvest` subcommand to `app`, filling `options`.
CLI::App* add_harvest_command(CLI::App& app, HarvestOptions& options);

// Runs the harvest: a summary line on `out`; notes, retries and (on a terminal) a progress line
// with pages, records, records/s and the ETA when arXiv gives the list size, on `err`. Returns
// kExitOk; bad arguments throw (the caller maps exceptions to exit codes, app.hpp): a usage
// error for bad dates/format, ConfigError, HttpStatusError/TransportError (network),
// ParseError (an OAI-PMH error response or an unreadable page, naming the request), StoreError.
int command_harvest(const HarvestOptions& options, std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest
