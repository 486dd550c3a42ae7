// Shell completion scripts generated from the command line itself, so they always list the
// commands, options and choices the binary actually has (`arxiv-digest completions bash|zsh`;
// `cmake --install` writes them where bash-completion and zsh look).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace arxiv_digest {

// One option of a command, as the shells see it.
struct CompletionOption {
  std::vector<std::string> names;    // "-c", "--config" (dashes included)
  std::string description;
  bool takes_value = false;          // false: a flag
  std::vector<std::string> choices;  // the fixed set of values, when there is one
  bool file_value = false;           // the value is a path (files are offered)
};

// One command: "" (the tool itself), "run", "config", "config check", ...
struct CompletionCommand {
  std::string path;
  std::string description;
  std::vector<std::string> subcommands;  // direct children, by name
  std::vector<CompletionOption> options;
  bool takes_files = false;              // positional arguments that are files (match FILE...)
};

// Every visible command of `app`, depth first (hidden commands, with an empty group, skipped).
std::vector<CompletionCommand> completion_commands(const CLI::App& app);

// The scripts. Both complete the command path, the options of the command reached, option
// values with fixed choices, and file names where a path is expected.
std::string bash_completion_script(const std::vector<CompletionCommand>& commands);
std::string zsh_completion_script(const std::vector<CompletionCommand>& commands);
// One line per command: "<path>\t<option names, space-separated>" ("-" for the root path).
std::string completion_listing(const std::vector<CompletionCommand>& commands);

// `arxiv-digest completions bash|zsh|list`: registered as a hidden command (group "") by run_app.
struct CompletionsOptions {
  std::string shell;
};
CLI::App* add_completions_command(CLI::App& app, CompletionsOptions& options);
int command_completions(const CLI::App& app, const CompletionsOptions& options, std::ostream& out);

}  // namespace arxiv_digest
