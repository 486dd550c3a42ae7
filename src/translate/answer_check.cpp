#include "translate/answer_check.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>

#include "core/text.hpp"

namespace arxiv_digest {
namespace {

// Decodes the code point at `pos` (valid UTF-8 assumed; invalid bytes read as themselves).
char32_t decode(std::string_view text, std::size_t& pos) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  int length = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
  if (pos + static_cast<std::size_t>(length) > text.size()) length = 1;
  char32_t cp = length == 1   ? b0
                : length == 2 ? (b0 & 0x1Fu)
                : length == 3 ? (b0 & 0x0Fu)
                              : (b0 & 0x07u);
  for (int i = 1; i < length; ++i)
    cp = (cp << 6) | (static_cast<unsigned char>(text[pos + static_cast<std::size_t>(i)]) & 0x3Fu);
  pos += static_cast<std::size_t>(length);
  return cp;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && ascii_lower(text.substr(0, prefix.size())) == prefix;
}

}  // namespace

std::string_view to_string(AnswerProblem problem) noexcept {
  switch (problem) {
    case AnswerProblem::kNone:
      return "ok";
    case AnswerProblem::kEmpty:
      return "empty answer";
    case AnswerProblem::kThink:
      return "reasoning (<think>) in the answer";
    case AnswerProblem::kCommentary:
      return "commentary around the translation";
    case AnswerProblem::kEcho:
      return "the instructions echoed";
    case AnswerProblem::kPlaceholders:
      return "protected spans damaged";
    case AnswerProblem::kUnchanged:
      return "the answer equals the source";
    case AnswerProblem::kNotTarget:
      return "not in the target language";
    case AnswerProblem::kTruncated:
      return "answer cut off (finish_reason length)";
  }
  return "?";
}

bool contains_cjk(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const char32_t cp = decode(text, pos);
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF) ||
        (cp >= 0x20000 && cp <= 0x2FA1F))
      return true;
  }
  return false;
}

std::string strip_wrappers(std::string_view answer) {
  std::string_view text = trim(answer);
  if (text.starts_with("```") && text.size() >= 6 && text.ends_with("```")) {
    text.remove_suffix(3);
    const std::size_t newline = text.find('\n');
    // "```text\n…```": drop the info string with the fence.
    text = newline == std::string_view::npos ? text.substr(3) : text.substr(newline + 1);
    text = trim(text);
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kQuotes = {
      {{"\"", "\""}, {"\u201C", "\u201D"}, {"\u300C", "\u300D"}, {"'", "'"}, {"\u300E", "\u300F"}}};
  for (const auto& [open, close] : kQuotes) {
    if (text.size() >= open.size() + close.size() && text.starts_with(open) &&
        text.ends_with(close)) {
      const std::string_view inner =
          text.substr(open.size(), text.size() - open.size() - close.size());
      // Only a wrapping pair: the inner text must not contain another closing quote.
      if (inner.find(close) == std::string_view::npos) {
        text = trim(inner);
        break;
      }
    }
  }
  return std::string(text);
}

AnswerCheck check_answer(std::string_view answer, const MaskedText& source, std::string_view target,
                         const std::vector<std::string>& echo_markers) {
  AnswerCheck check;
  auto fail = [&](AnswerProblem problem, std::string detail) {
    check.problem = problem;
    check.detail = std::move(detail);
    return check;
  };
  const std::string text = strip_wrappers(answer);
  if (text.empty()) return fail(AnswerProblem::kEmpty, "the answer is empty");
  if (text.find("<think>") != std::string::npos || text.find("</think>") != std::string::npos)
    return fail(AnswerProblem::kThink, "the answer contains <think> reasoning");
  static constexpr std::array<std::string_view, 16> kPrefixes = {
      "以下是",   "下面是", "翻译：", "翻译:",        "译文：",           "译文:",
      "中文翻译", "好的，", "好的,",  "translation:", "translated text:", "here is",
      "here's",   "sure,",  "sure!",  "certainly"};
  for (std::string_view prefix : kPrefixes) {
    if (starts_with_ci(text, prefix))
      return fail(AnswerProblem::kCommentary,
                  fmt::format("the answer starts with commentary \"{}\"", prefix));
  }
  static constexpr std::array<std::string_view, 6> kInside = {
      "\n翻译：", "\n译文：", "\nTranslation:", "（注：", "(注：", "\nNote:"};
  for (std::string_view marker : kInside) {
    if (text.find(marker) != std::string::npos)
      return fail(AnswerProblem::kCommentary,
                  fmt::format("the answer contains commentary \"{}\"", trim(marker)));
  }
  for (const std::string& marker : echo_markers) {
    if (text.find(marker) != std::string::npos)
      return fail(AnswerProblem::kEcho,
                  fmt::format("the answer repeats the instruction \"{}\"", marker));
  }
  RestoreResult restored = restore_protected(text, source);
  if (!restored.ok) return fail(AnswerProblem::kPlaceholders, restored.problem);
  if (normalize_whitespace(text) == normalize_whitespace(source.text))
    return fail(AnswerProblem::kUnchanged, "the answer is the untranslated source");
  const std::string lower = ascii_lower(target);
  const bool cjk_target =
      lower.starts_with("zh") || lower.starts_with("ja") || lower.starts_with("ko");
  // A text that is nothing but protected spans has nothing to translate; otherwise a CJK target
  // must show CJK characters.
  if (cjk_target && !contains_cjk(text))
    return fail(AnswerProblem::kNotTarget, fmt::format("no {} characters in the answer", target));
  check.text = std::move(restored.text);
  return check;
}

}  // namespace arxiv_digest
