// `arxiv-digest config check`: validates the configuration as `run` would, before anything is
// fetched, and prints what it means.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <iosfwd>

namespace arxiv_digest {

// Loads `config_path_or_empty` (the default configuration file when empty), compiles the topics'
// queries, reads each `examples_file`, and checks the translation settings as `run` does (a
// provider whose api_key_env variable is unset or empty fails here, naming the variable, never
// its value). Prints "<file>: OK" and the settings to `out`; returns kExitOk.
// Throws ConfigError (exit 3) for every problem, with the file's name in the message.
// `--online` (a non-empty `online_user_agent`, which gives the User-Agent arXiv sees): then
// reaches each configured endpoint once (cli/online_check.hpp) and prints a line per endpoint,
// "ok (N ms)", "FAILED: reason" or "not contacted: why"; returns kExitNetwork when one failed.
struct Config;
int command_config_check(
    const std::filesystem::path& config_path_or_empty, std::ostream& out,
    const std::function<std::string(const Config&)>& online_user_agent = {});

// What the configuration means, one setting a line, indented by two spaces (what `config check`
// prints after "OK", and `doctor` under "configuration"). Secret variables: their names and
// whether they are set, never their values. Throws ConfigError for an unreadable examples_file.
void describe_config(const Config& config, std::ostream& out);

}  // namespace arxiv_digest
