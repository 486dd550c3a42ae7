// The command-line application: parses arguments, composes the stages, maps errors to exit codes.
// The only place that writes to stdout/stderr.
#pragma once

#include <exception>
#include <iosfwd>

namespace arxiv_digest {

// Distinct, documented exit codes (README "Exit codes").
enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,        // a bug or an unexpected failure
  kExitUsage = 2,           // bad command-line arguments
  kExitConfig = 3,          // configuration file invalid
  kExitNoAnnouncement = 4,  // arXiv made no announcement for that listing date; nothing written
  kExitNetwork = 5,         // network / HTTP failure after retries
  kExitBadData = 6,         // a source document could not be parsed
  kExitIncomplete = 7,      // a fetch returned fewer papers than the source declared
  kExitStore = 8,           // the archive failed (nothing was changed)
  kExitOutput = 9,          // an output file could not be written
  kExitTranslation = 10,    // digest written, but some translations failed (marked in it)
  kExitDelivery = 11,       // digest written, but a delivery (email, webhook) failed
};

// The exit code of a command that failed with `failure`, after writing the error message to
// `err` (what run_app does with every exception a command throws).
int exit_code_for(const std::exception_ptr& failure, std::ostream& err);

// Runs `arxiv-digest` with `argv`. Digest text goes to `out`, messages to `err`.
int run_app(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest
