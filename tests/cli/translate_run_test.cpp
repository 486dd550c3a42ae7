// End-to-end: `arxiv-digest run` on the sample day with a translation backend (the fake servers of
// tests/support/translation_server, speaking the real wire protocols) writes the bilingual digest
// of the reference layout, keeps every formula, pays for nothing twice and marks failures.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.hpp"
#include "support/fixture_server.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"
#include "support/translation_server.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::split_lines;
using testing::TranslationFault;
using testing::TranslationServer;

const fs::path kSampleDay = fs::path(ARXIV_DIGEST_SOURCE_DIR) / "examples" / "sample-day";
const std::string kSecret = "sk-live-DO-NOT-LEAK-4f9a2c";
const std::string kCorrectHeader =
    "生成时间: 2026-06-18 19:52:58 (UTC+8); Arxiv 发布时间: 2026-06-17 20:00 EDT (2026-06-18 "
    "08:00 UTC+8)";

// The seed digest with its Chinese lines, as we must write it: corrected header and Subjects line
// (see run_test.cpp), and the Chinese abstracts whose formulas the seed's translator garbled
// replaced by tests/data/translate/seed_translations.jsonl (same text, the English TeX spans).
std::string expected_bilingual() {
  std::map<std::string, std::string> corrected;  // seed abstract_zh -> corrected
  {
    std::map<std::string, std::string> by_id;
    for (const auto& s : testing::load_seed_translations()) by_id[s.id] = s.abstract_zh;
    std::ifstream in(testing::data_path("seed/seed_papers.jsonl"));
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line);
      corrected[j["abstract_zh"].get<std::string>()] = by_id.at(j["id"].get<std::string>());
    }
  }
  auto seed = split_lines(testing::read_file(testing::data_path("seed/seed-2026-06-18.txt")));
  std::vector<std::string> out{kCorrectHeader};
  for (std::size_t i = 1; i < seed.size(); ++i) {
    const std::string& line = seed[i];
    if (line == "- Subjects: Subjects:") {
      out.push_back("- Subjects: " + seed[++i]);
    } else if (line == "- 中文摘要") {
      out.push_back(line);
      out.push_back(corrected.at(seed[++i]));
    } else {
      out.push_back(line);
    }
  }
  std::string text;
  for (const auto& l : out) text += l + "\n";
  return text;
}

std::vector<std::string> dollar_spans(const std::string& text) {
  std::vector<std::string> spans;
  static const std::regex kSpan(R"(\$[^$]+\$)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kSpan);
       it != std::sregex_iterator(); ++it)
    spans.push_back(it->str());
  return spans;
}

class TranslateRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    feeds_.mount("/rss/", kSampleDay / "rss", {"application/rss+xml; charset=utf-8", true, true});
  }

  fs::path write_config(const std::string& translate) {
    fs::path path = dir_ / "config.toml";
    std::ofstream(path) << "[arxiv]\n"
                        << "categories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                        << "rss_url = \"" << feeds_.url("/rss/") << "\"\n"
                        << "contact = \"digest-test@example.org\"\n"
                        << "[[topics]]\nname = \"reinforcement learning\"\n"
                        << "[[topics]]\nname = \"diffusion policy\"\n"
                        << "[output]\ndir = \"out\"\n"
                        << "[store]\npath = \"archive.sqlite\"\n"
                        << "[translate]\n"
                        << translate;
    return path;
  }

  ProcessResult run_day(const std::string& translate, bool with_key = true) {
    std::map<std::string, std::optional<std::string>> env = {
        {"XDG_CACHE_HOME", (dir_ / "cache").string()},
        {"XDG_CONFIG_HOME", (dir_ / "config-home").string()},
        {"XDG_DATA_HOME", (dir_ / "data-home").string()},
        {"SOURCE_DATE_EPOCH", "1781783578"},
        {"TEST_TRANSLATE_KEY", with_key ? std::optional<std::string>(kSecret) : std::nullopt},
    };
    std::vector<std::string> args = {"run",    "--config",   write_config(translate).string(),
                                     "--date", "2026-06-18", "--stdout"};
    return testing::run_process(ARXIV_DIGEST_BINARY, args, env, dir_.path());
  }

  std::string openai_config(const std::string& extra = "") const {
    return "provider = \"openai\"\nbase_url = \"" + backend_.base_url() +
           "/v1\"\nmodel = \"deepseek-chat\"\napi_key_env = \"TEST_TRANSLATE_KEY\"\n"
           "price_input_per_million = 0.27\nprice_output_per_million = 1.10\n" +
           extra;
  }

  void expect_no_secret(const ProcessResult& r) {
    EXPECT_EQ(r.out.find(kSecret), std::string::npos);
    EXPECT_EQ(r.err.find(kSecret), std::string::npos);
    for (const char* name : {"2026-06-18.txt", "2026-06-18.md", "2026-06-18.json"})
      EXPECT_EQ(testing::read_file(dir_ / "out" / name).find(kSecret), std::string::npos) << name;
  }

  testing::TempDir dir_;
  testing::FixtureServer feeds_;
  TranslationServer backend_;
};

TEST_F(TranslateRunTest, SampleDayGivesTheSeedsBilingualDigestAndAReRunSendsNothing) {
  const ProcessResult r = run_day(openai_config());
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string expected = expected_bilingual();
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(testing::read_file(dir_ / "out" / "2026-06-18.txt"), expected);
  EXPECT_EQ(backend_.request_count(), 60u);  // 30 selected papers x (title, abstract), nothing else
  EXPECT_NE(r.err.find("60 translated, 0 failed"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cost 0.0"), std::string::npos) << r.err;
  // Issue 9: stderr is a pipe here, not a terminal: no progress counters in it.
  EXPECT_EQ(r.err.find("translating "), std::string::npos) << r.err;
  expect_no_secret(r);
  for (const std::string& auth : backend_.auth_headers()) EXPECT_EQ(auth, "Bearer " + kSecret);

  // Every $…$ span of every English abstract appears unchanged in the Chinese abstract after it.
  const auto lines = split_lines(r.out);
  std::size_t checked = 0;
  for (std::size_t i = 0; i + 3 < lines.size(); ++i) {
    if (lines[i] != "- Abstract") continue;
    ASSERT_EQ(lines[i + 2], "- 中文摘要");
    for (const std::string& span : dollar_spans(lines[i + 1])) {
      EXPECT_NE(lines[i + 3].find(span), std::string::npos) << span;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 19u);

  backend_.clear_records();
  const ProcessResult again = run_day(openai_config());
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_EQ(again.out, expected);
  EXPECT_EQ(backend_.request_count(), 0u);
  EXPECT_NE(again.err.find("60 from the cache"), std::string::npos) << again.err;
}

TEST_F(TranslateRunTest, FailuresAreMarkedCountedAndRetriedNextRunPayingOnlyForTheRest) {
  // DeepL: 60 texts = 2 requests of 50 + 10; the second says the quota is exhausted (456).
  const std::string deepl = "provider = \"deepl\"\nbase_url = \"" + backend_.base_url() +
                            "\"\napi_key_env = \"TEST_TRANSLATE_KEY\"\nconcurrency = 1\n";
  backend_.inject(TranslationFault::kNone);
  backend_.inject(TranslationFault::kQuota);
  const ProcessResult r = run_day(deepl);
  ASSERT_EQ(r.exit_code, kExitTranslation) << r.err;
  EXPECT_EQ(backend_.request_count(), 2u);  // 456 is not retried
  EXPECT_NE(r.err.find("10 failed"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("[翻译失败 translation failed: deepl: POST"), std::string::npos);
  EXPECT_NE(r.out.find("quota exhausted"), std::string::npos);
  expect_no_secret(r);
  for (const std::string& auth : backend_.auth_headers())
    EXPECT_EQ(auth, "DeepL-Auth-Key " + kSecret);

  backend_.clear_records();
  const ProcessResult rest = run_day(deepl);
  ASSERT_EQ(rest.exit_code, kExitOk) << rest.err;
  EXPECT_EQ(backend_.request_count(), 1u);
  EXPECT_EQ(backend_.texts_received(), 10u);  // only what failed
  EXPECT_EQ(rest.out, expected_bilingual());
}

// Issue 9: a rejected key (HTTP 401) used to put 60 identical failure markers in the digest. It
// stops translating at once, is said once, and the digest is still written (exit 10).
TEST_F(TranslateRunTest, ARejectedKeyStopsAtOnceAndIsSaidOnce) {
  for (int i = 0; i < 100; ++i) backend_.inject(TranslationFault::kUnauthorized);
  const ProcessResult r = run_day(openai_config());
  ASSERT_EQ(r.exit_code, kExitTranslation) << r.err;
  EXPECT_LE(backend_.request_count(), 8u);  // at most the requests already in flight
  EXPECT_EQ(r.out.find("翻译失败"), std::string::npos) << "no marker per field";
  EXPECT_NE(r.out.find("Keyword: reinforcement learning"), std::string::npos);
  const std::string said = "the translation key was rejected";
  const auto first = r.err.find(said);
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(said, first + 1), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "2026-06-18.txt"));
  expect_no_secret(r);
}

// Killed half way (SIGKILL, no chance to clean up): every translation received before the kill
// was committed, so the next run pays only for the rest.
TEST(TranslateRunKill, AKilledRunPaysOnlyForTheRestNextTime) {
  testing::TempDir dir;
  testing::FixtureServer feeds;
  feeds.mount("/rss/", kSampleDay / "rss", {"application/rss+xml; charset=utf-8", true, true});
  testing::TranslationServerOptions slow;
  slow.delay = std::chrono::milliseconds(300);
  TranslationServer backend(slow);
  const fs::path config = dir / "config.toml";
  std::ofstream(config) << "[arxiv]\ncategories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", \"cs.RO\"]\n"
                        << "rss_url = \"" << feeds.url("/rss/") << "\"\n"
                        << "[[topics]]\nname = \"reinforcement learning\"\n"
                        << "[output]\ndir = \"out\"\n[store]\npath = \"archive.sqlite\"\n"
                        << "[translate]\nprovider = \"openai\"\nmodel = \"m\"\nconcurrency = 2\n"
                        << "base_url = \"" << backend.base_url() << "/v1\"\n";
  const std::map<std::string, std::optional<std::string>> env = {
      {"XDG_CACHE_HOME", (dir / "cache").string()}, {"SOURCE_DATE_EPOCH", "1781783578"}};
  const std::vector<std::string> args = {"run", "--config", config.string(), "--date", "2026-06-18", "-q"};
  std::vector<std::string> killed = {"-s", "KILL", "3", ARXIV_DIGEST_BINARY};
  killed.insert(killed.end(), args.begin(), args.end());
  const ProcessResult first = testing::run_process("/usr/bin/timeout", killed, env, dir.path());
  ASSERT_NE(first.exit_code, kExitOk) << first.err;  // killed (timeout's process group got KILL)
  const std::size_t paid_first = backend.request_count();
  ASSERT_GT(paid_first, 0u);
  ASSERT_LT(paid_first, 60u);

  backend.clear_records();
  const ProcessResult second = testing::run_process(ARXIV_DIGEST_BINARY, args, env, dir.path());
  ASSERT_EQ(second.exit_code, kExitOk) << second.err;
  // Only requests still in flight at the kill (at most `concurrency`) are paid twice.
  EXPECT_LE(paid_first + backend.request_count(), 60u + 2u);
  EXPECT_LT(backend.request_count(), 60u);
}

TEST_F(TranslateRunTest, AMissingKeyStopsBeforeAnyRequest) {
  const ProcessResult r = run_day(openai_config(), /*with_key=*/false);
  EXPECT_EQ(r.exit_code, kExitConfig) << r.err;
  EXPECT_NE(r.err.find("TEST_TRANSLATE_KEY"), std::string::npos) << r.err;
  EXPECT_EQ(backend_.request_count(), 0u);
  EXPECT_EQ(feeds_.requests().size(), 0u);
}

TEST_F(TranslateRunTest, TraditionalChineseViaOpenCcAndTitleOnly) {
  const ProcessResult r =
      run_day(openai_config("target = \"zh-TW\"\nfields = [\"title\"]\nstream = true\n"));
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(backend_.request_count(), 30u);
  EXPECT_EQ(r.out.find("- 中文摘要"), std::string::npos);
  // The seed's "打破求解器瓶颈:可学习前沿的训练任务生成器" in Taiwan Traditional Chinese.
  EXPECT_NE(r.out.find("\n打破求解器瓶頸:可學習前沿的訓練任務生成器\n"), std::string::npos)
      << r.out.substr(0, 600);
}

TEST_F(TranslateRunTest, ProviderNoneWritesTheDigestWithoutChineseAndSaysSo) {
  const ProcessResult r = run_day("provider = \"none\"\n");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.out.find("中文摘要"), std::string::npos);
  EXPECT_NE(r.err.find("translation off"), std::string::npos) << r.err;
  EXPECT_EQ(backend_.request_count(), 0u);
}

}  // namespace
}  // namespace arxiv_digest
