// `arxiv-digest demo [--out DIR]`: the digest of the bundled sample day (arXiv's listing of
// Thursday 18 June 2026, five cs categories, local copies of the RSS feed and listing pages), with
// no network access. What `scripts/demo` does from a checkout, for an installed binary.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace arxiv_digest {

struct DemoOptions {
  std::string out_dir = "arxiv-digest-demo";  // where the digest files and the archive go
  std::vector<std::string> formats;            // empty = the sample config's formats
  bool quiet = false;
};

CLI::App* add_demo_command(CLI::App& app, DemoOptions& options);

// Finds the sample day (installed_data_dir()/sample-day, else <source>/examples/sample-day),
// writes <out_dir>/arxiv-digest.toml (the sample configuration with its feed folders made
// absolute and its output and archive moved into out_dir), then runs
// `run --config <that file> --date 2026-06-18 --stdout` and returns its exit code. A missing
// sample day is a config error (exit 3) naming the folders searched.
int command_demo(const DemoOptions& options, std::ostream& out, std::ostream& err);

}  // namespace arxiv_digest
