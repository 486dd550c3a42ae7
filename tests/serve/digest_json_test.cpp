// Reading JSON digests back: the real sample-day digest round-trips through render_json, and bad
// files are refused naming the key.
#include "serve/digest_json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "render/renderer.hpp"
#include "support/test_support.hpp"
#include "tests/serve/sample_archive.hpp"

namespace arxiv_digest::serve {
namespace {

TEST(DigestJsonTest, TheSampleDigestRoundTrips) {
  const std::string text = testing::read_file(testing::sample_archive().out() / "2026-06-18.json");
  const Digest digest = digest_from_json(text, "2026-06-18.json");
  EXPECT_EQ(digest.papers.size(), 30u);
  ASSERT_EQ(digest.topics.size(), 2u);
  EXPECT_EQ(digest.topics[0].topic.name, "reinforcement learning");
  EXPECT_EQ(digest.topics[0].reasons.size(), digest.topics[0].papers.size());
  EXPECT_EQ(digest.translations.size(), 30u);
  EXPECT_EQ(render_json(digest), text);  // nothing lost
}

void expect_refused(const std::string& text, const std::string& field) {
  try {
    digest_from_json(text, "day.json");
    ADD_FAILURE() << "accepted: " << text;
  } catch (const ParseError& e) {
    EXPECT_EQ(e.source(), "day.json");
    EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
  }
}

TEST(DigestJsonTest, BadFilesAreRefusedNamingTheKey) {
  const std::string head = R"({"schema_version": 1, "listing_date": "2026-06-18",
    "generated_at": "2026-06-18T11:52:58Z", "announced_at": "2026-06-18T00:00:00Z",
    "time_zone": "Asia/Shanghai", "categories": ["cs.AI"], "source": "rss", "announced_count": 1,)";
  expect_refused("{\"schema_version\": 1,\n  oops}", "day.json:2:");
  expect_refused(R"({"schema_version": 2})", "schema_version");
  expect_refused(head + R"("papers": [], "topics": [{"name": "t", "paper_ids": ["2606.00001"]}]})",
                 "topics[0].paper_ids");
  expect_refused(head + R"("papers": [{"id": "nope"}], "topics": []})", "papers[0].id");
  expect_refused(R"({"schema_version": 1, "listing_date": "2026-02-30"})", "listing_date");
  EXPECT_NO_THROW(digest_from_json(head + R"("papers": [], "topics": [], "new_key": 1})", "day.json"));
}

}  // namespace
}  // namespace arxiv_digest::serve
