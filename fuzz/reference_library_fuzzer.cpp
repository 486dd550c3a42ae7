// libFuzzer target for the reference-library parsers (BibTeX, RIS, CSL-JSON): every input goes
// through format detection and through each parser directly; each must either parse or throw
// ParseError. Any other exception, crash, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "references/reference_library.hpp"

namespace {

template <typename Parse>
void run(Parse parse, std::string_view text) {
  try {
    (void)parse(text, "fuzz");
  } catch (const arxiv_digest::ParseError&) {
    // Rejected input: expected.
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  run(arxiv_digest::parse_reference_library, text);
  run(arxiv_digest::parse_bibtex, text);
  run(arxiv_digest::parse_ris, text);
  run(arxiv_digest::parse_csl_json, text);
  return 0;
}
