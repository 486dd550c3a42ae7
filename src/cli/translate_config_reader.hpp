// Reads the [translate] table (private to the cli; pulls in toml++).
#pragma once

#include <toml++/toml.h>

#include <string>

#include "cli/translate_config.hpp"

namespace arxiv_digest {

// Throws ConfigError "<name>:<line>:<col>: ..." for unknown keys (with a suggestion), wrong
// types and bad values.
void read_translate_config(const toml::table& table, const std::string& name, TranslateConfig& out);

}  // namespace arxiv_digest
