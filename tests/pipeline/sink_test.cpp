// The sinks: FileSink publishes every format together or none, and records after the renames.
#include "pipeline/sink.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "core/error.hpp"
#include "core/hash.hpp"
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
