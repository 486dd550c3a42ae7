// [log]: levels, a log file, JSON lines, the run summary with time per stage, and no secret in
// any of it. The real binary on the bundled sample day (read from its folder, no network), with
// a translator that cannot be reached so that retries and failures are logged.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.hpp"
#include "support/sample_day.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::kSampleDay;
using testing::run_process;
using testing::split_lines;
using testing::TempDir;

constexpr const char* kSecret = "sk-log-test-8f3a9c0e1d2b";

class LogTest : public ::testing::Test {
 protected:
  // A sample-day config whose translator (OpenAI-compatible) is a closed port, so every
  // translation fails fast; `log` is the [log] table's body.
  fs::path write_config(const std::string& log) {
    const fs::path path = dir_ / "config.toml";
    std::ofstream(path) << "[arxiv]\ncategories = [\"cs.AI\", \"cs.CL\", \"cs.CV\", \"cs.LG\", "
                           "\"cs.RO\"]\nrss_url = \""
                        << (kSampleDay / "rss").string() << "/\"\n"
                        << "[[topics]]\nname = \"diffusion policy\"\n"
                        << "[[topics]]\nname = \"humanoid\"\n"
                        << "[output]\ndir = \"" << (dir_ / "out").string() << "\"\nformats = [\"text\"]\n"
                        << "[store]\npath = \"" << (dir_ / "archive.sqlite").string() << "\"\n"
                        << "[translate]\nprovider = \"openai\"\nbase_url = \"http://127.0.0.1:9/v1\"\n"
                        << "model = \"m\"\napi_key_env = \"LOG_TEST_KEY\"\nmax_retries = 1\n"
                        << "timeout_s = 5\nfields = [\"title\"]\n"
                        << "[log]\n" << log;
    return path;
  }
  testing::ProcessResult run(const fs::path& config) {
    return run_process(ARXIV_DIGEST_BINARY,
                       {"run", "--config", config.string(), "--date", "2026-06-18"},
                       {{"LOG_TEST_KEY", kSecret}, {"SOURCE_DATE_EPOCH", testing::kSeedEpoch}});
  }
  TempDir dir_;
};

TEST_F(LogTest, JsonLinesToAFileWithTheSummaryAndNoSecret) {
  const fs::path log = dir_ / "logs" / "arxiv-digest.log";
  const auto result = run(write_config("file = \"" + log.string() + "\"\nformat = \"json\"\n"));
  // Translations failed: the digest is written with them marked (exit 10).
  EXPECT_EQ(result.exit_code, 10) << result.err;
  const std::string text = testing::read_file(log);
  std::vector<std::string> levels;
  bool summary = false;
  for (const std::string& line : split_lines(text)) {
    if (line.empty()) continue;
    const auto record = nlohmann::json::parse(line);  // every line is one JSON object
    ASSERT_TRUE(record.contains("time") && record.contains("level") && record.contains("message"))
        << line;
    EXPECT_TRUE(record["time"].get<std::string>().ends_with("Z")) << line;
    levels.push_back(record["level"]);
    const std::string message = record["message"];
    if (message.starts_with("summary: listing 2026-06-18: fetched 219 (rss), matched ")) {
      summary = true;
      for (const char* stage : {"fetch ", "select ", "translate ", "render ", "publish ", "deliver "})
        EXPECT_NE(message.find(stage), std::string::npos) << stage << " in " << message;
    }
  }
  EXPECT_TRUE(summary) << text;
  EXPECT_NE(std::find(levels.begin(), levels.end(), "info"), levels.end());
  EXPECT_NE(std::find(levels.begin(), levels.end(), "error"), levels.end()) << text;
  // Errors also reach stderr (cron mail, the journal); the notes went to the file only.
  EXPECT_NE(result.err.find("arxiv-digest: error: "), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("summary: listing"), std::string::npos) << result.err;
  // The key was sent to the translator's address on every attempt, but is written nowhere.
  EXPECT_EQ(text.find(kSecret), std::string::npos);
  EXPECT_EQ(result.err.find(kSecret), std::string::npos);
  EXPECT_EQ(result.out.find(kSecret), std::string::npos);

  // Appended, never truncated: a second run adds its lines after the first run's.
  const auto again = run(write_config("file = \"" + log.string() + "\"\nformat = \"json\"\n"));
  const std::string both = testing::read_file(log);
  EXPECT_TRUE(both.starts_with(text));
  EXPECT_GT(both.size(), text.size());
}

TEST_F(LogTest, LevelDropsWhatIsBelowIt) {
  const auto info = run(write_config("level = \"info\"\n"));
  EXPECT_NE(info.err.find("arxiv-digest: summary: listing 2026-06-18"), std::string::npos) << info.err;
  const auto errors = run(write_config("level = \"error\"\n"));
  EXPECT_EQ(errors.err.find("summary: listing"), std::string::npos) << errors.err;
  for (const std::string& line : split_lines(errors.err)) {
    if (!line.empty()) {
      EXPECT_TRUE(line.starts_with("arxiv-digest: error: ")) << line;
    }
  }
}

TEST_F(LogTest, BadValuesAndAnUnwritableFileAreConfigErrors) {
  const auto level = run(write_config("level = \"loud\"\n"));
  EXPECT_EQ(level.exit_code, 3);
  EXPECT_NE(level.err.find("'level' = 'loud': expected info, warn or error"), std::string::npos)
      << level.err;
  fs::create_directories(dir_ / "a-folder");
  const auto file = run(write_config("file = \"" + (dir_ / "a-folder").string() + "\"\n"));
  EXPECT_EQ(file.exit_code, 3);
  EXPECT_NE(file.err.find("[log] file '"), std::string::npos) << file.err;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "2026-06-18.txt")) << "nothing runs on a bad [log]";
}

}  // namespace
}  // namespace arxiv_digest
