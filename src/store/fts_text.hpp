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

}  // namespace arxiv_digest
