// Prefilter (see prefilter.hpp).
#include "match/prefilter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "match/tokenizer.hpp"

namespace arxiv_digest {
namespace {

// What makes a text ineligible for the raw-byte shortcut (see prefilter.hpp), built from the
// tokenizer's own tables: any byte >= 0x80; a TeX accent escape (`\"o`, `\'{e}`, `\c{c}`, ...);
// a TeX letter command (`\ss`, `\o`, `\aa`, ... ending at a non-letter; `\lambda` is not one).
std::string unsafe_pattern() {
  auto escaped = [](std::string_view chars) {
    std::string out;
    for (char c : chars) out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
    return out;
  };
  std::string commands;
  for (const TexLetterCommand& named : kTexLetterCommands) {
    if (!commands.empty()) commands += '|';
    commands += named.command;
  }
  return fmt::format(R"([\x80-\xff]|\\[{}]|\\[{}]\{{|\\({})([^a-zA-Z]|$))",
                     escaped(kTexAccentSymbols), escaped(kTexAccentLetters), commands);
}

// Also ineligible: braces between two letters or digits of a word, which join them into one
// ("Re{in}forcement"). The pattern finds braces between letters or digits; braces_join_word()
// then leaves out those after a command's name (`\emph{x}`), which join nothing. (A pattern
// telling them apart itself scans several times slower.)
constexpr std::string_view kBracesPattern = "[a-zA-Z0-9][{}]+[a-zA-Z0-9]";

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// `end`: one past a kBracesPattern match in `text`. False when the letters before the braces are
// a TeX command's name: a run of letters right after a single backslash. After two backslashes
// (`\\` is a line break, then text) or a digit they are a word's.
bool braces_join_word(std::string_view text, std::size_t end) {
  std::size_t left = end - 1;  // the letter or digit after the braces
  while (left > 0 && (text[left - 1] == '{' || text[left - 1] == '}')) --left;
  --left;  // the letter or digit before them
  if (!is_letter(text[left])) return true;
  while (left > 0 && is_letter(text[left - 1])) --left;
  if (left == 0 || text[left - 1] != '\\') return true;
  return left >= 2 && text[left - 2] == '\\';
}

// Between two words of a phrase: the rest of the first word, then at least one byte that is not
// a letter or digit, or a TeX command's name (`} \textbf{`).
constexpr std::string_view kLooseGap = R"([a-z0-9]*(?:[^a-z0-9]|\\[a-z]+)+)";

struct ScanState {
  std::string_view text;
  unsigned int braces_id = 0;
  bool found = false;
};

int on_match(unsigned int id, unsigned long long, unsigned long long to, unsigned int,
             void* context) {
  auto& state = *static_cast<ScanState*>(context);
  if (id == state.braces_id && !braces_join_word(state.text, static_cast<std::size_t>(to)))
    return 0;  // braces after a command's name: keep scanning
  state.found = true;
  return 1;  // terminate the scan
}

}  // namespace

Prefilter::Prefilter(const std::vector<std::vector<std::string>>& phrases, PrefilterInput input) {
  // Between two words of a phrase: non-alphanumeric bytes; in raw JSON also escapes (see
  // prefilter.hpp: `\n` is a separator there, not an `n`).
  // (A TeX command's name in a gap, kLooseGap, never reaches the JSON form: its backslash is
  // escaped in JSON, and an escaped backslash sends the line to the full matcher.)
  const std::string separator = input == PrefilterInput::kJsonText
                                    ? std::string(R"([a-z0-9]*([^a-z0-9\\]|\\.)+)")
                                    : std::string(kLooseGap);
  std::vector<std::string> expressions;
  std::vector<unsigned int> flags;
  for (const auto& phrase : phrases) {
    std::string expression;
    for (const std::string& stem : phrase) {
      const bool valid = !stem.empty() && std::all_of(stem.begin(), stem.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      });
      if (!valid)
        throw Error(
            fmt::format("prefilter stem '{}' is not lower-case ASCII letters and digits", stem));
      if (!expression.empty()) expression += separator;
      expression += stem;
    }
    if (expression.empty()) throw Error("prefilter phrase is empty");
    expressions.push_back(std::move(expression));
    flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL);
  }
  expressions.push_back(unsafe_pattern());
  flags.push_back(HS_FLAG_SINGLEMATCH);
  braces_id_ = static_cast<unsigned int>(expressions.size());
  expressions.emplace_back(kBracesPattern);
  flags.push_back(0);  // every match: each is checked by braces_join_word()
  if (input == PrefilterInput::kJsonText) {
    expressions.push_back(R"(\\[\\u])");  // an escaped backslash, or a \u escape
    flags.push_back(HS_FLAG_SINGLEMATCH);
  }

  std::vector<const char*> pointers;
  std::vector<unsigned int> ids;
  for (std::size_t i = 0; i < expressions.size(); ++i) {
    pointers.push_back(expressions[i].c_str());
    ids.push_back(static_cast<unsigned int>(i));
  }
  hs_database_t* database = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(pointers.data(), flags.data(), ids.data(),
                       static_cast<unsigned int>(pointers.size()), HS_MODE_BLOCK, nullptr,
                       &database, &error) != HS_SUCCESS) {
    const std::string message =
        error != nullptr && error->message != nullptr ? error->message : "unknown error";
    hs_free_compile_error(error);
    throw Error(fmt::format("Hyperscan cannot compile the prefilter: {}", message));
  }
  database_.reset(database);
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id.fetch_add(1, std::memory_order_relaxed);
}

bool Prefilter::may_match(std::string_view text, PrefilterScratch& scratch) const {
  if (text.empty()) return false;
  if (text.size() > 0xFFFFFFFFu) return true;  // beyond hs_scan's length type: do the work
  if (scratch.sized_for != id_) {
    hs_scratch_t* raw = scratch.scratch.release();
    if (hs_alloc_scratch(database_.get(), &raw) != HS_SUCCESS) {
      scratch.scratch.reset(raw);
      throw Error("Hyperscan cannot allocate scratch space");
    }
    scratch.scratch.reset(raw);
    scratch.sized_for = id_;
  }
  ScanState state{text, braces_id_};
  const hs_error_t result =
      hs_scan(database_.get(), text.data(), static_cast<unsigned int>(text.size()), 0,
              scratch.scratch.get(), on_match, &state);
  if (result != HS_SUCCESS && result != HS_SCAN_TERMINATED) return true;  // unsure: do the work
  return state.found;
}

}  // namespace arxiv_digest
