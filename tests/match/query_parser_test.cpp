#include "match/query_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

namespace arxiv_digest {
namespace {

std::string fmt_quote(std::string_view query) { return "query \"" + std::string(query) + "\": "; }

TEST(QueryParser, ParsesEveryOperatorAndScope) {
  struct Case {
    const char* query;
    const char* canonical;
  } cases[] = {
      {"reinforcement learning", "reinforcement AND learning"},
      {"\"reinforcement learning\"", "\"reinforcement learning\""},
      {"a AND b", "a AND b"},
      {"a OR b c", "a OR (b AND c)"},
      {"(a OR b) c", "(a OR b) AND c"},
      {"a -survey", "a AND NOT survey"},
      {"a NOT survey", "a AND NOT survey"},
      {"a -(b OR c)", "a AND NOT (b OR c)"},
      {"self-supervised", "self-supervised"},
      {"ti:diffusion abs:\"diffusion policy\"", "ti:diffusion AND abs:\"diffusion policy\""},
      {"au:\"Y. Bengio\" OR au:Hinton", "au:\"Y. Bengio\" OR au:Hinton"},
      {"cat:cs.RO co:accepted id:2606.18284", "cat:cs.RO AND co:accepted AND id:2606.18284"},
      {"ti:(robot OR manipulation) grasp", "(ti:robot OR ti:manipulation) AND grasp"},
      {"ti:(robot OR abs:arm)", "ti:robot OR abs:arm"},
      {"=policy ~learning learn* ^SAM", "=policy AND ~learning AND learn* AND ^SAM"},
      {"=\"diffusion policy\" ^\"SAM\"", "=\"diffusion policy\" AND ^SAM"},
      {"or and not", "or AND and AND not"},  // lower-case operators are words
      {"a OR b OR (c OR d)", "a OR b OR c OR d"},
      {"NOT NOT a", "NOT NOT a"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(to_string(parse_query(c.query)), c.canonical);
  }
}

TEST(QueryParser, WordModesAndGaps) {
  QueryNode n = parse_query("learn* =Policies ~running ^SAM \"GPT-3.5\"");
  ASSERT_EQ(n.children.size(), 5u);
  EXPECT_EQ(n.children[0].words[0].mode, WordMode::kPrefix);
  EXPECT_EQ(n.children[0].words[0].folded, "learn");
  EXPECT_EQ(n.children[1].words[0].mode, WordMode::kExact);
  EXPECT_EQ(n.children[1].words[0].folded, "policies");
  EXPECT_EQ(n.children[2].words[0].mode, WordMode::kStem);
  EXPECT_TRUE(n.children[3].words[0].case_sensitive);
  EXPECT_EQ(n.children[3].words[0].original, "SAM");
  ASSERT_EQ(n.children[4].words.size(), 3u);
  EXPECT_FALSE(n.children[4].words[1].hard_gap);  // "-" is a soft gap
  EXPECT_TRUE(n.children[4].words[2].hard_gap);   // "." is a hard gap
  EXPECT_EQ(n.children[4].column, 32u);
}

TEST(QueryParser, ErrorsQuoteTheQueryAndPointAtTheColumn) {
  struct Case {
    const char* query;
    const char* message;
    std::size_t column;
  } cases[] = {
      {"", "the query is empty", 1},
      {"   ", "the query is empty", 1},
      {"a OR (b", "unclosed '('", 6},
      {"a OR b)", "unmatched ')'", 7},
      {"()", "empty '( )'", 2},
      {"\"diffusion policy", "unterminated '\"'", 1},
      {"a OR", "'OR' must be followed by a term or '('", 3},
      {"OR a", "'OR' needs a term before it", 1},
      {"a AND", "'AND' must be followed by a term or '('", 3},
      {"a NOT", "'NOT' must be followed by a term or '('", 3},
      {"a - b", "'-' must be directly followed by a term", 3},
      {"a --b", "'--' is not an operator", 3},
      {"tl:robot", "unknown scope 'tl:', did you mean 'ti:'?", 1},
      {"http://arxiv.org", "unknown scope 'http:'", 1},
      {"ti: robot", "scope 'ti:' must be directly followed by a term or '('", 1},
      {"ti:)", "scope 'ti:' must be directly followed by a term or '('", 1},
      {"= robot", "'=' must be directly followed by a word or a quoted phrase", 1},
      {"=~robot", "only one of '=', '~', '^' may precede a term", 2},
      {"*learn", "'*' may only end a word", 1},
      {"le*arn", "'*' may only end a word", 3},
      {"robot \"$$\"", "the term '$$' has no letters or digits to match", 7},
      {"\"a\\\"", "unterminated '\"'", 1},  // \" inside quotes is TeX, not the end
      {"\"a\"b", "a closing '\"' must be followed by a space or ')'", 4},
      {"-survey", "would select papers that contain none of its terms", 1},
      {"robot OR -survey", "would select papers that contain none of its terms", 1},
      {"cat:cs_LG", "'cs_LG' is not an arXiv category", 5},
      {"id:2606*1", "'*' may only end a word", 8},
      {"Schrödinger (", "unclosed '('", 13},  // columns count characters, not bytes
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    try {
      (void)parse_query(c.query);
      ADD_FAILURE() << "no error";
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(fmt_quote(c.query)), std::string::npos) << what;
      EXPECT_NE(what.find(c.message), std::string::npos) << what;
      EXPECT_NE(what.find("at column " + std::to_string(c.column) + "\n"), std::string::npos)
          << what;
      // The caret line points at the column under the quoted query.
      const std::string caret = "\n  " + std::string(c.column - 1, ' ') + "^";
      EXPECT_EQ(what.substr(what.size() - caret.size()), caret) << what;
    }
  }
}

TEST(QueryParser, RejectsDeepNestingInsteadOfOverflowingTheStack) {
  EXPECT_THROW(parse_query(std::string(10000, '(') + "a" + std::string(10000, ')')), ConfigError);
  EXPECT_THROW(parse_query(std::string(5000, '-') + "a"), ConfigError);
  std::string nots;
  for (int i = 0; i < 200; ++i) nots += "NOT ";
  EXPECT_THROW(parse_query(nots + "a"), ConfigError);
  EXPECT_NO_THROW(parse_query(std::string(30, '(') + "a" + std::string(30, ')')));
}

}  // namespace
}  // namespace arxiv_digest
