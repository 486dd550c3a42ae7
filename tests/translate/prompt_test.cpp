#include "translate/prompt.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

TEST(Prompts, BuiltinSetIsTheRepositoryFile) {
  const PromptSet prompts = builtin_prompts();
  EXPECT_EQ(prompts.version, "translate-v1");
  EXPECT_EQ(prompts.version, kPromptVersion);
  const std::string file = testing::read_file(std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) /
                                              "data/prompts/translate-v1.txt");
  EXPECT_EQ(parse_prompt_file(file, "translate-v1", "x").system, prompts.system);
  EXPECT_NE(file.find(prompts.retry), std::string::npos);
}

TEST(Prompts, RetryPromptIsWordedDifferentlyAndNamesTheProblem) {
  const PromptSet prompts = builtin_prompts();
  const std::string first = prompts.system_message("Simplified Chinese", 1, "");
  const std::string second =
      prompts.system_message("Simplified Chinese", 2, "token {M2} is missing");
  EXPECT_NE(first, second);
  EXPECT_NE(first.find("into Simplified Chinese"), std::string::npos) << first;
  EXPECT_EQ(first.find("{language}"), std::string::npos);
  EXPECT_NE(second.find("token {M2} is missing"), std::string::npos) << second;
  EXPECT_NE(first.find("{M1}"), std::string::npos);  // the token rule is spelled out
}

TEST(Prompts, EchoMarkersComeFromTheInstructions) {
  const auto markers = builtin_prompts().echo_markers();
  ASSERT_GE(markers.size(), 4u);
  for (const auto& m : markers) EXPECT_GE(m.size(), 20u);
  EXPECT_TRUE(std::any_of(markers.begin(), markers.end(), [](const std::string& m) {
    return m.starts_with("You are a professional translator");
  }));
}

TEST(Prompts, MissingSectionOrUnknownVersionIsAConfigError) {
  EXPECT_THROW((void)parse_prompt_file("### system\nx\n", "v", "f.txt"), ConfigError);
  EXPECT_THROW((void)builtin_prompts("translate-v99"), ConfigError);
  EXPECT_EQ(language_name("zh-CN"), "Simplified Chinese");
  EXPECT_EQ(language_name("xx"), "xx");
}

}  // namespace
}  // namespace arxiv_digest
