// The text the SQLite full-text index (papers_fts) holds for a paper field: the field with TeX
// accent escapes and grouping braces resolved the way the matcher's tokenizer reads them
// (match/tokenizer.hpp), so that FTS5's unicode61 tokenizer sees the same words:
// `Schr\"odinger` and `Schr{\"o}dinger` -> "Schrodinger", "Re{in}forcement" -> "Reinforcement",
// `\ss` -> "ss", and any other TeX command (`\emph`, `\alpha`) a space. Store-internal; pure.
//
// It cannot reproduce ICU's NFKC folding ("ﬁ" ligatures, full-width letters, "ß" = "ss" in
// text): words written that way are indexed as unicode61 folds them (case and diacritics only).
#pragma once

#include <string>
#include <string_view>

namespace arxiv_digest {

std::string fts_fold(std::string_view text);

// What papers_fts actually holds for a field (schema 6): the distinct words of fts_fold(text)
// in ASCII lower case, in the order they first occur, without the stop words below, joined by
// spaces. A word is a run of ASCII letters and digits and non-ASCII bytes; every other
// ASCII byte separates words, as in unicode61, which splits the non-ASCII runs further itself.
// The index is `detail = column` (which words occur in which column, never where or how
// often), so repeats and stop words only cost time: leaving them out halves what FTS5
// tokenizes on an import.
std::string fts_words(std::string_view text);

// Whether `word` (ASCII, any case) is one of the stop words fts_words() leaves out: a query for
// such a word cannot use the index (the scan treats it as "any paper").
bool fts_is_stopword(std::string_view word);

// Whether some stop word starts with `prefix` (ASCII, any case): a prefix query for it cannot
// use the index either.
bool fts_stopword_has_prefix(std::string_view prefix);

}  // namespace arxiv_digest
