// bench/translate_concurrency: 200 real abstracts (the bundled sample day's RSS feed) translated
// through the fake OpenAI-compatible server of tests/support, which answers each request after
// 1 s, first with `concurrency` requests in flight, then the same work one request at a time.
// Prints a Markdown table with both wall times and their ratio (ideally ≈ the concurrency).
//
//   arxiv_digest_translate_bench [--count 200] [--concurrency 8] [--delay-ms 1000]
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sources/parsed_source.hpp"
#include "support/translation_server.hpp"
#include "net/http_post.hpp"
#include "translate/openai_translator.hpp"
#include "translate/translation_engine.hpp"

namespace {

using namespace arxiv_digest;

struct Run {
  double seconds = 0;
  TranslateStats stats;
};

Run translate_all(const std::vector<TextJob>& jobs, const std::string& base_url,
                  std::size_t concurrency) {
  CurlHttpPoster poster("arxiv-digest-bench");
  OpenAiOptions o;
  o.base_url = base_url + "/v1";
  o.model = "bench-model";
  OpenAiTranslator translator(poster, o);
  EngineOptions options;
  options.concurrency = concurrency;
  options.prompt_version = std::string(kPromptVersion);
  const auto start = std::chrono::steady_clock::now();
  const TranslateReport report = translate_texts(jobs, translator, nullptr, options);
  const auto end = std::chrono::steady_clock::now();
  return {std::chrono::duration<double>(end - start).count(), report.stats};
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 200;
  std::size_t concurrency = 8;
  long delay_ms = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const long value = std::strtol(argv[i + 1], nullptr, 10);
    if (flag == "--count")
      count = static_cast<std::size_t>(value);
    else if (flag == "--concurrency")
      concurrency = static_cast<std::size_t>(value);
    else if (flag == "--delay-ms")
      delay_ms = value;
  }
  const std::string feed = std::string(ARXIV_DIGEST_SOURCE_DIR) +
                           "/examples/sample-day/rss/cs.AI+cs.CL+cs.CV+cs.LG+cs.RO";
  std::ifstream in(feed, std::ios::binary);
  std::stringstream body;
  body << in.rdbuf();
  const ParsedListing listing = parse_rss(body.str(), feed);
  std::vector<TextJob> jobs;
  for (const Paper& paper : listing.papers) {
    if (jobs.size() == count) break;
    jobs.push_back({paper.abstract, "abstract"});
  }
  testing::TranslationServerOptions server_options;
  server_options.delay = std::chrono::milliseconds(delay_ms);
  testing::TranslationServer server(server_options);

  const Run parallel = translate_all(jobs, server.base_url(), concurrency);
  const std::size_t in_flight = server.max_in_flight();
  server.clear_records();
  const Run serial = translate_all(jobs, server.base_url(), 1);

  std::cout << fmt::format(
                   "## translate_concurrency ({} real abstracts, server answers after {} ms)\n\n",
                   jobs.size(), delay_ms)
            << "| mode | requests | failed | max in flight | wall time |\n|---|---|---|---|---|\n"
            << fmt::format("| concurrency {} | {} | {} | {} | {:.2f} s |\n", concurrency,
                           parallel.stats.requests, parallel.stats.failed, in_flight,
                           parallel.seconds)
            << fmt::format("| one at a time | {} | {} | {} | {:.2f} s |\n\n", serial.stats.requests,
                           serial.stats.failed, server.max_in_flight(), serial.seconds)
            << fmt::format("speed-up: {:.2f}x (ideal {}x)\n", serial.seconds / parallel.seconds,
                           concurrency);
  return parallel.stats.failed + serial.stats.failed == 0 ? 0 : 1;
}
