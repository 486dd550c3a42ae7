// `arxiv-digest serve`: the web UI over the archive (src/serve), until Ctrl-C / SIGTERM.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace arxiv_digest {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 = any free port
  std::string archive;                     // the archive file; excludes config
  std::string config;                      // the configuration ([store] path, [output] dir/katex)
  std::string out_dir;                     // the digest folder; default [output] dir
};

// Adds the `serve` subcommand to `app`, filling `options`. --archive and --config exclude each
// other (a usage error).
CLI::App* add_serve_command(CLI::App& app, ServeOptions& options);

// Opens the archive (which must exist: serve never creates one), binds, prints
// "Serving <url>" on its own line to `out` (flushed: scripts read the URL from it) and serves
// until SIGINT or SIGTERM, then returns kExitOk. Throws ConfigError (bad --listen, bad
// configuration), StoreError (no or unreadable archive) or TransportError (cannot bind), which
// run_app maps to exit codes 3, 8 and 5.
int command_serve(const ServeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest
