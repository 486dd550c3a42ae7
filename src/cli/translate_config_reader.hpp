// Reads the [translate] table (private to the cli).
#pragma once

#include "cli/translate_config.hpp"
#include "config/toml_section.hpp"

namespace arxiv_digest {

// Reads every [translate] key of `section` into `out` (present = true) and rejects unknown keys.
// Throws ConfigError "<file>:<line>:<col>: [translate] ..." for unknown keys (with a suggestion),
// wrong types, bad values, an `api_key` in the file, and a provider missing what it needs.
void read_translate_config(const TomlSection& section, TranslateConfig& out);

}  // namespace arxiv_digest
