// The sinks: FileSink publishes every format together or none, and records after the renames;
// with Atom it adds a feed per topic and stable-named copies, with HTML it ships KaTeX.
#include "pipeline/sink.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "render/seed_digest.hpp"
#include "store/sqlite_archive.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;

RenderedSet set_of(std::string text, std::string md) {
  RenderedSet set;
  set.files.push_back({Format::kText, text, sha256_hex(text), {}});
  set.files.push_back({Format::kMarkdown, md, sha256_hex(md), {}});
  return set;
}

Digest digest_of_day() {
  Digest d;
  d.listing_date = Date{std::chrono::year{2026} / 6 / 18};
  return d;
}

std::vector<std::string> names(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(FileSink, WritesEveryFormatThenRecordsEach) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  FileSink sink(dir / "out", {Format::kText, Format::kMarkdown}, archive);
  const auto published = sink.publish(digest_of_day(), set_of("text\n", "# md\n"));
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(testing::read_file(dir / "out" / "2026-06-18.txt"), "text\n");
  EXPECT_EQ(testing::read_file(dir / "out" / "2026-06-18.md"), "# md\n");
  const auto records = archive.digests_for(digest_of_day().listing_date);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].sha256, sha256_hex("# md\n"));  // ordered by format
  EXPECT_EQ(records[1].sha256, sha256_hex("text\n"));
}

TEST(FileSink, AFormatThatCannotBeWrittenLeavesEveryFileAndTheRecordAsTheyWere) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  FileSink sink(dir / "out", {Format::kText, Format::kMarkdown}, archive);
  sink.publish(digest_of_day(), set_of("old text\n", "# old\n"));
  // The Markdown target becomes a directory: staging refuses it before any rename.
  fs::remove(dir / "out" / "2026-06-18.md");
  fs::create_directory(dir / "out" / "2026-06-18.md");
  EXPECT_THROW(sink.publish(digest_of_day(), set_of("new text\n", "# new\n")), OutputError);
  EXPECT_EQ(testing::read_file(dir / "out" / "2026-06-18.txt"), "old text\n");
  EXPECT_EQ(names(dir / "out"), (std::vector<std::string>{"2026-06-18.md", "2026-06-18.txt"}));
  const auto records = archive.digests_for(digest_of_day().listing_date);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].sha256, sha256_hex("old text\n"));
}

TEST(FileSink, AFormatThatWasNotRenderedIsAnError) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  FileSink sink(dir / "out", {Format::kJson}, archive);
  EXPECT_THROW(sink.publish(digest_of_day(), set_of("t\n", "m\n")), OutputError);
  EXPECT_TRUE(archive.digests_for(digest_of_day().listing_date).empty());
}

// The seed digest's Atom feed and HTML page as DailyRun would hand them to the sink.
RenderedSet seed_set(const Digest& digest, const AtomOptions& atom) {
  RenderedSet set;
  const std::string feed = render_atom(digest, atom);
  const std::string page = render_html(digest, HtmlOptions{.katex_base = "katex", .templates_dir = {}});
  set.files.push_back({Format::kAtom, feed, sha256_hex(feed), digest.generated_at});
  set.files.push_back({Format::kHtml, page, sha256_hex(page), digest.generated_at});
  return set;
}

constexpr const char* kAtomNs = "http://www.w3.org/2005/Atom";

struct Feed {
  std::string id;
  std::string self;  // the rel="self" href, "" when none
  std::vector<std::string> entry_ids;
};

// Parses an Atom feed strictly enough for the test: well-formed XML, root <feed> in Atom's
// namespace.
Feed parse_feed(const fs::path& path) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(path.c_str());
  EXPECT_TRUE(parsed) << path << ": " << parsed.description() << " at " << parsed.offset;
  const pugi::xml_node feed = doc.document_element();
  EXPECT_STREQ(feed.name(), "feed") << path;
  EXPECT_STREQ(feed.attribute("xmlns").value(), kAtomNs) << path;
  Feed out;
  out.id = feed.child_value("id");
  for (pugi::xml_node link : feed.children("link"))
    if (std::string_view(link.attribute("rel").value()) == "self")
      out.self = link.attribute("href").value();
  for (pugi::xml_node entry : feed.children("entry"))
    out.entry_ids.push_back(entry.child_value("id"));
  return out;
}

TEST(FileSink, AtomWritesAFeedPerTopicAndStableNamedCopies) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  const Digest digest = testing::load_seed_digest();
  ASSERT_EQ(digest.topics.size(), 2u);
  const AtomOptions atom{
      .base_url = "https://example.org/arxiv/", .self_file = {}, .tool_version = {}};
  FileSink sink(dir / "out", {Format::kAtom}, archive, {.katex_dir = {}, .atom = atom});
  const auto published = sink.publish(digest, seed_set(digest, atom));

  EXPECT_EQ(
      names(dir / "out"),
      (std::vector<std::string>{"2026-06-18.atom", "2026-06-18.diffusion-policy.atom",
                                "2026-06-18.reinforcement-learning.atom", "diffusion-policy.atom",
                                "digest.atom", "reinforcement-learning.atom"}));
  ASSERT_EQ(published.size(), 6u);
  EXPECT_EQ(published[0].target, (dir / "out" / "2026-06-18.atom").string());
  // Only the format's own file is recorded.
  const auto records = archive.digests_for(digest.listing_date);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].path, (dir / "out" / "2026-06-18.atom").string());

  const std::map<std::string, std::size_t> expected_entries = {{"reinforcement-learning", 30},
                                                               {"diffusion-policy", 0}};
  for (const auto& [slug, count] : expected_entries) {
    SCOPED_TRACE(slug);
    const Feed dated = parse_feed(dir / "out" / ("2026-06-18." + slug + ".atom"));
    const Feed stable = parse_feed(dir / "out" / (slug + ".atom"));
    EXPECT_EQ(dated.entry_ids.size(), count);
    EXPECT_EQ(dated.id, "tag:arxiv-digest,2026:topic:" + slug);
    // Each file's self link names the file itself, so a reader subscribed to the stable name
    // stays on it.
    EXPECT_EQ(dated.self, "https://example.org/arxiv/2026-06-18." + slug + ".atom");
    EXPECT_EQ(stable.self, "https://example.org/arxiv/" + slug + ".atom");
    EXPECT_EQ(stable.id, dated.id);
    EXPECT_EQ(stable.entry_ids, dated.entry_ids);
  }
  const Feed rl = parse_feed(dir / "out" / "reinforcement-learning.atom");
  ASSERT_FALSE(rl.entry_ids.empty());
  // The topic's first paper in the seed, keyed by its version-less id.
  EXPECT_EQ(rl.entry_ids[0], "tag:arxiv-digest,2026:topic:reinforcement-learning:" +
                                 digest.papers[digest.topics[0].papers[0]].id.key());
  const Feed whole = parse_feed(dir / "out" / "digest.atom");
  EXPECT_EQ(whole.self, "https://example.org/arxiv/digest.atom");
  EXPECT_EQ(whole.entry_ids.size(), digest.papers.size());
  EXPECT_EQ(whole.entry_ids, parse_feed(dir / "out" / "2026-06-18.atom").entry_ids);
}

TEST(FileSink, FeedIdsAndBytesAreStableAcrossRuns) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  const AtomOptions atom{
      .base_url = "https://example.org/arxiv", .self_file = {}, .tool_version = {}};
  FileSink sink(dir / "out", {Format::kAtom}, archive, {.katex_dir = {}, .atom = atom});
  Digest digest = testing::load_seed_digest();
  sink.publish(digest, seed_set(digest, atom));
  std::map<std::string, std::string> bytes;
  std::map<std::string, Feed> feeds;
  for (const std::string& name : names(dir / "out")) {
    bytes[name] = testing::read_file(dir / "out" / name);
    feeds[name] = parse_feed(dir / "out" / name);
  }
  ASSERT_EQ(feeds.size(), 6u);
  // A second run of the same day, generated later, from a fresh copy of the day.
  fs::remove_all(dir / "out");
  digest = testing::load_seed_digest();
  digest.generated_at += std::chrono::hours(5);
  sink.publish(digest, seed_set(digest, atom));
  for (const auto& [name, feed] : feeds) {
    SCOPED_TRACE(name);
    const Feed again = parse_feed(dir / "out" / name);
    EXPECT_EQ(again.id, feed.id);
    EXPECT_EQ(again.entry_ids, feed.entry_ids);
    EXPECT_EQ(testing::read_file(dir / "out" / name), bytes[name]);
  }
  // Entry ids are unique within each feed.
  for (const auto& [name, feed] : feeds) {
    std::set<std::string> unique(feed.entry_ids.begin(), feed.entry_ids.end());
    EXPECT_EQ(unique.size(), feed.entry_ids.size()) << name;
  }
}

TEST(FileSink, TopicsWhoseFeedsWouldShareAFileAreRefusedBeforeAnyWrite) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  Digest digest = testing::load_seed_digest();
  digest.topics[1].topic.name = "Reinforcement  Learning!";  // slug "reinforcement-learning"
  FileSink sink(dir / "out", {Format::kAtom}, archive);
  EXPECT_THROW(sink.publish(digest, seed_set(digest, {})), OutputError);
  EXPECT_TRUE(names(dir / "out").empty());
  EXPECT_TRUE(archive.digests_for(digest.listing_date).empty());
  digest.topics[1].topic.name = "Digest";  // digest.atom is the whole digest's stable name
  EXPECT_THROW(sink.publish(digest, seed_set(digest, {})), OutputError);
  EXPECT_TRUE(names(dir / "out").empty());
}

// A KaTeX dist folder with the files the page needs (small stand-ins for the real ones).
fs::path fake_katex(const fs::path& root) {
  const fs::path dist = root / "katex-dist";
  fs::create_directories(dist / "contrib");
  fs::create_directories(dist / "fonts");
  std::ofstream(dist / "katex.min.css") << ".katex{font:normal 1.21em KaTeX_Main}";
  std::ofstream(dist / "katex.min.js") << "var katex={};";
  std::ofstream(dist / "contrib" / "auto-render.min.js") << "function renderMathInElement(){}";
  std::ofstream(dist / "contrib" / "mhchem.min.js") << "unused";
  std::ofstream(dist / "fonts" / "KaTeX_Main-Regular.woff2") << std::string("wOF2\0\1", 6);
  std::ofstream(dist / "fonts" / "KaTeX_Main-Regular.ttf") << std::string("\0\1\0\0", 4);
  std::ofstream(dist / "katex.js") << "unminified";
  return dist;
}

ino_t inode(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

TEST(FileSink, HtmlShipsTheKatexFilesThePageNeedsOnce) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  const fs::path dist = fake_katex(dir.path());
  const Digest digest = testing::load_seed_digest();
  FileSink sink(dir / "out", {Format::kHtml}, archive, {.katex_dir = dist, .atom = {}});
  const auto published = sink.publish(digest, seed_set(digest, {}));
  ASSERT_EQ(published.size(), 1u);  // the page; KaTeX's files are not publications
  EXPECT_EQ(names(dir / "out"), (std::vector<std::string>{"2026-06-18.html", "katex"}));
  EXPECT_EQ(names(dir / "out" / "katex"),
            (std::vector<std::string>{"contrib", "fonts", "katex.min.css", "katex.min.js"}));
  EXPECT_EQ(names(dir / "out" / "katex" / "contrib"),
            (std::vector<std::string>{"auto-render.min.js"}));
  EXPECT_EQ(names(dir / "out" / "katex" / "fonts"),
            (std::vector<std::string>{"KaTeX_Main-Regular.ttf", "KaTeX_Main-Regular.woff2"}));
  EXPECT_EQ(testing::read_file(dir / "out" / "katex" / "fonts" / "KaTeX_Main-Regular.woff2"),
            std::string("wOF2\0\1", 6));
  EXPECT_EQ(testing::read_file(dir / "out" / "katex" / "katex.min.css"),
            testing::read_file(dist / "katex.min.css"));

  // Identical files are left alone (same inode: not rewritten); a changed one is replaced.
  const ino_t css = inode(dir / "out" / "katex" / "katex.min.css");
  const ino_t page = inode(dir / "out" / "2026-06-18.html");
  std::ofstream(dist / "katex.min.js") << "var katex={version:'next'};";
  sink.publish(digest, seed_set(digest, {}));
  EXPECT_EQ(inode(dir / "out" / "katex" / "katex.min.css"), css);
  EXPECT_NE(inode(dir / "out" / "2026-06-18.html"), page);
  EXPECT_EQ(testing::read_file(dir / "out" / "katex" / "katex.min.js"),
            "var katex={version:'next'};");
}

TEST(FileSink, KatexIsOnlyCopiedForHtmlAndWhenConfigured) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  const fs::path dist = fake_katex(dir.path());
  const Digest digest = testing::load_seed_digest();
  FileSink atom_only(dir / "a", {Format::kAtom}, archive, {.katex_dir = dist, .atom = {}});
  atom_only.publish(digest, seed_set(digest, {}));
  EXPECT_FALSE(fs::exists(dir / "a" / "katex"));
  FileSink no_katex(dir / "b", {Format::kHtml}, archive);
  no_katex.publish(digest, seed_set(digest, {}));
  EXPECT_EQ(names(dir / "b"), (std::vector<std::string>{"2026-06-18.html"}));
}

TEST(FileSink, AMissingKatexFileFailsBeforeAnyFileIsWritten) {
  testing::TempDir dir;
  SqliteArchive archive(":memory:");
  const fs::path dist = fake_katex(dir.path());
  fs::remove(dist / "contrib" / "auto-render.min.js");
  const Digest digest = testing::load_seed_digest();
  FileSink sink(dir / "out", {Format::kHtml, Format::kAtom}, archive,
                {.katex_dir = dist, .atom = {}});
  try {
    sink.publish(digest, seed_set(digest, {}));
    ADD_FAILURE() << "no OutputError";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("auto-render.min.js"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(names(dir / "out").empty());
  EXPECT_TRUE(archive.digests_for(digest.listing_date).empty());
  fs::remove_all(dist / "fonts");
  std::ofstream(dist / "contrib" / "auto-render.min.js") << "function renderMathInElement(){}";
  EXPECT_THROW(FileSink::katex_files(dist), OutputError);
}

TEST(StreamSink, WritesItsFormatAndReportsAFailedStream) {
  std::ostringstream out;
  StreamSink sink(out, Format::kMarkdown);
  sink.publish(digest_of_day(), set_of("t\n", "m\n"));
  EXPECT_EQ(out.str(), "m\n");
  std::ostringstream closed;
  closed.setstate(std::ios::badbit);
  StreamSink broken(closed, Format::kText);
  EXPECT_THROW(broken.publish(digest_of_day(), set_of("t\n", "m\n")), OutputError);
}

}  // namespace
}  // namespace arxiv_digest
