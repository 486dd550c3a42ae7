// `arxiv-digest init`: a first configuration file, from answers to a few questions or from flags.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace arxiv_digest {

struct InitOptions {
  std::string config_path;         // --config; empty = default_config_path()
  std::string categories;          // --categories cs.LG,cs.AI
  std::vector<std::string> topics; // --topic NAME (repeatable)
  std::string translate;           // --translate openai|deepl|libretranslate|none
  std::string model;               // --model (openai)
  std::string base_url;            // --base-url (translator)
  std::string key_env;             // --key-env: the variable holding the translation key
  std::string email;               // --email ADDRESS: a reader of the whole digest
  std::string smtp_url;            // --smtp-url
  std::string from;                // --from (default: --email)
  std::string smtp_user_env;       // --smtp-user-env / --smtp-password-env
  std::string smtp_password_env;
  std::string out_dir;             // --out DIR
  std::string formats;             // --formats text,markdown,json,html
  std::string timezone;            // --timezone Asia/Shanghai
  bool yes = false;                // --yes: ask nothing, take flags and defaults
  bool force = false;              // --force: replace an existing file
  bool check_key = false;          // --check-key: one tiny translation request with the key
};

// Adds the `init` subcommand to `app`, filling `options`.
CLI::App* add_init_command(CLI::App& app, InitOptions& options);

// Asks for every setting no flag gave, on `out`, reading one answer per line from `in` (an empty
// line takes the default shown in brackets; a wrong answer is explained and asked again; the end
// of `in` before a required answer is a usage error). With options.yes nothing is asked:
// --categories and at least one --topic are required. The answers are checked (categories against
// arXiv's taxonomy, with the closest code suggested; topic queries; the time zone; formats;
// addresses), then the file is written commented, through a temporary file and a rename, and
// read back with the real configuration reader. An existing file is refused without --force.
// Secrets are never asked for or written: the file names the environment variables.
// Returns kExitOk; kExitUsage for a refused answer or an existing file (nothing written);
// kExitTranslation when --check-key's request failed (the file is written all the same).
int command_init(const InitOptions& options, std::istream& in, std::ostream& out,
                 std::ostream& err);

}  // namespace arxiv_digest
