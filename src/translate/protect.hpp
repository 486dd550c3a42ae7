// Protection of what must not be translated: mask -> translate -> restore, byte for byte.
//
// mask_protected() replaces every protected span of an English title/abstract by a placeholder
// token "{M<n>}" (n = 1, 2, ... in order of appearance) and remembers the original bytes.
// Protected spans, scanned left to right, first match wins at each position:
//   $$…$$  $…$  \(…\)  \[…\]  \begin{env}…\end{env}     TeX math (an escaped \$ is not a delimiter;
//                                                       an unclosed delimiter is plain text)
//   http://… https://…                                  URLs (trailing . , ; : ! ? ) ] ' " dropped)
//   `code` ``code``                                     code spans (a run of N backticks closed by
//                                                       a run of exactly N; TeX ``quotes'' stay)
//   arXiv:2606.18284v2  2606.18284  hep-th/9901001      arXiv identifiers
//   {M7}                                                text that already looks like a token
// restore_protected() accepts the tokens the way translators mangle them (full-width braces or
// digits, spaces inside the braces), requires every token exactly once and no unknown token, and
// puts the original bytes back. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest {

struct MaskedText {
  std::string text;                    // the source with tokens in place of protected spans
  std::vector<std::string> originals;  // originals[i] is what token {M<i+1>} stands for
};

[[nodiscard]] MaskedText mask_protected(std::string_view source);

// The token for the 0-based index `i` ("{M1}" for 0).
[[nodiscard]] std::string placeholder_token(std::size_t index);

struct RestoreResult {
  bool ok = false;
  std::string text;     // the restored translation (when ok)
  std::string problem;  // why not (when !ok): "token {M3} is missing", "token {M2} appears 2 times"
};

// Replaces the tokens of `translated` by `masked.originals`. Fails (ok=false) when a token is
// missing, repeated or unknown.
[[nodiscard]] RestoreResult restore_protected(std::string_view translated,
                                              const MaskedText& masked);

}  // namespace arxiv_digest
