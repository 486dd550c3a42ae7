// bench/replicate_bulk.py, the archive benchmark's corpus at scale (issue 11), on real records
// (the Kaggle snapshot's first 200, `{"id":"`, and the sample day's 219, `{"id": "`): copy 0 byte
// for byte, copies 1..N-1 the same lines with only the id replaced by new, valid, unique,
// increasing ids; the real binary imports every copy and search finds each; bad input is named
// by file and line, and too many records for the new ids fail before anything is written.
#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/arxiv_id.hpp"
#include "store/sqlite.hpp"
#include "support/process.hpp"
#include "support/test_support.hpp"

namespace arxiv_digest {
namespace {

namespace fs = std::filesystem;
using testing::data_path;
using testing::ProcessResult;
using testing::read_file;
using testing::split_lines;
using testing::TempDir;

const fs::path kSource = ARXIV_DIGEST_SOURCE_DIR;
const fs::path kScript = kSource / "bench" / "replicate_bulk.py";
const fs::path kSampleDay = kSource / "examples" / "sample-day" / "papers.jsonl";

ProcessResult replicate(std::vector<std::string> args) {
  args.insert(args.begin(), kScript.string());
  return testing::run_process(ARXIV_DIGEST_PYTHON, args);
}

struct GzClose {
  void operator()(gzFile f) const noexcept { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzClose>;

std::string gunzip(const fs::path& path) {
  GzFile in(gzopen(path.c_str(), "rb"));
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return {};
  }
  std::string text;
  char buffer[1 << 16];
  int n = 0;
  while ((n = gzread(in.get(), buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<std::size_t>(n));
  EXPECT_EQ(n, 0) << "corrupt gzip data in " << path;
  return text;
}

void gzip_to(const fs::path& from, const fs::path& to) {
  const std::string bytes = read_file(from);
  GzFile out(gzopen(to.c_str(), "wb"));
  ASSERT_TRUE(out);
  ASSERT_EQ(gzwrite(out.get(), bytes.data(), static_cast<unsigned>(bytes.size())),
            static_cast<int>(bytes.size()));
}

// A record line's id and the line without it (everything else, which copies must keep).
std::pair<std::string, std::string> split_id(const std::string& line) {
  const std::size_t key = line.find("\"id\":");
  const std::size_t start = line.find('"', key + 5) + 1;
  const std::size_t end = line.find('"', start);
  return {line.substr(start, end - start), line.substr(0, start) + line.substr(end)};
}

std::vector<std::string> file_names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReplicateBulk, CopiesKeepEveryByteButTheIdAndTheNewIdsAreValidUniqueAndIncreasing) {
  TempDir dir;
  const fs::path gz = dir / "first200.jsonl.gz";  // a gzip input, as the bulk corpus's files
  gzip_to(data_path("snapshot/first200.jsonl"), gz);
  const fs::path out = dir / "out";
  const ProcessResult r = replicate({"--copies", "3", "--jobs", "2", out.string(), gz.string(),
                                     kSampleDay.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("1257 records in 6 files, ")) << r.out;  // 3 x (200 + 219)
  ASSERT_EQ(file_names(out),
            (std::vector<std::string>{"c00-first200.jsonl.gz", "c00-papers.jsonl.gz",
                                      "c01-first200.jsonl.gz", "c01-papers.jsonl.gz",
                                      "c02-first200.jsonl.gz", "c02-papers.jsonl.gz"}));
  EXPECT_EQ(read_file(out / "c00-first200.jsonl.gz"), read_file(gz));  // copied as it is
  EXPECT_EQ(gunzip(out / "c00-papers.jsonl.gz"), read_file(kSampleDay));

  const std::vector<std::pair<std::string, std::vector<std::string>>> inputs = {
      {"first200.jsonl.gz", split_lines(read_file(data_path("snapshot/first200.jsonl")))},
      {"papers.jsonl.gz", split_lines(read_file(kSampleDay))}};
  std::vector<std::string> ids;  // of copies 1 and 2, in the order a glob lists their files
  for (const char* copy : {"c01-", "c02-"}) {
    for (const auto& [name, input] : inputs) {
      const std::vector<std::string> lines = split_lines(gunzip(out / (copy + name)));
      ASSERT_EQ(lines.size(), input.size()) << copy << name;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto [id, rest] = split_id(lines[i]);
        const auto [original, original_rest] = split_id(input[i]);
        EXPECT_EQ(rest, original_rest) << copy << name << ':' << i + 1;
        EXPECT_NE(id, original);
        ids.push_back(id);
      }
    }
  }
  ASSERT_EQ(ids.size(), 2u * 419u);
  EXPECT_EQ(ids.front(), "2701.00001");
  EXPECT_EQ(ids.back(), "2701.00838");
  ArxivId previous;
  for (const std::string& text : ids) {
    ArxivId id;
    std::string why;
    ASSERT_TRUE(ArxivId::try_parse(text, id, &why)) << text << ": " << why;
    EXPECT_FALSE(id.old_style()) << text;
    EXPECT_EQ(id.str(), text);
    if (&text != &ids.front()) {
      EXPECT_LT(previous, id) << "not increasing at " << text;
    }
    previous = id;
  }
}

TEST(ReplicateBulk, TheRealBinaryImportsEveryCopyAndSearchFindsEachOne) {
  TempDir dir;
  const fs::path out = dir / "out";
  const ProcessResult r =
      replicate({"--copies", "3", out.string(), data_path("snapshot/first200.jsonl").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> args = {"import", "-q", "--archive", (dir / "a.sqlite").string()};
  for (const std::string& name : file_names(out)) args.push_back((out / name).string());
  const ProcessResult imported = testing::run_process(ARXIV_DIGEST_BINARY, args);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  {
    sqlite::Database db((dir / "a.sqlite").string());
    sqlite::Statement count(db, "SELECT count(*) FROM papers");
    ASSERT_TRUE(count.step());
    EXPECT_EQ(count.column_int64(0), 600);
  }
  // `match` finds "dark matter" in 0704.0003 and 0704.0094 (lines 3 and 94) of the original:
  // the archive of 3 copies has them under their new ids too (line n of copy k is number
  // (k - 1) * 200 + n of 2701), newest first, each with the latest version its `versions` list
  // names (0704.0003 has v1-v3).
  const ProcessResult found = testing::run_process(
      ARXIV_DIGEST_BINARY, {"search", "--archive", (dir / "a.sqlite").string(), "--json",
                            "--limit", "100", "\"dark matter\""});
  ASSERT_EQ(found.exit_code, 0) << found.err;
  std::vector<std::string> ids;
  for (const std::string& line : split_lines(found.out))
    ids.push_back(nlohmann::json::parse(line).at("id").get<std::string>());
  EXPECT_EQ(ids, (std::vector<std::string>{"2701.00294v1", "2701.00203v3", "2701.00094v1",
                                           "2701.00003v3", "0704.0094v1", "0704.0003v3"}));
}

TEST(ReplicateBulk, ALineThatDoesNotStartWithItsIdIsNamedByFileAndLine) {
  TempDir dir;
  const std::vector<std::string> lines = split_lines(read_file(data_path("snapshot/first200.jsonl")));
  testing::write_file(dir / "gap.jsonl", lines[0] + "\n\n" + lines[1] + "\n");
  ProcessResult r = replicate({"--copies", "2", (dir / "out").string(), (dir / "gap.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("gap.jsonl:2: the line does not start with {\"id\""), std::string::npos)
      << r.err;
  // A real file of another format: the sample day's RSS feed.
  const fs::path rss = kSource / "examples" / "sample-day" / "rss" / "cs.AI+cs.CL+cs.CV+cs.LG+cs.RO";
  r = replicate({"--copies", "2", (dir / "out2").string(), rss.string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cs.RO:1: the line does not start with"), std::string::npos) << r.err;
}

TEST(ReplicateBulk, MoreRecordsThanNewIdsFailBeforeAnythingIsWritten) {
  TempDir dir;
  // 499,999 x 200 new ids: more than years 27..99 hold (73 x 12 x 99,999).
  const ProcessResult r = replicate({"--copies", "500000", (dir / "out").string(),
                                     data_path("snapshot/first200.jsonl").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("out of new ids: 99,999,800 records"), std::string::npos) << r.err;
  EXPECT_TRUE(file_names(dir / "out").empty());
}

}  // namespace
}  // namespace arxiv_digest
