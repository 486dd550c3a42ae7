#include <gtest/gtest.h>

#include <chrono>
#include <pugixml.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "render/golden.hpp"
#include "render/renderer.hpp"
#include "render/seed_digest.hpp"

namespace arxiv_digest {
namespace {

using namespace std::chrono_literals;
using testing::load_seed_digest;

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result result = doc.load_string(xml.c_str());
  EXPECT_TRUE(result) << result.description() << " at byte " << result.offset;
  return doc;
}

AtomOptions test_version() {
  AtomOptions options;
  options.tool_version = "0.0.0-test";
  return options;
}

AtomOptions with_base(std::string base_url) {
  AtomOptions options;
  options.base_url = std::move(base_url);
  return options;
}

std::vector<std::string> entry_ids(const pugi::xml_document& doc) {
  std::vector<std::string> ids;
  for (pugi::xml_node entry : doc.child("feed").children("entry"))
    ids.emplace_back(entry.child_value("id"));
  return ids;
}

TEST(AtomRenderer, SeedDigestMatchesGolden) {
  testing::expect_golden("render/seed_digest.atom",
                         render_atom(load_seed_digest(), test_version()));
}

TEST(AtomRenderer, SeedTopicFeedMatchesGolden) {
  testing::expect_golden("render/seed_digest.reinforcement-learning.atom",
                         render_atom_topic(load_seed_digest(), 0, test_version()));
}

// RFC 4287 4.1.1: a feed has exactly one id, title and updated, an author (or every entry has
// one); 4.1.2: every entry has exactly one id, title, updated, and a link rel="alternate" or a
// content element.
void expect_valid_feed(const pugi::xml_document& doc) {
  const pugi::xml_node feed = doc.child("feed");
  ASSERT_TRUE(feed);
  EXPECT_STREQ(feed.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
  for (const char* name : {"id", "title", "updated", "generator"}) {
    std::size_t count = 0;
    for (pugi::xml_node child : feed.children(name)) {
      ++count;
      EXPECT_FALSE(std::string(child.child_value()).empty()) << name;
    }
    EXPECT_EQ(count, 1u) << name;
  }
  EXPECT_TRUE(feed.child("author").child("name"));
  for (pugi::xml_node entry : feed.children("entry")) {
    for (const char* name : {"id", "title", "updated", "summary"}) {
      EXPECT_EQ(std::distance(entry.children(name).begin(), entry.children(name).end()), 1)
          << name << " in " << entry.child_value("id");
    }
    EXPECT_TRUE(entry.find_child_by_attribute("link", "rel", "alternate"));
    EXPECT_TRUE(entry.child("author"));
    const std::string updated = entry.child_value("updated");
    EXPECT_EQ(updated.size(), 20u);
    EXPECT_EQ(updated.back(), 'Z');
  }
}

TEST(AtomRenderer, WholeDigestFeedStructure) {
  const Digest digest = load_seed_digest();
  const std::string xml = render_atom(digest);
  const pugi::xml_document doc = parse(xml);
  expect_valid_feed(doc);
  const pugi::xml_node feed = doc.child("feed");
  EXPECT_STREQ(feed.child_value("id"), "tag:arxiv-digest,2026:digest");
  EXPECT_STREQ(feed.child_value("title"), "arXiv digest for 2026-06-18");
  EXPECT_STREQ(feed.child_value("updated"), "2026-06-18T00:00:00Z");
  EXPECT_FALSE(feed.find_child_by_attribute("link", "rel", "self"));  // no base URL
  const std::vector<std::string> ids = entry_ids(doc);
  ASSERT_EQ(ids.size(), digest.papers.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    EXPECT_EQ(ids[i], "tag:arxiv-digest,2026:digest:" + digest.papers[i].id.key());
  const pugi::xml_node first = feed.child("entry");
  EXPECT_STREQ(first.child_value("title"), digest.papers[0].title.c_str());
  EXPECT_STREQ(first.child_value("summary"), digest.papers[0].abstract.c_str());
  EXPECT_STREQ(first.find_child_by_attribute("link", "rel", "alternate").attribute("href").value(),
               abs_url(digest.papers[0].id).c_str());
  EXPECT_STREQ(first.find_child_by_attribute("link", "rel", "related").attribute("href").value(),
               pdf_url(digest.papers[0].id).c_str());
  std::vector<std::string> authors;
  for (pugi::xml_node author : first.children("author"))
    authors.emplace_back(author.child_value("name"));
  EXPECT_EQ(authors, digest.papers[0].authors);
  EXPECT_TRUE(first.find_child_by_attribute("category", "term", "reinforcement learning"));
  EXPECT_TRUE(
      first.find_child_by_attribute("category", "term", digest.papers[0].primary_category.c_str()));
  // Translated: the Chinese title and abstract are the content (HTML, escaped once more).
  const pugi::xml_node content = first.child("content");
  ASSERT_TRUE(content);
  EXPECT_STREQ(content.attribute("type").value(), "html");
  EXPECT_NE(std::string(content.child_value()).find(digest.translations[0]->title),
            std::string::npos);
  EXPECT_EQ(xml.back(), '\n');
}

TEST(AtomRenderer, TopicFeedIsTheTopicsPapersInOrder) {
  const Digest digest = load_seed_digest();
  for (std::size_t topic = 0; topic < digest.topics.size(); ++topic) {
    const pugi::xml_document doc = parse(render_atom_topic(digest, topic));
    expect_valid_feed(doc);
    const std::string slug = topic_slug(digest.topics[topic].topic.name);
    EXPECT_EQ(std::string(doc.child("feed").child_value("id")),
              "tag:arxiv-digest,2026:topic:" + slug);
    const std::vector<std::string> ids = entry_ids(doc);
    ASSERT_EQ(ids.size(), digest.topics[topic].papers.size());
    for (std::size_t i = 0; i < ids.size(); ++i)
      EXPECT_EQ(ids[i], "tag:arxiv-digest,2026:topic:" + slug + ":" +
                            digest.papers[digest.topics[topic].papers[i]].id.key());
  }
  EXPECT_THROW(render_atom_topic(digest, digest.topics.size()), Error);
}

TEST(AtomRenderer, IdsStableAcrossRuns) {
  Digest first = load_seed_digest();
  Digest second = load_seed_digest(false);
  second.generated_at = first.generated_at + 3h + 17min;
  for (Paper& paper : second.papers) paper.id = ArxivId::parse(paper.id.key() + "v2");
  EXPECT_EQ(entry_ids(parse(render_atom(first))), entry_ids(parse(render_atom(second))));
  EXPECT_EQ(entry_ids(parse(render_atom_topic(first, 0))),
            entry_ids(parse(render_atom_topic(second, 0))));
  // Same day, same digest, another run: the same bytes.
  Digest rerun = load_seed_digest();
  rerun.generated_at += 1h;
  EXPECT_EQ(render_atom(first), render_atom(rerun));
}

TEST(AtomRenderer, SelfLinkFromBaseUrl) {
  const Digest digest = load_seed_digest();
  const pugi::xml_document doc = parse(render_atom(digest, with_base("https://example.org/d/")));
  EXPECT_STREQ(
      doc.child("feed").find_child_by_attribute("link", "rel", "self").attribute("href").value(),
      "https://example.org/d/2026-06-18.atom");
  const pugi::xml_document topic =
      parse(render_atom_topic(digest, 0, with_base("https://example.org/d")));
  EXPECT_STREQ(
      topic.child("feed").find_child_by_attribute("link", "rel", "self").attribute("href").value(),
      "https://example.org/d/2026-06-18.reinforcement-learning.atom");
}

TEST(AtomRenderer, TopicSlug) {
  EXPECT_EQ(topic_slug("Reinforcement Learning"), "reinforcement-learning");
  EXPECT_EQ(topic_slug("  LLM / agents!! "), "llm-agents");
  EXPECT_EQ(topic_slug("扩散"), "%E6%89%A9%E6%95%A3");
  EXPECT_EQ(topic_slug("?!"), "topic");
}

TEST(AtomRenderer, EmptyTopicIsAValidFeedWithoutEntries) {
  const Digest digest = load_seed_digest();
  for (std::size_t topic = 0; topic < digest.topics.size(); ++topic) {
    if (!digest.topics[topic].papers.empty()) continue;
    const pugi::xml_document doc = parse(render_atom_topic(digest, topic));
    expect_valid_feed(doc);
    EXPECT_FALSE(doc.child("feed").child("entry"));
  }
}

}  // namespace
}  // namespace arxiv_digest
