// libFuzzer target for the OAI-PMH parser: any input must either parse or throw ParseError; any
// other exception, crash, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "sources/oai_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    (void)arxiv_digest::parse_oai_pmh(body, "fuzz");
  } catch (const arxiv_digest::ParseError&) {
    // Rejected input: expected.
  }
  return 0;
}
