// libFuzzer target for the listing parser: any input must either parse or throw ParseError (or
// IncompleteFetchError, for a readable page whose counts disagree with its entries); any other
// exception, crash, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "sources/parsed_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  try {
    (void)arxiv_digest::parse_listing_page(body, "https://arxiv.org/list/cs.LG/new");
  } catch (const arxiv_digest::ParseError&) {
    // Rejected input: expected.
  } catch (const arxiv_digest::IncompleteFetchError&) {
    // A page short of its own counts: expected.
  }
  return 0;
}
