// The prompt files of data/prompts/, compiled in by src/translate/CMakeLists.txt (private).
#pragma once

#include <span>
#include <string_view>

namespace arxiv_digest {

struct BuiltinPromptFile {
  std::string_view version;  // file name without ".txt"
  std::string_view text;     // the whole file
};

std::span<const BuiltinPromptFile> builtin_prompt_files();

}  // namespace arxiv_digest
