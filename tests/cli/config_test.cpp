#include "cli/config.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "cli/app.hpp"
#include "core/error.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

Config parse(std::string_view text) { return parse_config(text, "test.toml", "/base"); }

// Expects ConfigError whose message contains every fragment.
void expect_error(std::string_view text, std::initializer_list<std::string_view> fragments) {
  SCOPED_TRACE(std::string(text));
  try {
    (void)parse(text);
    ADD_FAILURE() << "accepted";
  } catch (const ConfigError& e) {
    for (auto f : fragments)
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos)
          << e.what() << "\n  missing: " << f;
  }
}

constexpr std::string_view kMinimal = R"(
[arxiv]
categories = ["cs.AI", "cs.LG"]
[[topics]]
name = "reinforcement learning"
)";

TEST(Config, MinimalFileGetsDocumentedDefaults) {
  testing::EnvVar data("XDG_DATA_HOME", "/xdg/data");
  testing::EnvVar cache("XDG_CACHE_HOME", "/xdg/cache");
  Config c = parse(kMinimal);
  EXPECT_EQ(c.arxiv.categories, (std::vector<std::string>{"cs.AI", "cs.LG"}));
  EXPECT_EQ(c.arxiv.announce_types,
            (std::vector<AnnounceType>{AnnounceType::kNew, AnnounceType::kCross}));
  EXPECT_EQ(c.arxiv.source, SourceKind::kRss);
  EXPECT_EQ(c.arxiv.rss_url, "https://rss.arxiv.org/rss/");
  EXPECT_EQ(c.arxiv.listing_url, "https://arxiv.org/list/");
  EXPECT_EQ(c.arxiv.api_url, "https://export.arxiv.org/api/query");
  EXPECT_EQ(c.arxiv.oai_url, "https://oaipmh.arxiv.org/oai");
  EXPECT_EQ(c.arxiv.min_interval_s, 3.0);
  ASSERT_EQ(c.topics.size(), 1u);
  EXPECT_EQ(c.topics[0].name, "reinforcement learning");
  EXPECT_EQ(c.topics[0].query, "reinforcement learning");
  EXPECT_EQ(c.output.formats, (std::vector<std::string>{"text", "markdown", "json"}));
  EXPECT_EQ(c.output.timezone, "Asia/Shanghai");
  EXPECT_EQ(c.output.dir, "/xdg/data/arxiv-digest/digests");
  EXPECT_EQ(c.store.path, "/xdg/data/arxiv-digest/archive.sqlite");
  EXPECT_EQ(c.arxiv.cache_dir, "/xdg/cache/arxiv-digest/http");
}

TEST(Config, FullFileResolvesRelativePathsAgainstItsFolder) {
  Config c = parse(R"(
[arxiv]
categories = ["cs"]
announce_types = ["new", "cross", "replace"]
source = "listing"
rss_url = "feeds/"
listing_url = "http://127.0.0.1:8080/list/"
contact = "me@example.org"
max_retries = 2
timeout_s = 30
holidays = ["2026-12-24"]
[[topics]]
name = "diffusion policy"
[[topics]]
name = "RL"
query = "reinforcement learning"
sort = "relevance"
[output]
dir = "out"
formats = ["md", "json", "html", "atom", "email-html"]
timezone = "Europe/Berlin"
[store]
path = "/var/lib/arxiv/archive.sqlite"
)");
  EXPECT_EQ(c.arxiv.categories, (std::vector<std::string>{"cs"}));
  EXPECT_EQ(c.arxiv.source, SourceKind::kListing);
  EXPECT_EQ(c.arxiv.rss_url, "/base/feeds/");
  EXPECT_EQ(c.arxiv.listing_url, "http://127.0.0.1:8080/list/");
  EXPECT_EQ(c.arxiv.announce_types.size(), 3u);
  EXPECT_EQ(c.arxiv.extra_holidays.size(), 1u);
  EXPECT_EQ(c.topics[1].query, "reinforcement learning");
  EXPECT_EQ(c.topics[0].sort, TopicSort::kId);
  EXPECT_EQ(c.topics[1].sort, TopicSort::kRelevance);
  EXPECT_EQ(c.output.dir, "/base/out");
  EXPECT_EQ(c.output.formats,
            (std::vector<std::string>{"markdown", "json", "html", "atom", "email-html"}));
  EXPECT_EQ(c.store.path, "/var/lib/arxiv/archive.sqlite");
}

TEST(Config, ErrorsNameFileLineAndKeyWithSuggestions) {
  expect_error("[arxiv]\ncategores = [\"cs.AI\"]\n",
               {"test.toml:2:1", "unknown key 'categores'", "did you mean 'categories'"});
  expect_error("[arxiv]\ncategories = [\"cs.LGG\"]\n",
               {"test.toml:2:", "unknown arXiv category 'cs.LGG'", "did you mean 'cs.LG'"});
  expect_error("[arxiv]\ncategories = \"cs.AI\"\n",
               {"test.toml:2:", "'categories' must be an array"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nsource = \"atom\"\n",
               {"test.toml:3:", "[arxiv] 'source' = 'atom' is not one of: rss, listing, api"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nannounce_types = [\"absonly\"]\n",
               {":3:", "'announce_types' = 'absonly' is not one of: new, cross"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nmin_interval_s = 1\n", {":3:", "3 seconds"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nmax_retries = 99\n", {":3:", "out of range"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nrss_url = \"ftp://x/\"\n", {":3:", "only http"});
  expect_error(
      "[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\n[output]\ntimezone = "
      "\"Mars/Base\"\n",
      {":6:", "unknown time zone 'Mars/Base'"});
  expect_error(
      "[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\n[output]\nformats = "
      "[\"pdf\"]\n",
      {":6:", "[output] 'formats' = 'pdf' is not one of: text, markdown"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\nqeury = \"y\"\n",
               {":5:", "did you mean 'query'"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\nsort = \"date\"\n",
               {":5:", "[[topics]] 'sort' = 'date' is not one of: id, relevance"});
  expect_error(
      "[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\n[[topics]]\nname = \"x\"\n",
      {":6:", "defined twice"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n", {"[[topics]]", "required"});
  expect_error("[[topics]]\nname = \"x\"\n", {"'categories' is required"});
  expect_error("[arxiv\ncategories = 1\n", {"test.toml:1:"});
  expect_error("[outptu]\n", {"unknown key 'outptu'", "did you mean 'output'"});
}

// Every section reports its unknown keys the same way, naming the section (issue 8).
TEST(Config, UnknownKeysOfEverySectionAreSuggestedAlike) {
  const std::string base = std::string(kMinimal);
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\ntimeout = 3\n",
               {"test.toml:3:1: [arxiv] unknown key 'timeout'; did you mean 'timeout_s'?"});
  expect_error(base + "[output]\nformat = [\"md\"]\n",
               {"test.toml:7:1: [output] unknown key 'format'; did you mean 'formats'?"});
  expect_error(base + "[store]\npaht = \"a.sqlite\"\n",
               {"test.toml:7:1: [store] unknown key 'paht'; did you mean 'path'?"});
  expect_error(base + "topk = 3\n",
               {"test.toml:6:1: [[topics]] unknown key 'topk'; did you mean 'top_k'?"});
  expect_error(base + "[translate]\nmodle = \"x\"\nprovider = \"openai\"\n",
               {"test.toml:7:1: [translate] unknown key 'modle'; did you mean 'model'?"});
  expect_error(std::string(kMinimal) + "[schedule]\n",
               {"test.toml:6:2: unknown key 'schedule' at the top level"});
  expect_error(base + "[daemon]\ndelai = \"7m\"\n",
               {"test.toml:7:1: [daemon] unknown key 'delai'; did you mean 'delay'?"});
}

// NaN and infinities are TOML numbers, but no setting means them.
TEST(Config, NonFiniteNumbersAreRefused) {
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nmin_interval_s = inf\n",
               {"test.toml:3:18: [arxiv] 'min_interval_s' = inf is not a finite number"});
  expect_error(std::string(kMinimal) + "[translate]\ntemperature = nan\n",
               {"[translate] 'temperature' = nan is not a finite number"});
}

TEST(Config, KatexFolderIsCheckedAndCanBeTurnedOff) {
  const std::string base = std::string(kMinimal) + "[output]\n";
  // Absent: the default folder (found, or empty when KaTeX is installed nowhere).
  const Config absent = parse(kMinimal);
  EXPECT_FALSE(absent.output.katex.has_value());
  EXPECT_EQ(katex_dir(absent.output), default_katex_dir());
  if (!default_katex_dir().empty()) {
    EXPECT_TRUE(std::filesystem::exists(default_katex_dir() / "katex.min.css"));
  }
  // "": math rendering off, whatever is installed.
  const Config off = parse(base + "katex = \"\"\n");
  ASSERT_TRUE(off.output.katex.has_value());
  EXPECT_TRUE(katex_dir(off.output).empty());
  // A folder without katex.min.css is refused where it is written.
  testing::TempDir dir;
  expect_error(base + "katex = \"" + dir.path().string() + "\"\n",
               {"test.toml:7:9: [output] 'katex' = '" + dir.path().string() +
                "': no katex.min.css there"});
  testing::write_file(dir / "katex.min.css", ".katex{}");
  const Config set = parse(base + "katex = \"" + dir.path().string() + "\"\n");
  EXPECT_EQ(katex_dir(set.output), dir.path());
}

// `harvest`'s base URL: any http(s) URL (OAI-PMH requests carry a query string, so no file or
// folder); the README's keys-table row states the default the reader uses.
TEST(Config, OaiUrlIsAnHttpUrlWithTheDocumentedDefault) {
  Config c = parse("[arxiv]\ncategories = [\"cs\"]\noai_url = \"http://127.0.0.1:8080/oai\"\n"
                   "[[topics]]\nname = \"x\"\n");
  EXPECT_EQ(c.arxiv.oai_url, "http://127.0.0.1:8080/oai");
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\noai_url = \"/srv/oai\"\n",
               {"test.toml:3:", "'oai_url' = '/srv/oai': an http:// or https:// URL is needed"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\noai_url = \"\"\n", {"test.toml:3:"});
  const std::string readme =
      testing::read_file(std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "README.md");
  EXPECT_NE(readme.find("| `[arxiv] oai_url` | `\"" + ArxivConfig{}.oai_url + "\"` |"),
            std::string::npos);
}

TEST(Config, FeedUrlMustBeAnHttpFolderUrl) {
  const std::string base = std::string(kMinimal) + "[output]\n";
  EXPECT_EQ(parse(kMinimal).output.feed_url, "");
  EXPECT_EQ(parse(base + "feed_url = \"https://example.org/arxiv/\"\n").output.feed_url,
            "https://example.org/arxiv/");
  EXPECT_EQ(parse(base + "feed_url = \"\"\n").output.feed_url, "");
  for (const char* bad : {"example.org/arxiv", "ftp://example.org/", "https://example.org/?a=1",
                          "https://example.org/#top", "https://example.org/a b"})
    expect_error(base + "feed_url = \"" + bad + "\"\n",
                 {"[output] 'feed_url' = '", bad, "' is not an http(s) URL of a folder"});
}

TEST(Config, StoreUrlPicksTheBackend) {
  testing::EnvVar home("HOME", "/home/me");
  const std::string base = std::string(kMinimal) + "[store]\n";
  Config c = parse(base + "url = \"sqlite:///var/lib/arxiv/archive.sqlite\"\n");
  EXPECT_EQ(c.store.backend, "sqlite");
  EXPECT_EQ(c.store.path, "/var/lib/arxiv/archive.sqlite");
  EXPECT_EQ(c.store.url, "sqlite:///var/lib/arxiv/archive.sqlite");
  // Relative: against the configuration file's folder, like `path`; `~/` too.
  EXPECT_EQ(parse(base + "url = \"sqlite:data/archive.sqlite\"\n").store.path,
            "/base/data/archive.sqlite");
  EXPECT_EQ(parse(base + "url = \"sqlite:~/archive.sqlite\"\n").store.path,
            "/home/me/archive.sqlite");
  c = parse(base + "path = \"a.sqlite\"\n");
  EXPECT_EQ(c.store.backend, "sqlite");
  EXPECT_EQ(c.store.path, "/base/a.sqlite");
  EXPECT_EQ(c.store.url, "");
  EXPECT_EQ(parse(kMinimal).store.backend, "sqlite");

  expect_error(base + "path = \"a.sqlite\"\nurl = \"sqlite:b.sqlite\"\n",
               {"test.toml:8:7: [store] set either 'path' or 'url', not both"});
  expect_error(base + "url = \"postgresql://digest:s3cret@db.example.org/arxiv\"\n",
               {"test.toml:7:7: [store] 'url': PostgreSQL store not built yet"});
  try {
    (void)parse(base + "url = \"postgres://digest:s3cret@db/arxiv\"\n");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
  expect_error(base + "url = \"mysql://u:pw@h/db\"\n",
               {"[store] 'url' has the unknown scheme 'mysql' (valid: sqlite, postgresql)"});
  expect_error(base + "url = \"archive.sqlite\"\n", {"[store] 'url' is not a URL"});
  expect_error(base + "url = \"sqlite://host/archive.sqlite\"\n", {"names no host"});
  expect_error(base + "url = \"sqlite://\"\n", {"names no database file"});
  expect_error(base + "url = \"sqlite:a.sqlite?mode=ro\"\n", {"no query or fragment"});
  expect_error(base + "url = \"\"\n", {"[store] 'url' must not be empty"});
}

// `-c some-directory/` used to say "'categories' is required" (issue 9).
TEST(Config, ADirectoryOrAMissingFileIsNamedAsSuch) {
  testing::TempDir dir;
  try {
    (void)load_config(dir.path());
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), dir.path().string() +
                                         ": is a directory, not a configuration file (pass the "
                                         ".toml file itself)");
  }
  try {
    (void)load_config(dir / "missing.toml");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "missing.toml").string() + ": no such file");
  }
  testing::EnvVar config_home("XDG_CONFIG_HOME", (dir / "nowhere").string());
  try {
    (void)load_config_or_default({});
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no configuration file: pass --config FILE"),
              std::string::npos)
        << e.what();
  }
  testing::write_file(dir / "nowhere" / "arxiv-digest" / "config.toml", kMinimal);
  EXPECT_EQ(load_config_or_default({}).topics.size(), 1u);
}

// The real binary: `config check` and `run` on a directory, a missing file, and [translate].
class ConfigCommandTest : public ::testing::Test {
 protected:
  testing::ProcessResult run(const std::vector<std::string>& args,
                             std::map<std::string, std::optional<std::string>> env = {}) {
    env.emplace("XDG_DATA_HOME", (dir_ / "data").string());
    env.emplace("XDG_CACHE_HOME", (dir_ / "cache").string());
    env.emplace("XDG_CONFIG_HOME", (dir_ / "config-home").string());
    return testing::run_process(ARXIV_DIGEST_BINARY, args, env);
  }
  std::string write_config(const std::string& extra) {
    testing::write_file(dir_ / "config.toml", std::string(kMinimal) + extra);
    return (dir_ / "config.toml").string();
  }
  testing::TempDir dir_;
};

TEST_F(ConfigCommandTest, ADirectoryIsNotAConfigurationFile) {
  const std::string folder = dir_.path().string() + "/";
  for (const auto& command :
       {std::vector<std::string>{"config", "check", "-c", folder},
        std::vector<std::string>{"run", "-c", folder, "--date", "2026-06-18"}}) {
    const testing::ProcessResult r = run(command);
    EXPECT_EQ(r.exit_code, kExitConfig) << r.err;
    EXPECT_NE(r.err.find("is a directory, not a configuration file"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("'categories' is required"), std::string::npos) << r.err;
  }
  const testing::ProcessResult missing =
      run({"config", "check", "-c", (dir_ / "missing.toml").string()});
  EXPECT_EQ(missing.exit_code, kExitConfig);
  EXPECT_NE(missing.err.find("missing.toml: no such file"), std::string::npos) << missing.err;
}

TEST_F(ConfigCommandTest, CheckPrintsTheTranslationSettingsAndTheStore) {
  const std::string config = write_config(
      "[store]\nurl = \"sqlite:archive/digest.sqlite\"\n"
      "[translate]\nprovider = \"openai\"\nbase_url = \"https://api.deepseek.com\"\n"
      "model = \"deepseek-chat\"\napi_key_env = \"ARXIV_DIGEST_TEST_KEY\"\ntarget = \"zh-TW\"\n");
  const testing::ProcessResult r =
      run({"config", "check", "-c", config}, {{"ARXIV_DIGEST_TEST_KEY", "sk-never-printed"}});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("  archive: sqlite " + (dir_ / "archive" / "digest.sqlite").string()),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("  translate: openai model deepseek-chat, target zh-TW, fields title, "
                       "abstract\n    base_url: https://api.deepseek.com\n"
                       "    api_key_env: ARXIV_DIGEST_TEST_KEY (set)\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("sk-never-printed"), std::string::npos) << r.out;

  const testing::ProcessResult none = run({"config", "check", "-c", write_config("")});
  ASSERT_EQ(none.exit_code, kExitOk) << none.err;
  EXPECT_NE(none.out.find("  translate: none"), std::string::npos) << none.out;
}

// `config check` said OK while `run` refused to start for want of the API key (issue 9).
TEST_F(ConfigCommandTest, CheckFailsWhenTheApiKeyVariableIsUnset) {
  const std::string config =
      write_config("[translate]\nprovider = \"deepl\"\napi_key_env = \"ARXIV_DIGEST_TEST_KEY\"\n");
  for (const std::optional<std::string>& value :
       {std::optional<std::string>(), std::optional<std::string>("")}) {
    const testing::ProcessResult r =
        run({"config", "check", "-c", config}, {{"ARXIV_DIGEST_TEST_KEY", value}});
    EXPECT_EQ(r.exit_code, kExitConfig) << r.out;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(config + ": [translate] api_key_env = 'ARXIV_DIGEST_TEST_KEY': that "
                                  "environment variable is not set"),
              std::string::npos)
        << r.err;
  }
  const testing::ProcessResult ok =
      run({"config", "check", "-c", config}, {{"ARXIV_DIGEST_TEST_KEY", "k-123"}});
  EXPECT_EQ(ok.exit_code, kExitOk) << ok.err;
  EXPECT_NE(ok.out.find("api_key_env: ARXIV_DIGEST_TEST_KEY (set)"), std::string::npos) << ok.out;
  EXPECT_EQ(ok.out.find("k-123"), std::string::npos) << ok.out;
}

TEST(Config, LoadsFileAndRejectsNonUtf8) {
  testing::TempDir dir;
  testing::write_file(dir / "ok.toml", kMinimal);
  Config c = load_config(dir / "ok.toml");
  EXPECT_EQ(c.file, dir / "ok.toml");
  testing::write_file(dir / "bad.toml", "[arxiv]\ncategories = [\"cs.AI\xff\"]\n");
  try {
    (void)load_config(dir / "bad.toml");
    ADD_FAILURE();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.toml:2:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("UTF-8"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)load_config(dir / "missing.toml"), ConfigError);
}

// The configuration shown in README.md and the bundled sample config must stay valid.
TEST(Config, ReadmeAndExampleConfigsAreValid) {
  const std::filesystem::path root(ARXIV_DIGEST_SOURCE_DIR);
  const std::string readme = testing::read_file(root / "README.md");
  std::size_t blocks = 0;
  for (std::size_t at = readme.find("```toml\n"); at != std::string::npos;
       at = readme.find("```toml\n", at + 1)) {
    const std::size_t begin = at + 8;
    const std::size_t end = readme.find("```", begin);
    ASSERT_NE(end, std::string::npos);
    // README blocks are indented inside a list item; TOML does not mind.
    Config c = parse_config(readme.substr(begin, end - begin), "README.md", root);
    EXPECT_FALSE(c.topics.empty());
    ++blocks;
  }
  EXPECT_GE(blocks, 1u);
  Config sample = load_config(root / "examples" / "sample-day" / "arxiv-digest.toml");
  EXPECT_EQ(sample.arxiv.categories.size(), 5u);
  EXPECT_EQ(sample.topics.size(), 2u);
  // The installed examples: the complete one, and the GitHub Actions one.
  Config example = load_config(root / "examples" / "config.toml");
  EXPECT_EQ(example.topics.size(), 2u);
  EXPECT_EQ(example.topics[1].query,
            "\"diffusion policy\" OR (ti:diffusion AND abs:\"robot manipulation\")");
  Config actions = load_config(root / "contrib" / "github-actions" / "arxiv-digest.toml");
  EXPECT_EQ(actions.output.dir, root / "contrib" / "github-actions" / "site");
}

}  // namespace
}  // namespace arxiv_digest

namespace arxiv_digest {
namespace {

using namespace std::chrono_literals;

TEST(DaemonConfig, DurationsParseAndBadOnesNameFileLineAndKey) {
  EXPECT_EQ(parse_duration("90s"), 90s);
  EXPECT_EQ(parse_duration("7m"), 7min);
  EXPECT_EQ(parse_duration("1h30m"), 90min);
  EXPECT_EQ(parse_duration("2d"), 48h);
  EXPECT_EQ(parse_duration("45"), 45s);
  for (const char* bad : {"", "m", "1x", "1h30", "-5m", "1.5h", "99999999999s"})
    EXPECT_EQ(parse_duration(bad), std::nullopt) << bad;

  expect_error(std::string(kMinimal) + "[daemon]\ndelay = \"soon\"\n",
               {"test.toml:7:", "[daemon]", "'delay' = 'soon'"});
  expect_error(std::string(kMinimal) + "[daemon]\njitter = \"2h\"\n", {"'jitter'", "up to 1 h"});
  expect_error(std::string(kMinimal) + "[daemon]\nretry_until = 5\n", {"retry_until"});
  expect_error(std::string(kMinimal) + "[daemon]\nretry = \"1h\"\n", {"retry_until"});
}

// One check per `[daemon]` row of the README's configuration table: the documented default,
// then a value set in a file.
TEST(DaemonConfig, EveryReadmeRowHasItsDefaultAndIsRead) {
  const std::string readme =
      testing::read_file(std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "README.md");
  std::vector<std::string> rows;
  for (const std::string& line : testing::split_lines(readme))
    if (line.starts_with("| `[daemon] ")) rows.push_back(line);
  ASSERT_EQ(rows.size(), 3u);
  const Config defaults = parse(kMinimal);
  const Config set = parse(std::string(kMinimal) +
                           "[daemon]\ndelay = \"15m\"\njitter = \"90s\"\nretry_until = \"2h\"\n");
  for (const std::string& row : rows) {
    SCOPED_TRACE(row);
    if (row.starts_with("| `[daemon] delay` | `\"7m\"` |")) {
      EXPECT_EQ(defaults.daemon.delay, 7min);
      EXPECT_EQ(set.daemon.delay, 15min);
    } else if (row.starts_with("| `[daemon] jitter` | `\"5m\"` |")) {
      EXPECT_EQ(defaults.daemon.jitter, 5min);
      EXPECT_EQ(set.daemon.jitter, 90s);
    } else if (row.starts_with("| `[daemon] retry_until` | `\"4h\"` |")) {
      EXPECT_EQ(defaults.daemon.retry_until, 4h);
      EXPECT_EQ(set.daemon.retry_until, 2h);
    } else {
      ADD_FAILURE() << "a [daemon] row this test does not know";
    }
  }
}

// The commands table's rows of the daemon's commands and flags: each is accepted by the parser
// (--help of each names it).
TEST(DaemonConfig, CommandRowsExistInTheBinary) {
  const auto daemon_help = testing::run_process(ARXIV_DIGEST_BINARY, {"daemon", "--help"});
  EXPECT_EQ(daemon_help.exit_code, 0);
  EXPECT_NE(daemon_help.out.find("--days"), std::string::npos) << daemon_help.out;
  const auto run_help = testing::run_process(ARXIV_DIGEST_BINARY, {"run", "--help"});
  EXPECT_NE(run_help.out.find("--wait"), std::string::npos) << run_help.out;
  EXPECT_NE(run_help.out.find("--since"), std::string::npos) << run_help.out;
  const std::string readme =
      testing::read_file(std::filesystem::path(ARXIV_DIGEST_SOURCE_DIR) / "README.md");
  for (const char* row : {"| `arxiv-digest run … --wait[=DURATION]` |",
                          "| `arxiv-digest run … --since YYYY-MM-DD` |",
                          "| `arxiv-digest daemon [--config FILE]"})
    EXPECT_NE(readme.find(row), std::string::npos) << row;
}

}  // namespace
}  // namespace arxiv_digest
