// `arxiv-digest import FILE...`: arXiv's metadata snapshot (Kaggle's arxiv-metadata-oai-snapshot,
// JSON Lines, plain or gzip) into the archive, streamed with bounded memory.
//
// Records are parsed with the JsonlRecordParser `match` uses and saved in batches, one
// transaction each (Archive::save_papers: idempotent upserts, the full-text index kept in step).
// A killed import keeps every committed batch and leaves the archive consistent; running the same
// import again finishes it (records already stored are rewritten unchanged). A record whose id
// is stored already replaces its data (the snapshot's newer metadata wins). Malformed lines are
// reported as file:line on `err`, skipped and counted. On a terminal, progress (records/s, MB/s,
// ETA from the file size) is shown on `err`.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace arxiv_digest {

struct ImportOptions {
  std::vector<std::string> files;
  std::string archive_path;  // --archive; empty: the configuration's [store] path
  std::string config_path;   // -c
  std::size_t batch = 10000;  // records per transaction
  bool quiet = false;         // no progress, no summary
  bool progress = false;      // force progress output even when err is not a terminal (tests)
};

CLI::App* add_import_command(CLI::App& app, ImportOptions& options);

// Imports every file in order; prints a summary line to `err` (unless quiet). Returns the exit
// code (app.hpp): 0 all records imported; 6 some lines were malformed or a file was unreadable
// (everything else imported); 8 the archive failed (batches committed before stay); 3 the
// configuration is invalid.
int command_import(const ImportOptions& options, std::ostream& err);

}  // namespace arxiv_digest
