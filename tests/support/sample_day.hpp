// The bundled sample day (examples/sample-day: arXiv's listing of Thu 2026-06-18, real records)
// and the text digest it must give, shared by the pipeline and end-to-end tests.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.hpp"

namespace arxiv_digest::testing {

inline const std::filesystem::path kSampleDay =
    std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day";
inline const std::vector<std::string> kSampleDayCategories = {"cs.AI", "cs.CL", "cs.CV", "cs.LG",
                                                              "cs.RO"};
inline const std::string kSampleDayFeedPath = "/rss/cs.AI+cs.CL+cs.CV+cs.LG+cs.RO";
// 2026-06-18 11:52:58 UTC: the seed's generation time (19:52:58 UTC+8).
inline constexpr long long kSeedEpochSeconds = 1781783578;
inline const std::string kSeedEpoch = "1781783578";

// The seed digest as our text renderer must write it without translations: the corrected header,
// "- Subjects: <list>" on one line (the seed writes "- Subjects: Subjects:" and breaks the line),
// no Chinese title / 中文摘要 lines, and a final newline. Derived from the seed file itself.
inline std::string expected_from_seed() {
  const std::string header =
      "生成时间: 2026-06-18 19:52:58 (UTC+8); Arxiv 发布时间: 2026-06-17 20:00 EDT (2026-06-18 "
      "08:00 UTC+8)";
  auto seed = split_lines(read_file(data_path("seed/seed-2026-06-18.txt")));
  std::vector<std::string> out{header};
  for (std::size_t i = 1; i < seed.size(); ++i) {
    const std::string& line = seed[i];
    if (line == "- Subjects: Subjects:") {
      out.push_back("- Subjects: " + seed[++i]);
    } else if (line == "- 中文摘要") {
      ++i;  // and the Chinese abstract
    } else if (i + 1 < seed.size() && seed[i + 1].rfind("- Authors:", 0) == 0) {
      // `line` is the Chinese title between the English title and "- Authors:".
    } else {
      out.push_back(line);
    }
  }
  std::string text;
  for (const auto& l : out) text += l + "\n";
  return text;
}

}  // namespace arxiv_digest::testing
