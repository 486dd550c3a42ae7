// Prompts for chat-completion backends, kept as versioned files in data/prompts/ and compiled in.
//
// A prompt file has sections "### system" and "### retry" (see data/prompts/translate-v1.txt).
// The first attempt of a text uses the system prompt; later attempts use the retry prompt, which
// words the task differently and says why the previous answer was rejected. The prompt version
// is part of the translation cache key: a new wording means a new file and a new version.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace arxiv_digest {

// The version used by default ("translate-v1").
inline constexpr std::string_view kPromptVersion = "translate-v1";

struct PromptSet {
  std::string version;  // "translate-v1"
  std::string system;   // with {language} placeholders left in
  std::string retry;    // with {language} and {problem} left in

  // The system message for attempt `attempt` (1-based); `problem` is the previous rejection.
  std::string system_message(std::string_view language_name, int attempt,
                             std::string_view problem) const;
  // Distinctive lines of the instructions: an answer containing one echoes the prompt.
  std::vector<std::string> echo_markers() const;
};

// Parses a prompt file's text. Throws ConfigError naming `name` when a section is missing.
PromptSet parse_prompt_file(std::string_view text, std::string version, std::string_view name);

// The compiled-in prompt set of `version`. Throws ConfigError for an unknown version.
PromptSet builtin_prompts(std::string_view version = kPromptVersion);

// Human name of a target language code for prompts ("zh-CN" -> "Simplified Chinese"); the code
// itself when unknown.
std::string language_name(std::string_view target);

}  // namespace arxiv_digest
