#include "core/text.hpp"

#include <gtest/gtest.h>

namespace arxiv_digest {
namespace {

TEST(NormalizeWhitespace, CollapsesArxivLineWrapsAndKeepsTex) {
  // Wrapped the way the 2016 API wrapped titles (real title from classic2016_id_list_1111.2011v2).
  EXPECT_EQ(normalize_whitespace("  Quantum Criticality in\n  the $O(N)$ model\t\r\n"),
            "Quantum Criticality in the $O(N)$ model");
  EXPECT_EQ(normalize_whitespace("$10.1\\% \\rightarrow 20.0\\%$"), "$10.1\\% \\rightarrow 20.0\\%$");
  EXPECT_EQ(normalize_whitespace("中文  摘要"), "中文 摘要");
  EXPECT_EQ(normalize_whitespace(" \n "), "");
}

TEST(Utf8, AcceptsValidRejectsBadAndReportsOffset) {
  EXPECT_TRUE(is_valid_utf8("Schrödinger 强化学习 \xF0\x9F\x98\x80"));
  std::size_t at = 99;
  EXPECT_FALSE(is_valid_utf8("abc\xFF", &at));
  EXPECT_EQ(at, 3u);
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF", &at));        // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80", &at));    // surrogate
  EXPECT_FALSE(is_valid_utf8("ok\xE4\xB8", &at));      // truncated
  EXPECT_EQ(at, 2u);
}

TEST(PositionOf, CountsLinesAndColumns) {
  auto p = position_of("ab\ncde\nf", 5);
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(p.column, 3u);
}

}  // namespace
}  // namespace arxiv_digest
