// The seed's papers for the translate tests.
#pragma once

#include <regex>
#include <string>
#include <vector>

#include "support/translation_server.hpp"

namespace arxiv_digest::testing {

// Every "$…$" span of `text` (inline math as the seed writes it).
inline std::vector<std::string> dollar_spans(const std::string& text) {
  std::vector<std::string> spans;
  static const std::regex kSpan(R"(\$[^$]+\$)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kSpan);
       it != std::sregex_iterator(); ++it)
    spans.push_back(it->str());
  return spans;
}

}  // namespace arxiv_digest::testing
