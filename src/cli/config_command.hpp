// `arxiv-digest config check`: validates the configuration as `run` would, before anything is
// fetched, and prints what it means.
#pragma once

#include <filesystem>
#include <iosfwd>

namespace arxiv_digest {

// Loads `config_path_or_empty` (the default configuration file when empty), compiles the topics'
// queries, reads each `examples_file`, and checks the translation settings as `run` does (a
// provider whose api_key_env variable is unset or empty fails here, naming the variable, never
// its value). Prints "<file>: OK" and the settings to `out`; returns kExitOk.
// Throws ConfigError (exit 3) for every problem, with the file's name in the message.
int command_config_check(const std::filesystem::path& config_path_or_empty, std::ostream& out);

}  // namespace arxiv_digest
