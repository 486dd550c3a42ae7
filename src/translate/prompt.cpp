#include "translate/prompt.hpp"

#include <fmt/format.h>

#include <map>

#include "core/error.hpp"
#include "core/text.hpp"
#include "translate/builtin_prompts.hpp"

namespace arxiv_digest {
namespace {

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
  return text;
}

std::string trim_lines(std::string_view text) {
  while (!text.empty() && (text.front() == '\n' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

std::string PromptSet::system_message(std::string_view language, int attempt,
                                      std::string_view problem) const {
  if (attempt <= 1) return replace_all(system, "{language}", language);
  return replace_all(replace_all(retry, "{language}", language), "{problem}",
                     problem.empty() ? "it was not a faithful translation" : problem);
}

std::vector<std::string> PromptSet::echo_markers() const {
  std::vector<std::string> markers;
  for (const std::string* section : {&system, &retry}) {
    std::size_t start = 0;
    while (start < section->size()) {
      std::size_t end = section->find('\n', start);
      if (end == std::string::npos) end = section->size();
      // A distinctive phrase of each instruction line: its first words (after any numbering),
      // cut before the first placeholder.
      std::string line =
          normalize_whitespace(std::string_view(*section).substr(start, end - start));
      if (line.size() > 3 && line[0] >= '0' && line[0] <= '9' && line[1] == '.') line.erase(0, 3);
      if (auto brace = line.find('{'); brace != std::string::npos) line.erase(brace);
      if (line.size() > 40) line.erase(40);
      if (line.size() >= 20) markers.push_back(line);
      start = end + 1;
    }
  }
  return markers;
}

PromptSet parse_prompt_file(std::string_view text, std::string version, std::string_view name) {
  std::map<std::string, std::string, std::less<>> sections;
  std::string current;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    if (line.starts_with("### ")) {
      current = normalize_whitespace(line.substr(4));
      sections[current];
    } else if (!current.empty()) {
      sections[current] += line;
      sections[current] += '\n';
    }
    start = end + 1;
  }
  PromptSet set;
  set.version = std::move(version);
  for (auto [section, target] :
       {std::pair{"system", &set.system}, std::pair{"retry", &set.retry}}) {
    auto it = sections.find(section);
    if (it == sections.end() || trim_lines(it->second).empty())
      throw ConfigError(
          fmt::format("prompt file {}: section '### {}' is missing or empty", name, section));
    *target = trim_lines(it->second);
  }
  return set;
}

PromptSet builtin_prompts(std::string_view version) {
  for (const auto& file : builtin_prompt_files()) {
    if (file.version == version)
      return parse_prompt_file(file.text, std::string(file.version),
                               fmt::format("data/prompts/{}.txt", file.version));
  }
  throw ConfigError(fmt::format("unknown prompt version '{}'", version));
}

std::string language_name(std::string_view target) {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"zh-CN", "Simplified Chinese"},
      {"zh-TW", "Traditional Chinese (Taiwan)"},
      {"zh", "Simplified Chinese"},
      {"ja", "Japanese"},
      {"ko", "Korean"},
      {"de", "German"},
      {"fr", "French"},
      {"es", "Spanish"},
      {"ru", "Russian"},
  };
  auto it = names.find(target);
  return it == names.end() ? std::string(target) : it->second;
}

}  // namespace arxiv_digest
