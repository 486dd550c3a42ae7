#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/taxonomy.hpp"
#include "core/text.hpp"
#include "render/golden.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;
using testing::load_seed_digest;

RenderOptions test_options() {
  RenderOptions options;
  options.tool_version = "0.0.0-test";  // keeps the golden file independent of releases
  return options;
}

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

TEST(JsonRenderer, SeedDigestMatchesGolden) {
  testing::expect_golden("render/seed_digest.json",
                         render_json(load_seed_digest(), test_options()));
}

TEST(JsonRenderer, TopLevelFieldsInDocumentedOrder) {
  const Json json = Json::parse(render_json(load_seed_digest(), test_options()));
  EXPECT_EQ(keys_of(json), (std::vector<std::string>{
                               "schema_version", "tool", "listing_date", "generated_at",
                               "announced_at", "announced_at_eastern", "time_zone", "categories",
                               "source", "announced_count", "papers", "topics"}));
  EXPECT_EQ(json["schema_version"], 1);
  EXPECT_EQ(json["tool"], (Json{{"name", "arxiv-digest"}, {"version", "0.0.0-test"}}));
  EXPECT_EQ(json["listing_date"], "2026-06-18");
  EXPECT_EQ(json["generated_at"], "2026-06-18T11:52:58Z");
  EXPECT_EQ(json["announced_at"], "2026-06-18T00:00:00Z");
  EXPECT_EQ(json["announced_at_eastern"], "2026-06-17 20:00 EDT");
  EXPECT_EQ(json["time_zone"], "Asia/Shanghai");
  EXPECT_EQ(json["categories"], (Json{"cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"}));
  EXPECT_EQ(json["source"], "rss");
  EXPECT_EQ(json["announced_count"], testing::kSeedAnnouncedCount);
  ASSERT_EQ(json["topics"].size(), 2u);
  EXPECT_EQ(keys_of(json["topics"][0]),
            (std::vector<std::string>{"name", "query", "count", "paper_ids", "matches"}));
  EXPECT_EQ(json["topics"][0]["name"], "reinforcement learning");
  EXPECT_EQ(json["topics"][0]["query"], "reinforcement learning");
  EXPECT_EQ(json["topics"][0]["count"], 30);
  EXPECT_EQ(json["topics"][0]["paper_ids"][0], "2606.18284");
  EXPECT_EQ(json["topics"][0]["paper_ids"][29], "2606.19341");
  EXPECT_EQ(json["topics"][1], (Json{{"name", "diffusion policy"},
                                     {"query", "diffusion policy"},
                                     {"count", 0},
                                     {"paper_ids", Json::array()},
                                     {"matches", Json::array()}}));
}

TEST(JsonRenderer, MatchesSayWhichTermsWereFoundWhere) {
  const Digest digest = load_seed_digest();
  const Json json = Json::parse(render_json(digest, test_options()));
  const Json& matches = json["topics"][0]["matches"];
  ASSERT_EQ(matches.size(), 30u);
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const Json& m = matches[i];
    SCOPED_TRACE(m.dump());
    EXPECT_EQ(keys_of(m), (std::vector<std::string>{"id", "terms", "spans", "score",
                                                    "nearest_example"}));
    EXPECT_EQ(m["id"], json["topics"][0]["paper_ids"][i]);
    EXPECT_EQ(m["terms"], (Json{"\"reinforcement learning\""}));
    EXPECT_TRUE(m["score"].is_null());
    ASSERT_FALSE(m["spans"].empty());
    const Paper& paper = digest.papers[digest.topics[0].papers[i]];
    for (const Json& span : m["spans"]) {
      const std::string field = span["field"];
      const std::string& text = field == "title" ? paper.title : paper.abstract;
      ASSERT_TRUE(field == "title" || field == "abstract");
      const auto begin = span["begin"].get<std::size_t>();
      const auto end = span["end"].get<std::size_t>();
      EXPECT_EQ(span["text"], text.substr(begin, end - begin));
      EXPECT_EQ(ascii_lower(span["text"].get<std::string>()).substr(0, 13), "reinforcement");
      EXPECT_EQ(span["term"], "\"reinforcement learning\"");
    }
  }
  // A digest built without reasons says so with null rather than an empty list.
  Digest bare = digest;
  for (TopicResult& t : bare.topics) t.reasons.clear();
  EXPECT_TRUE(Json::parse(render_json(bare, test_options()))["topics"][0]["matches"].is_null());
}

TEST(JsonRenderer, EveryPaperFieldRoundTrips) {
  const Digest digest = load_seed_digest();
  const Json json = Json::parse(render_json(digest, test_options()));
  ASSERT_EQ(json["papers"].size(), digest.papers.size());
  for (std::size_t i = 0; i < digest.papers.size(); ++i) {
    const Paper& paper = digest.papers[i];
    const Json& p = json["papers"][i];
    SCOPED_TRACE(paper.id.key());
    EXPECT_EQ(keys_of(p),
              (std::vector<std::string>{
                  "id", "version", "key", "title", "authors", "primary_category", "categories",
                  "abstract", "comments", "journal_ref", "doi", "license", "announce_type",
                  "submitted", "updated", "abs_url", "pdf_url", "translation"}));
    EXPECT_EQ(p["id"], paper.id.str());
    EXPECT_TRUE(p["version"].is_null());  // the seed's ids carry no version
    EXPECT_EQ(p["key"], paper.id.key());
    EXPECT_EQ(p["title"], paper.title);
    EXPECT_EQ(p["authors"].get<std::vector<std::string>>(), paper.authors);
    EXPECT_EQ(p["primary_category"], paper.primary_category);
    ASSERT_EQ(p["categories"].size(), paper.categories.size());
    for (std::size_t c = 0; c < paper.categories.size(); ++c) {
      EXPECT_EQ(p["categories"][c]["code"], paper.categories[c]);
      EXPECT_EQ(p["categories"][c]["name"], std::string(find_category(paper.categories[c])->name));
    }
    EXPECT_EQ(p["abstract"], paper.abstract);
    for (const char* empty : {"comments", "journal_ref", "doi", "license", "submitted", "updated"})
      EXPECT_TRUE(p[empty].is_null()) << empty;
    EXPECT_EQ(p["announce_type"], "new");
    EXPECT_EQ(p["abs_url"], "https://arxiv.org/abs/" + paper.id.key());
    EXPECT_EQ(p["pdf_url"], "https://arxiv.org/pdf/" + paper.id.key());
    EXPECT_EQ(p["translation"], (Json{{"title", digest.translations[i]->title},
                                      {"abstract", digest.translations[i]->abstract},
                                      {"title_failure", nullptr},
                                      {"abstract_failure", nullptr}}));
  }
}

TEST(JsonRenderer, OptionalPaperFieldsWhenPresent) {
  Digest digest = load_seed_digest(false);
  Paper& paper = digest.papers[1];
  paper.id = ArxivId::parse("2606.18327v2");
  paper.comments = "ICML 2026";
  paper.journal_ref = "Proc. ICML 2026";
  paper.doi = "10.48550/arXiv.2606.18327";
  paper.license = "http://creativecommons.org/licenses/by/4.0/";
  paper.announce_type = AnnounceType::kReplaceCross;
  paper.submitted = std::chrono::sys_days{std::chrono::year{2026} / 5 / 1} + 13h + 5min;
  paper.updated = std::chrono::sys_days{std::chrono::year{2026} / 6 / 16} + 9h;
  paper.add_category("xx.UNKNOWN");
  const Json json = Json::parse(render_json(digest, test_options()));
  const Json& p = json["papers"][1];
  EXPECT_EQ(p["id"], "2606.18327v2");
  EXPECT_EQ(p["version"], 2);
  EXPECT_EQ(p["key"], "2606.18327");
  EXPECT_EQ(p["comments"], "ICML 2026");
  EXPECT_EQ(p["journal_ref"], "Proc. ICML 2026");
  EXPECT_EQ(p["doi"], "10.48550/arXiv.2606.18327");
  EXPECT_EQ(p["license"], "http://creativecommons.org/licenses/by/4.0/");
  EXPECT_EQ(p["announce_type"], "replace-cross");
  EXPECT_EQ(p["submitted"], "2026-05-01T13:05:00Z");
  EXPECT_EQ(p["updated"], "2026-06-16T09:00:00Z");
  EXPECT_EQ(p["abs_url"], "https://arxiv.org/abs/2606.18327");
  EXPECT_EQ(p["categories"].back(), (Json{{"code", "xx.UNKNOWN"}, {"name", nullptr}}));
  EXPECT_TRUE(p["translation"].is_null());
  EXPECT_EQ(json["topics"][0]["paper_ids"][1], "2606.18327");
}

TEST(JsonRenderer, Utf8KeptPrettyPrintedNewlineAtEnd) {
  const std::string text = render_json(load_seed_digest(), test_options());
  EXPECT_NE(text.find("\"title\": \"打破求解器瓶颈:可学习前沿的训练任务生成器\""),
            std::string::npos);
  EXPECT_EQ(text.find("\\u"), std::string::npos);
  EXPECT_EQ(text.substr(0, 24), "{\n  \"schema_version\": 1,");
  ASSERT_GE(text.size(), 2u);
  EXPECT_EQ(text.substr(text.size() - 2), "}\n");
}

TEST(JsonRenderer, InvalidUtf8IsReplacedNotThrown) {
  Digest digest = load_seed_digest(false);
  digest.papers[0].title = "bad \xC3 byte";
  const Json json = Json::parse(render_json(digest, test_options()));
  EXPECT_EQ(json["papers"][0]["title"], "bad \xEF\xBF\xBD byte");
}

TEST(JsonRenderer, DefaultToolVersionIsTheProjectVersion) {
  const Json json = Json::parse(render_json(load_seed_digest()));
  EXPECT_EQ(json["tool"]["version"], std::string(project_version()));
  EXPECT_FALSE(project_version().empty());
}

TEST(JsonRenderer, WinterAnnouncementEastern) {
  Digest digest = load_seed_digest();
  digest.announced_at = std::chrono::sys_days{std::chrono::year{2026} / 1 / 15} + 1h;
  const Json json = Json::parse(render_json(digest, test_options()));
  EXPECT_EQ(json["announced_at"], "2026-01-15T01:00:00Z");
  EXPECT_EQ(json["announced_at_eastern"], "2026-01-14 20:00 EST");
}

}  // namespace
}  // namespace arxiv_digest
