// Prefilter: one Hyperscan pass over a paper's raw bytes that proves, for most papers, that no
// query of a QuerySet can match them, so they are never tokenised. Internal to the match library.
//
// Soundness: the prefilter answers "may match" when the text contains (ASCII case-insensitively)
// one of the phrases in the loose form below, or anything the tokenizer could turn into letters
// that are not in the raw text: a non-ASCII character that is not *inert* (accents, ligatures,
// full-width forms, soft hyphens, ...: see Inert below), a TeX accent or letter command (`\"o`,
// `\ss`) or braces inside a word (transparent there: "Re{in}forcement"; after a command's name,
// `\emph{x}`, they join nothing). On the remaining texts every folded word that is ASCII is, lower-
// cased, a run of ASCII letters and digits of the raw text, and between any two words there is at
// least one byte that is no letter or digit, and no letter other than TeX command names (`\emph`,
// never words: tokenizer.hpp). A phrase is given as the *stems* of its words, each a prefix of
// every form its word accepts ("polic" for policy/policies); its loose form is
//   stem1 [a-z0-9]* ( [^a-z0-9] | \[a-z]+ )+ stem2 ... stemN,
// which every occurrence of the phrase in such a text satisfies (`\textbf{Diffusion}
// \textbf{Policies}` too).
// Inert characters (text mode): a non-ASCII character that the tokenizer, alone and between
// letters or digits, reads as a separator, or as a letter that folds into non-ASCII letters only
// (Greek "α", Cyrillic, "ø"; a table, inert_class(), which the tests check against the
// tokenizer). Such a letter can be no part of a phrase's ASCII stem, so the stems of a phrase
// occurrence are still in the raw text; the code reading the loose form takes inert letters as
// letters of the word they are in ("diffusionα policy" for `diffus*`) and inert separators as
// separators, and any byte >= 0x80 next to braces between letters as unsafe (`α{β}`). Texts with
// Greek letters or typographic punctuation are thus ruled out by their bytes, without tokenising.
//
// JSON mode (PrefilterInput::kJsonText): the text scanned is raw JSON (a whole JSON Lines record,
// escapes and keys included) and the answer must cover every string value in it once decoded.
// Any `\\` (an escaped backslash: TeX of any kind in the decoded text), any `\u` escape (it may
// hide a letter or a non-ASCII character), any byte >= 0x80 and any braces between letters or
// digits make the text "may match". (Not the TeX patterns above: every TeX feature needs a
// decoded backslash, so `\\`; and braces count even after a backslash and letters, which in
// raw JSON are an escape and a word, `\nabc{d}`, not a command's name.) Without them, the only
// escapes left are `\"` `\/`
// `\b` `\f` `\n` `\r` `\t`, each decoding to one character that is neither a letter, a digit
// nor a backslash, and every other decoded byte is its raw byte: the decoded values hold none of
// the unsafe features above, and a phrase occurrence in one of them appears in the raw text
// with each separator byte either itself or a two-byte escape. So the loose form's separator
// becomes ([^a-z0-9\\]|\\.)+ (an escape counts as a separator, `reinforcement\nlearning`
// included). Phrases may then match across fields or inside keys: that only costs work.
//
// How: Hyperscan looks only for the first stem of each phrase (a case-insensitive literal, which
// compiles in about a millisecond where the loose forms as regular expressions took ~90 ms for
// 20 phrases) and for the unsafe features; the rest of the loose form is checked by code from
// each hit, reading separators left to right as the tokenizer (text: a backslash and the
// letters after it are one command; any other backslash one byte) or a JSON decoder (raw JSON: a
// backslash and the byte after it are one escape) reads them. On a text without unsafe
// features every occurrence of a phrase starts with a hit of its first stem from which that
// reading reaches each next word, so no occurrence is missed.
//
// Exact decisions (text mode, when exact phrases are given): on a *plain* text, pure ASCII with
// no backslash and no brace, the tokenizer's words are exactly the maximal runs of ASCII letters
// and digits (lower-cased), and the gap before a word is soft exactly when every byte of it is
// one of ` \t\n\v\f\r-` (tokenizer.hpp). So a phrase occurs in a plain text exactly when the
// raw text matches, ASCII case-insensitively,
//   (^|[^a-zA-Z0-9]) F1 G2 F2 ... Gn Fn ([^a-zA-Z0-9]|$)
// (checked by code from each hit of the first word's literal, exact_at() in prefilter.cpp)
// where Fk is the alternation of the forms word k accepts as a whole token (the word, its
// plurals; `word[a-zA-Z0-9]*` for a prefix) and Gk is `[ \x09-\x0d-]+` (a soft gap), or
// `[^a-zA-Z0-9]+` when the query allows any gap there. decide() answers from those patterns
// alone on plain texts, and from the prefilter above (kNo or kMaybe) on the others.
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

// One word of a phrase for exact decisions: lower-case ASCII letters and digits.
struct ExactWord {
  enum class Form { kPlural, kExact, kPrefix };
  std::string word;
  Form form = Form::kPlural;
  bool any_gap = false;  // any gap before this word matches (else only a soft one)
};

// Non-ASCII characters the tokenizer never folds into ASCII letters or digits (text mode, see
// "Inert characters" above): a separator (it ends words: "–", "≥", "×", no-break space), a letter
// (part of a word, folded into non-ASCII letters only: Greek, Cyrillic, "ø"), or neither
// (anything else, "é" included: the text may match).
enum class Inert : std::uint8_t { kNo, kSeparator, kLetter };
Inert inert_class(std::uint32_t code_point);
// The class of the UTF-8 character starting at text[at] (`at` < size), and its length in bytes
// (1 when kNo). Invalid or truncated sequences are kNo.
Inert inert_at(std::string_view text, std::size_t at, std::size_t& length);

// What decide() knows about a text: no phrase occurs in it, one does, or only tokenising tells.
enum class Verdict { kNo, kMaybe, kYes };

class Prefilter {
 public:
  // `phrases`: each a sequence of word stems of lower-case ASCII letters and digits (anything
  // else is rejected by throwing Error). Throws Error when Hyperscan cannot compile them (the
  // message is Hyperscan's).
  explicit Prefilter(const std::vector<std::vector<std::string>>& phrases,
                     PrefilterInput input = PrefilterInput::kText);
  // Also compiles the exact forms of `exact` (words as ExactWord says, else Error), for
  // decide(). Text mode only (`input` kJsonText: Error).
  Prefilter(const std::vector<std::vector<std::string>>& phrases, PrefilterInput input,
            const std::vector<std::vector<ExactWord>>& exact);

  // False only when `text` cannot contain a word any key is part of (see above).
  bool may_match(std::string_view text, PrefilterScratch& scratch) const;
  // With exact phrases: kYes when `text` is plain and one of them occurs in it, kNo when none
  // can (plain and none occurs, or may_match() would say false), else kMaybe. Without: kNo or
  // kMaybe as may_match().
  Verdict decide(std::string_view text, PrefilterScratch& scratch) const;

  // What the scan callbacks need (internal to prefilter.cpp). Main database: pattern ids
  // [0, loose.size()) are the first stems of the loose phrases, then the unsafe features (text:
  // braces_id the braces between letters or digits). Exact database: id k the first literal of
  // exact[k].
  struct Patterns {
    bool json = false;
    std::vector<std::vector<std::string>> loose;
    std::vector<std::vector<ExactWord>> exact;
    unsigned int braces_id = ~0u;
    unsigned int non_ascii_id = ~0u;  // text: the lead byte of a non-ASCII character
  };

 private:
  void build(const std::vector<std::vector<std::string>>& phrases, PrefilterInput input,
             const std::vector<std::vector<ExactWord>>* exact);
  // Scans `text` with `database` (one of ours); false when Hyperscan failed (unsure).
  bool scan(const hs_database_t* database, std::string_view text, PrefilterScratch& scratch,
            bool& found) const;

  HsDatabase database_;
  HsDatabase exact_database_;                 // plain texts (decide()); null without exact phrases
  std::shared_ptr<const Patterns> patterns_;  // shared: a Prefilter stays cheap to move
  bool exact_ = false;
  // Unique per Prefilter (a process-wide counter, never 0): a scratch sized for a destroyed
  // prefilter is re-sized even if a new database lands at the same address.
  std::uint64_t id_ = 0;
};

}  // namespace arxiv_digest
