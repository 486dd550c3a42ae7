#include "cli/config.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
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
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << e.what() << "\n  missing: " << f;
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
formats = ["md", "json"]
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
  EXPECT_EQ(c.output.formats, (std::vector<std::string>{"markdown", "json"}));
  EXPECT_EQ(c.store.path, "/var/lib/arxiv/archive.sqlite");
}

TEST(Config, ErrorsNameFileLineAndKeyWithSuggestions) {
  expect_error("[arxiv]\ncategores = [\"cs.AI\"]\n", {"test.toml:2:1", "unknown key 'categores'", "did you mean 'categories'"});
  expect_error("[arxiv]\ncategories = [\"cs.LGG\"]\n", {"test.toml:2:", "unknown arXiv category 'cs.LGG'", "did you mean 'cs.LG'"});
  expect_error("[arxiv]\ncategories = \"cs.AI\"\n", {"test.toml:2:", "'categories' must be an array"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nsource = \"atom\"\n", {"test.toml:3:", "unknown source 'atom'"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nannounce_types = [\"absonly\"]\n", {":3:", "unknown announce type 'absonly'"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nmin_interval_s = 1\n", {":3:", "3 seconds"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nmax_retries = 99\n", {":3:", "out of range"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\nrss_url = \"ftp://x/\"\n", {":3:", "only http"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\n[output]\ntimezone = \"Mars/Base\"\n", {":6:", "unknown time zone 'Mars/Base'"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\n[output]\nformats = [\"pdf\"]\n", {":6:", "unknown format 'pdf'"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\nqeury = \"y\"\n", {":5:", "did you mean 'query'"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\nsort = \"date\"\n", {":5:", "unknown sort 'date'"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n[[topics]]\nname = \"x\"\n[[topics]]\nname = \"x\"\n", {":6:", "defined twice"});
  expect_error("[arxiv]\ncategories = [\"cs.AI\"]\n", {"[[topics]]", "required"});
  expect_error("[[topics]]\nname = \"x\"\n", {"'categories' is required"});
  expect_error("[arxiv\ncategories = 1\n", {"test.toml:1:"});
  expect_error("[outptu]\n", {"unknown key 'outptu'", "did you mean 'output'"});
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
}

}  // namespace
}  // namespace arxiv_digest
