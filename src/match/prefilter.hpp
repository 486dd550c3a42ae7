// Prefilter: one Hyperscan pass over a paper's raw bytes that proves, for most papers, that no
// query of a QuerySet can match them, so they are never tokenised. Internal to the match library.
//
// Soundness: the prefilter answers "may match" when the text contains (ASCII case-insensitively)
// one of the phrases in the loose form below, or anything the tokenizer could turn into letters
// that are not in the raw text: a byte >= 0x80 (accents, ligatures, full-width forms, soft
// hyphens, ...), a TeX accent or letter command (`\"o`, `\ss`) or braces inside a word
// (transparent there: "Re{in}forcement"; after a command's name, `\emph{x}`, they join nothing).
// On the remaining texts every folded word is, lower-cased, a run of ASCII letters and digits of
// the raw text, and between any two words there is at least one byte that is no letter or digit,
// and no letter other than TeX command names (`\emph`, never words: tokenizer.hpp).
// A phrase is given as the *stems* of its words, each a prefix of every form its word accepts
// ("polic" for policy/policies); its loose form is
//   stem1 [a-z0-9]* ( [^a-z0-9] | \[a-z]+ )+ stem2 ... stemN,
// which every occurrence of the phrase in such a text satisfies (`\textbf{Diffusion}
// \textbf{Policies}` too).
//
// JSON mode (PrefilterInput::kJsonText): the text scanned is raw JSON (a whole JSON Lines record,
// escapes and keys included) and the answer must cover every string value in it once decoded.
// Besides the patterns above (applied to the raw bytes), any `\\` (an escaped backslash: TeX
// of any kind in the decoded text) and any `\u` escape (it may hide a letter or a non-ASCII
// character) make the text "may match". Without them, the only escapes left are `\"` `\/`
// `\b` `\f` `\n` `\r` `\t`, each decoding to one character that is neither a letter, a digit
// nor a backslash, and every other decoded byte is its raw byte: the decoded values hold none of
// the unsafe features above, and a phrase occurrence in one of them appears in the raw text
// with each separator byte either itself or a two-byte escape. So the loose form's separator
// becomes ([^a-z0-9\\]|\\.)+ (an escape counts as a separator, `reinforcement\nlearning`
// included). Phrases may then match across fields or inside keys: that only costs work. (The
// unsafe patterns must therefore involve only bytes JSON never escapes: letters, digits,
// braces, backslashes and bytes >= 0x80.)
//
// Thread-safety: immutable after construction; may_match() is const, each thread passes its own
// PrefilterScratch.
#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest {

namespace hs_detail {
struct DatabaseDeleter {
  void operator()(hs_database_t* db) const noexcept { hs_free_database(db); }
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* scratch) const noexcept { hs_free_scratch(scratch); }
};
}  // namespace hs_detail

// Move-only owners of Hyperscan's compiled database and per-thread scratch space.
using HsDatabase = std::unique_ptr<hs_database_t, hs_detail::DatabaseDeleter>;
using HsScratch = std::unique_ptr<hs_scratch_t, hs_detail::ScratchDeleter>;

// What may_match() is given: a field's text, or raw JSON whose decoded strings are the texts.
enum class PrefilterInput { kText, kJsonText };

struct PrefilterScratch {
  HsScratch scratch;
  std::uint64_t sized_for = 0;  // Prefilter::id() of the database `scratch` was allocated for
};

class Prefilter {
 public:
  // `phrases`: each a sequence of word stems of lower-case ASCII letters and digits (anything
  // else is rejected by throwing Error). Throws Error when Hyperscan cannot compile them (the
  // message is Hyperscan's).
  explicit Prefilter(const std::vector<std::vector<std::string>>& phrases,
                     PrefilterInput input = PrefilterInput::kText);

  // False only when `text` cannot contain a word any key is part of (see above).
  bool may_match(std::string_view text, PrefilterScratch& scratch) const;

 private:
  HsDatabase database_;
  unsigned int braces_id_ = 0;  // the pattern of braces between letters or digits (prefilter.cpp)
  // Unique per Prefilter (a process-wide counter, never 0): a scratch sized for a destroyed
  // prefilter is re-sized even if a new database lands at the same address.
  std::uint64_t id_ = 0;
};

}  // namespace arxiv_digest
