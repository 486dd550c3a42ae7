// libFuzzer target for the configuration loader: any text goes through parse_config() (UTF-8
// check, TOML parser, every section's reader, cross-field checks) exactly as `arxiv-digest`
// loads a file. The only acceptable failure is ConfigError; any other exception, crash, leak or
// sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/config.hpp"
#include "core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const arxiv_digest::Config config =
        arxiv_digest::parse_config(text, "fuzz.toml", "/nonexistent/arxiv-digest-fuzz");
    (void)config;
  } catch (const arxiv_digest::ConfigError&) {
    // Rejected configuration: expected.
  }
  return 0;
}
