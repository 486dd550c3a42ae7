// Validation of a translator's answer before it is accepted (pure, thread-safe).
//
// check_answer() first cleans the answer: trims whitespace, strips one wrapping code fence
// (```…```) and one pair of wrapping quotes ("…", “…”, 「…」, '…'). It then rejects, in this order:
//   kEmpty        nothing left
//   kThink        reasoning leaked: "<think>" or "</think>" anywhere
//   kCommentary   a preface or label: "以下是", "翻译：", "译文：", "Translation:", "Here is", ...
//   kEcho         a line of the instructions (PromptSet::echo_markers) copied into the answer
//   kPlaceholders a token missing, repeated or unknown (restore_protected)
//   kUnchanged    the answer equals the (masked) source
//   kNotTarget    a CJK target (zh*, ja, ko) without any CJK character
// and otherwise returns the restored text (protected spans put back byte for byte).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "translate/protect.hpp"

namespace arxiv_digest {

enum class AnswerProblem {
  kNone,
  kEmpty,
  kThink,
  kCommentary,
  kEcho,
  kPlaceholders,
  kUnchanged,
  kNotTarget,
  kTruncated,  // set by backends: finish_reason "length"
};

std::string_view to_string(AnswerProblem problem) noexcept;

struct AnswerCheck {
  AnswerProblem problem = AnswerProblem::kNone;
  std::string text;    // restored translation when problem == kNone
  std::string detail;  // human-readable reason otherwise ("token {M2} is missing")
  bool ok() const noexcept { return problem == AnswerProblem::kNone; }
};

// `answer` as received; `source` the masked text that was sent; `target` e.g. "zh-CN";
// `echo_markers` from the prompt used (may be empty for MT engines).
[[nodiscard]] AnswerCheck check_answer(std::string_view answer, const MaskedText& source,
                                       std::string_view target,
                                       const std::vector<std::string>& echo_markers);

// Whether `text` contains a CJK ideograph, kana or hangul.
[[nodiscard]] bool contains_cjk(std::string_view text);

// Strips the wrappers described above (used by check_answer; exposed for tests).
[[nodiscard]] std::string strip_wrappers(std::string_view answer);

}  // namespace arxiv_digest
