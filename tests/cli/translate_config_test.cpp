#include <gtest/gtest.h>

#include "cli/config.hpp"
#include "core/error.hpp"

namespace arxiv_digest {
namespace {

const std::string kBase = "[arxiv]\ncategories = [\"cs.LG\"]\n[[topics]]\nname = \"rl\"\n";

Config parse(const std::string& translate) {
  return parse_config(kBase + "[translate]\n" + translate, "test.toml", "/tmp");
}

std::string error_of(const std::string& translate) {
  try {
    (void)parse(translate);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TranslateConfig, DefaultsWithoutTheTable) {
  const Config c = parse_config(kBase, "test.toml", "/tmp");
  EXPECT_FALSE(c.translate.present);
  EXPECT_EQ(c.translate.provider, "none");
  EXPECT_EQ(c.translate.target, "zh-CN");
  EXPECT_EQ(c.translate.fields, (std::vector<std::string>{"title", "abstract"}));
  EXPECT_EQ(c.translate.concurrency, 8);
}

TEST(TranslateConfig, EveryKeyIsRead) {
  const Config c = parse(
      "provider = \"openai\"\nbase_url = \"https://api.deepseek.com\"\nmodel = \"deepseek-chat\"\n"
      "api_key_env = \"DEEPSEEK_API_KEY\"\ntarget = \"zh-TW\"\nfields = [\"abstract\"]\n"
      "concurrency = 16\nrequests_per_minute = 60\ntokens_per_minute = 100000\ntimeout_s = 30\n"
      "max_retries = 2\nmax_attempts = 4\ntemperature = 0.0\nmax_tokens = 2000\n"
      "max_tokens_field = \"max_completion_tokens\"\nstream = true\n"
      "headers = { X-Title = \"arxiv-digest\" }\nprompt_version = \"translate-v1\"\n"
      "opencc_config = \"s2tw.json\"\nprice_input_per_million = 0.27\n"
      "price_output_per_million = 1.1\nprice_per_million_characters = 20\ncurrency = \"CNY\"\n");
  const TranslateConfig& t = c.translate;
  EXPECT_TRUE(t.present);
  EXPECT_EQ(t.provider, "openai");
  EXPECT_EQ(t.base_url, "https://api.deepseek.com");
  EXPECT_EQ(t.model, "deepseek-chat");
  EXPECT_EQ(t.api_key_env, "DEEPSEEK_API_KEY");
  EXPECT_EQ(t.target, "zh-TW");
  EXPECT_EQ(t.fields, std::vector<std::string>{"abstract"});
  EXPECT_EQ(t.concurrency, 16);
  EXPECT_EQ(t.requests_per_minute, 60);
  EXPECT_EQ(t.tokens_per_minute, 100000);
  EXPECT_EQ(t.timeout_s, 30);
  EXPECT_EQ(t.max_retries, 2);
  EXPECT_EQ(t.max_attempts, 4);
  EXPECT_EQ(t.temperature, 0.0);
  EXPECT_EQ(t.max_tokens, 2000);
  EXPECT_EQ(t.max_tokens_field, "max_completion_tokens");
  EXPECT_TRUE(t.stream);
  EXPECT_EQ(t.headers.at("X-Title"), "arxiv-digest");
  EXPECT_EQ(t.opencc_config, "s2tw.json");
  EXPECT_EQ(t.price_output_per_million, 1.1);
  EXPECT_EQ(t.currency, "CNY");
}

TEST(TranslateConfig, BadValuesNameTheKeyAndPosition) {
  EXPECT_EQ(error_of("provdier = \"openai\"\n"),
            "test.toml:6:1: [translate] unknown key 'provdier'; did you mean 'provider'?");
  EXPECT_NE(error_of("provider = \"google\"\n")
                .find("'provider' = 'google' is not one of: openai, deepl"),
            std::string::npos);
  EXPECT_NE(error_of("provider = \"openai\"\n").find("needs a 'model'"), std::string::npos);
  EXPECT_NE(error_of("provider = \"deepl\"\n").find("needs 'api_key_env'"), std::string::npos);
  EXPECT_NE(error_of("api_key = \"sk-123\"\n").find("never read from the configuration file"),
            std::string::npos);
  // A key pasted where the variable's name belongs is refused, the message says why and never
  // repeats the key.
  const std::string pasted = error_of("api_key_env = \"sk-abc.def\"\n");
  EXPECT_NE(pasted.find("must name an environment variable"), std::string::npos) << pasted;
  EXPECT_EQ(pasted.find("sk-abc.def"), std::string::npos) << pasted;
  EXPECT_NE(error_of("target = \"fr\"\n").find("'target' = 'fr'"), std::string::npos);
  EXPECT_NE(error_of("fields = [\"authors\"]\n").find("'fields' = 'authors'"), std::string::npos);
  EXPECT_NE(error_of("concurrency = 0\n").find("out of range (1..64)"), std::string::npos);
  EXPECT_NE(error_of("base_url = \"ftp://x\"\n").find("http or https"), std::string::npos);
  EXPECT_NE(error_of("max_tokens_field = \"tokens\"\n").find("max_completion_tokens"),
            std::string::npos);
}

TEST(TranslateConfig, ValuesAreSuggestedAndTheForbiddenKeyIsNot) {
  EXPECT_EQ(error_of("target = \"zh-cn\"\n"),
            "test.toml:6:10: [translate] 'target' = 'zh-cn' is not one of: zh-CN, zh-TW; did you "
            "mean 'zh-CN'?");
  // 'api_key' is refused, never offered as a suggestion.
  const std::string typo = error_of("api_kye = \"sk-123\"\n");
  EXPECT_NE(typo.find("test.toml:6:1: [translate] unknown key 'api_kye' (valid keys: "),
            std::string::npos)
      << typo;
  EXPECT_EQ(typo.find("'api_key'"), std::string::npos) << typo;
  EXPECT_EQ(error_of("headers = { \"X Title\" = \"a\" }\n"),
            "test.toml:6:13: [translate] 'X Title' is not a header name");
  EXPECT_EQ(error_of("headers = { X-Title = 1 }\n"),
            "test.toml:6:23: [translate] 'headers.X-Title' must be a string");
  EXPECT_EQ(error_of("stream = 1\n"), "test.toml:6:10: [translate] 'stream' must be true or false");
}

}  // namespace
}  // namespace arxiv_digest
