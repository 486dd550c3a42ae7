// Benchmarks of the topic matcher (src/match) on the real bulk corpus
// (../shared/fixtures/arxiv/bulk/*.jsonl.gz, read in place; override with ARXIV_DIGEST_BULK_DIR).
//
//   BM_Day/<topics>      one day = the corpus's first 2,000 papers, against 1, 100 and 10,000
//                        topics compiled into one QuerySet (time per day)
//   BM_SimilarityDay     a topic by example: one day scored against 10, 100, 1,000 example papers
//   BM_CorpusScan        every paper's title + abstract against a 20-phrase topic set (bytes/s),
//                        with the Hyperscan prefilter (as `arxiv-digest match` runs it)
//   BM_CorpusScanNoPrefilter  the same, tokenising every paper
//   BM_GrepF, BM_GrepE   `grep -c -i -F -f phrases` and `grep -c -E -i` over the same text (the
//                        titles and abstracts written to a temp file), timed in the same run
//
// Topics are built from the corpus itself (title bigrams, some with NOT, OR, ti:, prefixes and
// au:), deterministically, so every run measures the same work. When the corpus is absent every
// benchmark is skipped with a message saying where it looked.
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/paper.hpp"
#include "match/query_set.hpp"
#include "match/similarity.hpp"
#include "match/tokenizer.hpp"

namespace fs = std::filesystem;
using arxiv_digest::Paper;
using arxiv_digest::QuerySet;

namespace {

constexpr std::size_t kDayPapers = 2000;

// The 20 phrases of every match benchmark (bench/phrases.txt, shared with bench/run and the
// tests).
const std::vector<std::string>& phrases() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> out;
    std::ifstream in(std::string(ARXIV_DIGEST_SOURCE_DIR) + "/bench/phrases.txt");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(line);
    return out;
  }();
  return list;
}

// gzFile, move-only.
class GzFile {
 public:
  explicit GzFile(const fs::path& path) : file_(gzopen(path.c_str(), "rb")) {}
  ~GzFile() {
    if (file_ != nullptr) gzclose(file_);
  }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;
  explicit operator bool() const { return file_ != nullptr; }
  std::string read_all() {
    std::string out;
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(file_, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
    return out;
  }

 private:
  gzFile file_ = nullptr;
};

fs::path bulk_dir() {
  if (const char* env = std::getenv("ARXIV_DIGEST_BULK_DIR")) return env;
  return fs::path(ARXIV_DIGEST_SOURCE_DIR) / ".." / "shared" / "fixtures" / "arxiv" / "bulk";
}

struct Corpus {
  std::vector<Paper> papers;  // distinct ids, shard order
  bool loaded = false;
  std::string missing;  // why it is absent
};

const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus out;
    const fs::path dir = bulk_dir();
    std::vector<fs::path> shards;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.path().string().ends_with(".jsonl.gz")) shards.push_back(e.path());
    if (shards.empty()) {
      out.missing = "no *.jsonl.gz under " + dir.string() + " (set ARXIV_DIGEST_BULK_DIR)";
      std::cerr << "match_bench: skipping: " << out.missing << "\n";
      return out;
    }
    std::sort(shards.begin(), shards.end());
    std::unordered_set<std::string> seen;
    for (const auto& shard : shards) {
      GzFile gz(shard);
      if (!gz) continue;
      const std::string text = gz.read_all();
      std::size_t pos = 0;
      while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        if (line.empty()) continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.contains("id") || !j["id"].is_string()) continue;
        std::string id = j["id"].get<std::string>();
        if (!seen.insert(id).second) continue;
        Paper p;
        if (!arxiv_digest::ArxivId::try_parse(id, p.id)) continue;
        if (j.contains("title") && j["title"].is_string()) p.title = j["title"].get<std::string>();
        if (j.contains("abstract") && j["abstract"].is_string())
          p.abstract = j["abstract"].get<std::string>();
        if (j.contains("authors") && j["authors"].is_string()) {
          const std::string a = j["authors"].get<std::string>();
          std::size_t from = 0;
          while (from <= a.size()) {
            std::size_t comma = a.find(", ", from);
            if (comma == std::string::npos) comma = a.size();
            if (comma > from) p.authors.push_back(a.substr(from, comma - from));
            from = comma + 2;
          }
        }
        if (j.contains("categories") && j["categories"].is_string()) {
          const std::string cats = j["categories"].get<std::string>();
          std::size_t from = 0;
          while (from < cats.size()) {
            std::size_t sp = cats.find(' ', from);
            if (sp == std::string::npos) sp = cats.size();
            if (sp > from) p.add_category(cats.substr(from, sp - from));
            from = sp + 1;
          }
        }
        out.papers.push_back(std::move(p));
      }
    }
    out.loaded = !out.papers.empty();
    if (!out.loaded) out.missing = "no readable records under " + dir.string();
    return out;
  }();
  return c;
}

// `count` topics drawn from the corpus's title bigrams (papers after the day), with a mix of
// operators: mostly phrases, some NOT, OR, ti:, prefix and au: queries.
std::vector<std::string> make_topics(std::size_t count) {
  const auto& papers = corpus().papers;
  std::vector<std::string> bigrams;
  std::vector<std::string> surnames;
  std::set<std::string> seen;
  arxiv_digest::TokenizedText t;
  for (std::size_t i = kDayPapers; i < papers.size() && bigrams.size() < count * 2; i += 7) {
    arxiv_digest::tokenize(papers[i].title, t);
    for (std::size_t k = 1; k < t.tokens.size(); k += 3) {
      auto a = t.word(t.tokens[k - 1]);
      auto b = t.word(t.tokens[k]);
      if (a.size() < 4 || b.size() < 4 || !t.tokens[k].soft_gap) continue;
      std::string bg = std::string(a) + " " + std::string(b);
      if (seen.insert(bg).second) bigrams.push_back(bg);
    }
    if (!papers[i].authors.empty() && surnames.size() < count) {
      const std::string& name = papers[i].authors.front();
      const auto sp = name.rfind(' ');
      const std::string last = sp == std::string::npos ? name : name.substr(sp + 1);
      bool plain = last.size() >= 3;
      for (char c : last) plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
      if (plain) surnames.push_back(last);
    }
  }
  std::vector<std::string> topics;
  for (std::size_t i = 0; topics.size() < count && i < bigrams.size(); ++i) {
    const std::string& bg = bigrams[i];
    switch (i % 10) {
      case 3:
        topics.push_back("\"" + bg + "\" -survey");
        break;
      case 5:
        topics.push_back("ti:\"" + bg + "\" OR \"" + bigrams[(i * 7919) % bigrams.size()] + "\"");
        break;
      case 7:
        if (i % 50 == 7 && !surnames.empty()) {
          topics.push_back("au:" + surnames[i % surnames.size()]);
          break;
        }
        topics.push_back("\"" + bg + "\"");
        break;
      case 9:
        topics.push_back("\"" + bg.substr(0, bg.size() - 1) + "*\"");
        break;
      default:
        topics.push_back("\"" + bg + "\"");
        break;
    }
  }
  if (count == 1) topics = {"\"reinforcement learning\""};
  return topics;
}

void BM_Day(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.loaded) {
    state.SkipWithError(("bulk corpus absent: " + c.missing).c_str());
    return;
  }
  const auto topics = make_topics(static_cast<std::size_t>(state.range(0)));
  const QuerySet set(topics);
  const std::size_t n = std::min(kDayPapers, c.papers.size());
  QuerySet::Scratch scratch;
  std::size_t hits = 0;
  std::size_t selected = 0;
  for (auto _ : state) {
    hits = 0;
    selected = 0;
    for (std::size_t i = 0; i < n; ++i) {
      auto h = set.match(c.papers[i], scratch);
      hits += h.size();
      if (!h.empty()) ++selected;
    }
    benchmark::DoNotOptimize(hits);
  }
  state.counters["topics"] = static_cast<double>(topics.size());
  state.counters["papers"] = static_cast<double>(n);
  state.counters["papers_selected"] = static_cast<double>(selected);
  state.counters["topic_hits"] = static_cast<double>(hits);
  state.counters["literals"] = static_cast<double>(set.stats().literals);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_Day)->Arg(1)->Arg(100)->Arg(10000)->Unit(benchmark::kMillisecond);

// A topic by example: the day's 2,000 papers scored against N example papers (a reference
// library; taken from the end of the corpus, so none is in the day).
void BM_SimilarityDay(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.loaded) {
    state.SkipWithError(("bulk corpus absent: " + c.missing).c_str());
    return;
  }
  const auto examples_count = static_cast<std::size_t>(state.range(0));
  const std::size_t n = std::min(kDayPapers, c.papers.size());
  std::vector<arxiv_digest::ExampleText> examples;
  for (std::size_t i = 0; i < examples_count && i < c.papers.size(); ++i) {
    const Paper& p = c.papers[c.papers.size() - 1 - i];
    examples.push_back({p.title, p.abstract});
  }
  std::vector<const Paper*> day;
  for (std::size_t i = 0; i < n; ++i) day.push_back(&c.papers[i]);
  double best = 0;
  for (auto _ : state) {
    const auto scores = arxiv_digest::similarity_scores(examples, day);
    best = 0;
    for (const auto& s : scores) best = std::max(best, s.score);
    benchmark::DoNotOptimize(best);
  }
  state.counters["examples"] = static_cast<double>(examples.size());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}
BENCHMARK(BM_SimilarityDay)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

std::size_t text_bytes(const Paper& p) { return p.title.size() + p.abstract.size(); }

void corpus_scan(benchmark::State& state, bool prefilter) {
  const Corpus& c = corpus();
  if (!c.loaded) {
    state.SkipWithError(("bulk corpus absent: " + c.missing).c_str());
    return;
  }
  std::vector<std::string> queries;
  for (const std::string& p : phrases()) queries.push_back("\"" + p + "\"");
  const QuerySet set(queries, arxiv_digest::QuerySetOptions{.prefilter = prefilter});
  if (prefilter && !set.stats().prefilter) state.SkipWithError("no prefilter was built");
  QuerySet::Scratch scratch;
  std::size_t bytes = 0;
  for (const Paper& p : c.papers) bytes += text_bytes(p);
  std::size_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (const Paper& p : c.papers)
      if (!set.match(p, scratch).empty()) ++matched;
    benchmark::DoNotOptimize(matched);
  }
  state.counters["papers"] = static_cast<double>(c.papers.size());
  state.counters["papers_matched"] = static_cast<double>(matched);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
void BM_CorpusScan(benchmark::State& state) { corpus_scan(state, /*prefilter=*/true); }
void BM_CorpusScanNoPrefilter(benchmark::State& state) { corpus_scan(state, /*prefilter=*/false); }
BENCHMARK(BM_CorpusScanNoPrefilter)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_CorpusScan)->Unit(benchmark::kMillisecond)->Iterations(3);

// The corpus text (title, newline, abstract, newline per paper) and the phrase list, written once.
struct GrepFiles {
  fs::path dir;
  fs::path text;
  fs::path phrases;
  std::size_t bytes = 0;
  GrepFiles() = default;
  GrepFiles(const GrepFiles&) = delete;
  GrepFiles& operator=(const GrepFiles&) = delete;
  ~GrepFiles() {
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

const GrepFiles& grep_files() {
  static GrepFiles g;
  static const bool written = [] {
    g.dir = fs::temp_directory_path() / ("arxiv-digest-bench-" + std::to_string(::getpid()));
    fs::create_directories(g.dir);
    g.text = g.dir / "corpus.txt";
    g.phrases = g.dir / "phrases.txt";
    std::ofstream out(g.text, std::ios::binary);
    for (const Paper& p : corpus().papers) {
      out << p.title << '\n' << p.abstract << '\n';
      g.bytes += text_bytes(p) + 2;
    }
    std::ofstream ph(g.phrases);
    for (const std::string& p : phrases()) ph << p << '\n';
    return true;
  }();
  (void)written;
  return g;
}

// Runs `command` (output discarded) and records its wall time as the iteration time.
void time_command(benchmark::State& state, const std::string& command) {
  const GrepFiles& g = grep_files();
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const int rc = std::system((command + " >" + (g.dir / "count.txt").string()).c_str());
    const auto stop = std::chrono::steady_clock::now();
    if (rc == -1 || (WIFEXITED(rc) && WEXITSTATUS(rc) > 1)) {
      state.SkipWithError(("command failed: " + command).c_str());
      return;
    }
    state.SetIterationTime(std::chrono::duration<double>(stop - start).count());
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(g.bytes));
}

void BM_GrepF(benchmark::State& state) {
  if (!corpus().loaded) {
    state.SkipWithError(("bulk corpus absent: " + corpus().missing).c_str());
    return;
  }
  const GrepFiles& g = grep_files();
  time_command(state,
               "LC_ALL=C.UTF-8 grep -c -i -F -f " + g.phrases.string() + " " + g.text.string());
}
BENCHMARK(BM_GrepF)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_GrepE(benchmark::State& state) {
  if (!corpus().loaded) {
    state.SkipWithError(("bulk corpus absent: " + corpus().missing).c_str());
    return;
  }
  const GrepFiles& g = grep_files();
  // Whole words, any run of spaces or hyphens between them: the closest grep gets to the
  // matcher's rules (no accents, TeX, plurals or line breaks).
  std::string pattern;
  for (const std::string& p : phrases()) {
    if (!pattern.empty()) pattern += '|';
    for (char c : p) pattern += c == ' ' ? std::string("[- ]+") : std::string(1, c);
  }
  time_command(state, "LC_ALL=C.UTF-8 grep -c -E -i -w '(" + pattern + ")' " + g.text.string());
}
BENCHMARK(BM_GrepE)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
