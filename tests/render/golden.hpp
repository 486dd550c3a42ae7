// Golden-file comparison for the render tests. With ARXIV_DIGEST_UPDATE_GOLDEN=1 in the
// environment the golden file under tests/data is (re)written from `actual` instead.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "support/test_support.hpp"

namespace arxiv_digest::testing {

// The first line where `expected` and `actual` differ, for a readable failure message.
inline std::string first_difference(std::string_view expected, std::string_view actual) {
  std::size_t line = 1;
  std::size_t line_begin = 0;
  for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
    if (expected[i] != actual[i]) {
      const auto line_of = [&](std::string_view text) {
        return std::string(text.substr(line_begin, text.find('\n', line_begin) - line_begin));
      };
      return "line " + std::to_string(line) + ":\n  expected: " + line_of(expected) +
             "\n  actual:   " + line_of(actual);
    }
    if (expected[i] == '\n') {
      ++line;
      line_begin = i + 1;
    }
  }
  return "sizes differ: expected " + std::to_string(expected.size()) + " bytes, actual " +
         std::to_string(actual.size());
}

inline void expect_golden(std::string_view relative, const std::string& actual) {
  const auto path = data_path(relative);
  const char* update = std::getenv("ARXIV_DIGEST_UPDATE_GOLDEN");
  if (update != nullptr && std::string_view(update) == "1") {
    write_file(path, actual);
    std::cout << "updated golden file " << path << "\n";
    return;
  }
  const std::string expected = read_file(path);
  EXPECT_TRUE(expected == actual) << path << " differs; " << first_difference(expected, actual)
                                  << "\n(regenerate with ARXIV_DIGEST_UPDATE_GOLDEN=1)";
}

}  // namespace arxiv_digest::testing
